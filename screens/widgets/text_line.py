"""One line of text that redraws in place.

A ``Static.update`` asks for a new layout of the whole screen (its size may change); a line that is
always one row high does not need that, and on the question screen that layout cost more than the
text it showed.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.widget import Widget


class TextLine(Widget):
    DEFAULT_CSS = """
    TextLine {
        height: 1;
    }
    """

    def __init__(
        self, text: str = "", *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._text = text

    @property
    def text(self) -> str:
        return self._text

    def update(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.refresh()

    def render(self) -> Text:
        # plain text, never markup: titles and warnings may hold brackets
        width = self.content_size.width
        text = self._text
        if width and cell_len(text) > width:
            text = set_cell_size(text, width - 1) + "…"
        return Text(text, no_wrap=True)
