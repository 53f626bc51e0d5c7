"""A question's forecasts as an append-only CSV: one row per forecast, oldest first.

The columns are ``BundleForecast``'s fields in order, so a field added to the bundle's forecasts
becomes a column here (a numeric or date question's rows have ``cdf``, ``typed`` and ``method``
instead of ``probs``: the CDF on the grid as a JSON list). A text cell is written as it is; any other value as JSON (``[0.4, 0.6]``,
``true``); an empty cell of a non-text column is a missing value (the field's default).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from forecast.exchange.bundle_models import BundleForecast

COLUMNS: tuple[str, ...] = tuple(BundleForecast.model_fields)
KIND_COLUMNS = ("probs", "cdf", "typed", "method")
"""Columns of one kind of question only (``probs`` categorical; the others numeric/date): left out
of a file where no row has them, and read as the field's default when missing."""
_TEXT_COLUMNS = frozenset(
    name for name, info in BundleForecast.model_fields.items() if info.annotation is str
) | {"typed", "method"}


def _columns(forecasts: list[dict[str, Any]]) -> list[str]:
    return [
        name
        for name in COLUMNS
        if name not in KIND_COLUMNS or any(f.get(name) not in (None, []) for f in forecasts)
    ]


def write_forecasts(forecasts: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    # a bare carriage return is not quoted by the minimal rule (the line ends are "\n"): quote all
    quoting = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    columns = _columns(forecasts)
    writer.writerow(columns)
    for forecast in forecasts:
        cells = [
            ""
            if forecast.get(name) is None
            else forecast[name]
            if name in _TEXT_COLUMNS
            else json.dumps(forecast[name], ensure_ascii=False)
            for name in columns
        ]
        (quoting if any("\r" in cell for cell in cells) else writer).writerow(cells)
    return out.getvalue()


class CsvProblem(Exception):
    """A cell that cannot be read: (line, column, field, value, what is allowed)."""

    def __init__(self, line: int, column: int, field: str, value: str, allowed: str) -> None:
        super().__init__(allowed)
        self.line, self.column, self.field, self.value, self.allowed = (
            line,
            column,
            field,
            value,
            allowed,
        )


def _column_of(raw_line: str, index: int) -> int:
    """The 1-based character column where field ``index`` starts in a (single-line) CSV row."""
    field, quoted = 0, False
    for position, char in enumerate(raw_line):
        if field == index:
            return position + 1
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            field += 1
    return len(raw_line) + 1


def read_forecasts(text: str) -> tuple[list[dict[str, Any]], list[tuple[int, int]]]:
    """The rows as dicts, and for each row the (line, first column) it starts at; a cell that is
    not JSON where JSON is expected raises ``CsvProblem``."""
    raw_lines = text.split("\n")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return [], []
    except csv.Error as exc:
        raise CsvProblem(1, 1, "header", "", f"not CSV ({exc})") from None
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise CsvProblem(
            1,
            _column_of(raw_lines[0], header.index(unknown[0])),
            "header",
            unknown[0],
            f"the columns are {', '.join(COLUMNS)}",
        )
    rows: list[dict[str, Any]] = []
    starts: list[tuple[int, int]] = []
    line = reader.line_num
    while True:
        start = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise CsvProblem(start, 1, "row", "", f"not CSV ({exc})") from None
        line = reader.line_num
        if not cells:
            continue
        if len(cells) != len(header):
            raise CsvProblem(
                start, 1, "row", ",".join(cells)[:60], f"{len(header)} cells, as the header"
            )
        row: dict[str, Any] = {}
        for index, (name, cell) in enumerate(zip(header, cells, strict=True)):
            if name in _TEXT_COLUMNS:
                row[name] = cell
            elif cell != "":
                try:
                    row[name] = json.loads(cell)
                except json.JSONDecodeError:
                    raise CsvProblem(
                        start,
                        _column_of(raw_lines[start - 1], index),
                        name,
                        cell,
                        "a JSON value (a list of probabilities like [0.4, 0.6], true or false)",
                    ) from None
        rows.append(row)
        starts.append((start, 1))
    return rows, starts


def cell_column(text: str, line: int, field: str) -> int:
    """The column where ``field``'s cell starts on ``line`` (1 when the row spans lines)."""
    lines = text.split("\n")
    header = next(csv.reader([lines[0]]), [])
    if field not in header or line > len(lines):
        return 1
    return _column_of(lines[line - 1], header.index(field))
