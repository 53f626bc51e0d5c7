"""Small display helpers shared by screens. Colours come only from the theme (screens/app.tcss)."""

from __future__ import annotations

BAR_WIDTH = 20


def probability_bar(
    p: float, lo: float | None = None, hi: float | None = None, width: int = BAR_WIDTH
) -> str:
    """``p`` as a bar; the 90% interval ``lo..hi`` shows as a lighter band around its end."""
    filled = round(p * width)
    lo_cell = round(lo * width) if lo is not None else filled
    hi_cell = round(hi * width) if hi is not None else filled
    cells = []
    for i in range(width):
        if i < min(filled, lo_cell):
            cells.append("█")
        elif i < filled:
            cells.append("▓")
        elif i < hi_cell:
            cells.append("░")
        else:
            cells.append("·")
    return "".join(cells)


def percent(p: float | None) -> str:
    return "–" if p is None else f"{p:.1%}"
