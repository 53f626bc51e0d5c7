"""Fatebook's CSV export (``questionsToCsv`` in Fatebook's ``lib/web/export.ts``): one row per
forecast, 16 columns, strings always quoted, dates as ``YYYY-MM-DD HH:MM:S`` (seconds unpadded).

- One question per (title, created by, created at); ``Question created at`` -> opens, ``Question
  resolve by`` -> closes; ``Resolution`` YES/NO -> resolved, AMBIGUOUS -> annulled.
- Multiple-choice option rows (``Multiple choice option`` set) are grouped into one
  multi-outcome question; a forecaster's option rows made in the same second are one forecast
  (an option they did not give keeps their earlier value; probability left over goes to an
  ``Other`` outcome). The option whose resolution is YES is the outcome.
- ``Question notes`` -> a comment by the question's creator; ``Question comments`` (``name:
  text; name: text``) -> one comment each.
- Brier scores, sharing and publicity are not imported (forecastle scores for itself)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .records import (
    ANNULLED,
    Batch,
    HistoryComment,
    HistoryForecast,
    HistoryQuestion,
    RowError,
    csv_rows,
    moment,
    probability,
    read_text,
)

COLUMNS = (
    "Question title",
    "Multiple choice option",
    "Forecast created by",
    "Forecast (scale = 0-1)",
    "Forecast created at",
    "Question created by",
    "Question created at",
    "Question resolve by",
    "Resolution",
    "Resolved at",
    "Your Brier score for this question",
    "Your relative Brier score for this question",
    "Question notes",
    "Question shared with",
    "Question shared publicly",
    "Question comments",
)
RESOLUTIONS = {"YES": "Yes", "NO": "No", "AMBIGUOUS": ANNULLED, "": None}
OTHER = "Other"


@dataclass
class _Question:
    record: HistoryQuestion
    creator: str
    created_at: str
    notes: str = ""
    comments: str = ""
    options: dict[str, str | None] = field(default_factory=dict)  # option -> resolution
    # (forecaster, made_at) -> {option or None: (p, line)}
    votes: dict[tuple[str, str], dict[str | None, tuple[float, str]]] = field(default_factory=dict)


def parse(path: Path) -> Batch:
    text = read_text(path)
    columns, reader = csv_rows(path, text, COLUMNS)
    at = [columns[name] for name in COLUMNS]
    width = max(at) + 1
    found: dict[tuple[str, str, str], _Question] = {}
    where = f"{path}:1"
    for record in reader:
        where = f"{path}:{reader.line_num}"
        if not any(record):
            continue
        if len(record) < width:
            raise RowError(where, "row", len(record), f"too few cells ({width} columns expected)")
        cells = [record[i].strip() for i in at]
        title, option, by, p_text, made, q_by, q_at, resolve_by, resolution, resolved_at = cells[
            :10
        ]
        if not title:
            raise RowError(where, COLUMNS[0], title, "required (the question)")
        q_created = moment(where, COLUMNS[6], q_at, required=True) or ""
        key = (title, q_by, q_created)
        question = found.get(key)
        if question is None:
            question = _Question(
                HistoryQuestion(
                    key="\x1f".join(key),
                    title=title,
                    where=where,
                    opens_at=q_created,
                    closes_at=moment(where, COLUMNS[7], resolve_by),
                    tags={"fatebook"},
                ),
                creator=q_by or "fatebook",
                created_at=q_created,
                notes=cells[12],
                comments=cells[15],
            )
            found[key] = question
        if resolution.upper() not in RESOLUTIONS:
            raise RowError(
                where, COLUMNS[8], resolution, "not allowed (YES, NO, AMBIGUOUS or empty)"
            )
        resolved = moment(where, COLUMNS[9], resolved_at)
        if resolved:
            question.record.resolved_at = resolved
        if option:
            question.options.setdefault(option, None)
            if resolution:
                question.options[option] = resolution.upper()
        elif question.options:
            raise RowError(
                where, COLUMNS[1], option, "required: other rows of this question name an option"
            )
        else:
            question.record.resolution = RESOLUTIONS[resolution.upper()]
        if not by:
            raise RowError(where, COLUMNS[2], by, "required (who forecast)")
        p = probability(where, COLUMNS[3], p_text)
        made_at = moment(where, COLUMNS[4], made, required=True) or ""
        question.votes.setdefault((by, made_at), {})[option or None] = (p, where)
    batch = Batch("fatebook", path)
    for question in found.values():
        _finish(question, batch)
    return batch


def _finish(question: _Question, batch: Batch) -> None:
    record = question.record
    batch.questions[record.key] = record
    if question.notes:
        batch.comments.append(
            HistoryComment(record.key, question.creator, question.notes, question.created_at)
        )
    for author, body in _split_comments(question.comments):
        batch.comments.append(HistoryComment(record.key, author, body, question.created_at))
    if not question.options:
        for (by, made_at), votes in question.votes.items():
            p, where = votes[None]
            batch.forecasts.append(HistoryForecast(record.key, by, made_at, [p, 1 - p], where))
        return
    options = list(question.options)
    vectors: list[tuple[str, str, list[float], str]] = []
    standing: dict[str, dict[str, float]] = {}
    needs_other = False
    for (by, made_at), votes in sorted(question.votes.items(), key=lambda kv: kv[0][1]):
        mine = standing.setdefault(by, {})
        mine.update({o: p for o, (p, _) in votes.items() if o is not None})
        where = next(iter(votes.values()))[1]
        given = sum(p for o, (p, _) in votes.items() if o is not None)
        if given > 1 + 1e-6:
            raise RowError(
                where,
                COLUMNS[3],
                round(given, 6),
                f"{by}'s option probabilities add up to more than 1",
            )
        known = min(1.0, sum(mine.values()))
        missing = [o for o in options if o not in mine]
        share = (1 - known) / len(missing) if missing else 0.0
        vector = [mine.get(o, share) for o in options]
        rest = max(0.0, 1 - sum(vector))
        needs_other = needs_other or rest > 1e-6
        vectors.append((by, made_at, vector + [rest], where))
    resolutions = set(question.options.values())
    if needs_other or (resolutions == {"NO"}):
        record.outcomes = [*options, OTHER]
    else:
        record.outcomes = options
    for by, made_at, vector, where in vectors:
        probs = vector if needs_other or record.outcomes[-1] == OTHER else vector[:-1]
        total = sum(probs)
        batch.forecasts.append(
            HistoryForecast(record.key, by, made_at, [p / total for p in probs], where)
        )
    winners = [o for o, r in question.options.items() if r == "YES"]
    if winners:
        record.resolution = winners[0]
    elif resolutions and resolutions <= {"AMBIGUOUS"}:
        record.resolution = ANNULLED
    elif resolutions == {"NO"}:
        record.resolution = OTHER


def _split_comments(text: str) -> list[tuple[str, str]]:
    """``name: text; name: text`` as Fatebook joins them; a part without ``name:`` continues the one before."""
    found: list[tuple[str, str]] = []
    for part in text.split("; "):
        name, sep, body = part.partition(": ")
        if sep and name and len(name) <= 80 and found is not None:
            found.append((name.strip(), body.strip()))
        elif found:
            found[-1] = (found[-1][0], f"{found[-1][1]}; {part}")
        elif part.strip():
            found.append(("fatebook", part.strip()))
    return [(a, b) for a, b in found if b]
