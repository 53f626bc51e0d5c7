"""Add or edit an evidence item, validated as you type."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Select, Static

from arguments.evidence import EvidenceInputs
from arguments.evidence_store import add_evidence, check_evidence, edit_evidence, get_evidence
from arguments.source_match import KnownWork, known_works, match_works
from questions import store
from questions.errors import Conflict, InvalidInput
from screens.dialogs.form import FormDialog, floats, optional_float


class EvidenceDialog(FormDialog):
    """Add or edit an evidence item. An edit is saved only over the version it started from."""

    BINDINGS = [Binding("ctrl+r", "reload", "Reload", show=False)]

    def __init__(
        self,
        question_id: int,
        *,
        evidence_id: int | None = None,
        prefill: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.question_id = question_id
        self.evidence_id = evidence_id
        self.prefill = prefill or {}

    def fields(self) -> list[tuple[str, str, str, str]]:
        question = store.get_question(self.app.db, self.question_id)
        self.binary = question.kind == "binary"
        item = get_evidence(self.app.db, self.evidence_id) if self.evidence_id else None
        self.loaded_version = item.version if item else None  # a save is checked against this
        self.TITLE_TEXT = (
            f"Edit {item.short_id}" if item else "Add evidence"
        ) + f" · {question.short_id} {question.title[:50]}"

        def fmt(values: tuple[float, ...] | None, binary_end: bool = False) -> str:
            if values is None:
                return ""
            return f"{values[0]:g}" if self.binary else ",".join(f"{v:g}" for v in values)

        strength = ""
        if item:
            strength = (
                f"{item.lr:g}" if self.binary else ",".join(f"{v:g}" for v in item.likelihoods)
            )
        names = ", ".join(question.outcome_names)
        pre = self.prefill
        return [
            (
                "ev-text",
                "statement",
                item.text if item else pre.get("text", ""),
                "what was observed",
            ),
            (
                "ev-strength",
                "LR" if self.binary else "likelihoods",
                strength,
                "P(e|Yes)/P(e|No), e.g. 3" if self.binary else f"one per outcome: {names}",
            ),
            ("ev-low", "90% range low", fmt(item.range_low) if item else "", "optional"),
            ("ev-high", "90% range high", fmt(item.range_high) if item else "", "optional"),
            ("ev-credibility", "credibility", f"{item.credibility:g}" if item else "1", "0 to 1"),
            (
                "ev-observed",
                "observed",
                (item.observed_at or "")[:10] if item else pre.get("observed", ""),
                "YYYY-MM-DD",
            ),
            ("ev-source", "source", item.source if item else pre.get("source", ""), "citation"),
            ("ev-quote", "quote", item.quote if item else pre.get("quote", ""), "exact words"),
            (
                "ev-depends",
                "depends on",
                f"E{item.depends_on}" if item and item.depends_on else "",
                "E3",
            ),
            ("ev-group", "redundancy group", (item.group or "") if item else "", "name"),
            (
                "ev-redundancy",
                "group redundancy",
                f"{item.rho:g}" if item and item.rho is not None else "",
                "0 to 1",
            ),
        ]

    def extra(self) -> ComposeResult:
        """A known source to pick (it fills the source field), and which known work the typed
        source names: items resting on one work are flagged as possible double counting."""
        self.known: list[KnownWork] = known_works(self.app.db)
        if self.known:
            yield Select(
                [(f"{w.label[:70]} ({w.cited} cited)", i) for i, w in enumerate(self.known)],
                prompt="pick a known source (fills the source field)",
                id="ev-known-source",
            )
        yield Static("", id="ev-source-match", classes="form-hint")

    def source_match(self) -> str:
        """Which known works the source field names, for the hint under the form."""
        known = getattr(self, "known", [])
        typed = self.value("ev-source")
        if not known or not typed.strip():
            return ""
        matched = match_works(typed, known)
        if not matched:
            return "source: names no known work"
        return "source: " + "; ".join(w.label[:60] for w in matched)

    def on_mount(self) -> None:  # runs besides FormDialog.on_mount
        self._source_typed()

    @on(Select.Changed, "#ev-known-source")
    def _known_source_picked(self, event: Select.Changed) -> None:
        if isinstance(event.value, int):
            self.query_one("#ev-source", Input).value = self.known[event.value].citation_text

    @on(Input.Changed, "#ev-source")
    def _source_typed(self) -> None:
        for hint in self.query("#ev-source-match").results(Static):
            hint.update(self.source_match())

    def inputs(self) -> EvidenceInputs:
        strength = self.value("ev-strength").strip()
        lr = likelihoods = None
        if strength:
            if self.binary:
                lr = optional_float(strength, "LR")
            else:
                likelihoods = floats(strength, "likelihoods")
        low, high = self.value("ev-low").strip(), self.value("ev-high").strip()
        depends = self.value("ev-depends").strip().lstrip("Ee")
        if depends and not depends.isdigit():
            raise InvalidInput(
                f"depends on: {self.value('ev-depends')!r} is not an evidence id such as E3"
            )
        observed = self.value("ev-observed").strip()
        return EvidenceInputs(
            text=self.value("ev-text"),
            lr=lr,
            likelihoods=likelihoods,
            range_low=floats(low, "range low") if low else None,
            range_high=floats(high, "range high") if high else None,
            clear_range=not low and not high,
            credibility=optional_float(self.value("ev-credibility"), "credibility"),
            observed_at=observed or ("" if self.evidence_id else None),
            source=self.value("ev-source"),
            quote=self.value("ev-quote"),
            depends_on=int(depends) if depends else None,
            clear_depends_on=not depends,
            group=self.value("ev-group"),
            redundancy=optional_float(self.value("ev-redundancy"), "redundancy"),
        )

    def validate_form(self) -> None:
        check_evidence(self.app.db, self.question_id, self.inputs(), evidence=self.evidence_id)

    def save(self) -> Any:
        if self.evidence_id is None:
            return add_evidence(
                self.app.db, self.question_id, self.inputs(), by=self.app.session.user
            )
        try:
            return edit_evidence(
                self.app.db,
                self.evidence_id,
                self.inputs(),
                by=self.app.session.user,
                expected_version=self.loaded_version,
            )
        except Conflict as conflict:
            raise Conflict(
                f"{conflict} — ctrl+r reloads their version (your changes here are dropped)"
            ) from None

    def action_reload(self) -> None:
        """After a conflict: load the item as it now stands."""
        for field_id, _, value, _ in self.fields():
            self.query_one(f"#{field_id}", Input).value = value
        self.show_problem()
        self.notify(f"reloaded E{self.evidence_id} (version {self.loaded_version})")
