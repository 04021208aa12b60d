"""copier.yml's question model, read outside copier: the loader, the choices with their own
validators, the `when:` conditions, and the answers checked the way copier checks them.

The one home of what reads copier.yml: the CLI (catalogue validation), the render matrix
(`mlops_scaffold.matrix`), the docs generator (`mlops_scaffold.reference`) and the tests use it.

Jinja here is copier's: the same filter set (jinja2-ansible-filters, which copier loads by default,
for `regex_search`) plus the template's `slug` filter, so validators and defaults render as in copier.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
import yaml

from mlops_scaffold.transliterate import slug

COPIER_YML = Path(__file__).resolve().parents[2] / "copier.yml"
# Renders plain text (conditions, messages, defaults), never HTML.
_JINJA = jinja2.Environment(
    autoescape=False,  # noqa: S701
    keep_trailing_newline=True,
    extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"],
)
_JINJA.filters["slug"] = slug
_TRUE = {"y", "yes", "t", "true", "on", "1"}
_FALSE = {"n", "no", "f", "false", "off", "0", ""}


@dataclass(frozen=True)
class Choice:
    label: str
    value: object
    validator: str  # Jinja: empty when rendered = the choice is available; else why it is not


@dataclass(frozen=True)
class Problem:
    """An answer copier would refuse: the question and copier's message for it."""

    question: str
    message: str

    def __str__(self) -> str:
        return self.message if self.message.startswith(f"{self.question}:") else f"{self.question}: {self.message}"


@cache
def load(path: Path = COPIER_YML) -> dict:
    """copier.yml as a dict: settings (`_...`) and questions."""
    return yaml.safe_load(Path(path).read_text())


def questions(path: Path = COPIER_YML) -> dict:
    """The questions of copier.yml, computed values (`when: false`) included."""
    return {
        name: spec if isinstance(spec, dict) else {"default": spec}
        for name, spec in load(path).items()
        if not name.startswith("_")
    }


def choices(spec: dict) -> list[Choice]:
    """A question's choices in copier's three spellings: a list, {label: value}, {label: {value, validator}}."""
    raw = spec.get("choices") or []
    pairs = raw.items() if isinstance(raw, dict) else ((value, value) for value in raw)
    result = []
    for label, value in pairs:
        if isinstance(value, dict):
            result.append(Choice(str(label), value["value"], value.get("validator", "")))
        else:
            result.append(Choice(str(label), value, ""))
    return result


def render(template: str, answers: dict) -> str:
    return _JINJA.from_string(template).render(**answers).strip()


def with_computed(answers: dict, path: Path = COPIER_YML) -> dict:
    """``answers`` plus the computed values (`when: false`) that depend only on them, as copier
    evaluates them: in file order, so a `when:` or a choice's validator may use one defined above it.
    A value that needs more than the given answers (or a copier-only filter) is left out."""
    result = dict(answers)
    for name, spec in questions(path).items():
        if spec.get("when", True) is not False or not isinstance(spec.get("default"), str):
            continue
        if name in result and "{{" not in str(result[name]):  # given, not a default copied unrendered
            continue
        try:
            value = _JINJA.from_string(spec["default"], globals={}).render(**result).strip()
        except (jinja2.TemplateError, TypeError, KeyError, IndexError):
            continue
        result[name] = value.lower() == "true" if spec.get("type") == "bool" else value
    return result


def unavailable_reason(choice: Choice, answers: dict) -> str:
    """Why copier disables ``choice`` given earlier ``answers`` ('' when it is available)."""
    return render(choice.validator, with_computed(answers)) if choice.validator else ""


def asked(spec: dict, answers: dict) -> bool:
    """Whether copier asks a question given ``answers``: its `when:` evaluated as copier does."""
    when = spec.get("when", True)
    if isinstance(when, str):
        return cast_bool(render(when, with_computed(answers)))
    return bool(when)


def is_single_choice(spec: dict) -> bool:
    """A select prompt: the prompt type for which copier never runs the question's `validator`."""
    return bool(spec.get("choices")) and not spec.get("multiselect")


def cast_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"expected yes/no, true/false (got '{value}')")


def cast(spec: dict, value):
    """An answer converted to the question's type, as copier's `cast_answer` does."""
    kind = spec.get("type", "yaml")
    if spec.get("multiselect") and isinstance(value, str):
        value = yaml.safe_load(value)  # `--data 'environments=[dev, prod]'`
    if isinstance(value, list) and spec.get("multiselect"):
        return [cast({"type": kind}, item) for item in value]
    if kind == "bool":
        return cast_bool(value)
    if kind in ("yaml", "json"):
        return yaml.safe_load(value) if isinstance(value, str) else value
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    return value if isinstance(value, str) else str(value)


def default(spec: dict, answers: dict):
    """A question's default, rendered with the earlier answers and cast to its type."""
    value = spec.get("default")
    if isinstance(value, str) and ("{{" in value or "{%" in value):
        value = render(value, answers)
    return None if value is None else cast(spec, value)


def _check(name: str, spec: dict, value, answers: dict) -> str:
    """copier's refusal of ``value`` ('' when accepted): closed choices, per-choice validators, validator."""
    context = {**answers, name: value}
    options = choices(spec)
    if options:
        picked = value if spec.get("multiselect") and isinstance(value, list) else [value]
        for item in picked:
            match = next((choice for choice in options if choice.value == item), None)
            if match is None:
                allowed = ", ".join(str(choice.value) for choice in options)
                return f"{name}: '{item}' is not one of the choices ({allowed})."
            reason = unavailable_reason(match, context)
            if reason:
                return f"{name}: {' '.join(reason.split())}"
    if spec.get("validator"):
        return " ".join(render(spec["validator"], context).split())
    return ""


def resolve(given: dict, path: Path = COPIER_YML, optional: dict | None = None) -> tuple[dict, list[Problem]]:
    """The answers `copier copy --defaults --data ...` would end with, and what copier would refuse.

    Walks the questions in copier.yml's order as copier does: a question that is not asked (its
    `when:`) takes no answer; an asked one takes the given answer or its default rendered from the
    earlier answers; each is checked against its choices, their validators and its own validator.
    ``given`` answers must all be used: an unknown name or one for a question that is not asked is
    a problem. ``optional`` answers (a team's defaults) are used where they apply and dropped elsewhere.
    """
    specs = questions(path)
    optional = optional or {}
    problems = [
        Problem(name, f"{name}: not a question of copier.yml (see docs/questions.md).")
        for name in given
        if name not in specs
    ]
    problems += [
        Problem(name, f"{name}: not a question of copier.yml (see docs/questions.md).")
        for name in optional
        if name not in specs and name not in given
    ]
    answers: dict = {}
    for name, spec in specs.items():
        computed = spec.get("when") is False
        try:
            if computed or not asked(spec, answers):
                if name in given:
                    condition = str(spec.get("when")).removeprefix("{{").removesuffix("}}").strip()
                    why = "computed from the other answers" if computed else f"asked only when {condition}"
                    problems.append(Problem(name, f"{name}: {why}; remove this answer."))
                if computed:
                    answers[name] = default(spec, answers)
                continue
            if name in given:
                value = cast(spec, given[name])
            elif name in optional:
                value = cast(spec, optional[name])
            else:
                value = default(spec, answers)
            refusal = _check(name, spec, value, answers)
        except (ValueError, TypeError, yaml.YAMLError, jinja2.TemplateError) as error:
            value, refusal = None, f"{name}: {' '.join(str(error).split())}"
        if refusal:
            problems.append(Problem(name, refusal))
        answers[name] = value
    return answers, problems
