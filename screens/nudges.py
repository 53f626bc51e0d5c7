"""What a nudge writes: the item's likelihoods (and their range) scaled at one index."""

from __future__ import annotations

from arguments.evidence import Evidence, EvidenceInputs


def nudge_inputs(item: Evidence, index: int, factor: float) -> EvidenceInputs:
    """``item``'s likelihood at ``index`` (and its range's) times ``factor``, the rest kept."""

    def scaled(values: tuple[float, ...] | None) -> list[float] | None:
        if values is None:
            return None
        changed = list(values)
        changed[index] *= factor
        return changed

    return EvidenceInputs(
        likelihoods=scaled(item.likelihoods),
        range_low=scaled(item.range_low),
        range_high=scaled(item.range_high),
    )
