"""A markdown model card for every trained model: what it is, how it did, whether it ships."""

from __future__ import annotations

from .features import CATEGORICAL, NUMERIC, TARGET
from .gate import Decision


def render(
    project: str, info: dict, metrics: dict[str, float], decision: Decision, rows: dict[str, int], run_id: str | None
) -> str:
    params = "\n".join(f"| `{k}` | `{v}` |" for k, v in sorted(info["params"].items()))
    scores = "\n".join(f"| {k} | {v:.4f} |" for k, v in metrics.items())
    verdict = "promote" if decision.promote else "do not promote"
    reasons = "\n".join(f"- {r}" for r in decision.reasons) or "- meets the threshold and the best champion so far"
    features = ", ".join(f"`{name}`" for name in [*NUMERIC, *CATEGORICAL])
    return f"""# Model card: {project}

## Model
- Framework: {info["framework"]}
- Artefact: `models/{info["model_file"]}`
- sha256: `{decision.model_sha256}`
- Tracking run: {run_id or "not tracked"}

## Intended use
Predicts the probability that a customer churns (`{TARGET}` = 1) from account features. It is
a decision aid for retention campaigns; it is not meant for decisions about individuals without
human review.

## Data
- Features: {features}
- Training rows: {rows["train"]}; evaluation rows: {rows["test"]} (held-out, stratified split)

## Hyper-parameters
| name | value |
|---|---|
{params}

## Evaluation (held-out split)
| metric | value |
|---|---|
{scores}

## Promotion gate: {verdict}
Primary metric `{decision.metric}` = {decision.value:.4f}; champion: {decision.champion_value}
(`{decision.champion_sha256 or "none yet"}`).
{reasons}

## Limitations
Trained on a small sample; check `reports/drift.html` for distribution shift before trusting it
on live traffic.
"""
