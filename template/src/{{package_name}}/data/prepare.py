"""Stage `prepare`: collect every CSV of data/raw/, clean it, split it into train and test (Parquet)."""

from __future__ import annotations

import pandas as pd
from sklearn.model_selection import train_test_split

from ..config import Paths, load_params
from ..features import CATEGORICAL, ENTITY, EVENT_TIMESTAMP, KEYS, NUMERIC, TARGET


def collect(paths: Paths) -> pd.DataFrame:
    files = sorted(paths.raw_dir.glob("*.csv"))
    if not files:
        raise SystemExit(f"prepare: no CSV file in {paths.raw_dir}")
    # Everything as text first: type coercion is a cleaning step, not a read-time guess.
    return pd.concat([pd.read_csv(f, dtype=str, keep_default_na=True) for f in files], ignore_index=True)


def clean(frame: pd.DataFrame) -> pd.DataFrame:
    """Coerce types, normalise labels (unknown ones are kept), drop rows without a target and duplicates."""
    frame = frame.rename(columns=str.strip)
    out = pd.DataFrame(index=frame.index)
    for name in NUMERIC:
        out[name] = pd.to_numeric(frame[name], errors="coerce")
    for name in CATEGORICAL:
        # Normalised, not filtered: an unknown label stays as it is, for `validate` to reject.
        # Treated as missing, it would be imputed with the most common label and hide a renamed category.
        out[name] = frame[name].astype("string").str.strip().str.lower()
    out[TARGET] = pd.to_numeric(frame[TARGET], errors="coerce")
    if KEYS:
        # The feature store's join keys: a row without a customer or a time cannot be looked up.
        out[ENTITY] = pd.to_numeric(frame[ENTITY], errors="coerce")
        out[EVENT_TIMESTAMP] = pd.to_datetime(frame[EVENT_TIMESTAMP], utc=True, errors="coerce")
    out = out.dropna(subset=[TARGET, *KEYS]).drop_duplicates().reset_index(drop=True)
    out[TARGET] = out[TARGET].astype(int)
    if KEYS:
        out[ENTITY] = out[ENTITY].astype("int64")
    return out


def impute(train: pd.DataFrame, test: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fill gaps with train-split statistics only, so the test split leaks nothing into training."""
    fills = {name: train[name].median() for name in NUMERIC}
    fills |= {name: train[name].mode().iloc[0] for name in CATEGORICAL}
    train, test = train.fillna(fills), test.fillna(fills)
    for name, (_, _, is_integer) in NUMERIC.items():
        if is_integer:
            train[name], test[name] = train[name].round().astype(int), test[name].round().astype(int)
    return train, test


def run(paths: Paths, params: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    cleaned = clean(collect(paths))
    train, test = train_test_split(
        cleaned,
        test_size=params["test_size"],
        random_state=params["seed"],
        stratify=cleaned[TARGET],
    )
    train, test = impute(train.reset_index(drop=True), test.reset_index(drop=True))
    paths.prepared_dir.mkdir(parents=True, exist_ok=True)
    # Parquet keeps the types prepare settled; the Spark engine writes the same names as datasets.
    train.to_parquet(paths.prepared_dir / "train.parquet", index=False)
    test.to_parquet(paths.prepared_dir / "test.parquet", index=False)
    return train, test


def main() -> None:
    paths = Paths.from_env()
    train, test = run(paths, load_params(paths)["prepare"])
    print(f"prepare: {len(train)} train rows, {len(test)} test rows -> {paths.prepared_dir}")


if __name__ == "__main__":
    main()
