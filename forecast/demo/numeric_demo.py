"""The demo's numeric and date questions (``numeric_demo.json``): two open ones from the brief with
evidence anchored to its passages and three forecasters' distributions, and resolved questions
about documented values of 2019-2022 (each with its basis), forecast by the three forecasters with
their usual styles (amira calibrated, ben overconfident, chidi hedging) so that the PIT histogram
and interval coverage show something real."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from arguments.evidence import EvidenceInputs
from arguments.numeric_evidence import NumericForm, add_numeric_evidence
from questions import clock, numeric_store
from questions import numeric as nm
from questions.models import QuestionDraft

from .build import LEAD, at

HERE = Path(__file__).resolve().parent
STYLE = {"amira": (0.0, 1.0), "ben": (0.5, 0.35), "chidi": (0.0, 2.2)}
"""(bias in spreads, width factor) of each forecaster's distributions."""


def numeric_demo_data() -> dict[str, Any]:
    return json.loads((HERE / "numeric_demo.json").read_text(encoding="utf-8"))


def _range(q: dict[str, Any]) -> nm.NumericRange:
    if "date" in q:
        lo, hi = (nm.date_to_value(d, field="date") for d in q["date"])
        return nm.NumericRange(lo, hi, open_upper=q.get("open_upper", False), is_date=True)
    return nm.NumericRange(
        q["numeric"][0],
        q["numeric"][1],
        log=q.get("log", False),
        open_lower=q.get("open_lower", False),
        open_upper=q.get("open_upper", False),
        unit=q.get("unit", ""),
    )


def _add(
    db: Database, q: dict[str, Any], opens: str, closes: str, criteria: str
) -> tuple[int, nm.NumericRange]:
    rng = _range(q)
    draft = QuestionDraft(
        title=q["title"],
        tags=q["tags"],
        criteria=criteria,
        opens_at=clock.parse_iso(opens),
        closes_at=clock.parse_iso(closes),
    )
    return numeric_store.add_numeric_question(db, draft, rng, author=LEAD).id, rng


def _passage(db: Database, source: int, quote: str) -> str:
    row = db.execute(
        "select number from passages where source_id = ? and instr(text, ?) > 0", [source, quote]
    ).fetchone()
    return f"S{source}:{row[0]}"


def populate_numeric(db: Database, source: int) -> None:
    data = numeric_demo_data()
    for q in data["open_questions"]:
        with at("2019-10-05T09:00:00"):
            qid, rng = _add(db, q, "2019-10-05", q["closes"], q["criteria"])
        for item in q["evidence"]:
            with at(item["observed"] + "T12:00:00"):
                add_numeric_evidence(
                    db,
                    qid,
                    EvidenceInputs(
                        text=item["text"],
                        lr=item["lr"],
                        credibility=item["credibility"],
                        observed_at=item["observed"],
                        quote=item["quote"],
                    ),
                    NumericForm("above", item["above"]),
                    passage=_passage(db, source, item["quote"]),
                    by=item["by"],
                )
        for k, (who, typed) in enumerate(q["forecasts"].items()):
            with at(f"2019-11-0{k + 1}T10:00:00"):
                cdf = nm.cdf_from_quantiles(rng, nm.parse_quantiles(rng, typed))
                numeric_store.record_numeric_forecast(
                    db, qid, cdf, forecaster=who, typed=typed, method="quantiles"
                )
    for q in data["resolved_questions"]:
        _add_resolved(db, q)


def _add_resolved(db: Database, q: dict[str, Any]) -> None:
    with at(q["opens"] + "T08:00:00"):
        qid, rng = _add(db, q, q["opens"], q["resolved"], q["basis"])
    truth = float(rng.to_scale(nm.parse_value(rng, str(q["value"]), field="value")))
    spread = (rng.u_hi - rng.u_lo) / 8
    gen = random.Random(q["title"])
    start = date.fromisoformat(q["opens"]).toordinal()
    span = date.fromisoformat(q["resolved"]).toordinal() - start
    for hour, (who, (bias, width)) in enumerate(STYLE.items()):
        for step in range(3):
            shrink = 1.0 - 0.2 * step  # later forecasts are a little sharper
            centre = truth + gen.gauss(bias * spread, spread * 0.9 * shrink)
            half = spread * width * shrink
            points = [centre - 1.6449 * half, centre, centre + 1.6449 * half]
            lo_u = rng.u_lo + 1e-6 * (rng.u_hi - rng.u_lo)
            hi_u = rng.u_hi - 1e-6 * (rng.u_hi - rng.u_lo)
            if not rng.open_upper:
                points = [min(p, hi_u) for p in points]
            if not rng.open_lower:
                points = [max(p, lo_u) for p in points]
            values = [float(rng.from_scale(p)) for p in points]
            if not values[0] < values[1] < values[2]:
                continue
            pairs = list(zip((0.05, 0.5, 0.95), values, strict=True))
            cdf = nm.cdf_from_quantiles(rng, pairs)
            typed = ",".join(
                f"{p:g}:{rng.show(v) if rng.is_date else f'{v:.4g}'}" for p, v in pairs
            )
            day = date.fromordinal(start + int(span * (step + 1) / 4)).isoformat()
            numeric_store.record_numeric_forecast(
                db,
                qid,
                cdf,
                forecaster=who,
                typed=typed,
                method="quantiles",
                made_at=f"{day}T{9 + hour:02d}:00:00Z",
                origin="demo",
            )
    numeric_store.resolve_numeric(
        db, qid, nm.parse_value(rng, str(q["value"]), field="value"), by=LEAD, at=q["resolved"]
    )
