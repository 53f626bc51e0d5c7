"""Add or edit an evidence item, validated as you type.

A binary question's item takes one LR; a multi-outcome question's takes one likelihood per
outcome, each input labelled with its outcome (P(e | outcome), a probability in (0, 1]). The inputs
follow the question the item is for: picking another question (from a source's passage) rebuilds
them with that question's outcomes."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static

from arguments.evidence import Evidence, EvidenceInputs
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

        self.outcome_names = list(question.outcome_names)
        names = ", ".join(question.outcome_names)
        range_hint = "optional" if self.binary else f"optional: one per outcome ({names})"
        pre = self.prefill
        shown = [
            (
                "ev-text",
                "statement",
                item.text if item else pre.get("text", ""),
                "what was observed",
            ),
            *self.strength_fields(item),
            ("ev-low", "90% range low", fmt(item.range_low) if item else "", range_hint),
            ("ev-high", "90% range high", fmt(item.range_high) if item else "", range_hint),
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
        # What an edit showed: a field left as shown keeps the stored value (the form shows
        # dates without their time and numbers to 6 digits, and must not save those back).
        self.shown = {field_id: value for field_id, _, value, _ in shown} if item else {}
        return shown

    def strength_fields(self, item: Evidence | None) -> list[tuple[str, str, str, str]]:
        """The LR (binary), or one likelihood input per outcome, labelled with its name."""
        if self.binary:
            value = f"{item.lr:g}" if item else ""
            return [("ev-strength", "LR", value, "P(e|Yes)/P(e|No), e.g. 3")]
        return [
            (
                f"ev-lk-{j}",
                name[:20],
                f"{item.likelihoods[j]:g}" if item else "",
                f"P(evidence | {name}): 0 to 1",
            )
            for j, name in enumerate(self.outcome_names)
        ]

    def likelihoods(self) -> list[float] | None:
        """The multi-outcome likelihoods typed (None if none changed on an edit); a blank or a
        non-number is named with its outcome."""
        ids = [f"ev-lk-{j}" for j in range(len(self.outcome_names))]
        if all(self.changed(i) is None for i in ids):
            return None
        values = []
        for field_id, name in zip(ids, self.outcome_names, strict=True):
            text = self.value(field_id).strip()
            if not text:
                if all(not self.value(i).strip() for i in ids):
                    return None
                raise InvalidInput(f"likelihood {name}: give a value in (0, 1]")
            values.append(optional_float(text, f"likelihood {name}"))
        return [v for v in values if v is not None]

    async def follow_question(self) -> None:
        """Rebuild the form for ``self.question_id`` (after it changed), keeping what was typed
        in the fields both forms have."""
        typed = {str(i.id): i.value for i in self.query(Input) if i.id}
        grid = self.query_one(".form", Grid)
        await grid.remove_children()
        widgets: list[Widget] = []
        for field_id, label, value, placeholder in self.fields():
            widgets.append(Label(label, classes="form-label"))
            widgets.append(
                Input(value=typed.get(field_id, value), placeholder=placeholder, id=field_id)
            )
        await grid.mount_all(widgets)
        self.show_problem()

    def changed(self, field_id: str) -> str | None:
        """The field's text if the user changed it (or this is a new item), else None."""
        value = self.value(field_id)
        return None if self.shown.get(field_id) == value else value

    def unchanged(self) -> bool:
        return bool(self.shown) and all(self.changed(f) is None for f in self.shown)

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
        editing = self.evidence_id is not None
        lr = likelihoods = None
        if self.binary:
            strength = (self.changed("ev-strength") or "").strip()
            lr = optional_float(strength, "LR") if strength else None
        else:
            likelihoods = self.likelihoods()
        range_changed = self.changed("ev-low") is not None or self.changed("ev-high") is not None
        low, high = self.value("ev-low").strip(), self.value("ev-high").strip()
        keep_range = editing and not range_changed
        depends_text = self.changed("ev-depends")
        depends = (depends_text or "").strip().lstrip("Ee")
        if depends and not depends.isdigit():
            raise InvalidInput(f"depends on: {depends_text!r} is not an evidence id such as E3")
        observed = self.changed("ev-observed")
        credibility = self.changed("ev-credibility")
        redundancy = self.changed("ev-redundancy")
        return EvidenceInputs(
            text=self.changed("ev-text"),
            lr=lr,
            likelihoods=likelihoods,
            range_low=floats(low, "range low") if low and not keep_range else None,
            range_high=floats(high, "range high") if high and not keep_range else None,
            clear_range=not keep_range and not low and not high,
            credibility=None if credibility is None else optional_float(credibility, "credibility"),
            observed_at=None if observed is None else observed.strip() or ("" if editing else None),
            source=self.changed("ev-source"),
            quote=self.changed("ev-quote"),
            depends_on=int(depends) if depends else None,
            clear_depends_on=depends_text is not None and not depends,
            group=self.changed("ev-group"),
            redundancy=None if redundancy is None else optional_float(redundancy, "redundancy"),
        )

    def validate_form(self) -> None:
        check_evidence(self.app.db, self.question_id, self.inputs(), evidence=self.evidence_id)

    def save(self) -> Any:
        if self.unchanged():  # nothing to write: no new version, no history entry
            return False
        if self.evidence_id is None:
            return add_evidence(self.db, self.question_id, self.inputs(), by=self.app.session.user)
        try:
            return edit_evidence(
                self.db,
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
