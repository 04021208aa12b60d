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
import os
import queue
import threading
import time
import uuid
from logging.handlers import WatchedFileHandler
from pathlib import Path

_STOP = object()
log = logging.getLogger(__name__)


class PredictionLog:
    """Queues each prediction on the request path; a writer thread formats and appends them.

    Writing on the request path (a stat for rotation, a write and a flush per line, plus the JSON
    and the HMAC) cost more than the prediction itself. The writer wakes every ``interval``
    seconds and appends everything queued since, in one write and one flush, through
    WatchedFileHandler: it reopens the file when it was moved away (rotation) instead of
    writing on into the renamed file. close() (the app's shutdown) writes everything still
    queued before it returns; a crash loses at most the last ``interval`` of predictions.
    """

    def __init__(self, path: Path, key: bytes | None, interval: float = 0.05):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._key = key
        self._interval = interval
        self._handler = WatchedFileHandler(path, encoding="utf-8")
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._writer = threading.Thread(target=self._write_batches, name="prediction-log", daemon=True)
        self._writer.start()

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
        """Queue one prediction; the time is taken now, the line is written by the writer thread."""
        self._queue.put((time.time(), features, variant, model_version, probability, user_id, extra))

    def flush(self, timeout: float = 10.0) -> None:
        """Wait until everything queued before this call is in the file."""
        if not self._writer.is_alive():  # closed: everything is written already
            return
        written = threading.Event()
        self._queue.put(written)
        written.wait(timeout)

    def close(self) -> None:
        if self._writer.is_alive():
            self._queue.put(_STOP)
            self._writer.join()
        self._handler.close()

    def _line(self, item: tuple, request_id: str) -> str:
        ts, features, variant, model_version, probability, user_id, extra = item
        record = {
            "ts": ts,
            "variant": variant,
            "model_version": model_version,
            "features": features,
            "probability": round(probability, 6),
            "user": self.pseudonym(user_id),
            "request_id": request_id,
            **extra,
        }
        return json.dumps(record, separators=(",", ":"))

    def _write_batches(self) -> None:
        while True:
            items = [self._queue.get()]
            time.sleep(self._interval)  # let a batch gather: one write and one flush for all of it
            while True:
                try:
                    items.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            predictions = [item for item in items if isinstance(item, tuple)]
            # Random request ids (uuid4) from one read of the OS's random source for the batch:
            # a system call per request cost more than the rest of the line.
            entropy = os.urandom(16 * len(predictions))
            lines = []
            for index, item in enumerate(predictions):
                request_id = uuid.UUID(bytes=entropy[16 * index : 16 * index + 16], version=4).hex
                try:
                    lines.append(self._line(item, request_id))
                except (TypeError, ValueError):  # one unserialisable record never stops the log
                    log.exception("prediction not logged")
            if lines:
                # One record holding the batch: the handler writes it with one rotation check.
                self._handler.handle(logging.makeLogRecord({"msg": "\n".join(lines)}))
            for item in items:
                if isinstance(item, threading.Event):
                    item.set()
            if _STOP in items:
                return
