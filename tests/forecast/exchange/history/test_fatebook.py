"""Fatebook's 16-column CSV export, as its export code writes it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlite_utils import Database

from forecast.exchange.history.formats import import_history
from questions import store
from questions.errors import InvalidInput

FIXTURES = Path(__file__).parent / "fixtures"


def titles(db: Database) -> dict[str, int]:
    return {t: i for i, t in db.execute("select id, title from questions")}


def test_fatebook_export_imports_whole(db: Database) -> None:
    summary = import_history(db, "fatebook", FIXTURES / "fatebook.csv", author="me")
    assert len(summary.questions_created) == 4
    assert summary.forecasts_added == 7
    assert (summary.resolutions_set, summary.annulled) == (2, 1)
    ids = titles(db)
    library = store.get_question(db, ids["Will the library reopen by June?"])
    assert library.status == "resolved" and library.resolved_outcome == "Yes"
    assert library.closes_at == "2024-06-01T00:00:00Z"
    assert library.resolved_at == "2024-05-20T09:30:12Z"
    assert "fatebook" in library.tags
    made = [f.made_at for f in store.forecasts_for(db, library.id)]
    assert made == ["2024-03-05T14:07:05Z", "2024-03-06T08:00:41Z", "2024-04-01T10:15:03Z"]
    ferry = store.get_question(db, ids["Will the ferry run on schedule all week?"])
    assert ferry.status == "annulled"
    quiz = store.get_question(db, ids["Which team wins the quiz?"])
    assert quiz.kind == "multi" and quiz.outcome_names == ["Owls", "Foxes", "Herons"]
    assert quiz.resolved_outcome == "Foxes"
    probs = [f.probs for f in store.forecasts_for(db, quiz.id)]
    # the second forecast gives Owls and Foxes; Herons keeps its earlier 0.2
    assert probs[1] == pytest.approx([0.35, 0.45, 0.2])
    comments = db.execute(
        "select author, body from comments where question_id = ? order by id", [library.id]
    ).fetchall()
    assert comments == [
        ("Ada Byron", "Council minutes say spring."),
        ("Grace Hopper", "the budget passed"),
        ("Ada Byron", "agreed"),
    ]


def test_reimport_adds_nothing(db: Database) -> None:
    import_history(db, "fatebook", FIXTURES / "fatebook.csv", author="me")
    before = db.execute("select count(*) from forecasts").fetchone()[0]
    again = import_history(db, "fatebook", FIXTURES / "fatebook.csv", author="me")
    assert again.questions_created == [] and again.questions_present == 4
    assert (again.forecasts_added, again.resolutions_set, again.annulled, again.comments_added) == (
        0,
        0,
        0,
        0,
    )
    assert db.execute("select count(*) from forecasts").fetchone()[0] == before


def test_dry_run_writes_nothing(db: Database) -> None:
    summary = import_history(db, "fatebook", FIXTURES / "fatebook.csv", author="me", dry_run=True)
    assert summary.forecasts_added == 7 and summary.dry_run
    assert db.execute("select count(*) from questions").fetchone()[0] == 0
    assert json.dumps(summary.as_dict())


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = (FIXTURES / "fatebook.csv").read_text().replace(old, new, 1)
    path = tmp_path / "bad.csv"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("0.55,", "lots,", "bad.csv:3: Forecast (scale = 0-1): 'lots': not a number"),
        (
            "2024-03-06 08:00:41",
            "06/03/2024 8am",
            "bad.csv:3: Forecast created at: '06/03/2024 8am'",
        ),
        (
            '"AMBIGUOUS"',
            '"MAYBE"',
            "bad.csv:5: Resolution: 'MAYBE': not allowed (YES, NO, AMBIGUOUS",
        ),
        (
            '"Question comments"',
            '"Comments"',
            "bad.csv:1: header: missing column 'Question comments'",
        ),
    ],
)
def test_bad_variants_name_the_line_and_change_nothing(
    db: Database, tmp_path: Path, old: str, new: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        import_history(db, "fatebook", _variant(tmp_path, old, new), author="me")
    assert message in str(caught.value)
    assert db.execute("select count(*) from questions").fetchone()[0] == 0


def test_truncated_file_is_refused(db: Database, tmp_path: Path) -> None:
    text = (FIXTURES / "fatebook.csv").read_text()
    path = tmp_path / "cut.csv"
    path.write_text(text[: text.index("0.4,2024-02-10") + 3])
    with pytest.raises(InvalidInput, match="cut.csv:5: "):
        import_history(db, "fatebook", path, author="me")
    assert db.execute("select count(*) from forecasts").fetchone()[0] == 0
