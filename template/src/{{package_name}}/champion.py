"""The champion record: which model is in production, its metrics, and the best metrics so far.

`champion/metrics.json` is committed to git, so every promotion is a reviewable diff. It exists
from the first commit (with no model), because `evaluate` declares it as a DVC dependency and DVC
refuses to run a stage whose dependency is missing: a new champion then re-runs the gate.
The model file itself lives next to it, ignored by git; the record's sha256 names it.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .config import Paths


@dataclass(frozen=True)
class Champion:
    model_sha256: str | None = None  # None: nothing promoted yet
    metrics: dict[str, float] = field(default_factory=dict)
    # Per metric, the best value any champion reached: the gate's floor, so many small
    # drops within the tolerance cannot add up to a large one.
    best: dict[str, float] = field(default_factory=dict)

    def succeeded_by(self, model_sha256: str, metrics: dict[str, float]) -> Champion:
        best = {name: max(value, self.best.get(name, value)) for name, value in metrics.items()}
        return Champion(model_sha256, dict(metrics), best)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def record_path(paths: Paths) -> Path:
    return paths.champion_dir / "metrics.json"


def read(paths: Paths) -> Champion:
    file = record_path(paths)
    return Champion(**json.loads(file.read_text())) if file.exists() else Champion()


def write(paths: Paths, champion: Champion) -> None:
    """Replace the record atomically: a reader sees the old record or the new one, never half."""
    file = record_path(paths)
    file.parent.mkdir(parents=True, exist_ok=True)
    partial = file.with_suffix(".json.partial")
    partial.write_text(json.dumps(asdict(champion), indent=2, sort_keys=True) + "\n")
    os.replace(partial, file)
