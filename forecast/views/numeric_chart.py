"""A numeric question's distribution as a text chart: the density over the range in the
question's scale (block characters), the forecasters' medians and the evidence thresholds marked
under it. Pure text, so the TUI and tests draw the same thing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from questions import numeric as nm

BLOCKS = " ▁▂▃▄▅▆▇█"


def density_chart(
    rng: nm.NumericRange,
    cdf: np.ndarray,
    medians: Mapping[str, float],
    thresholds: Sequence[float] = (),
    *,
    width: int = 64,
    height: int = 8,
) -> str:
    """Rows of block characters (``height`` lines), an axis with the range's ends, a line marking
    thresholds (``┆``) and medians (``▲``, with a legend), top to bottom."""
    u = rng.grid_u()
    edges = np.linspace(u[0], u[-1], width + 1)
    mass = np.diff(np.interp(edges, u, cdf))
    peak = float(mass.max()) if mass.size and mass.max() > 0 else 1.0
    levels = mass / peak * height * (len(BLOCKS) - 1)
    lines = []
    for row in range(height - 1, -1, -1):
        cells = np.clip(levels - row * (len(BLOCKS) - 1), 0, len(BLOCKS) - 1).astype(int)
        lines.append("".join(BLOCKS[c] for c in cells))

    def column(x: float) -> int:
        pos = (float(rng.to_scale(min(max(x, rng.lo), rng.hi))) - u[0]) / (u[-1] - u[0])
        return min(int(pos * width), width - 1)

    marks = [" "] * width
    for x in thresholds:
        marks[column(x)] = "┆"
    legend = []
    for k, (who, x) in enumerate(medians.items()):
        symbol = "▲" if k == 0 else "△"
        marks[column(x)] = symbol
        legend.append(f"{symbol} {who} {rng.show(x)}")
    low, high = rng.show(rng.lo), rng.show(rng.hi)
    axis = low + " " * max(width - len(low) - len(high), 1) + high
    tail = []
    if rng.open_lower:
        tail.append(f"below {low}: {cdf[0]:.0%}")
    if rng.open_upper:
        tail.append(f"above {high}: {1 - cdf[-1]:.0%}")
    out = [*lines, "─" * width, axis, "".join(marks)]
    if legend:
        out.append("  ".join(legend))
    if tail:
        out.append("  ".join(tail))
    return "\n".join(out)
