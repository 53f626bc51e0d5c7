"""A PlotextPlot that repaints only when its chart's text changes.

After an LR nudge the timeline is rebuilt, but on a question with many items the curve often moves
by less than a braille dot: the chart then reads the same, and converting and repainting it again
would be most of the nudge's cost. ``redraw`` builds the chart once, compares the text and repaints
only on a difference; ``render`` reuses that build unless the size or theme changed since.

The prelude (plot size, then theme) follows ``PlotextPlot.render`` in textual-plotext 1.0, whose
private helpers it calls; pyproject pins that minor version.
"""

from __future__ import annotations

from rich.text import Text
from textual_plotext import PlotextPlot


class MemoPlot(PlotextPlot):
    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._built: str | None = None
        self._built_for: tuple[int, int, str] | None = None
        self._text: Text | None = None

    def _prepare(self) -> tuple[int, int, str]:
        width, height = self.size
        self._plot.plotsize(width, height)
        self._plot._set_size(width, height)
        theme = self._get_plotext_theme_name(self.app.theme)
        self._plot.theme(theme)
        return width, height, theme

    def _build(self, key: tuple[int, int, str]) -> bool:
        """Build the chart for ``key`` (size and theme); whether its text changed."""
        built = self.plt.build()
        changed = built != self._built or key != self._built_for
        if changed:
            self._built, self._built_for, self._text = built, key, Text.from_ansi(built)
        return changed

    def redraw(self) -> None:
        """Call after changing the plot's data."""
        if not self.size.area:  # not laid out yet: the first render builds it
            self._built_for = None
            self.refresh()
        elif self._build(self._prepare()):
            self.refresh()

    def render(self) -> Text:
        key = self._prepare()
        if key != self._built_for or self._text is None:
            self._build(key)
        assert self._text is not None
        return self._text
