"""What a nudge writes: the item's likelihood ratio at one index scaled, its range with it.

A binary item is stored as (LR, 1), so a nudge multiplies its LR. A multi-outcome item's
likelihoods are probabilities P(e | outcome) in (0, 1]: a nudge multiplies the ratio of the
likelihood at ``index`` (the leading outcome) to every other one by ``factor``, then rescales the
whole item (point values and range ends alike) so that none passes 1. Ratios are what the engine
reads, so the rescale changes nothing else.
"""

from __future__ import annotations

from arguments.evidence import SINGLE_LR_KINDS, Evidence, EvidenceInputs

LR_STEP = 1.5
"""``+``/``-`` multiply the selected item's LR (or its leading outcome's likelihood ratio to the
others) by this."""


def nudge_inputs(item: Evidence, index: int, factor: float, *, kind: str) -> EvidenceInputs:
    """``item``'s likelihood at ``index`` (and its range's) times ``factor``, the rest kept; for a
    multi-outcome item (``kind`` is its question's) everything is then divided by the largest
    value if that is above 1."""

    def scaled(values: tuple[float, ...] | None) -> list[float] | None:
        if values is None:
            return None
        changed = list(values)
        changed[index] *= factor
        return changed

    point, low, high = scaled(item.likelihoods), scaled(item.range_low), scaled(item.range_high)
    if kind not in SINGLE_LR_KINDS and point is not None:
        top = max([*point, *(high or [])])
        if top > 1:
            point = [v / top for v in point]
            low = None if low is None else [v / top for v in low]
            high = None if high is None else [v / top for v in high]
    return EvidenceInputs(likelihoods=point, range_low=low, range_high=high)
