"""Proper scores for probability forecasts.

- Brier (binary, 0..1): mean (p - o)^2.
- Original multi-category Brier (Brier 1950, 0..2): mean over forecasts of sum_j (p_j - o_j)^2;
  for a binary event it is twice the binary Brier.
- Log score: mean -ln p(realised outcome), natural log. Probabilities are clipped to
  [1e-15, 1 - 1e-15] first so a forecast of 0 on what happened scores 34.5, not infinity.
"""

from __future__ import annotations

import numpy as np

LOG_CLIP = 1e-15


def brier(p: np.ndarray, o: np.ndarray) -> float:
    """Binary Brier score, 0 (perfect) .. 1."""
    p, o = np.asarray(p, dtype=float), np.asarray(o, dtype=float)
    return float(np.mean((p - o) ** 2)) if p.size else float("nan")


def brier_multi(probs: np.ndarray, realised: np.ndarray) -> float:
    """Brier's original multi-category score, 0 .. 2: mean of sum_j (p_j - o_j)^2."""
    probs = np.asarray(probs, dtype=float)
    if probs.size == 0:
        return float("nan")
    outcome = np.zeros_like(probs)
    outcome[np.arange(probs.shape[0]), np.asarray(realised, dtype=np.int64)] = 1.0
    return float(np.mean(((probs - outcome) ** 2).sum(axis=1)))


def log_score(p: np.ndarray, o: np.ndarray, eps: float = LOG_CLIP) -> float:
    """Mean -ln p(realised) for binary events (p = P(event), o in {0, 1}); clipped to [eps, 1-eps]."""
    p, o = np.asarray(p, dtype=float), np.asarray(o, dtype=float)
    if p.size == 0:
        return float("nan")
    realised = np.clip(np.where(o > 0.5, p, 1.0 - p), eps, 1.0 - eps)
    return float(-np.mean(np.log(realised)))
