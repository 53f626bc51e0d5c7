"""What every bundle merger shares: the report it fills and the version verdict."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database


@dataclass
class MergeReport:
    added: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    updated: list[str] = field(default_factory=list)
    kept_local: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(sum(self.added.values()) or self.updated)

    def as_dict(self) -> dict[str, Any]:
        return {
            "added": dict(sorted(self.added.items())),
            "skipped": dict(sorted(self.skipped.items())),
            "updated": self.updated,
            "kept_local": self.kept_local,
            "conflicts": self.conflicts,
        }

    def lines(self) -> list[str]:
        def counts(counter: Counter[str]) -> str:
            return ", ".join(f"{n} {kind}" for kind, n in sorted(counter.items()) if n) or "nothing"

        out = [f"added: {counts(self.added)}", f"unchanged: {counts(self.skipped)}"]
        out += [f"updated: {line}" for line in self.updated]
        out += [f"kept this workspace's newer: {line}" for line in self.kept_local]
        out += [f"conflict: {line}" for line in self.conflicts]
        return out


def same_content(
    local: dict[str, Any], incoming: dict[str, Any], skip: tuple[str, ...] = ()
) -> bool:
    return {k: v for k, v in local.items() if k not in skip} == {
        k: v for k, v in incoming.items() if k not in skip
    }


class MergeBase:
    """A merger's workspace, its report, and the rule that decides between two versions of a row."""

    def __init__(self, db: Database, report: MergeReport) -> None:
        self.db = db
        self.report = report

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        columns = ", ".join(row)
        marks = ", ".join("?" * len(row))
        cursor = self.db.execute(
            f"insert into {table} ({columns}) values ({marks})",  # noqa: S608
            list(row.values()),
        )
        return int(cursor.lastrowid or 0)

    def _verdict(
        self,
        kind: str,
        label: str,
        local: dict[str, Any],
        incoming: dict[str, Any],
        skip: tuple[str, ...],
    ) -> bool:
        """Whether to apply the incoming row over the local one; reports the decision."""
        if same_content(local, incoming, skip):
            self.report.skipped[kind] += 1
            return False
        if incoming["version"] > local["version"]:
            self.report.updated.append(
                f"{label} to version {incoming['version']} (by {incoming['updated_by']} at {incoming['updated_at']})"
            )
            return True
        if incoming["version"] < local["version"]:
            self.report.kept_local.append(
                f"{label}: version {local['version']} here (by {local['updated_by']} at {local['updated_at']}), "
                f"{incoming['version']} in the bundle"
            )
        else:
            self.report.conflicts.append(
                f"{label}: changed here (by {local['updated_by']} at {local['updated_at']}) and in the bundle "
                f"(by {incoming['updated_by']} at {incoming['updated_at']}) from version {local['version']}; "
                "kept this workspace's"
            )
        return False
