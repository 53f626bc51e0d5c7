"""`question show`: the timeline in date order, the question's and its evidence's edit history
and the resolution trail, in the plain text and under JSON keys."""

import json
import re

from tests.cli.test_question_show import setup_binary
from tests.conftest import Cli


def test_text_shows_the_resolution_trail_after_resolve_unresolve_resolve(cli: Cli) -> None:
    setup_binary(cli)
    cli.ok("--as", "ben", "resolve", "Q1", "Yes", "--at", "2021-01-01")
    cli.ok("--as", "amira", "unresolve", "Q1")
    cli.ok("--as", "chidi", "resolve", "Q1", "No", "--at", "2021-02-01")
    text = cli.ok("question", "show", "Q1")
    trail = text.split("resolution trail:\n", 1)[1].splitlines()[:3]
    pattern = r"  \d{4}-\d\d-\d\d \d\d:\d\d "
    assert re.fullmatch(pattern + r"resolved Yes \(as of 2021-01-01\) by ben", trail[0])
    assert re.fullmatch(pattern + r"unresolved by amira", trail[1])
    assert re.fullmatch(pattern + r"re-resolved No \(as of 2021-02-01\) by chidi", trail[2])
    data = json.loads(cli.ok("question", "show", "Q1", "--json"))
    assert [
        (r["action"], r["shown"], r["outcome"], r["recorded_by"]) for r in data["resolution_trail"]
    ] == [
        ("resolved", "resolved", "Yes", "ben"),
        ("unresolved", "unresolved", None, "amira"),
        ("resolved", "re-resolved", "No", "chidi"),
    ]
    assert len(data["resolution_history"]) == 3  # the existing key stays


def test_text_shows_question_and_evidence_edits(cli: Cli) -> None:
    setup_binary(cli)
    cli.ok("--as", "ben", "question", "edit", "Q1", "--title", "Will all troops leave?")
    cli.ok("--as", "chidi", "evidence", "edit", "E1", "--lr", "4")
    text = cli.ok("question", "show", "Q1")
    edits = text.split("question edits:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert edits[0].startswith("  v1 added by ")
    assert re.match(r"  v2 edited by ben .*: title → Will all troops leave\?$", edits[1])
    evidence = text.split("evidence edits:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert re.match(r"  E1 v2 edited by chidi .*: LR 3 → 4 \(credibility 1\)$", evidence[-1])
    data = json.loads(cli.ok("question", "show", "Q1", "--json"))
    assert [(e["version"], e["action"], e["by"]) for e in data["question_history"]][1] == (
        2,
        "edited",
        "ben",
    )
    assert data["question_history"][1]["changed"] == ["title"]
    last = data["evidence_history"][-1]
    assert (last["evidence_id"], last["by"], last["previous_likelihoods"], last["likelihoods"]) == (
        "E1",
        "chidi",
        [3.0, 1.0],
        [4.0, 1.0],
    )


def test_text_timeline_puts_evidence_and_forecasts_in_date_order(cli: Cli) -> None:
    setup_binary(cli)
    cli.ok("--as", "ben", "forecast", "Q1", "0.4", "--at", "2020-01-04T18:00:00Z")
    text = cli.ok("question", "show", "Q1")
    lines = text.split("timeline (P(Yes)", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    # prior 0.2 (odds 1/4); E2 (Jan 4, LR 0.5) -> 1/8 -> 0.111; ben's 0.4 that evening; E1
    # (Jan 5, LR 3) -> 3/8 -> 0.273
    assert lines == [
        "  2020-01-04  model 0.111  E2 Pentagon: staying",
        "  2020-01-04  ben 0.400  forecast",
        "  2020-01-05  model 0.273  E1 Vote to expel",
    ]
