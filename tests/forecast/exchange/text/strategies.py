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
    return {
        **base,
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


@st.composite
def bundles(draw: st.DrawFn) -> dict[str, Any]:
    counter = itertools.count(1)
    qs = [draw(questions(counter)) for _ in range(draw(st.integers(1, 3)))]
    return {"format": "forecastle-bundle", "schema_version": 1, "questions": qs}
