"""Text export/import vs bundle export/import of 1,000 questions, 100,000 forecasts and 10,000
evidence items (bar: <= 2x), and `diff` of two such text directories differing in 100 items (bars:
<= 2 s, and <= 3x running question show's model for the changed questions alone).

    python benchmarks/bench_text.py
"""

from __future__ import annotations

import json
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from forecast.diff.compare import compare_files
from forecast.diff.sides import side_files
from forecast.engine.model import question_model
from forecast.exchange.bundle_export import build_bundle, bundle_json
from forecast.exchange.bundle_import import import_bundle
from forecast.exchange.text.directory import export_text, import_text
from forecast.workspace import open_workspace

AT = "2026-01-01T00:00:00Z"


def _bundle() -> dict[str, Any]:
    base = {
        "created_at": AT,
        "created_by": "gen",
        "updated_at": AT,
        "updated_by": "gen",
        "version": 1,
    }
    questions = []
    for q in range(1000):
        questions.append(
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
                        "recorded_at": AT,
                    }
                    for i in range(100)
                ],
                "evidence": [
                    {
                        **base,
                        "uuid": str(uuid.UUID(int=(q + 1) * 100_000 + i, version=4)),
                        "text": f"item {i} of question {q}",
                        "likelihoods": [1.0 + i % 5, 1.0],
                    }
                    for i in range(10)
                ],
            }
        )
    return {"format": "forecastle-bundle", "schema_version": 1, "questions": questions}


def _timed(action) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        (tmp / "seed.json").write_text(json.dumps(_bundle()))
        with open_workspace(tmp / "w.db") as db:
            import_bundle(db, tmp / "seed.json")
            bundle_export = _timed(
                lambda: (tmp / "b.json").write_text(bundle_json(build_bundle(db)))
            )
            text_export = _timed(lambda: export_text(db, tmp / "a"))
        with open_workspace(tmp / "x.db") as db:
            bundle_import = _timed(lambda: import_bundle(db, tmp / "b.json"))
        with open_workspace(tmp / "y.db") as db:
            text_import = _timed(lambda: import_text(db, tmp / "a"))
        print(
            f"export: text {text_export:.2f} s, bundle {bundle_export:.2f} s, ratio {text_export / bundle_export:.2f}x (bar 2x)"
        )
        print(
            f"import: text {text_import:.2f} s, bundle {bundle_import:.2f} s, ratio {text_import / bundle_import:.2f}x (bar 2x)"
        )
        with open_workspace(tmp / "y.db") as db:  # 100 items changed, one in each of 100 questions
            changed = []
            for q in range(0, 1000, 10):
                eid = db.execute(
                    "select id, question_id from evidence where text = ?",
                    [f"item 0 of question {q}"],
                ).fetchone()
                db.execute(
                    "update evidence set likelihoods = '[3.5, 1.0]', version = 2 where id = ?",
                    [eid[0]],
                )
                changed.append(eid[1])
            db.conn.commit()
            export_text(db, tmp / "b")
            model = _timed(lambda: [question_model(db, qid) for qid in changed])
        diff = _timed(lambda: compare_files(side_files(str(tmp / "a")), side_files(str(tmp / "b"))))
        print(
            f"diff of 100 changed items: {diff:.2f} s (bar 2 s); question show's model for the 100 questions {model:.3f} s, ratio {diff / model:.2f}x (bar 3x)"
        )


if __name__ == "__main__":
    main()
