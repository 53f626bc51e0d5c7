"""The plain-text workspace: stable bytes, exact round trips, one line per LR change, and hand
edits with mistakes refused by file, line and column with nothing changed."""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from forecast.exchange.bundle_export import build_bundle, bundle_json
from forecast.exchange.bundle_import import merge_bundle, read_bundle
from forecast.exchange.text.directory import directory_files, export_text, import_text
from forecast.exchange.text.layout import bundle_files, read_files
from forecast.workspace import open_workspace
from questions.errors import InvalidInput
from tests.conftest import dump
from tests.forecast.exchange.test_bundle import populate

from .strategies import bundles


@pytest.fixture
def full(tmp_path: Path) -> Path:
    path = tmp_path / "full.db"
    with open_workspace(path) as db:
        populate(db)
    return path


def _files(path: Path) -> dict[str, str]:
    with open_workspace(path) as db:
        return bundle_files(build_bundle(db))


def _export(path: Path, directory: Path) -> dict[str, bytes]:
    with open_workspace(path) as db:
        export_text(db, directory)
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def test_round_trip_is_byte_identical(full: Path, tmp_path: Path) -> None:
    first = _export(full, tmp_path / "a")
    with open_workspace(tmp_path / "empty.db") as db:
        report = import_text(db, tmp_path / "a")
    assert (
        report.added["questions"] == 2 and report.added["forecasts"] == 4 and not report.conflicts
    )
    assert _export(tmp_path / "empty.db", tmp_path / "b") == first
    with open_workspace(full) as a, open_workspace(tmp_path / "empty.db") as b:
        assert bundle_json(build_bundle(a)) == bundle_json(build_bundle(b))


def test_the_text_carries_what_the_bundle_carries(full: Path) -> None:
    with open_workspace(full) as db:
        bundle = build_bundle(db)
    assert read_files(bundle_files(bundle), "dir") == bundle


def test_round_trip_on_the_demo(tmp_path: Path) -> None:
    from forecast.demo import build_demo

    build_demo(tmp_path / "demo.db")
    first = _export(tmp_path / "demo.db", tmp_path / "a")
    with open_workspace(tmp_path / "copy.db") as db:
        import_text(db, tmp_path / "a")
    assert _export(tmp_path / "copy.db", tmp_path / "b") == first


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=bundles())
def test_round_trip_over_generated_workspaces(data: dict[str, object]) -> None:
    bundle = read_bundle(json.dumps(data), "generated")
    with open_workspace(":memory:") as db:
        merge_bundle(db, bundle)
        files = bundle_files(build_bundle(db))
    with open_workspace(":memory:") as db:
        merge_bundle(db, read_files(files, "dir"))
        assert bundle_files(build_bundle(db)) == files


def test_same_content_same_bytes_and_one_lr_change_is_one_line(full: Path) -> None:
    before = _files(full)
    assert _files(full) == before
    path = next(p for p, text in before.items() if "Cracks reported" in text)
    edited = before[path].replace("likelihoods = [2.0, 1.0]", "likelihoods = [3.0, 1.0]", 1)
    changed = [
        line
        for line in difflib.unified_diff(before[path].splitlines(), edited.splitlines(), n=0)
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert changed == ["-likelihoods = [2.0, 1.0]", "+likelihoods = [3.0, 1.0]"]
    question = read_files({**before, path: edited}, "dir").questions
    item = next(e for q in question for e in q.evidence if e.text == "Cracks reported")
    assert item.likelihoods == [3.0, 1.0]


def test_forecasts_are_an_append_only_csv_oldest_first(full: Path) -> None:
    files = _files(full)
    csv = next(text for path, text in files.items() if path.endswith(".forecasts.csv"))
    lines = csv.splitlines()
    assert (
        lines[0]
        == "forecaster,made_at,probs,rationale,adopted_model,took_recalibration,recorded_at,origin"
    )
    assert [line.split(",")[1] for line in lines[1:]] == sorted(
        line.split(",")[1] for line in lines[1:]
    )


def _refused(full: Path, tmp_path: Path, edit, expected: str) -> None:  # type: ignore[no-untyped-def]
    directory = tmp_path / "t"
    _export(full, directory)
    target = edit(directory)
    with open_workspace(tmp_path / "w.db") as db:
        populate(db)
        before = dump(db)
        with pytest.raises(InvalidInput) as caught:
            import_text(db, directory)
        assert dump(db) == before
    message = str(caught.value)
    assert message.startswith(f"{directory}/{target}"), message
    assert expected in message, message
    assert "\n" not in message


def _question_with(directory: Path, text: str) -> Path:
    return next(p for p in (directory / "questions").glob("*.toml") if text in p.read_text())


def _replace(path: Path, old: str, new: str) -> None:
    content = path.read_text()
    assert old in content
    path.write_text(content.replace(old, new, 1))


def test_a_negative_lr_is_named_by_line_and_column(full: Path, tmp_path: Path) -> None:
    def edit(directory: Path) -> str:
        path = _question_with(directory, "Cracks reported")
        lines = path.read_text().splitlines()
        line = next(i for i, text in enumerate(lines, 1) if text == "likelihoods = [2.0, 1.0]")
        _replace(path, "likelihoods = [2.0, 1.0]", "likelihoods = [-2.0, 1.0]")
        return f"{path.relative_to(directory)}:{line}:15: evidence["

    _refused(
        full, tmp_path, edit, "].likelihoods[0]: -2.0: Input should be greater than or equal to 0"
    )


def test_a_rule_across_fields_is_named_where_it_breaks(full: Path, tmp_path: Path) -> None:
    def edit(directory: Path) -> str:
        path = _question_with(directory, "Cracks reported")
        _replace(path, "likelihoods = [0.5, 1.0]", "likelihoods = [2.0, 1.0, 3.0]")
        line = next(
            i
            for i, text in enumerate(path.read_text().splitlines(), 1)
            if text.startswith("likelihoods = [2.0, 1.0, 3.0]")
        )
        return f"{path.relative_to(directory)}:{line}:15: evidence["

    _refused(full, tmp_path, edit, "].likelihoods: [2.0, 1.0, 3.0]: one per outcome (2)")


def test_broken_toml_is_named_by_line_and_column(full: Path, tmp_path: Path) -> None:
    def edit(directory: Path) -> str:
        path = _question_with(directory, "Cracks reported")
        _replace(path, 'kind = "binary"', 'kind = "binary')
        return f"{path.relative_to(directory)}:"

    _refused(full, tmp_path, edit, "not valid TOML")


def test_a_bad_forecast_cell_is_named_in_the_csv(full: Path, tmp_path: Path) -> None:
    def edit(directory: Path) -> str:
        path = next(
            p
            for p in (directory / "questions").glob("*.forecasts.csv")
            if "[0.4, 0.6]" in p.read_text()
        )
        _replace(path, '"[0.4, 0.6]"', '"[0.4, 0.7]"')
        return f"{path.relative_to(directory)}:2:"

    _refused(full, tmp_path, edit, "probabilities that sum to 1")


def test_an_unknown_outcome_in_a_resolution_is_refused(full: Path, tmp_path: Path) -> None:
    def edit(directory: Path) -> str:
        path = _question_with(directory, "Who wins the vote?")
        _replace(path, 'resolved_outcome = "Left"', 'resolved_outcome = "Nobody"')
        return f"{path.relative_to(directory)}:"

    _refused(full, tmp_path, edit, "'Nobody' is not one of the outcomes")


def test_a_file_renamed_away_from_its_uuid_is_refused(full: Path, tmp_path: Path) -> None:
    def edit(directory: Path) -> str:
        path = _question_with(directory, "Who wins the vote?")
        path.rename(directory / "questions" / "00000000-0000-4000-8000-000000000000.toml")
        return "questions/00000000-0000-4000-8000-000000000000.toml:1:8: uuid:"

    _refused(full, tmp_path, edit, "the file's name must be its uuid")


def test_importing_twice_changes_nothing(full: Path, tmp_path: Path) -> None:
    _export(full, tmp_path / "t")
    with open_workspace(full) as db:
        before = dump(db)
        report = import_text(db, tmp_path / "t")
        assert not report.changed and dump(db) == before


def test_a_hand_edit_merges_as_a_newer_version(full: Path, tmp_path: Path) -> None:
    _export(full, tmp_path / "t")
    path = _question_with(tmp_path / "t", "Cracks reported")
    text = path.read_text()
    start = text.index('text = "Cracks reported"')
    block = text[start:]
    found = re.search(
        r"^version = (\d+)$", block, re.M
    )  # the item's own version (a challenge bumps it)
    assert found is not None
    version = int(found.group(1))
    block = block.replace("likelihoods = [2.0, 1.0]", "likelihoods = [2.5, 1.0]", 1).replace(
        f"version = {version}", f"version = {version + 1}", 1
    )
    path.write_text(text[:start] + block)
    with open_workspace(full) as db:
        report = import_text(db, tmp_path / "t")
        assert any(f"to version {version + 1}" in line for line in report.updated), report.lines()
        (lr,) = db.execute(
            "select likelihoods from evidence where text = 'Cracks reported'"
        ).fetchone()
        assert json.loads(lr)[0] == 2.5


def test_cli_export_and_import_text(full: Path, tmp_path: Path) -> None:
    from tests.conftest import Cli

    out = tmp_path / "t"
    result = Cli(full)("export", "text", str(out))
    assert result.exit_code == 0, result.stderr
    assert tomllib.loads((out / "forecastle.toml").read_text())["format"] == "forecastle-bundle"
    empty = Cli(tmp_path / "e.db")
    assert '"questions": 2' in empty.ok("import", "text", str(out), "--json")
    assert directory_files(out) == {k: v for k, v in _files(tmp_path / "e.db").items()}
    bad = empty("import", "text", str(tmp_path / "nowhere"))
    assert bad.exit_code == 1 and "not a forecastle text directory" in bad.stderr


def test_export_of_some_questions(full: Path, tmp_path: Path) -> None:
    with open_workspace(full) as db:
        export_text(db, tmp_path / "t", ["Q2"])
    files = directory_files(tmp_path / "t")
    assert sum(path.endswith(".toml") and path.startswith("questions/") for path in files) == 1
