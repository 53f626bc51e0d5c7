"""What the report says beside its scores: the questions that were due, the ones resolved early,
peer and baseline scores as Metaculus defines them, and the formats (JSON keys, CSV layout, HTML
words and empty sections)."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pytest
from sqlite_utils import Database

from forecast.reports.build import build_report
from forecast.reports.charts import label_offsets
from forecast.reports.data import ReportSettings
from forecast.reports.render import render
from questions import store
from questions.errors import InvalidInput
from questions.models import QuestionDraft
from tests.conftest import Cli


def question(db: Database, title: str, **kw: object) -> int:
    return store.add_question(db, QuestionDraft(title=title, **kw), author="lead").id  # type: ignore[arg-type]


def peers_and_a_lone_forecaster(db: Database) -> None:
    """Q1 opens Jan 1, resolves Yes Jan 11 (10 days): ann 0.8 from Jan 1, bob 0.6 from Jan 6.
    Q2 opens Jan 1, resolves Yes Jan 11: carl alone, 0.7 on Jan 1 then 0.9 on Jan 5."""
    q1 = question(db, "Shared", opens_at="2020-01-01T00:00:00Z")
    q2 = question(db, "Lonely", opens_at="2020-01-01T00:00:00Z")
    store.record_forecast(db, q1, forecaster="ann", p_yes=0.8, made_at="2020-01-01")
    store.record_forecast(db, q1, forecaster="bob", p_yes=0.6, made_at="2020-01-06")
    store.record_forecast(db, q2, forecaster="carl", p_yes=0.7, made_at="2020-01-01")
    store.record_forecast(db, q2, forecaster="carl", p_yes=0.9, made_at="2020-01-05")
    store.resolve(db, q1, "yes", by="lead", at="2020-01-11")
    store.resolve(db, q2, "yes", by="lead", at="2020-01-11")


def test_peer_and_baseline_follow_metaculus_by_hand(db: Database) -> None:
    peers_and_a_lone_forecaster(db)
    # Q1, days Jan 1..10. Jan 1-5: ann alone (no peer that day, counts 0). Jan 6-10: ann
    # 100 ln(0.8/0.6) = 28.768 and bob -28.768 a day. Averaged over the 10 open days:
    # ann 5 * 28.768 / 10 = 14.384, bob -14.384.
    # Baseline 100 (log2 p + 1): ann 67.807 on all 10 days -> 67.807; bob 26.303 on 5 of the
    # 10 days, the other 5 counting 0 -> 13.152.
    for all_forecasts in (False, True):
        report = build_report(db, ReportSettings(all_forecasts=all_forecasts))
        people = {f["name"]: f for f in report["forecasters"]}
        assert people["ann"]["peer_score"] == pytest.approx(50 * math.log(0.8 / 0.6))
        assert people["bob"]["peer_score"] == pytest.approx(-50 * math.log(0.8 / 0.6))
        assert people["ann"]["baseline_score"] == pytest.approx(100 * (math.log2(0.8) + 1))
        assert people["bob"]["baseline_score"] == pytest.approx(50 * (math.log2(0.6) + 1))
        # carl never had a peer: no peer score, with or without --all-forecasts
        assert people["carl"]["peer_score"] is None
        # his baseline: 0.7 on Jan 1-4, 0.9 on Jan 5-10
        expected = (4 * (math.log2(0.7) + 1) + 6 * (math.log2(0.9) + 1)) * 10
        assert people["carl"]["baseline_score"] == pytest.approx(expected)


def early_and_due(db: Database) -> None:
    """Q1 due (resolves No on its close date); Q2 resolves Yes two weeks before its close."""
    q1 = question(db, "Due", closes_at="2020-03-01T00:00:00Z")
    q2 = question(db, "Early", closes_at="2020-03-01T00:00:00Z", tags=["fast"])
    for q, ann, bob in ((q1, 0.3, 0.4), (q2, 0.9, 0.6)):
        store.record_forecast(db, q, forecaster="ann", p_yes=ann, made_at="2020-01-01")
        store.record_forecast(db, q, forecaster="bob", p_yes=bob, made_at="2020-01-01")
    store.resolve(db, q1, "no", by="lead", at="2020-03-01")
    store.resolve(db, q2, "yes", by="lead", at="2020-02-15")


def test_questions_resolved_early_are_reported_apart(db: Database) -> None:
    early_and_due(db)
    report = build_report(db, ReportSettings())
    assert [q["id"] for q in report["questions"]] == ["Q1"]
    assert report["n_questions"] == 1 and report["brier"] == pytest.approx((0.09 + 0.16) / 2)
    early = report["early"]
    assert not early["included"] and [q["id"] for q in early["questions"]] == ["Q2"]
    assert early["questions"][0]["resolved_at"] == "2020-02-15"
    assert early["questions"][0]["closes_at"] == "2020-03-01"
    assert early["brier"] == pytest.approx((0.01 + 0.16) / 2)
    assert "before its scheduled close" in early["rule"]
    counted = build_report(db, ReportSettings(include_early=True))
    assert counted["n_questions"] == 2 and counted["early"]["included"]
    assert counted["brier"] == pytest.approx((0.09 + 0.16 + 0.01 + 0.16) / 4)
    with pytest.raises(InvalidInput, match="--include-early"):
        build_report(db, ReportSettings(tag="fast"))
    assert build_report(db, ReportSettings(tag="fast", include_early=True))["n_questions"] == 1


def test_questions_table_has_outcome_date_and_team_forecast(db: Database) -> None:
    early_and_due(db)
    q3 = store.add_question(
        db, QuestionDraft(title="Who", outcome_names=["a", "b", "c"]), author="l"
    ).id
    store.record_forecast(db, q3, forecaster="ann", probs=[0.2, 0.5, 0.3], made_at="2020-01-01")
    store.record_forecast(db, q3, forecaster="bob", probs=[0.4, 0.4, 0.2], made_at="2020-01-01")
    store.resolve(db, q3, "b", by="l", at="2020-02-01")
    rows = {q["id"]: q for q in build_report(db, ReportSettings())["questions"]}
    assert rows["Q1"]["outcome"] == "No" and rows["Q1"]["resolved_at"] == "2020-03-01"
    assert rows["Q1"]["team_forecast"] == pytest.approx({"Yes": 0.35, "No": 0.65})
    assert rows["Q1"]["team_p_outcome"] == pytest.approx(0.65)
    assert rows["Q3"]["team_forecast"] == pytest.approx({"a": 0.3, "b": 0.45, "c": 0.25})
    assert rows["Q3"]["outcome"] == "b" and rows["Q3"]["forecasters"] == 2


def test_json_report_says_what_it_is(cli: Cli) -> None:
    cli.ok("question", "add", "Q")
    cli.ok("forecast", "Q1", "0.7", "--at", "2020-01-01")
    cli.ok("resolve", "Q1", "yes", "--at", "2020-02-01")
    data = json.loads(cli.ok("report", "--format", "json"))
    assert data["format"] == "forecastle-report" and data["schema_version"] == 2
    assert data["questions"][0]["id"] == "Q1" and data["questions"][0]["outcome"] == "Yes"
    assert data["settings"]["include_early"] is False


def test_csv_is_one_long_table_without_float_noise(db: Database) -> None:
    early_and_due(db)
    report = build_report(db, ReportSettings())
    rows = list(csv.DictReader(io.StringIO(render(report, "csv"))))
    tables = [r["table"] for r in rows]
    assert tables[:10] == ["calibration"] * 10
    assert {"question", "forecaster", "aggregate"} <= set(tables)
    bins = [r for r in rows if r["table"] == "calibration"]
    assert [b["upper"] for b in bins[:3]] == ["0.1", "0.2", "0.3"]  # not 0.30000000000000004
    questions = {r["id"]: r for r in rows if r["table"] == "question"}
    assert questions["Q1"]["early"] == "false" and questions["Q2"]["early"] == "true"
    assert questions["Q1"]["team_p_outcome"] == "0.65" and questions["Q1"]["lower"] == ""
    people = {r["name"]: r for r in rows if r["table"] == "forecaster"}
    assert people["ann"]["brier"] == "0.09"  # 0.3 on a No, 0.09000000000000001 as a float
    for row in rows:
        for value in row.values():
            assert "0000000" not in value and "9999999" not in value


def test_html_speaks_in_words_and_explains_empty_sections(db: Database) -> None:
    early_and_due(db)
    page = render(build_report(db, ReportSettings()), "html")
    for python in ("None", "False", "True", "all_forecasts="):
        assert python not in page.split('<h2 class="methods">')[1], python
    assert "last forecast before the question closed" in page
    assert "left out of scores and calibration, listed apart" in page
    assert "None of these resolved questions has evidence" in page  # no empty table
    assert "Q2 Early" in page and "2020-02-15" in page  # the early question, apart
    assert "P(Yes) 35%" in page  # Q1's team forecast
    assert "Which questions count." in page


def test_n_labels_stay_off_the_axes() -> None:
    xs = [0.02, 0.5, 0.97, 0.9, 0.96, 0.5]
    ys = [0.0, 1.0, 1.0, 1.0, 0.03, 0.5]
    for x, y, (dx, dy, ha, va) in zip(xs, ys, label_offsets(xs, ys), strict=True):
        assert not (x < 0.07 and dx < 0) and not (x > 0.93 and dx > 0)
        assert not (y < 0.08 and dy < 0) and not (y > 0.92 and dy > 0)
        assert ha == ("left" if dx > 0 else "right") and va == ("bottom" if dy > 0 else "top")


def test_report_cli_include_early(cli: Cli, tmp_path: Path) -> None:
    cli.ok("question", "add", "Fast", "--closes", "2020-03-01")
    cli.ok("forecast", "Q1", "0.9", "--at", "2020-01-01")
    cli.ok("resolve", "Q1", "yes", "--at", "2020-02-01")
    refused = cli("report", "--format", "json")
    assert refused.exit_code == 1 and "--include-early" in refused.stderr
    data = json.loads(cli.ok("report", "--format", "json", "--include-early"))
    assert data["n_questions"] == 1 and data["early"]["included"]
