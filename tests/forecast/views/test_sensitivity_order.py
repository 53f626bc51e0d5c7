"""Sensitivity lists items by their influence if removed, ACH by diagnosticity — not by the swing
of an LR range, which is 0 for an item without one. The CLI and the views agree."""

from __future__ import annotations

import json

import pytest
from sqlite_utils import Database

from forecast.engine.model import question_model
from forecast.views.ach import ach_matrix
from forecast.views.sensitivity import flip_text, sensitivity_rows, weight_label
from tests.conftest import Cli


def test_an_item_without_a_range_but_large_influence_comes_first(cli: Cli) -> None:
    """Prior 0.5. E1: LR 1.2 (range 1–1.5): swing > 0, but removing it moves P(Yes) little.
    E2: LR 10, no range: swing 0, but without it P(Yes) = 1.2 / 2.2 = 0.545 instead of
    12 / 13 = 0.923 — Δ = +0.378. E1's Δ: 0.923 − 10 / 11 = +0.014."""
    cli.ok("question", "add", "Will it hold?", "--prior", "0.5")
    cli.ok("evidence", "add", "Q1", "small", "--lr", "1.2", "--range", "1", "1.5")
    cli.ok("evidence", "add", "Q1", "big", "--lr", "10")
    with cli.open() as db:
        model = question_model(db, "Q1")
        rows = sensitivity_rows(model)
        assert [model.evidence[r.row].short_id for r in rows] == ["E2", "E1"]
        assert rows[0].swing == 0 and rows[1].swing > 0
        assert rows[0].effect == pytest.approx(12 / 13 - 1.2 / 2.2, abs=1e-9)
        assert rows[1].effect == pytest.approx(12 / 13 - 10 / 11, abs=1e-9)
        assert weight_label(model.question, model.analysis) == "dB(Yes)"
        # P(Yes) = 12/13 leads; LR (1/13) / (12/13) = 1/12 for Yes over No brings it to 1/2
        assert flip_text(model.question, model.analysis) == "LR 0.0833 for Yes over No"
    shown = json.loads(cli.ok("question", "show", "Q1", "--json"))
    assert [s["id"] for s in shown["sensitivity"]] == ["E2", "E1"]
    assert shown["weight_db_outcome"] == "Yes" and shown["flip_outcomes"] == ["Yes", "No"]
    text = cli.ok("question", "show", "Q1")
    assert "rests most on (Δ if removed): E2 +37.8%, E1 +1.4%" in text
    assert "dB(Yes)" in text


def test_ach_rows_come_most_diagnostic_first(cli: Cli) -> None:
    """E1 (0.5, 0.5, 0.5) tells nothing apart: diagnosticity 0. E2 (0.1, 0.9, 0.5):
    10 log10(9) = 9.54 dB. E3 (0.4, 0.6, 0.5): 10 log10(1.5) = 1.76 dB."""
    cli.ok("question", "add", "State?", "--outcome", "a", "--outcome", "b", "--outcome", "c")
    for text, values in (
        ("flat", "0.5,0.5,0.5"),
        ("sharp", "0.1,0.9,0.5"),
        ("mild", "0.4,0.6,0.5"),
    ):
        cli.ok("evidence", "add", "Q1", text, "--likelihoods", values)
    with cli.open() as db:
        rows = ach_matrix(Database(db.conn), "Q1")["evidence"]
    assert [r["id"] for r in rows] == ["E2", "E3", "E1"]
    assert [round(r["diagnosticity"], 2) for r in rows] == [9.54, 1.76, 0.0]
    printed = json.loads(cli.ok("ach", "Q1", "--json"))
    assert [r["id"] for r in printed["evidence"]] == ["E2", "E3", "E1"]
