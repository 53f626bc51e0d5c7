"""Review dialogs opened on a highlighted thing: a comment (on an item, a claim or the question),
a challenge to an item's likelihoods, and the reason for rejecting a challenge."""

from __future__ import annotations

from typing import Any

from arguments import review_store
from arguments.evidence_store import get_evidence
from questions import store
from questions.errors import InvalidInput
from screens.dialogs.form import FormDialog, floats


class CommentDialog(FormDialog):
    """A comment on ``target`` (``E4``, ``N2``, ``Q3``), or a reply to a thread."""

    def __init__(self, target: str, *, reply_to: int | None = None, about: str = "") -> None:
        super().__init__()
        self.target = target
        self.reply_to = reply_to
        self.TITLE_TEXT = (
            f"Reply on {target}: {about[:60]}" if reply_to else f"Comment on {target} {about[:60]}"
        )

    def fields(self) -> list[tuple[str, str, str, str]]:
        return [("cm-text", "comment", "", "what you want to say")]

    def validate_form(self) -> None:
        if not self.value("cm-text").strip():
            raise InvalidInput("comment: must not be empty")

    def save(self) -> Any:
        return review_store.add_comment(
            self.db,
            self.target,
            self.value("cm-text"),
            by=self.app.session.user,
            reply_to=self.reply_to,
        )


class ChallengeDialog(FormDialog):
    """Propose other likelihoods for an item, with a reason; each likelihood is labelled with
    its outcome."""

    def __init__(self, evidence_id: int) -> None:
        super().__init__()
        self.evidence_id = evidence_id

    def fields(self) -> list[tuple[str, str, str, str]]:
        item = get_evidence(self.app.db, self.evidence_id)
        self.question = store.get_question(self.app.db, item.question_id)
        self.binary = self.question.kind == "binary"
        self.TITLE_TEXT = f"Challenge {item.short_id}: {item.text[:70]}"
        if self.binary:
            value = (
                "ch-values",
                "LR (Yes : No)",
                f"{item.likelihoods[0]:.3g}",
                f"now {item.likelihoods[0]:.3g}",
            )
        else:
            value = (
                "ch-values",
                "likelihoods",
                ",".join(f"{v:.3g}" for v in item.likelihoods),
                ", ".join(f"P(E | {o.name[:18]})" for o in self.question.outcomes),
            )
        return [value, ("ch-reason", "reason", "", "why (required)")]

    def extra(self):  # type: ignore[override]
        from textual.widgets import Static

        if not self.binary:
            yield Static(
                "likelihoods in order: "
                + " · ".join(f"{i + 1} {o.name}" for i, o in enumerate(self.question.outcomes)),
                classes="dialog-note",
            )

    def proposal(self) -> dict[str, Any]:
        values = floats(self.value("ch-values"), "likelihoods")
        if self.binary:
            if len(values) != 1:
                raise InvalidInput("lr: give one number, the likelihood ratio")
            return {"lr": values[0]}
        return {"likelihoods": values}

    def validate_form(self) -> None:
        from arguments.evidence import likelihood_vector

        proposal = self.proposal()
        likelihood_vector(self.question, proposal.get("lr"), proposal.get("likelihoods"))
        if not self.value("ch-reason").strip():
            raise InvalidInput("reason: say why (a challenge needs a reason)")

    def save(self) -> Any:
        return review_store.challenge(
            self.db,
            self.evidence_id,
            by=self.app.session.user,
            reason=self.value("ch-reason"),
            **self.proposal(),
        )


class RejectDialog(FormDialog):
    """Reject a challenge, saying why."""

    def __init__(self, challenge: dict[str, Any]) -> None:
        super().__init__()
        self.challenge = challenge
        self.TITLE_TEXT = (
            f"Reject {challenge['challenge']} by {challenge['proposer']} on "
            f"{challenge['evidence']}: {challenge['reason'][:50]}"
        )

    def fields(self) -> list[tuple[str, str, str, str]]:
        return [("rj-reason", "reason", "", "why the item keeps its value (required)")]

    def validate_form(self) -> None:
        if not self.value("rj-reason").strip():
            raise InvalidInput("reason: say why you reject it")

    def save(self) -> Any:
        return review_store.reject_challenge(
            self.db,
            self.challenge["challenge"],
            by=self.app.session.user,
            reason=self.value("rj-reason"),
        )
