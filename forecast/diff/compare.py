"""What changed between two text forms of a workspace, question by question.

Both sides are file maps (``forecast.exchange.text.layout``: path -> text). Only a question whose
files differ is parsed and run through the engine, so a diff of two large workspaces that differ
in a few questions costs about what those questions' models cost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from forecast.diff.numeric_posterior import LABELS
from forecast.diff.posterior import model_posterior
from forecast.exchange.bundle_models import BundleQuestion
from forecast.exchange.text.layout import (
    FORECASTS_SUFFIX,
    MANIFEST,
    load_toml,
    read_question,
    read_source,
)

BOOKKEEPING = frozenset(
    {"updated_at", "updated_by", "version", "created_at", "created_by", "status_by", "status_at"}
)
CHILDREN = ("evidence", "tree", "comments", "challenges")
CHILD_KIND = {
    "evidence": "evidence",
    "tree": "node",
    "comments": "comment",
    "challenges": "challenge",
}
LABEL = {"evidence": "text", "tree": "text", "comments": "body", "challenges": "reason"}


@dataclass
class FieldChange:
    field: str
    before: Any
    after: Any

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "before": self.before, "after": self.after}


@dataclass
class Change:
    kind: str
    """question, priors, evidence, node, comment, challenge, forecast, resolution, source, workspace"""
    action: str
    """added, removed or edited"""
    what: str
    by: str | None = None
    fields: list[FieldChange] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "action": self.action,
            "what": self.what,
            "by": self.by,
            "fields": [f.as_dict() for f in self.fields],
        }


@dataclass
class QuestionDiff:
    uuid: str
    title: str
    status: str
    """added, removed or changed"""
    kind: str
    outcomes: list[str]
    changes: list[Change]
    before: list[float] | None
    after: list[float] | None
    problems: list[str] = field(default_factory=list)
    """Why a side's posterior could not be computed."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "uuid": self.uuid,
            "title": self.title,
            "status": self.status,
            "changes": [c.as_dict() for c in self.changes],
            "posterior": {
                "outcomes": self.outcomes,
                "before": self.before,
                "after": self.after,
                "problems": self.problems,
            },
        }


@dataclass
class WorkspaceDiff:
    questions: list[QuestionDiff] = field(default_factory=list)
    other: list[Change] = field(default_factory=list)

    @property
    def equal(self) -> bool:
        return not self.questions and not self.other

    def as_dict(self) -> dict[str, Any]:
        return {
            "equal": self.equal,
            "questions": [q.as_dict() for q in self.questions],
            "other": [c.as_dict() for c in self.other],
        }


def _fields(
    before: dict[str, Any], after: dict[str, Any], skip: frozenset[str]
) -> list[FieldChange]:
    names = [*before, *(k for k in after if k not in before)]
    return [
        FieldChange(name, before.get(name), after.get(name))
        for name in names
        if name not in skip and before.get(name) != after.get(name)
    ]


def _children(name: str, a: list[dict[str, Any]], b: list[dict[str, Any]]) -> list[Change]:
    kind, label = CHILD_KIND[name], LABEL[name]
    old = {row["uuid"]: row for row in a}
    changes: list[Change] = []
    for row in b:
        before = old.pop(row["uuid"], None)
        author = (
            row.get("updated_by")
            or row.get("author")
            or row.get("proposer")
            or row.get("created_by")
        )
        if before is None:
            changes.append(
                Change(kind, "added", row[label], author, _fields({}, row, BOOKKEEPING | {"uuid"}))
            )
        elif before != row:
            removed = row.get("removed_at") and not before.get("removed_at")
            fields = _fields(before, row, BOOKKEEPING)
            if removed:
                changes.append(Change(kind, "removed", row[label], row.get("removed_by"), []))
            elif fields:
                by = (
                    row.get("decided_by") or row.get("status_by")
                    if kind in ("challenge",)
                    else author
                )
                if kind == "node" and any(f.field == "status" for f in fields):
                    by = row.get("status_by")
                changes.append(Change(kind, "edited", row[label], by, fields))
    changes += [Change(kind, "removed", row[label], None, []) for row in old.values()]
    return changes


def _forecasts(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> list[Change]:
    old = {(f["forecaster"], f["made_at"]): f for f in a}
    changes = []
    for f in b:
        before = old.pop((f["forecaster"], f["made_at"]), None)
        if before is None:
            changes.append(
                Change(
                    "forecast",
                    "added",
                    f["made_at"],
                    f["forecaster"],
                    [
                        FieldChange("typed", None, f["typed"])
                        if f.get("cdf")
                        else FieldChange("probs", None, f["probs"])
                    ],
                )
            )
        elif before != f:
            changes.append(
                Change(
                    "forecast",
                    "edited",
                    f["made_at"],
                    f["forecaster"],
                    _fields(before, f, frozenset()),
                )
            )
    changes += [
        Change("forecast", "removed", f["made_at"], f["forecaster"], []) for f in old.values()
    ]
    return changes


def _trail(kind: str, a: list[dict[str, Any]], b: list[dict[str, Any]], by: str) -> list[Change]:
    changes = [
        Change(
            kind,
            "added",
            str(e.get("action", "changed")),
            e.get(by),
            _fields({}, e, frozenset({by})),
        )
        for e in b
        if e not in a
    ]
    changes += [
        Change(kind, "removed", str(e.get("action", "changed")), e.get(by), [])
        for e in a
        if e not in b
    ]
    return changes


def question_changes(a: BundleQuestion | None, b: BundleQuestion | None) -> list[Change]:
    da = a.model_dump(mode="json") if a else {}
    db = b.model_dump(mode="json") if b else {}
    head_skip = BOOKKEEPING | {"outcomes", "forecasts", "prior_history", "resolutions", *CHILDREN}
    changes: list[Change] = []
    if a is None and b is not None:
        changes.append(Change("question", "added", b.title, b.created_by))
    if b is None and a is not None:
        changes.append(Change("question", "removed", a.title, None))
    if a and b:
        fields = _fields(da, db, head_skip)
        if fields:
            changes.append(Change("question", "edited", b.title, b.updated_by, fields))
        if [o.name for o in a.outcomes] != [o.name for o in b.outcomes]:
            changes.append(
                Change(
                    "question",
                    "edited",
                    b.title,
                    b.updated_by,
                    [
                        FieldChange(
                            "outcomes", [o.name for o in a.outcomes], [o.name for o in b.outcomes]
                        )
                    ],
                )
            )
        elif [o.prior for o in a.outcomes] != [o.prior for o in b.outcomes]:
            by = b.prior_history[-1].changed_by if b.prior_history else b.updated_by
            changes.append(
                Change(
                    "priors",
                    "edited",
                    b.title,
                    by,
                    [
                        FieldChange(
                            "priors", [o.prior for o in a.outcomes], [o.prior for o in b.outcomes]
                        )
                    ],
                )
            )
    changes += _trail(
        "resolution", da.get("resolutions", []), db.get("resolutions", []), "recorded_by"
    )
    for name in CHILDREN:
        changes += _children(name, da.get(name, []), db.get(name, []))
    changes += _forecasts(da.get("forecasts", []), db.get("forecasts", []))
    return changes


def _question_paths(files: dict[str, str]) -> set[str]:
    return {
        p.removeprefix("questions/").removesuffix(".toml")
        for p in files
        if p.startswith("questions/") and p.endswith(".toml")
    }


def _parse(
    files: dict[str, str], uuid: str, where: str, *, forecasts: bool = True
) -> BundleQuestion | None:
    """A side's question; without its forecasts when ``forecasts`` is false (both sides' forecasts
    files are the same, so they cannot differ and the model does not read them)."""
    path = f"questions/{uuid}.toml"
    if path not in files:
        return None
    csv_path = f"questions/{uuid}{FORECASTS_SUFFIX}"
    csv = (f"{where}/{csv_path}", files[csv_path]) if forecasts and csv_path in files else None
    return read_question(files[path], f"{where}/{path}", csv)


def _team_prior(*questions: BundleQuestion | None) -> bool:
    return any(
        q is not None and q.numeric is not None and q.numeric.prior == "team" for q in questions
    )


def compare_files(
    a: dict[str, str], b: dict[str, str], where_a: str = "A", where_b: str = "B"
) -> WorkspaceDiff:
    result = WorkspaceDiff()
    for uuid in sorted(_question_paths(a) | _question_paths(b)):
        paths = (f"questions/{uuid}.toml", f"questions/{uuid}{FORECASTS_SUFFIX}")
        if all(a.get(p) == b.get(p) for p in paths):
            continue
        forecasts = a.get(paths[1]) != b.get(paths[1])
        qa = _parse(a, uuid, where_a, forecasts=forecasts)
        qb = _parse(b, uuid, where_b, forecasts=forecasts)
        if not forecasts and _team_prior(qa, qb):  # the model reads the forecasts then
            qa = _parse(a, uuid, where_a)
            qb = _parse(b, uuid, where_b)
        changes = question_changes(qa, qb)
        if not changes:
            continue
        shown = qb or qa
        assert shown is not None
        before, why_before = model_posterior(qa) if qa else (None, "")
        after, why_after = model_posterior(qb) if qb else (None, "")
        result.questions.append(
            QuestionDiff(
                uuid=uuid,
                title=shown.title,
                status="added" if qa is None else "removed" if qb is None else "changed",
                kind=shown.kind,
                outcomes=LABELS if shown.numeric else [o.name for o in shown.outcomes],
                changes=changes,
                before=before,
                after=after,
                problems=[
                    f"{side}: {why}"
                    for side, why in ((where_a, why_before), (where_b, why_after))
                    if why
                ],
            )
        )
    result.questions.sort(key=lambda q: (q.status != "changed", q.title.casefold(), q.uuid))
    for path in sorted({p for p in (*a, *b) if p.startswith("sources/")}):
        if a.get(path) == b.get(path):
            continue
        sa = read_source(a[path], f"{where_a}/{path}") if path in a else None
        sb = read_source(b[path], f"{where_b}/{path}") if path in b else None
        title = (sb or sa).title  # type: ignore[union-attr]
        action = "added" if sa is None else "removed" if sb is None else "edited"
        result.other.append(Change("source", action, title, (sb or sa).imported_by, []))  # type: ignore[union-attr]
    if a.get(MANIFEST) != b.get(MANIFEST):
        ha = load_toml(a.get(MANIFEST, ""), f"{where_a}/{MANIFEST}")
        hb = load_toml(b.get(MANIFEST, ""), f"{where_b}/{MANIFEST}")
        fields = _fields(ha, hb, frozenset())
        if fields:
            result.other.append(Change("workspace", "edited", MANIFEST, None, fields))
    return result
