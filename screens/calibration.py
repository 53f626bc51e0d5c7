"""Calibration: pick everyone or one forecaster; the reliability diagram with n per bin, the
scores and both decompositions, and every forecaster and team aggregate side by side."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, LoadingIndicator, Select, Static
from textual.worker import Worker
from textual_plotext import PlotextPlot

from questions.errors import ForecastleError
from screens.connections import reader
from screens.widgets.key_bar import KeyBar
from screens.worker_messages import WorkDone, WorkFailed, failure

if TYPE_CHECKING:
    from textual import getters

    from screens.app import ForecastleApp


EVERYONE = "everyone"


class CalibrationScreen(Screen[None]):
    """Calibration: who was right, and how well calibrated."""

    if TYPE_CHECKING:
        app = getters.app(ForecastleApp)  # self.app typed as forecastle's App

    BINDINGS = [
        Binding("x", "export", "Export report", id="export"),
        Binding("f", "pick_forecaster", "Forecaster", id="pick"),
        Binding("l", "toggle_learning", "Learning", id="learning"),
        Binding("escape", "back", "Back", id="back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="calibration-bar"):
            yield Select([(EVERYONE, EVERYONE)], value=EVERYONE, allow_blank=False, id="scope")
            yield Static("", id="calibration-summary", classes="meta")
        yield LoadingIndicator(id="calibration-loading")
        with Horizontal(id="calibration-top"):
            yield PlotextPlot(id="reliability")
            with Vertical(id="calibration-numbers"):
                yield DataTable(id="scores", cursor_type="none")
                yield DataTable(id="bins", cursor_type="none", zebra_stripes=True)
        yield DataTable(id="people", cursor_type="row", zebra_stripes=True)
        with Vertical(id="learning"):
            yield Static("", id="learning-text")
            yield DataTable(id="lr-bins", cursor_type="none", zebra_stripes=True)
            yield DataTable(id="recalibration", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        scores = self.query_one("#scores", DataTable)
        scores.add_column("score", width=21)  # fixed: the layout does not wait for a measurement
        scores.add_column("value", width=7)
        # fixed widths here too: a measured column can be photographed before it is measured
        bins = self.query_one("#bins", DataTable)
        for name, width in (
            ("bin", 7),
            ("n", 4),
            ("forecast", 8),
            ("observed", 8),
            ("90% interval", 12),
        ):
            bins.add_column(name, width=width)
        people = self.query_one("#people", DataTable)
        for name, width in (
            ("forecaster / aggregate", 26),
            ("questions", 9),
            ("events", 6),
            ("Brier/event", 11),
            ("log/question", 12),
            ("time-avg", 8),
            ("baseline", 8),
            ("peer", 8),
        ):
            people.add_column(name, width=width)
        for table, columns in (
            ("#lr-bins", ("stated dB", "items", "Yes", "mean stated", "realised", "90% interval")),
            ("#recalibration", ("forecaster", "n", "a", "b (90%)", "Brier before → after", "")),
        ):
            learning = self.query_one(table, DataTable)
            for name in columns:
                learning.add_column(name, width=max(len(name), 12 if table == "#lr-bins" else 20))
        self.query_one("#learning").display = False
        names = [
            r[0]
            for r in self.app.db.execute(
                "select distinct forecaster from forecasts order by forecaster"
            )
        ]
        self.query_one("#scope", Select).set_options(
            [(EVERYONE, EVERYONE)] + [(n, n) for n in names]
        )
        self.scope: str | None = None
        self.load(None)

    @on(Select.Changed, "#scope")
    def _scope_changed(self, event: Select.Changed) -> None:
        scope = None if event.value in (EVERYONE, Select.BLANK) else str(event.value)
        if scope != self.scope:  # set_options announces a change too; load only on a real one
            self.scope = scope
            self.load(scope)

    def load(self, forecaster: str | None) -> None:
        self._loading(True)
        self.build(forecaster)

    @work(thread=True, exclusive=True, group="calibration", exit_on_error=False)
    def build(self, forecaster: str | None) -> None:
        """Build the report on a read-only connection of its own; post it (or the error) back."""
        from forecast.reports.build import build_report
        from forecast.reports.data import ReportSettings

        with reader(self.app.session) as db:
            try:
                report = build_report(db, ReportSettings(forecaster=forecaster))
            except ForecastleError as error:
                self.post_message(WorkFailed("calibration", str(error)))
                return
        self.post_message(WorkDone("calibration", report))

    @on(WorkDone)
    def _built(self, message: WorkDone) -> None:
        if message.job == "calibration":
            self.show(message.result)

    @on(WorkFailed)
    def _failed(self, message: WorkFailed) -> None:
        if message.job == "calibration":
            self._show_error(message.text)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        text = failure(event)
        if text is not None:
            self._show_error(text)

    def _loading(self, busy: bool) -> None:
        self.query_one("#calibration-loading").display = busy

    def _show_error(self, message: str) -> None:
        self._loading(False)
        self.query_one("#calibration-summary", Static).update(f"✗ {message}")

    def show(self, report: dict[str, Any]) -> None:
        self._loading(False)
        self.report = report
        self.query_one("#calibration-summary", Static).update(
            f"{report['n_forecasts']} forecasts on {report['n_questions']} resolved questions · {report['unit']}"
        )
        scores = self.query_one("#scores", DataTable)
        scores.clear()
        m, c, s = report["murphy"], report["corp"], report["spiegelhalter"]
        per = report["score_units"]["log_score"].removeprefix("per ")  # question, forecast
        for name, value in (
            ("Brier/event (0..1)", report["brier"]),
            (f"Brier 0..2/{per}", report["brier_original"]),
            (f"log score/{per}", report["log_score"]),
            ("time-averaged Brier", report["time_averaged_brier"]),
            ("ECE", report["ece"]),
            ("Spiegelhalter z", s["z"]),
            ("  p-value", s["p_value"]),
            ("Murphy REL", m["reliability"]),
            ("  RES", m["resolution"]),
            ("  UNC", m["uncertainty"]),
            ("  WBV", m["within_bin_variance"]),
            ("  WBC", m["within_bin_covariance"]),
            ("CORP MCB", c["miscalibration"]),
            ("  DSC", c["discrimination"]),
            ("  UNC", c["uncertainty"]),
        ):
            scores.add_row(name, "–" if value is None else f"{value:.4f}")
        bins = self.query_one("#bins", DataTable)
        bins.clear()
        for b in report["bins"]:
            if b["n"]:
                bins.add_row(
                    f"{b['lower']:.1f}–{b['upper']:.1f}",
                    str(b["n"]),
                    f"{b['mean_forecast']:.2f}",
                    f"{b['observed_frequency']:.2f}",
                    f"{b['interval'][0]:.2f}–{b['interval'][1]:.2f}",
                )
        people = self.query_one("#people", DataTable)
        people.clear()

        def fmt(value: float | None, digits: int = 3) -> str:
            return "–" if value is None else f"{value:.{digits}f}"

        for f in report["forecasters"]:
            people.add_row(
                f["name"],
                str(f["n"]),
                str(f["n_events"]),
                fmt(f["brier"]),
                fmt(f["log_score"]),
                fmt(f["time_averaged_brier"]),
                fmt(f["baseline_score"], 1),
                fmt(f["peer_score"], 1),
            )
        for a in report["aggregates"]:
            people.add_row(
                f"team: {a['name']}",
                str(a["n_questions"]),
                str(a["n"]),
                fmt(a["brier"]),
                fmt(a["log_score"]),
                "",
                "",
                "",
            )
        self.draw_reliability(report)
        self.show_learning(report)

    def show_learning(self, report: dict[str, Any]) -> None:
        """The learning view: stated against realised weights of evidence, each forecaster's
        recalibration and whether it would have helped, the fitted extremizing exponent."""
        from forecast.reports.render_learning import interval_text

        e = report["extremizer"]
        exponent = (
            f"fitted extremizing exponent a = {e['fitted']['a']:.2f} "
            f"(90% {interval_text(e['fitted']['interval'], 2)}; fixed {e['fixed']:g})"
            if e["fitted"]
            else f"no fitted extremizing exponent: {e['not_fitted']}"
        )
        lr = report["lr_calibration"]
        self.query_one("#learning-text", Static).update(
            f"{exponent}\nLikelihood ratios, stated vs realised ({lr['n_items']} items on resolved"
            " binary questions; realised = the LR the resolutions bear out against each item's"
            " prior odds):"
        )
        bins = self.query_one("#lr-bins", DataTable)
        bins.clear()
        for b in lr["bins"]:
            bins.add_row(
                b["bin"],
                str(b["n"]),
                str(b["n_yes"]),
                f"{b['stated_db']:.1f}",
                f"{b['realised_db']:.1f}",
                interval_text(b["interval_db"]),
            )
        table = self.query_one("#recalibration", DataTable)
        table.clear()
        for f in report["recalibration"]["forecasters"]:
            fit, oos = f["fit"], f["out_of_sample"]
            table.add_row(
                f["name"],
                str(f["n"]),
                f"{fit['a']:.2f}" if fit else "–",
                f"{fit['b']:.2f} ({interval_text(fit['b_interval'], 2)})" if fit else "no fit",
                f"{oos['brier_before']:.3f} → {oos['brier_after']:.3f}" if oos["n_scored"] else "–",
                oos.get("verdict", "not enough history"),
            )

    def action_toggle_learning(self) -> None:
        learning = self.query_one("#learning")
        learning.display = not learning.display
        for part in ("#calibration-top", "#people"):
            self.query_one(part).display = not learning.display

    def draw_reliability(self, report: dict[str, Any]) -> None:
        plot = self.query_one("#reliability", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        plt.plot([0, 1], [0, 1], label="perfect", marker="dot")
        filled = [b for b in report["bins"] if b["n"]]
        if filled:
            plt.scatter(
                [b["mean_forecast"] for b in filled],
                [b["observed_frequency"] for b in filled],
                label="observed",
                marker="●",
            )
            for b in filled:
                plt.plot([b["mean_forecast"]] * 2, list(b["interval"]), marker="│")
                plt.text(
                    f"n={b['n']}", b["mean_forecast"], min(b["observed_frequency"] + 0.06, 0.98)
                )
        plt.xlim(0, 1)
        plt.ylim(0, 1)
        plt.title("reliability: observed frequency by forecast (90% intervals)")
        plot.refresh()

    def action_pick_forecaster(self) -> None:
        self.query_one("#scope", Select).focus()

    def action_export(self) -> None:
        from screens.dialogs.files import ExportDialog

        scope = self.query_one("#scope", Select).value
        self.app.push_screen(ExportDialog(forecaster=None if scope == EVERYONE else str(scope)))

    def action_back(self) -> None:
        self.app.pop_screen()
