"""The prediction API: `uvicorn <package>.serve.app:app`.

/predict validates input with pydantic (422 with the failing fields, never a 500), routes the
request to a model variant, logs the prediction for the drift job and counts it for Prometheus.
"""

from __future__ import annotations

import hashlib
import uuid
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from .. import model as model_lib
from ..config import Paths
from ..features import matrix_from_records
from . import metrics, settings
from .prediction_log import PredictionLog
from .router import CHALLENGER, CHAMPION, Router
from .schemas import PredictRequest, PredictResponse


@dataclass(frozen=True)
class Variant:
    predictor: model_lib.Predictor
    version: str


def load_variant(path: Path) -> Variant:
    # The version is the file's content hash: the log says exactly which model answered.
    return Variant(model_lib.load(path), hashlib.sha256(path.read_bytes()).hexdigest()[:12])


@asynccontextmanager
async def lifespan(app: FastAPI):
    paths = Paths.from_env()
    router = Router.from_env(settings.DEFAULT_STRATEGY, settings.DEFAULT_CHALLENGER_WEIGHT)
    files = settings.model_paths(paths, router.routing.strategy)
    variants = {CHAMPION: load_variant(files.champion)}
    if files.challenger is not None:
        variants[CHALLENGER] = load_variant(files.challenger)
    app.state.router, app.state.variants = router, variants
    app.state.log = PredictionLog(paths.prediction_log)
    yield
    app.state.log.close()


app = FastAPI(title="Churn prediction", lifespan=lifespan)
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
    return Response(generate_latest(metrics.REGISTRY), media_type=CONTENT_TYPE_LATEST)


# async: inference of this small model takes microseconds, less than a thread-pool hop would.
@app.post("/predict")
async def predict(
    body: PredictRequest, request: Request, x_user_id: str | None = Header(default=None)
) -> PredictResponse:
    state = request.app.state
    key = body.user_id or x_user_id
    name = state.router.choose(key)
    variant = state.variants.get(name) or state.variants[CHAMPION]
    features = body.model_dump(exclude={"user_id"})
    x = matrix_from_records([features])
    probability = float(variant.predictor.predict_proba(x)[0])
    extra = {"request_id": uuid.uuid4().hex, "user_id": key}
    if state.router.routing.strategy == "ab" and len(state.variants) > 1:
        # A/B: log what the other variant would have said, so both can be compared offline.
        other = CHALLENGER if name == CHAMPION else CHAMPION
        extra["shadow"] = {other: round(float(state.variants[other].predictor.predict_proba(x)[0]), 6)}
    state.log.write(features, name, variant.version, probability, **extra)
    label = probability >= 0.5
    metrics.PREDICTIONS.labels(name, str(int(label))).inc()
    return PredictResponse(churn_probability=probability, churned=label, variant=name, model_version=variant.version)
