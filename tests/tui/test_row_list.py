"""The RowList widget: cursor keys, paging, selection by key and mouse, and that only the rows on
screen are formatted."""

from __future__ import annotations

from textual.app import App, ComposeResult

from screens.widgets.row_list import Column, RowList

ROWS = 100


class ListApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.asked: list[int] = []
        self.selected: list[int] = []

    def compose(self) -> ComposeResult:
        yield RowList([Column("id", 4), Column("text"), Column("!", 1)], flag_column=2)

    def on_mount(self) -> None:
        rows = self.query_one(RowList)
        rows.set_rows(ROWS, self.row)
        rows.focus()

    def row(self, index: int) -> tuple[str, ...]:
        self.asked.append(index)
        return (f"R{index}", f"row number {index} " + "long " * 30, "!" if index % 7 == 0 else "")

    def on_row_list_selected(self, message: RowList.Selected) -> None:
        self.selected.append(message.index)


async def test_keys_move_the_cursor_and_keep_it_on_screen() -> None:
    app = ListApp()
    async with app.run_test(size=(60, 12)) as pilot:
        rows = app.query_one(RowList)
        await pilot.press("down", "down", "down", "up")
        assert rows.cursor_row == 2
        page = rows.scrollable_content_region.height - 1  # the header line stays put
        await pilot.press("pagedown")
        assert rows.cursor_row == 2 + page
        await pilot.press("end")
        await pilot.pause()
        assert rows.cursor_row == ROWS - 1
        assert round(rows.scroll_y) == ROWS - page  # the last row sits on the last line
        assert rows.render_line(page).text.strip().startswith(f"R{ROWS - 1}")
        await pilot.press("home", "up")
        await pilot.pause()
        assert rows.cursor_row == 0 and round(rows.scroll_y) == 0
        await pilot.press(*["down"] * page)  # one past the last row on screen: scrolls by one
        await pilot.pause()
        assert rows.cursor_row == page and round(rows.scroll_y) == 1


async def test_enter_and_a_click_on_the_highlighted_row_select_it() -> None:
    app = ListApp()
    async with app.run_test(size=(60, 12)) as pilot:
        rows = app.query_one(RowList)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.selected == [1]
        await pilot.click(RowList, offset=(5, 4))  # line 4 is row 3 under the header
        await pilot.pause()
        assert rows.cursor_row == 3 and app.selected == [1]  # the first click only moves
        await pilot.click(RowList, offset=(5, 4))
        await pilot.pause()
        assert app.selected == [1, 3]
        await pilot.click(RowList, offset=(5, 0))  # the header selects nothing
        await pilot.pause()
        assert rows.cursor_row == 3 and app.selected == [1, 3]


async def test_only_rows_on_screen_are_formatted_and_long_cells_end_in_an_ellipsis() -> None:
    app = ListApp()
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        rows = app.query_one(RowList)
        app.asked.clear()
        rows.set_rows(ROWS, app.row)  # a redraw after a change
        await pilot.pause()
        assert app.asked and max(app.asked) < 12
        line = rows.render_line(1).text
        assert line.startswith(" R0") and "…" in line
        assert rows.render_line(0).text.split() == ["id", "text", "!"]
        # widths: the flexible column takes what the fixed ones leave
        assert sum(rows.column_widths(60)) + 2 * 2 + 1 <= 60


async def test_lines_fit_beside_the_scroll_bar() -> None:
    """A hundred rows need a scroll bar; the columns share what is left beside it, so the last
    column is not cut off under the bar."""
    app = ListApp()
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        rows = app.query_one(RowList)
        line = rows.render_line(1)
        assert line.cell_length == rows.scrollable_content_region.width
        assert line.text.rstrip().endswith("!")  # row 0 is flagged in the last column
