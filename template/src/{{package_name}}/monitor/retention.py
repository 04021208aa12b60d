"""Retention of the prediction log: rotate it, and delete rotated files older than the retention.

Run daily (a CronJob or scheduled CI job): `python -m <package>.monitor.retention`. The live log
is renamed to `<name>.<UTC time>`; the servers write through logging's WatchedFileHandler, which
notices the rename and starts a new file. A rotated file whose last write is older than the retention
(params.yaml `monitor.log_retention_days`, the project's data_retention_days answer) is deleted,
so no record outlives it by more than one rotation period.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from ..config import Paths, load_params

DAY = 86_400


def rotated(log: Path) -> list[Path]:
    """Rotated files of ``log``, oldest first (the UTC suffix sorts by time)."""
    return sorted(log.parent.glob(f"{log.name}.*"))


def rotate(log: Path, now: float) -> Path | None:
    if not log.is_file() or log.stat().st_size == 0:
        return None
    target = log.with_name(f"{log.name}.{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime(now))}")
    os.replace(log, target)
    return target


def prune(log: Path, days: int, now: float) -> list[Path]:
    expired = [file for file in rotated(log) if file.stat().st_mtime < now - days * DAY]
    for file in expired:
        file.unlink()
    return expired


def main(argv: list[str] | None = None) -> int:
    paths = Paths.from_env()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log", type=Path, default=paths.prediction_log)
    days = load_params(paths)["monitor"]["log_retention_days"]
    parser.add_argument("--days", type=int, default=days, help="retention in days")
    args = parser.parse_args(argv)
    now = time.time()
    moved = rotate(args.log, now)
    expired = prune(args.log, args.days, now)
    print(f"retention: rotated {moved or 'nothing'}; deleted {len(expired)} file(s) older than {args.days} days")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
