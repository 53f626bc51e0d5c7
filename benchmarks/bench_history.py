"""Model history speed: `forecastle question show --json` on a question with 1,000 evidence items
and 3,000 history entries (each item added, then edited twice), against the same command on a
question with the same 1,000 items and no evidence history, in the same run.

Bar (issue 14): <= 3x. The history replays with running sums (forecast/engine/history.py); it
used to recompute the posterior from every live item after each change (about 4 s here).
Usage: python benchmarks/bench_history.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from click.testing import CliRunner

from arguments.evidence import EvidenceInputs
from arguments.evidence_store import add_evidence, edit_evidence
from forecast.workspace import open_workspace
from questions import store
from questions.models import QuestionDraft
from questions.workspace import write_transaction
from tui import main as forecastle

ITEMS = 1_000
EDITS_PER_ITEM = 2


def build(path: Path) -> tuple[int, int]:
    """Q1: 1,000 items with 3,000 history entries; Q2: the same items, history cleared."""
    db = open_workspace(path)
    ids = []
    with write_transaction(db):
        for title in ("With history", "Without history"):
            qid = store.add_question(db, QuestionDraft(title=title, priors=[0.3]), author="ann").id
            ids.append(qid)
            for n in range(ITEMS):
                item = add_evidence(
                    db,
                    qid,
                    EvidenceInputs(
                        text=f"Item {n}",
                        lr=1.0 + (n % 7) / 10,
                        credibility=0.9,
                        observed_at=f"2020-{1 + n % 12:02d}-{1 + n % 28:02d}",
                        group=f"g{n % 20}" if n % 5 == 0 else None,
                    ),
                    by="ann",
                )
                for edit in range(EDITS_PER_ITEM if title == "With history" else 0):
                    edit_evidence(
                        db, item.id, EvidenceInputs(lr=1.0 + (n + edit + 1) % 9 / 10), by="bob"
                    )
        db.execute("delete from evidence_history where question_id = ?", [ids[1]])
    counts = [
        db.execute("select count(*) from evidence_history where question_id = ?", [q]).fetchone()[0]
        for q in ids
    ]
    assert counts == [ITEMS * (1 + EDITS_PER_ITEM), 0], counts
    db.close()
    return ids[0], ids[1]


def show_seconds(path: Path, qid: int, runs: int) -> float:
    runner = CliRunner()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = runner.invoke(
            forecastle, ["--db", str(path), "question", "show", f"Q{qid}", "--json"]
        )
        times.append(time.perf_counter() - start)
        assert result.exit_code == 0, result.output
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.db"
        with_history, without = build(path)
        show_seconds(path, without, 1)  # warm: imports, page cache
        anchor = show_seconds(path, without, options.runs)
        measured = show_seconds(path, with_history, options.runs)
    print(f"question show --json, {ITEMS} items, no evidence history: {anchor * 1000:.0f} ms")
    print(
        f"question show --json, {ITEMS} items, {ITEMS * (1 + EDITS_PER_ITEM)} history entries: "
        f"{measured * 1000:.0f} ms"
    )
    print(f"ratio: {measured / anchor:.2f}x (bar <= 3x)")


if __name__ == "__main__":
    main()
