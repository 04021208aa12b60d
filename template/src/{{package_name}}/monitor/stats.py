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
    if len(edges) < 3:
        # Fewer than two bins: the reference is (near-)constant, and one bin would always give 0.
        return psi_mass_points(reference, current, 1 / bins)
    edges[0], edges[-1] = -np.inf, np.inf
    expected = np.histogram(reference, edges)[0] / len(reference)
    actual = np.histogram(current, edges)[0] / len(current)
    return psi_from_shares(expected, actual)


def psi_mass_points(reference: np.ndarray, current: np.ndarray, min_share: float) -> float:
    """PSI over the shares of the reference's common values (each >= min_share) and of all others."""
    values, counts = np.unique(reference, return_counts=True)
    points = values[counts >= min_share * len(reference)]
    expected = np.array([np.mean(reference == point) for point in points])
    actual = np.array([np.mean(current == point) for point in points])
    return psi_from_shares(np.append(expected, 1 - expected.sum()), np.append(actual, 1 - actual.sum()))


def psi_categorical(reference: np.ndarray, current: np.ndarray) -> float:
    levels = np.union1d(np.unique(reference), np.unique(current))
    expected = np.array([np.mean(reference == level) for level in levels])
    actual = np.array([np.mean(current == level) for level in levels])
    return psi_from_shares(expected, actual)


def ks_pvalue(reference: np.ndarray, current: np.ndarray) -> float:
    return float(stats.ks_2samp(reference, current).pvalue)
