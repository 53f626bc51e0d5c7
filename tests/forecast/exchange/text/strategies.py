"""Hypothesis strategies for generated workspaces, as bundle dicts (any text a user could type)."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from typing import Any

from hypothesis import strategies as st

AT = "2026-01-01T00:00:00Z"
texts = st.text(max_size=40)
titles = st.text(min_size=1, max_size=30).filter(lambda s: s.strip() == s and s != "")
names = st.text(st.characters(categories=["L", "N", "P", "Zs", "S"]), min_size=1, max_size=12)
ratios = st.floats(min_value=0.01, max_value=1000.0, allow_nan=False, allow_infinity=False)


def _uuid(counter: Iterator[int]) -> str:
    return str(uuid.UUID(int=next(counter), version=4))


def _stamp(n: int) -> str:
    return f"2025-{1 + n % 12:02d}-{1 + n // 12 % 28:02d}T{n // 336 % 24:02d}:{n % 60:02d}:00Z"


@st.composite
def questions(draw: st.DrawFn, counter: Iterator[int]) -> dict[str, Any]:
    base = {"created_at": AT, "created_by": draw(names), "updated_at": AT, "updated_by": "x"}
    k = draw(st.integers(2, 4))
    outcome_names = draw(st.lists(names, min_size=k, max_size=k, unique_by=str.casefold))
    priors = draw(st.lists(st.integers(1, 9), min_size=k, max_size=k))
    kind = "binary" if k == 2 and draw(st.booleans()) else "multi"
    if kind == "binary":
        outcome_names = ["Yes", "No"]
    evidence = [
        {
            **base,
            "uuid": _uuid(counter),
            "text": draw(titles),
            "quote": draw(texts),
            "credibility": draw(st.floats(0, 1)),
            "likelihoods": draw(st.lists(ratios, min_size=k, max_size=k)),
            "version": draw(st.integers(1, 5)),
        }
        for _ in range(draw(st.integers(0, 3)))
    ]
    forecasts = [
        {
            "forecaster": draw(names),
            "made_at": _stamp(n),
            "probs": [p, 1 - p] if k == 2 else [1 / k] * k,
            "rationale": draw(texts),
            "adopted_model": draw(st.booleans()),
            "recorded_at": AT,
        }
        for n, p in enumerate(draw(st.lists(st.sampled_from([0.1, 0.25, 0.5, 0.9]), max_size=4)))
    ]
    nodes: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(0, 3))):
        nodes.append(
            {
                **base,
                "uuid": _uuid(counter),
                "parent": nodes[-1]["uuid"] if bool(nodes) and draw(st.booleans()) else None,
                "stance": draw(st.sampled_from(["supports", "attacks"])),
                "text": draw(titles),
                "status": draw(st.sampled_from(["draft", "in review", "approved", "challenged"])),
                "status_by": "rev",
                "status_at": AT,
                "evidence": [
                    {"evidence": e["uuid"], "linked_at": AT, "linked_by": "x"} for e in evidence[:1]
                ],
            }
        )
    comments = [
        {
            "uuid": _uuid(counter),
            "target_kind": "question",
            "body": draw(titles),
            "author": draw(names),
            "created_at": AT,
        }
        for _ in range(draw(st.integers(0, 2)))
    ]
    history = [
        {
            "version": n + 1,
            "action": "added"
            if n == 0
            else draw(st.sampled_from(["edited", "removed", "restored"])),
            "at": _stamp(n),
            "by": draw(names),
            "state": {"title": draw(titles), "tags": [], "version": n + 1},
        }
        for n in range(draw(st.integers(0, 3)))
    ]
    removed = {"removed_at": AT, "removed_by": draw(names)} if draw(st.booleans()) else {}
    return {
        **base,
        **removed,
        "history": history,
        "uuid": _uuid(counter),
        "title": draw(titles),
        "description": draw(texts),
        "criteria": draw(texts),
        "kind": kind,
        "tags": sorted(set(draw(st.lists(st.text("abcxyz", min_size=1, max_size=5), max_size=3)))),
        "outcomes": [
            {"name": name, "prior": p / sum(priors)}
            for name, p in zip(outcome_names, priors, strict=True)
        ],
        "forecasts": forecasts,
        "evidence": evidence,
        "tree": nodes,
        "comments": comments,
    }


def _cdf(power: float, lower: float, upper: float) -> list[float]:
    """A valid CDF on the 201-point grid: lower tail mass, a power curve, upper tail mass."""
    inner = [(i / 200) ** power for i in range(201)]
    return [round(lower + (1 - lower - upper) * v, 6) for v in inner]


@st.composite
def numeric_questions(draw: st.DrawFn, counter: Iterator[int]) -> dict[str, Any]:
    """A numeric or date question with distribution forecasts, evidence of every form, and
    perhaps a resolution."""
    base = {"created_at": AT, "created_by": draw(names), "updated_at": AT, "updated_by": "x"}
    kind = draw(st.sampled_from(["numeric", "date"]))
    lo = draw(st.floats(1.0, 1e4, allow_nan=False))
    hi = lo + draw(st.floats(1.0, 1e5, allow_nan=False))
    open_lower, open_upper = draw(st.booleans()), draw(st.booleans())
    log = kind == "numeric" and draw(st.booleans())
    inside = st.floats(lo, hi, allow_nan=False)
    evidence = []
    for _ in range(draw(st.integers(0, 4))):
        form = draw(st.sampled_from(["above", "below", "between", "measured"]))
        a = draw(inside)
        numeric: dict[str, Any] = {"form": form, "a": a}
        lr = draw(ratios)
        if form == "between":
            numeric["b"] = a + (hi - a) / 2 + 0.5
            if numeric["b"] > hi:
                numeric = {"form": "above", "a": a}
        if form == "measured":
            numeric["sd"] = draw(st.floats(0.1, 1e4, allow_nan=False))
            lr = 1.0
        item: dict[str, Any] = {
            **base,
            "uuid": _uuid(counter),
            "text": draw(titles),
            "credibility": draw(st.floats(0, 1)),
            "likelihoods": [lr, 1.0],
            "numeric": numeric,
        }
        if form != "measured" and draw(st.booleans()):
            item["range_low"], item["range_high"] = [lr / 2, 1.0], [lr * 2, 1.0]
        evidence.append(item)
    forecasts = [
        {
            "forecaster": draw(names),
            "made_at": _stamp(n),
            "cdf": _cdf(power, 0.05 if open_lower else 0.0, 0.05 if open_upper else 0.0),
            "typed": draw(texts),
            "method": draw(st.sampled_from(["quantiles", "normal", "lognormal"])),
            "rationale": draw(texts),
            "recorded_at": AT,
        }
        for n, power in enumerate(draw(st.lists(st.sampled_from([0.5, 1.0, 2.0]), max_size=3)))
    ]
    data: dict[str, Any] = {
        **base,
        "uuid": _uuid(counter),
        "title": draw(titles),
        "kind": kind,
        "numeric": {
            "lo": lo,
            "hi": hi,
            "unit": "" if kind == "date" else draw(st.sampled_from(["", "people", "kg"])),
            "log": log,
            "open_lower": open_lower,
            "open_upper": open_upper,
            "prior": draw(st.sampled_from(["uniform", "team"])),
        },
        "forecasts": forecasts,
        "evidence": evidence,
    }
    if draw(st.booleans()):
        value = draw(inside)
        data |= {"status": "resolved", "resolved_at": AT, "resolved_value": value}
        data["resolutions"] = [
            {
                "action": "resolved",
                "resolved_at": AT,
                "recorded_at": AT,
                "recorded_by": "x",
                "value": value,
            }
        ]
    return data


@st.composite
def bundles(draw: st.DrawFn) -> dict[str, Any]:
    counter = itertools.count(1)
    qs = [draw(questions(counter)) for _ in range(draw(st.integers(1, 3)))]
    numeric = [draw(numeric_questions(counter)) for _ in range(draw(st.integers(0, 2)))]
    version = 3 if numeric else draw(st.sampled_from([1, 2, 3]))
    return {"format": "forecastle-bundle", "schema_version": version, "questions": qs + numeric}
