"""Stage `evaluate`: metrics (JSON), plot data (confusion matrix, ROC), the gate and a model card."""

from __future__ import annotations

import json

import pandas as pd
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score, roc_auc_score, roc_curve

from . import champion, gate, model_card, tracking
from . import model as model_lib
from .config import Paths, load_params
from .features import TARGET, matrix_from_frame


def score(labels, probabilities, cutoff: float = 0.5) -> tuple[dict[str, float], pd.Series]:
    predicted = (probabilities >= cutoff).astype(int)
    metrics = {
        "accuracy": accuracy_score(labels, predicted),
        "precision": precision_score(labels, predicted, zero_division=0),
        "recall": recall_score(labels, predicted, zero_division=0),
        "f1": f1_score(labels, predicted, zero_division=0),
        "roc_auc": roc_auc_score(labels, probabilities),
    }
    return {k: round(float(v), 6) for k, v in metrics.items()}, pd.Series(predicted)


def write_plots(paths: Paths, labels, predicted, probabilities) -> None:
    """One row per example / per ROC point: the data `dvc plots` renders with its templates."""
    paths.plots_dir.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"actual": labels, "predicted": predicted}).to_csv(paths.plots_dir / "confusion.csv", index=False)
    fpr, tpr, _ = roc_curve(labels, probabilities)
    pd.DataFrame({"fpr": fpr.round(6), "tpr": tpr.round(6)}).to_csv(paths.plots_dir / "roc.csv", index=False)


def run(paths: Paths, params: dict) -> gate.Decision:
    info = json.loads((paths.models_dir / "train_info.json").read_text())
    model_path = paths.models_dir / info["model_file"]
    predictor = model_lib.load(model_path)
    test = pd.read_parquet(paths.validated_dir / "test.parquet")
    labels = test[TARGET].to_numpy()
    probabilities = predictor.predict_proba(matrix_from_frame(test))
    metrics, predicted = score(labels, probabilities)
    write_plots(paths, labels, predicted.to_numpy(), probabilities)
    model_sha256 = champion.file_sha256(model_path)
    decision = gate.decide(
        metrics, model_sha256, champion.read(paths), params["metric"], params["threshold"], params["tolerance"]
    )
    paths.reports_dir.mkdir(parents=True, exist_ok=True)
    (paths.reports_dir / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    (paths.reports_dir / "promotion.json").write_text(json.dumps(decision.as_dict(), indent=2) + "\n")
    rows = {"train": len(pd.read_parquet(paths.validated_dir / "train.parquet", columns=[TARGET])), "test": len(test)}
    card = paths.models_dir / "model_card.md"
    with tracking.run(paths.root, model_sha256, resume=True) as run_id:
        card.write_text(model_card.render(paths.root.name, info, metrics, decision, rows, run_id))
        tracking.log_metrics(metrics)
        tracking.log_artifact(card)
        tracking.log_artifact(paths.plots_dir)
    return decision


def main() -> None:
    paths = Paths.from_env()
    decision = run(paths, load_params(paths)["evaluate"])
    verdict = "promote" if decision.promote else "hold: " + "; ".join(decision.reasons)
    print(f"evaluate: {decision.metric}={decision.value:.4f} -> {verdict}")


if __name__ == "__main__":
    main()
