"""Three-way merge of a question's files (base, ours, theirs) with the bundle's rules, for git's
merge driver.

- Items, tree nodes, comments, challenges and indicators are matched by UUID (so an indicator
  removed on one side is removed in the merge), forecasts by forecaster and
  time; one added on either side is kept, and nothing is deleted (as a bundle import never
  deletes).
- A field changed on one side only takes that side's value; changed on both sides to the same
  value, that value; changed on both sides to different values, a conflict: ours is kept in the
  data, and the file shows both values between git's conflict markers, named.
- Audit trails (prior history, resolutions) and tags are unions; a row whose fields came from both
  sides gets a version above both, so importing the merge updates either side's workspace.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from forecast.exchange.text.forecasts_csv import read_forecasts, write_forecasts
from forecast.exchange.text.locate import Path as FieldPath
from forecast.exchange.text.locate import dotted, positions
from forecast.exchange.text.toml_write import dumps, key, value

KEYED = {
    "evidence": "uuid",
    "tree": "uuid",
    "comments": "uuid",
    "challenges": "uuid",
    "indicators": "uuid",
}
TRAILS = ("prior_history", "resolutions")
BOOKKEEPING = ("updated_at", "updated_by", "version")
_MISSING = object()


@dataclass
class MergeConflict:
    path: FieldPath
    what: str
    ours: Any
    theirs: Any

    def line(self, file: str) -> str:
        return (
            f"{file}: {self.what}: {dotted(self.path).rsplit('.', 1)[-1]} changed on both sides:"
            f" ours {value(self.ours) if self.ours is not None else 'none'},"
            f" theirs {value(self.theirs) if self.theirs is not None else 'none'}"
        )


def _pick(base: Any, ours: Any, theirs: Any) -> tuple[Any, bool]:
    """The merged value of one field, and whether the two sides conflict."""
    if ours == theirs or theirs == base:
        return ours, False
    if ours == base:
        return theirs, False
    return ours, True


def _label(row: dict[str, Any]) -> str:
    text = str(row.get("text") or row.get("body") or row.get("reason") or row.get("uuid", ""))
    return text if len(text) <= 50 else text[:49] + "…"


class _Merger:
    def __init__(self) -> None:
        self.conflicts: list[MergeConflict] = []

    def row(
        self,
        base: dict[str, Any] | None,
        ours: dict[str, Any],
        theirs: dict[str, Any],
        path: FieldPath,
        what: str,
    ) -> dict[str, Any]:
        base = base or {}
        merged: dict[str, Any] = {}
        for name in [*ours, *(k for k in theirs if k not in ours)]:
            if name in BOOKKEEPING:
                continue
            b, o, t = base.get(name, _MISSING), ours.get(name, _MISSING), theirs.get(name, _MISSING)
            if not path and name in KEYED and isinstance(o, list) and isinstance(t, list):
                merged[name] = self.keyed(
                    b if isinstance(b, list) else [], o, t, (*path, name), name
                )
            elif name in TRAILS or name == "tags" or _rows(o) and _rows(t):  # links too
                merged[name] = _union(
                    b if isinstance(b, list) else [],
                    o if isinstance(o, list) else [],
                    t if isinstance(t, list) else [],
                    sort=name == "tags",
                )
            elif name == "groups" and isinstance(o, dict) and isinstance(t, dict):
                merged[name] = self.row(b if isinstance(b, dict) else {}, o, t, (*path, name), what)
            else:
                chosen, clash = _pick(b, o, t)
                if clash:
                    self.conflicts.append(
                        MergeConflict(
                            (*path, name),
                            what,
                            None if o is _MISSING else o,
                            None if t is _MISSING else t,
                        )
                    )
                if chosen is not _MISSING:
                    merged[name] = chosen
        if any(name in ours or name in theirs for name in BOOKKEEPING):
            self._bookkeeping(merged, ours, theirs)
        return merged

    @staticmethod
    def _bookkeeping(merged: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]) -> None:
        def content(row: dict[str, Any]) -> dict[str, Any]:
            return {k: v for k, v in row.items() if k not in BOOKKEEPING}

        later = (
            theirs if str(theirs.get("updated_at", "")) > str(ours.get("updated_at", "")) else ours
        )
        source = (
            ours
            if content(merged) == content(ours)
            else theirs
            if content(merged) == content(theirs)
            else None
        )
        chosen = source or later
        for name in BOOKKEEPING:
            if name in chosen:
                merged[name] = chosen[name]
        if source is None and "version" in merged:
            merged["version"] = max(int(ours.get("version", 1)), int(theirs.get("version", 1))) + 1

    def keyed(
        self,
        base: list[dict[str, Any]],
        ours: list[dict[str, Any]],
        theirs: list[dict[str, Any]],
        path: FieldPath,
        name: str,
    ) -> list[dict[str, Any]]:
        ident = KEYED[name]
        old = {r[ident]: r for r in base}
        mine = {r[ident]: r for r in ours}
        other = {r[ident]: r for r in theirs}
        order = [r[ident] for r in ours] + [r[ident] for r in theirs if r[ident] not in mine]
        merged = []
        for index, uuid in enumerate(order):
            o, t = mine.get(uuid), other.get(uuid)
            if o is None or t is None:
                merged.append(o or t)
                continue
            merged.append(self.row(old.get(uuid), o, t, (*path, index), f"{name} {_label(o)!r}"))
        return merged  # type: ignore[return-value]


def _rows(data: Any) -> bool:
    return isinstance(data, list) and bool(data) and all(isinstance(i, dict) for i in data)


def _union(base: list[Any], ours: list[Any], theirs: list[Any], *, sort: bool) -> list[Any]:
    merged = list(ours)
    merged += [item for item in theirs if item not in merged]
    return sorted(merged) if sort else merged


def _with_bookkeeping_order(merged: dict[str, Any], template: dict[str, Any]) -> dict[str, Any]:
    """Fields in the order of ``template`` (ours), new ones after: the file stays as exported."""
    ordered = {k: merged[k] for k in template if k in merged}
    ordered.update({k: v for k, v in merged.items() if k not in ordered})
    for k, v in ordered.items():
        if isinstance(v, list) and isinstance(template.get(k), list):
            by_id = {r.get("uuid"): r for r in template[k] if isinstance(r, dict)}
            ordered[k] = [
                _with_bookkeeping_order(r, by_id[r.get("uuid")])
                if isinstance(r, dict) and r.get("uuid") in by_id
                else r
                for r in v
            ]
    return ordered


def _marked(text: str, conflicts: list[MergeConflict]) -> str:
    """``text`` with each conflicting field's line(s) between git's conflict markers."""
    found = positions(text)
    lines = text.split("\n")
    for conflict in sorted(conflicts, key=lambda c: -found.get(c.path, (0, 0))[0]):
        if conflict.path not in found:
            continue
        line = found[conflict.path][0]
        name = key(str(conflict.path[-1]))
        ours_text = f"{name} = {value(conflict.ours, multiline=True)}"
        span = ours_text.count("\n") + 1
        block = [f"<<<<<<< ours: {conflict.what}: {conflict.path[-1]} changed on both sides"]
        block += [f"{name} = {value(conflict.ours)}"] if conflict.ours is not None else []
        block += ["======="]
        block += [f"{name} = {value(conflict.theirs)}"] if conflict.theirs is not None else []
        block += [">>>>>>> theirs"]
        lines[line - 1 : line - 1 + span] = block
    return "\n".join(lines)


def merge_question_text(
    base: dict[str, Any] | None, ours: dict[str, Any], theirs: dict[str, Any]
) -> tuple[str, list[MergeConflict]]:
    """The merged question file's text (with named conflict markers where both sides changed a
    field) and the conflicts."""
    merger = _Merger()
    merged = merger.row(base, ours, theirs, (), "question")
    merged = _with_bookkeeping_order(merged, ours)
    text = dumps(merged)
    if merger.conflicts:
        text = _marked(text, merger.conflicts)
    return text, merger.conflicts


def merge_forecasts_text(base: str, ours: str, theirs: str) -> tuple[str, list[MergeConflict]]:
    """Forecasts are append-only: the union by forecaster and time, oldest first; the same
    forecast recorded differently on the two sides is a conflict (ours kept)."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    conflicts: list[MergeConflict] = []
    for side, text in (("ours", ours), ("theirs", theirs)):
        for row in read_forecasts(text)[0] if text else []:
            ident = (str(row.get("forecaster")), str(row.get("made_at")))
            if ident not in rows:
                rows[ident] = row
            elif rows[ident] != row and side == "theirs":
                conflicts.append(
                    MergeConflict(
                        ("forecasts",), f"{ident[0]}'s forecast at {ident[1]}", rows[ident], row
                    )
                )
    del base
    merged = write_forecasts([rows[k] for k in sorted(rows, key=lambda k: (k[1], k[0]))])
    if conflicts:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        for conflict in conflicts:
            out.write(f"<<<<<<< ours: {conflict.what} differs on the two sides\n")
            writer.writerow([str(v) for v in conflict.ours.values()])
            out.write("=======\n")
            writer.writerow([str(v) for v in conflict.theirs.values()])
            out.write(">>>>>>> theirs\n")
        merged += out.getvalue()
    return merged, conflicts
