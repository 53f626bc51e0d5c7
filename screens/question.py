"""The question screen: outcomes with prior, posterior and interval; the evidence table; the
timeline chart. Every change goes through the domain store functions and redraws from the model."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual_plotext import PlotextPlot

from arguments.evidence import EvidenceInputs
from arguments.evidence_store import edit_evidence, remove_evidence
from forecast.aggregate import median_prob
from forecast.model import QuestionModel, question_model
from questions import store
from questions.errors import ForecastleError

from .widgets import percent, probability_bar

LR_STEP = 1.5
"""``+``/``-`` multiply the selected item's LR (or its likelihood for the leading outcome) by this."""


EVIDENCE_COLUMNS = ("id", "text", "LR / likelihoods", "cred", "dB", "Δ if removed", "source", "!")
FIXED_WIDTHS = {"dB": 6, "Δ if removed": 12, "!": 1}


class QuestionScreen(Screen[None]):
    """Question: outcomes, evidence and how the model moved."""

    BINDINGS = [
        Binding("e", "add_evidence", "Add evidence", id="add-evidence"),
        Binding("enter", "edit_evidence", "Edit", id="edit-evidence"),
        Binding("plus,equals_sign", "nudge(1)", "Stronger", key_display="+", id="stronger"),
        Binding("minus", "nudge(-1)", "Weaker", key_display="-", id="weaker"),
        Binding("d", "remove_evidence", "Remove", id="remove"),
        Binding("p", "edit_prior", "Prior", id="prior"),
        Binding("f", "forecast", "Forecast", id="forecast"),
        Binding("r", "resolve", "Resolve", id="resolve"),
        Binding("t", "tree", "Tree", id="tree"),
        Binding("a", "ach", "ACH", id="ach"),
        Binding("v", "sensitivity", "Sensitivity", id="sensitivity"),
        Binding("escape", "back", "Back", id="back", show=False),
    ]

    def __init__(self, question_id: int) -> None:
        super().__init__()
        self.question_id = question_id
        self.model: QuestionModel | None = None
        self._own_cells: dict[tuple[int, int], tuple[str, ...]] = {}
        self._shown_keys: list[str] = []
        self._shown_rows: list[tuple[str, ...]] = []
        self._texts: dict[str, str] = {}
        self._outcome_rows: list[tuple[str, ...]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="question-body"):
            yield Static("", id="question-title", classes="title")
            yield Static("", id="question-meta", classes="meta")
            with Horizontal(id="question-top"):
                yield DataTable(id="outcomes", cursor_type="none")
                yield PlotextPlot(id="timeline")
            yield DataTable(id="evidence", cursor_type="row", zebra_stripes=True)
            yield Static("", id="question-status", classes="status-line")
        yield Footer()

    def on_mount(self) -> None:
        outcomes = self.query_one("#outcomes", DataTable)
        outcomes.add_columns("outcome", "prior", "posterior", "90% int", "", "mine", "team")
        evidence = self.query_one("#evidence", DataTable)
        for name in EVIDENCE_COLUMNS:
            # the columns every nudge changes get fixed widths: a width update re-measures the column
            evidence.add_column(name, key=name, width=FIXED_WIDTHS.get(name))
        self.refresh_model()
        evidence.focus()

    def on_screen_resume(self) -> None:
        self.refresh_model()

    # ----- drawing -----------------------------------------------------------------------------

    def refresh_model(self, model: QuestionModel | None = None) -> None:
        self.model = model or question_model(self.app.db, self.question_id)
        self.draw()

    def draw(self) -> None:
        assert self.model is not None
        question, analysis = self.model.question, self.model.analysis
        self._set_text("#question-title", f"{question.short_id}  {question.title}")
        meta = [question.status, question.kind]
        if question.closes_at:
            meta.append(f"closes {question.closes_at[:10]}")
        if question.tags:
            meta.append("#" + " #".join(question.tags))
        if question.resolved_outcome:
            meta.append(f"resolved: {question.resolved_outcome}")
        self._set_text("#question-meta", " · ".join(meta))
        people = store.latest_forecasts(self.app.db, question.id)
        mine = people.get(self.app.session.user)
        outcomes = self.query_one("#outcomes", DataTable)
        team = median_prob([f.probs for f in people.values()]) if people else None
        rows = []
        for j, outcome in enumerate(question.outcomes):
            lo, hi = float(analysis.interval[j, 0]), float(analysis.interval[j, 1])
            post = float(analysis.posterior[j])
            rows.append((
                outcome.name[:18], percent(outcome.prior), percent(post), f"{lo:.0%}–{hi:.0%}",
                probability_bar(post, lo, hi, width=8), percent(mine.probs[j] if mine else None),
                percent(None if team is None else float(team[j])),
            ))
        if rows != self._outcome_rows:
            outcomes.clear()
            for cells in rows:
                outcomes.add_row(*cells)
            self._outcome_rows = rows
        self._draw_evidence()
        leader = question.outcomes[int(analysis.leader)].name
        status = f"leading: {leader} · a new item needs LR {analysis.flip_lr:.3g} to change that"
        if analysis.warnings:
            status += f" · ⚠ {analysis.warnings[0]}"
        self._set_text("#question-status", status)
        self.draw_timeline()

    def _set_text(self, selector: str, text: str) -> None:
        """Update a line only when it changed: an update re-lays the screen out."""
        if self._texts.get(selector) != text:
            self._texts[selector] = text
            self.query_one(selector, Static).update(text)

    def _evidence_rows(self) -> list[tuple[str, ...]]:
        assert self.model is not None
        question, analysis = self.model.question, self.model.analysis
        binary = question.kind == "binary"
        flagged = " ".join(analysis.warnings)
        j = 0 if binary else int(analysis.leader)
        # how the headline probability (P(Yes), or the leader's) would move without each item
        changes = (analysis.posterior_without[:, j] - analysis.posterior[j]).tolist() if self.model.evidence else []
        weights = analysis.weight_db.tolist()
        rows = []
        for i, item in enumerate(self.model.evidence):
            # the item's own cells change only with the item: formatted once per version
            own = self._own_cells.get((item.id, item.version))
            if own is None:
                strength = f"{item.lr:.3g}" if binary else ",".join(f"{v:.2g}" for v in item.likelihoods)
                if item.range_low and item.range_high and binary:
                    strength += f" ({item.range_low[0]:.2g}–{item.range_high[0]:.2g})"
                own = (item.short_id, item.text[:48], strength, f"{item.credibility:.2g}", item.source[:18])
                self._own_cells[(item.id, item.version)] = own
            rows.append((
                *own[:4], f"{weights[i]:+.1f}", f"{changes[i]:+.1%}", own[4],
                "!" if item.short_id in flagged or item.group else "",
            ))
        return rows

    def _draw_evidence(self) -> None:
        """Fill the evidence table; when the same items are shown, change only the cells that
        differ (re-adding a thousand rows would re-measure every cell). Cells are ``Text``, never
        markup: an item's text may hold brackets."""
        assert self.model is not None
        table = self.query_one("#evidence", DataTable)
        keys = [str(item.id) for item in self.model.evidence]
        rows = self._evidence_rows()
        shown = self._shown_rows
        if keys == self._shown_keys and len(table.rows) == len(keys):
            columns = list(table.columns)
            for key, new, old in zip(keys, rows, shown, strict=True):
                if new == old:
                    continue
                for column, value, before in zip(columns, new, old, strict=True):
                    if value != before:
                        # widen only past the column's width: a narrower update re-measures the column
                        wider = column.value not in FIXED_WIDTHS and len(value) > table.columns[column].content_width
                        table.update_cell(key, column, Text(value), update_width=wider)
        else:
            row = table.cursor_row
            table.clear()
            for key, cells in zip(keys, rows, strict=True):
                table.add_row(*(Text(cell) for cell in cells), key=key)
            if rows:
                table.move_cursor(row=min(row, len(rows) - 1))
        self._shown_keys, self._shown_rows = keys, rows

    def draw_timeline(self) -> None:
        assert self.model is not None
        question = self.model.question
        plot = self.query_one("#timeline", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        steps = self.model.timeline()
        j = int(self.model.analysis.leader) if question.kind != "binary" else 0
        label = "P(Yes)" if question.kind == "binary" else f"P({question.outcomes[j].name[:16]})"
        # One point per day: where the model stood at the end of it. Days as numbers, labelled
        # with a few dates, so the chart does not parse a date string per point on each draw.
        by_day = {date.fromisoformat(s.at[:10]).toordinal(): s.posterior[j] for s in steps if s.at}
        if by_day:
            forecasts = store.forecasts_for(self.app.db, question.id)
            days = sorted(by_day)
            # a braille cell holds two points across: more than that only costs drawing time
            stride = -(-len(days) // max(2 * plot.size.width, 60))
            days = days[::-1][::stride][::-1]  # keeps the last day
            plt.plot(days, [by_day[d] for d in days], label=f"model {label}", marker="braille")
            mine = [f for f in forecasts if f.forecaster == self.app.session.user]
            others = [f for f in forecasts if f.forecaster != self.app.session.user]
            for who, group in (("others", others), ("you", mine)):
                if group:
                    plt.scatter([date.fromisoformat(f.made_at[:10]).toordinal() for f in group],
                                [f.probs[j] for f in group], label=who, marker="dot")
            first = min([days[0], *(date.fromisoformat(f.made_at[:10]).toordinal() for f in forecasts)])
            last = max([days[-1], *(date.fromisoformat(f.made_at[:10]).toordinal() for f in forecasts)])
            # plotext places custom tick labels differently from run to run; name the span instead
            plt.xticks([])
            plt.xlabel(f"{date.fromordinal(first).isoformat()} … {date.fromordinal(last).isoformat()}")
        plt.ylim(0, 1)
        plt.title(f"timeline: model {label} and forecasts")
        plot.refresh()

    # ----- actions -----------------------------------------------------------------------------

    def selected_evidence(self) -> int | None:
        table = self.query_one("#evidence", DataTable)
        if not table.row_count:
            return None
        return int(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))

    def fail(self, error: ForecastleError) -> None:
        self.query_one("#question-status", Static).update(f"✗ {error}")
        self.notify(str(error), severity="error")

    def action_nudge(self, direction: int) -> None:
        """Make the selected item's evidence one step stronger (+) or weaker (-)."""
        eid = self.selected_evidence()
        if eid is None or self.model is None:
            return
        item = next(i for i in self.model.evidence if i.id == eid)
        factor = LR_STEP**direction
        # Binary items are stored as (LR, 1); for multi, nudge the leading outcome's likelihood.
        index = 0 if self.model.question.kind == "binary" else int(self.model.analysis.leader)

        def scaled(values: tuple[float, ...] | None) -> list[float] | None:
            if values is None:
                return None
            changed = list(values)
            changed[index] *= factor
            return changed

        inputs = EvidenceInputs(
            likelihoods=scaled(item.likelihoods), range_low=scaled(item.range_low),
            range_high=scaled(item.range_high),
        )
        try:
            updated = edit_evidence(self.app.db, eid, inputs, by=self.app.session.user, expected_version=item.version)
        except ForecastleError as error:
            self.fail(error)
            return
        # Only this item changed: rerun the engine on the items in hand instead of reloading them all.
        self.refresh_model(self.model.with_item(updated))

    def action_add_evidence(self) -> None:
        from .dialogs import EvidenceDialog

        self.app.push_screen(EvidenceDialog(self.question_id), self._after_dialog)

    def action_edit_evidence(self) -> None:
        from .dialogs import EvidenceDialog

        eid = self.selected_evidence()
        if eid is not None:
            self.app.push_screen(EvidenceDialog(self.question_id, evidence_id=eid), self._after_dialog)

    @on(DataTable.RowSelected, "#evidence")
    def _evidence_selected(self) -> None:
        self.action_edit_evidence()

    def _after_dialog(self, changed: object) -> None:
        if changed:
            self.refresh_model()

    def action_remove_evidence(self) -> None:
        from .dialogs import ConfirmDialog

        eid = self.selected_evidence()
        if eid is None:
            return

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                remove_evidence(self.app.db, eid, by=self.app.session.user)
            except ForecastleError as error:
                self.fail(error)
                return
            self.refresh_model()
            self.notify(f"E{eid} removed (kept in the history)")

        self.app.push_screen(ConfirmDialog(f"Remove E{eid} from the model? The timeline keeps it."), confirmed)

    def action_edit_prior(self) -> None:
        from .dialogs import PriorDialog

        self.app.push_screen(PriorDialog(self.question_id), self._after_dialog)

    def action_forecast(self) -> None:
        from .dialogs import ForecastDialog

        assert self.model is not None
        posterior = [float(p) for p in self.model.analysis.posterior]
        self.app.push_screen(ForecastDialog(self.question_id, posterior), self._after_dialog)

    def action_resolve(self) -> None:
        from .dialogs import ResolveDialog

        self.app.push_screen(ResolveDialog(self.question_id), self._after_dialog)

    def action_sensitivity(self) -> None:
        from .sensitivity import SensitivityScreen

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
        self.app.pop_screen()

