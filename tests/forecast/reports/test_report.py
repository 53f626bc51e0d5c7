"""The calibration report end to end, on real workspaces."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlite_utils import Database

from forecast.reports.build import build_report
from forecast.reports.data import ReportSettings
from questions import store
from questions.errors import InvalidInput
from questions.models import QuestionDraft
from tests.conftest import Cli


def binary(db: Database, title: str, **kw: object) -> int:
    return store.add_question(db, QuestionDraft(title=title, **kw), author="lead").id  # type: ignore[arg-type]


def test_time_averaged_brier_by_hand(db: Database) -> None:
    # opens Jan 1; ann forecasts 0.6 on Jan 2 and 0.9 on Jan 4; resolves Yes on Jan 6.
    # Scored days Jan 2..5 (Jan 1 is before her first forecast): 0.16, 0.16, 0.01, 0.01 -> 0.085
    q = binary(db, "Will it hold?", opens_at="2020-01-01T00:00:00Z")
    store.record_forecast(db, q, forecaster="ann", p_yes=0.6, made_at="2020-01-02")
    store.record_forecast(db, q, forecaster="ann", p_yes=0.9, made_at="2020-01-04")
    store.resolve(db, q, "yes", by="lead", at="2020-01-06")
    report = build_report(db, ReportSettings())
    assert report["time_averaged_brier"] == pytest.approx(0.085)
    # the default unit is her last forecast before resolution: 0.9 -> Brier 0.01
    assert report["brier"] == pytest.approx(0.01)
    assert report["forecasters"][0]["time_averaged_brier"] == pytest.approx(0.085)
    every = build_report(db, ReportSettings(all_forecasts=True))
    assert every["n_forecasts"] == 2 and every["brier"] == pytest.approx((0.16 + 0.01) / 2)


def test_scores_aggregates_and_filters(db: Database) -> None:
    # two questions, two forecasters: ann 0.8 / 0.3, bob 0.6 / 0.1; Q1 Yes, Q2 No
    q1 = binary(db, "A", tags=["iraq"])
    q2 = binary(db, "B")
    for q, ann, bob in ((q1, 0.8, 0.6), (q2, 0.3, 0.1)):
        store.record_forecast(db, q, forecaster="ann", p_yes=ann, made_at="2020-01-01")
        store.record_forecast(db, q, forecaster="bob", p_yes=bob, made_at="2020-01-01")
    store.resolve(db, q1, "yes", by="lead", at="2020-02-01")
    store.resolve(db, q2, "no", by="lead", at="2020-02-01")
    report = build_report(db, ReportSettings())
    assert report["n_forecasts"] == 4 and report["n_questions"] == 2
    # (0.04 + 0.09 + 0.16 + 0.01) / 4
    assert report["brier"] == pytest.approx(0.075)
    assert report["brier_original"] == pytest.approx(0.15)
    names = {f["name"]: f for f in report["forecasters"]}
    assert names["ann"]["brier"] == pytest.approx(0.065) and names["bob"]["brier"] == pytest.approx(
        0.085
    )
    # peer: ann on Q1: 100 (ln 0.8 - ln 0.6); on Q2: 100 (ln 0.7 - ln 0.9)
    import math

    assert names["ann"]["peer_score"] == pytest.approx(
        50 * (math.log(0.8 / 0.6) + math.log(0.7 / 0.9))
    )
    means = {a["name"]: a for a in report["aggregates"]}
    # mean aggregate: 0.7 on Q1, 0.2 on Q2 -> (0.09 + 0.04)/2
    assert means["mean"]["brier"] == pytest.approx(0.065)
    ann_only = build_report(db, ReportSettings(forecaster="ann"))
    assert ann_only["brier"] == pytest.approx(0.065) and ann_only["scope"] == "ann"
    tagged = build_report(db, ReportSettings(tag="Iraq"))
    assert tagged["n_questions"] == 1
    with pytest.raises(InvalidInput, match="forecaster: 'zoe'"):
        build_report(db, ReportSettings(forecaster="zoe"))
    with pytest.raises(InvalidInput, match="tag"):
        build_report(db, ReportSettings(tag="nothing"))
    with pytest.raises(InvalidInput, match="bins"):
        build_report(db, ReportSettings(bins=0))
    with pytest.raises(InvalidInput, match="no resolved forecasts"):
        build_report(db, ReportSettings(since="2030-01-01"))
    identity = report["murphy"]["identity_check"]
    assert abs(identity) < 1e-12


def test_multi_outcome_questions_count_per_outcome(db: Database) -> None:
    q = store.add_question(
        db, QuestionDraft(title="Who", outcome_names=["a", "b", "c"]), author="l"
    ).id
    store.record_forecast(db, q, forecaster="ann", probs=[0.2, 0.5, 0.3], made_at="2020-01-01")
    store.resolve(db, q, "b", by="l", at="2020-02-01")
    report = build_report(db, ReportSettings())
    assert report["n_events"] == 3 and report["n_forecasts"] == 1
    assert report["brier_original"] == pytest.approx(0.38)
    assert report["brier"] == pytest.approx(0.38 / 3)
    assert report["log_score"] == pytest.approx(-__import__("math").log(0.5))


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts = 0
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "script":
            self.scripts += 1

    def handle_data(self, data) -> None:
        self.text.append(data)


def test_html_report_escapes_user_text(cli: Cli, tmp_path: Path) -> None:
    cli.ok("question", "add", "<script>alert('x')</script> Will it?", "--tag", "iraq")
    cli.ok("forecast", "Q1", "0.7", "--by", "<b>mallory</b>", "--at", "2020-01-01")
    cli.ok("evidence", "add", "Q1", "<img src=x onerror=alert(1)>", "--lr", "2")
    cli.ok("resolve", "Q1", "yes", "--at", "2020-02-01")
    out = tmp_path / "report.html"
    result = cli("report", "--format", "html", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    page = out.read_text()
    parser = _Collector()
    parser.feed(page)
    assert parser.scripts == 0
    assert "<img" not in page and "<b>mallory" not in page
    assert any("<script>alert('x')</script>" in t for t in parser.text)  # shown as text
    assert "<svg" in page  # charts inline


def test_report_cli_formats_and_errors(cli: Cli, tmp_path: Path) -> None:
    cli.ok("question", "add", "Q")
    cli.ok("forecast", "Q1", "0.7", "--at", "2020-01-01")
    cli.ok("resolve", "Q1", "yes", "--at", "2020-02-01")
    data = json.loads(cli.ok("report", "--format", "json"))
    for key in (
        "n_forecasts",
        "n_questions",
        "brier",
        "brier_original",
        "log_score",
        "time_averaged_brier",
        "murphy",
        "corp",
        "spiegelhalter",
        "ece",
        "bins",
        "forecasters",
        "aggregates",
        "evidence_attribution",
        "settings",
    ):
        assert key in data
    assert cli.ok("report", "--format", "csv").splitlines()[0].startswith("table,lower,upper,id")
    assert "# forecastle calibration report" in cli.ok("report", "--format", "md")
    missing = tmp_path / "no" / "such" / "dir" / "r.html"
    bad = cli("report", "-o", str(missing))
    assert bad.exit_code == 1 and "does not exist" in bad.stderr and not missing.exists()
    assert cli("report", "--bins", "0").exit_code == 1
    assert cli("report", "--forecaster", "nobody").exit_code == 1
    assert list(tmp_path.glob("*.part")) == []
