"""The model history's running sums give what recomputing the posterior from every live item
after each change gives (the way ``model_history`` used to work), for any sequence of changes."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.engine import bayes
from forecast.engine.history import replay
from forecast.engine.model import state_input


def from_scratch(
    prior_changes: list[tuple[str, str, list[float]]], changes: list[dict[str, Any]]
) -> list[list[float]]:
    """The posterior after each change, recomputed from all live items every time."""
    events: list[tuple[str, bool, int, tuple[str, Any]]] = [
        (at, False, i, ("prior", p)) for i, (at, _, p) in enumerate(prior_changes)
    ]
    events += [(c["at"], True, len(events) + i, ("evidence", c)) for i, c in enumerate(changes)]
    events.sort(key=lambda e: e[:3])
    priors: list[float] = prior_changes[0][2]
    live: dict[int, bayes.EvidenceInput] = {}
    out = []
    for *_, (kind, event) in events:
        if kind == "prior":
            priors = event
        elif event["action"] == "removed":
            live.pop(event["state"]["id"], None)
        else:
            live[event["state"]["id"]] = state_input(event["state"])
        out.append(bayes.posterior(priors, list(live.values())).tolist())
    return out


likelihood = st.one_of(st.just(0.0), st.floats(0.01, 100.0))


@st.composite
def histories(draw: st.DrawFn) -> tuple[list, list]:
    k = draw(st.integers(2, 3))

    def prior() -> list[float]:
        weights = draw(st.lists(st.floats(0.05, 1.0), min_size=k, max_size=k))
        return [w / sum(weights) for w in weights]

    prior_changes = [("2020-01-01", "ann", prior())]
    changes: list[dict[str, Any]] = []
    live: set[int] = set()
    next_id = 1
    day = 1
    for _ in range(draw(st.integers(0, 40))):
        day += draw(st.integers(0, 1))
        at = f"2020-01-{day:02d}"
        what = draw(st.sampled_from(["add", "add", "edit", "remove", "prior"]))
        if what == "prior":
            prior_changes.append((at, "ann", prior()))
            continue
        if what in ("edit", "remove") and live:
            eid = draw(st.sampled_from(sorted(live)))
        else:
            what, eid, next_id = "add", next_id, next_id + 1
        if what == "remove":
            live.discard(eid)
            changes.append({"at": at, "by": "ann", "action": "removed", "state": {"id": eid}})
            continue
        values = draw(st.lists(likelihood, min_size=k, max_size=k).filter(lambda v: max(v) > 0))
        group = draw(st.sampled_from([None, None, "a", "b"]))
        state = {
            "id": eid,
            "likelihoods": values,
            "credibility": draw(st.sampled_from([0.0, 0.3, 1.0])),
            "group": group,
            "rho": None if group is None else draw(st.sampled_from([0.0, 0.5, 1.0])),
        }
        live.add(eid)
        action = "added" if what == "add" else "edited"
        changes.append({"at": at, "by": "ann", "action": action, "state": state})
    for change in changes:  # a removal stores the item's last state, as evidence_history does
        if change["action"] == "removed":
            last = [
                c
                for c in changes
                if c["state"]["id"] == change["state"]["id"] and "likelihoods" in c["state"]
            ]
            change["state"] = last[-1]["state"] if last else change["state"]
    return prior_changes, changes


@settings(max_examples=300, deadline=None)
@given(histories())
def test_running_sums_equal_recomputing_from_scratch(history: tuple[list, list]) -> None:
    prior_changes, changes = history
    try:
        expected = from_scratch(prior_changes, changes)
    except bayes.EngineInputError:
        with pytest.raises(bayes.EngineInputError):
            replay(prior_changes, changes, prior_changes[-1][2], state_input)
        return
    got = replay(prior_changes, changes, prior_changes[-1][2], state_input)
    assert len(got) == len(expected)
    for entry, want in zip(got, expected, strict=True):
        np.testing.assert_allclose(entry["posterior"], want, rtol=1e-9, atol=1e-12)


def test_a_worked_example_with_a_group_and_a_removal() -> None:
    # Prior 1:1. E1 LR 4 (odds 4); E2 and E3 in group g (rho 1: they count as one average item),
    # LRs 2 and 8: average log is log 4, odds 16; E1 removed: odds 4 (P = 0.8).
    changes = [
        {
            "at": "2020-01-02",
            "by": "a",
            "action": "added",
            "state": {"id": 1, "likelihoods": [4, 1], "credibility": 1.0},
        },
        {
            "at": "2020-01-03",
            "by": "a",
            "action": "added",
            "state": {"id": 2, "likelihoods": [2, 1], "credibility": 1.0, "group": "g", "rho": 1.0},
        },
        {
            "at": "2020-01-04",
            "by": "a",
            "action": "added",
            "state": {"id": 3, "likelihoods": [8, 1], "credibility": 1.0, "group": "g", "rho": 1.0},
        },
        {
            "at": "2020-01-05",
            "by": "a",
            "action": "removed",
            "state": {"id": 1, "likelihoods": [4, 1], "credibility": 1.0},
        },
    ]
    got = replay([("2020-01-01", "a", [0.5, 0.5])], changes, [0.5, 0.5], state_input)
    yes = [round(e["posterior"][0], 12) for e in got]
    assert yes == [0.5, 0.8, round(8 / 9, 12), round(16 / 17, 12), 0.8]
    assert [e["action"] for e in got] == [
        "prior set",
        "evidence added",
        "evidence added",
        "evidence added",
        "evidence removed",
    ]
