"""Stage `validate`: check prepared data against the schema; on failure report and write nothing."""

from __future__ import annotations

import shutil
import sys

import pandas as pd
import pandera.pandas as pa

from ..config import Paths, load_params
from .schema import build_schema


class ValidationFailed(Exception):
    """Raised with a readable, multi-line report of every failed check."""


def report(name: str, error: pa.errors.SchemaErrors, limit: int = 20) -> str:
    cases = error.failure_cases
    lines = [f"{name}: {len(cases)} failed check(s)"]
    for row in cases.head(limit).itertuples():
        where = f"column '{row.column}'" if isinstance(row.column, str) else "table"
        index = "" if pd.isna(row.index) else f" at row {row.index}"
        lines.append(f"  - {where}: {row.check} failed for value {row.failure_case!r}{index}")
    if len(cases) > limit:
        lines.append(f"  ... and {len(cases) - limit} more")
    return "\n".join(lines)


def run(paths: Paths, params: dict) -> None:
    schema = build_schema(params["min_class_share"])
    frames, problems = {}, []
    for split in ("train", "test"):
        frame = pd.read_parquet(paths.prepared_dir / f"{split}.parquet")
        try:
            frames[split] = schema.validate(frame, lazy=True)  # lazy: report every failure at once
        except pa.errors.SchemaErrors as error:
            problems.append(report(f"{split}.parquet", error))
    if problems:
        raise ValidationFailed("\n".join(problems))
    # Only valid data reaches data/validated/, which is what `train` depends on.
    paths.validated_dir.mkdir(parents=True, exist_ok=True)
    for split in frames:
        shutil.copyfile(paths.prepared_dir / f"{split}.parquet", paths.validated_dir / f"{split}.parquet")


def main() -> None:
    paths = Paths.from_env()
    try:
        run(paths, load_params(paths)["validate"])
    except ValidationFailed as failure:
        print(f"validate: data rejected\n{failure}", file=sys.stderr)
        raise SystemExit(1) from None
    print(f"validate: data accepted -> {paths.validated_dir}")


if __name__ == "__main__":
    main()
