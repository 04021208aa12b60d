"""The feature contract: the ONE place a feature is defined. Validation (pandas and Spark), the
training matrix, the API's request model and the drift job all derive from it, and
tests/test_features.py fails when a feature name is written anywhere else in the package."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

TARGET = "churned"
# name -> (minimum, maximum, is_integer): the ranges pandera and the API both enforce.
NUMERIC: dict[str, tuple[float, float, bool]] = {
    "tenure_months": (0, 120, True),
    "monthly_charges": (0.0, 1000.0, False),
    "support_calls": (0, 50, True),
    "age": (18, 120, True),
    "data_usage_gb": (0.0, 10000.0, False),
}
CATEGORICAL: dict[str, tuple[str, ...]] = {
    "contract": ("monthly", "annual", "biennial"),
}
FEATURES = [*NUMERIC, *CATEGORICAL]
# What each feature means: the API's documentation (OpenAPI) shows it.
DESCRIPTIONS: dict[str, str] = {
    "tenure_months": "Months as a customer",
    "monthly_charges": "Monthly bill",
    "support_calls": "Support calls in the last quarter",
    "age": "Age of the customer in years",
    "data_usage_gb": "Data used last month, in GB",
    "contract": "Contract type",
}


def feature_names() -> list[str]:
    """Columns of the model matrix: numeric features, then one-hot categories."""
    one_hot = [f"{name}={level}" for name, levels in CATEGORICAL.items() for level in levels]
    return [*NUMERIC, *one_hot]


def matrix_from_frame(frame: pd.DataFrame) -> np.ndarray:
    """Model matrix of a validated frame (float32: the same input for sklearn and PyTorch)."""
    columns = [frame[name].to_numpy(dtype=np.float32) for name in NUMERIC]
    for name, levels in CATEGORICAL.items():
        values = frame[name].to_numpy()
        columns += [(values == level).astype(np.float32) for level in levels]
    return np.column_stack(columns)


def matrix_from_records(records: Iterable[Mapping]) -> np.ndarray:
    """Model matrix of API records, without pandas: it is on the serving hot path."""
    rows = []
    for record in records:
        row = [float(record[name]) for name in NUMERIC]
        for name, levels in CATEGORICAL.items():
            row += [1.0 if record[name] == level else 0.0 for level in levels]
        rows.append(row)
    return np.asarray(rows, dtype=np.float32)
