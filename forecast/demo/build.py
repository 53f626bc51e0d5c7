"""Build the demo workspace."""

from __future__ import annotations

from pathlib import Path

from questions import store
from questions.models import QuestionDraft
from questions.workspace import write_transaction

from ..workspace import open_workspace

DEMO_AUTHOR = "demo"


def demo_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("forecastle", appauthor=False)) / "demo.db"


def build_demo(path: str | Path, *, rebuild: bool = False) -> bool:
    """Build the demo workspace at ``path`` unless it is already there; True if built now."""
    path = Path(path)
    if rebuild and path.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = open_workspace(path)
    try:
        if db.execute("select count(*) from questions").fetchone()[0]:
            return False
        with write_transaction(db):
            store.add_question(
                db,
                QuestionDraft(title="Will coalition troops leave Iraq before 2021?", tags=["iraq"]),
                author=DEMO_AUTHOR,
            )
        return True
    finally:
        db.close()
