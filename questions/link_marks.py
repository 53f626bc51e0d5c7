"""Which questions are conditional (on another question) and which are indicators, for the
questions screen's marks: plain SQL, no validation layer (it paints before pydantic loads)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

CONDITIONAL_MARK = "↳"
INDICATOR_MARK = "◈"


def link_marks(db: Database) -> dict[int, str]:
    """Question id -> its marks: ``↳`` conditional on another question, ``◈`` an indicator."""
    tables = set(db.table_names())
    marks: dict[int, str] = {}
    if "question_conditions" in tables:
        for (child,) in db.execute("select distinct child_id from question_conditions"):
            marks[child] = CONDITIONAL_MARK
    if "indicators" in tables:
        for (child,) in db.execute(
            "select distinct child_id from indicators where removed_at is null"
        ):
            marks[child] = marks.get(child, "") + INDICATOR_MARK
    return marks
