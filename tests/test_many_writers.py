"""Several writers on one workspace file: nothing is lost, and a stale edit is refused.

The first tests start two real OS processes that each open the workspace themselves and write to
it at the same moment (shared barrier files before every batch make the overlap certain). The others show what optimistic versioning
promises: an edit based on a version someone else has already changed is refused, naming who
changed it and when, both through the store and through ``forecastle evidence edit``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from arguments.evidence import EvidenceInputs
from arguments.evidence_store import add_evidence, edit_evidence, evidence_history, get_evidence
from arguments.review_store import challenge, get_challenge
from forecast.workspace import open_workspace
from questions import clock, store
from questions.errors import Conflict
from questions.models import QuestionDraft
from tests.conftest import Cli

ROOT = Path(__file__).resolve().parents[1]
ITEMS = 20
FORECASTS_PER_WRITER = 500
EDITS_PER_WRITER = 200
WRITERS = ("writer-a", "writer-b")

# One writer: open the workspace, then run its plan batch by batch. Before each batch it waits on a
# barrier shared with the other writers (a file per writer and batch), so every batch is under way
# in all writers at once: the overlap is certain, not hoped for, however busy the machine is.
# Decisions (accept, reject, resolve, annul, unresolve) may be refused as conflicts; the writer
# prints what happened to each one as JSON.
WORKER = """
import json, os, sys, time
from pathlib import Path

from arguments.evidence import EvidenceInputs
from arguments.evidence_store import edit_evidence
from arguments.review_store import accept_challenge, reject_challenge
from forecast.workspace import open_workspace
from questions import store
from questions.errors import Conflict

db_path, plan_path, name, barrier_dir = sys.argv[1:5]
writers = sys.argv[5].split(",")
batches = json.loads(Path(plan_path).read_text())
db = open_workspace(db_path)
store.get_question(db, "Q1")


def barrier(k):
    Path(barrier_dir, f"{name}.{k}").touch()
    deadline = time.monotonic() + 60
    while not all(os.path.exists(os.path.join(barrier_dir, f"{w}.{k}")) for w in writers):
        if time.monotonic() > deadline:
            sys.exit(f"batch {k}: the other writers never arrived")
        time.sleep(0.001)


decisions = []
for k, batch in enumerate(batches):
    barrier(k)
    for op in batch:
        kind = op[0]
        if kind == "forecast":
            store.record_forecast(db, "Q1", forecaster=name, p_yes=op[2], made_at=op[1])
        elif kind == "edit":
            edit_evidence(db, op[1], EvidenceInputs(text=op[2], credibility=op[3]), by=name)
        else:
            try:
                if kind == "accept":
                    accept_challenge(db, op[1], by=name)
                elif kind == "reject":
                    reject_challenge(db, op[1], by=name)
                elif kind == "resolve":
                    store.resolve(db, op[1], "yes", by=name, at="2025-06-01")
                elif kind == "annul":
                    store.annul(db, op[1], by=name, at="2025-06-01")
                else:
                    store.unresolve(db, op[1], by=name)
                decisions.append([kind, op[1], "done"])
            except Conflict:
                decisions.append([kind, op[1], "refused"])
db.close()
print(json.dumps(decisions))
"""
BATCH = 50  # forecasts per batch: each batch holds both writers' rows, so >= 10 switches for 500


def run_writers(tmp_path: Path, path: Path, plans: dict[str, list[list[list[object]]]]) -> dict:
    """Run one OS process per writer on the workspace at ``path``; each plan is a list of batches.

    Returns each writer's decisions; fails on a non-zero exit or anything on stderr."""
    barrier_dir = tmp_path / "barrier"
    barrier_dir.mkdir(exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("FORECASTLE_NOW", None)
    procs = {}
    for name, plan in plans.items():
        plan_path = tmp_path / f"{name}.json"
        plan_path.write_text(json.dumps(plan))
        procs[name] = subprocess.Popen(
            [
                sys.executable,
                "-c",
                WORKER,
                str(path),
                str(plan_path),
                name,
                str(barrier_dir),
                ",".join(plans),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    try:
        results = {name: p.communicate(timeout=180) for name, p in procs.items()}
    finally:
        for p in procs.values():
            if p.poll() is None:
                p.kill()
                p.wait()
    for name, p in procs.items():
        out, err = results[name]
        assert p.returncode == 0, f"{name} exited {p.returncode}:\n{err}"
        assert err == "", f"{name} wrote to stderr:\n{err}"
    return {name: json.loads(results[name][0]) for name in plans}


def plan_for(writer: int, name: str, item_ids: list[int]) -> list[list[object]]:
    """500 forecasts with 200 evidence edits woven between them (an edit after 2 of every 5).

    The writers edit the same items in different orders, so their edits collide.
    """
    start = datetime(2025, 1, 1, tzinfo=UTC)
    ops: list[list[object]] = []
    edits = 0
    for k in range(FORECASTS_PER_WRITER):
        made_at = clock.to_iso(start + timedelta(minutes=k))
        ops.append(["forecast", made_at, round(0.01 + (k % 98) / 100, 2)])
        if k % 5 in (1, 3):
            item = item_ids[(edits if writer == 0 else edits * edits + 3) % len(item_ids)]
            ops.append(["edit", item, f"{name} edit {edits}", round((edits % 11) / 10, 1)])
            edits += 1
    assert edits == EDITS_PER_WRITER
    return ops


def batches(plan: list[list[object]]) -> list[list[list[object]]]:
    """Cut a plan into batches of ``BATCH`` forecasts (with the edits woven between them)."""
    out: list[list[list[object]]] = [[]]
    forecasts = 0
    for op in plan:
        if op[0] == "forecast" and forecasts and forecasts % BATCH == 0:
            out.append([])
        forecasts += op[0] == "forecast"
        out[-1].append(op)
    return out


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "workspace.db"
    setup = open_workspace(path)
    qid = store.add_question(
        setup, QuestionDraft(title="Will the ceasefire hold?"), author="ann"
    ).id
    item_ids = [
        add_evidence(setup, qid, EvidenceInputs(text=f"Item {n}", lr=2), by="ann").id
        for n in range(ITEMS)
    ]
    setup.close()

    plans = {name: plan_for(i, name, item_ids) for i, name in enumerate(WRITERS)}
    run_writers(tmp_path, path, {name: batches(plan) for name, plan in plans.items()})

    db = open_workspace(path)
    try:
        assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert db.execute("pragma foreign_key_check").fetchall() == []

        # Every forecast is there, exactly once, as planned.
        assert (
            db.execute("select count(*) from forecasts").fetchone()[0]
            == len(WRITERS) * FORECASTS_PER_WRITER
        )
        for name, plan in plans.items():
            stored = db.execute(
                "select made_at, p from forecasts where forecaster = ? order by made_at", [name]
            ).fetchall()
            assert stored == [(op[1], op[2]) for op in plan if op[0] == "forecast"]

        # The barrier made them overlap: no batch starts before both finished the one before,
        # so every batch holds rows of both writers (a check on the harness, not on luck).
        order = [r[0] for r in db.execute("select forecaster from forecasts order by id")]
        switches = sum(1 for a, b in zip(order, order[1:], strict=False) if a != b)
        assert switches >= FORECASTS_PER_WRITER // BATCH, f"{switches} switches"

        # Every edit bumped its item's version once and left one history entry.
        expected_edits = Counter(op[1] for plan in plans.values() for op in plan if op[0] == "edit")
        assert sum(expected_edits.values()) == len(WRITERS) * EDITS_PER_WRITER
        history = evidence_history(db, qid)
        actions = Counter(h["action"] for h in history)
        assert actions == {"added": ITEMS, "edited": len(WRITERS) * EDITS_PER_WRITER}
        for eid in item_ids:
            item = get_evidence(db, eid)
            assert item.version == 1 + expected_edits[eid], f"E{eid}"
            mine = [h for h in history if h["evidence_id"] == eid]
            assert [h["version"] for h in mine] == list(range(1, item.version + 1)), f"E{eid}"
            last = mine[-1]["state"]
            assert (last["text"], last["credibility"], last["updated_by"]) == (
                item.text,
                item.credibility,
                item.updated_by,
            )
            # The item holds one writer's complete edit (text and credibility from the same one).
            if expected_edits[eid]:
                writer, _, number = item.text.rpartition(" edit ")
                assert writer == item.updated_by
                assert item.credibility == round((int(number) % 11) / 10, 1)
    finally:
        db.close()


DECISIONS = 30


def test_two_processes_deciding_the_same_things_at_once_decide_each_once(tmp_path: Path) -> None:
    """Ann accepts every challenge while Bob rejects it; both reopen the same resolved questions;
    Ann annuls the open ones while Bob resolves them. Each pair starts at one barrier, so both
    check before either writes. Of two conflicting decisions exactly one applies, the other is
    refused, and every audit trail is one a single person could have made."""
    path = tmp_path / "workspace.db"
    setup = open_workspace(path)
    store.add_question(setup, QuestionDraft(title="Warm-up"), author="ann")
    host = store.add_question(setup, QuestionDraft(title="Challenged items"), author="ann").id
    challenges = []
    for n in range(DECISIONS):
        item = add_evidence(setup, host, EvidenceInputs(text=f"Item {n}", lr=2), by="ann")
        challenges.append(challenge(setup, item.id, by="cat", lr=0.5, reason="too strong").id)
    resolved, open_ = [], []
    for n in range(DECISIONS):
        qid = store.add_question(setup, QuestionDraft(title=f"Resolved {n}"), author="ann").id
        store.resolve(setup, qid, "no", by="ann", at="2025-01-01")
        resolved.append(qid)
        open_.append(store.add_question(setup, QuestionDraft(title=f"Open {n}"), author="ann").id)
    setup.close()

    def plan(accept: str, annul: str) -> list[list[list[object]]]:
        return (
            [[[accept, c]] for c in challenges]
            + [[["unresolve", q]] for q in resolved]
            + [[[annul, q]] for q in open_]
        )

    done = run_writers(
        tmp_path, path, {"ann": plan("accept", "annul"), "bob": plan("reject", "resolve")}
    )

    db = open_workspace(path)
    try:
        assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
        outcomes = {
            (kind, target): result
            for decisions in done.values()
            for kind, target, result in decisions
        }
        for cid in challenges:
            pair = (outcomes[("accept", cid)], outcomes[("reject", cid)])
            assert sorted(pair) == ["done", "refused"], f"C{cid}: {pair}"
            found = get_challenge(db, cid)
            item = get_evidence(db, found.evidence_id)
            edits = [h for h in evidence_history(db, host) if h["evidence_id"] == item.id]
            if pair[0] == "done":
                assert (found.status, found.decided_by) == ("accepted", "ann")
                assert item.likelihoods == (0.5, 1.0) and review_status(db, item.id) == "approved"
                assert [h["action"] for h in edits] == ["added", "edited"]
            else:
                assert (found.status, found.decided_by) == ("rejected", "bob")
                assert item.likelihoods == (2.0, 1.0) and review_status(db, item.id) == "in review"
                assert [h["action"] for h in edits] == ["added"]
        for qid in resolved:
            both = [r for made in done.values() for k, t, r in made if (k, t) == ("unresolve", qid)]
            assert sorted(both) == ["done", "refused"], f"Q{qid}"
            assert trail(db, qid) == ["resolved", "unresolved"]
        for qid in open_:
            assert outcomes[("annul", qid)] == "done"  # annulling a resolved question is allowed
            steps = trail(db, qid)
            assert steps in (["annulled"], ["resolved", "annulled"]), f"Q{qid}: {steps}"
            assert outcomes[("resolve", qid)] == ("done" if steps[0] == "resolved" else "refused")
        for qid in resolved + open_:
            question = store.get_question(db, qid)
            steps = trail(db, qid)
            assert question.version == 1 + len(steps), f"Q{qid}"
            status = {"resolved": "resolved", "annulled": "annulled", "unresolved": "open"}
            assert question.status == status[steps[-1]], f"Q{qid}"
    finally:
        db.close()


def review_status(db: Database, eid: int) -> str:
    return str(db.execute("select review_status from evidence where id = ?", [eid]).fetchone()[0])


def trail(db: Database, qid: int) -> list[str]:
    return [r.action for r in store.resolution_history(db, qid)]


@pytest.fixture
def shared_item(workspace_path: Path) -> int:
    """A file workspace with one question and one item already edited once (version 2)."""
    setup = open_workspace(workspace_path)
    qid = store.add_question(
        setup, QuestionDraft(title="Will the ceasefire hold?"), author="ann"
    ).id
    item = add_evidence(setup, qid, EvidenceInputs(text="Artillery withdrawn", lr=3), by="ann")
    edit_evidence(setup, item.id, EvidenceInputs(credibility=0.9), by="ann", expected_version=1)
    setup.close()
    return item.id


def test_stale_edit_is_refused_naming_who_and_when(workspace_path: Path, shared_item: int) -> None:
    first, second = open_workspace(workspace_path), open_workspace(workspace_path)
    try:
        seen_first = get_evidence(first, shared_item)
        seen_second = get_evidence(second, shared_item)
        assert seen_first.version == seen_second.version == 2

        clock.set_clock(lambda: datetime(2026, 1, 15, 12, 5, tzinfo=UTC))
        saved = edit_evidence(
            first,
            shared_item,
            EvidenceInputs(text="Artillery withdrawn 20 km", credibility=0.6),
            by="bob",
            expected_version=seen_first.version,
        )
        assert saved.version == 3

        clock.set_clock(lambda: datetime(2026, 1, 15, 12, 7, tzinfo=UTC))
        with pytest.raises(Conflict) as refused:
            edit_evidence(
                second,
                shared_item,
                EvidenceInputs(text="Artillery returned", credibility=0.1),
                by="cat",
                expected_version=seen_second.version,
            )
        message = str(refused.value)
        assert "\n" not in message
        assert f"E{shared_item}" in message
        assert "bob" in message, message  # who
        assert "2026-01-15T12:05:00Z" in message, message  # when
        assert "version 3" in message and "version 2" in message, message

        for session in (first, second):
            item = get_evidence(session, shared_item)
            assert (item.version, item.text, item.credibility) == (
                3,
                "Artillery withdrawn 20 km",
                0.6,
            )
            assert (item.updated_by, item.updated_at) == ("bob", "2026-01-15T12:05:00Z")
        history = evidence_history(second, item.question_id)
        assert [(h["action"], h["version"], h["by"]) for h in history] == [
            ("added", 1, "ann"),
            ("edited", 2, "ann"),
            ("edited", 3, "bob"),
        ]
    finally:
        first.close()
        second.close()


def test_stale_edit_is_refused_by_the_cli(cli: Cli) -> None:
    cli.ok("--as", "ann", "question", "add", "Will the ceasefire hold?")
    assert (
        cli.ok("--as", "ann", "evidence", "add", "Q1", "Artillery withdrawn", "--lr", "3") == "E1"
    )
    listed = json.loads(cli.ok("evidence", "list", "Q1", "--json"))
    version = listed[0]["version"]
    assert version == 1

    clock.set_clock(lambda: datetime(2026, 1, 15, 12, 5, tzinfo=UTC))
    assert (
        cli.ok(
            "--as",
            "bob",
            "evidence",
            "edit",
            "E1",
            "--text",
            "Artillery withdrawn 20 km",
            "--credibility",
            "0.6",
            "--expect-version",
            str(version),
        )
        == "E1: version 2"
    )

    clock.set_clock(lambda: datetime(2026, 1, 15, 12, 7, tzinfo=UTC))
    before = _snapshot(cli.open())
    result = cli(
        "--as",
        "cat",
        "evidence",
        "edit",
        "E1",
        "--text",
        "Artillery returned",
        "--credibility",
        "0.1",
        "--expect-version",
        str(version),
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert lines[0].startswith("error: E1: "), lines[0]
    assert "bob" in lines[0] and "2026-01-15T12:05:00Z" in lines[0], lines[0]
    assert _snapshot(cli.open()) == before

    item = json.loads(cli.ok("evidence", "list", "Q1", "--json"))[0]
    assert (item["version"], item["text"], item["credibility"]) == (
        2,
        "Artillery withdrawn 20 km",
        0.6,
    )


def _snapshot(db: Database) -> list[str]:
    try:
        return list(db.conn.iterdump())
    finally:
        db.close()


def test_edit_without_version_keeps_fields_another_writer_just_changed(
    workspace_path: Path, shared_item: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ann changes only the text while Bob (another session) changes only the credibility.

    ``EvidenceInputs`` says a field not given is kept; Bob's credibility must survive Ann's edit.
    Bob's edit commits just before Ann's write transaction begins (after anything Ann read before).
    """
    import arguments.evidence_store as evidence_store

    ann, bob = open_workspace(workspace_path), open_workspace(workspace_path)
    real_transaction = evidence_store.write_transaction
    interleaved: list[bool] = []

    def bob_edits_then_transaction(db: Database):  # noqa: ANN202
        if db is ann and not interleaved:
            interleaved.append(True)
            edit_evidence(bob, shared_item, EvidenceInputs(credibility=0.2), by="bob")
        return real_transaction(db)

    monkeypatch.setattr(evidence_store, "write_transaction", bob_edits_then_transaction)
    try:
        edit_evidence(ann, shared_item, EvidenceInputs(text="Artillery withdrawn 20 km"), by="ann")
        assert interleaved
        item = get_evidence(bob, shared_item)
        assert item.version == 4
        assert item.text == "Artillery withdrawn 20 km"
        assert item.credibility == 0.2, "Bob's credibility edit was silently reverted"
    finally:
        ann.close()
        bob.close()
