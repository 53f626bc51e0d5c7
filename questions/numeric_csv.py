"""Import numeric forecasts from a CSV file: all rows or none.

A file is numeric when its header has quantile columns ``qNN`` (``q05``, ``q50``, ``q95``; any
two or more, NN the percentile: ``q5`` and ``q05`` are both the 5th, ``q2.5`` the 2.5th).
Columns (case-insensitive): ``question`` (an existing numeric or date question, ``Q3``),
``forecaster`` and ``made_at`` (ISO 8601) are required; ``rationale`` is optional, and ``value``
resolves the question (a number, or an ISO date for a date question; every row that gives it for
one question must agree). A row may leave quantile cells blank if two or more remain.

Every row is checked (the quantiles fitted as ``forecast --quantiles`` fits them) before anything
is written; the first bad row rejects the file with ``FILE:LINE: column: value: why``. Rows
already in the workspace (same question, forecaster and time) are skipped.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from . import numeric as nm
from . import numeric_store
from .errors import InvalidInput, NotFound
from .files import display_name, is_stdin, read_user_file
from .workspace import write_transaction

QUANTILE = re.compile(r"^q(\d{1,2}(?:\.\d+)?)$", re.IGNORECASE)
REQUIRED = ("question", "forecaster", "made_at")


def is_numeric_header(header: list[str]) -> bool:
    return sum(bool(QUANTILE.match(h.strip())) for h in header) >= 2


def sniff_numeric(path: Path) -> bool:
    """Whether the CSV at ``path`` has quantile columns (so is a numeric forecasts file). Standard
    input is not sniffed (reading it would use it up): numeric forecasts come from a file."""
    if is_stdin(path):
        return False
    try:
        with path.open("rb") as handle:
            first_line = handle.readline(65536)
    except OSError:
        return False  # the importer names the problem
    text = first_line.decode("utf-8-sig", errors="replace")
    first = next(csv.reader(io.StringIO(text)), [])
    return is_numeric_header(first)


@dataclass
class NumericImportSummary:
    rows: int = 0
    forecasts_added: int = 0
    forecasts_skipped: int = 0
    resolutions_set: int = 0
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "forecasts_added": self.forecasts_added,
            "forecasts_skipped": self.forecasts_skipped,
            "resolutions_set": self.resolutions_set,
            "warnings": self.warnings,
        }


def _made_at(text: str) -> str:
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def import_numeric_forecasts(
    db: Database, path: Path, *, dry_run: bool = False
) -> NumericImportSummary:
    where = display_name(path)
    raw = read_user_file(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{where}: not UTF-8 text (byte {exc.start})") from None
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    lowered = [h.lower() for h in header]
    for name in REQUIRED:
        if name not in lowered:
            raise InvalidInput(
                f"{where}:1: column {name!r} is missing (needs {', '.join(REQUIRED)})"
            )
    col = {
        name: lowered.index(name) for name in (*REQUIRED, "value", "rationale") if name in lowered
    }
    quantiles = [
        (i, float(m.group(1)) / 100) for i, h in enumerate(header) if (m := QUANTILE.match(h))
    ]
    summary = NumericImportSummary()
    unused = [h for i, h in enumerate(header) if i not in col.values() and not QUANTILE.match(h)]
    if unused:
        summary.warnings.append(f"{where}: columns not used: {', '.join(unused)}")
    ranges: dict[int, nm.NumericRange] = {}
    pending: list[tuple[int, str, str, Any, str, str]] = []
    values: dict[int, tuple[float, int]] = {}
    for line, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        summary.rows += 1

        def cell(name: str, record: list[str] = record) -> str:
            index = col.get(name)
            return record[index].strip() if index is not None and index < len(record) else ""

        def fail(column: str, value: str, why: str, line: int = line) -> InvalidInput:
            return InvalidInput(f"{where}:{line}: {column}: {value!r}: {why}")

        ref = cell("question")
        try:
            qid = numeric_store.question_id(db, ref)
            rng = ranges.get(qid) or numeric_store.numeric_range(db, qid)
        except (NotFound, InvalidInput) as exc:
            raise fail("question", ref, str(exc).split(": ", 1)[-1]) from None
        ranges[qid] = rng
        who = cell("forecaster")
        if not who:
            raise fail("forecaster", who, "must not be empty")
        try:
            made_at = _made_at(cell("made_at"))
        except ValueError:
            raise fail("made_at", cell("made_at"), "not an ISO 8601 date/time") from None
        pairs = []
        for index, p in quantiles:
            typed = record[index].strip() if index < len(record) else ""
            if typed:
                try:
                    pairs.append((p, nm.parse_value(rng, typed, field=header[index])))
                except InvalidInput as exc:
                    raise fail(header[index], typed, str(exc).split(": ")[-1]) from None
        pairs.sort()
        try:
            cdf = nm.cdf_from_quantiles(rng, pairs)
        except InvalidInput as exc:
            raise fail(
                "quantiles",
                ",".join(f"{p:g}:{rng.show(x)}" for p, x in pairs),
                str(exc).removeprefix("--quantiles: "),
            ) from None
        typed = ",".join(
            f"{p:g}:{nm.value_to_date(x) if rng.is_date else f'{x:g}'}" for p, x in pairs
        )
        pending.append((qid, who, made_at, cdf, typed, cell("rationale")))
        if cell("value"):
            try:
                value = nm.parse_value(rng, cell("value"), field="value")
            except InvalidInput as exc:
                raise fail("value", cell("value"), str(exc).split(": ")[-1]) from None
            why = rng.outside(value)
            if why:
                raise fail("value", cell("value"), why)
            if qid in values and values[qid][0] != value:
                raise fail(
                    "value", cell("value"), f"line {values[qid][1]} resolves Q{qid} differently"
                )
            values[qid] = (value, line)
    if dry_run:
        summary.forecasts_added = len(pending)
        summary.resolutions_set = len(values)
        return summary
    with write_transaction(db):
        for qid, who, made_at, cdf, typed, why in pending:
            exists = db.execute(
                "select 1 from forecasts where question_id = ? and forecaster = ? and made_at = ?",
                [qid, who, made_at],
            ).fetchone()
            if exists:
                summary.forecasts_skipped += 1
                continue
            numeric_store.record_numeric_forecast(
                db,
                qid,
                cdf,
                forecaster=who,
                typed=typed,
                method="quantiles",
                made_at=made_at,
                rationale=why,
                origin="csv",
            )
            summary.forecasts_added += 1
        for qid, (value, _) in values.items():
            if numeric_store.resolved_value(db, qid) != value:
                numeric_store.resolve_numeric(db, qid, value, by="import")
                summary.resolutions_set += 1
    return summary
