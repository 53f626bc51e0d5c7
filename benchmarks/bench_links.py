"""Linked questions: ``whatif`` on the root of 200 linked questions with 20 forecasters, against a
bare computation of the same numbers (plain sqlite3 reads of the same rows, numpy for the math) in
the same run.

Two workspaces: a chain (Q2 conditional on Q1, Q3 on Q2, ... Q200) and a tree (a three-outcome
root with 30 evidence items, 20 indicators under it, and 179 questions conditional on it or on one
another, three children each). Every forecaster has a standing forecast of every question and a
conditional forecast of every child given each outcome of its parent.

Then the TUI: on the tree's first conditional child (its links pane lists the root), ``w`` toggles a
hypothetical outcome of the root (through its three outcomes and back to none), which follows all
200 questions; timed from the key to the last repaint it caused (the app's ``_display`` wrapped,
as ``bench_tui.py`` does).

Bars (design.md): whatif <= 100 ms in-process, and <= 5x the bare anchor; ``w`` -> repaint
<= 50 ms median.
Usage: python benchmarks/bench_links.py
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np

from forecast.engine.whatif import whatif
from forecast.workspace import open_workspace
from questions.workspace import write_transaction

N = 200
FORECASTERS = [f"f{i:02d}" for i in range(20)]
RUNS = 15
NOW = "2020-01-01T00:00:00Z"


def _question(db, title: str, outcomes: list[str]) -> int:
    qid = db.execute(
        "insert into questions (uuid, title, kind, created_at, created_by, updated_at, updated_by)"
        " values (?, ?, ?, ?, 'b', ?, 'b')",
        [str(uuid.uuid4()), title, "binary" if len(outcomes) == 2 else "multi", NOW, NOW],
    ).lastrowid
    db.conn.executemany(
        "insert into outcomes (question_id, position, name, prior) values (?, ?, ?, ?)",
        [(qid, i, name, 1 / len(outcomes)) for i, name in enumerate(outcomes)],
    )
    return int(qid)


def build(path: Path, shape: str) -> int:
    """Fill a workspace; returns the root's id."""
    rng = np.random.default_rng(3)
    db = open_workspace(path)
    with write_transaction(db):
        multi = ["A", "B", "C"] if shape == "tree" else ["Yes", "No"]
        root = _question(db, "root", multi)
        parent_of: dict[int, int] = {}
        ids = [root]
        indicators = 20 if shape == "tree" else 0
        for i in range(1, N):
            qid = _question(db, f"q{i}", ["Yes", "No"])
            ids.append(qid)
            if i <= indicators:
                likelihoods = rng.uniform(0.1, 0.9, 3).round(3).tolist()
                db.execute(
                    "insert into indicators (uuid, parent_id, child_id, likelihoods, credibility,"
                    " created_at, created_by) values (?, ?, ?, ?, 1, ?, 'b')",
                    [str(uuid.uuid4()), root, qid, json.dumps(likelihoods), NOW],
                )
                continue
            if shape == "chain":
                parent = ids[i - 1]
            else:
                conditional = [q for q in ids[:i] if q == root or q in parent_of]
                parent = conditional[(len(parent_of)) // 3]
            parent_of[qid] = parent
            db.execute(
                "insert into question_conditions (child_id, parent_id, uuid, created_at, created_by)"
                " values (?, ?, ?, ?, 'b')",
                [qid, parent, str(uuid.uuid4()), NOW],
            )
        outcome_ids = {
            (q, pos): oid
            for oid, q, pos in db.execute("select id, question_id, position from outcomes")
        }
        kinds = {q: (3 if q == root and shape == "tree" else 2) for q in ids}
        forecasts = []
        for q in ids:
            for f in FORECASTERS:
                probs = rng.dirichlet(np.ones(kinds[q])).round(4)
                probs[-1] = 1 - probs[:-1].sum()
                forecasts.append(
                    (
                        q,
                        f,
                        NOW,
                        float(probs[0]) if kinds[q] == 2 else None,
                        None if kinds[q] == 2 else json.dumps(probs.tolist()),
                        NOW,
                    )
                )
        db.conn.executemany(
            "insert into forecasts (question_id, forecaster, made_at, p, probs, recorded_at)"
            " values (?, ?, ?, ?, ?, ?)",
            forecasts,
        )
        conditionals = [
            (child, parent, outcome_ids[(parent, pos)], f, NOW, float(rng.uniform(0.05, 0.95)), NOW)
            for child, parent in parent_of.items()
            for pos in range(kinds[parent])
            for f in FORECASTERS
        ]
        db.conn.executemany(
            "insert into conditional_forecasts (question_id, parent_id, parent_outcome_id,"
            " forecaster, made_at, p, recorded_at) values (?, ?, ?, ?, ?, ?, ?)",
            conditionals,
        )
        if shape == "tree":
            for e in range(30):
                lik = rng.uniform(0.2, 1.0, 3).round(3).tolist()
                db.execute(
                    "insert into evidence (uuid, question_id, text, likelihoods, created_at,"
                    " created_by, updated_at, updated_by) values (?, ?, ?, ?, ?, 'b', ?, 'b')",
                    [str(uuid.uuid4()), root, f"item {e}", json.dumps(lik), NOW, NOW],
                )
        from forecast.engine.posterior_store import refresh

        refresh(db, ids)
    db.close()
    return root


def bare(path: Path, root: int) -> dict[int, np.ndarray]:
    """The same numbers from plain sqlite3 and numpy: every forecaster's belief in each question
    reached from the root (fixed to its first outcome) through the conditions, and the model
    posteriors the indicators use."""
    conn = sqlite3.connect(path)
    edges = conn.execute("select parent_id, child_id from question_conditions").fetchall()
    children: dict[int, list[int]] = {}
    for p, c in edges:
        children.setdefault(p, []).append(c)
    order, stack = [], [root]
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(children.get(node, ()))
    parent_of = {c: p for p, c in edges}
    marks = ",".join("?" * len(order))
    names = {f: i for i, f in enumerate(FORECASTERS)}
    k = dict(
        conn.execute(
            f"select question_id, count(*) from outcomes where question_id in ({marks})"  # noqa: S608
            " group by question_id",
            order,
        ).fetchall()
    )
    cond: dict[int, np.ndarray] = {}
    for q, who, pos, p in conn.execute(
        "select c.question_id, c.forecaster, o.position, c.p from conditional_forecasts c join"  # noqa: S608
        f" outcomes o on o.id = c.parent_outcome_id where c.question_id in ({marks})",
        order,
    ):
        if q not in cond:
            cond[q] = np.zeros((len(FORECASTERS), k[parent_of[q]], 2))
        cond[q][names[who], pos] = (p, 1 - p)
    before: dict[int, np.ndarray] = {}
    for q, who, p, probs in conn.execute(
        f"select question_id, forecaster, p, probs from forecasts where question_id in ({marks})",  # noqa: S608
        order,
    ):
        if q not in before:
            before[q] = np.zeros((len(FORECASTERS), k[q]))
        before[q][names[who]] = (p, 1 - p) if probs is None else json.loads(probs)
    posteriors = np.array(
        conn.execute(
            "select posterior from model_posteriors where question_id = ? order by position", [root]
        ).fetchall()
    )[:, 0]
    likelihoods = np.array(
        [
            json.loads(r[0])
            for r in conn.execute(
                "select likelihoods from indicators where parent_id = ? and removed_at is null",
                [root],
            )
        ]
    ).reshape(-1, k[root])
    conn.close()
    after = {root: np.tile(np.eye(k[root])[0], (len(FORECASTERS), 1))}
    out = {}
    for q in order[1:]:
        parent = parent_of[q]
        out[q] = (
            np.einsum("fo,foj->fj", before[parent], cond[q]),
            np.einsum("fo,foj->fj", after[parent], cond[q]),
        )
        after[q] = out[q][1]
    out[-1] = (likelihoods @ posteriors, likelihoods[:, 0])  # type: ignore[assignment]
    return out  # type: ignore[return-value]


def timed(fn: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for shape in ("chain", "tree"):
            path = Path(tmp) / f"{shape}.db"
            root = build(path, shape)
            db = open_workspace(path)
            outcome = db.execute(
                "select name from outcomes where question_id = ? and position = 0", [root]
            ).fetchone()[0]
            result = whatif(db, {root: outcome})
            reached = len(result["questions"])
            ours = timed(partial(whatif, db, {root: outcome}))
            anchor = timed(partial(bare, path, root))
            db.close()
            ratio = ours / anchor
            print(
                f"{shape}: whatif on the root, {reached} questions reached, {len(FORECASTERS)}"
                f" forecasters: {ours * 1000:.1f} ms (bar 100 ms); bare sqlite3 + numpy"
                f" {anchor * 1000:.1f} ms; ratio {ratio:.2f}x (bar 5x)"
                f" {'OK' if ours <= 0.1 and ratio <= 5 else 'OVER'}"
            )
        tui_part(tmp)


async def w_to_repaint(path: Path, question: int, presses: int) -> list[float]:
    """Seconds from each ``w`` to the last repaint it caused."""
    from questions.session import Session
    from screens.app import ForecastleApp
    from screens.question import QuestionScreen

    app = ForecastleApp(Session(path=path, user="f00", opener=open_workspace))
    paints: list[float] = []
    display = app._display

    def recording_display(screen, renderable) -> None:  # type: ignore[no-untyped-def]
        display(screen, renderable)
        if renderable is not None:
            paints.append(time.perf_counter())

    app._display = recording_display  # type: ignore[method-assign]
    times: list[float] = []
    async with app.run_test(size=(140, 44)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        app.push_screen(QuestionScreen(question))
        await pilot.pause()
        for index in range(presses + 4):
            paints.clear()
            start = time.perf_counter()
            await pilot.press("w")
            await pilot.pause()
            assert paints, "w: nothing was repainted"
            if index >= 4:  # the first cycle warms up
                times.append(paints[-1] - start)
    return times


def tui_part(tmp: str) -> None:
    import asyncio

    path = Path(tmp) / "tree.db"
    with open_workspace(path) as db:
        child = db.execute(
            "select min(child_id) from question_conditions where parent_id ="
            " (select min(id) from questions)"
        ).fetchone()[0]
    times = asyncio.run(w_to_repaint(path, child, 40))
    median = statistics.median(times) * 1000
    print(
        f"TUI: w (hypothetical root outcome over 200 linked questions) -> repaint, median of"
        f" {len(times)}: {median:.1f} ms (bar 50 ms) {'OK' if median <= 50 else 'OVER'}"
    )


if __name__ == "__main__":
    main()
