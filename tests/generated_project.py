"""Drive a rendered project as its users would: its own venv, its CLI, its server.

Used by test_generated_project.py. pip (not uv) installs the project and its `dev` dependency
group into a fresh venv; the pip cache is the user's default one, shared by every variant.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

# The CPU build on this machine's disk; a bare `torch` would pull several GB of CUDA wheels.
TORCH_CPU = "torch==2.13.0"


class GeneratedProject:
    def __init__(self, root: Path, answers: dict):
        self.root = root
        self.answers = answers
        self.bin = root / ".venv" / "bin"
        self.env = {
            **os.environ,
            "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}",
            "VIRTUAL_ENV": str(root / ".venv"),
            "DVC_NO_ANALYTICS": "1",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        }
        for name in ("MLFLOW_TRACKING_URI", "PYTHONPATH", "PROJECT_ROOT", "PREDICTION_LOG", "PROMETHEUS_MULTIPROC_DIR"):
            self.env.pop(name, None)

    @property
    def package(self) -> str:
        return self.answers["package_name"]

    def run(self, *args: str, timeout: int = 600, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            list(args), cwd=self.root, env=self.env, capture_output=True, text=True, timeout=timeout, check=False
        )
        if check and result.returncode != 0:
            output = f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
            raise AssertionError(f"{' '.join(args)} exited {result.returncode}\n{output}")
        return result

    def install(self) -> None:
        self.run(sys.executable, "-m", "venv", str(self.root / ".venv"))
        pip = [str(self.bin / "python"), "-m", "pip", "install", "--quiet"]
        if self.answers["ml_framework"] == "pytorch":
            self.run(*pip, TORCH_CPU, timeout=900)
        groups = tomllib.loads((self.root / "pyproject.toml").read_text())["dependency-groups"]
        # The default groups of uv: dev, spark where data_engine is spark, feast where feature_store is feast.
        extra = [*groups.get("spark", []), *groups.get("feast", [])]
        self.run(*pip, "-e", ".", *groups["dev"], *extra, timeout=900)

    def python(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return self.run(str(self.bin / "python"), *args, **kwargs)

    @contextlib.contextmanager
    def server(self, log: Path, metrics_dir: Path, workers: int = 2):
        """uvicorn on a free loopback port, as the Makefile runs it (several workers, Prometheus
        multiprocess mode); yields its base URL once /ready answers 200."""
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        command = [str(self.bin / "uvicorn"), f"{self.package}.serve.app:app", "--host", "127.0.0.1"]
        command += ["--port", str(port), "--workers", str(workers)]
        metrics_dir.mkdir(parents=True, exist_ok=True)
        env = {
            **self.env,
            "PREDICTION_LOG": str(log),
            "PREDICTION_LOG_KEY": "template-test-key",
            "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        }
        process = subprocess.Popen(command, cwd=self.root, env=env, stderr=subprocess.PIPE, text=True)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    raise AssertionError(f"uvicorn exited {process.returncode}: {process.stderr.read()[-3000:]}")
                with contextlib.suppress(OSError):
                    if request(base + "/ready")[0] == 200:
                        break
                if time.monotonic() > deadline:
                    raise AssertionError("uvicorn: /ready did not answer 200 within 60 s")
                time.sleep(0.25)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)
            process.stderr.close()


def request(url: str, payload: object | None = None, raw: bytes | None = None) -> tuple[int, dict]:
    """(status, JSON body) of a GET, or of a POST when a payload or raw body is given."""
    data = raw if raw is not None else None if payload is None else json.dumps(payload).encode()
    headers = {"Content-Type": "application/json"} if data is not None else {}
    method = "POST" if data is not None else "GET"
    req = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310 - loopback only
    try:
        with urllib.request.urlopen(req, timeout=10) as response:  # noqa: S310 - loopback only
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def text(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
        return response.read().decode()
