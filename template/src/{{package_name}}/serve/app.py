"""The prediction API: `uvicorn <package>.serve.app:app`.

/predict validates input with pydantic (422 with the failing fields, never a 500), routes the
request to a model variant, logs the prediction for the drift job and counts it for Prometheus.
"""

from __future__ import annotations

import logging
import os
import uuid
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST

from .. import model as model_lib
from ..champion import file_sha256
from ..config import Paths
from ..features import matrix_from_records
from . import limits, metrics, settings
from .prediction_log import PredictionLog
from .router import CHALLENGER, CHAMPION, Router
from .schemas import MAX_USER_ID_LENGTH, PredictRequest, PredictResponse

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Variant:
    predictor: model_lib.Predictor
    version: str


def load_variant(path: Path) -> Variant:
    # The version is the file's content hash: the log says exactly which model answered.
    return Variant(model_lib.load(path), file_sha256(path)[:12])


def load_variants(paths: Paths) -> dict[str, Variant]:
    """The champion, and the challenger when there is one that differs from it.

    After a promotion models/ holds the champion's own file: that is no challenger, and labelling
    half the traffic "challenger" would compare the model with itself.
    """
    files = settings.model_paths(paths)
    variants = {CHAMPION: load_variant(files.champion)}
    if files.challenger is not None and file_sha256(files.challenger) != file_sha256(files.champion):
        variants[CHALLENGER] = load_variant(files.challenger)
    return variants


@asynccontextmanager
async def lifespan(app: FastAPI):
    paths = Paths.from_env()
    app.state.router = Router.from_env(settings.DEFAULT_STRATEGY, settings.DEFAULT_CHALLENGER_WEIGHT)
    app.state.variants = load_variants(paths)
    key = os.environ.get(settings.LOG_KEY_VARIABLE)
    if not key:
        log.warning("%s is not set: user ids are left out of the prediction log", settings.LOG_KEY_VARIABLE)
    app.state.log = PredictionLog(paths.prediction_log, key.encode() if key else None)
    yield
    app.state.log.close()


app = FastAPI(title="Churn prediction", lifespan=lifespan)
# The last added runs first: metrics count the 413s of the size limit too. A rate limiter, if the
# ingress does not provide one, goes between the two (see limits.py).
app.add_middleware(limits.BodySizeLimit, max_bytes=settings.MAX_BODY_BYTES)
app.add_middleware(metrics.MetricsMiddleware)


@app.exception_handler(RequestValidationError)
async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
    errors = [
        {"field": ".".join(str(part) for part in e["loc"] if part != "body") or "body", "message": e["msg"]}
        for e in error.errors()
    ]
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return JSONResponse(status_code=422, content={"detail": f"invalid request: {summary}", "errors": errors})


@app.get("/health")
async def health() -> dict:
    """Liveness: the process answers."""
    return {"status": "ok"}


@app.get("/ready")
async def ready(request: Request) -> JSONResponse:
    """Readiness: every model variant is loaded."""
    variants = getattr(request.app.state, "variants", None)
    if not variants:
        return JSONResponse(status_code=503, content={"status": "loading"})
    return JSONResponse({"status": "ready", "variants": {k: v.version for k, v in variants.items()}})


@app.get("/metrics")
async def prometheus_metrics() -> Response:
    return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)


# async: inference of this small model takes microseconds, less than a thread-pool hop would.
@app.post("/predict")
async def predict(
    body: PredictRequest,
    request: Request,
    x_user_id: str | None = Header(default=None, max_length=MAX_USER_ID_LENGTH),
) -> PredictResponse:
    state = request.app.state
    key = body.user_id or x_user_id
    # The router may pick a variant that is not loaded (no challenger, or a routing file that
    # switched strategy): the champion answers, and the response, log and metrics say so.
    name = state.router.choose(key)
    if name not in state.variants:
        name = CHAMPION
    variant = state.variants[name]
    features = body.model_dump(exclude={"user_id"})
    x = matrix_from_records([features])
    probability = float(variant.predictor.predict_proba(x)[0])
    extra = {"request_id": uuid.uuid4().hex}
    if state.router.routing.strategy == "ab" and len(state.variants) > 1:
        # A/B: log what the other variant would have said, so both can be compared offline.
        other = CHALLENGER if name == CHAMPION else CHAMPION
        extra["shadow"] = {other: round(float(state.variants[other].predictor.predict_proba(x)[0]), 6)}
    state.log.write(features, name, variant.version, probability, user_id=key, **extra)
    label = probability >= 0.5
    metrics.PREDICTIONS.labels(name, str(int(label))).inc()
    return PredictResponse(churn_probability=probability, churned=label, variant=name, model_version=variant.version)
