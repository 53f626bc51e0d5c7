"""Two processes writing forecasts to one workspace at once: every row lands, nobody errors."""

import subprocess
import sys
from pathlib import Path

from forecast.workspace import open_workspace
from questions import store
from questions.models import QuestionDraft

WRITER = """
import sys
from forecast.workspace import open_workspace
from questions import store
db = open_workspace(sys.argv[1])
name = sys.argv[2]
for i in range(int(sys.argv[3])):
    store.record_forecast(db, 1, forecaster=name, p_yes=(i % 100) / 100,
                          made_at=f"2020-01-01T00:{i // 60:02d}:{i % 60:02d}")
print("done")
"""


def test_two_processes_add_forecasts_at_once(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    db = open_workspace(path)
    store.add_question(db, QuestionDraft(title="Shared"), author="a")
    db.close()
    count = 300
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), name, str(count)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("ann", "bob")
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert out.strip() == "done" and err == ""
    db = open_workspace(path)
    counts = dict(
        db.execute("select forecaster, count(*) from forecasts group by forecaster").fetchall()
    )
    assert counts == {"ann": count, "bob": count}
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    db.close()
