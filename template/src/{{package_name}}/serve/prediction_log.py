"""The prediction log: one JSON line per prediction, the input of the drift job.

Purpose (docs/access-control.md): drift monitoring and the offline comparison of model variants.
It holds no direct identifier: a user id is replaced by its HMAC-SHA256 under a secret key
(PREDICTION_LOG_KEY, from the secret store), a pseudonym that is stable for A/B analysis but
cannot be reversed or recomputed without the key. Without a key, user ids are not logged at all.
Retention: monitor/retention.py rotates the file and deletes what is older than the retention.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from logging.handlers import WatchedFileHandler
from pathlib import Path


class PredictionLog:
    """Appends JSON lines through WatchedFileHandler.

    The handler reopens the file when it was moved away (rotation), instead of writing on into
    the renamed file, and flushes every line, so a crash loses at most the line being written.
    """

    def __init__(self, path: Path, key: bytes | None):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._key = key
        self._handler = WatchedFileHandler(path, encoding="utf-8")

    def pseudonym(self, user_id: str | None) -> str | None:
        if user_id is None or self._key is None:
            return None
        return hmac.new(self._key, user_id.encode(), hashlib.sha256).hexdigest()

    def write(
        self,
        features: dict,
        variant: str,
        model_version: str,
        probability: float,
        user_id: str | None = None,
        **extra,
    ) -> None:
        record = {
            "ts": time.time(),
            "variant": variant,
            "model_version": model_version,
            "features": features,
            "probability": round(probability, 6),
            "user": self.pseudonym(user_id),
            **extra,
        }
        line = json.dumps(record, separators=(",", ":"))
        # The handler's lock serialises threads; its default format is the message alone.
        self._handler.handle(logging.makeLogRecord({"msg": line}))

    def close(self) -> None:
        self._handler.close()
