"""The Terraform of every matrix variant creates the same resources, with the same arguments, as it
did before it was reorganised into one stack module per cloud (the baseline, recorded from the
commit named in tests/fixtures/terraform_baseline.json by tests/record_terraform_baseline.py).

Addresses are compared after the rendered `moved` blocks are applied, as `terraform plan` applies
them: an old address that no moved block maps to its new one would be destroyed and recreated.
Arguments are compared as digests of what tests/terraform_model.py can know statically.
"""

from __future__ import annotations

import json

import pytest

from mlops_scaffold.matrix import variant_id
from record_terraform_baseline import FIXTURE, digest
from terraform_model import follow, is_forgotten, load_root, roots


def baseline() -> dict:
    return json.loads(FIXTURE.read_text())["variants"]


def compare(project, recorded: dict) -> list[str]:
    """Differences between a rendered project and its recorded baseline, one line each."""
    problems = []
    found = {str(r.relative_to(project)): r for r in roots(project)}
    if sorted(found) != sorted(recorded):
        problems.append(f"roots: {sorted(found)} != {sorted(recorded)}")
    for name in sorted(set(found) & set(recorded)):
        root = load_root(found[name])
        now = {address: digest(arguments) for address, arguments in root.resources.items()}
        for old, old_digest in recorded[name].items():
            new = follow(old, root.moved)
            if new not in now and is_forgotten(new, root.forgotten):
                problems.append(f"{name}: {old} is forgotten by a `removed` block: terraform keeps it, unmanaged")
            elif new not in now:
                problems.append(f"{name}: {old} is gone (moved to {new}?): terraform would destroy it")
            elif now[new] != old_digest:
                args = json.dumps(root.resources[new], sort_keys=True)
                problems.append(f"{name}: {new} (was {old}) has other arguments now: {args}")
        expected = {follow(old, root.moved) for old in recorded[name]}
        problems += [f"{name}: {new} is new" for new in sorted(set(now) - expected)]
    return problems


def test_every_variant_keeps_its_resources_and_arguments(variant):
    project, answers = variant
    recorded = baseline().get(variant_id(answers))
    if recorded is None:
        pytest.fail(f"no baseline for {variant_id(answers)}: a new matrix variant? re-record the fixture")
    problems = compare(project, recorded)
    assert not problems, f"{len(problems)} difference(s):\n" + "\n".join(problems[:40])
