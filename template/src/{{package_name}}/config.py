"""Project paths and parameters: the one place every stage reads them from."""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml


@dataclass(frozen=True)
class Paths:
    """Where each stage reads and writes, relative to one project root (tests use a temp root)."""

    root: Path

    @classmethod
    def from_env(cls) -> Paths:
        # PROJECT_ROOT lets a container or a CI job run the stages from any working directory.
        return cls(Path(os.environ.get("PROJECT_ROOT", Path.cwd())).resolve())

    @property
    def params(self) -> Path:
        return self.root / "params.yaml"

    @property
    def raw_dir(self) -> Path:
        return self.root / "data" / "raw"

    @property
    def prepared_dir(self) -> Path:
        return self.root / "data" / "prepared"

    @property
    def validated_dir(self) -> Path:
        return self.root / "data" / "validated"

    @property
    def models_dir(self) -> Path:
        return self.root / "models"

    @property
    def champion_dir(self) -> Path:
        return self.root / "champion"

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @property
    def plots_dir(self) -> Path:
        return self.reports_dir / "plots"

    @property
    def prediction_log(self) -> Path:
        return Path(os.environ.get("PREDICTION_LOG", self.root / "logs" / "predictions.jsonl"))


def load_params(paths: Paths) -> dict:
    """params.yaml as a dict: DVC tracks the same file, so a change reruns the stages using it."""
    return yaml.safe_load(paths.params.read_text())


def seed_everything(seed: int) -> None:
    """Seed every random generator the stages use, so reruns give the same model."""
    random.seed(seed)
    np.random.seed(seed)
