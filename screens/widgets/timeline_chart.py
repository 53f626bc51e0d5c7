"""The question screen's timeline chart: the model's headline probability as a step line over the
items' observed dates, each step labelled with the item that moved it (its id, as in the evidence
list beside the chart), and the forecasts as dots, on one axis (``forecast.views.timeline_axis``:
a time axis with round date ticks, or a steps axis when the dates cluster years apart)."""

from __future__ import annotations

from datetime import date

import numpy as np

from forecast.engine.model import QuestionModel
from forecast.views.timeline_axis import day_names, step_labels, timeline_axis
from questions.models import Forecast
from screens.widgets.memo_plot import MemoPlot

OTHERS, YOURS = "•", "◆"
"""The markers of others' forecasts and of yours."""
Y_MARGIN = 6
"""Columns the y axis and the frame take from the chart's width."""


def day_number(at: str) -> int:
    return date.fromisoformat(at[:10]).toordinal()


class TimelineChart(MemoPlot):
    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._days = np.zeros(0, dtype=np.int64)
        self._last_of_day = np.zeros(0, dtype=np.int64)
        self._names: list[str] = []
        self._days_for: np.ndarray | None = None
        self.caption = ""
        self.labels: list[str] = []
        """The step labels drawn last (for tests)."""
        self._shown: tuple[QuestionModel, list[Forecast], list[int], str] | None = None
        self._shown_width = 0

    def on_resize(self) -> None:
        """Ticks and labels are chosen for the width: choose again at a new one."""
        if self._shown is not None and self.size.width != self._shown_width:
            self.show(*self._shown)

    def _step_days(self, model: QuestionModel) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Per day with dated steps (undated steps come last and are left out): its day number,
        the index of its last step (where the model stood at the end of it) and its label; kept
        while the items' observed order stands, which a nudge does not change."""
        order = model.prepared.order
        if self._days_for is not order:
            steps = [model.evidence[i] for i in order.tolist()]
            dated = [item for item in steps if item.observed_at]
            days = np.array([day_number(i.observed_at or "") for i in dated], dtype=np.int64)
            ids = [item.short_id for item in dated]
            last = np.flatnonzero(np.append(days[1:] != days[:-1], True)) if len(days) else days
            first = np.append(0, last[:-1] + 1)[: len(last)]
            self._days, self._last_of_day = days[last], last
            self._names = [day_names(ids[a : b + 1]) for a, b in zip(first, last, strict=True)]
            self._days_for = order
        return self._days, self._last_of_day, self._names

    def show(
        self,
        model: QuestionModel,
        forecasts: list[Forecast],
        forecast_days: list[int],
        user: str,
    ) -> None:
        self._shown = (model, forecasts, forecast_days, user)
        question = model.question
        plt = self.plt
        plt.clear_data()
        j = int(model.analysis.leader) if question.kind != "binary" else 0
        label = "P(Yes)" if question.kind == "binary" else f"P({question.outcomes[j].name[:16]})"
        posteriors = model.timeline_posteriors()
        days, last_of_day, names = self._step_days(model)
        self._shown_width = self.size.width
        width = max(self.size.width - Y_MARGIN, 20)
        axis = timeline_axis([*days.tolist(), *forecast_days], width)
        self.labels = []
        if len(days):
            day_values = posteriors[last_of_day, j]
            xs = np.asarray(axis.x(days))
            before = np.append(model.question.priors[j], day_values[:-1])
            # a braille cell holds two points across: more than that only costs drawing time
            stride = -(-len(xs) // max(2 * width, 60))
            keep = np.arange(len(xs) - 1, -1, -stride)[::-1]  # keeps the last day
            # a step line: flat at the level before each day, then up or down on it
            step_x = np.repeat(xs[keep], 2).tolist()
            step_y = np.column_stack((before[keep], day_values[keep])).ravel().tolist()
            plt.plot(step_x, step_y, marker="braille")
            shown = step_labels(xs.tolist(), names, axis.limits, width)
            for i in shown:
                plt.text(names[i], float(xs[i]), float(day_values[i]), color="red")
            self.labels = [names[i] for i in shown]
        # no plotext legend: its box hides the top of the chart; the title names the markers
        for mine, marker in ((False, OTHERS), (True, YOURS)):
            group = [
                (day, f.probs[j])
                for f, day in zip(forecasts, forecast_days, strict=True)
                if (f.forecaster == user) == mine
            ]
            if group:
                plt.scatter(
                    axis.x([day for day, _ in group]),
                    [p for _, p in group],
                    marker=marker,
                )
        if axis.ticks:
            plt.xticks([x for x, _ in axis.ticks], [text for _, text in axis.ticks])
            plt.xlim(*axis.limits)
        else:
            plt.xticks([])
        self.caption = axis.caption
        plt.xlabel(axis.caption)
        plt.ylim(0, 1)
        title = f"timeline of model {label} · {OTHERS} others · {YOURS} you"
        fits = len(title) <= self.size.width - 2
        plt.title(title if fits else title.removeprefix("timeline of "))
        self.redraw()
