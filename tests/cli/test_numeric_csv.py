"""Numeric forecasts from CSV: qNN columns, value resolves; all rows or none; twice adds nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli, dump


def test_import_numeric_forecasts(cli: Cli, tmp_path: Path) -> None:
    cli.ok("question", "add", "Turnout", "--numeric", "15", "65", "--unit", "%")
    cli.ok("question", "add", "End", "--date", "2021-01-01", "2022-12-31")
    path = tmp_path / "numeric.csv"
    path.write_text(
        "question,forecaster,made_at,q05,q50,q95,value\n"
        "Q1,ana,2021-09-01,30,40,50,41\n"
        "Q1,bob,2021-09-02,35,,45,41\n"
        "Q2,ana,2021-06-01,2021-03-01,2021-09-01,2022-06-01,2021-12-09\n"
    )
    out = json.loads(cli.ok("import", "forecasts", str(path), "--json"))
    assert out["forecasts_added"] == 3 and out["resolutions_set"] == 2
    shown = json.loads(cli.ok("question", "show", "Q1", "--json"))
    by = {f["forecaster"]: f for f in shown["forecasts"]}
    assert by["ana"]["median"] == pytest.approx(40, rel=1e-3)
    assert by["bob"]["typed"] == "0.05:35,0.95:45"
    assert shown["resolution"]["value"] == 41
    assert json.loads(cli.ok("question", "show", "Q2", "--json"))["resolution"]["value"] == (
        "2021-12-09"
    )
    again = json.loads(cli.ok("import", "forecasts", str(path), "--json"))
    assert again["forecasts_added"] == 0 and again["forecasts_skipped"] == 3


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("Q1,ana,2021-09-01,50,40,60,", "numeric.csv:3: quantiles"),
        ("Q1,ana,2021-09-01,30,40,70,", "numeric.csv:3: quantiles"),
        ("Q1,ana,someday,30,40,50,", "numeric.csv:3: made_at: 'someday'"),
        ("Q9,ana,2021-09-01,30,40,50,", "numeric.csv:3: question: 'Q9'"),
        ("Q1,ana,2021-09-01,30,40,50,99", "numeric.csv:3: value: '99'"),
        ("Q1,ana,2021-09-01,30,abc,50,", "numeric.csv:3: q50: 'abc'"),
    ],
)
def test_bad_rows_reject_the_file(cli: Cli, tmp_path: Path, row: str, message: str) -> None:
    cli.ok("question", "add", "Turnout", "--numeric", "15", "65")
    path = tmp_path / "numeric.csv"
    path.write_text(
        f"question,forecaster,made_at,q05,q50,q95,value\nQ1,bob,2021-09-01,30,40,50,\n{row}\n"
    )
    before = dump(cli.open())
    result = cli("import", "forecasts", str(path))
    assert result.exit_code == 1
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert dump(cli.open()) == before
