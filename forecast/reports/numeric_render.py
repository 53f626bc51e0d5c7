"""The ``numeric`` block in Markdown and HTML: scores, interval coverage, the PIT histogram (a
chart and a table) and the fan chart of forecasts against resolved values."""

from __future__ import annotations

from typing import Any

NUMERIC_EMPTY = "No resolved numeric or date question has a forecast in this report."


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    def cell(value: Any) -> str:
        return _fmt(value).replace("|", "\\|")

    return [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join("---" for _ in headers) + "|",
        *("| " + " | ".join(cell(v) for v in row) + " |" for row in rows),
    ]


def coverage_text(c: dict[str, Any]) -> str:
    if not c["n"]:
        return "–"
    low, high = c["interval"]
    return f"{c['rate']:.2f} ({c['hits']}/{c['n']}; 90% Jeffreys {low:.2f}–{high:.2f})"


def score_rows(block: dict[str, Any]) -> list[list[Any]]:
    out = []
    for label, entry in [
        ("all forecasts", block),
        *((f["forecaster"], f) for f in block["forecasters"]),
        *((a["name"], a) for a in block["aggregates"]),
    ]:
        out.append(
            [
                label,
                entry["n"],
                entry["crps"],
                entry["crps_scaled"],
                entry["log_score"],
                coverage_text(entry["coverage"]["50"]),
                coverage_text(entry["coverage"]["90"]),
            ]
        )
    return out


HEADERS = ["who", "n", "CRPS (units)", "CRPS / range", "log score", "50% coverage", "90% coverage"]


def numeric_markdown(block: dict[str, Any] | None) -> list[str]:
    out = ["## Numeric and date questions", ""]
    if not block:
        return [*out, f"*{NUMERIC_EMPTY}*", ""]
    out += [
        f"{block['n']} distribution forecasts on {block['questions']} resolved numeric/date "
        "questions. CRPS: lower is better, in each question's units (averaged across questions "
        "only when scaled by the range); log score: mean ln density at the resolved value, higher "
        "is better.",
        "",
        *_table(HEADERS, score_rows(block)),
        "",
        "### PIT histogram",
        "",
        "F(resolved value) of each forecast; a calibrated forecaster's are uniform. "
        f"Chi-square test of uniformity: p = {_fmt(block['pit_uniformity_p'])}.",
        "",
    ]
    top = max([b["n"] for b in block["pit"]] + [1])
    out += _table(
        ["PIT", "n", ""],
        [
            [f"{b['lower']:.1f}–{b['upper']:.1f}", b["n"], "█" * round(20 * b["n"] / top)]
            for b in block["pit"]
        ],
    )
    out += ["", "### Forecasts against resolved values", ""]
    rows = []
    for q in block["fan"]:
        for f in q["forecasts"]:
            p = f["positions"]
            rows.append(
                [
                    f"{q['question']} {q['title']}",
                    q["resolved"],
                    f["forecaster"],
                    f"{p[2]:.2f}",
                    f"{p[1]:.2f}–{p[3]:.2f}",
                    f"{p[0]:.2f}–{p[4]:.2f}",
                    f"{q['resolved_position']:.2f}",
                ]
            )
    out += [
        "Positions in each question's range (0 = low end, 1 = high end, in its scale).",
        "",
        *_table(
            ["question", "resolved", "forecaster", "median", "50%", "90%", "resolved at"], rows
        ),
        "",
    ]
    return out


def numeric_charts(report: dict[str, Any]) -> dict[str, str]:
    """The PIT histogram and the fan chart as inline SVG (none without a numeric block)."""
    block = report.get("numeric")
    if not block:
        return {}
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .charts import _svg

    out: dict[str, str] = {}
    fig, ax = plt.subplots(figsize=(5.5, 2.8))
    pit = block["pit"]
    ax.bar(
        [(b["lower"] + b["upper"]) / 2 for b in pit],
        [b["n"] for b in pit],
        width=0.09,
        color="#1f5fa8",
    )
    ax.axhline(block["n"] / len(pit), color="#888888", linestyle="--", linewidth=1)
    ax.set(
        xlim=(0, 1),
        xlabel="PIT = F(resolved value)",
        ylabel="forecasts",
        title=f"PIT histogram (uniformity p = {_fmt(block['pit_uniformity_p'], 2)})",
    )
    out["pit"] = _svg(fig)
    plt.close(fig)

    rows = [(q, f) for q in block["fan"] for f in q["forecasts"]]
    height = max(2.5, 0.28 * len(rows) + 1.2)
    fig, ax = plt.subplots(figsize=(6.5, height))
    labels = []
    for y, (q, f) in enumerate(reversed(rows)):
        p = f["positions"]
        team = f["forecaster"].startswith("team:")
        colour = "#a83a1f" if team else "#1f5fa8"
        ax.plot([p[0], p[4]], [y, y], color=colour, linewidth=1.5, alpha=0.5)
        ax.plot([p[1], p[3]], [y, y], color=colour, linewidth=5, alpha=0.8)
        ax.plot([p[2]], [y], marker="|", color="white", markersize=8)
        ax.plot([q["resolved_position"]], [y], marker="D", color="black", markersize=4)
        labels.append(f"{q['question']} {f['forecaster']}")
    ax.set_yticks(range(len(labels)), labels, fontsize=7)
    ax.set(
        xlim=(-0.02, 1.02),
        xlabel="position in the question's range (0 = low end, 1 = high end)",
        title="Forecasts (50% and 90% intervals) and resolved values (◆)",
    )
    out["fan"] = _svg(fig)
    plt.close(fig)
    return out
