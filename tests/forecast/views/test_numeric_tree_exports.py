"""Markdown and Argdown tree exports of numeric and date questions: the range and unit, each item
as what it says about the value, the posterior median and intervals; read back."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tests.conftest import Cli
from tests.forecast.views.argdown import parse_argdown


def numeric_tree(cli: Cli) -> None:
    cli.ok("question", "add", "How many killed?", "--numeric", "50", "5000", "--unit", "people")
    cli.ok(
        "evidence",
        "add",
        "Q1",
        "Over a hundred in week one",
        "--above",
        "100",
        "--lr",
        "3",
        "--range",
        "1.5",
        "6",
        "--credibility",
        "0.9",
    )
    cli.ok("evidence", "add", "Q1", "Ministry count", "--measured", "742", "--sd", "50")
    cli.ok("evidence", "add", "Q1", "Fewer than 2000 by any count", "--below", "2000", "--lr", "4")
    cli.ok("tree", "add", "Q1", "The toll is high")  # N1
    cli.ok("tree", "add", "Q1", "Counts are inflated", "--attacks")  # N2
    cli.ok("tree", "link", "N1", "E1")
    cli.ok("tree", "link", "N2", "E3")


def _data(line: str) -> dict[str, Any]:
    """An Argdown line's data (a YAML flow mapping of JSON values) as a dict."""
    mapping = line[line.index(" {") + 1 :]
    return json.loads(
        re.sub(r"([{,] )?(\b[a-z_0-9]+): ", r'\1"\2": ', mapping.replace("{", "{ ", 1))
    )


def test_markdown_gives_range_posterior_and_each_item_as_read(cli: Cli) -> None:
    numeric_tree(cli)
    shown = json.loads(cli.ok("question", "show", "Q1", "--json"))["model"]["posterior"]
    text = cli.ok("tree", "show", "Q1", "--format", "md")
    assert "**Range:** 50 to 5000 people\n" in text
    low, high = shown["interval_90"]
    assert f"median {shown['median']:.4g} people;" in text
    assert f"90% {low:.4g} people – {high:.4g} people" in text
    lines = text.splitlines()
    pro = lines.index("- **Pro** The toll is high — draft (tester)")
    assert lines[pro + 1] == (
        "  - E1: Over a hundred in week one · *above 100 people (LR 3, 90% 1.5–6), credibility 0.9*"
    )
    assert "- **Con** Counts are inflated — draft (tester)" in lines
    assert (
        "  - E3: Fewer than 2000 by any count · *below 2000 people (LR 4), credibility 1*" in lines
    )
    loose = lines.index("## Evidence in no claim")
    assert lines[loose + 2] == "- E2: Ministry count · *measured 742 people ± 50, credibility 1*"


def test_argdown_carries_forms_values_and_the_posterior_as_data(cli: Cli, tmp_path: Path) -> None:
    numeric_tree(cli)
    text = cli.ok("tree", "show", "Q1", "--format", "argdown")
    lines = {
        line.split("]:")[0].strip().lstrip("+- ["): line
        for line in text.splitlines()
        if "]:" in line
    }
    head = _data(lines["Q1"])
    shown = json.loads(cli.ok("question", "show", "Q1", "--json"))["model"]["posterior"]
    assert head["median"] == shown["median"] and head["interval_90"] == shown["interval_90"]
    assert head["range"] == "50 to 5000 people"
    assert _data(lines["E1"]) == {
        "form": "above",
        "value": 100.0,
        "lr": 3.0,
        "lr_range": [1.5, 6.0],
        "credibility": 0.9,
        "says": "above 100 people (LR 3, 90% 1.5–6)",
    }
    assert _data(lines["E2"])["sd"] == 50.0 and "lr" not in _data(lines["E2"])
    assert lines["N2"].lstrip().startswith("- [N2]")
    parsed = parse_argdown(text, tmp_path)  # the reference parser, where installed
    assert not parsed["errors"]
    assert ["E1", "support", "N1"] in parsed["relations"]
    assert ["N2", "attack", "Q1"] in parsed["relations"]


def test_a_date_question_reads_in_dates_and_other_formats_are_refused(cli: Cli) -> None:
    cli.ok("question", "add", "When?", "--date", "2020-01-01", "2020-12-31")
    cli.ok("evidence", "add", "Q1", "Talks stalled", "--above", "2020-04-01", "--lr", "2")
    text = cli.ok("tree", "show", "Q1", "--format", "md")
    assert "**Range:** 2020-01-01 to 2020-12-31\n" in text
    assert "above 2020-04-01 (LR 2)" in text
    result = cli("tree", "show", "Q1", "--format", "dot")
    assert (
        result.exit_code != 0
        and "Q1 is a date question: its tree exports as text, md or argdown" in result.output
    )
