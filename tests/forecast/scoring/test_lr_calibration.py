"""Calibration of stated likelihood ratios against resolutions, worked by hand on a real
workspace; the fitted extremizing exponent."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sqlite_utils import Database

from arguments.evidence import EvidenceInputs
from arguments.evidence_store import add_evidence
from forecast.scoring import extremize_fit, logistic
from forecast.scoring.lr_calibration import bin_of, lr_calibration
from questions import store
from questions.models import QuestionDraft


def _question(db: Database, prior: float, lr: float, yes: bool, author: str, source: str) -> int:
    q = store.add_question(
        db, QuestionDraft(title=f"Q {prior} {lr} {yes} {author}", priors=[prior]), author="lead"
    ).id
    add_evidence(db, q, EvidenceInputs(text="item", lr=lr, source=source), by=author)
    store.resolve(db, q, "yes" if yes else "no", by="lead", at="2020-06-01")
    return q


def test_lr_calibration_by_hand(db: Database) -> None:
    ids = []
    # Bin 2..6: four items of LR 2 (3.01 dB) on questions with prior 1/2; 3 resolved Yes.
    # The realised odds are 3 : 1 against prior odds 1 : 1, so D = 10 log10 3 = 4.771 dB.
    for yes in (True, True, True, False):
        ids.append(_question(db, 0.5, 2.0, yes, "ann", "Report A"))
    # Bin <= -6: two items of LR 1/4 (-6.02 dB) on questions with prior 0.2; one resolved Yes.
    # Realised odds 1 : 1 against prior odds 1 : 4, so D = 10 log10 4 = +6.02 dB: the wrong way.
    for yes in (True, False):
        ids.append(_question(db, 0.2, 0.25, yes, "bob", "Report B"))
    result = lr_calibration(db, ids)
    bins = {b["bin"]: b for b in result["bins"]}
    assert set(bins) == {"2..6", "≤ −6"}
    up = bins["2..6"]
    assert up["n"] == 4 and up["n_yes"] == 3 and up["n_questions"] == 4
    assert up["stated_db"] == pytest.approx(10 * math.log10(2))
    assert up["realised_db"] == pytest.approx(10 * math.log10(3), abs=1e-5)

    # the 90% profile interval: where 2 (l(hat) - l(D)) = 2.706, l(D) = 3 ln s(d) + ln(1 - s(d))
    def loglik(db_value: float) -> float:
        d = db_value * math.log(10) / 10
        return 3 * math.log(1 / (1 + math.exp(-d))) + math.log(1 - 1 / (1 + math.exp(-d)))

    low, high = up["interval_db"]
    top = loglik(10 * math.log10(3))
    assert 2 * (top - loglik(low)) == pytest.approx(2.705543, abs=1e-6)
    assert 2 * (top - loglik(high)) == pytest.approx(2.705543, abs=1e-6)
    assert low < 10 * math.log10(3) < high
    down = bins["≤ −6"]
    assert down["stated_db"] == pytest.approx(-10 * math.log10(4))
    assert down["realised_db"] == pytest.approx(10 * math.log10(4), abs=1e-5)
    assert "estimator" in result and "prior" in result["estimator"]
    analysts = {a["name"]: a for a in result["by_analyst"]}
    assert analysts["bob"]["scale"] is None and "5 needed" in analysts["bob"]["note"]
    assert {s["name"] for s in result["by_source"]} == {"report a", "report b"}


def test_bins_edges() -> None:
    assert [bin_of(w) for w in (-9, -6, -5.9, -2, -1.9, 1.99, 2, 5.9, 6, 20)] == [
        0,
        0,
        1,
        1,
        2,
        2,
        3,
        3,
        4,
        4,
    ]


def test_a_bin_whose_questions_all_resolved_yes_has_an_open_upper_end(db: Database) -> None:
    ids = [_question(db, 0.5, 3.0, True, "ann", "") for _ in range(3)]
    (only,) = lr_calibration(db, ids)["bins"]
    assert only["unbounded"] is True and only["interval_db"][1] is None
    assert only["interval_db"][0] is not None and only["interval_db"][0] > 0


def test_analyst_who_overstates_gets_a_scale_below_one(db: Database) -> None:
    # true LRs of 2 (3 dB) stated as 100 (20 dB): over many questions the scale is near 0.15
    rng = np.random.default_rng(3)
    ids = []
    for _ in range(150):
        direction = rng.random() < 0.5
        true_lr = 2.0 if direction else 0.5
        yes = bool(rng.random() < true_lr / (1 + true_lr))
        ids.append(_question(db, 0.5, 100.0 if direction else 0.01, yes, "carl", ""))
    (carl,) = lr_calibration(db, ids)["by_analyst"]
    assert carl["scale"] < 1 and carl["interval"][1] < 1
    assert carl["note"] == "stated weights overstated"


def test_extremizer_fit_recovers_the_exponent_and_is_none_below_twenty() -> None:
    rng = np.random.default_rng(2)
    x = rng.normal(0, 1, 2000)
    y = (rng.random(2000) < logistic.sigmoid(2.0 * x)).astype(float)
    fit = extremize_fit.fit_exponent(x, y)
    assert fit is not None and fit["interval"][0] < 2.0 < fit["interval"][1]
    assert extremize_fit.fit_exponent(x[:19], y[:19]) is None
    days = np.arange(2000, dtype=float)
    result = extremize_fit.out_of_sample(x, y, days, days + 0.5, fixed=1.0)
    assert result["n_scored"] == 2000 - 20
    assert result["fitted"]["log_score"] < result["geometric_mean_of_odds"]["log_score"]
