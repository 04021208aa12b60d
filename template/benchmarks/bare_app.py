"""The baseline of benchmarks/serve.py: a bare FastAPI endpoint that parses JSON and answers."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/health")
async def health() -> dict:
    return {"status": "ok"}


@app.post("/predict")
async def predict(payload: dict) -> dict:
    return {"churn_probability": 0.5, "churned": False, "variant": "bare", "fields": len(payload)}
