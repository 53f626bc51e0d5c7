"""Were the likelihood ratios right? Stated weights of evidence against what the resolutions bear out.

Scope: evidence items (not removed) on resolved binary questions. Item i on a question with prior
P(Yes) = pi_i states a likelihood ratio L_i with credibility c_i; its stated weight is
w_i = c_i * 10 log10 L_i decibans (dB), the weight the engine gives it.

Estimator (a calibration of LRs against the prior odds each item started from):

- Per bin of stated weight (<= -6, -6..-2, -2..2, 2..6, >= 6 dB), one realised weight D (dB):
  the maximum-likelihood D in  y_i ~ Bernoulli(sigmoid(logit pi_i + D ln(10) / 10)),  y_i = 1 if
  the item's question resolved Yes. If the items in the bin were right, D is their stated weight.
  90% interval: profile likelihood, {D : 2 (l(D_hat) - l(D)) <= 2.706}; D is kept within +-60 dB
  and an end of the interval the data cannot rule out past that is left open (None): a bin whose
  questions all went one way has no finite estimate.
- Per analyst (the item's author) and per source (each cited work, else the item's source text):
  a scale s in  y_i ~ Bernoulli(sigmoid(logit pi_i + s w_i ln(10) / 10)), with the same profile
  interval (s within +-10). s = 1: the stated weights were right; s < 1: overstated; s > 1:
  understated; s < 0: they pointed the wrong way. At least 5 items with a non-zero weight.

Assumptions: (1) the question's prior is calibrated (the odds an item starts from are right);
(2) the item's evidence bears on the question on its own, P(Yes | item) = the prior odds times
its LR; other evidence on the same question is averaged over, not conditioned on; (3) items in a
bin share one true weight; (4) items are independent, although several items on one question
share its single outcome, so the intervals are too narrow when a question carries many items.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from typing import Any

import numpy as np
from sqlite_utils import Database

from arguments.evidence_records import citation_keys
from forecast.scoring import logistic

DB_PER_NEPER = 10.0 / math.log(10.0)
"""Decibans per unit of natural log-odds."""
BIN_EDGES = (-6.0, -2.0, 2.0, 6.0)
BIN_LABELS = ("≤ −6", "−6..−2", "−2..2", "2..6", "≥ 6")
WEIGHT_LIMIT_DB = 60.0
SCALE_LIMIT = 10.0
MIN_GROUP_ITEMS = 5

ESTIMATOR = (
    "Per bin of stated weight w = c·10·log10(LR) dB, the realised weight D is the maximum-likelihood "
    "D in y ~ Bernoulli(sigmoid(logit(prior) + D·ln10/10)), y = 1 if the question resolved Yes, "
    "with a 90% profile-likelihood interval (open where the data cannot bound it within ±60 dB). "
    "Per analyst and per source, a scale s in y ~ Bernoulli(sigmoid(logit(prior) + s·w·ln10/10)): "
    "s = 1 right, s < 1 overstated, s > 1 understated. Assumes calibrated priors, that each item "
    "alone moves the prior odds by its LR (other evidence averaged over), one true weight per bin, "
    "and independent items (several items on one question share its outcome, so the intervals are "
    "too narrow then)."
)

_ITEMS_SQL = """
select e.id, e.question_id, e.likelihoods, e.credibility, e.created_by, e.source, o.prior,
       (q.resolved_outcome_id = o.id)
from evidence e
join questions q on q.id = e.question_id
join outcomes o on o.question_id = q.id and o.position = 0
where e.removed_at is null and q.kind = 'binary' and q.status = 'resolved'
  and e.question_id in ({marks})
"""


def bin_of(weight_db: float) -> int:
    """Index into ``BIN_LABELS``: (-inf, -6], (-6, -2], (-2, 2), [2, 6), [6, inf)."""
    if weight_db <= BIN_EDGES[0]:
        return 0
    if weight_db <= BIN_EDGES[1]:
        return 1
    if weight_db < BIN_EDGES[2]:
        return 2
    if weight_db < BIN_EDGES[3]:
        return 3
    return 4


def _items(db: Database, question_ids: list[int]) -> list[dict[str, Any]]:
    rows: list[tuple] = []
    for start in range(0, len(question_ids), 900):
        chunk = question_ids[start : start + 900]
        sql = _ITEMS_SQL.format(marks=",".join("?" * len(chunk)))
        rows += db.execute(sql, chunk).fetchall()  # fixed SQL; ids travel as parameters
    cited = citation_keys(db, [r[0] for r in rows])
    items = []
    for eid, qid, likelihoods, credibility, author, source, prior, yes in rows:
        yes_l, no_l = json.loads(likelihoods)[:2]
        if yes_l <= 0 or no_l <= 0 or not 0.0 < prior < 1.0:
            continue
        text = " ".join((source or "").lower().split())
        items.append(
            {
                "question": qid,
                "weight_db": credibility * 10.0 * math.log10(yes_l / no_l),
                "prior": prior,
                "yes": float(bool(yes)),
                "author": author,
                "sources": cited.get(eid) or ((text,) if text else ("(no source)",)),
            }
        )
    return items


def _finite(value: float | None, limit: float) -> float | None:
    return None if value is None or abs(value) >= limit * (1 - 1e-9) else value


def realised_weight(weights_db: np.ndarray, priors: np.ndarray, yes: np.ndarray) -> dict[str, Any]:
    """One bin: the realised weight D (dB) and its 90% profile interval, as in the module text."""
    limit = WEIGHT_LIMIT_DB / DB_PER_NEPER
    found = logistic.profile_fit(np.ones(yes.size), yes, logistic.logit(priors), limit)
    scale = DB_PER_NEPER
    return {
        "n": int(yes.size),
        "n_yes": int(yes.sum()),
        "stated_db": float(weights_db.mean()),
        "realised_db": found.estimate * scale,
        "interval_db": [
            None if found.low is None else _finite(found.low * scale, WEIGHT_LIMIT_DB),
            None if found.high is None else _finite(found.high * scale, WEIGHT_LIMIT_DB),
        ],
        "unbounded": found.at_limit,
    }


def weight_scale(weights_db: np.ndarray, priors: np.ndarray, yes: np.ndarray) -> dict[str, Any]:
    """One analyst or source: the scale s on the stated weights and its 90% profile interval."""
    used = weights_db != 0.0
    n = int(used.sum())
    summary: dict[str, Any] = {
        "n": int(weights_db.size),
        "mean_stated_db": float(np.abs(weights_db).mean()) if weights_db.size else None,
    }
    if n < MIN_GROUP_ITEMS:
        return {
            **summary,
            "scale": None,
            "interval": None,
            "note": f"{n} items with a non-zero weight; {MIN_GROUP_ITEMS} needed",
        }
    found = logistic.profile_fit(
        weights_db[used] / DB_PER_NEPER, yes[used], logistic.logit(priors[used]), SCALE_LIMIT
    )
    return {
        **summary,
        "scale": found.estimate,
        "interval": [
            None if found.low is None else _finite(found.low, SCALE_LIMIT),
            None if found.high is None else _finite(found.high, SCALE_LIMIT),
        ],
        "note": _scale_words(found.estimate, found.low, found.high),
    }


def _scale_words(scale: float, low: float | None, high: float | None) -> str:
    if high is not None and high < 1.0:
        return "stated weights overstated" if scale > 0 else "weights pointed the wrong way"
    if low is not None and low > 1.0:
        return "stated weights understated"
    return "consistent with the stated weights"


def lr_calibration(db: Database, question_ids: list[int]) -> dict[str, Any]:
    """The ``lr_calibration`` section of the report for these (resolved) questions."""
    items = _items(db, sorted(question_ids))
    result: dict[str, Any] = {"estimator": ESTIMATOR, "n_items": len(items), "bins": []}
    result["by_analyst"], result["by_source"] = [], []
    if not items:
        return result
    weights = np.array([i["weight_db"] for i in items])
    priors = np.array([i["prior"] for i in items])
    yes = np.array([i["yes"] for i in items])
    questions = np.array([i["question"] for i in items])
    which = np.array([bin_of(w) for w in weights.tolist()])
    for index, label in enumerate(BIN_LABELS):
        mask = which == index
        if mask.any():
            row = realised_weight(weights[mask], priors[mask], yes[mask])
            row["n_questions"] = len(set(questions[mask].tolist()))
            result["bins"].append({"bin": label, **row})
    for key, out in (("author", "by_analyst"), ("sources", "by_source")):
        groups: dict[str, list[int]] = defaultdict(list)
        for position, item in enumerate(items):
            names = item[key] if key == "sources" else (item[key],)
            for name in names:
                groups[name].append(position)
        for name, rows in sorted(groups.items()):
            picked = np.array(rows)
            result[out].append(
                {"name": name, **weight_scale(weights[picked], priors[picked], yes[picked])}
            )
    return result
