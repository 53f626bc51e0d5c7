"""The learning sections of the report as Markdown, and the chart of stated against realised
weights of evidence (SVG, for the HTML report, whose ``learning.html.j2`` shows the tables)."""

from __future__ import annotations

import math
from typing import Any

CHART_LIMIT_DB = 30.0
"""The chart's axes run to +-30 dB; an interval end beyond that (or open) is drawn to the edge."""


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    def cell(value: Any) -> str:
        return _fmt(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    return lines + ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]


def interval_text(interval: list[float | None] | None, digits: int = 1) -> str:
    if not interval:
        return "–"
    low, high = interval
    left = "−∞" if low is None else f"{low:.{digits}f}"
    right = "∞" if high is None else f"{high:.{digits}f}"
    return f"{left} to {right}"


def _recalibration(r: dict[str, Any]) -> list[str]:
    rows = []
    for f in r["recalibration"]["forecasters"]:
        fit, oos = f["fit"], f["out_of_sample"]
        rows.append(
            [
                f["name"],
                f["n"],
                fit["a"] if fit else None,
                fit["b"] if fit else None,
                interval_text(fit["b_interval"], 2) if fit else f["not_fitted"],
                oos["n_scored"],
                oos.get("brier_before"),
                oos.get("brier_after"),
                oos.get("log_before"),
                oos.get("log_after"),
                oos["verdict"] if oos["n_scored"] else "–",
            ]
        )
    headers = ["forecaster", "n", "a", "b", "b 90%", "scored", "Brier before", "Brier after"]
    headers += ["log before", "log after", "recalibration"]
    return ["## Recalibration", "", r["recalibration"]["rule"], "", *_table(headers, rows), ""]


def _extremizer(r: dict[str, Any]) -> list[str]:
    e = r["extremizer"]
    out = ["## Fitted extremizing exponent", "", e["rule"] + ".", ""]
    if e["fitted"] is None:
        return [*out, f"*No fit: {e['not_fitted']}.*", ""]
    fit, oos = e["fitted"], e["out_of_sample"]
    out.append(
        f"Fitted a = {fit['a']:.3f} (90% {interval_text(fit['interval'], 3)}, "
        f"{fit['n']} questions); fixed a = {e['fixed']:g}."
    )
    out.append("")
    if oos["n_scored"]:
        rows = [
            ["fitted (time-ordered)", oos["fitted"]["brier"], oos["fitted"]["log_score"]],
            [f"fixed a = {e['fixed']:g}", oos["fixed"]["brier"], oos["fixed"]["log_score"]],
            [
                "geometric mean of odds (a = 1)",
                oos["geometric_mean_of_odds"]["brier"],
                oos["geometric_mean_of_odds"]["log_score"],
            ],
        ]
        out += [f"Out of sample, on {oos['n_scored']} questions:", ""]
        out += _table(["aggregate", "Brier", "log score"], rows)
    else:
        out.append("*No question had 20 resolved before it closed: nothing scored out of sample.*")
    return [*out, ""]


def _lr(r: dict[str, Any]) -> list[str]:
    lr = r["lr_calibration"]
    out = ["## Calibration of the likelihood ratios", "", lr["estimator"], ""]
    if not lr["bins"]:
        return [*out, "*No evidence on the resolved binary questions in scope.*", ""]
    out += _table(
        ["stated weight (dB)", "items", "questions", "Yes", "mean stated dB", "realised dB", "90%"],
        [
            [
                b["bin"],
                b["n"],
                b["n_questions"],
                b["n_yes"],
                b["stated_db"],
                b["realised_db"],
                interval_text(b["interval_db"]),
            ]
            for b in lr["bins"]
        ],
    )
    for title, key in (("analyst", "by_analyst"), ("source", "by_source")):
        out += [""]
        out += _table(
            [title, "items", "mean size (dB)", "scale", "90%", "reading"],
            [
                [
                    g["name"],
                    g["n"],
                    g["mean_stated_db"],
                    g["scale"],
                    interval_text(g["interval"], 2),
                    g["note"],
                ]
                for g in lr[key]
            ],
        )
    return [*out, ""]


def learning_markdown(r: dict[str, Any]) -> list[str]:
    return [*_recalibration(r), *_extremizer(r), *_lr(r)]


def _chart_limit(bins: list[dict[str, Any]]) -> float:
    """Symmetric axis limit: a margin past the furthest point or finite interval end, 12..30 dB."""
    reach = [abs(b["stated_db"]) for b in bins] + [abs(b["realised_db"]) for b in bins]
    reach += [abs(v) for b in bins for v in b["interval_db"] if v is not None]
    return float(min(CHART_LIMIT_DB, max(12.0, 4.0 * math.ceil((max(reach) + 2.0) / 4.0))))


def lr_chart(report: dict[str, Any], plt: Any) -> Any:
    """Stated (mean of the bin) against realised weight of evidence, with 90% intervals; open or
    far ends drawn to the edge of the chart. Returns the matplotlib figure."""
    bins = report["lr_calibration"]["bins"]
    limit = _chart_limit(bins)
    fig, ax = plt.subplots(figsize=(5.5, 5))
    ax.plot(
        [-limit, limit],
        [-limit, limit],
        linestyle="--",
        color="#888888",
        linewidth=1,
        label="stated = realised",
    )
    ax.axhline(0, color="#dddddd", linewidth=0.8)
    ax.axvline(0, color="#dddddd", linewidth=0.8)
    for b in bins:
        x = b["stated_db"]
        y = max(-limit, min(limit, b["realised_db"]))
        low, high = b["interval_db"]
        low = -limit if low is None else max(-limit, low)
        high = limit if high is None else min(limit, high)
        ax.errorbar(
            [x],
            [y],
            yerr=[[max(y - low, 0)], [max(high - y, 0)]],
            fmt="o",
            color="#1f5fa8",
            capsize=3,
        )
        ax.annotate(
            f"{b['bin']}\nn={b['n']}",
            (x, y),
            textcoords="offset points",
            xytext=(6, 0),
            ha="left",
            va="center",
            fontsize=7,
            color="#1f5fa8",
        )
    ax.set(
        xlim=(-limit, limit),
        ylim=(-limit, limit),
        xlabel="stated weight (dB, bin mean)",
        ylabel="realised weight (dB)",
        title="Likelihood ratios: stated vs realised",
    )
    ax.errorbar(
        [], [], yerr=[], fmt="o", color="#1f5fa8", capsize=3, label="realised, 90% profile interval"
    )
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2, fontsize=8, frameon=False)
    return fig
