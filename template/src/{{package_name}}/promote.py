"""Enforce the gate: make the evaluated model the champion only when evaluate approved *it*.

Every check runs before anything is copied. The decision in reports/promotion.json must say
promote, name the sha256 of the model now in models/ (not a model trained after evaluate ran),
and have been judged against the champion now recorded (not an older one: a cached decision
that DVC restored for other params). Exits 1 (for CI) with the reasons otherwise.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

from . import champion
from .config import Paths


def refusals(paths: Paths, decision: dict, model: Path, metrics: dict) -> list[str]:
    if not decision["promote"]:
        return decision["reasons"]
    problems = []
    if champion.file_sha256(model) != decision["model_sha256"]:
        problems.append(f"{model} is not the model that was evaluated: run evaluate (dvc repro) first")
    current = champion.read(paths).model_sha256
    if current != decision["champion_sha256"]:
        problems.append(
            f"the decision was made against champion {decision['champion_sha256']}, the champion is now {current}:"
            " run evaluate (dvc repro) again"
        )
    if metrics.get(decision["metric"]) != decision["value"]:
        problems.append("reports/metrics.json does not match reports/promotion.json: run evaluate (dvc repro)")
    return problems


def install(source: Path, target_dir: Path) -> None:
    """Copy then rename: a server starting meanwhile never loads a half-written model."""
    partial = target_dir / f".{source.name}.partial"
    shutil.copyfile(source, partial)
    os.replace(partial, target_dir / source.name)


def run(paths: Paths) -> bool:
    decision = json.loads((paths.reports_dir / "promotion.json").read_text())
    metrics = json.loads((paths.reports_dir / "metrics.json").read_text())
    info = json.loads((paths.models_dir / "train_info.json").read_text())
    model = paths.models_dir / info["model_file"]
    problems = refusals(paths, decision, model, metrics)
    if problems:
        print("promote: rejected\n" + "\n".join(f"  - {p}" for p in problems), file=sys.stderr)
        return False
    paths.champion_dir.mkdir(parents=True, exist_ok=True)
    for source in (model, paths.models_dir / "model_card.md"):
        install(source, paths.champion_dir)
    # The record last: it is what names the champion, once its files are in place.
    champion.write(paths, champion.read(paths).succeeded_by(decision["model_sha256"], metrics))
    print(f"promote: {decision['metric']}={decision['value']:.4f} is the new champion")
    return True


def main() -> None:
    raise SystemExit(0 if run(Paths.from_env()) else 1)


if __name__ == "__main__":
    main()
