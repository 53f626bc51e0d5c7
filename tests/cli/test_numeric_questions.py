"""The CLI of numeric and date questions: add, forecast (quantiles, normal, lognormal), resolve,
show --json; refusals are one line and change nothing."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Cli, dump


def test_numeric_question_forecasts_and_show_json(cli: Cli) -> None:
    assert (
        cli.ok(
            "question",
            "add",
            "Protesters killed",
            "--numeric",
            "0",
            "2000",
            "--unit",
            "people",
            "--open-upper",
        )
        == "Q1"
    )
    cli.ok("forecast", "Q1", "--quantiles", "0.05:100,0.5:400,0.95:1500", "--by", "ana")
    cli.ok("forecast", "Q1", "--normal", "500", "100", "--by", "bob")
    cli.ok("forecast", "Q1", "--lognormal", "300", "1200", "--by", "cy")
    data = json.loads(cli.ok("question", "show", "Q1", "--json"))
    assert data["kind"] == "numeric"
    assert data["range"] == {
        "lo": 0.0,
        "hi": 2000.0,
        "unit": "people",
        "log": False,
        "open_lower": False,
        "open_upper": True,
        "prior": "uniform",
    }
    by = {f["forecaster"]: f for f in data["forecasts"]}
    assert by["ana"]["median"] == pytest.approx(400, rel=1e-3)
    assert by["ana"]["interval_90"] == pytest.approx([100, 1500], rel=1e-3)
    assert by["bob"]["interval_50"] == pytest.approx([500 - 67.449, 500 + 67.449], rel=1e-3)
    assert by["cy"]["median"] == pytest.approx(300, rel=1e-3)
    assert by["ana"]["typed"] == "0.05:100,0.5:400,0.95:1500"
    assert data["aggregate"]["forecasters"] == 3
    assert {"linear_pool", "quantile_average"} <= set(data["aggregate"])
    assert cli.ok("resolve", "Q1", "742").startswith("Q1: resolved 742 people")
    data = json.loads(cli.ok("question", "show", "Q1", "--json"))
    assert data["resolution"]["value"] == 742.0
    assert "team linear pool" in cli.ok("question", "show", "Q1")


def test_date_question(cli: Cli) -> None:
    cli.ok("question", "add", "Troops leave", "--date", "2020-01-01", "2023-12-31")
    out = json.loads(
        cli.ok(
            "forecast",
            "Q1",
            "--quantiles",
            "0.1:2020-06-01,0.5:2021-12-31,0.9:2023-01-01",
            "--json",
        )
    )
    assert out["median"] == "2021-12-31"
    cli.ok("resolve", "Q1", "2021-12-09")
    data = json.loads(cli.ok("question", "show", "Q1", "--json"))
    assert data["resolution"]["value"] == "2021-12-09"
    assert data["range"]["lo"] == "2020-01-01"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--quantiles", "0.5:400,0.4:500"], "probabilities must increase"),
        (["--quantiles", "0.05:-5,0.5:400"], "below the closed lower bound"),
        (["--quantiles", "0.05:5,0.5:4000"], "above the closed upper bound"),
        (["--quantiles", "1.5:5,0.5:400"], "outside (0, 1)"),
        (["--quantiles", "0.1:400,0.5:400"], "values must increase"),
        (["--quantiles", "0.1:abc,0.5:400"], "'abc' is not a number"),
        (["--quantiles", "0.1"], "is not P:VALUE"),
        (["--normal", "5", "0"], "SD 0 is not allowed"),
        (["--lognormal", "300", "200"], "need 0 < MEDIAN < P95"),
        (["0.7"], "is a numeric question; it takes --quantiles"),
    ],
)
def test_bad_forecasts_are_refused_in_one_line(cli: Cli, args: list[str], message: str) -> None:
    cli.ok("question", "add", "N", "--numeric", "0", "2000")
    before = dump(cli.open())
    result = cli("forecast", "Q1", *args)
    assert result.exit_code != 0
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert dump(cli.open()) == before


def test_bad_questions_and_resolutions_are_refused(cli: Cli) -> None:
    result = cli("question", "add", "N", "--numeric", "5", "1")
    assert result.exit_code == 1 and "LO must be below HI" in result.stderr
    result = cli("question", "add", "N", "--numeric", "0", "10", "--log")
    assert result.exit_code == 1 and "--log needs LO > 0" in result.stderr
    result = cli("question", "add", "N", "--date", "2020-01-01", "someday")
    assert result.exit_code == 1 and "not an ISO date" in result.stderr
    cli.ok("question", "add", "N", "--numeric", "0", "10")
    result = cli("resolve", "Q1", "11")
    assert result.exit_code == 1 and "above the closed upper bound" in result.stderr
    result = cli("forecast", "Q1", "--quantiles", "0.1:1,0.9:5", "--by", "a", "--at", "2026-01-01")
    assert result.exit_code == 0
    result = cli("forecast", "Q1", "--quantiles", "0.1:2,0.9:5", "--by", "a", "--at", "2026-01-01")
    assert result.exit_code == 1 and "append-only" in result.stderr


def test_numeric_questions_do_not_disturb_categorical_views(cli: Cli) -> None:
    cli.ok("question", "add", "Binary?")
    cli.ok("forecast", "Q1", "0.7")
    cli.ok("question", "add", "N", "--numeric", "1", "1000", "--log")
    cli.ok("forecast", "Q2", "--quantiles", "0.1:10,0.9:100")
    listed = json.loads(cli.ok("question", "list", "--json"))
    assert [q["kind"] for q in listed] == ["binary", "numeric"]
    assert json.loads(cli.ok("question", "show", "Q1", "--json"))["id"] == "Q1"


def test_widened_kind_check_keeps_the_file_sound(cli: Cli) -> None:
    cli.ok("question", "add", "N", "--numeric", "0", "10")
    db = cli.open()
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    sql = db.execute("select sql from sqlite_master where name = 'questions'").fetchone()[0]
    assert "'numeric', 'date'" in sql
    import sqlite3

    with pytest.raises(sqlite3.IntegrityError):
        db.execute("update questions set kind = 'other' where id = 1")


def test_show_scores_standing_forecasts_of_a_resolved_question(cli: Cli) -> None:
    """A normal N(5, 1) scored at its mean, worked by hand: CRPS = sd (2 phi(0) - 1/sqrt(pi))
    = 0.79788 - 0.56419 = 0.23369; log score = ln phi(0) = -0.91894; PIT = 0.5, inside both
    intervals. A forecast made after close is not the standing one."""
    cli.ok("question", "add", "Depth", "--numeric", "0", "20", "--unit", "m")
    cli.ok("question", "edit", "Q1", "--closes", "2026-06-01", "--criteria", "Gauge at noon")
    cli.ok("forecast", "Q1", "--normal", "5", "1", "--by", "ana", "--at", "2026-01-01")
    cli.ok("forecast", "Q1", "--normal", "9", "1", "--by", "ana", "--at", "2026-07-01")
    cli.ok("evidence", "add", "Q1", "Rain all week", "--above", "4", "--lr", "3")
    cli.ok("resolve", "Q1", "5", "--at", "2026-07-02")
    data = json.loads(cli.ok("question", "show", "Q1", "--json"))
    assert data["criteria"] == "Gauge at noon"
    assert [e["form"] for e in data["evidence"]] == ["above 4 m ×3"]
    (score,) = data["scores"]
    assert score["forecaster"] == "ana" and score["made_at"].startswith("2026-01-01")
    assert score["crps"] == pytest.approx(0.23369, abs=2e-3)
    assert score["crps_scaled"] == pytest.approx(0.23369 / 20, abs=1e-4)
    assert score["log_score"] == pytest.approx(-0.91894, abs=2e-3)
    assert score["pit"] == pytest.approx(0.5, abs=1e-3)
    assert score["in_50"] and score["in_90"]
    text = cli.ok("question", "show", "Q1")
    assert "resolves: Gauge at noon" in text and "E1" in text and "in 50%" in text
