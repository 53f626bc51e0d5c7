"""The report's charts as inline SVG, drawn with matplotlib (imported only here, only when an HTML
report is written): the reliability diagram with its ``n=`` labels kept off the axes and each
other, Brier over time, and the learning chart."""

from __future__ import annotations

import io
from typing import Any

from forecast.reports.render_learning import lr_chart


def label_offset(x: float, y: float) -> tuple[int, int, str, str]:
    """Where an ``n=`` label goes beside a reliability point, in points: on the side away from
    the diagonal (above a point that lies above it), and pulled inside near the axes, so no
    label sits on an axis, its tick labels or the diagonal."""
    above = y >= x
    dx, ha = (-7, "right") if above else (7, "left")
    dy, va = (7, "bottom") if above else (-7, "top")
    if x < 0.07:
        dx, ha = 7, "left"
    elif x > 0.93:
        dx, ha = -7, "right"
    if y < 0.08:
        dy, va = 7, "bottom"
    elif y > 0.92:
        dy, va = -7, "top"
    return dx, dy, ha, va


def _safe_sides(x: float, y: float) -> list[tuple[int, int]]:
    """The label offsets around a point, preferred first, that keep a label off the axes."""
    dx, dy, _, _ = label_offset(x, y)
    return [
        (a, b)
        for a, b in ((dx, dy), (-dx, dy), (dx, -dy), (-dx, -dy))
        if not (
            x < 0.07 and a < 0 or x > 0.93 and a > 0 or y < 0.08 and b < 0 or y > 0.92 and b > 0
        )
    ]


def label_offsets(xs: list[float], ys: list[float]) -> list[tuple[int, int, str, str]]:
    """``label_offset`` for every point; a label that would land on another (closer than 0.1
    across and 0.08 up) tries its point's other sides, keeping clear of the axes. The points
    with the fewest sides free (at the edges) are placed first."""
    sides = [_safe_sides(x, y) for x, y in zip(xs, ys, strict=True)]
    placed: list[tuple[float, float]] = []
    chosen: dict[int, tuple[int, int]] = {}
    for i in sorted(range(len(xs)), key=lambda i: len(sides[i])):
        x, y = xs[i], ys[i]

        def clear(side: tuple[int, int], x: float = x, y: float = y) -> bool:
            spot = (x + side[0] / 250, y + side[1] / 250)
            return not any(abs(spot[0] - u) < 0.1 and abs(spot[1] - v) < 0.08 for u, v in placed)

        dx, dy = next((side for side in sides[i] if clear(side)), sides[i][0])
        placed.append((x + dx / 250, y + dy / 250))
        chosen[i] = (dx, dy)
    return [
        (dx, dy, "left" if dx > 0 else "right", "bottom" if dy > 0 else "top")
        for dx, dy in (chosen[i] for i in range(len(xs)))
    ]


def _svg(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def charts(report: dict[str, Any]) -> dict[str, str]:
    """The reliability diagram, forecast histogram and Brier over time as inline SVG strings."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.fonttype"] = "none"
    out: dict[str, str] = {}
    bins = [b for b in report["bins"] if b["n"]]
    fig, ax = plt.subplots(figsize=(5.5, 5))
    ax.plot(
        [0, 1], [0, 1], linestyle="--", color="#888888", linewidth=1, label="perfect calibration"
    )
    if bins:
        xs = [b["mean_forecast"] for b in bins]
        ys = [b["observed_frequency"] for b in bins]
        low = [max(y - b["interval"][0], 0) for y, b in zip(ys, bins, strict=True)]
        high = [max(b["interval"][1] - y, 0) for y, b in zip(ys, bins, strict=True)]
        ax.errorbar(
            xs,
            ys,
            yerr=[low, high],
            fmt="o",
            color="#1f5fa8",
            capsize=3,
            label="observed (90% Jeffreys)",
        )
        for (x, y, b), (dx, dy, ha, va) in zip(
            zip(xs, ys, bins, strict=True), label_offsets(xs, ys), strict=True
        ):
            ax.annotate(
                f"n={b['n']}",
                (x, y),
                textcoords="offset points",
                xytext=(dx, dy),
                ha=ha,
                va=va,
                fontsize=8,
                color="#1f5fa8",
            )
    ax.set(
        xlim=(-0.03, 1.03),
        ylim=(-0.03, 1.03),
        xlabel="forecast probability",
        ylabel="observed frequency",
        title="Reliability diagram",
    )
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2, fontsize=8, frameon=False)
    out["reliability"] = _svg(fig)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(5.5, 2.6))
    ax.bar(
        [(b["lower"] + b["upper"]) / 2 for b in report["bins"]],
        [b["n"] for b in report["bins"]],
        width=[max(b["upper"] - b["lower"], 0.01) * 0.9 for b in report["bins"]],
        color="#1f5fa8",
    )
    ax.set(
        xlim=(0, 1), xlabel="forecast probability", ylabel="forecasts", title="Forecast histogram"
    )
    out["histogram"] = _svg(fig)
    plt.close(fig)
    series = report["brier_over_time"]
    fig, ax = plt.subplots(figsize=(5.5, 2.6))
    if series:
        ax.plot(
            [s["month"] for s in series], [s["brier"] for s in series], marker="o", color="#a83a1f"
        )
        ax.tick_params(axis="x", labelrotation=45, labelsize=7)
    ax.set(ylabel="Brier", title="Brier by month of resolution", ylim=(0, 1))
    out["over_time"] = _svg(fig)
    plt.close(fig)
    if report.get("lr_calibration", {}).get("bins"):
        fig = lr_chart(report, plt)
        out["lr"] = _svg(fig)
        plt.close(fig)
    return out
