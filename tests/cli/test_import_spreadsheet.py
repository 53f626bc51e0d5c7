"""``import forecasts``: a spreadsheet's own columns (--map), 70%, --dayfirst / --date-format,
sniffed delimiters, unknown columns warned (--strict refuses), closes_at and rationale,
--dry-run and --json; and ``import history FORMAT FILE``."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Cli, dump

FATEBOOK = (
    Path(__file__).parents[1] / "forecast" / "exchange" / "history" / "fixtures" / "fatebook.csv"
)

SHEET = (
    "Question title;Who;Forecast;When;Notes\n"
    "Will the bridge open?;ann;70%;31/01/2024;looks on track\n"
    "Will the bridge open?;bob;0.4;3/2/2024 14:30;\n"
)


def test_a_spreadsheet_maps_onto_the_fields(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text(SHEET)
    result = cli(
        "import", "forecasts", str(path), "--format", "spreadsheet",
        "--map", "question=Question title", "--map", "forecaster=Who",
        "--map", "probability=Forecast", "--map", "made_at=When",
        "--map", "rationale=Notes", "--dayfirst", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["forecasts_added"] == 2 and summary["warnings"] == []
    with cli.open() as db:
        rows = db.execute(
            "select forecaster, made_at, p, rationale from forecasts order by id"
        ).fetchall()
    assert rows == [
        ("ann", "2024-01-31T00:00:00Z", 0.7, "looks on track"),
        ("bob", "2024-02-03T14:30:00Z", 0.4, ""),
    ]


def test_unused_columns_warn_and_strict_refuses(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text(
        "question,forecaster,probability,made_at,closes_at,rationale,colour\n"
        "Will it rain?,ann,0.2,2024-01-01,2024-02-01,dry spell,blue\n"
    )
    refused = cli("import", "forecasts", str(path), "--strict")
    assert refused.exit_code == 1
    assert "f.csv:1: columns not used: colour" in refused.stderr
    with cli.open() as db:
        assert db.execute("select count(*) from forecasts").fetchone()[0] == 0
    result = cli("import", "forecasts", str(path))
    assert result.exit_code == 0 and "warning: " in result.stderr and "colour" in result.stderr
    with cli.open() as db:
        assert db.execute("select closes_at from questions").fetchone()[0] == "2024-02-01T00:00:00Z"
        assert db.execute("select rationale from forecasts").fetchone()[0] == "dry spell"


def test_date_format_and_mixed_dates(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text(
        "question,forecaster,probability,made_at\nQ?,ann,0.2,05.03.2024\nQ?,ann,0.3,2024-03-06\n"
    )
    result = cli("import", "forecasts", str(path), "--date-format", "%d.%m.%Y")
    assert result.exit_code == 1
    assert "d.csv:3: made_at: '2024-03-06': not a date in the format %d.%m.%Y" in result.stderr
    slash = tmp_path / "s.csv"
    slash.write_text("question,forecaster,probability,made_at\nQ?,ann,0.2,3/5/2024\n")
    result = cli("import", "forecasts", str(slash))
    assert result.exit_code == 1 and "--dayfirst" in result.stderr


def test_dry_run_changes_nothing(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("question,forecaster,probability,made_at\nWill it rain?,ann,20%,2024-01-01\n")
    with cli.open() as db:
        before = dump(db)
    result = cli("import", "forecasts", str(path), "--dry-run")
    assert result.exit_code == 0 and "dry run" in result.stdout
    with cli.open() as db:
        assert dump(db) == before


def test_import_history_verb_and_format_option_agree(cli: Cli) -> None:
    first = json.loads(cli.ok("import", "history", "fatebook", str(FATEBOOK), "--json"))
    assert len(first["questions_created"]) == 4
    again = json.loads(
        cli.ok("import", "forecasts", str(FATEBOOK), "--format", "fatebook", "--json")
    )
    assert again["forecasts_added"] == 0 and again["questions_present"] == 4
    text = cli.ok("import", "history", "fatebook", str(FATEBOOK), "--dry-run")
    assert "would add 0 questions" in text


def test_bad_format_is_a_usage_error(cli: Cli) -> None:
    result = cli("import", "history", "gjopen", str(FATEBOOK))
    assert result.exit_code == 2
