"""The numeric and date parts of a bundle (schema version 3): a question's range, an evidence
item's form over it, and the checks a numeric question's forecasts, evidence and resolution pass.

Values are in the question's natural units; a date question's are days since 1970-01-01 (as the
workspace stores them). A forecast's CDF on the 201-point grid is the stored truth (what the
forecaster typed travels beside it, but is not fitted again), so a round trip is exact.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from questions.numeric import GRID_POINTS

if TYPE_CHECKING:
    from forecast.exchange.bundle_models import BundleQuestion

Finite = Annotated[float, Field(allow_inf_nan=False)]
CDF_TOLERANCE = 1e-9


class BundleNumericRange(BaseModel):
    """A numeric or date question's range, scale and prior."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    lo: Finite
    hi: Finite
    unit: Annotated[str, Field(max_length=60)] = ""
    log: bool = False
    open_lower: bool = False
    open_upper: bool = False
    prior: Literal["uniform", "team"] = "uniform"
    """The model's prior: uniform in the question's scale, or the team's linear pool."""

    @model_validator(mode="after")
    def _ordered(self) -> BundleNumericRange:
        if not self.hi > self.lo:
            raise ValueError("hi: must be above lo")
        if self.log and self.lo <= 0:
            raise ValueError("lo: a log-scale range needs lo > 0")
        return self

    def outside(self, x: float) -> bool:
        return (x < self.lo and not self.open_lower) or (x > self.hi and not self.open_upper)


class BundleNumericForm(BaseModel):
    """An evidence item's form over the range: a step above/below/between with its LR, or a
    measured value with a standard deviation."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    form: Literal["above", "below", "between", "measured"]
    a: Finite
    b: Finite | None = None
    sd: Annotated[float, Field(gt=0.0, allow_inf_nan=False)] | None = None

    @model_validator(mode="after")
    def _shape(self) -> BundleNumericForm:
        if self.form == "measured" and self.sd is None:
            raise ValueError("sd: a measured item needs its standard deviation (> 0)")
        if self.form != "measured" and self.sd is not None:
            raise ValueError("sd: only a measured item has one")
        if self.form == "between" and (self.b is None or not self.b > self.a):
            raise ValueError("b: a between item needs b above a")
        if self.form != "between" and self.b is not None:
            raise ValueError("b: only a between item has one")
        return self


def _check_cdf(i: int, cdf: list[float], rng: BundleNumericRange) -> None:
    where = f"forecasts[{i}].cdf"
    if len(cdf) != GRID_POINTS:
        raise ValueError(f"{where}: {GRID_POINTS} values (the CDF on the grid), not {len(cdf)}")
    for j in range(1, len(cdf)):
        if cdf[j] < cdf[j - 1] - CDF_TOLERANCE:
            raise ValueError(f"{where}: values must not decrease ({cdf[j - 1]:g} then {cdf[j]:g})")
    if not rng.open_lower and cdf[0] > CDF_TOLERANCE:
        raise ValueError(f"{where}: the first value is 0 (the lower bound is closed)")
    if not rng.open_upper and cdf[-1] < 1 - CDF_TOLERANCE:
        raise ValueError(f"{where}: the last value is 1 (the upper bound is closed)")


def check_numeric_question(q: BundleQuestion) -> None:
    """Everything a numeric or date question's parts must agree on (ValueError names the field)."""
    rng = q.numeric
    if rng is None or q.kind not in ("numeric", "date"):
        raise ValueError("numeric: a numeric or date question has a range, and only they do")
    if q.kind == "date" and (rng.log or rng.unit):
        raise ValueError("numeric.log: a date question has no log scale and no unit")
    if q.outcomes or q.prior_history or q.resolved_outcome:
        raise ValueError("outcomes: a numeric or date question has none (nor priors over them)")
    if q.conditions or q.conditional_forecasts or q.indicators:
        raise ValueError("conditions: a numeric or date question has no links")
    for i, forecast in enumerate(q.forecasts):
        if forecast.probs:
            raise ValueError(f"forecasts[{i}].probs: a numeric forecast has a cdf instead")
        if forecast.cdf is None:
            raise ValueError(f"forecasts[{i}].cdf: a numeric forecast needs its CDF")
        _check_cdf(i, forecast.cdf, rng)
    if len({(f.forecaster, f.made_at) for f in q.forecasts}) != len(q.forecasts):
        raise ValueError("forecasts: one forecast per forecaster and time")
    values = [("resolved_value", q.resolved_value)] + [
        (f"resolutions[{i}].value", r.value) for i, r in enumerate(q.resolutions)
    ]
    for where, value in values:
        if value is not None and rng.outside(value):
            raise ValueError(
                f"{where}: outside the question's closed range {rng.lo:g} .. {rng.hi:g}"
            )
    for i, item in enumerate(q.evidence):
        _check_item(i, item.numeric, item.likelihoods, item.range_low, rng)
    for i, node in enumerate(q.tree):
        if node.outcome is not None:
            raise ValueError(f"tree[{i}].outcome: a numeric question has no outcomes")


def _check_item(
    i: int,
    form: BundleNumericForm | None,
    likelihoods: list[float],
    range_low: list[float] | None,
    rng: BundleNumericRange,
) -> None:
    where = f"evidence[{i}]"
    if form is None:
        raise ValueError(f"{where}.numeric: an item on a numeric question needs its form")
    if len(likelihoods) != 2 or not likelihoods[0] > 0 or likelihoods[1] != 1:
        raise ValueError(f"{where}.likelihoods: the pair [LR, 1] with LR > 0")
    if form.form == "measured":
        if likelihoods[0] != 1:
            raise ValueError(f"{where}.likelihoods: a measured item's pair is [1, 1] (no LR)")
        if range_low is not None:
            raise ValueError(f"{where}.range_low: a measured item has no LR range (its sd says it)")
        return
    for name, value in (("a", form.a), ("b", form.b)):
        if value is not None and not rng.lo <= value <= rng.hi:
            raise ValueError(
                f"{where}.numeric.{name}: {value:g} is outside the range {rng.lo:g} .. {rng.hi:g}"
            )
