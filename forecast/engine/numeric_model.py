"""A numeric or date question's model: its live evidence items read from the workspace, the
posterior over the range's bins (``forecast.engine.numeric_bayes``), and what ``question show``
says of it: median, 50% and 90% intervals, P(above / below) each evidence threshold, and per
item how the median and the 90% interval move without it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from sqlite_utils import Database

from questions import numeric as nm
from questions import numeric_store
from questions.numeric import Floats, NumericRange

from .numeric_bayes import Item, Posterior, posterior, quantiles_rows, uniform_prior
from .numeric_uncertainty import lr_ranges, posterior_spread

PriorKind = Literal["uniform", "team"]


@dataclass(frozen=True)
class NumericModel:
    question_id: int
    rng: NumericRange
    prior_kind: str
    prior: Floats
    item_ids: list[int]
    items: list[Item]
    result: Posterior

    def prob_above(self, x: float) -> float:
        return 1.0 - nm.pit_value(self.rng, self.result.cdf, x)

    def prob_below(self, x: float) -> float:
        return nm.pit_value(self.rng, self.result.cdf, x)


def load_items(db: Database, qid: int) -> tuple[list[int], list[Item]]:
    rows = db.execute(
        "select e.id, n.form, n.a, n.b, n.sd, e.likelihoods, e.credibility, e.group_name, g.rho"
        " from evidence e join numeric_evidence n on n.evidence_id = e.id"
        " left join evidence_groups g on g.question_id = e.question_id and g.name = e.group_name"
        " where e.question_id = ? and e.removed_at is null order by e.id",
        [qid],
    ).fetchall()
    ids, items = [], []
    for eid, form, a, b, sd, likelihoods, credibility, group, rho in rows:
        lr = float(likelihoods.strip("[]").split(",")[0])
        ids.append(eid)
        items.append(Item(form, a, b, lr, sd, credibility, group, rho))
    return ids, items


def team_prior(db: Database, qid: int, rng: NumericRange) -> Floats | None:
    """The linear pool of the standing forecasts as bin masses (None without forecasts)."""
    latest = numeric_store.latest_numeric(numeric_store.numeric_forecasts(db, qid))
    return pooled_prior(rng, [f.cdf for f in latest.values()])


def pooled_prior(rng: NumericRange, cdfs: Sequence[Floats]) -> Floats | None:
    """The linear pool (mean of the CDFs) of the given forecasts as bin masses, with a floor of
    1e-6 on every possible bin so that evidence can still move mass where nobody put any (None
    without forecasts)."""
    if not len(cdfs):
        return None
    masses = nm.bin_masses(nm.linear_pool(np.array(cdfs)))
    floor = np.where(uniform_prior(rng) > 0, 1e-6, 0.0)
    masses = masses + floor
    return np.asarray(masses / masses.sum(), dtype=float)


def numeric_model(db: Database, ref: str | int, *, prior: PriorKind | None = None) -> NumericModel:
    """The question's model; ``prior`` None takes the question's own setting (``question add
    --prior team``), which falls back to uniform while nobody has forecast."""
    qid = numeric_store.question_id(db, ref)
    rng = numeric_store.numeric_range(db, qid)
    if prior is None:
        prior = "team" if numeric_store.numeric_prior(db, qid) == "team" else "uniform"
    prior_masses = team_prior(db, qid, rng) if prior == "team" else None
    kind = "team" if prior_masses is not None else "uniform"
    if prior_masses is None:
        prior_masses = uniform_prior(rng)
    ids, items = load_items(db, qid)
    return NumericModel(
        qid, rng, kind, prior_masses, ids, items, posterior(rng, prior_masses, items)
    )


def _show(rng: NumericRange, value: float) -> float | str:
    return nm.value_to_date(value) if rng.is_date else float(f"{value:.6g}")


def model_json(
    db: Database, ref: str | int, *, prior: PriorKind | None = None
) -> dict[str, Any] | None:
    """The model's part of ``question show --json`` (None while the question has no evidence)."""
    model = numeric_model(db, ref, prior=prior)
    if not model.items:
        return None
    rng = model.rng
    post = nm.shown_summary(rng, model.result.cdf)
    base = quantiles_rows(rng, model.result.cdf, [0.05, 0.5, 0.95])[0]
    loo = model.result.loo_quantiles
    thresholds = sorted(
        {i.a for i in model.items if i.form != "measured"}
        | {i.b for i in model.items if i.form == "between" and i.b is not None}
    )
    sensitivity = []
    for eid, item, (q05, q50, q95) in zip(model.item_ids, model.items, loo, strict=True):
        sensitivity.append(
            {
                "id": f"E{eid}",
                "form": item.form,
                "median_without": _show(rng, q50),
                "interval_90_without": [_show(rng, q05), _show(rng, q95)],
                "median_shift": None if rng.is_date else float(f"{base[1] - q50:.6g}"),
                "median_shift_days": round(base[1] - q50, 1) if rng.is_date else None,
            }
        )
    data: dict[str, Any] = {
        "prior": model.prior_kind,
        "evidence_items": len(model.items),
        "posterior": post,
        "thresholds": [
            {
                "value": _show(rng, x),
                "p_below": round(model.prob_below(x), 6),
                "p_above": round(max(model.prob_above(x), 0.0), 6),
            }
            for x in thresholds
        ],
        "sensitivity": sensitivity,
    }
    spread = posterior_spread(
        rng, model.result.masses, model.items, lr_ranges(db, model.question_id, model.item_ids)
    )
    if spread is not None:
        data["lr_ranges"] = {
            "items": spread.items,
            "draws": spread.draws,
            "median_90": [_show(rng, v) for v in spread.median],
            "q05_90": [_show(rng, v) for v in spread.q05],
            "q95_90": [_show(rng, v) for v in spread.q95],
        }
    return data
