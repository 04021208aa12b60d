"""The prediction log: one JSON line per prediction, the input of the drift job."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path


class PredictionLog:
    """Appends JSON lines; line-buffered so a crash loses at most the line being written."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._file = path.open("a", buffering=1, encoding="utf-8")
        self._lock = threading.Lock()

    def write(self, features: dict, variant: str, model_version: str, probability: float, **extra) -> None:
        record = {
            "ts": time.time(),
            "variant": variant,
            "model_version": model_version,
            "features": features,
            "probability": round(probability, 6),
            **extra,
        }
        line = json.dumps(record, separators=(",", ":")) + "\n"
        with self._lock:
            self._file.write(line)

    def close(self) -> None:
        self._file.close()
