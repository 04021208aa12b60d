"""The validation pyramid's static layers, run on every variant of the render matrix."""

from __future__ import annotations

import pytest

from checks import all_checkers

CHECKERS = all_checkers()


@pytest.mark.parametrize("name", list(CHECKERS))
def test_variant_passes_checker(variant, name):
    project, answers = variant
    check = CHECKERS[name]
    if not check.applies(answers):
        pytest.skip(f"{name} does not apply to this variant")
    findings = check.run(project, answers)
    assert not findings, f"{len(findings)} finding(s):\n" + "\n".join(map(str, findings))
