"""Prometheus metrics: request count, latency histogram, and per model variant the predictions,
the inference time, the inference failures and the predicted scores (monitoring/ alerts on them).

Several uvicorn workers (`--workers N`) are several processes, each with its own counters: a
scrape would see one worker's share. With PROMETHEUS_MULTIPROC_DIR set (an empty directory at
start, e.g. an emptyDir volume), prometheus_client's multiprocess mode writes every worker's
values there and /metrics adds them up. A single worker needs nothing set.
"""

from __future__ import annotations

import functools
import os
import time

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess

REGISTRY = CollectorRegistry()
REQUESTS = Counter("http_requests_total", "HTTP requests", ["path", "status"], registry=REGISTRY)
LATENCY = Histogram(
    "http_request_duration_seconds",
    "Request latency",
    ["path"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
    registry=REGISTRY,
)
PREDICTIONS = Counter("predictions_total", "Predictions by model variant", ["variant", "label"], registry=REGISTRY)
# Per variant, so that the canary alerts compare the challenger with the champion on one footing
# (http_request_duration_seconds cannot tell the variants apart: the route is chosen inside).
INFERENCE_LATENCY = Histogram(
    "prediction_duration_seconds",
    "Model inference time by model variant",
    ["variant"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
    registry=REGISTRY,
)
INFERENCE_ERRORS = Counter(
    "prediction_errors_total", "Inference failures (a 500) by model variant", ["variant"], registry=REGISTRY
)
# The score distribution: a shift of it is the live, label-free proxy for drift.
SCORES = Histogram(
    "prediction_score",
    "Predicted churn probability by model variant",
    ["variant"],
    buckets=tuple(round(0.1 * step, 1) for step in range(1, 11)),
    registry=REGISTRY,
)
KNOWN_PATHS = frozenset({"/predict", "/health", "/ready", "/metrics"})


@functools.cache
def _child(metric, *labels: str):
    """The labelled child of a metric, looked up once: labels() takes a lock and builds a key."""
    return metric.labels(*labels)


def count_prediction(variant: str, probability: float, seconds: float) -> None:
    _child(PREDICTIONS, variant, "1" if probability >= 0.5 else "0").inc()
    _child(SCORES, variant).observe(probability)
    _child(INFERENCE_LATENCY, variant).observe(seconds)


def start_variants(variants) -> None:
    """Every loaded variant's failure counter at 0: a series that exists before the first failure,
    so that rate() and the alerts see it go up (an absent series has no rate)."""
    for variant in variants:
        _child(INFERENCE_ERRORS, variant)


def count_inference_error(variant: str) -> None:
    _child(INFERENCE_ERRORS, variant).inc()


def exposition() -> bytes:
    """The text /metrics serves: every worker's values in multiprocess mode, else this process's."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not directory:
        return generate_latest(REGISTRY)
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=directory)
    return generate_latest(registry)


class MetricsMiddleware:
    """Plain ASGI middleware (cheaper than BaseHTTPMiddleware), counting 422s and 500s too."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # Unknown paths share one label, so scanners cannot blow up the metric's cardinality.
        path = scope["path"] if scope["path"] in KNOWN_PATHS else "other"
        status = {"code": 500}
        start = time.perf_counter()

        async def send_and_record(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_record)
        finally:
            _child(LATENCY, path).observe(time.perf_counter() - start)
            _child(REQUESTS, path, str(status["code"])).inc()
