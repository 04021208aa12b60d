"""The drift job's last result as Prometheus metrics, for the alerts and the dashboard in monitoring/.

The job runs and exits, so nothing is there to scrape: it writes the node exporter's textfile
format (the VM's node exporter reads it from its textfile directory) and, when DRIFT_PUSHGATEWAY
names a Prometheus Pushgateway (Kubernetes, CI), pushes the same metrics there under job="drift".
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from prometheus_client import CollectorRegistry, Gauge, push_to_gateway, write_to_textfile

PUSHGATEWAY_VARIABLE = "DRIFT_PUSHGATEWAY"


def registry_of(result: dict, now: float | None = None) -> CollectorRegistry:
    registry = CollectorRegistry()
    Gauge("drift_detected", "1 when the last drift run found drift, else 0", registry=registry).set(
        int(result["drift"])
    )
    Gauge("drift_last_run_timestamp_seconds", "When the drift job last judged a window", registry=registry).set(
        time.time() if now is None else now
    )
    Gauge("drift_current_rows", "Live rows in the last judged window", registry=registry).set(result["current_rows"])
    Gauge("drift_psi_threshold", "PSI above which a feature counts as drifted", registry=registry).set(
        result["psi_threshold"]
    )
    psi = Gauge("drift_feature_psi", "Population stability index per feature", ["feature"], registry=registry)
    drifted = Gauge("drift_feature_drifted", "1 when the feature drifted", ["feature"], registry=registry)
    for name, feature in result["features"].items():
        # No statistic (no live values left): NaN, which Prometheus stores and PromQL compares as false.
        psi.labels(name).set(float("nan") if feature["psi"] is None else feature["psi"])
        drifted.labels(name).set(int(feature["drifted"]))
    return registry


def export(result: dict, textfile: Path) -> None:
    """Write the textfile (atomically: the exporter never reads half a file) and push if configured."""
    registry = registry_of(result)
    textfile.parent.mkdir(parents=True, exist_ok=True)
    write_to_textfile(str(textfile), registry)
    gateway = os.environ.get(PUSHGATEWAY_VARIABLE)
    if gateway:
        push_to_gateway(gateway, job="drift", registry=registry)
