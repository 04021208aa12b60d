"""Traffic router: which model variant answers a request.

rolling: the champion only. canary: each request goes to the challenger with probability
weight%. ab: a hash of the user key assigns each user to one variant for good (sticky).
The strategy and weight come from ROUTING_STRATEGY / CHALLENGER_WEIGHT_PERCENT, and a JSON file
named by ROUTING_CONFIG overrides them and is re-read when it changes (a Kubernetes ConfigMap),
so weights change without a rebuild or a restart.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
from dataclasses import dataclass
from pathlib import Path

CHAMPION, CHALLENGER = "champion", "challenger"
log = logging.getLogger(__name__)
STRATEGIES = ("rolling", "canary", "ab")


@dataclass(frozen=True)
class Routing:
    strategy: str
    weight_percent: float

    def __post_init__(self) -> None:
        if self.strategy not in STRATEGIES:
            raise ValueError(f"routing strategy must be one of {STRATEGIES}, got {self.strategy!r}")
        if not 0 <= self.weight_percent <= 100:
            raise ValueError(f"challenger weight must be 0-100 percent, got {self.weight_percent}")


def bucket(key: str) -> float:
    """A stable position in [0, 100) for a key: the same user always lands in the same bucket."""
    digest = hashlib.sha256(key.encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 * 100


class Router:
    def __init__(self, routing: Routing, config_file: Path | None = None, seed: int | None = None):
        self._routing = routing
        self._config_file = config_file
        self._mtime: float | None = None
        self._random = random.Random(seed)  # noqa: S311 - traffic splitting, not security

    @classmethod
    def from_env(cls, default_strategy: str, default_weight: float) -> Router:
        routing = Routing(
            os.environ.get("ROUTING_STRATEGY", default_strategy),
            float(os.environ.get("CHALLENGER_WEIGHT_PERCENT", default_weight)),
        )
        config = os.environ.get("ROUTING_CONFIG")
        return cls(routing, Path(config) if config else None)

    @property
    def routing(self) -> Routing:
        """The current routing, re-read from the config file when its modification time changed."""
        if self._config_file is not None:
            try:
                mtime = self._config_file.stat().st_mtime
            except FileNotFoundError:
                return self._routing
            if mtime != self._mtime:
                self._mtime = mtime
                self._routing = self._read_config(self._routing)
        return self._routing

    def _read_config(self, current: Routing) -> Routing:
        """The routing in the config file; a broken file keeps ``current`` so serving never fails on it."""
        try:
            data = json.loads(self._config_file.read_text())
            return Routing(
                data.get("strategy", current.strategy),
                float(data.get("challenger_weight_percent", current.weight_percent)),
            )
        except (OSError, ValueError, TypeError, AttributeError) as error:
            log.error("ignored routing config %s, keeping %s: %s", self._config_file, current, error)
            return current

    def choose(self, key: str | None) -> str:
        routing = self.routing
        if routing.strategy == "rolling" or routing.weight_percent == 0:
            return CHAMPION
        # ab with a key: the user's fixed bucket; canary (or ab without a key): a fresh draw.
        position = bucket(key) if routing.strategy == "ab" and key else self._random.random() * 100
        return CHALLENGER if position < routing.weight_percent else CHAMPION
