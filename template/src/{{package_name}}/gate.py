"""The promotion gate: good enough in absolute terms, and not worse than the best champion so far.

The decision names the model it judged (sha256) and the champion it was judged against, so
`promote` can refuse a decision that no longer describes the files on disk.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .champion import Champion


@dataclass(frozen=True)
class Decision:
    promote: bool
    metric: str
    value: float
    champion_value: float | None
    model_sha256: str
    champion_sha256: str | None
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def decide(
    metrics: dict[str, float],
    model_sha256: str,
    champion: Champion,
    metric: str,
    threshold: float,
    tolerance: float,
) -> Decision:
    """Promote when ``metric`` >= threshold and >= the best champion's value - tolerance.

    Against the best value ever promoted rather than the current champion's: a chain of
    promotions, each within the tolerance of the last, can then lose at most ``tolerance`` in all.
    """
    value = metrics[metric]
    reasons = []
    if value < threshold:
        reasons.append(f"{metric} {value:.4f} is below the threshold {threshold:.4f}")
    best = champion.best.get(metric, champion.metrics.get(metric))
    if best is not None and value < best - tolerance:
        reasons.append(
            f"{metric} {value:.4f} is worse than the best champion's {best:.4f} by more than {tolerance:.4f}"
        )
    return Decision(
        promote=not reasons,
        metric=metric,
        value=value,
        champion_value=champion.metrics.get(metric),
        model_sha256=model_sha256,
        champion_sha256=champion.model_sha256,
        reasons=reasons,
    )
