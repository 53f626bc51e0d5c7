"""Build the demo workspace from the project's own sample brief and ``demo_data.json``: the brief
as a source, open questions with evidence anchored to its passages, argument trees, three
forecasters' histories, a challenge under review, and resolved questions about real events of
2019-2022 (each with the basis of its outcome) so that calibration has something real to show,
and linked questions (``forecast.demo.links``: a conditional chain and indicators).

Built once: a workspace that already has questions is left alone. The workspace is marked
(``workspace_meta``: ``made_by = forecastle demo``), and ``rebuild`` deletes only a marked file.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from arguments.ach_ratings import ratings_to_likelihoods
from arguments.evidence import EvidenceInputs
from arguments.evidence_store import add_anchored_evidence
from arguments.review_store import add_comment, challenge
from arguments.source_store import import_article
from arguments.tree_store import add_node, link_evidence, set_status
from forecast.demo.links import add_links
from forecast.engine import bayes
from forecast.engine.inputs import engine_input
from forecast.workspace import open_workspace
from questions import clock, store
from questions.errors import WorkspaceError
from questions.models import QuestionDraft
from questions.workspace import read_meta, set_meta, write_transaction

HERE = Path(__file__).resolve().parent
LEAD = "amira"
MADE_BY = ("made_by", "forecastle demo")


def demo_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("forecastle", appauthor=False)) / "demo.db"


def brief_path() -> Path:
    return HERE / "brief.md"


def demo_data() -> dict[str, Any]:
    return json.loads((HERE / "demo_data.json").read_text(encoding="utf-8"))


@contextmanager
def at(moment: str) -> Iterator[None]:
    """Run store functions as if it were ``moment`` (so the history reads like a real one)."""
    when = datetime.fromisoformat(moment).replace(tzinfo=UTC)
    previous = clock._clock
    clock.set_clock(lambda: when)
    try:
        yield
    finally:
        clock.set_clock(previous)


def build_demo(path: str | Path, *, rebuild: bool = False) -> bool:
    """Build the demo workspace at ``path`` unless it is already there; True if built now."""
    path = Path(path)
    if rebuild and path.exists():
        if read_meta(path, MADE_BY[0]) != MADE_BY[1]:
            raise WorkspaceError(
                f"{path}: not a demo workspace forecastle built; --rebuild deletes only those "
                "(choose another --db, or remove the file yourself)"
            )
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = open_workspace(path)
    try:
        if db.execute("select count(*) from questions").fetchone()[0]:
            return False
        with write_transaction(db):
            populate(db, demo_data())
            set_meta(db, *MADE_BY)
        return True
    finally:
        db.close()


def populate(db: Database, data: dict[str, Any]) -> None:
    with at("2019-07-01T09:00:00"):
        source = import_article(db, brief_path(), by=LEAD, url="", published="2019-12-10")
        questions = {q["key"]: _add_open_question(db, q) for q in data["open_questions"]}
    evidence: dict[str, int] = {}
    for item in sorted(data["evidence"], key=lambda e: e["observed"]):
        evidence[item["key"]] = _add_evidence(
            db, source.id, questions[item["question"]], item, evidence
        )
    with at("2020-01-20T10:00:00"):
        for key, nodes in data["trees"].items():
            for node in nodes:
                _add_node(db, questions[key], node, evidence, None)
    _forecast_open_questions(db, questions, data)
    for question in data["resolved_questions"]:
        _add_resolved(db, question, data["forecasters"])
    with at("2020-01-22T15:30:00"):
        made = challenge(
            db,
            evidence["expel-vote"],
            by="ben",
            lr=1.4,
            reason="A non-binding vote is cheap talk; past votes changed nothing on the ground.",
        )
        add_comment(
            db,
            f"E{made.evidence_id}",
            "Agree the vote matters, but 2.5 seems high to me too.",
            by="chidi",
        )
        add_comment(
            db,
            f"Q{questions['troops']}",
            "Let's revisit after the budget talks in February.",
            by=LEAD,
        )
    add_links(db, data["links"], questions, at=at, lead=LEAD)


def _add_open_question(db: Database, question: dict[str, Any]) -> int:
    draft = QuestionDraft(
        title=question["title"],
        tags=question["tags"],
        criteria=question["criteria"],
        closes_at=clock.parse_iso(question["closes"]),
        opens_at="2019-07-01T00:00:00Z",
        outcome_names=question.get("outcomes", []),
        priors=question.get("priors", [question["prior"]] if "prior" in question else []),
    )
    return store.add_question(db, draft, author=LEAD).id


def _add_evidence(
    db: Database, source: int, qid: int, item: dict[str, Any], known: dict[str, int]
) -> int:
    question = store.get_question(db, qid)
    likelihoods = item.get("likelihoods")
    if "ratings" in item:
        likelihoods = ratings_to_likelihoods(db, item["ratings"], len(question.outcomes))
    low = high = None
    if "range" in item:
        low, high = (
            (item["range"][0], item["range"][1])
            if question.kind != "binary"
            else ([item["range"][0]], [item["range"][1]])
        )
    inputs = EvidenceInputs(
        text=item["text"],
        lr=item.get("lr"),
        likelihoods=likelihoods,
        range_low=low,
        range_high=high,
        credibility=item.get("credibility", 1.0),
        observed_at=item["observed"],
        quote=item["quote"],
        group=item.get("group"),
        redundancy=item.get("redundancy"),
        depends_on=known[item["depends_on"]] if "depends_on" in item else None,
        ratings=item.get("ratings"),
    )
    with at(max(item["observed"], "2019-07-01") + "T12:00:00"):
        passage = f"S{source}:{item['passage']}"
        added = add_anchored_evidence(db, qid, inputs, passage=passage, by=item["by"])
    return added.id


def _add_node(
    db: Database, qid: int, node: dict[str, Any], evidence: dict[str, int], under: int | None
) -> None:
    made = add_node(
        db,
        qid,
        node["text"],
        by=LEAD,
        under=under,
        stance=node["stance"],
        outcome=node.get("outcome") if under is None else None,
    )
    for key in node.get("evidence", []):
        link_evidence(db, made.id, evidence[key], by=LEAD)
    if node.get("status"):
        set_status(db, made.id, node["status"], by="ben")
    for child in node.get("children", []):
        _add_node(db, qid, child, evidence, made.id)


def _styled(model: list[float], style: str) -> list[float]:
    """Three forecasting styles around the model: close to it, overconfident, hedging."""
    if style == "amira":
        raw = model
    elif style == "ben":
        raw = [p**1.8 for p in model]
    else:
        raw = [0.6 * p + 0.4 / len(model) for p in model]
    total = sum(raw)
    return [round(p / total, 3) for p in raw]


def _forecast_open_questions(db: Database, questions: dict[str, int], data: dict[str, Any]) -> None:
    from arguments.evidence_store import list_evidence

    for qid in questions.values():
        question = store.get_question(db, qid)
        items = [engine_input(i) for i in list_evidence(db, qid)]
        steps = bayes.timeline(question.priors, items)
        for day in data["forecast_dates"]:
            standing = [s for s in steps if s.at and s.at[:10] <= day]
            model = list(standing[-1].posterior) if standing else question.priors
            for name in data["forecasters"]:
                probs = _styled(model, name)
                probs[-1] = round(1 - sum(probs[:-1]), 3)
                store.record_forecast(
                    db,
                    qid,
                    forecaster=name,
                    probs=probs,
                    made_at=f"{day}T{9 + data['forecasters'].index(name):02d}:00:00",
                    rationale="took the model's view" if name == "amira" else "",
                    adopted_model=name == "amira",
                )


SKILL = {"amira": (0.22, 0.12), "ben": (0.38, 0.22), "chidi": (0.12, 0.08)}
"""(how far from 1/2 the forecaster leans toward the truth, noise): amira calibrated, ben
overconfident and noisy, chidi hedging."""


def _add_resolved(db: Database, question: dict[str, Any], forecasters: list[str]) -> None:
    with at(question["opens"] + "T08:00:00"):
        qid = store.add_question(
            db,
            QuestionDraft(
                title=question["title"],
                tags=question["tags"],
                criteria=question["basis"],
                opens_at=clock.parse_iso(question["opens"]),
                closes_at=clock.parse_iso(question["resolved"]),
            ),
            author=LEAD,
        ).id
    rng = random.Random(question["title"])
    truth = 1.0 if question["outcome"] == "yes" else -1.0
    start = datetime.fromisoformat(question["opens"])
    span = (datetime.fromisoformat(question["resolved"]) - start).days
    for name in forecasters:
        lean, noise = SKILL[name]
        wrong = name == "ben" and rng.random() < 0.25  # overconfidence includes confident misses
        for step in range(4):
            day = start.toordinal() + max(int(span * step / 4), 0)
            when = datetime.fromordinal(day).strftime("%Y-%m-%d")
            logit = (truth * (-1 if wrong else 1)) * (lean * 4) * (0.6 + 0.15 * step) + rng.gauss(
                0, noise * 4
            )
            p = min(max(1 / (1 + math.exp(-logit)), 0.02), 0.98)
            store.record_forecast(
                db,
                qid,
                forecaster=name,
                p_yes=round(p, 2),
                made_at=f"{when}T{9 + forecasters.index(name):02d}:00:00",
            )
    store.resolve(db, qid, question["outcome"], by=LEAD, at=question["resolved"])
