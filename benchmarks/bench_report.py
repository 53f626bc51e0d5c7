"""`forecastle report --format json` on a workspace of 1,000,000 forecasts, against reading the
same rows with plain sqlite3 (both as fresh processes, same run).

Bar (design.md): <= 2x.
Usage: python benchmarks/bench_report.py [FORECASTS]
"""

from __future__ import annotations

import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from forecast.workspace import open_workspace
from questions.workspace import write_transaction

READ_ROWS = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
rows = conn.execute("select f.question_id, f.forecaster, f.made_at, f.p, f.probs, q.resolved_at, q.opens_at, q.closes_at"
                    " from forecasts f join questions q on q.id = f.question_id").fetchall()
print(len(rows))
"""


def build(path: Path, forecasts: int) -> None:
    rng = random.Random(5)
    questions = max(forecasts // 500, 1)
    db = open_workspace(path)
    with write_transaction(db):
        for q in range(1, questions + 1):
            month = 1 + q % 12
            db.execute(
                "insert into questions (id, uuid, title, kind, status, opens_at, created_at, created_by,"
                " updated_at, updated_by) values (?, ?, ?, 'binary', 'resolved', ?, 'x', 'bench', 'x', 'bench')",
                [q, f"u{q}", f"Question {q}", f"2020-{month:02d}-01T00:00:00Z"],
            )
            db.conn.executemany(
                "insert into outcomes (question_id, position, name, prior) values (?, ?, ?, 0.5)",
                [(q, 0, "Yes"), (q, 1, "No")],
            )
            yes = rng.random() < 0.4
            db.execute(
                "update questions set resolved_outcome_id = (select id from outcomes where question_id = ? and position = ?),"
                " resolved_at = ? where id = ?",
                [q, 0 if yes else 1, f"2021-{month:02d}-01T00:00:00Z", q],
            )
        rows = []
        for i in range(forecasts):
            q = 1 + i % questions
            month = 1 + q % 12
            day = 1 + (i // questions) % 28
            rows.append(
                (
                    q,
                    f"forecaster{i % 50}",
                    f"2020-{month:02d}-{day:02d}T{(i // (questions * 28)) % 24:02d}:00:00Z",
                    round(rng.random(), 3),
                    "x",
                )
            )
        db.conn.executemany(
            "insert into forecasts (question_id, forecaster, made_at, p, recorded_at) values (?, ?, ?, ?, ?)",
            rows,
        )
    db.close()


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    forecasts = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    forecastle = shutil.which("forecastle", path=str(Path(sys.executable).parent)) or "forecastle"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.db"
        build(path, forecasts)
        ours, anchor = [], []
        for _ in range(3):
            anchor.append(timed([sys.executable, "-c", READ_ROWS, str(path)]))
            ours.append(
                timed(
                    [
                        forecastle,
                        "--db",
                        str(path),
                        "report",
                        "--format",
                        "json",
                        "-o",
                        str(Path(tmp) / "r.json"),
                    ]
                )
            )
    ratio = statistics.median(ours) / statistics.median(anchor)
    print(
        f"{forecasts:,} forecasts: plain sqlite3 read {statistics.median(anchor):.2f} s; "
        f"forecastle report --format json {statistics.median(ours):.2f} s"
    )
    print(f"ratio: {ratio:.2f}x (bar <= 2x)  {'PASS' if ratio <= 2 else 'FAIL'}")


if __name__ == "__main__":
    main()
