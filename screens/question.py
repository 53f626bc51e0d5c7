"""The question screen: outcomes with prior, posterior and interval; the evidence table; the
timeline chart. Every change goes through the domain store functions and redraws from the model."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header

from arguments.evidence import Evidence
from arguments.evidence_store import edit_evidence, remove_evidence
from forecast.engine.model import QuestionModel, question_model
from forecast.scoring.aggregate import median_prob
from forecast.views.evidence_detail import headline_index, item_effects
from forecast.views.links_pane import Hypothetical, LinkRow, hypothetical_view, link_rows
from forecast.views.sensitivity import flip_text, weight_label
from questions import store
from questions.errors import ForecastleError
from questions.models import Forecast
from screens.link_removal import LinkPaneActions
from screens.nudges import LR_STEP, nudge_inputs
from screens.review_marks import review_mark, review_states
from screens.widgets.bars import percent, probability_bar
from screens.widgets.evidence_detail import EvidenceDetailPane
from screens.widgets.key_bar import KeyBar
from screens.widgets.row_list import Column, RowList, relabelled
from screens.widgets.text_line import TextLine
from screens.widgets.timeline_chart import TimelineChart, day_number
from screens.widgets.trail_pane import TrailPane
from screens.writes import WriteReplies, write_in_worker

if TYPE_CHECKING:
    from textual import getters

    from screens.app import ForecastleApp


EVIDENCE_COLUMNS = (
    Column("id", 5),
    Column("text", None, 16),
    Column("LR / likelihoods", 16),
    Column("cred", 4),
    Column("dB", 6),
    Column("Δ from item", 12),
    Column("source", 18),
    Column("review", 10),
    Column("!", 1),
)
LINK_COLUMNS = (
    Column("link", 12),
    Column("id", 5),
    Column("title", None, 16),
    Column("status", 14),
    Column("now", 18),
    Column("if", 18),
)
HYPOTHETICAL = "⇢"
"""Marks every number that shows a hypothetical outcome (``w``), not the workspace."""
OUTCOME_COLUMNS = (
    Column("outcome", None, 10),
    Column("prior", 6),
    Column("posterior", 9),
    Column("90% int", 8),
    Column("", 8),
    Column("mine", 6),
    Column("team", 6),
)


class QuestionScreen(LinkPaneActions, WriteReplies, Screen[None]):
    """Question: outcomes, evidence and how the model moved."""

    if TYPE_CHECKING:
        app = getters.app(ForecastleApp)  # self.app typed as forecastle's App

    BINDINGS = [
        Binding("e", "add_evidence", "Add evidence", id="add-evidence"),
        Binding("enter", "edit_evidence", "Edit", id="edit-evidence"),
        Binding("plus,equals_sign", "nudge(1)", "Stronger", key_display="+", id="stronger"),
        Binding("minus", "nudge(-1)", "Weaker", key_display="-", id="weaker"),
        Binding("d", "remove_evidence", "Remove", id="remove"),
        Binding("u", "undo", "Undo", id="undo", show=False),
        Binding("p", "edit_prior", "Prior", id="prior"),
        Binding("E", "edit_question", "Edit question", key_display="E", id="edit-question"),
        Binding("C", "challenge", "Challenge", key_display="C", id="challenge", show=False),
        Binding("m", "comment", "Comment", id="comment", show=False),
        Binding("f", "forecast", "Forecast", id="forecast"),
        Binding("r", "resolve", "Resolve", id="resolve"),
        Binding("t", "tree", "Tree", id="tree"),
        Binding("a", "ach", "ACH", id="ach"),
        Binding("v", "sensitivity", "Sensitivity", id="sensitivity"),
        Binding("w", "what_if", "What if", id="what-if"),
        Binding("o", "toggle_detail", "Details", id="toggle-detail"),
        Binding("h", "toggle_history", "History", id="toggle-history"),
        Binding("c", "reply", "Reply", id="reply", show=False),
        Binding("right_square_bracket", "next_thread", "Next thread", key_display="]", show=False),
        Binding("i", "new_indicator", "Indicator", id="new-indicator", show=False),
        Binding("x", "remove_link", "Remove link", id="remove-link", show=False),
        Binding("escape", "back", "Back", id="back", show=False),
    ]

    def __init__(self, question_id: int) -> None:
        super().__init__()
        self.question_id = question_id
        self.model: QuestionModel | None = None
        self._own_cells: dict[tuple[int, int], tuple[str, ...]] = {}
        self._forecasts: list[Forecast] = []
        self._forecast_days: list[int] = []
        self._links: list[LinkRow] = []
        self.hypothetical: Hypothetical | None = None
        self._resumed_once = False
        self._effects: list[float] = []
        self._review: dict[int, tuple[str, int]] = {}
        self.last_changed: int | None = None
        """The item this screen last changed (nudge, edit, remove): what ``u`` undoes."""
        self._nudging = False
        self._pending_nudges: dict[tuple[int, int], int] = {}
        """Nudge steps pressed while one is being written, by (item, likelihood index)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="question-body"):
            yield TextLine(id="question-title", classes="title")
            yield TextLine(id="question-meta", classes="meta")
            yield TextLine(id="question-criteria", classes="meta")
            with Horizontal(id="question-top"):
                yield RowList(OUTCOME_COLUMNS, cursor=False, zebra=False, id="outcomes")
                yield TimelineChart(id="timeline")
            yield RowList(
                EVIDENCE_COLUMNS,
                flag_column=len(EVIDENCE_COLUMNS) - 1,
                id="evidence",
                empty="No evidence yet: e adds an item (or select a passage in a source and press e).",
            )
            yield EvidenceDetailPane(id="evidence-detail")
            yield TrailPane(id="question-trail")
            yield RowList(LINK_COLUMNS, zebra=False, id="links")
            yield TextLine(id="question-status", classes="status-line")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(TrailPane).display = False
        self.refresh_model()
        evidence = self.query_one("#evidence", RowList)
        evidence.on_highlight = lambda _row: self.draw_detail(prepare_next=True)  # follows it
        evidence.focus()

    def on_screen_resume(self) -> None:
        # Back from a dialog or another screen: whatever changed there shows. The first resume
        # is the mount itself, which has just computed the model.
        if self._resumed_once:
            self.refresh_model()
        self._resumed_once = True

    # ----- drawing -----------------------------------------------------------------------------

    def refresh_model(self, model: QuestionModel | None = None) -> None:
        """Redraw from ``model`` (a change this screen made to one item), else reload the question,
        its evidence and its forecasts."""
        if model is None:
            model = question_model(self.app.db, self.question_id)
            self._forecasts = store.forecasts_for(self.app.db, self.question_id)
            self._forecast_days = [day_number(f.made_at) for f in self._forecasts]
            self._links = link_rows(self.app.db, self.question_id)
            self.query_one(EvidenceDetailPane).forget()
            self.query_one(TrailPane).show(self.app.db, model.question)
            self.refresh_bindings()
            if self.hypothetical is not None:
                self.hypothetical = self._hypothetical(self.hypothetical.assignments)
            # a nudge does not change review states: read them on reloads only
            self._review = review_states(self.app.db, self.question_id)
        self.model = model
        self.draw()

    def draw(self) -> None:
        assert self.model is not None
        question, analysis = self.model.question, self.model.analysis
        self._set_text("#question-title", f"{question.short_id}  {question.title}")
        meta: list[str] = [question.status, question.kind]
        if question.closes_at:
            meta.append(f"closes {question.closes_at[:10]}")
        if question.tags:
            meta.append("#" + " #".join(question.tags))
        if question.resolved_outcome:
            meta.append(f"resolved: {question.resolved_outcome}")
        self._set_text("#question-meta", " · ".join(meta))
        self._set_text(
            "#question-criteria",
            f"resolves: {question.criteria}"
            if question.criteria
            else "resolves: no criteria written (E edits the question)",
        )
        people = store.latest_by_forecaster(self._forecasts)
        mine = people.get(self.app.session.user)
        team = median_prob([f.probs for f in people.values()]) if people else None
        hypo = self.hypothetical
        rows = []
        for j, outcome in enumerate(question.outcomes):
            lo, hi = float(analysis.interval[j, 0]), float(analysis.interval[j, 1])
            post = float(analysis.posterior[j])
            post_text, mine_text = percent(post), percent(mine.probs[j] if mine else None)
            if hypo is not None and hypo.posterior is not None:
                post = hypo.posterior[j]
                lo, hi = hypo.interval[j] if hypo.interval else (post, post)
                post_text = HYPOTHETICAL + percent(post)
            if hypo is not None and hypo.mine is not None:
                mine_text = HYPOTHETICAL + percent(hypo.mine[j])
            rows.append(
                (
                    outcome.name,
                    percent(outcome.prior),
                    post_text,
                    f"{lo:.0%}–{hi:.0%}",
                    probability_bar(post, lo, hi, width=8),
                    mine_text,
                    percent(None if team is None else float(team[j])),
                )
            )
        self.query_one("#outcomes", RowList).set_rows(len(rows), rows.__getitem__)
        self._draw_evidence()
        self._draw_links()
        leader = question.outcomes[int(analysis.leader)].name
        flip = flip_text(question, analysis)
        status = f"leading: {leader} · a new item needs {flip} to change that"
        if analysis.warnings:
            status += f" · ⚠ {analysis.warnings[0]}"
        if hypo is not None:
            status = f"{HYPOTHETICAL} {hypo.label}"
        self._set_text("#question-status", status)
        self.draw_timeline()

    def _set_text(self, selector: str, text: str) -> None:
        self.query_one(selector, TextLine).update(text)

    def _draw_evidence(self) -> None:
        """Hand the evidence list a row formatter: only the rows on screen get formatted, and an
        item's own cells (text, strength, source) once per version of the item."""
        assert self.model is not None
        question, analysis, evidence = self.model.question, self.model.analysis, self.model.evidence
        binary = question.kind == "binary"
        flagged = set(re.findall(r"\bE\d+\b", " ".join(analysis.warnings)))
        # what each item does to the headline probability (P(Yes), or the leader's): with - without
        j = headline_index(question, int(analysis.leader))
        changes = item_effects(analysis.posterior, analysis.posterior_without, j)
        self._effects = changes
        weights = analysis.weight_db.tolist()
        listing = self.query_one("#evidence", RowList)  # the dB column says dB(its outcome)
        listing.set_columns(relabelled(EVIDENCE_COLUMNS, "dB", weight_label(question, analysis)))

        def row(i: int) -> tuple[str, ...]:
            item = evidence[i]
            own = self._own_cells.get((item.id, item.version))
            if own is None:
                strength = (
                    f"{item.lr:.3g}" if binary else ",".join(f"{v:.2g}" for v in item.likelihoods)
                )
                if item.range_low and item.range_high and binary:
                    strength += f" ({item.range_low[0]:.2g}–{item.range_high[0]:.2g})"
                own = (
                    item.short_id,
                    item.text,
                    strength,
                    f"{item.credibility:.2g}",
                    item.source,
                    review_mark(self._review, item.id),
                )
                self._own_cells[(item.id, item.version)] = own
            warn = "!" if item.short_id in flagged or item.group else ""
            return (*own[:4], f"{weights[i]:+.1f}", f"{changes[i]:+.1%}", *own[4:], warn)

        listing.set_rows(len(evidence), row)
        self.draw_detail()

    def draw_detail(self, prepare_next: bool = False) -> None:
        """Fill the detail pane for the highlighted item (when the pane is open)."""
        if self.model is not None:
            rows = self.query_one("#evidence", RowList)
            self.query_one(EvidenceDetailPane).follow(
                self.app.db, self.model, self._effects, rows.cursor_row, prepare_next
            )

    def action_toggle_detail(self) -> None:
        pane = self.query_one(EvidenceDetailPane)
        pane.display = not pane.display
        self.query_one(TrailPane).display = False
        self.draw_detail()

    def action_toggle_history(self) -> None:
        """The history pane (question edits, evidence edits, resolution trail) in place of the
        detail pane, and back."""
        trail, detail = self.query_one(TrailPane), self.query_one(EvidenceDetailPane)
        trail.display = not trail.display
        detail.display = not trail.display
        if self.model is not None:
            trail.show(self.app.db, self.model.question)
        self.draw_detail()

    def action_next_thread(self) -> None:
        pane = self.query_one(EvidenceDetailPane)
        if len(pane.threads()) > 1:
            pane.thread = (pane.thread + 1) % len(pane.threads())
            self.draw_detail()

    def action_reply(self) -> None:
        """Reply to the highlighted item's marked thread (``]`` moves the mark)."""
        from screens.dialogs.review import CommentDialog

        eid, thread = self.selected_evidence(), self.query_one(EvidenceDetailPane).selected_thread()
        if eid is None or thread is None:
            self.notify("no thread to reply to (o shows the item's threads; m starts one)")
            return
        dialog = CommentDialog(f"E{eid}", reply_to=thread[0], about=thread[1])
        self.app.push_screen(dialog, self._reviewed)

    def _draw_links(self) -> None:
        """The linked questions with their numbers now, and if the hypothetical outcome held."""
        links, hypo = self._links, self.hypothetical
        pane = self.query_one("#links", RowList)
        pane.display = bool(links)

        def row(i: int) -> tuple[str, ...]:
            link = links[i]
            after = ""
            if hypo is not None and link.question_id in hypo.rows:
                after = HYPOTHETICAL + hypo.rows[link.question_id]
            return (
                link.kind,
                f"Q{link.question_id}",
                link.title,
                link.status,
                link.numbers,
                after,
            )

        pane.set_rows(len(links), row)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``w`` and ``x`` work only when the question has linked questions."""
        if action in ("what_if", "remove_link"):
            return bool(self._links)
        return True

    def _hypothetical(self, assignments: dict[int, str]) -> Hypothetical:
        return hypothetical_view(
            self.app.db, self.question_id, assignments, self.app.session.user, self._links
        )

    def action_what_if(self) -> None:
        """Toggle a hypothetical outcome on the selected linked question: each press takes the
        next outcome, then none; every number it would change is marked."""
        pane = self.query_one("#links", RowList)
        link = self._links[min(pane.cursor_row, len(self._links) - 1)]
        if link.status.startswith("resolved") or link.status == "annulled":
            self.notify(f"Q{link.question_id} is already {link.status}")
            return
        current = self.hypothetical.assignments.get(link.question_id) if self.hypothetical else None
        outcomes = link.outcomes
        following = outcomes.index(current) + 1 if current in outcomes else 0
        if following >= len(outcomes):
            self.hypothetical = None
        else:
            self.hypothetical = self._hypothetical({link.question_id: outcomes[following]})
        self.draw()

    def draw_timeline(self) -> None:
        assert self.model is not None
        self.query_one("#timeline", TimelineChart).show(
            self.model, self._forecasts, self._forecast_days, self.app.session.user
        )

    # ----- actions -----------------------------------------------------------------------------

    def selected_evidence(self) -> int | None:
        rows = self.query_one("#evidence", RowList)
        if self.model is None or not rows.row_count:
            return None
        return self.model.evidence[rows.cursor_row].id

    def fail(self, error: ForecastleError | str) -> None:
        self.query_one("#question-status", TextLine).update(f"✗ {error}")
        self.notify(str(error), severity="error")

    def action_nudge(self, direction: int) -> None:
        """Make the selected item's evidence one step stronger (+) or weaker (-).

        The write runs in a worker on its own connection; one nudge is in flight at a time, and
        presses during it add up into one pending nudge, written when it finishes (from the
        version that write returned), so rapid presses never conflict."""
        eid = self.selected_evidence()
        if eid is None or self.model is None:
            return
        # Binary items are stored as (LR, 1); for multi, nudge the leading outcome's likelihood.
        index = 0 if self.model.question.kind == "binary" else int(self.model.analysis.leader)
        key = (eid, index)
        self._pending_nudges[key] = self._pending_nudges.get(key, 0) + direction
        if not self._nudging:
            self._next_nudge()

    def _next_nudge(self) -> None:
        """Write the next pending nudge (steps that cancel out write nothing)."""
        while self._pending_nudges and self.model is not None:
            (eid, index), steps = next(iter(self._pending_nudges.items()))
            del self._pending_nudges[(eid, index)]
            item = next((i for i in self.model.evidence if i.id == eid), None)
            if steps and item is not None:
                break
        else:
            self._nudging = False
            return
        inputs = nudge_inputs(item, index, LR_STEP**steps, kind=self.model.question.kind)
        user, version = self.app.session.user, item.version
        self._nudging = True
        write_in_worker(
            self,
            lambda db: edit_evidence(db, eid, inputs, by=user, expected_version=version),
            self._nudged,
            self._nudge_refused,
            name="nudge",
        )

    def _nudged(self, updated: Evidence) -> None:
        self.last_changed = updated.id
        if self.model is not None:
            # Only this item changed: rerun the engine on the items in hand, not reload them all.
            self.refresh_model(self.model.with_item(updated))
        self._next_nudge()

    def _nudge_refused(self, text: str) -> None:
        self._pending_nudges.clear()
        self._nudging = False
        self.fail(text)

    def action_add_evidence(self) -> None:
        from screens.dialogs.evidence import EvidenceDialog

        self.app.push_screen(EvidenceDialog(self.question_id), self._after_dialog)

    def action_edit_evidence(self) -> None:
        from screens.dialogs.evidence import EvidenceDialog

        eid = self.selected_evidence()
        if eid is not None:
            self.app.push_screen(
                EvidenceDialog(self.question_id, evidence_id=eid), self._after_edit
            )

    @on(RowList.Selected, "#evidence")
    def _evidence_selected(self) -> None:
        self.action_edit_evidence()

    def _after_dialog(self, changed: object) -> None:
        """A dialog saved (or not): the screen's resume has already redrawn from the workspace."""

    def _after_edit(self, changed: object) -> None:
        if changed:
            self.last_changed = getattr(changed, "id", self.last_changed)

    def action_undo(self) -> None:
        """Take back this screen's last change to an item, through the item's history."""
        from arguments.evidence_undo import undo_last_change

        if self.last_changed is None:
            self.notify("nothing to undo on this screen yet", severity="warning")
            return
        eid, user = self.last_changed, self.app.session.user

        def undone(result: tuple[Evidence, str]) -> None:
            item, what = result
            self.refresh_model()
            self.notify(f"{item.short_id}: {what} change undone (kept in its history)")

        write_in_worker(
            self, lambda db: undo_last_change(db, eid, by=user), undone, self.fail, name="undo"
        )

    def action_remove_evidence(self) -> None:
        from screens.dialogs.form import ConfirmDialog

        eid = self.selected_evidence()
        if eid is None:
            return

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            user = self.app.session.user
            write_in_worker(
                self,
                lambda db: remove_evidence(db, eid, by=user),
                removed,
                self.fail,
                name="remove",
            )

        def removed(_: object) -> None:
            self.last_changed = eid
            self.refresh_model()
            self.notify(f"E{eid} removed (kept in the history; u undoes it)")

        self.app.push_screen(
            ConfirmDialog(f"Remove E{eid} from the model? The timeline keeps it."), confirmed
        )

    def action_edit_prior(self) -> None:
        from screens.dialogs.question import PriorDialog

        self.app.push_screen(PriorDialog(self.question_id), self._after_dialog)

    def action_challenge(self) -> None:
        from screens.dialogs.review import ChallengeDialog

        eid = self.selected_evidence()
        if eid is not None:
            self.app.push_screen(ChallengeDialog(eid), self._reviewed)

    def action_comment(self) -> None:
        from screens.dialogs.review import CommentDialog

        eid = self.selected_evidence()
        target = f"E{eid}" if eid is not None else f"Q{self.question_id}"
        self.app.push_screen(CommentDialog(target), self._reviewed)

    def _reviewed(self, done: object) -> None:
        if done is not None:
            label = getattr(done, "short_id", None) or f"comment #{getattr(done, 'id', '')}"
            self.notify(f"{label} recorded: r on the home screen reviews it")

    def action_edit_question(self) -> None:
        from screens.dialogs.question import EditQuestionDialog

        self.app.push_screen(EditQuestionDialog(self.question_id), self._after_dialog)

    def action_forecast(self) -> None:
        from screens.dialogs.question import ForecastDialog

        assert self.model is not None
        posterior = [float(p) for p in self.model.analysis.posterior]
        self.app.push_screen(ForecastDialog(self.question_id, posterior), self._after_dialog)

    def action_resolve(self) -> None:
        from screens.dialogs.question import ResolveDialog

        self.app.push_screen(ResolveDialog(self.question_id), self._after_dialog)

    def action_sensitivity(self) -> None:
        from screens.sensitivity import SensitivityScreen

        assert self.model is not None
        self.app.push_screen(SensitivityScreen(self.model))

    def action_tree(self) -> None:
        self._push_optional("tree", "TreeScreen")

    def action_ach(self) -> None:
        self._push_optional("ach", "AchScreen")

    def _push_optional(self, module: str, name: str) -> None:
        import importlib

        screen_class = getattr(importlib.import_module(f"screens.{module}"), name)
        self.app.push_screen(screen_class(self.question_id))

    def action_back(self) -> None:
        if self.hypothetical is not None:  # escape drops the hypothetical first
            self.hypothetical = None
            self.draw()
            return
        self.app.pop_screen()
