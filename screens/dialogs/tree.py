"""Dialogs of the argument tree: add a claim, link evidence."""

from __future__ import annotations

from typing import Any

from arguments.tree_store import add_node, get_node, link_evidence
from questions.errors import InvalidInput
from screens.dialogs.form import FormDialog


class ClaimDialog(FormDialog):
    """Add a claim under the question or a node."""

    def __init__(self, question_id: int, *, under: int | None) -> None:
        super().__init__()
        self.question_id = question_id
        self.under = under
        self.TITLE_TEXT = f"New claim under {'N' + str(under) if under else 'the question'}"

    def fields(self) -> list[tuple[str, str, str, str]]:
        return [
            ("cl-text", "claim", "", "what is argued"),
            ("cl-stance", "stance", "supports", "supports or attacks"),
            ("cl-outcome", "outcome", "", "optional (multi-outcome questions)"),
        ]

    def validate_form(self) -> None:
        if not self.value("cl-text").strip():
            raise InvalidInput("claim: must not be empty")
        if self.value("cl-stance").strip() not in ("supports", "attacks"):
            raise InvalidInput(
                f"stance: {self.value('cl-stance')!r} is not allowed (supports or attacks)"
            )

    def save(self) -> Any:
        return add_node(
            self.db,
            self.question_id,
            self.value("cl-text"),
            by=self.app.session.user,
            under=self.under,
            stance=self.value("cl-stance").strip(),
            outcome=self.value("cl-outcome").strip() or None,
        )


class LinkDialog(FormDialog):
    """Hang an evidence item under a claim."""

    def __init__(self, node: int) -> None:
        super().__init__()
        self.node = node
        self.TITLE_TEXT = f"Link evidence under N{node}"

    def fields(self) -> list[tuple[str, str, str, str]]:
        return [("ln-evidence", "evidence", "", "E3")]

    def validate_form(self) -> None:
        from arguments.evidence_store import get_evidence

        item = get_evidence(self.app.db, self.value("ln-evidence"))
        node = get_node(self.app.db, self.node)
        if item.question_id != node.question_id:
            raise InvalidInput(
                f"evidence: {item.short_id} bears on another question (Q{item.question_id})"
            )

    def save(self) -> Any:
        return link_evidence(
            self.db, self.node, self.value("ln-evidence"), by=self.app.session.user
        )
