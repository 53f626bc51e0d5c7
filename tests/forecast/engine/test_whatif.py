"""``whatif``: hypothetical resolutions followed through conditions and indicators, worked by hand;
the workspace file is byte-for-byte unchanged."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Cli


def _chain(cli: Cli) -> None:
    for title in ("Attack", "US withdraws", "Others leave"):
        cli.ok("question", "add", title)
    cli.ok("question", "add", "State", "--outcome", "D", "--outcome", "I", "--outcome", "R")
    cli.ok("condition", "Q2", "--on", "Q1")
    cli.ok("condition", "Q3", "--on", "Q2")
    cli.ok("indicator", "add", "Q4", "Q1", "--likelihoods", "0.1,0.3,0.6")
    at = ("--by", "ann", "--at", "2020-01-01")
    cli.ok("forecast", "Q1", "0.3", *at)
    cli.ok("forecast", "Q2", "0.6", "--given", "Q1=Yes", *at)
    cli.ok("forecast", "Q2", "0.1", "--given", "Q1=No", *at)
    cli.ok("forecast", "Q3", "0.9", "--given", "Q2=Yes", *at)
    cli.ok("forecast", "Q3", "0.2", "--given", "Q2=No", *at)


def test_whatif_follows_the_chain_and_writes_nothing(cli: Cli) -> None:
    _chain(cli)
    before = cli.path.read_bytes()
    result = json.loads(cli.ok("whatif", "Q1=Yes", "--json"))
    assert cli.path.read_bytes() == before
    rows = {r["id"]: r for r in result["questions"]}
    assert set(rows) == {"Q1", "Q2", "Q3", "Q4"}
    assert rows["Q1"]["hypothetical"] == "Yes"
    assert rows["Q1"]["model"]["after"] == [1.0, 0.0]
    # Q2: 0.3 * 0.6 + 0.7 * 0.1 = 0.25 before, 0.6 after
    assert rows["Q2"]["forecasters"]["ann"]["before"] == pytest.approx([0.25, 0.75])
    assert rows["Q2"]["forecasters"]["ann"]["after"] == pytest.approx([0.6, 0.4])
    # with Q1's model posterior (0.5): 0.5 * 0.6 + 0.5 * 0.1 = 0.35
    assert rows["Q2"]["model_implied"]["ann"]["Q1"]["before"] == pytest.approx([0.35, 0.65])
    # Q3, transitively: 0.25 * 0.9 + 0.75 * 0.2 = 0.375 before; 0.6 * 0.9 + 0.4 * 0.2 = 0.62 after
    assert rows["Q3"]["forecasters"]["ann"]["before"] == pytest.approx([0.375, 0.625])
    assert rows["Q3"]["forecasters"]["ann"]["after"] == pytest.approx([0.62, 0.38])
    # Q4 gains the indicator's item (0.1, 0.3, 0.6) on a uniform prior
    assert rows["Q4"]["model"]["after"] == pytest.approx([0.1, 0.3, 0.6])
    text = cli.ok("whatif", "Q1=Yes", "Q4=R")
    assert "hypothetical; nothing is written" in text and "[hypothetically R]" in text
    assert cli.path.read_bytes() == before


def test_whatif_on_a_hypothesis_moves_its_indicators(cli: Cli) -> None:
    _chain(cli)
    rows = {r["id"]: r for r in json.loads(cli.ok("whatif", "Q4=R", "--json"))["questions"]}
    assert rows["Q1"]["implied_by_model"]["Q4"]["before"] == pytest.approx(1.0 / 3)
    assert rows["Q1"]["implied_by_model"]["Q4"]["after"] == pytest.approx(0.6)


def test_whatif_matches_a_real_resolution(cli: Cli) -> None:
    _chain(cli)
    rows = {r["id"]: r for r in json.loads(cli.ok("whatif", "Q1=No", "--json"))["questions"]}
    cli.ok("resolve", "Q1", "No")
    shown = json.loads(cli.ok("question", "show", "Q4", "--json"))
    assert [o["posterior"] for o in shown["outcomes"]] == pytest.approx(
        rows["Q4"]["model"]["after"]
    )


def test_whatif_bad_input(cli: Cli) -> None:
    _chain(cli)
    cli.ok("resolve", "Q3", "yes")
    before = cli.path.read_bytes()
    for args, message in (
        (("whatif", "Q1=Maybe"), "whatif: 'Maybe' is not an outcome of Q1"),
        (("whatif", "Q1"), "is not QUESTION=OUTCOME"),
        (("whatif", "Q3=No"), "Q3 is already resolved"),
        (("whatif", "Q1=Yes", "Q1=No"), "Q1 is given twice"),
        (("whatif", "Q99=Yes"), "no such question"),
    ):
        result = cli(*args)
        assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.stderr
        assert message in result.stderr
    assert cli.path.read_bytes() == before
