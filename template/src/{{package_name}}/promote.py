"""Enforce the gate: copy the evaluated model to champion/ only when evaluate approved it.

Exits 1 (for CI) with the gate's reasons when the model must not replace the champion.
"""

from __future__ import annotations

import json
import shutil
import sys

from .config import Paths


def run(paths: Paths) -> bool:
    decision = json.loads((paths.reports_dir / "promotion.json").read_text())
    if not decision["promote"]:
        print("promote: rejected\n" + "\n".join(f"  - {r}" for r in decision["reasons"]), file=sys.stderr)
        return False
    info = json.loads((paths.models_dir / "train_info.json").read_text())
    paths.champion_dir.mkdir(parents=True, exist_ok=True)
    for source in (paths.models_dir / info["model_file"], paths.models_dir / "model_card.md"):
        shutil.copyfile(source, paths.champion_dir / source.name)
    shutil.copyfile(paths.reports_dir / "metrics.json", paths.champion_dir / "metrics.json")
    print(f"promote: {decision['metric']}={decision['value']:.4f} is the new champion")
    return True


def main() -> None:
    raise SystemExit(0 if run(Paths.from_env()) else 1)


if __name__ == "__main__":
    main()
