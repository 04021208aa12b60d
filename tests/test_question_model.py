"""The question model read outside copier (`mlops_scaffold.questions`) agrees with copier: it refuses
every bad answer that copier refuses, with the same question named, accepts every answer set of the
render matrix, and resolves the defaults to what copier records. The catalogue checks build on it."""

from __future__ import annotations

import pytest
import yaml

from mlops_scaffold import questions as model
from mlops_scaffold.matrix import variants
from test_bad_input import BAD_ANSWERS


@pytest.mark.parametrize(("answers", "question", "expected"), BAD_ANSWERS.values(), ids=BAD_ANSWERS.keys())
def test_model_refuses_what_copier_refuses(answers, question, expected):
    _, problems = model.resolve(answers)
    named = [str(problem) for problem in problems if problem.question == question]
    assert named, f"no problem named {question}: {problems}"
    assert any(expected in message for message in named), named


@pytest.mark.parametrize("variant", variants(), ids=lambda v: "-".join(str(v[q]) for q in list(v)[:6]))
def test_model_accepts_every_answer_set_of_the_matrix(variant):
    assert model.resolve(variant)[1] == []


def test_defaults_resolve_to_what_copier_records(default_project):
    recorded = yaml.safe_load((default_project / ".copier-answers.yml").read_text())
    resolved, problems = model.resolve({})
    assert problems == []
    asked = {name: value for name, value in recorded.items() if not name.startswith("_")}
    assert asked == {name: resolved[name] for name in asked}
    assert set(asked) == {
        name
        for name, spec in model.questions().items()
        if spec.get("when") is not False and model.asked(spec, resolved)
    }


def test_answers_for_unknown_or_unasked_questions_are_problems():
    _, problems = model.resolve({"gpu_typ": "l4", "compute_platform": "vm", "gpu_max_nodes": 2, "use_aws": False})
    messages = {problem.question: str(problem) for problem in problems}
    assert messages["gpu_typ"].startswith("gpu_typ: not a question of copier.yml")
    assert messages["gpu_max_nodes"] == (
        "gpu_max_nodes: asked only when compute_platform == 'kubernetes'; remove this answer."
    )
    assert messages["use_aws"] == "use_aws: computed from the other answers; remove this answer."


def test_optional_answers_apply_only_where_asked():
    answers, problems = model.resolve({"cloud_provider": "aws"}, optional={"gcp_region": "europe-west1"})
    assert problems == [] and "gcp_region" not in answers
    answers, problems = model.resolve({"cloud_provider": "gcp"}, optional={"gcp_region": "europe-west1"})
    assert problems == [] and answers["gcp_region"] == "europe-west1"
