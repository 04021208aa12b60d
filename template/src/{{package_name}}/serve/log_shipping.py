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

On Kubernetes each pod's one server process ships its own log (LogShipper). On the GPU VM several
uvicorn workers append to one file, so none of them ships: a systemd timer runs this module once per
round (``python -m <package>.serve.log_shipping``, the same :func:`ship`), one shipper for the file.
Each worker's WatchedFileHandler checks the path before every append and reopens a moved file, so
after the rename only an append already past that check can still land in the rotated file:
``settle`` seconds between the rename and the upload let it land before the file is read.
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import threading
import time
from pathlib import Path

from ..config import Paths
from ..monitor import retention

log = logging.getLogger(__name__)
URL_VARIABLE = "PREDICTION_LOG_URL"


def ship(path: Path, url: str, source: str, now: float, settle: float = 0.0) -> list[str]:
    """Rotate ``path`` and upload every rotated file under ``url``; return the uploaded objects.

    ``settle``: seconds to wait after the rename, for appends of other processes already under way.
    """
    import fsspec  # installed with DVC's remote plugins (the image's `remote` group), needed only here

    if retention.rotate(path, now) is not None and settle:
        time.sleep(settle)
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

    def _round(self, settle: float = 0.0) -> None:
        self._flush()  # the lines queued so far go into the file that is rotated now
        try:
            ship(self.path, self.url, self.source, time.time(), settle)
        except Exception:  # a bad URL or credentials: log it, never stop the server
            log.exception("prediction log not shipped to %s", self.url)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._round(settle=1.0)  # the writer thread may be appending while the file is renamed

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self._round()


def main(argv: list[str] | None = None) -> int:
    """One round: rotate the live log and upload the rotated files (the VM's timer runs this)."""
    parser = argparse.ArgumentParser(description="Rotate the prediction log and upload the rotated files once.")
    live = Paths.from_env().prediction_log
    parser.add_argument("--log", type=Path, default=live, help="the live log (PREDICTION_LOG)")
    parser.add_argument("--url", default=os.environ.get(URL_VARIABLE), help=f"where to upload ({URL_VARIABLE})")
    parser.add_argument("--source", default=socket.gethostname(), help="the suffix naming this server (its host)")
    parser.add_argument("--settle", type=float, default=5.0, help="seconds between the rename and the upload")
    args = parser.parse_args(argv)
    if not args.url:
        parser.error(f"no upload URL: pass --url or set {URL_VARIABLE} (s3://<models bucket>/prediction-logs/<env>)")
    now = time.time()
    uploaded = ship(args.log, args.url, args.source, now, args.settle)
    left = retention.rotated(args.log)
    # Rotated names have a resolution of one second: a next round in this second would upload under
    # this round's name and replace its object. Rounds never overlap (a oneshot unit), so end after it.
    time.sleep(max(0.0, now + 1 - time.time()))
    print(f"log_shipping: uploaded {len(uploaded)} file(s) to {args.url}; {len(left)} left to retry")
    return 1 if left else 0  # a failed upload fails the unit: systemctl and the journal show it


if __name__ == "__main__":
    raise SystemExit(main())
