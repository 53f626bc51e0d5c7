"""A question's recorded history replayed through the model with running sums.

After every recorded change (prior set or changed, evidence added, edited or removed) the
history says what the model gave. Recomputing the posterior from all live items after each change
costs O(n) per change, O(n^2) for a question's life; here each change adjusts running sums
instead, so each costs O(k) (plus the members of the item's redundancy group):

    score_j = log prior_j + S_j + sum_g G_gj / (1 + rho_g (n_g - 1)),   -inf where ruled out

with S the ungrouped items' summed c * log l, G_g the summed c * log l of group g's counted
members (c > 0), n_g their number, rho_g the rho of the group's first live item (as
``bayes.prepare`` takes it), and an outcome ruled out while any counted item gives it likelihood 0.
``bayes.posterior`` over the live items gives the same numbers (a hypothesis test checks it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from forecast.engine import bayes


@dataclass
class _Contribution:
    """What one live item adds to the running sums."""

    finite: np.ndarray  # c * log l with log 0 taken as 0
    ruled_out: np.ndarray  # outcomes it gives likelihood 0 (only when c > 0)
    group: str | None
    counted: bool  # c > 0: counts towards its group's size
    rho: float


@dataclass
class _Group:
    total: np.ndarray
    counted: int = 0
    members: dict[str, int] = field(default_factory=dict)
    """live member id -> its place in live order (the first one's rho is the group's)."""


class RunningModel:
    """The point posterior of a changing set of items, updated one change at a time."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.ungrouped = np.zeros(k)
        self.ruled_out = np.zeros(k, dtype=np.int64)
        self.groups: dict[str, _Group] = {}
        self.live: dict[str, _Contribution] = {}
        self.rho: dict[str, float] = {}
        self._place: dict[str, int] = {}
        self._next = 0

    def put(self, item: bayes.EvidenceInput) -> None:
        """Add an item, or replace the live item with the same id (keeping its place)."""
        place = self._place.get(item.id)
        if item.id in self.live:
            self._take_out(item.id)
        if place is None:
            place, self._next = self._next, self._next + 1
        self._place[item.id] = place
        with np.errstate(divide="ignore"):
            log_lik = np.log(np.asarray(item.likelihoods, dtype=float))
        counted = item.credibility > 0
        part = _Contribution(
            finite=np.where(np.isneginf(log_lik), 0.0, log_lik) * item.credibility,
            ruled_out=np.isneginf(log_lik) & counted,
            group=item.group,
            counted=counted,
            rho=item.rho,
        )
        self.live[item.id] = part
        self.ruled_out += part.ruled_out
        if part.group is None or not counted:
            self.ungrouped += part.finite
        if part.group is not None:
            group = self.groups.setdefault(part.group, _Group(np.zeros(self.k)))
            group.members[item.id] = place
            if counted:
                group.total += part.finite
                group.counted += 1

    def remove(self, item_id: str) -> None:
        if item_id in self.live:
            self._take_out(item_id)
            del self._place[item_id]

    def _take_out(self, item_id: str) -> None:
        part = self.live.pop(item_id)
        self.ruled_out -= part.ruled_out
        if part.group is None or not part.counted:
            self.ungrouped -= part.finite
        if part.group is not None:
            group = self.groups[part.group]
            del group.members[item_id]
            if part.counted:
                group.total -= part.finite
                group.counted -= 1
            if not group.members:
                del self.groups[part.group]

    def posterior(self, prior: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore"):
            scores = np.log(prior) + self.ungrouped
        for group in self.groups.values():
            if group.counted:
                first = min(group.members, key=group.members.__getitem__)
                rho = self.live[first].rho
                scores = scores + group.total / (1.0 + rho * max(group.counted - 1.0, 0.0))
        scores = np.where(self.ruled_out > 0, -np.inf, scores)
        top = float(np.max(scores))
        if not math.isfinite(top):
            raise bayes.EngineInputError(
                "the evidence rules out every outcome (each has a likelihood of 0 somewhere)"
            )
        weights = np.exp(scores - top)
        result: np.ndarray = weights / weights.sum()
        return result


def replay(
    prior_changes: list[tuple[str, str, list[float]]],
    evidence_changes: list[dict[str, Any]],
    current_priors: list[float],
    engine_input: Any,
) -> list[dict[str, Any]]:
    """The history entries (who, when, what, the posterior after it), oldest first.

    ``prior_changes``: (at, by, priors); ``evidence_changes``: ``evidence_history`` entries;
    ``engine_input``: an entry's stored state -> ``bayes.EvidenceInput`` (and its short id)."""
    events: list[tuple[str, bool, int, dict[str, Any]]] = []
    for order, (at, by, priors) in enumerate(prior_changes):
        events.append((at, False, order, {"kind": "prior", "at": at, "by": by, "priors": priors}))
    offset = len(events)
    for order, entry in enumerate(evidence_changes):
        events.append((entry["at"], True, offset + order, {"kind": "evidence", **entry}))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    prior = np.asarray(current_priors, dtype=float)
    model = RunningModel(prior.size)
    history: list[dict[str, Any]] = []
    for _, _, _, event in events:
        if event["kind"] == "prior":
            prior = np.asarray(event["priors"], dtype=float)
            action, evidence_ref = ("prior set" if not history else "prior changed"), None
        else:
            item = engine_input(event["state"])
            if event["action"] == "removed":
                model.remove(item.id)
            else:
                model.put(item)
            action, evidence_ref = f"evidence {event['action']}", item.id
        history.append(
            {
                "at": event["at"],
                "by": event["by"],
                "action": action,
                "evidence_id": evidence_ref,
                "posterior": model.posterior(prior).tolist(),
            }
        )
    return history
