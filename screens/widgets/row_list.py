"""A fixed-header list of text rows with a row cursor, drawn with Textual's line API.

Why not a DataTable: a DataTable drops its whole render cache when any cell changes, so an LR
nudge on a question with a thousand items re-rendered every visible row (50-80 ms). Here the
rows are not stored at all: the screen hands over a row count and a function that formats row
``i``, only the rows on screen are formatted, and each drawn line is cached by its text, so a
redraw after a nudge costs the few lines whose text changed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

Row = tuple[str, ...]
GAP = 2
"""Blank cells between columns."""


@dataclass(frozen=True)
class Column:
    label: str
    width: int | None = None
    """Cells wide; ``None`` takes what the fixed columns leave (shared if there are several)."""
    min_width: int = 8


def relabelled(columns: Sequence[Column], label: str, new: str) -> list[Column]:
    """``columns`` with the one labelled ``label`` relabelled ``new`` (widened to fit it)."""
    return [
        Column(new, max(c.width or 0, len(new)), c.min_width) if c.label == label else c
        for c in columns
    ]


def _no_rows(index: int) -> Row:
    raise IndexError(index)


class RowList(ScrollView, can_focus=True):
    """Rows of plain text under a header line; ``up``/``down``/``pageup``/``pagedown``/``home``/
    ``end`` move the cursor, ``enter`` or a click on the highlighted row selects it."""

    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("enter", "select", "Select", show=False),
    ]

    COMPONENT_CLASSES = {
        "row-list--header",
        "row-list--cursor",
        "row-list--even-row",
        "row-list--flag",
    }

    DEFAULT_CSS = """
    RowList {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        &:focus {
            background-tint: $foreground 5%;
            & > .row-list--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
        & > .row-list--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .row-list--even-row {
            background: $surface-lighten-1 50%;
        }
        &:dark > .row-list--even-row {
            background: $surface-darken-1 40%;
        }
        & > .row-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .row-list--flag {
            color: $warning;
            text-style: bold;
        }
    }
    """

    class Selected(Message):
        """A row was chosen with ``enter`` or a click on the highlighted row."""

        def __init__(self, row_list: RowList, index: int) -> None:
            super().__init__()
            self.row_list = row_list
            self.index = index

        @property
        def control(self) -> RowList:
            return self.row_list

    class Highlighted(Message):
        """The cursor moved to another row (keys, a click, or ``move_cursor``)."""

        def __init__(self, row_list: RowList, index: int) -> None:
            super().__init__()
            self.row_list = row_list
            self.index = index

        @property
        def control(self) -> RowList:
            return self.row_list

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        cursor: bool = True,
        zebra: bool = True,
        flag_column: int | None = None,
        empty: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.columns = tuple(columns)
        self.show_cursor = cursor
        self.zebra = zebra
        self.flag_column = flag_column
        """A column drawn in the warning colour (outside the cursor row)."""
        self.empty = empty
        """Shown (dimmed) under the header while there are no rows."""
        self.row_count = 0
        self.cursor_row = 0
        self._row_at: Callable[[int], Row] = _no_rows
        self._lines: LRUCache[tuple[object, ...], Strip] = LRUCache(1024)
        self._widths: tuple[int, ...] = ()
        self._widths_for = -1
        """The line width ``_widths`` were computed for (a scroll bar appearing narrows the lines)."""
        self._styles: dict[str, Style] = {}
        self.on_highlight: Callable[[int], None] | None = None
        """Called as the cursor moves, before the repaint: a pane that follows the cursor then
        repaints in the same frame as the list (the ``Highlighted`` message comes a frame later)."""

    # ----- content -----------------------------------------------------------------------------

    def set_columns(self, columns: Sequence[Column]) -> None:
        if tuple(columns) != self.columns:
            self.columns = tuple(columns)
            self._widths = ()
            self.refresh()

    def set_rows(self, count: int, row_at: Callable[[int], Row]) -> None:
        """Show ``count`` rows, row ``i`` being ``row_at(i)``; redraws the rows on screen (lines
        whose text did not change come from the cache). The cursor stays on its index."""
        self._row_at = row_at
        if count != self.row_count:
            self.row_count = count
            self.virtual_size = Size(self.size.width, count + 1)
            self.cursor_row = max(0, min(self.cursor_row, count - 1))
        self.refresh()

    def row(self, index: int) -> Row:
        return self._row_at(index)

    # ----- cursor ------------------------------------------------------------------------------

    @property
    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def move_cursor(self, row: int) -> None:
        if not self.row_count:
            return
        row = max(0, min(row, self.row_count - 1))
        if row == self.cursor_row:
            return
        old, self.cursor_row = self.cursor_row, row
        top = round(self.scroll_y)
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + self._page:
            self.scroll_to(y=row - self._page + 1, animate=False, immediate=True)
        self._refresh_row(old)
        self._refresh_row(row)
        if self.on_highlight is not None:
            self.on_highlight(row)
        self.post_message(self.Highlighted(self, row))

    def _refresh_row(self, index: int) -> None:
        self.refresh(Region(0, 1 + index - round(self.scroll_y), self.size.width, 1))

    def action_cursor(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step)

    def action_page(self, direction: int) -> None:
        self.move_cursor(self.cursor_row + direction * self._page)

    def action_jump(self, row: int) -> None:
        self.move_cursor(row if row >= 0 else self.row_count - 1)

    def action_select(self) -> None:
        if self.show_cursor and self.row_count:
            self.post_message(self.Selected(self, self.cursor_row))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0 or not self.show_cursor:
            return
        row = round(self.scroll_y) + offset.y - 1
        if row >= self.row_count:
            return
        if row == self.cursor_row:
            self.action_select()
        else:
            self.move_cursor(row)

    # ----- drawing -----------------------------------------------------------------------------

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.row_count + 1)
        self._widths = ()

    def column_widths(self, width: int) -> tuple[int, ...]:
        """Each column's width in cells when the list is ``width`` wide."""
        fixed = (
            sum(c.width for c in self.columns if c.width is not None)
            + GAP * (len(self.columns) - 1)
            + 1
        )
        flexible = [c for c in self.columns if c.width is None]
        share = (width - fixed) // len(flexible) if flexible else 0
        return tuple(
            c.width if c.width is not None else max(c.min_width, share) for c in self.columns
        )

    def render_lines(self, crop: Region) -> list[Strip]:
        self._look_up_styles()
        return super().render_lines(crop)

    def _look_up_styles(self) -> None:
        """Once per paint, not per line: a widget's rich_style walks its ancestors."""
        base = self.rich_style
        self._styles = {"": base}
        for name in ("row-list--header", "row-list--cursor", "row-list--even-row"):
            self._styles[name] = base + self.get_component_rich_style(name)
        flag = self.get_component_rich_style("row-list--flag")
        self._styles["flag"] = base + flag
        self._styles["flag-even"] = self._styles["row-list--even-row"] + flag

    def render_line(self, y: int) -> Strip:
        if not self._styles:
            self._look_up_styles()
        width = self.scrollable_content_region.width
        if not self._widths or width != self._widths_for:
            self._widths, self._widths_for = self.column_widths(width), width
        if y == 0:
            return self._line(tuple(c.label for c in self.columns), "row-list--header", width)
        index = round(self.scroll_y) + y - 1
        if index >= self.row_count:
            if index == 0 and self.empty:
                base = self._styles[""]
                return Strip(
                    [Segment(" " + self.empty, base + Style(dim=True))]
                ).adjust_cell_length(width, base)
            return Strip.blank(width, self._styles[""])
        if self.show_cursor and index == self.cursor_row:
            kind = "row-list--cursor"
        elif self.zebra and index % 2:
            kind = "row-list--even-row"
        else:
            kind = ""
        return self._line(self._row_at(index), kind, width)

    def _line(self, cells: Row, kind: str, width: int) -> Strip:
        base = self._styles[kind]
        flag = None
        if self.flag_column is not None and kind in ("", "row-list--even-row"):
            flag = self._styles["flag-even" if kind else "flag"]
        key = (cells, base, flag, width, self._widths)
        strip = self._lines.get(key)
        if strip is None:
            strip = self._build(cells, base, flag, width)
            self._lines[key] = strip
        return strip

    def _build(self, cells: Row, base: Style, flag: Style | None, width: int) -> Strip:
        segments = [Segment(" ", base)]
        for i, (value, cell_width) in enumerate(zip(cells, self._widths, strict=True)):
            if i:
                segments.append(Segment(" " * GAP, base))
            text = (
                set_cell_size(value, cell_width)
                if cell_len(value) <= cell_width
                else (set_cell_size(value, cell_width - 1) + "…")
            )
            segments.append(
                Segment(text, flag if flag is not None and i == self.flag_column else base)
            )
        return Strip(segments).adjust_cell_length(width, base)
