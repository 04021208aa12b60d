"""The pandera schema of prepared data: types, ranges, nulls and class balance."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ..features import CATEGORICAL, ENTITY, EVENT_TIMESTAMP, KEYS, NUMERIC, TARGET


def build_schema(min_class_share: float) -> pa.DataFrameSchema:
    columns = {
        name: pa.Column(
            int if is_integer else float,
            pa.Check.in_range(low, high),
            nullable=False,
            coerce=not is_integer,  # ints may be read as int64 or float64; floats accept ints
        )
        for name, (low, high, is_integer) in NUMERIC.items()
    }
    columns |= {name: pa.Column(str, pa.Check.isin(levels), nullable=False) for name, levels in CATEGORICAL.items()}
    columns[TARGET] = pa.Column(int, pa.Check.isin([0, 1]), nullable=False)
    if KEYS:
        # One row per customer and time: the feature store would otherwise serve either of two values.
        columns[ENTITY] = pa.Column(int, pa.Check.ge(0), nullable=False)
        columns[EVENT_TIMESTAMP] = pa.Column(pd.DatetimeTZDtype(tz="UTC"), nullable=False, coerce=True)
    balance = pa.Check(
        lambda df: df[TARGET].value_counts(normalize=True).reindex([0, 1], fill_value=0).min() >= min_class_share,
        error=f"class balance: each class of '{TARGET}' must be at least {min_class_share:.0%} of the rows",
    )
    return pa.DataFrameSchema(columns, checks=[balance], strict=True, unique=list(KEYS) or None)
