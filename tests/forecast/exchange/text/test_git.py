"""Real git: two analysts' clones of a text directory, concurrent edits of the same question
(one changes an LR, the other adds evidence and a forecast), pull and merge with forecastle's
merge driver: nothing lost; both changing the same LR is a named conflict. And `git diff` shows
questions with their posteriors (textconv); `diff git:REV` reads revisions."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from arguments.evidence import EvidenceInputs
from arguments.evidence_store import add_evidence, edit_evidence
from forecast.exchange.text.directory import export_text, import_text, read_text_dir
from forecast.workspace import open_workspace
from questions import store
from tests.conftest import Cli
from tests.forecast.exchange.test_bundle import populate

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def _env(home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }


class Repo:
    def __init__(self, path: Path, home: Path) -> None:
        self.path, self.env = path, _env(home)

    def __call__(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            ["git", *args], cwd=self.path, env=self.env, capture_output=True, text=True, check=False
        )
        if check:
            assert done.returncode == 0, done.stdout + done.stderr
        return done


def _cracks(db) -> int:  # type: ignore[no-untyped-def]
    return int(db.execute("select id from evidence where text = 'Cracks reported'").fetchone()[0])


def _dam(db) -> int:  # type: ignore[no-untyped-def]
    return int(
        db.execute("select id from questions where title = 'Will the dam hold?'").fetchone()[0]
    )


@pytest.fixture
def clones(tmp_path: Path) -> tuple[Repo, Repo]:
    home = tmp_path / "home"
    home.mkdir()
    top = Repo(tmp_path, home)
    top("init", "-q", "--bare", "-b", "main", "origin.git")
    top("clone", "-q", "origin.git", "alice")
    alice = Repo(tmp_path / "alice", home)
    with open_workspace(tmp_path / "alice.db") as db:
        populate(db)
        export_text(db, alice.path / "ws")
    Cli(tmp_path / "alice.db").ok("git", "install", str(alice.path / "ws"))
    alice("add", "-A")
    alice("commit", "-q", "-m", "the dam and the vote")
    alice("push", "-q", "origin", "HEAD:main")
    top("clone", "-q", "origin.git", "bob")
    bob = Repo(tmp_path / "bob", home)
    Cli(tmp_path / "bob.db").ok("git", "install", str(bob.path / "ws"))
    with open_workspace(tmp_path / "bob.db") as db:
        import_text(db, bob.path / "ws")
    return alice, bob


def _publish(repo: Repo, db_path: Path, message: str) -> None:
    with open_workspace(db_path) as db:
        export_text(db, repo.path / "ws")
    repo("add", "-A")
    repo("commit", "-q", "-m", message)


def test_concurrent_edits_merge_with_nothing_lost(
    clones: tuple[Repo, Repo], tmp_path: Path
) -> None:
    alice, bob = clones
    with open_workspace(tmp_path / "alice.db") as db:
        edit_evidence(db, _cracks(db), EvidenceInputs(lr=2.5), by="ana")
    _publish(alice, tmp_path / "alice.db", "cracks: LR 2.5")
    alice("push", "-q", "origin", "HEAD:main")
    with open_workspace(tmp_path / "bob.db") as db:
        add_evidence(db, _dam(db), EvidenceInputs(text="Spillway repaired", lr=0.8), by="ben")
        store.record_forecast(db, _dam(db), forecaster="ben", p_yes=0.25, made_at="2026-01-12")
    _publish(bob, tmp_path / "bob.db", "spillway, and my forecast")
    pulled = bob("-c", "pull.rebase=false", "pull", "-q", "--no-edit", "origin", "main")
    assert "CONFLICT" not in pulled.stdout + pulled.stderr
    merged = read_text_dir(bob.path / "ws")
    (dam,) = [q for q in merged.questions if q.title == "Will the dam hold?"]
    items = {e.text: e for e in dam.evidence}
    assert items["Cracks reported"].likelihoods == [2.5, 1.0]  # alice's edit
    assert items["Spillway repaired"].likelihoods == [0.8, 1.0]  # bob's item
    assert ("ben", "2026-01-12T00:00:00Z") in {(f.forecaster, f.made_at) for f in dam.forecasts}
    assert {"ana", "ben"} <= {f.forecaster for f in dam.forecasts}
    with open_workspace(tmp_path / "bob.db") as db:  # bob's workspace takes alice's edit
        report = import_text(db, bob.path / "ws")
        assert not report.conflicts, report.lines()
        (lr,) = db.execute(
            "select likelihoods from evidence where id = ?", [_cracks(db)]
        ).fetchone()
        assert json.loads(lr) == [2.5, 1.0]


def test_both_changing_the_same_lr_is_a_named_conflict(
    clones: tuple[Repo, Repo], tmp_path: Path
) -> None:
    alice, bob = clones
    with open_workspace(tmp_path / "alice.db") as db:
        edit_evidence(
            db, _cracks(db), EvidenceInputs(lr=4.0, range_low=[1.2], range_high=[5.0]), by="ana"
        )
    _publish(alice, tmp_path / "alice.db", "cracks: LR 4")
    alice("push", "-q", "origin", "HEAD:main")
    with open_workspace(tmp_path / "bob.db") as db:
        edit_evidence(db, _cracks(db), EvidenceInputs(lr=1.5, credibility=0.9), by="ben")
        add_evidence(db, _dam(db), EvidenceInputs(text="Spillway repaired", lr=0.8), by="ben")
    _publish(bob, tmp_path / "bob.db", "cracks: LR 1.5")
    pulled = bob("-c", "pull.rebase=false", "pull", "--no-edit", "origin", "main", check=False)
    output = pulled.stdout + pulled.stderr
    assert pulled.returncode != 0
    assert "forecastle merge: conflict:" in output and "likelihoods changed on both sides" in output
    assert "'Cracks reported'" in output
    conflicted = next(
        p
        for p in (bob.path / "ws" / "questions").glob("*.toml")
        if "Cracks reported" in p.read_text()
    )
    text = conflicted.read_text()
    assert "<<<<<<< ours: evidence 'Cracks reported': likelihoods changed on both sides" in text
    assert "likelihoods = [1.5, 1.0]\n=======\nlikelihoods = [4.0, 1.0]\n>>>>>>> theirs" in text
    assert "credibility = 0.9" in text  # bob's other field, changed on his side only, is kept
    assert 'text = "Spillway repaired"' in text  # and his new item


def test_git_diff_shows_posteriors_and_diff_reads_revisions(
    clones: tuple[Repo, Repo], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice, _ = clones
    with open_workspace(tmp_path / "alice.db") as db:
        edit_evidence(db, _cracks(db), EvidenceInputs(lr=2.5), by="ana")
    _publish(alice, tmp_path / "alice.db", "cracks: LR 2.5")
    shown = alice("diff", "HEAD~1", "HEAD").stdout
    assert "-evidence 'Cracks reported': LR 2 (90% LR 1.2 to LR 3.5)" in shown
    assert "+evidence 'Cracks reported': LR 2.5 (90% LR 1.2 to LR 3.5)" in shown
    assert (
        "-outcome Yes: prior 0.35, posterior" in shown
        and "+outcome Yes: prior 0.35, posterior" in shown
    )
    monkeypatch.chdir(alice.path / "ws")
    result = Cli(tmp_path / "alice.db")("diff", "git:HEAD~1", "git:HEAD")
    assert result.exit_code == 1, result.stderr
    assert 'evidence edited: "Cracks reported" LR 2 → 2.5 (by ana)' in result.stdout
    assert Cli(tmp_path / "alice.db")("diff", "git:HEAD", str(alice.path / "ws")).exit_code == 0
