"""Drift statistics per feature: population stability index and Kolmogorov-Smirnov."""

from __future__ import annotations

import numpy as np
from scipy import stats

EPSILON = 1e-4  # stands in for an empty bin: PSI's log is undefined at 0


def psi_from_shares(expected: np.ndarray, actual: np.ndarray) -> float:
    expected, actual = np.clip(expected, EPSILON, None), np.clip(actual, EPSILON, None)
    return float(np.sum((actual - expected) * np.log(actual / expected)))


def psi_numeric(reference: np.ndarray, current: np.ndarray, bins: int = 10) -> float:
    """PSI over the reference's quantile bins (equal-mass bins are robust to skewed features)."""
    edges = np.unique(np.quantile(reference, np.linspace(0, 1, bins + 1)))
    edges[0], edges[-1] = -np.inf, np.inf
    expected = np.histogram(reference, edges)[0] / len(reference)
    actual = np.histogram(current, edges)[0] / len(current)
    return psi_from_shares(expected, actual)


def psi_categorical(reference: np.ndarray, current: np.ndarray) -> float:
    levels = np.union1d(np.unique(reference), np.unique(current))
    expected = np.array([np.mean(reference == level) for level in levels])
    actual = np.array([np.mean(current == level) for level in levels])
    return psi_from_shares(expected, actual)


def ks_pvalue(reference: np.ndarray, current: np.ndarray) -> float:
    return float(stats.ks_2samp(reference, current).pvalue)
