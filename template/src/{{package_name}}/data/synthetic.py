"""A deterministic synthetic churn dataset, with the defects real exports have.

`python -m <package>.data.synthetic` rewrites data/raw/customers.csv; the same seed gives the
same bytes, so the shipped sample can always be regenerated and checked.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import Paths
from ..features import ENTITY, EVENT_TIMESTAMP, TARGET

CONTRACT_EFFECT = {"monthly": 1.0, "annual": -0.6, "biennial": -1.6}
# The export's snapshot window: each row is one customer's features as of its event time.
WINDOW_START = pd.Timestamp("2025-01-01", tz="UTC")
WINDOW_SECONDS = 365 * 24 * 3600


def generate(rows: int = 2000, seed: int = 7, shift: float = 0.0) -> pd.DataFrame:
    """Clean rows; ``shift`` moves the live distribution (0 = like training) for drift tests."""
    rng = np.random.default_rng(seed)
    tenure = rng.integers(0, 73, rows)
    charges = (rng.uniform(20, 120, rows) * (1 + shift)).round(2)
    calls = rng.poisson(2 + 3 * shift, rows).clip(0, 50)
    age = rng.integers(18, 80, rows)
    contract = rng.choice(list(CONTRACT_EFFECT), rows, p=[0.5, 0.3, 0.2])
    usage = (rng.gamma(2.0, 40.0, rows) * (1 + shift)).clip(0, 10000).round(1)
    logit = (
        -0.9
        - 0.045 * tenure
        + 0.02 * (charges - 70)
        + 0.5 * calls
        + np.vectorize(CONTRACT_EFFECT.get)(contract)
        + rng.normal(0, 0.5, rows)
    )
    churned = (rng.random(rows) < 1 / (1 + np.exp(-logit))).astype(int)
    # Keys from their own stream, so the feature values do not depend on them: a unique customer id
    # per row and the time the row's values were true (what a feature store joins on).
    keys = np.random.default_rng([seed, 1])
    ids = keys.choice(9_000_000, rows, replace=False) + 1_000_000
    times = WINDOW_START + pd.to_timedelta(np.sort(keys.integers(0, WINDOW_SECONDS, rows)), unit="s")
    return pd.DataFrame(
        {
            ENTITY: ids,
            EVENT_TIMESTAMP: times,
            "tenure_months": tenure,
            "monthly_charges": charges,
            "support_calls": calls,
            "age": age,
            "contract": contract,
            "data_usage_gb": usage,
            TARGET: churned,
        }
    )


def add_defects(frame: pd.DataFrame, seed: int = 7) -> pd.DataFrame:
    """Missing values, unparsable numbers, messy labels and duplicates: what `prepare` cleans."""
    rng = np.random.default_rng(seed + 1)
    dirty = frame.astype(object)
    for column, share in (("monthly_charges", 0.01), ("data_usage_gb", 0.01), (TARGET, 0.005)):
        dirty.loc[rng.random(len(dirty)) < share, column] = None
    dirty.loc[rng.random(len(dirty)) < 0.005, "age"] = "unknown"
    messy = rng.random(len(dirty)) < 0.02
    dirty.loc[messy, "contract"] = dirty.loc[messy, "contract"].str.upper() + " "
    duplicates = dirty.sample(n=max(1, len(dirty) // 100), random_state=seed)
    return pd.concat([dirty, duplicates], ignore_index=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Paths.from_env().raw_dir / "customers.csv")
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    add_defects(generate(args.rows, args.seed), args.seed).to_csv(args.out, index=False)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
