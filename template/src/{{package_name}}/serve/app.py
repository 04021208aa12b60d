"""The prediction API: `uvicorn <package>.serve.app:app`.

/predict validates input with pydantic (422 with the failing fields, never a 500), routes the
request to a model variant, logs the prediction for the drift job and counts it for Prometheus.
"""

from __future__ import annotations

import logging
import os
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST
from pydantic import ValidationError

from .. import model as model_lib
from ..champion import file_sha256
from ..config import Paths
from ..features import matrix_from_records
from . import limits, metrics, settings
from .log_shipping import LogShipper
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
    metrics.start_variants(app.state.variants)
    key = os.environ.get(settings.LOG_KEY_VARIABLE)
    if not key:
        log.warning("%s is not set: user ids are left out of the prediction log", settings.LOG_KEY_VARIABLE)
    app.state.log = PredictionLog(paths.prediction_log, key.encode() if key else None)
    shipper = None
    if settings.LOG_URL:
        shipper = LogShipper(paths.prediction_log, settings.LOG_URL, settings.LOG_SHIP_SECONDS, app.state.log.flush)
    yield
    app.state.log.close()
    if shipper is not None:  # after close(): the last lines are in the file that is shipped now
        shipper.stop()


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


# pydantic parses and validates the body in one step from the raw bytes, and the header is read
# directly: as parameters, FastAPI would decode the JSON, validate the dict and resolve the header
# through its dependency machinery, a large share of this endpoint's time. openapi_extra keeps
# both in the OpenAPI schema; the errors are the 422s FastAPI would give.
PREDICT_OPENAPI = {
    "requestBody": {"required": True, "content": {"application/json": {"schema": PredictRequest.model_json_schema()}}},
    "parameters": [
        {
            "name": "x-user-id",
            "in": "header",
            "required": False,
            "schema": {"type": "string", "maxLength": MAX_USER_ID_LENGTH},
            "description": "Sticky key of the A/B split when the body has no user_id",
        }
    ],
}


# async: inference of this small model takes microseconds, less than a thread-pool hop would.
# The response is serialised here, once, from the pydantic model; returned as a model, FastAPI
# would validate it a second time. response_model keeps it in the OpenAPI schema.
@app.post(
    "/predict",
    response_model=PredictResponse,
    responses={422: {"description": "Invalid request: `detail` and `errors` name each failing field"}},
    openapi_extra=PREDICT_OPENAPI,
)
async def predict(request: Request) -> Response:
    try:
        body = PredictRequest.model_validate_json(await request.body())
    except ValidationError as error:
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in error.errors()]) from None
    x_user_id = request.headers.get("x-user-id")
    if x_user_id is not None and len(x_user_id) > MAX_USER_ID_LENGTH:
        message = f"String should have at most {MAX_USER_ID_LENGTH} characters"
        raise RequestValidationError([{"loc": ("header", "x-user-id"), "msg": message, "type": "string_too_long"}])
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
    start = time.perf_counter()
    try:
        probability = float(variant.predictor.predict_proba(x)[0])
    except Exception:
        metrics.count_inference_error(name)  # the 500 itself is counted by the middleware
        raise
    seconds = time.perf_counter() - start
    extra = {}
    if state.router.routing.strategy == "ab" and len(state.variants) > 1:
        # A/B: log what the other variant would have said, so both can be compared offline.
        other = CHALLENGER if name == CHAMPION else CHAMPION
        extra["shadow"] = {other: round(float(state.variants[other].predictor.predict_proba(x)[0]), 6)}
    state.log.write(features, name, variant.version, probability, user_id=key, **extra)
    label = probability >= 0.5
    metrics.count_prediction(name, probability, seconds)
    answer = PredictResponse(churn_probability=probability, churned=label, variant=name, model_version=variant.version)
    return Response(answer.model_dump_json(), media_type="application/json")
