"""Metaculus' data export: ``question_data.csv`` and ``forecast_data.csv`` (the zip it sends, the
folder it unpacks to, or either CSV with the other beside it). Values are as Python's ``csv``
writes them: lists as ``['a', 'b']``, times as ``str(datetime)``, empty for None.

- Binary and multiple-choice questions (options from ``MC Options (All)``); numeric, discrete and
  date questions are skipped with a warning (forecastle has no numeric questions yet).
- ``Open Time`` -> opens; the close is ``Actual Close Time`` (else ``Scheduled Close Time``):
  it decides which forecast counts. ``Resolution`` yes/no/an option -> resolved at ``Resolution
  Known Time``; annulled/ambiguous -> annulled. ``Categories`` -> tags (plus ``metaculus``).
- Each forecaster's row -> a forecast at its ``Start Time`` (``Probability Yes``, or ``Probability
  Yes Per Category`` with an option not yet offered as 0); aggregate rows (no forecaster id:
  the community prediction) are skipped and counted in a warning."""

from __future__ import annotations

import ast
import zipfile
from pathlib import Path

from questions.errors import InvalidInput

from .records import (
    ANNULLED,
    Batch,
    HistoryForecast,
    HistoryQuestion,
    RowError,
    csv_rows,
    moment,
    probability,
    read_text,
)

QUESTION_COLUMNS = ("Question ID", "Question Title", "Question Type", "Resolution")
FORECAST_COLUMNS = ("Question ID", "Start Time")
KINDS = {"binary", "multiple_choice"}


def _files(path: Path) -> tuple[tuple[Path, str], tuple[Path, str]]:
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                names = {Path(n).name: n for n in archive.namelist()}
                texts = []
                for wanted in ("question_data.csv", "forecast_data.csv"):
                    if wanted not in names:
                        raise InvalidInput(f"{path}: no {wanted} in the archive")
                    texts.append((path / wanted, archive.read(names[wanted]).decode("utf-8-sig")))
                return texts[0], texts[1]
        except (zipfile.BadZipFile, OSError) as exc:
            raise InvalidInput(f"{path}: not a readable zip archive ({exc})") from None
    folder = path if path.is_dir() else path.parent
    pair = (folder / "question_data.csv", folder / "forecast_data.csv")
    return (pair[0], read_text(pair[0])), (pair[1], read_text(pair[1]))


def _list(where: str, column: str, value: str) -> list[object]:
    if not value.strip():
        return []
    try:
        parsed = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        raise RowError(where, column, value, "not a list (['a', 'b'])") from None
    if not isinstance(parsed, list | tuple):
        raise RowError(where, column, value, "not a list (['a', 'b'])")
    return list(parsed)


def parse(path: Path) -> Batch:
    (qpath, qtext), (fpath, ftext) = _files(path)
    batch = Batch("metaculus", path)
    columns, reader = csv_rows(qpath, qtext, QUESTION_COLUMNS)

    def cell(record: list[str], name: str) -> str:
        i = columns.get(name)
        return record[i].strip() if i is not None and i < len(record) else ""

    skipped: set[str] = set()
    for record in reader:
        where = f"{qpath}:{reader.line_num}"
        if not any(record):
            continue
        qid = cell(record, "Question ID")
        kind = cell(record, "Question Type").lower()
        if kind not in KINDS:
            if kind in {"numeric", "discrete", "date"}:
                skipped.add(qid)
                batch.warnings.append(
                    f"{where}: question {qid} is {kind}: skipped (numeric questions are not supported yet)"
                )
                continue
            raise RowError(
                where,
                "Question Type",
                kind,
                "not allowed (binary, multiple_choice, numeric, discrete, date)",
            )
        options = []
        if kind == "multiple_choice":
            raw = cell(record, "MC Options (All)") or cell(record, "MC Options (Current)")
            options = [str(o) for o in _list(where, "MC Options (All)", raw)]
            if len(options) < 2:
                raise RowError(
                    where,
                    "MC Options (All)",
                    raw,
                    "a multiple-choice question needs two or more options",
                )
        close = moment(where, "Actual Close Time", cell(record, "Actual Close Time")) or moment(
            where, "Scheduled Close Time", cell(record, "Scheduled Close Time")
        )
        tags = {
            "metaculus",
            *(
                str(t).strip().lower()
                for t in _list(where, "Categories", cell(record, "Categories"))
            ),
        }
        question = HistoryQuestion(
            key=qid,
            title=cell(record, "Question Title"),
            where=where,
            outcomes=options,
            opens_at=moment(where, "Open Time", cell(record, "Open Time")),
            closes_at=close,
            description=cell(record, "Question URL"),
            tags={t for t in tags if t},
        )
        if not question.title:
            raise RowError(where, "Question Title", "", "required")
        resolution = cell(record, "Resolution")
        if resolution:
            lowered = resolution.lower()
            if lowered in {"annulled", "ambiguous"}:
                question.resolution = ANNULLED
            elif not options and lowered in {"yes", "no"}:
                question.resolution = lowered.capitalize()
            elif resolution in options:
                question.resolution = resolution
            else:
                allowed = ", ".join(options) if options else "yes, no"
                raise RowError(
                    where,
                    "Resolution",
                    resolution,
                    f"not an outcome ({allowed}, annulled, ambiguous)",
                )
            question.resolved_at = moment(
                where, "Resolution Known Time", cell(record, "Resolution Known Time")
            )
        batch.questions[qid] = question
    _forecasts(fpath, ftext, batch, skipped)
    return batch


def _forecasts(path: Path, text: str, batch: Batch, skipped: set[str]) -> None:
    columns, reader = csv_rows(path, text, FORECAST_COLUMNS)
    anonymous = "Forecaster (Anonymized)" in columns

    def cell(record: list[str], name: str) -> str:
        i = columns.get(name)
        return record[i].strip() if i is not None and i < len(record) else ""

    aggregates = 0
    for record in reader:
        where = f"{path}:{reader.line_num}"
        if not any(record):
            continue
        qid = cell(record, "Question ID")
        if qid in skipped:
            continue
        question = batch.questions.get(qid)
        if question is None:
            raise RowError(where, "Question ID", qid, "not in question_data.csv")
        if anonymous:
            forecaster = cell(record, "Forecaster (Anonymized)")[:12]
        else:
            if not cell(record, "Forecaster ID"):
                aggregates += 1
                continue
            forecaster = (
                cell(record, "Forecaster Username")
                or f"metaculus user {cell(record, 'Forecaster ID')}"
            )
        made_at = moment(where, "Start Time", cell(record, "Start Time"), required=True) or ""
        if question.outcomes:
            raw = cell(record, "Probability Yes Per Category")
            values = _list(where, "Probability Yes Per Category", raw)
            if len(values) != len(question.outcomes):
                raise RowError(
                    where,
                    "Probability Yes Per Category",
                    raw,
                    f"{len(question.outcomes)} values, one per option",
                )
            probs = [
                0.0 if v is None else probability(where, "Probability Yes Per Category", v)
                for v in values
            ]
            total = sum(probs)
            if total <= 0:
                raise RowError(
                    where, "Probability Yes Per Category", raw, "probabilities adding up to 1"
                )
            probs = [p / total for p in probs]
        else:
            p = probability(where, "Probability Yes", cell(record, "Probability Yes"))
            probs = [p, 1 - p]
        batch.forecasts.append(HistoryForecast(qid, forecaster, made_at, probs, where))
    if aggregates:
        batch.warnings.append(
            f"{path}: {aggregates} aggregate rows (the community prediction, no forecaster) skipped"
        )
