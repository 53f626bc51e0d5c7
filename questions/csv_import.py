"""Import forecasts from a CSV file: all rows or none.

Columns (header names case-insensitive): ``question`` (an existing id such as ``Q3``, or a title;
a title not in the workspace makes a new binary question), ``forecaster``, ``probability``
(P(Yes), 0..1) and ``made_at`` (ISO 8601) are required; ``outcome`` (yes/no/1/0/true/false, blank
= unresolved), ``resolved_at``, ``opens_at``, ``closes_at``, ``rationale`` and ``tags``
(``;``-separated) are optional.

A spreadsheet's own column names map onto these with ``CsvOptions.mapping`` (``--map
probability=Forecast``); probabilities may be written ``70%``; dates are ISO 8601, or
``M/D/YYYY`` (``D/M/YYYY`` with ``dayfirst``), or any ``date_format``; the delimiter is sniffed
(``csv.Sniffer``). Columns the import does not use are named in a warning (refused if
``strict``).

Every row is checked before anything is written; the first bad row rejects the file with
``FILE:LINE: column: value: why``. Rows already in the workspace are skipped, so importing the same
file twice adds nothing the second time.
"""

from __future__ import annotations

import csv
import io
import math
import re
import uuid as uuidlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from . import clock
from .errors import Conflict, InvalidInput
from .files import base_name, display_name, read_user_file
from .row_ids import row_number
from .workspace import model_changed, write_transaction

REQUIRED = ("question", "forecaster", "probability", "made_at")
OPTIONAL = ("outcome", "resolved_at", "opens_at", "closes_at", "rationale", "tags")
_SLASH = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
OUTCOME_WORDS = {"yes": 0, "1": 0, "true": 0, "y": 0, "no": 1, "0": 1, "false": 1, "n": 1}

Progress = Callable[[int, int], None]


@dataclass
class CsvOptions:
    """How to read a spreadsheet that is not in forecastle's own column names and formats."""

    mapping: dict[str, str] = field(default_factory=dict)
    """forecastle field -> the file's column name (case-insensitive)."""
    date_format: str | None = None
    dayfirst: bool = False
    strict: bool = False
    dry_run: bool = False

    @classmethod
    def from_cli(cls, pairs: tuple[str, ...] | list[str], **kwargs: Any) -> CsvOptions:
        mapping: dict[str, str] = {}
        for pair in pairs:
            name, sep, column = pair.partition("=")
            name = name.strip().lower()
            if not sep or not column.strip():
                raise InvalidInput(
                    f"--map: {pair!r}: give FIELD=COLUMN (e.g. probability=Forecast)"
                )
            if name not in REQUIRED + OPTIONAL:
                raise InvalidInput(
                    f"--map: {pair!r}: {name!r} is not a field ({', '.join(REQUIRED + OPTIONAL)})"
                )
            mapping[name] = column.strip()
        return cls(mapping=mapping, **kwargs)


@dataclass
class ImportSummary:
    rows: int = 0
    forecasts_added: int = 0
    forecasts_skipped: int = 0
    questions_created: list[str] = field(default_factory=list)
    resolutions_set: int = 0
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class _DryRun(Exception):
    pass


@dataclass
class _PendingQuestion:
    """What the file says about one question (existing id or title)."""

    qid: int | None
    title: str
    kind: str = "binary"
    outcome: int | None = None
    outcome_line: int = 0
    resolved_at: str | None = None
    opens_at: str | None = None
    closes_at: str | None = None
    tags: set[str] = field(default_factory=set)
    last_made_at: str = ""


class _RowError(Exception):
    def __init__(self, column: str, value: str, why: str):
        super().__init__(f"{column}: {value!r}: {why}")


def _datetime(value: str, options: CsvOptions | None = None) -> str:
    text = value.strip()
    if options is not None and options.date_format:
        moment = datetime.strptime(text, options.date_format)
    else:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            match = _SLASH.match(text)
            if not match or options is None or not options.dayfirst:
                raise
            day, month, year, hour, minute, second = match.groups()
            moment = datetime(
                int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
            )
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _read_text(path: Path) -> str:
    raw = read_user_file(path)
    where = display_name(path)
    if b"\x00" in raw:
        raise InvalidInput(f"{where}: not a CSV text file (it contains NUL bytes)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{where}: not UTF-8 text (byte {exc.start})") from None


def _dialect(text: str) -> type[csv.Dialect] | str:
    sample = text[:65536]
    first = sample.split("\n", 1)[0]
    if "," in first:
        return "excel"
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return "excel"


def _columns(
    where: str, header: list[str], options: CsvOptions, summary: ImportSummary
) -> dict[str, int | None]:
    columns = {name.strip().lower(): i for i, name in enumerate(header)}
    index: dict[str, int | None] = {}
    for name in REQUIRED + OPTIONAL:
        wanted = options.mapping.get(name, name)
        if wanted.lower() not in columns and name in options.mapping:
            raise InvalidInput(
                f"{where}:1: --map: {name}={wanted}: no column {wanted!r} "
                f"(the file has: {', '.join(h.strip() for h in header)})"
            )
        index[name] = columns.get(wanted.lower())
    missing = [name for name in REQUIRED if index[name] is None]
    if missing:
        raise InvalidInput(
            f"{where}:1: missing column {missing[0]!r} (required: {', '.join(REQUIRED)}; "
            f"optional: {', '.join(OPTIONAL)}; map yours with --map {missing[0]}=COLUMN)"
        )
    used = {i for i in index.values() if i is not None}
    unused = [h.strip() for i, h in enumerate(header) if i not in used and h.strip()]
    if unused:
        message = (
            f"{where}:1: columns not used: {', '.join(unused)} (known: {', '.join(REQUIRED + OPTIONAL)};"
            " map yours with --map FIELD=COLUMN)"
        )
        if options.strict:
            raise InvalidInput(message + "; nothing imported (--strict)")
        summary.warnings.append(message)
    return index


def import_forecasts(
    db: Database,
    path: str | Path,
    *,
    author: str,
    progress: Progress | None = None,
    options: CsvOptions | None = None,
) -> ImportSummary:
    """Import a forecasts CSV into the workspace: all or nothing."""
    path = Path(path)
    options = options or CsvOptions()
    where = display_name(path)
    text = _read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput(
            f"{where}:1: the file is empty (needs a header: {', '.join(REQUIRED)})"
        ) from None
    except csv.Error as exc:
        raise InvalidInput(f"{where}:1: {exc}") from None
    summary = ImportSummary(dry_run=options.dry_run)
    index = _columns(where, header, options, summary)
    pending: dict[str, _PendingQuestion] = {}
    existing_titles = _existing_titles(db)
    rows: list[tuple[str, str, str, float, int, str]] = []  # key, forecaster, made_at, p, line, why
    total = text.count("\n") or 1
    line = 1
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            rows.append(_parse_row(db, record, index, pending, existing_titles, line, options))
            if progress and len(rows) % 5000 == 0:
                progress(len(rows), total)
    except _RowError as exc:
        raise InvalidInput(f"{where}:{line}: {exc}") from None
    except csv.Error as exc:
        raise InvalidInput(f"{where}:{line}: {exc}") from None
    summary.rows = len(rows)
    try:
        with write_transaction(db):
            qids = _create_questions(db, pending, author, summary)
            _insert_forecasts(db, path, rows, qids, summary)
            _apply_resolutions(db, pending, qids, author, summary)
            if options.dry_run:
                raise _DryRun
    except _DryRun:
        pass
    if progress:
        progress(total, total)
    return summary


def _existing_titles(db: Database) -> dict[str, int]:
    titles: dict[str, int] = {}
    for qid, title in db.execute("select id, title from questions order by id"):
        titles.setdefault(title, qid)
    return titles


def _cell(record: list[str], index: dict[str, int | None], name: str) -> str:
    position = index[name]
    if position is None or position >= len(record):
        return ""
    return record[position].strip()


def _parse_row(
    db: Database,
    record: list[str],
    index: dict[str, int | None],
    pending: dict[str, _PendingQuestion],
    existing_titles: dict[str, int],
    line: int,
    options: CsvOptions,
) -> tuple[str, str, str, float, int, str]:
    ref = _cell(record, index, "question")
    if not ref:
        raise _RowError("question", ref, "required (an existing id such as Q3, or a title)")
    question = pending.get(ref)
    if question is None:
        question = _lookup_question(db, ref, existing_titles)
        pending[ref] = question
    forecaster = _cell(record, index, "forecaster")
    if not forecaster:
        raise _RowError("forecaster", forecaster, "required (a name)")
    raw_p = _cell(record, index, "probability")
    try:
        p = float(raw_p[:-1]) / 100 if raw_p.endswith("%") else float(raw_p)
    except ValueError:
        raise _RowError(
            "probability", raw_p, "not a number (P(Yes) between 0 and 1, or a percentage: 70%)"
        ) from None
    if not (0.0 <= p <= 1.0) or math.isnan(p):
        raise _RowError("probability", raw_p, "outside [0, 1] (P(Yes) between 0 and 1)")
    made_at = _column_datetime(record, index, "made_at", required=True, options=options)
    question.last_made_at = max(question.last_made_at, made_at)
    raw_outcome = _cell(record, index, "outcome")
    if raw_outcome:
        outcome = OUTCOME_WORDS.get(raw_outcome.lower())
        if outcome is None:
            raise _RowError("outcome", raw_outcome, "not allowed (yes/no/1/0/true/false, or blank)")
        if question.outcome is not None and question.outcome != outcome:
            raise _RowError(
                "outcome",
                raw_outcome,
                f"contradicts line {question.outcome_line}, which resolved the same question",
            )
        question.outcome, question.outcome_line = outcome, line
    resolved_at = _column_datetime(record, index, "resolved_at", required=False, options=options)
    if resolved_at:
        question.resolved_at = resolved_at
    opens_at = _column_datetime(record, index, "opens_at", required=False, options=options)
    if opens_at:
        question.opens_at = opens_at
    closes_at = _column_datetime(record, index, "closes_at", required=False, options=options)
    if closes_at:
        question.closes_at = closes_at
    tags = _cell(record, index, "tags")
    if tags:
        question.tags.update(t.strip().lower() for t in tags.split(";") if t.strip())
    return ref, forecaster, made_at, p, line, _cell(record, index, "rationale")


def _column_datetime(
    record: list[str],
    index: dict[str, int | None],
    name: str,
    *,
    required: bool,
    options: CsvOptions,
) -> str:
    value = _cell(record, index, name)
    if not value:
        if required:
            raise _RowError(name, value, "required (ISO 8601 date or datetime)")
        return ""
    try:
        return _datetime(value, options)
    except ValueError:
        allowed = (
            f"not a date in the format {options.date_format}"
            if options.date_format
            else "not a date (ISO 8601 2020-01-31 or 2020-01-31T14:00; D/M/YYYY with --dayfirst; "
            "anything else with --date-format, e.g. %m/%d/%Y)"
        )
        raise _RowError(name, value, allowed) from None


def _lookup_question(db: Database, ref: str, existing_titles: dict[str, int]) -> _PendingQuestion:
    number = row_number(ref, "Q")
    qid: int | None = None
    if number is not None and ref.strip().upper().startswith("Q"):
        row = db.execute("select id from questions where id = ?", [number]).fetchone()
        if row is None:
            raise _RowError("question", ref, "no such question id (use an existing id or a title)")
        qid = row[0]
    elif ref in existing_titles:
        qid = existing_titles[ref]
    if qid is None:
        return _PendingQuestion(qid=None, title=ref)
    kind = db.execute("select kind from questions where id = ?", [qid]).fetchone()[0]
    if kind != "binary":
        raise _RowError(
            "question", ref, "is a multi-outcome question; CSV import takes P(Yes) for binary ones"
        )
    return _PendingQuestion(qid=qid, title=ref)


def _create_questions(
    db: Database, pending: dict[str, _PendingQuestion], author: str, summary: ImportSummary
) -> dict[str, int]:
    now = clock.now_iso()
    qids: dict[str, int] = {}
    created: list[int] = []
    for ref, question in pending.items():
        if question.qid is None:
            cursor = db.execute(
                "insert into questions (uuid, title, kind, opens_at, closes_at, created_at,"
                " created_by, updated_at, updated_by) values (?, ?, 'binary', ?, ?, ?, ?, ?, ?)",
                [
                    str(uuidlib.uuid4()),
                    question.title,
                    question.opens_at,
                    question.closes_at,
                    now,
                    author,
                    now,
                    author,
                ],
            )
            question.qid = int(cursor.lastrowid or 0)
            db.conn.executemany(
                "insert into outcomes (question_id, position, name, prior) values (?, ?, ?, 0.5)",
                [(question.qid, 0, "Yes"), (question.qid, 1, "No")],
            )
            db.execute(
                "insert into prior_history (question_id, priors, changed_at, changed_by)"
                " values (?, '[0.5, 0.5]', ?, ?)",
                [question.qid, now, author],
            )
            summary.questions_created.append(f"Q{question.qid}")
            created.append(question.qid)
        qids[ref] = question.qid
        db.conn.executemany(
            "insert or ignore into question_tags (question_id, tag) values (?, ?)",
            [(question.qid, tag) for tag in sorted(question.tags)],
        )
    model_changed(db, created)
    return qids


def _insert_forecasts(
    db: Database,
    path: Path,
    rows: list[tuple[str, str, str, float, int, str]],
    qids: dict[str, int],
    summary: ImportSummary,
) -> None:
    involved = sorted(set(qids.values()))
    stored: dict[tuple[int, str, str], float] = {}
    for start in range(0, len(involved), 900):
        chunk = involved[start : start + 900]
        marks = ",".join("?" * len(chunk))
        for qid, forecaster, made_at, p in db.execute(
            f"select question_id, forecaster, made_at, p from forecasts where question_id in ({marks})",  # noqa: S608
            chunk,
        ):
            stored[(qid, forecaster, made_at)] = p
    now = clock.now_iso()
    origin = f"import:{base_name(path)}"
    fresh: list[tuple[int, str, str, float, str, str, str]] = []
    seen_lines: dict[tuple[int, str, str], int] = {}
    for ref, forecaster, made_at, p, line, rationale in rows:
        key = (qids[ref], forecaster, made_at)
        if key in stored:
            if stored[key] is None or abs(stored[key] - p) > 1e-12:
                earlier = seen_lines.get(key)
                found = f"line {earlier} of this file" if earlier else "the workspace"
                raise Conflict(
                    f"{display_name(path)}:{line}: probability: {p!r}: {forecaster} already has "
                    f"{stored[key]!r} on Q{key[0]} at {made_at} in {found}; forecasts are append-only"
                )
            summary.forecasts_skipped += 1
            continue
        stored[key] = p
        seen_lines[key] = line
        fresh.append((key[0], forecaster, made_at, p, rationale, now, origin))
    db.conn.executemany(
        "insert into forecasts (question_id, forecaster, made_at, p, rationale, recorded_at, origin)"
        " values (?, ?, ?, ?, ?, ?, ?)",
        fresh,
    )
    summary.forecasts_added = len(fresh)


def _apply_resolutions(
    db: Database,
    pending: dict[str, _PendingQuestion],
    qids: dict[str, int],
    author: str,
    summary: ImportSummary,
) -> None:
    now = clock.now_iso()
    for ref, question in pending.items():
        if question.outcome is None:
            continue
        qid = qids[ref]
        outcome_id, status, current_outcome, current_at = db.execute(
            "select o.id, q.status, q.resolved_outcome_id, q.resolved_at from questions q"
            " join outcomes o on o.question_id = q.id and o.position = ? where q.id = ?",
            [question.outcome, qid],
        ).fetchone()
        if question.resolved_at:
            resolved_at = question.resolved_at
            if status == "resolved" and current_outcome == outcome_id and current_at == resolved_at:
                continue
        else:
            if status == "resolved" and current_outcome == outcome_id:
                continue  # the file gives no time: the stored resolution stands
            resolved_at = _after_last_forecast(db, qid, now)
        if status == "annulled":
            raise Conflict(
                f"Q{qid} is annulled; the file resolves it (line {question.outcome_line})"
            )
        db.execute(
            "insert into resolutions (question_id, action, outcome_id, resolved_at, recorded_at,"
            " recorded_by) values (?, 'resolved', ?, ?, ?, ?)",
            [qid, outcome_id, resolved_at, now, author],
        )
        db.execute(
            "update questions set status = 'resolved', resolved_outcome_id = ?, resolved_at = ?,"
            " updated_at = ?, updated_by = ?, version = version + 1 where id = ?",
            [outcome_id, resolved_at, now, author, qid],
        )
        summary.resolutions_set += 1


def _after_last_forecast(db: Database, qid: int, now: str) -> str:
    """A resolution time for a row that gives an outcome but no ``resolved_at``: the midnight
    (UTC) after the question's latest forecast, so every forecast counts as made before it
    resolved and the last one stands for its day; or now, if that is earlier and still after it."""
    (latest,) = db.execute(
        "select max(made_at) from forecasts where question_id = ?", [qid]
    ).fetchone()
    if latest is None:
        return now
    last = datetime.fromisoformat(latest.replace("Z", "+00:00"))
    midnight = datetime(last.year, last.month, last.day, tzinfo=UTC) + timedelta(days=1)
    moment = datetime.fromisoformat(now.replace("Z", "+00:00"))
    if last < moment < midnight:
        midnight = moment
    return clock.to_iso(midnight)
