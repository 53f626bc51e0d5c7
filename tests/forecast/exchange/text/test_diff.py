"""``forecastle diff``: per-question changes with their authors, and the model's posterior before
and after computed as ``question show`` computes it; exit 0 equal, 1 differ, 2 error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from forecast.diff.compare import compare_files
from forecast.diff.render import as_markdown, as_text
from forecast.diff.sides import side_files
from forecast.engine.model import question_model
from forecast.exchange.bundle_export import build_bundle, bundle_json
from forecast.workspace import open_workspace
from questions import store
from tests.conftest import Cli
from tests.forecast.exchange.test_bundle import populate


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    with open_workspace(a) as db:
        populate(db)
    (tmp_path / "a.json").write_text(bundle_json(build_bundle(open_workspace(a))))
    with open_workspace(b) as db:
        from forecast.exchange.bundle_import import import_bundle

        import_bundle(db, tmp_path / "a.json")
        from arguments.evidence import EvidenceInputs
        from arguments.evidence_store import add_evidence, edit_evidence

        cracks = db.execute("select id from evidence where text = 'Cracks reported'").fetchone()[0]
        edit_evidence(
            db, cracks, EvidenceInputs(lr=3.0, range_low=[2.0], range_high=[4.0]), by="dee"
        )
        dam = db.execute("select id from questions where title like 'Will the dam%'").fetchone()[0]
        add_evidence(db, dam, EvidenceInputs(text="Spillway repaired", lr=0.8), by="eve")
        store.record_forecast(db, dam, forecaster="eve", p_yes=0.3, made_at="2026-01-12")
        from arguments import tree_store

        node = db.execute("select id from tree_nodes where text = 'Cracks are new'").fetchone()[0]
        tree_store.set_status(db, node, "challenged", by="dee")
    return a, b


def test_changes_are_listed_with_authors_and_the_posterior_moves(pair: tuple[Path, Path]) -> None:
    a, b = pair
    diff = compare_files(side_files(str(a)), side_files(str(b)))
    (question,) = diff.questions
    assert question.title == "Will the dam hold?" and question.status == "changed"
    text = as_text(diff)
    assert (
        'evidence edited: "Cracks reported" LR 2 → 3; range_low LR 1.2 → 2; range_high LR 3.5 → 4 (by dee)'
        in text
    )
    assert 'evidence added: "Spillway repaired" LR 0.8; credibility 1 (by eve)' in text
    assert "forecast added: eve at 2026-01-12T00:00:00Z Yes 0.3, No 0.7" in text
    assert (
        'node edited: "Cracks are new" status "draft" → "challenged"' in text and "(by dee)" in text
    )
    dam = "select id from questions where title = 'Will the dam hold?'"
    with open_workspace(a) as db:
        before = question_model(db, db.execute(dam).fetchone()[0]).analysis.posterior
    with open_workspace(b) as db:
        after = question_model(db, db.execute(dam).fetchone()[0]).analysis.posterior
    assert question.before == pytest.approx(list(before), abs=1e-12)
    assert question.after == pytest.approx(list(after), abs=1e-12)
    assert f"posterior: Yes {before[0]:.4g} → {after[0]:.4g}" in text
    md = as_markdown(diff)
    assert (
        "### Will the dam hold? (changed)" in md
        and f"| Yes | {before[0]:.4g} | {after[0]:.4g} |" in md
    )


def test_every_kind_of_side_gives_the_same_diff(pair: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = pair
    cli = Cli(b)
    cli.ok("export", "bundle", "-o", str(tmp_path / "b.json"))
    cli.ok("export", "text", str(tmp_path / "b-text"))
    expected = compare_files(side_files(str(a)), side_files(str(b))).as_dict()
    for side in (tmp_path / "b.json", tmp_path / "b-text"):
        assert compare_files(side_files(str(a)), side_files(str(side))).as_dict() == expected


def test_exit_codes_and_json(pair: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = pair
    cli = Cli(tmp_path / "unused.db")
    same = cli("diff", str(a), str(a))
    assert same.exit_code == 0 and same.stdout == "no differences\n"
    differ = cli("diff", str(a), str(b), "--json")
    assert differ.exit_code == 1
    data = json.loads(differ.stdout)
    assert data["equal"] is False and set(data["questions"][0]) == {
        "uuid",
        "title",
        "status",
        "changes",
        "posterior",
    }
    assert set(data["questions"][0]["posterior"]) == {"outcomes", "before", "after", "problems"}
    assert cli("diff", str(a), str(b), "--format", "md").stdout.startswith("## forecastle diff")
    missing = cli("diff", str(a), str(tmp_path / "nowhere"))
    assert (
        missing.exit_code == 2
        and missing.stderr.startswith("error: ")
        and "nowhere" in missing.stderr
    )


def test_added_and_removed_questions(pair: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = pair
    with open_workspace(b) as db:
        store.add_question(db, store.QuestionDraft(title="A new one", priors=[0.5]), author="eve")
    diff = compare_files(side_files(str(a)), side_files(str(b)))
    added = [q for q in diff.questions if q.status == "added"]
    assert [q.title for q in added] == ["A new one"] and added[0].before is None
    assert added[0].after == [0.5, 0.5]
    back = compare_files(side_files(str(b)), side_files(str(a)))
    assert [q.status for q in back.questions if q.title == "A new one"] == ["removed"]
