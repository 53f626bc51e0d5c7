"""The text workspace and `forecastle diff` with numeric and date questions: exact bytes, the
CDF in the forecasts CSV, hand-edit mistakes named by file, line and column, numeric changes in
the diff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from forecast.diff.compare import compare_files
from forecast.diff.render import as_text
from forecast.exchange.text.directory import directory_files, export_text, import_text
from forecast.workspace import open_workspace
from questions.errors import InvalidInput
from tests.conftest import dump
from tests.forecast.exchange.test_bundle_numeric import build_mixed, shown


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    return build_mixed(tmp_path / "mixed.db")


def _export(path: Path, directory: Path) -> dict[str, str]:
    with open_workspace(path) as db:
        export_text(db, directory)
    return directory_files(directory)


def _question_file(files: dict[str, str], title: str) -> str:
    return next(p for p, t in files.items() if p.endswith(".toml") and f'"{title}"' in t)


def test_round_trip_gives_the_same_bytes_and_the_same_models(mixed: Path, tmp_path: Path) -> None:
    first = _export(mixed, tmp_path / "a")
    with open_workspace(tmp_path / "copy.db") as db:
        report = import_text(db, tmp_path / "a")
    assert report.added["questions"] == 4 and not report.conflicts
    assert _export(tmp_path / "copy.db", tmp_path / "b") == first
    assert _export(mixed, tmp_path / "c") == first  # same content, same bytes
    assert shown(tmp_path / "copy.db") == shown(mixed)


def test_numeric_forecasts_carry_their_cdf_and_categorical_files_do_not(
    mixed: Path, tmp_path: Path
) -> None:
    files = _export(mixed, tmp_path / "a")
    killed = _question_file(files, "How many killed?")
    text = files[killed]
    assert "[numeric]\nlo = 50.0\nhi = 5000.0\n" in text and 'prior = "team"' in text
    assert '[evidence.numeric]\nform = "measured"\na = 742.0\nsd = 50.0\n' in text
    csv = files[killed.removesuffix(".toml") + ".forecasts.csv"]
    header = csv.splitlines()[0]
    assert header.endswith(",cdf,typed,method") and "probs" not in header
    assert csv.splitlines()[3].endswith(",400 1500,lognormal")
    dam = _question_file(files, "Will the dam hold?")
    assert "cdf" not in files[dam.removesuffix(".toml") + ".forecasts.csv"].splitlines()[0]


@pytest.mark.parametrize(
    ("old", "new", "where", "expected"),
    [
        ("hi = 5000.0", "hi = 10.0", "toml", "numeric.hi: 10.0: must be above lo"),
        ('prior = "team"', 'prior = "pooled"', "toml", "numeric.prior: 'pooled': Input should be"),
        ("sd = 50.0", "sd = -5.0", "toml", "evidence[2].numeric.sd: -5.0: Input should be greater"),
        ("a = 100.0", "a = 9000.0", "toml", "evidence[0].numeric.a: 9000.0: 9000 is outside"),
        (",400 1500,lognormal", ",400 1500,guess", "csv", "method: 'guess': Input should be"),
    ],
)
def test_a_numeric_mistake_is_named_by_file_line_and_column(
    mixed: Path, tmp_path: Path, old: str, new: str, where: str, expected: str
) -> None:
    files = _export(mixed, tmp_path / "a")
    path = _question_file(files, "How many killed?")
    if where == "csv":
        path = path.removesuffix(".toml") + ".forecasts.csv"
    text = files[path]
    assert old in text
    edited = text.replace(old, new, 1)
    (tmp_path / "a" / path).write_text(edited)
    line = edited[: edited.index(new)].count("\n") + 1
    with open_workspace(mixed) as db:
        before = dump(db)
        with pytest.raises(InvalidInput) as caught:
            import_text(db, tmp_path / "a")
        assert dump(db) == before
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'a'}/{path}:{line}:"), message
    assert expected in message, message


def test_a_decreasing_cdf_cell_is_named_in_the_csv(mixed: Path, tmp_path: Path) -> None:
    files = _export(mixed, tmp_path / "a")
    path = _question_file(files, "How many killed?").removesuffix(".toml") + ".forecasts.csv"
    lines = files[path].split("\n")
    lines[1] = lines[1].replace('"[0.0, ', '"[0.9, ', 1)
    (tmp_path / "a" / path).write_text("\n".join(lines))
    with open_workspace(tmp_path / "x.db") as db, pytest.raises(InvalidInput) as caught:
        import_text(db, tmp_path / "a")
    column = lines[1].index('"[0.9') + 1
    assert str(caught.value).startswith(f"{tmp_path / 'a'}/{path}:2:{column}: cdf: [0.9, ")
    assert "values must not decrease (0.9 then" in str(caught.value)


def test_diff_lists_numeric_changes_and_the_posterior_before_and_after(
    mixed: Path, tmp_path: Path
) -> None:
    before = _export(mixed, tmp_path / "a")
    after = dict(before)
    path = _question_file(before, "How many killed?")
    after[path] = (
        before[path]
        .replace("a = 742.0", "a = 500.0", 1)
        .replace("likelihoods = [3.0, 1.0]", "likelihoods = [5.0, 1.0]", 1)
    )
    diff = compare_files(before, after)
    (question,) = diff.questions
    text = as_text(diff)
    assert 'evidence edited: "Over a hundred in week one" LR 3 → 5' in text
    assert "numeric measured 742 ± 50 → measured 500 ± 50" in text
    assert question.outcomes == ["median", "5%", "95%"]
    assert question.before and question.after and question.after[0] < question.before[0]
    assert "posterior: median " in text
    data = json.loads(json.dumps(diff.as_dict()))
    assert data["questions"][0]["posterior"]["outcomes"] == ["median", "5%", "95%"]


def test_diff_of_a_date_question_shows_dates(mixed: Path, tmp_path: Path) -> None:
    before = _export(mixed, tmp_path / "a")
    after = dict(before)
    path = _question_file(before, "When is a PM confirmed?")
    csv = path.removesuffix(".toml") + ".forecasts.csv"
    after[csv] = (
        before[csv] + before[csv].splitlines()[1].replace("2020-02-01T", "2020-03-01T", 1) + "\n"
    )
    text = as_text(compare_files(before, after))
    assert "forecast added: cy at 2020-03-01T00:00:00Z typed" in text
    assert "posterior: median 2020-" in text


def test_git_textconv_shows_a_numeric_question_as_read(mixed: Path, tmp_path: Path) -> None:
    from forecast.diff.textconv import question_view

    files = _export(mixed, tmp_path / "a")
    view = question_view(files[_question_file(files, "How many killed?")], "q.toml")
    assert "range 50 people .. 5000 people, prior team: posterior median " in view
    assert "'Over a hundred in week one': above 100 people, LR 3 (90% LR 1.5 to LR 6)" in view
    assert "'Ministry count says 742': measured 742 people ± 50, LR 1," not in view
    assert "'Ministry says 742': measured 742 people ± 50, LR 1, credibility 0.7" in view
    date_view = question_view(files[_question_file(files, "When is a PM confirmed?")], "d.toml")
    assert "resolved 2020-05-07 by cy" in date_view
