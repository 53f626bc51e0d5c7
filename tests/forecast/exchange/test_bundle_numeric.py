"""Bundles with numeric and date questions: exact round trips (bundle, text, `question show`),
the merge rules, a version 2 bundle still importing, refusals naming the field."""

from __future__ import annotations

import itertools
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from arguments.evidence import EvidenceInputs
from arguments.numeric_evidence import NumericForm, add_numeric_evidence
from forecast.exchange.bundle_export import build_bundle, bundle_json
from forecast.exchange.bundle_import import import_bundle, merge_bundle, read_bundle
from forecast.workspace import open_workspace
from questions import clock, numeric_store
from questions import numeric as nm
from questions.errors import InvalidInput
from questions.models import QuestionDraft
from questions.numeric import NumericRange, date_to_value
from tests.conftest import dump
from tests.forecast.exchange.test_bundle import populate


def populate_numeric(db: Database) -> None:
    """A log-scale numeric question with an open upper bound and the team prior, evidence of every
    form (an LR range, a group, a dependency), and a resolved date question."""
    killed = numeric_store.add_numeric_question(
        db,
        QuestionDraft(title="How many killed?", tags=["iraq"]),
        NumericRange(50, 5000, log=True, open_upper=True, unit="people"),
        author="ana",
        prior="team",
    )
    rng = numeric_store.numeric_range(db, killed.id)
    for who, typed in (("ana", "0.05:150,0.5:450,0.95:1200"), ("ben", "0.1:200,0.9:900")):
        cdf = nm.cdf_from_quantiles(rng, nm.parse_quantiles(rng, typed))
        numeric_store.record_numeric_forecast(
            db,
            killed.id,
            cdf,
            forecaster=who,
            typed=typed,
            method="quantiles",
            made_at="2026-01-02",
        )
    numeric_store.record_numeric_forecast(
        db,
        killed.id,
        nm.cdf_lognormal(rng, 400, 1500),
        forecaster="ana",
        typed="400 1500",
        method="lognormal",
        made_at="2026-01-05",
        rationale="wider",
    )
    first = add_numeric_evidence(
        db,
        killed.id,
        EvidenceInputs(
            text="Over a hundred in week one", lr=3.0, range_low=[1.5], range_high=[6.0]
        ),
        NumericForm("above", 100.0),
        passage=None,
        by="ana",
    )
    add_numeric_evidence(
        db,
        killed.id,
        EvidenceInputs(text="Between 300 and 900", lr=2.0, group="counts", depends_on=first.id),
        NumericForm("between", 300.0, 900.0),
        passage=None,
        by="ben",
    )
    add_numeric_evidence(
        db,
        killed.id,
        EvidenceInputs(text="Ministry says 742", credibility=0.7, group="counts"),
        NumericForm("measured", 742.0, sd=50.0),
        passage=None,
        by="ben",
    )
    when = numeric_store.add_numeric_question(
        db,
        QuestionDraft(title="When is a PM confirmed?"),
        NumericRange(
            date_to_value("2020-01-01", field="lo"),
            date_to_value("2020-12-31", field="hi"),
            is_date=True,
        ),
        author="cy",
    )
    date_rng = numeric_store.numeric_range(db, when.id)
    typed = "0.05:2020-03-01,0.5:2020-04-20,0.95:2020-07-01"
    numeric_store.record_numeric_forecast(
        db,
        when.id,
        nm.cdf_from_quantiles(date_rng, nm.parse_quantiles(date_rng, typed)),
        forecaster="cy",
        typed=typed,
        method="quantiles",
        made_at="2020-02-01",
    )
    numeric_store.resolve_numeric(
        db, when.id, date_to_value("2020-05-07", field="v"), by="cy", at="2020-05-07"
    )


def build_mixed(path: Path) -> Path:
    """The categorical and numeric content, each write a second apart, so rows keep their creation
    order through a bundle (which orders rows made in the same second by UUID)."""
    ticks = itertools.count()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    clock.set_clock(lambda: start + timedelta(seconds=next(ticks)))
    try:
        with open_workspace(path) as db:
            populate(db)
            populate_numeric(db)
    finally:
        clock.set_clock(None)
    return path


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    return build_mixed(tmp_path / "mixed.db")


def exported(path: Path) -> str:
    with open_workspace(path) as db:
        return bundle_json(build_bundle(db))


def shown(path: Path) -> dict[str, str]:
    """`question show --json` of each numeric/date question by UUID (local ids masked: they are
    numbered in import order)."""
    from tui import main

    out = {}
    with open_workspace(path) as db:
        rows = db.execute(
            "select id, uuid from questions where kind in ('numeric', 'date')"
        ).fetchall()
    for qid, uuid in rows:
        result = CliRunner().invoke(
            main, ["--db", str(path), "question", "show", f"Q{qid}", "--json"]
        )
        assert result.exit_code == 0, result.output
        out[uuid] = re.sub(r'"[QE]\d+"', '"ID"', result.stdout)
    return out


def test_round_trip_is_exact_and_the_models_agree(mixed: Path, tmp_path: Path) -> None:
    text = exported(mixed)
    (tmp_path / "b.json").write_text(text)
    with open_workspace(tmp_path / "empty.db") as db:
        report = import_bundle(db, tmp_path / "b.json")
    assert report.added["questions"] == 4 and report.added["forecasts"] == 8
    assert not report.conflicts
    assert exported(tmp_path / "empty.db") == text
    assert shown(tmp_path / "empty.db") == shown(mixed)
    data = json.loads(text)
    assert data["schema_version"] == 3
    killed = next(q for q in data["questions"] if q["title"] == "How many killed?")
    assert killed["numeric"] == {
        "lo": 50.0,
        "hi": 5000.0,
        "unit": "people",
        "log": True,
        "open_lower": False,
        "open_upper": True,
        "prior": "team",
    }
    assert [e["numeric"]["form"] for e in killed["evidence"]] == ["above", "between", "measured"]
    assert killed["evidence"][0]["range_low"] == [1.5, 1.0]
    assert killed["evidence"][2]["numeric"]["sd"] == 50.0
    assert killed["evidence"][1]["depends_on"] == killed["evidence"][0]["uuid"]
    assert len(killed["forecasts"][0]["cdf"]) == nm.GRID_POINTS
    assert killed["forecasts"][-1]["typed"] == "400 1500"
    when = next(q for q in data["questions"] if q["kind"] == "date")
    assert when["resolved_value"] == date_to_value("2020-05-07", field="v")
    assert when["resolutions"][0]["value"] == when["resolved_value"]


def test_the_demo_numeric_questions_survive_a_round_trip(tmp_path: Path) -> None:
    from forecast.demo import build_demo

    build_demo(tmp_path / "demo.db")
    text = exported(tmp_path / "demo.db")
    assert '"kind": "numeric"' in text and '"kind": "date"' in text
    with open_workspace(tmp_path / "copy.db") as db:
        merge_bundle(db, read_bundle(text, "demo"))
    assert exported(tmp_path / "copy.db") == text
    before, after = shown(tmp_path / "demo.db"), shown(tmp_path / "copy.db")
    assert len(before) >= 5 and after == before


def test_importing_twice_changes_nothing(mixed: Path, tmp_path: Path) -> None:
    (tmp_path / "b.json").write_text(exported(mixed))
    with open_workspace(mixed) as db:
        before = dump(db)
        report = import_bundle(db, tmp_path / "b.json")
        assert not report.changed and not report.conflicts
        assert dump(db) == before


def _edit(data: dict, title: str, change) -> dict:  # type: ignore[type-arg,no-untyped-def]
    question = next(q for q in data["questions"] if q["title"] == title)
    change(question)
    return data


def test_merge_rules_for_numeric_rows(mixed: Path, tmp_path: Path) -> None:
    data = json.loads(exported(mixed))

    def newer_prior(q: dict) -> None:  # type: ignore[type-arg]
        q["numeric"]["prior"] = "uniform"
        q["version"] += 1
        q["evidence"][2]["numeric"]["a"] = 700.0
        q["evidence"][2]["version"] += 1

    (tmp_path / "newer.json").write_text(json.dumps(_edit(data, "How many killed?", newer_prior)))
    with open_workspace(mixed) as db:
        report = import_bundle(db, tmp_path / "newer.json")
        assert not report.conflicts and len(report.updated) == 2
        assert numeric_store.numeric_prior(db, "Q3") == "uniform"
        assert db.execute("select a from numeric_evidence where form = 'measured'").fetchone() == (
            700.0,
        )

    def other_range(q: dict) -> None:  # type: ignore[type-arg]
        q["numeric"]["hi"] = 6000.0

    data = json.loads(exported(mixed))
    (tmp_path / "range.json").write_text(json.dumps(_edit(data, "How many killed?", other_range)))
    with open_workspace(mixed) as db:
        report = import_bundle(db, tmp_path / "range.json")
        assert report.conflicts and "another range" in report.conflicts[0]

    def other_cdf(q: dict) -> None:  # type: ignore[type-arg]
        q["forecasts"][0]["cdf"][100] = q["forecasts"][0]["cdf"][101]

    data = json.loads(exported(mixed))
    (tmp_path / "cdf.json").write_text(json.dumps(_edit(data, "How many killed?", other_cdf)))
    with open_workspace(mixed) as db:
        before = dump(db)
        with pytest.raises(InvalidInput, match="conflict"):
            import_bundle(db, tmp_path / "cdf.json", strict=True)
        assert dump(db) == before
        report = import_bundle(db, tmp_path / "cdf.json")
        assert any("append-only" in line for line in report.conflicts)


def test_a_version_2_bundle_still_imports(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with open_workspace(path) as db:
        populate(db)
    data = json.loads(exported(path))
    data["schema_version"] = 2
    for q in data["questions"]:
        for key in ("numeric", "resolved_value"):
            q.pop(key)
        for f in q["forecasts"]:
            for key in ("cdf", "typed", "method"):
                f.pop(key)
        for e in q["evidence"]:
            e.pop("numeric")
        for r in q["resolutions"]:
            r.pop("value")
    (tmp_path / "v2.json").write_text(json.dumps(data))
    with open_workspace(tmp_path / "new.db") as db:
        report = import_bundle(db, tmp_path / "v2.json")
    assert report.added["questions"] == 2 and not report.conflicts
    assert exported(tmp_path / "new.db") == exported(path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda q: q["numeric"].update(hi=10.0), "numeric: hi: must be above lo"),
        (
            lambda q: q["forecasts"][0]["cdf"].reverse(),
            "forecasts[0].cdf: values must not decrease",
        ),
        (lambda q: q["forecasts"][0].update(cdf=[0.0, 1.0]), "201 values"),
        (lambda q: q["evidence"][0]["numeric"].update(a=9000.0), "evidence[0].numeric.a"),
        (lambda q: q["evidence"][2]["numeric"].pop("sd"), "needs its standard deviation"),
        (lambda q: q["evidence"][0].update(likelihoods=[3.0, 2.0]), "the pair [LR, 1]"),
        (
            lambda q: q.update(outcomes=[{"name": "A", "prior": 0.5}, {"name": "B", "prior": 0.5}]),
            "outcomes: a numeric or date question has none",
        ),
        (lambda q: q.update(numeric=None), "numeric: a numeric or date question has a range"),
    ],
)
def test_a_bad_numeric_field_is_refused_by_name(mixed: Path, change, message: str) -> None:  # type: ignore[no-untyped-def]
    data = _edit(json.loads(exported(mixed)), "How many killed?", change)
    with pytest.raises(InvalidInput) as caught:
        read_bundle(json.dumps(data), "b.json")
    assert message in str(caught.value) and str(caught.value).startswith("b.json: ")
