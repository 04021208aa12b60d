"""The render matrix: a covering array over the answers of copier.yml.

Every pair of values of the PAIRWISE questions appears in at least one variant (allpairspy builds
the pairs, so the array is small by construction), and every value of every other closed choice
appears at least once, assigned round-robin to variants where it is valid. Choices are read from
copier.yml, so a new choice is covered without touching this file.

Used by the test suite and the docs generator; it needs allpairspy (requirements-test.txt), which
the `mlops-scaffold` command itself does not.
"""

from __future__ import annotations

from functools import cache
from itertools import combinations

from allpairspy import AllPairs

from mlops_scaffold import questions as model

# Three-valued questions first: allpairspy then reaches the 3 x 3 = 9 lower bound.
PAIRWISE = [
    "cloud_provider",
    "compliance_profile",
    "deployment_strategy",
    "compute_platform",
    "ci_provider",
    "ml_framework",
]
# Closed choices covered value by value (each value at least once).
EACH_VALUE = [
    "license",
    "python_version",
    "experiment_tracking",
    "data_engine",
    "feature_store",
    "gpu_type",
    "aws_region",
    "gcp_region",
    "use_spot",
    "environments",
]
ENVIRONMENT_SETS = [["dev", "staging", "prod"], ["dev"], ["staging", "prod"]]


def questions() -> dict:
    return model.questions()


def choices(name: str) -> list:
    if name == "use_spot":
        return [True, False]
    if name == "environments":
        return ENVIRONMENT_SETS
    return [choice.value for choice in model.choices(questions()[name])]


def asked(name: str, answers: dict) -> bool:
    return model.asked(questions()[name], answers)


def valid(name: str, value, variant: dict) -> bool:
    """Whether copier offers ``value`` given the variant: the choice's own validator in copier.yml."""
    for choice in model.choices(questions()[name]):
        if choice.value == value:
            return not model.unavailable_reason(choice, variant)
    return True


@cache
def variants() -> tuple[dict, ...]:
    rows = [dict(zip(PAIRWISE, row, strict=True)) for row in AllPairs([choices(q) for q in PAIRWISE])]
    for name in EACH_VALUE:
        uncovered = list(choices(name))
        pool = list(choices(name))
        for index, variant in enumerate(rows):
            if not asked(name, variant):
                continue
            candidates = [v for v in uncovered if valid(name, v, variant)] or [
                v for v in pool[index % len(pool) :] + pool if valid(name, v, variant)
            ]
            variant[name] = candidates[0]
            if candidates[0] in uncovered:
                uncovered.remove(candidates[0])
    return tuple(rows)


def variant_id(variant: dict) -> str:
    return "-".join(str(variant[q]) for q in PAIRWISE)


def uncovered_pairs(rows) -> list[tuple]:
    """Pairs of PAIRWISE values that no variant holds (empty for a covering array)."""
    missing = []
    for a, b in combinations(PAIRWISE, 2):
        seen = {(row[a], row[b]) for row in rows}
        missing += [(a, x, b, y) for x in choices(a) for y in choices(b) if (x, y) not in seen]
    return missing


def uncovered_values(rows) -> list[tuple]:
    """Values of EACH_VALUE questions that no variant holds."""
    return [
        (name, value)
        for name in EACH_VALUE
        for value in choices(name)
        if not any(row.get(name) == value for row in rows)
    ]
