"""Write a report as JSON, CSV (the calibration table), Markdown or one self-contained HTML file.

Charts are inline SVG drawn with matplotlib (imported only here, only for HTML); text goes through
a Jinja2 template with autoescaping, so anything a user typed is inert in the page. Files are
written to a temporary name beside the target and renamed, so nothing is ever half-written.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

from questions.errors import InvalidInput

FORMATS = ("html", "md", "json", "csv")


def _clean(value: Any) -> Any:
    """NaN and infinities become null (JSON has no such numbers)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(_clean(report), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def to_csv(report: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "lower",
            "upper",
            "n",
            "mean_forecast",
            "observed_frequency",
            "interval_low",
            "interval_high",
        ]
    )
    for b in report["bins"]:
        interval = b["interval"] or [None, None]
        writer.writerow(
            [b["lower"], b["upper"], b["n"], b["mean_forecast"], b["observed_frequency"], *interval]
        )
    return buffer.getvalue()


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _md_table(headers: list[str], rows: list[list[Any]]) -> str:
    def cell(value: Any) -> str:
        return _fmt(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def to_markdown(report: dict[str, Any]) -> str:
    r = report
    out = [
        f"# {r['title']}",
        "",
        f"Scope: **{r['scope']}**. Unit: {r['unit']}.",
        "",
        f"{r['n_forecasts']} forecasts on {r['n_questions']} resolved questions ({r['n_events']} binary events).",
        "",
        "## Scores",
        "",
        _md_table(
            ["score", "value", "scale"],
            [
                ["Brier", r["brier"], "0 best .. 1 worst (binary events)"],
                ["Brier, original multi-category", r["brier_original"], "0 .. 2"],
                ["Log score", r["log_score"], "mean −ln p(outcome), natural log; lower is better"],
                [
                    "Time-averaged Brier",
                    r["time_averaged_brier"],
                    "daily carry-forward (binary questions)",
                ],
                ["ECE", r["ece"], "expected calibration error"],
                [
                    "Spiegelhalter z",
                    r["spiegelhalter"]["z"],
                    f"two-sided p = {_fmt(r['spiegelhalter']['p_value'])}",
                ],
            ],
        ),
        "",
        "## Calibration",
        "",
        _md_table(
            ["bin", "n", "mean forecast", "observed", "90% interval (Jeffreys)"],
            [
                [
                    f"{b['lower']:.2f}–{b['upper']:.2f}",
                    b["n"],
                    b["mean_forecast"],
                    b["observed_frequency"],
                    f"{b['interval'][0]:.2f}–{b['interval'][1]:.2f}" if b["interval"] else "–",
                ]
                for b in r["bins"]
                if b["n"]
            ],
        ),
        "",
        "## Decompositions",
        "",
        _md_table(
            ["Murphy (with within-bin terms)", "value"], [[k, v] for k, v in r["murphy"].items()]
        ),
        "",
        _md_table(["CORP", "value"], [[k, v] for k, v in r["corp"].items()]),
        "",
        "## Forecasters",
        "",
        _md_table(
            ["name", "n", "Brier", "log", "time-avg Brier", "baseline", "peer"],
            [
                [
                    f["name"],
                    f["n"],
                    f["brier"],
                    f["log_score"],
                    f["time_averaged_brier"],
                    f["baseline_score"],
                    f["peer_score"],
                ]
                for f in r["forecasters"]
            ],
        ),
        "",
        "## Team aggregates",
        "",
        _md_table(
            ["aggregate", "n", "Brier", "log"],
            [[a["name"], a["n"], a["brier"], a["log_score"]] for a in r["aggregates"]],
        ),
        "",
        "## By tag",
        "",
        _md_table(
            ["tag", "questions", "n", "Brier"],
            [[t["tag"], t["questions"], t["n"], t["brier"]] for t in r["by_tag"]],
        ),
        "",
        "## Evidence attribution",
        "",
        r["evidence_attribution"]["explanation"] + ".",
        "",
        _md_table(
            ["item", "question", "author", "contribution"],
            [
                [i["id"], i["question"], i["author"], i["contribution"]]
                for i in r["evidence_attribution"]["items"]
            ],
        ),
        "",
        _md_table(
            ["source", "contribution"],
            [[s["source"], s["contribution"]] for s in r["evidence_attribution"]["by_source"]],
        ),
        "",
        _md_table(
            ["author", "contribution"],
            [[a["author"], a["contribution"]] for a in r["evidence_attribution"]["by_author"]],
        ),
        "",
        "## Settings",
        "",
        _md_table(["setting", "value"], [[k, v] for k, v in r["settings"].items()]),
        "",
    ]
    return "\n".join(out)


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
        for x, y, b in zip(xs, ys, bins, strict=True):
            ax.annotate(
                f"n={b['n']}", (x, y), textcoords="offset points", xytext=(6, -12), fontsize=8
            )
    ax.set(
        xlim=(0, 1),
        ylim=(0, 1),
        xlabel="forecast probability",
        ylabel="observed frequency",
        title="Reliability diagram",
    )
    ax.legend(loc="upper left", fontsize=8)
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
    return out


def to_html(report: dict[str, Any]) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("forecast.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
    env.filters["num"] = _fmt
    template = env.get_template("report.html.j2")
    from markupsafe import Markup

    svgs = {name: Markup(svg) for name, svg in charts(report).items()}  # noqa: S704 - our own matplotlib output
    return template.render(r=_clean(report), charts=svgs)


def render(report: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return to_json(report)
    if fmt == "csv":
        return to_csv(report)
    if fmt == "md":
        return to_markdown(report)
    if fmt == "html":
        return to_html(report)
    raise InvalidInput(f"format: {fmt!r} is not allowed ({', '.join(FORMATS)})")


def write_atomically(text: str, path: Path) -> None:
    """Write beside the target and rename: the file is whole or not there."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InvalidInput(f"output: {path}: folder {folder} does not exist")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise InvalidInput(f"output: {path}: cannot write there ({exc.strerror})") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it private; a report is for sharing
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise InvalidInput(f"output: {path}: cannot write there ({exc.strerror})") from None
