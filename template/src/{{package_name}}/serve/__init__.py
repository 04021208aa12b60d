"""Online serving: FastAPI app, traffic router, Prometheus metrics and the prediction log."""
