"""The drift job: compare a window of live features with the training reference, per feature.

A feature drifts when its PSI exceeds the PSI threshold or its KS p-value falls below the KS
threshold (both in params.yaml). Writes reports/drift.json and reports/drift.html and exits 1
on drift, so a scheduled CI job fails and alerts.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from ..config import Paths, load_params
from ..features import CATEGORICAL, FEATURES, NUMERIC
from . import report, stats


def read_current(path: Path, window: int) -> pd.DataFrame:
    """The last ``window`` rows of the prediction log (JSONL) or of a CSV of features."""
    if path.suffix == ".jsonl":
        with path.open(encoding="utf-8") as lines:
            records = [json.loads(line)["features"] for line in lines if line.strip()]
        frame = pd.DataFrame.from_records(records, columns=FEATURES)
    else:
        frame = pd.read_csv(path, usecols=FEATURES)
    return frame.tail(window).reset_index(drop=True)


def detect(reference: pd.DataFrame, current: pd.DataFrame, params: dict) -> dict:
    features = {}
    for name in NUMERIC:
        ref, cur = reference[name].to_numpy(float), current[name].to_numpy(float)
        features[name] = {"psi": stats.psi_numeric(ref, cur, params["bins"]), "ks_pvalue": stats.ks_pvalue(ref, cur)}
    for name in CATEGORICAL:  # KS needs an order: categories get PSI only
        ref, cur = reference[name].astype(str).to_numpy(), current[name].astype(str).to_numpy()
        features[name] = {"psi": stats.psi_categorical(ref, cur), "ks_pvalue": None}
    for result in features.values():
        result["drifted"] = bool(
            result["psi"] > params["psi_threshold"]
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
    parser.add_argument("--reference", type=Path, default=paths.validated_dir / "train.csv")
    parser.add_argument("--current", type=Path, default=paths.prediction_log, help="JSONL log or CSV")
    parser.add_argument("--window", type=int, default=params["window"], help="latest rows to compare")
    parser.add_argument("--out", type=Path, default=paths.reports_dir, help="folder of drift.json/html")
    args = parser.parse_args(argv)
    current = read_current(args.current, args.window)
    if len(current) < params["min_rows"]:
        print(f"drift: only {len(current)} live rows (< {params['min_rows']}); not enough to judge", file=sys.stderr)
        return 0
    result = detect(pd.read_csv(args.reference, usecols=FEATURES), current, params)
    report.write_json(result, args.out / "drift.json")
    report.write_html(result, args.out / "drift.html")
    if result["drift"]:
        print(f"drift: DETECTED in {', '.join(result['drifted_features'])}", file=sys.stderr)
        return 1
    print(f"drift: none across {len(result['features'])} features ({len(current)} live rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
