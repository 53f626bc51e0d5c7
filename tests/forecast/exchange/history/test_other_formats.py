"""Metaculus' data export, PredictionBook's API JSON and Manifold's API JSON, each on a fixture
written field for field from the tool's published format, and on bad variants."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from sqlite_utils import Database

from forecast.exchange.history.formats import import_history
from questions import store
from questions.errors import InvalidInput

FIXTURES = Path(__file__).parent / "fixtures"


def by_title(db: Database, title: str):  # noqa: ANN201
    qid = db.execute("select id from questions where title = ?", [title]).fetchone()[0]
    return store.get_question(db, qid)


def count(db: Database, table: str) -> int:
    return db.execute(f"select count(*) from {table}").fetchone()[0]  # noqa: S608


def test_metaculus_export(db: Database) -> None:
    summary = import_history(
        db, "metaculus", FIXTURES / "metaculus" / "forecast_data.csv", author="me"
    )
    assert len(summary.questions_created) == 3
    assert any("numeric" in w and "103" in w for w in summary.warnings)
    assert any("1 aggregate rows" in w for w in summary.warnings)
    canal = by_title(db, "Will the canal reopen before March?")
    assert canal.closes_at == "2024-02-20T15:45:10Z"  # the actual close, which decides what counts
    assert canal.resolved_outcome == "Yes" and "infrastructure" in canal.tags
    assert [(f.forecaster, f.probs[0]) for f in store.forecasts_for(db, canal.id)] == [
        ("ada_b", 0.35),
        ("grace_h", 0.8),
        ("ada_b", 0.6),
    ]
    city = by_title(db, "Which city hosts the 2031 fair?")
    assert city.outcome_names == ["Lisbon", "Oslo", "Quito"] and city.resolved_outcome is None
    assert store.forecasts_for(db, city.id)[0].probs == pytest.approx([0.5, 0.3, 0.2])
    assert by_title(db, "Will the harbour vote pass?").status == "annulled"
    again = import_history(db, "metaculus", FIXTURES / "metaculus", author="me")
    assert (again.forecasts_added, again.questions_present) == (0, 3)


def test_metaculus_zip(db: Database, tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for name in ("question_data.csv", "forecast_data.csv"):
            out.write(FIXTURES / "metaculus" / name, f"data/{name}")
    assert import_history(db, "metaculus", archive, author="me").forecasts_added == 5


def test_metaculus_bad_resolution(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "m"
    shutil.copytree(FIXTURES / "metaculus", folder)
    path = folder / "question_data.csv"
    path.write_text(path.read_text().replace(",annulled,", ",perhaps,"))
    with pytest.raises(
        InvalidInput, match=r"question_data.csv:5: Resolution: 'perhaps': not an outcome"
    ):
        import_history(db, "metaculus", folder, author="me")
    assert count(db, "questions") == 0


def test_predictionbook(db: Database) -> None:
    summary = import_history(db, "predictionbook", FIXTURES / "predictionbook.json", author="me")
    assert (len(summary.questions_created), summary.forecasts_added, summary.comments_added) == (
        2,
        3,
        1,
    )
    train = by_title(db, "The night train will run again by 2025")
    assert train.resolved_outcome == "Yes" and train.closes_at == "2025-01-01T00:00:00Z"
    forecasts = store.forecasts_for(db, train.id)
    assert [(f.forecaster, f.probs[0], f.rationale) for f in forecasts] == [
        ("Ada Byron", 0.7, "Tickets are already on sale"),
        ("Grace Hopper", 0.6, ""),
    ]
    assert by_title(db, "The orchard gives a record harvest this year").status == "annulled"
    assert (
        import_history(
            db, "predictionbook", FIXTURES / "predictionbook.json", author="me"
        ).forecasts_added
        == 0
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            '"confidence": 60',
            '"confidence": 160',
            "predictions[0].responses[1]: confidence: 160: outside 0..100",
        ),
        ('"confidence": 60', '"confidence": "sixty"', "confidence: 'sixty': not a number"),
        (
            '"deadline": "2023-10-31T00:00:00.000Z"',
            '"deadline": "31/10/2023"',
            "predictions[1]: deadline: '31/10/2023'",
        ),
    ],
)
def test_predictionbook_bad_values(
    db: Database, tmp_path: Path, old: str, new: str, message: str
) -> None:
    path = tmp_path / "pb.json"
    path.write_text((FIXTURES / "predictionbook.json").read_text().replace(old, new, 1))
    with pytest.raises(InvalidInput) as caught:
        import_history(db, "predictionbook", path, author="me")
    assert message in str(caught.value)
    assert count(db, "questions") == 0


def test_truncated_json_names_line_and_column(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "pb.json"
    path.write_text((FIXTURES / "predictionbook.json").read_text()[:400])
    with pytest.raises(InvalidInput, match=r"pb.json:\d+:\d+: not JSON"):
        import_history(db, "predictionbook", path, author="me")


def test_manifold_prices_are_the_markets_not_the_traders(db: Database) -> None:
    summary = import_history(db, "manifold", FIXTURES / "manifold.json", author="me")
    assert len(summary.questions_created) == 2
    assert any("PSEUDO_NUMERIC" in w for w in summary.warnings)
    assert any("not its trader's belief" in w for w in summary.warnings)
    lighthouse = by_title(db, "Will the lighthouse be relit in January?")
    assert lighthouse.resolved_outcome == "Yes" and "coast" in lighthouse.tags
    forecasts = store.forecasts_for(db, lighthouse.id)
    # the cancelled order is left out; each filled trade leaves the market's price after it
    assert [(f.forecaster, f.made_at, f.probs[0]) for f in forecasts] == [
        ("manifold market", "2024-01-01T12:00:00Z", 0.62),
        ("manifold market", "2024-01-15T12:00:00Z", 0.82),
    ]
    ferry = by_title(db, "Which ferry line opens first?")
    assert (
        ferry.outcome_names == ["North line", "South line"]
        and ferry.resolved_outcome == "North line"
    )
    assert store.forecasts_for(db, ferry.id) == []
    assert (
        import_history(db, "manifold", FIXTURES / "manifold.json", author="me").forecasts_added == 0
    )


def test_manifold_wrong_types(db: Database, tmp_path: Path) -> None:
    data = json.loads((FIXTURES / "manifold.json").read_text())
    data["bets"][1]["createdTime"] = "yesterday"
    path = tmp_path / "m.json"
    path.write_text(json.dumps(data))
    with pytest.raises(
        InvalidInput, match=r"m.json: bets\[1\]: createdTime: 'yesterday': not a timestamp"
    ):
        import_history(db, "manifold", path, author="me")
    assert count(db, "questions") == 0
