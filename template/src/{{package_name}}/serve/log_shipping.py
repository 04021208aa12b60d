"""Ships the prediction log to the environment's bucket, where the scheduled drift job reads it.

The log lives in the server's own disk (an emptyDir in a pod, /var/lib on the VM), which no other
workload can read (ADR 0010). Every ``interval`` seconds, and once more at shutdown, the server
rotates its live log (monitor/retention.py's rotation; the writer's WatchedFileHandler starts a new
file) and uploads each rotated file to ``PREDICTION_LOG_URL`` (s3://<models bucket>/prediction-logs/<env>
or gs://...) as ``predictions.jsonl.<UTC time>.<host>``: the drift job's reader takes every
``predictions.jsonl.*`` of a folder in name order, which is time order. An uploaded file is deleted
here; one that failed to upload stays and goes with the next round. The serving identity may only
write under that prefix. fsspec (with s3fs or gcsfs, which dvc-s3 / dvc-gs install) does the
upload, so a local folder stands in for the bucket in the tests.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from pathlib import Path

from ..monitor import retention

log = logging.getLogger(__name__)
URL_VARIABLE = "PREDICTION_LOG_URL"


def ship(path: Path, url: str, source: str, now: float) -> list[str]:
    """Rotate ``path`` and upload every rotated file under ``url``; return the uploaded objects."""
    import fsspec  # installed with DVC's remote plugins (the image's `remote` group), needed only here

    retention.rotate(path, now)
    fs, root = fsspec.core.url_to_fs(url)
    uploaded = []
    for file in retention.rotated(path):
        target = f"{root.rstrip('/')}/{file.name}.{source}"
        try:
            fs.put_file(str(file), target)
        except OSError:  # the bucket is unreachable: keep the file, the next round retries
            log.exception("prediction log %s not shipped to %s", file, url)
            continue
        file.unlink()
        uploaded.append(target)
    return uploaded


class LogShipper:
    """A daemon thread that calls :func:`ship` every ``interval`` seconds; stop() ships the rest."""

    def __init__(self, path: Path, url: str, interval: float, flush=lambda: None):
        self.path, self.url, self.interval, self._flush = path, url, interval, flush
        self.source = socket.gethostname()  # the pod or VM: files of two servers never collide
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="prediction-log-shipper", daemon=True)
        self._thread.start()

    def _round(self) -> None:
        self._flush()  # the lines queued so far go into the file that is rotated now
        try:
            ship(self.path, self.url, self.source, time.time())
        except Exception:  # a bad URL or credentials: log it, never stop the server
            log.exception("prediction log not shipped to %s", self.url)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._round()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self._round()
