"""Bundles: stable export, lossless round trip, merge rules, refusals that change nothing."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from sqlite_utils import Database

from arguments import review_store, tree_store
from arguments.evidence import EvidenceInputs
from arguments.evidence_store import add_evidence, edit_evidence, remove_evidence
from arguments.source_store import anchor_quote, attach_anchor, import_article
from forecast.exchange.bundle_export import build_bundle, bundle_json
from forecast.exchange.bundle_import import import_bundle, merge_bundle, read_bundle
from forecast.exchange.bundle_models import bundle_schema, schema_json
from forecast.workspace import open_workspace
from questions import store
from questions.errors import InvalidInput
from questions.models import QuestionDraft
from tests.conftest import dump

ROOT = Path(__file__).resolve().parents[3]
BRIEF = ROOT / "tests" / "arguments" / "fixtures" / "brief.md"


def populate(db: Database) -> None:
    """One of everything a bundle carries."""
    q1 = store.add_question(
        db,
        QuestionDraft(
            title="Will the dam hold?", priors=[0.3], tags=["water", "dams"], closes_at="2026-06-30"
        ),
        author="ana",
    )
    q2 = store.add_question(
        db,
        QuestionDraft(
            title="Who wins the vote?", outcome_names=["Left", "Centre", "Right"], priors=[2, 1, 1]
        ),
        author="ben",
    )
    source = import_article(db, BRIEF, by="ana")
    e1 = add_evidence(
        db,
        q1.id,
        EvidenceInputs(
            text="Cracks reported",
            lr=2.0,
            range_low=[1.2],
            range_high=[3.5],
            credibility=0.8,
            observed_at="2026-01-02",
        ),
        by="ana",
    )
    attach_anchor(db, e1.id, anchor_quote(db, f"S{source.id}:2", None))
    e2 = add_evidence(
        db,
        q1.id,
        EvidenceInputs(
            text="Engineers inspected it",
            lr=0.5,
            depends_on=e1.id,
            group="inspections",
            redundancy=0.4,
        ),
        by="ben",
    )
    add_evidence(db, q1.id, EvidenceInputs(text="A rumour", lr=3.0), by="ben")
    remove_evidence(db, "E3", by="ana")
    edit_evidence(db, e2.id, EvidenceInputs(credibility=0.6), by="ana")
    add_evidence(
        db, q2.id, EvidenceInputs(text="Poll lead for Left", likelihoods=[0.6, 0.3, 0.1]), by="ben"
    )
    root = tree_store.add_node(db, q1.id, "The dam is weak", by="ana")
    child = tree_store.add_node(
        db, q1.id, "Cracks are new", by="ben", under=root.id, stance="supports"
    )
    tree_store.link_evidence(db, child.id, e1.id, by="ben")
    tree_store.set_status(db, root.id, "approved", by="cy")
    first = review_store.add_comment(db, "E1", "Where is the photo?", by="cy")
    review_store.add_comment(db, "E1", "In the annex", by="ana", reply_to=first.id)
    review_store.add_comment(db, "Q2/Centre", "Centre is underrated", by="cy")
    review_store.challenge(db, "E1", by="cy", reason="Cracks are common", lr=1.3)
    review_store.challenge(
        db, "E4", by="ana", reason="The poll is old", likelihoods=[0.4, 0.4, 0.2]
    )
    review_store.accept_challenge(db, "C2", by="ben")
    for who, p in (("ana", 0.4), ("ben", 0.2)):
        store.record_forecast(
            db, q1.id, forecaster=who, p_yes=p, made_at="2026-01-03", rationale="first look"
        )
    store.record_forecast(db, q2.id, forecaster="cy", probs=[0.5, 0.3, 0.2], made_at="2026-01-04")
    store.record_forecast(
        db, q1.id, forecaster="cy", p_yes=0.45, made_at="2026-01-05", took_recalibration=True
    )
    store.set_priors(db, q1.id, [0.35, 0.65], by="ana")
    store.resolve(db, q2.id, "Centre", by="ben", at="2026-01-10")
    store.unresolve(db, q2.id, by="ben")
    store.resolve(db, q2.id, "Left", by="ben", at="2026-01-11")


@pytest.fixture
def full(tmp_path: Path) -> Path:
    path = tmp_path / "full.db"
    with open_workspace(path) as db:
        populate(db)
    return path


def exported(path: Path, *refs: str) -> str:
    with open_workspace(path) as db:
        return bundle_json(build_bundle(db, refs))


def test_round_trip_is_byte_identical(full: Path, tmp_path: Path) -> None:
    text = exported(full)
    (tmp_path / "b.json").write_text(text)
    empty = tmp_path / "empty.db"
    with open_workspace(empty) as db:
        report = import_bundle(db, tmp_path / "b.json")
    assert (
        report.added["questions"] == 2
        and report.added["evidence"] == 4
        and report.added["forecasts"] == 4
    )
    assert (
        report.added["comments"] == 3
        and report.added["challenges"] == 2
        and report.added["tree nodes"] == 2
    )
    assert not report.conflicts
    assert exported(empty) == text
    data = json.loads(text)
    assert data["schema_version"] == 3 and list(data) == sorted(data)
    vote, dam = sorted(data["questions"], key=lambda q: q["title"])
    items = {e["text"]: e for e in dam["evidence"]}
    assert items["Engineers inspected it"]["depends_on"] == items["Cracks reported"]["uuid"]
    assert items["Cracks reported"]["anchor"]["source"] == data["sources"][0]["uuid"]
    assert [r["action"] for r in vote["resolutions"]] == ["resolved", "unresolved", "resolved"]
    assert [f["took_recalibration"] for f in dam["forecasts"]] == [False, False, True]


def test_imported_workspace_computes_the_same(full: Path, tmp_path: Path) -> None:
    from forecast.engine.model import question_model

    (tmp_path / "b.json").write_text(exported(full))
    with open_workspace(tmp_path / "copy.db") as copy:
        import_bundle(copy, tmp_path / "b.json")
        with open_workspace(full) as original:
            for title in ("Will the dam hold?", "Who wins the vote?"):
                a, b = (
                    d.execute("select id from questions where title = ?", [title]).fetchone()[0]
                    for d in (original, copy)
                )
                assert list(question_model(original, a).analysis.posterior) == list(
                    question_model(copy, b).analysis.posterior
                )
            history = copy.execute("select action, by from evidence_history order by id").fetchall()
            assert ("added", "ana") in history and len(history) == 4


def test_importing_twice_changes_nothing(full: Path, tmp_path: Path) -> None:
    (tmp_path / "b.json").write_text(exported(full))
    with open_workspace(full) as db:
        before = dump(db)
        report = import_bundle(db, tmp_path / "b.json")
        assert not report.changed and not report.conflicts
        assert dump(db) == before
    with open_workspace(tmp_path / "other.db") as db:
        import_bundle(db, tmp_path / "b.json")
        once = dump(db)
        assert not import_bundle(db, tmp_path / "b.json").changed
        assert dump(db) == once


def test_export_of_some_questions_carries_their_sources(full: Path) -> None:
    only_vote = json.loads(exported(full, "Q2"))
    assert [q["title"] for q in only_vote["questions"]] == ["Who wins the vote?"]
    assert only_vote["sources"] == []
    only_dam = json.loads(exported(full, "Q1"))
    assert len(only_dam["sources"]) == 1


def _edit_copy(path: Path, tmp_path: Path, name: str, change) -> Path:  # type: ignore[no-untyped-def]
    """Export ``path``, import it into a new workspace, change it there, export that."""
    (tmp_path / "base.json").write_text(exported(path))
    copy = tmp_path / f"{name}.db"
    with open_workspace(copy) as db:
        import_bundle(db, tmp_path / "base.json")
        change(db)
    out = tmp_path / f"{name}.json"
    out.write_text(exported(copy))
    return out


def _eid(db: Database, text: str) -> int:
    return db.execute("select id from evidence where text = ?", [text]).fetchone()[0]


def _node(db: Database, text: str) -> int:
    return db.execute("select id from tree_nodes where text = ?", [text]).fetchone()[0]


def test_newer_version_updates_and_is_reported(full: Path, tmp_path: Path) -> None:
    bundle = _edit_copy(
        full,
        tmp_path,
        "theirs",
        lambda db: edit_evidence(
            db, _eid(db, "Engineers inspected it"), EvidenceInputs(credibility=0.3), by="dee"
        ),
    )
    with open_workspace(full) as db:
        report = import_bundle(db, bundle)
        assert len(report.updated) == 1 and "by dee" in report.updated[0] and not report.conflicts
        credibility, version = db.execute(
            "select credibility, version from evidence where text = 'Engineers inspected it'"
        ).fetchone()
        assert (credibility, version) == (0.3, 3)
        last = db.execute(
            "select action, by from evidence_history order by id desc limit 1"
        ).fetchone()
        assert last == ("edited", "dee")


def test_same_version_changed_on_both_sides_is_a_named_conflict(full: Path, tmp_path: Path) -> None:
    bundle = _edit_copy(
        full,
        tmp_path,
        "theirs",
        lambda db: tree_store.set_status(db, _node(db, "Cracks are new"), "challenged", by="dee"),
    )
    with open_workspace(full) as db:
        tree_store.set_status(db, "N2", "approved", by="ana")
        before = dump(db)
        with pytest.raises(InvalidInput, match="conflict"):
            import_bundle(db, bundle, strict=True)
        assert dump(db) == before
        report = import_bundle(db, bundle)
        assert len(report.conflicts) == 1
        assert (
            "N2" in report.conflicts[0]
            and "dee" in report.conflicts[0]
            and "ana" in report.conflicts[0]
        )
        assert db.execute("select status from tree_nodes where id = 2").fetchone()[0] == "approved"


def test_local_newer_is_kept(full: Path, tmp_path: Path) -> None:
    (tmp_path / "old.json").write_text(exported(full))
    with open_workspace(full) as db:
        store.set_priors(db, "Q1", [0.5, 0.5], by="ana")
        report = import_bundle(db, tmp_path / "old.json")
        assert len(report.kept_local) == 1 and not report.conflicts
        assert (
            db.execute(
                "select prior from outcomes where question_id = 1 and position = 0"
            ).fetchone()[0]
            == 0.5
        )


def test_new_rows_merge_and_a_differing_forecast_conflicts(full: Path, tmp_path: Path) -> None:
    def theirs(db: Database) -> None:
        qid = db.execute("select id from questions where title = 'Will the dam hold?'").fetchone()[
            0
        ]
        store.record_forecast(db, qid, forecaster="dee", p_yes=0.7, made_at="2026-01-05")
        store.add_question(db, QuestionDraft(title="A new question"), author="dee")
        review_store.add_comment(db, f"Q{qid}", "Looks right", by="dee")

    bundle = _edit_copy(full, tmp_path, "theirs", theirs)
    with open_workspace(full) as db:
        store.record_forecast(db, "Q1", forecaster="dee", p_yes=0.1, made_at="2026-01-05")
        report = import_bundle(db, bundle)
        assert report.added["questions"] == 1 and report.added["comments"] == 1
        assert report.conflicts == [
            "Q1: dee's forecast at 2026-01-05T00:00:00Z differs here and in the bundle; forecasts are "
            "append-only, kept this workspace's"
        ]
        assert db.execute("select p from forecasts where forecaster = 'dee'").fetchone()[0] == 0.1


def test_accepted_challenge_travels(full: Path, tmp_path: Path) -> None:
    bundle = _edit_copy(
        full,
        tmp_path,
        "theirs",
        lambda db: review_store.accept_challenge(
            db,
            db.execute("select id from challenges where reason = 'Cracks are common'").fetchone()[
                0
            ],
            by="dee",
        ),
    )
    with open_workspace(full) as db:
        report = import_bundle(db, bundle)
        assert not report.conflicts
        assert db.execute("select status, decided_by from challenges where id = 1").fetchone() == (
            "accepted",
            "dee",
        )
        assert json.loads(
            db.execute("select likelihoods from evidence where id = 1").fetchone()[0]
        ) == [1.3, 1.0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"format": "forecastle-bundle",\n  "schema_version": 1,,}',
            r"b\.json:2:23: not valid JSON",
        ),
        ("[1, 2]", "not a forecastle bundle"),
        (
            '{"format": "forecastle-bundle", "schema_version": 9}',
            "newer forecastle.*schema_version 9",
        ),
        (
            '{"format": "forecastle-bundle", "schema_version": "1"}',
            "schema_version: '1' is not allowed",
        ),
    ],
)
def test_malformed_bundles_are_refused_whole(
    full: Path, tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "b.json").write_text(text)
    with open_workspace(full) as db:
        before = dump(db)
        with pytest.raises(InvalidInput, match=message):
            import_bundle(db, tmp_path / "b.json")
        assert dump(db) == before


def test_a_bad_field_is_named_by_its_path(full: Path, tmp_path: Path) -> None:
    data = json.loads(exported(full))
    index = next(i for i, q in enumerate(data["questions"]) if q["evidence"])
    data["questions"][index]["evidence"][0]["credibility"] = 1.5
    with pytest.raises(InvalidInput) as caught:
        read_bundle(json.dumps(data), "b.json")
    assert str(caught.value) == (
        f"b.json: questions[{index}].evidence[0].credibility: Input should be less than or equal to 1 (value 1.5)"
    )
    data = json.loads(exported(full))
    data["questions"][index]["evidence"][0]["depends_on"] = "00000000-0000-4000-8000-000000000000"
    with pytest.raises(
        InvalidInput,
        match=rf"questions\[{index}\]: evidence\[0\].depends_on: .* is not another item",
    ):
        read_bundle(json.dumps(data), "b.json")


def test_unknown_source_refuses_the_whole_bundle(full: Path, tmp_path: Path) -> None:
    data = json.loads(exported(full))
    data["sources"] = []
    (tmp_path / "b.json").write_text(json.dumps(data))
    with open_workspace(tmp_path / "empty.db") as db:
        before = dump(db)
        with pytest.raises(
            InvalidInput, match="anchor.source .* neither in the bundle nor in this workspace"
        ):
            import_bundle(db, tmp_path / "b.json")
        assert dump(db) == before


def test_published_schema_is_current_and_describes_exports(full: Path) -> None:
    published = (ROOT / "docs" / "bundle.schema.json").read_text()
    assert published == schema_json(), (
        "regenerate: python -m forecast.exchange.bundle_models > docs/bundle.schema.json"
    )
    schema = bundle_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(exported(full)), schema)


def test_cli_export_and_import(full: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from tui import main

    runner = CliRunner()
    out = tmp_path / "team.json"
    result = runner.invoke(
        main, ["--db", str(full), "export", "bundle", "-o", str(out), "--question", "Q1"]
    )
    assert (
        result.exit_code == 0
        and json.loads(out.read_text())["questions"][0]["title"] == "Will the dam hold?"
    )
    target = tmp_path / "mine.db"
    result = runner.invoke(main, ["--db", str(target), "import", "bundle", str(out), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["added"]["questions"] == 1
    result = runner.invoke(main, ["--db", str(target), "import", "bundle", str(out)])
    assert result.stdout.startswith("added: nothing\n")
    out.write_text("{")
    result = runner.invoke(main, ["--db", str(target), "import", "bundle", str(out)])
    assert (
        result.exit_code == 1
        and result.stderr.count("\n") == 1
        and "Traceback" not in result.output
    )
    assert result.stderr.startswith(f"error: {out}:1:2: not valid JSON")


def test_merge_of_the_demo_is_stable(tmp_path: Path) -> None:
    from forecast.demo import build_demo

    build_demo(tmp_path / "demo.db")
    text = exported(tmp_path / "demo.db")
    with open_workspace(tmp_path / "copy.db") as db:
        merge_bundle(db, read_bundle(text, "demo"))
    assert exported(tmp_path / "copy.db") == text


def test_a_challenge_travels_and_comes_back_unchanged(full: Path, tmp_path: Path) -> None:
    """A challenge is part of its item's version: the other side takes the newer item (now
    'challenged') with the challenge, and the bundle it sends back changes nothing here."""
    theirs = _edit_copy(
        full,
        tmp_path,
        "theirs",
        lambda db: review_store.challenge(
            db, _eid(db, "Engineers inspected it"), by="dee", reason="Which engineers?", lr=0.8
        ),
    )
    with open_workspace(full) as db:
        report = import_bundle(db, theirs)
        assert report.conflicts == [], report.conflicts
        eid = _eid(db, "Engineers inspected it")
        assert db.execute(
            "select review_status, review_by from evidence where id = ?", [eid]
        ).fetchone() == ("challenged", "dee")
        assert db.execute(
            "select proposer, status from challenges where evidence_id = ?", [eid]
        ).fetchall() == [("dee", "open")]
    (tmp_path / "back.json").write_text(exported(full))
    with open_workspace(tmp_path / "theirs.db") as db:
        before = dump(db)
        report = import_bundle(db, tmp_path / "back.json")
        assert (report.conflicts, report.updated) == ([], [])
        assert dump(db) == before
