"""The promotion gate: good enough in absolute terms, and not worse than the champion."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Decision:
    promote: bool
    metric: str
    value: float
    champion_value: float | None
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def decide(
    metrics: dict[str, float],
    champion: dict[str, float] | None,
    metric: str,
    threshold: float,
    tolerance: float,
) -> Decision:
    """Promote when ``metric`` >= threshold and >= champion - tolerance (no champion: threshold only)."""
    value = metrics[metric]
    reasons = []
    if value < threshold:
        reasons.append(f"{metric} {value:.4f} is below the threshold {threshold:.4f}")
    champion_value = None if champion is None else champion.get(metric)
    if champion_value is not None and value < champion_value - tolerance:
        reasons.append(
            f"{metric} {value:.4f} is worse than the champion's {champion_value:.4f} by more than {tolerance:.4f}"
        )
    return Decision(not reasons, metric, value, champion_value, reasons)
