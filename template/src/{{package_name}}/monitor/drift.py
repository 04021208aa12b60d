"""The drift job: compare a window of live features with the training reference, per feature.

A feature drifts when its PSI exceeds the PSI threshold or its KS p-value falls below the KS
threshold (both in params.yaml). Writes reports/drift.json and reports/drift.html, and the result
as Prometheus metrics (reports/drift.prom, and a Pushgateway if DRIFT_PUSHGATEWAY is set: export.py).
Exit codes: 0 no drift (or too few live rows to judge), 1 drift, so a scheduled CI job fails and
alerts; 2 an input cannot be read, with a message that names the file and what is wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from ..config import Paths, load_params
from ..features import CATEGORICAL, FEATURES, NUMERIC
from . import export, report, retention, stats


class InputError(Exception):
    """An input file is missing or not in the expected form."""


def read_current(path: Path, window: int) -> pd.DataFrame:
    """The last ``window`` rows of the prediction log (JSONL, with its rotated files) or of a CSV of features."""
    if path.suffix != ".jsonl":
        return read_features(path).tail(window).reset_index(drop=True)
    if not path.is_file():
        raise InputError(f"{path}: cannot read the prediction log (no such file)")
    latest: deque[dict] = deque(maxlen=window)  # memory for the window only, however long the log
    for file in [*retention.rotated(path), path]:
        latest.extend(_records(file))
    return pd.DataFrame.from_records(list(latest), columns=FEATURES)


def _records(path: Path) -> Iterator[dict]:
    try:
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                try:
                    features = _features_of(line, path, number)
                except InputError:
                    if line.endswith("\n"):
                        raise
                    continue  # a torn last line: a server is writing it, or died while writing it
                yield features
    except OSError as error:
        raise InputError(f"{path}: cannot read the prediction log ({error.strerror})") from error


def _features_of(line: str, path: Path, number: int) -> dict:
    try:
        features = json.loads(line)["features"]
    except (ValueError, KeyError, TypeError) as error:
        raise InputError(f"{path}:{number}: expected a JSON object with a 'features' object") from error
    missing = [name for name in FEATURES if name not in features]
    if missing:
        raise InputError(f"{path}:{number}: features {', '.join(missing)} are missing")
    return features


def read_features(path: Path) -> pd.DataFrame:
    """The feature columns of a CSV file or a Parquet dataset (the validated training data)."""
    try:
        if path.suffix == ".parquet":
            return pd.read_parquet(path, columns=FEATURES)
        return pd.read_csv(path, usecols=FEATURES)
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from error
    except ValueError as error:  # pandas: missing columns or a malformed file
        raise InputError(f"{path}: expected a CSV with the columns {', '.join(FEATURES)} ({error})") from error


def detect(reference: pd.DataFrame, current: pd.DataFrame, params: dict) -> dict:
    features = {}
    for name in NUMERIC:
        # Missing live values (a CSV with gaps) are left out of the statistics, which NaN would poison.
        ref, cur = reference[name].dropna().to_numpy(float), current[name].dropna().to_numpy(float)
        if len(cur) == 0:  # nothing left to compare: report it as drifted, without statistics
            features[name] = {"psi": None, "ks_pvalue": None, "missing": len(current)}
            continue
        features[name] = {
            "psi": stats.psi_numeric(ref, cur, params["bins"]),
            "ks_pvalue": stats.ks_pvalue(ref, cur),
            "missing": len(current) - len(cur),
        }
    for name in CATEGORICAL:  # KS needs an order: categories get PSI only
        ref, cur = reference[name].astype(str).to_numpy(), current[name].astype(str).to_numpy()
        features[name] = {"psi": stats.psi_categorical(ref, cur), "ks_pvalue": None, "missing": 0}
    for result in features.values():
        result["drifted"] = bool(
            result["psi"] is None
            or result["psi"] > params["psi_threshold"]
            or (result["ks_pvalue"] is not None and result["ks_pvalue"] < params["ks_pvalue_threshold"])
        )
    return {
        "drift": any(f["drifted"] for f in features.values()),
        "drifted_features": [name for name, f in features.items() if f["drifted"]],
        "reference_rows": len(reference),
        "current_rows": len(current),
        "psi_threshold": params["psi_threshold"],
        "ks_pvalue_threshold": params["ks_pvalue_threshold"],
        "features": features,
    }


def main(argv: list[str] | None = None) -> int:
    paths = Paths.from_env()
    params = load_params(paths)["monitor"]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=paths.validated_dir / "train.parquet")
    parser.add_argument("--current", type=Path, default=paths.prediction_log, help="JSONL log or CSV")
    parser.add_argument("--window", type=int, default=params["window"], help="latest rows to compare")
    parser.add_argument("--out", type=Path, default=paths.reports_dir, help="folder of drift.json/html")
    parser.add_argument(
        "--metrics-file", type=Path, help="Prometheus textfile of the result (default: drift.prom in --out)"
    )
    args = parser.parse_args(argv)
    try:
        current = read_current(args.current, args.window)
        reference = read_features(args.reference)
    except InputError as error:
        print(f"drift: {error}", file=sys.stderr)
        return 2
    if len(current) < params["min_rows"]:
        print(f"drift: only {len(current)} live rows (< {params['min_rows']}); not enough to judge", file=sys.stderr)
        return 0
    result = detect(reference, current, params)
    report.write_json(result, args.out / "drift.json")
    report.write_html(result, args.out / "drift.html")
    export.export(result, args.metrics_file or args.out / "drift.prom")
    if result["drift"]:
        print(f"drift: DETECTED in {', '.join(result['drifted_features'])}", file=sys.stderr)
        return 1
    print(f"drift: none across {len(result['features'])} features ({len(current)} live rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
