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
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from forecast.engine import bayes

Vector = list[float]


@dataclass
class _Contribution:
    """What one live item adds to the running sums."""

    finite: Vector  # c * log l with log 0 taken as 0
    ruled_out: Vector  # 1 for the outcomes it gives likelihood 0 (only when c > 0)
    group: str | None
    counted: bool  # c > 0: counts towards its group's size
    rho: float


@dataclass
class _Group:
    total: Vector
    applied: Vector
    """What the group adds to the scores now: ``total`` discounted by its size and rho."""
    counted: int = 0
    members: dict[str, int] = field(default_factory=dict)
    """live member id -> its place in live order (the first one's rho is the group's)."""


def _add(into: Vector, values: Sequence[float], sign: float = 1.0) -> None:
    for j, v in enumerate(values):
        into[j] += sign * v


class RunningModel:
    """The point posterior of a changing set of items, updated one change at a time.

    Plain Python floats: a question has a handful of outcomes, where numpy's per-call overhead
    would cost more than the arithmetic."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.ungrouped = [0.0] * k
        self.grouped = [0.0] * k  # the sum of every group's ``applied``
        self.ruled_out = [0.0] * k
        self.groups: dict[str, _Group] = {}
        self.live: dict[str, _Contribution] = {}
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
        c = item.credibility
        counted = c > 0
        part = _Contribution(
            finite=[c * math.log(v) if v > 0 else 0.0 for v in item.likelihoods],
            ruled_out=[1.0 if counted and v <= 0 else 0.0 for v in item.likelihoods],
            group=item.group,
            counted=counted,
            rho=item.rho,
        )
        self.live[item.id] = part
        _add(self.ruled_out, part.ruled_out)
        if part.group is None or not counted:
            _add(self.ungrouped, part.finite)
        if part.group is not None:
            group = self.groups.get(part.group)
            if group is None:
                group = self.groups[part.group] = _Group([0.0] * self.k, [0.0] * self.k)
            group.members[item.id] = place
            if counted:
                _add(group.total, part.finite)
                group.counted += 1
            self._apply(group)

    def remove(self, item_id: str) -> None:
        if item_id in self.live:
            self._take_out(item_id)
            del self._place[item_id]

    def _take_out(self, item_id: str) -> None:
        part = self.live.pop(item_id)
        _add(self.ruled_out, part.ruled_out, -1)
        if part.group is None or not part.counted:
            _add(self.ungrouped, part.finite, -1.0)
        if part.group is not None:
            group = self.groups[part.group]
            del group.members[item_id]
            if part.counted:
                _add(group.total, part.finite, -1.0)
                group.counted -= 1
            if group.members:
                self._apply(group)
            else:
                _add(self.grouped, group.applied, -1.0)
                del self.groups[part.group]

    def _apply(self, group: _Group) -> None:
        """Bring the group's share of the scores up to date after a change to its members."""
        now = [0.0] * self.k
        if group.counted:
            first = min(group.members, key=group.members.__getitem__)
            d = 1.0 / (1.0 + self.live[first].rho * max(group.counted - 1.0, 0.0))
            now = [t * d for t in group.total]
        for j in range(self.k):
            self.grouped[j] += now[j] - group.applied[j]
        group.applied = now

    def posterior(self, log_prior: Sequence[float]) -> list[float]:
        scores = [
            -math.inf if ruled else p + u + g
            for p, u, g, ruled in zip(
                log_prior, self.ungrouped, self.grouped, self.ruled_out, strict=True
            )
        ]
        top = max(scores)
        if not math.isfinite(top):
            raise bayes.EngineInputError(
                "the evidence rules out every outcome (each has a likelihood of 0 somewhere)"
            )
        weights = [math.exp(x - top) for x in scores]
        total = math.fsum(weights)
        return [w / total for w in weights]


def _log(priors: Sequence[float]) -> list[float]:
    return [math.log(p) if p > 0 else -math.inf for p in priors]


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
    log_prior = _log(current_priors)
    model = RunningModel(len(log_prior))
    history: list[dict[str, Any]] = []
    for _, _, _, event in events:
        if event["kind"] == "prior":
            log_prior = _log(event["priors"])
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
                "posterior": model.posterior(log_prior),
            }
        )
    return history
