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

from forecast.reports.charts import charts
from forecast.reports.render_learning import interval_text, learning_markdown
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


CSV_TABLES: dict[str, list[str]] = {
    "calibration": [
        "lower",
        "upper",
        "n",
        "mean_forecast",
        "observed_frequency",
        "interval_low",
        "interval_high",
    ],
    "question": [
        "id",
        "title",
        "outcome",
        "resolved_at",
        "closes_at",
        "early",
        "forecasters",
        "team_p_outcome",
        "n",
        "brier",
    ],
    "forecaster": [
        "name",
        "n",
        "n_events",
        "brier",
        "log_score",
        "time_averaged_brier",
        "baseline_score",
        "peer_score",
    ],
    "aggregate": ["name", "n", "n_questions", "brier", "log_score"],
}
"""The CSV is one long table: the first column, ``table``, says which table a row belongs to
(calibration bins, then questions, forecasters and team aggregates); the other columns
(``CSV_COLUMNS``) are the union of the tables' columns, blank where a table has no such column. A question
resolved before its scheduled close is a ``question`` row with ``early`` true."""


def _csv_value(value: Any) -> str:
    """Numbers as people write them (6 significant digits, so 0.30000000000000004 is 0.3),
    booleans as true/false, None as blank."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6g}" if math.isfinite(value) else ""
    return str(value)


def _csv_rows(report: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    rows: list[tuple[str, dict[str, Any]]] = []
    for b in report["bins"]:
        low, high = b["interval"] or [None, None]
        rows.append(("calibration", {**b, "interval_low": low, "interval_high": high}))
    for q in report["questions"] + report["early"]["questions"] * (not report["early"]["included"]):
        rows.append(("question", {**q, "n": q["n_events"]}))
    rows += [("forecaster", f) for f in report["forecasters"]]
    rows += [("aggregate", a) for a in report["aggregates"]]
    return rows


CSV_COLUMNS = [
    "lower",
    "upper",
    "id",
    "title",
    "name",
    "outcome",
    "resolved_at",
    "closes_at",
    "early",
    "forecasters",
    "team_p_outcome",
    "n",
    "n_events",
    "n_questions",
    "mean_forecast",
    "observed_frequency",
    "interval_low",
    "interval_high",
    "brier",
    "log_score",
    "time_averaged_brier",
    "baseline_score",
    "peer_score",
]


def to_csv(report: dict[str, Any]) -> str:
    columns = CSV_COLUMNS
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["table", *columns])
    for table, row in _csv_rows(report):
        own = CSV_TABLES[table]
        writer.writerow([table, *(_csv_value(row.get(c)) if c in own else "" for c in columns)])
    return buffer.getvalue()


def describe_settings(report: dict[str, Any]) -> list[tuple[str, str]]:
    """The settings a report was made with, in words."""
    s = report["settings"]
    bins = s["bins"]
    return [
        ("forecaster", s["forecaster"] or "everyone"),
        ("tag", s["tag"] or "any (no tag filter)"),
        (
            "resolved",
            (f"from {s['since'][:10]}" if s["since"] else "from the first resolution")
            + (f", before {s['until'][:10]}" if s["until"] else " to the latest"),
        ),
        (
            "calibration bins",
            "one per distinct forecast" if bins == "distinct" else f"{bins} of equal width",
        ),
        (
            "forecasts counted",
            "every forecast"
            if s["all_forecasts"]
            else "each forecaster's last forecast before the question closed",
        ),
        (
            "extremizing exponent",
            f"{s['extremize']:g}" + (" (fitted)" if s.get("extremize_fitted") else ""),
        ),
        (
            "early resolutions",
            "counted like the others"
            if s["include_early"]
            else "left out of scores and calibration, listed apart",
        ),
    ]


def team_text(question: dict[str, Any]) -> str:
    """The team's forecast at close, as read: ``P(Yes) 72%`` or ``a 20% · b 50% · c 30%``."""
    team = question.get("team_forecast")
    if not team:
        return "–"
    if question["kind"] == "binary" and "Yes" in team:
        return f"P(Yes) {team['Yes']:.0%}"
    return " · ".join(f"{name} {p:.0%}" for name, p in team.items())


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


EMPTY = {
    "aggregates": "No team aggregate: no forecast was standing when these questions closed.",
    "by_tag": "None of these questions has a tag.",
    "evidence": "None of these resolved questions has evidence, so there is nothing to attribute.",
    "early": "No question in scope resolved before its scheduled close.",
}
"""What a report says instead of an empty table."""


def _md_section(title: str, rows: list[Any], table: str, reason: str) -> list[str]:
    return [f"## {title}", "", table if rows else f"*{reason}*", ""]


def conditional_line(report: dict[str, Any]) -> str:
    """How many conditional forecasts were scored and how many were void."""
    counts = report.get("conditional_forecasts") or {"scored": 0, "void": 0, "pending": 0}
    return (
        f"Conditional forecasts: {counts['scored']} scored (their condition came true), "
        f"{counts['void']} void (never scored), {counts['pending']} waiting on their condition."
    )


def to_markdown(report: dict[str, Any]) -> str:
    r = report
    attribution = r["evidence_attribution"]
    early = r["early"]
    out = [
        f"# {r['title']}",
        "",
        f"Scope: **{r['scope']}**. Unit: {r['unit']}.",
        "",
        f"{r['n_forecasts']} forecasts on {r['n_questions']} resolved questions ({r['n_events']} binary events).",
        "",
        conditional_line(r),
        "",
        "## Scores",
        "",
        _md_table(
            ["score", "value", "scale"],
            [
                ["Brier (per event)", r["brier"], "0 best .. 1 worst (binary events)"],
                [
                    f"Brier, original multi-category ({r['score_units']['brier_original']})",
                    r["brier_original"],
                    "0 .. 2",
                ],
                [
                    f"Log score ({r['score_units']['log_score']})",
                    r["log_score"],
                    "mean −ln p(outcome), natural log; lower is better",
                ],
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
            [
                "name",
                "questions",
                "events",
                "Brier (per event)",
                f"log score ({r['score_units']['log_score']})",
                "time-avg Brier",
                "baseline",
                "peer",
            ],
            [
                [
                    f["name"],
                    f["n"],
                    f["n_events"],
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
        *_md_section(
            "Team aggregates",
            r["aggregates"],
            _md_table(
                [
                    "aggregate",
                    "questions",
                    "events",
                    "Brier (per event)",
                    f"log score ({r['score_units']['log_score']})",
                ],
                [
                    [a["name"], a["n_questions"], a["n"], a["brier"], a["log_score"]]
                    for a in r["aggregates"]
                ],
            ),
            EMPTY["aggregates"],
        ),
        *_md_section(
            "By tag",
            r["by_tag"],
            _md_table(
                ["tag", "questions", "n", "Brier"],
                [[t["tag"], t["questions"], t["n"], t["brier"]] for t in r["by_tag"]],
            ),
            EMPTY["by_tag"],
        ),
        "## Questions",
        "",
        _md_table(
            ["question", "outcome", "resolved", "team forecast at close", "Brier"],
            [
                [
                    f"{q['id']} {q['title']}",
                    q["outcome"],
                    q["resolved_at"],
                    team_text(q),
                    q["brier"],
                ]
                for q in r["questions"]
            ],
        ),
        "",
        *_md_section(
            "Resolved before their scheduled close",
            early["questions"],
            early["rule"]
            + "\n\n"
            + _md_table(
                ["question", "outcome", "resolved", "scheduled close", "events"],
                [
                    [
                        f"{q['id']} {q['title']}",
                        q["outcome"],
                        q["resolved_at"],
                        q["closes_at"],
                        q["n_events"],
                    ]
                    for q in early["questions"]
                ],
            ),
            EMPTY["early"],
        ),
        *_md_section(
            "Evidence attribution",
            attribution["items"],
            attribution["explanation"]
            + ".\n\n"
            + "\n\n".join(
                [
                    _md_table(
                        ["item", "question", "author", "contribution"],
                        [
                            [i["id"], i["question"], i["author"], i["contribution"]]
                            for i in attribution["items"]
                        ],
                    ),
                    _md_table(
                        ["source", "contribution"],
                        [[s["source"], s["contribution"]] for s in attribution["by_source"]],
                    ),
                    _md_table(
                        ["author", "contribution"],
                        [[a["author"], a["contribution"]] for a in attribution["by_author"]],
                    ),
                ]
            ),
            EMPTY["evidence"],
        ),
        *(learning_markdown(r) if "recalibration" in r else []),
        "## Settings",
        "",
        _md_table(["setting", "value"], [list(pair) for pair in describe_settings(r)]),
        "",
    ]
    return "\n".join(out)


def to_html(report: dict[str, Any]) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("forecast.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
    env.filters["num"] = _fmt
    env.filters["team"] = team_text
    env.globals["EMPTY"] = EMPTY
    env.globals["settings_words"] = describe_settings(report)
    env.filters["span"] = interval_text
    env.globals["conditional_words"] = conditional_line(report)
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
