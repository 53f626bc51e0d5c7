"""Bundles under abuse: fuzzed content never ends in a traceback, and a killed import leaves the
workspace exactly as it was."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forecast.exchange.bundle_export import build_bundle, bundle_json
from forecast.exchange.bundle_import import merge_bundle, read_bundle
from forecast.workspace import open_workspace
from questions.errors import InvalidInput
from tests.conftest import dump, table_counts
from tests.forecast.exchange.test_bundle import populate

ROOT = Path(__file__).resolve().parents[3]


def _valid_bundle() -> dict[str, Any]:
    with open_workspace(":memory:") as db:
        populate(db)
        return json.loads(bundle_json(build_bundle(db)))


VALID = _valid_bundle()

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True)
    | st.text(max_size=20)
    | st.sampled_from(["", "2026-01-01T00:00:00Z", str(uuid.UUID(int=1)), "Yes", "draft", "open"]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            found += _paths(child, (*prefix, i))
    return found


PATHS = [p for p in _paths(VALID) if p]


def _mutated(path: tuple[Any, ...], value: Any, delete: bool) -> dict[str, Any]:
    data = json.loads(json.dumps(VALID))
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return data


SHARED_DB = open_workspace(":memory:")


def _merge_or_refuse(text: str) -> None:
    """Merge into an empty workspace inside a transaction that is rolled back afterwards (the
    merge's own transaction becomes a savepoint), so each example starts from the same state."""
    db = SHARED_DB
    db.conn.execute("begin")
    try:
        before = table_counts(db)
        try:
            merge_bundle(db, read_bundle(text, "fuzz.json"))
        except InvalidInput as exc:
            assert "\n" not in str(exc)
            assert table_counts(db) == before
    finally:
        db.conn.execute("rollback")


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PATHS), json_values, st.booleans())
def test_a_mutated_bundle_is_merged_or_refused_cleanly(
    path: tuple[Any, ...], value: Any, delete: bool
) -> None:
    _merge_or_refuse(json.dumps(_mutated(path, value, delete)))


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.text(max_size=200),
        json_values.map(json.dumps),
        st.dictionaries(
            st.sampled_from(["format", "schema_version", "questions", "sources"]), json_values
        ).map(lambda d: json.dumps({"format": "forecastle-bundle", "schema_version": 1, **d})),
    )
)
def test_arbitrary_text_is_refused_with_one_line(text: str) -> None:
    _merge_or_refuse(text)


def test_a_mutated_bundle_into_a_populated_workspace_keeps_it_whole() -> None:
    """The same bundle with one item changed merges into its own source: the change is a conflict
    or an update, never a crash; with --strict a conflict changes nothing."""
    data = json.loads(json.dumps(VALID))
    data["questions"][0]["title"] = "Renamed elsewhere"
    with open_workspace(":memory:") as db:
        merge_bundle(db, read_bundle(json.dumps(VALID), "a.json"))
        before = dump(db)
        try:
            merge_bundle(db, read_bundle(json.dumps(data), "b.json"), strict=True)
        except InvalidInput as exc:
            assert "conflict" in str(exc)
        assert dump(db) == before


def _large_bundle(questions: int, forecasts: int, items: int) -> dict[str, Any]:
    at = "2026-01-01T00:00:00Z"
    base = {
        "created_at": at,
        "created_by": "gen",
        "updated_at": at,
        "updated_by": "gen",
        "version": 1,
    }
    out = []
    for q in range(questions):
        out.append(
            {
                **base,
                "uuid": str(uuid.UUID(int=q + 1, version=4)),
                "title": f"Generated question {q}",
                "kind": "binary",
                "outcomes": [{"name": "Yes", "prior": 0.4}, {"name": "No", "prior": 0.6}],
                "forecasts": [
                    {
                        "forecaster": f"f{i % 7}",
                        "made_at": f"2025-{1 + i % 12:02d}-{1 + i // 12 % 28:02d}T{i // 336 % 24:02d}:00:00Z",
                        "probs": [0.3, 0.7],
                        "recorded_at": at,
                    }
                    for i in range(forecasts)
                ],
                "evidence": [
                    {
                        **base,
                        "uuid": str(uuid.UUID(int=(q + 1) * 100_000 + i, version=4)),
                        "text": f"item {i}",
                        "likelihoods": [1.0 + i % 5, 1.0],
                    }
                    for i in range(items)
                ],
            }
        )
    return {"format": "forecastle-bundle", "schema_version": 1, "questions": out}


def _import_process(workspace: Path, bundle: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = "import sys; from tui import main; sys.exit(main())"
    return subprocess.Popen(
        [sys.executable, "-c", code, "--db", str(workspace), "import", "bundle", str(bundle)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_sigkill_during_a_large_import_leaves_the_workspace_as_it_was(tmp_path: Path) -> None:
    bundle = tmp_path / "large.json"
    bundle.write_text(json.dumps(_large_bundle(questions=150, forecasts=200, items=20)))
    pristine = tmp_path / "pristine.db"
    with open_workspace(pristine) as db:
        populate(db)
        before = dump(db)
    # How long does a whole import take here? Then kill others part-way through it. This trial,
    # onto a copy of the same workspace, is also what a finished import looks like.
    trial = tmp_path / "trial.db"
    shutil.copy(pristine, trial)
    started = time.perf_counter()
    process = _import_process(trial, bundle)
    assert process.wait(timeout=300) == 0, process.stderr.read() if process.stderr else ""
    whole = time.perf_counter() - started
    with open_workspace(trial) as db:
        finished = table_counts(db)
    with open_workspace(pristine) as db:
        assert finished["forecasts"] == table_counts(db)["forecasts"] + 150 * 200
    killed_mid_import = 0
    for n, fraction in enumerate((0.4, 0.6, 0.8, 0.95)):
        workspace = tmp_path / f"team{n}.db"
        shutil.copy(pristine, workspace)
        process = _import_process(workspace, bundle)
        time.sleep(whole * fraction)
        still_running = process.poll() is None
        process.send_signal(signal.SIGKILL)
        process.wait()
        with open_workspace(workspace) as db:
            assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
            if still_running:
                killed_mid_import += 1
                # All or nothing: the kill can land just after the commit (between poll and kill),
                # and then every row is there; otherwise the workspace is exactly as it was.
                if table_counts(db) != finished:
                    assert dump(db) == before
    assert killed_mid_import >= 1
