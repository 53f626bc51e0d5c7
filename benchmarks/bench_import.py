"""Import a 100,000-row forecasts CSV, and a 100,000-row Fatebook export; each against
`sqlite-utils insert --csv` of the same file.

Bar (design.md, issue 22): <= 3x each. All run as commands in fresh processes, in the same run.
Usage: python benchmarks/bench_import.py [ROWS]
"""

from __future__ import annotations

import csv
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BAR = 3.0


def make_csv(path: Path, rows: int) -> None:
    rng = random.Random(7)
    questions = [f"Will event {i} happen by 2021?" for i in range(1000)]
    outcomes = {q: rng.choice(["yes", "no", ""]) for q in questions}
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["question", "forecaster", "probability", "made_at", "outcome", "tags"])
        for i in range(rows):
            q = questions[i % len(questions)]
            writer.writerow(
                [
                    q,
                    f"forecaster{rng.randrange(50)}",
                    f"{rng.random():.3f}",
                    f"2020-{1 + (i // 2800) % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:{(i // 60) % 60:02d}",
                    outcomes[q],
                    "bench;iraq" if i % 3 == 0 else "",
                ]
            )


FATEBOOK_HEADER = [
    "Question title", "Multiple choice option", "Forecast created by", "Forecast (scale = 0-1)",
    "Forecast created at", "Question created by", "Question created at", "Question resolve by",
    "Resolution", "Resolved at", "Your Brier score for this question",
    "Your relative Brier score for this question", "Question notes", "Question shared with",
    "Question shared publicly", "Question comments",
]  # fmt: skip


def make_fatebook(path: Path, rows: int) -> None:
    """Rows as Fatebook's export writes them: strings quoted, seconds unpadded."""
    rng = random.Random(11)
    questions = [f"Will project {i} ship by 2025?" for i in range(2000)]
    resolution = {q: rng.choice(["YES", "NO", "AMBIGUOUS", ""]) for q in questions}
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_NONNUMERIC)
        writer.writerow(FATEBOOK_HEADER)
        for i in range(rows):
            q = questions[i % len(questions)]
            res = resolution[q]
            writer.writerow(
                [
                    q, "", f"forecaster{rng.randrange(50)}", round(rng.random(), 3),
                    f"2024-{1 + (i // 3000) % 12}-{1 + i % 28} {i % 24}:{i % 60}:{(i // 60) % 60}",
                    "owner", "2024-01-01 0:0:0", "2025-01-01 0:0:0", res,
                    "2025-01-02 9:0:0" if res else "", "", "", "", "", "false", "",
                ]
            )  # fmt: skip


def compare(label: str, forecastle: list[str], sqlite_utils: str, data: Path, folder: Path) -> None:
    ours, anchor = [], []
    for attempt in range(3):
        anchor.append(
            timed(
                [
                    sqlite_utils,
                    "insert",
                    str(folder / f"{label}-plain{attempt}.db"),
                    "rows",
                    str(data),
                    "--csv",
                ]
            )
        )
        ours.append(
            timed(
                [*forecastle[:1], "--db", str(folder / f"{label}-ws{attempt}.db"), *forecastle[1:]]
            )
        )
    ratio = statistics.median(ours) / statistics.median(anchor)
    print(f"{label}: sqlite-utils insert --csv {statistics.median(anchor):.2f} s, forecastle "
          f"{statistics.median(ours):.2f} s (medians of 3); ratio {ratio:.2f}x (bar <= {BAR}x) "
          f"{'PASS' if ratio <= BAR else 'FAIL'}")  # fmt: skip


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    bindir = Path(sys.executable).parent
    forecastle = shutil.which("forecastle", path=str(bindir)) or "forecastle"
    sqlite_utils = shutil.which("sqlite-utils", path=str(bindir)) or "sqlite-utils"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = folder / "forecasts.csv"
        make_csv(data, rows)
        ours, anchor = [], []
        for attempt in range(3):
            anchor.append(
                timed(
                    [
                        sqlite_utils,
                        "insert",
                        str(folder / f"plain{attempt}.db"),
                        "forecasts",
                        str(data),
                        "--csv",
                    ]
                )
            )
            ours.append(
                timed(
                    [
                        forecastle,
                        "--db",
                        str(folder / f"ws{attempt}.db"),
                        "import",
                        "forecasts",
                        str(data),
                    ]
                )
            )
        again = timed(
            [forecastle, "--db", str(folder / "ws0.db"), "import", "forecasts", str(data)]
        )
        fatebook = folder / "fatebook.csv"
        make_fatebook(fatebook, rows)
        compare(
            "fatebook", [forecastle, "import", "history", "fatebook", str(fatebook)],
            sqlite_utils, fatebook, folder,
        )  # fmt: skip
    ratio = statistics.median(ours) / statistics.median(anchor)
    print(f"rows: {rows}")
    print(f"sqlite-utils insert --csv: {statistics.median(anchor):.2f} s (median of 3)")
    print(f"forecastle import forecasts: {statistics.median(ours):.2f} s (median of 3)")
    print(f"re-import of the same file (adds nothing): {again:.2f} s")
    print(f"ratio: {ratio:.2f}x  (bar <= {BAR}x)  {'PASS' if ratio <= BAR else 'FAIL'}")


if __name__ == "__main__":
    main()
