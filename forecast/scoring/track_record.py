"""A forecaster's resolved binary forecasts, read for recalibration (``forecastle calibration``
and the suggestion shown when a forecast is recorded).

The same unit as the report: by default each question's last forecast made before it closed (or
resolved, if earlier), or every forecast with ``all_forecasts``; questions that resolved on a day
before their scheduled close are left out, as the report leaves them out by default. ``before``
keeps only questions resolved strictly before that moment (what was known then).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database

_SQL = """
select f.question_id, julianday(f.made_at), f.p, o.position = 0,
       julianday(q.resolved_at), julianday(q.closes_at)
from forecasts f
join questions q on q.id = f.question_id
join outcomes o on o.id = q.resolved_outcome_id
where f.forecaster = ? and q.status = 'resolved' and q.kind = 'binary' and f.p is not null
  and (q.closes_at is null
       or cast(julianday(q.resolved_at) + 0.5 as integer)
          >= cast(julianday(q.closes_at) + 0.5 as integer))
order by f.question_id, f.made_at, f.id
"""


@dataclass(frozen=True)
class TrackRecord:
    p: np.ndarray
    outcome: np.ndarray
    made: np.ndarray
    """Julian day the forecast was made."""
    resolved: np.ndarray
    """Julian day its question resolved."""


def track_record(
    db: Database, forecaster: str, *, all_forecasts: bool = False, before: str | None = None
) -> TrackRecord:
    rows = db.execute(_SQL, [forecaster]).fetchall()
    if before is not None:
        (limit,) = db.execute("select julianday(?)", [before]).fetchone()
        rows = [r for r in rows if r[4] < limit]
    if not all_forecasts:
        last: dict[int, tuple] = {}
        for row in rows:  # in time order per question
            cutoff = row[4] if row[5] is None else min(row[4], row[5])
            if row[1] < cutoff:
                last[row[0]] = row
        rows = list(last.values())
    table = np.array([r[1:5] for r in rows], dtype=float).reshape(-1, 4)
    return TrackRecord(p=table[:, 1], outcome=table[:, 2], made=table[:, 0], resolved=table[:, 3])
