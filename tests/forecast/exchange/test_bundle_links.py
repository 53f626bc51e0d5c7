"""Bundles carry links: conditions, conditional forecasts and indicators round-trip byte for byte;
a version 1 bundle still imports; links to questions that are nowhere refuse the whole bundle."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from forecast.exchange.bundle_export import build_bundle, bundle_json
from forecast.exchange.bundle_import import import_bundle
from forecast.views.question import question_show_data
from forecast.workspace import open_workspace
from questions import store
from questions.errors import InvalidInput
from tests.conftest import Cli, dump


def _linked(cli: Cli) -> None:
    cli.ok("question", "add", "Attack")
    cli.ok("question", "add", "Withdraw")
    cli.ok("question", "add", "State", "--outcome", "D", "--outcome", "R")
    cli.ok("question", "add", "Prison break")
    cli.ok("condition", "Q2", "--on", "Q1")
    cli.ok("forecast", "Q2", "0.7", "--given", "Q1=Yes", "--by", "ann", "--at", "2020-01-02")
    cli.ok("forecast", "Q2", "0.2", "--given", "Q1=No", "--by", "ann", "--at", "2020-01-02")
    cli.ok("indicator", "add", "Q3", "Q4", "--likelihoods", "0.2,0.7", "--group", "ind")
    cli.ok("resolve", "Q4", "Yes", "--at", "2020-02-01")
    cli.ok("resolve", "Q1", "Yes", "--at", "2020-02-02")


def _export(path: Path, *refs: str) -> str:
    with open_workspace(path) as db:
        return bundle_json(build_bundle(db, refs))


def test_links_round_trip(cli: Cli, tmp_path: Path) -> None:
    _linked(cli)
    text = _export(cli.path)
    data = json.loads(text)
    withdraw = next(q for q in data["questions"] if q["title"] == "Withdraw")
    assert len(withdraw["conditions"]) == 1 and len(withdraw["conditional_forecasts"]) == 2
    assert withdraw["forecasts"] == []  # the realised forecast is remade on import
    state = next(q for q in data["questions"] if q["title"] == "State")
    assert state["evidence"][0]["indicator"] is not None
    (tmp_path / "b.json").write_text(text)
    other = tmp_path / "other.db"
    with open_workspace(other) as db:
        report = import_bundle(db, tmp_path / "b.json")
        assert report.added["conditions"] == 1 and report.added["indicators"] == 1
        ids = {q.title: q.id for q in store.list_questions(db)}
        made = store.forecasts_for(db, ids["Withdraw"])
        assert [f.probs[0] for f in made] == pytest.approx([0.7])
        shown = question_show_data(db, f"Q{ids['State']}")
        assert shown["evidence"][0]["indicator"] == f"Q{ids['Prison break']}"
        before = dump(db)
        import_bundle(db, tmp_path / "b.json")  # twice: nothing changes
        assert dump(db) == before
    assert _export(other) == text


def test_version_1_bundle_still_imports(cli: Cli, tmp_path: Path) -> None:
    cli.ok("question", "add", "Old")
    data = json.loads(_export(cli.path))
    data["schema_version"] = 1
    for q in data["questions"]:
        for key in ("conditions", "conditional_forecasts", "indicators"):
            q.pop(key)
        for item in q["evidence"]:
            item.pop("indicator", None)
            item.pop("indicator_outcome", None)
    (tmp_path / "v1.json").write_text(json.dumps(data))
    with open_workspace(tmp_path / "new.db") as db:
        assert import_bundle(db, tmp_path / "v1.json").added["questions"] == 1


def test_links_to_missing_questions_are_refused_whole(cli: Cli, tmp_path: Path) -> None:
    _linked(cli)
    (tmp_path / "part.json").write_text(_export(cli.path, "Q2", "Q3", "Q4"))
    with open_workspace(tmp_path / "fresh.db") as db:
        before = dump(db)
        with pytest.raises(InvalidInput, match="neither in the bundle nor in this workspace"):
            import_bundle(db, tmp_path / "part.json")
        assert dump(db) == before


def test_tree_exports_carry_the_links(cli: Cli) -> None:
    import jsonschema

    from forecast.views.tree import TREE_JSON_SCHEMA

    _linked(cli)
    data = json.loads(cli.ok("tree", "show", "Q3", "--format", "json"))
    jsonschema.validate(data, TREE_JSON_SCHEMA)
    assert data["links"]["indicators"][0]["question"] == "Q4"
    assert data["links"]["indicators"][0]["evidence"] == "E1"
    child = json.loads(cli.ok("tree", "show", "Q2", "--format", "json"))
    assert child["links"]["conditional_on"] == ["Q1"]
    markdown = cli.ok("tree", "show", "Q3", "--format", "md")
    assert "## Linked questions" in markdown
    assert "Indicator Q4 (Prison break): P(Yes | each outcome) = 0.2, 0.7" in markdown
    assert "became evidence E1" in markdown
    assert "Conditional on: Q1" in cli.ok("tree", "show", "Q2", "--format", "md")
