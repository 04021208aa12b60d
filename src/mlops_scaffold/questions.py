"""copier.yml's question model, read outside copier: the loader, the choices with their own
validators, and the `when:` conditions. The render matrix, the docs generator and the tests use it.

Jinja here is plain jinja2: the `when:` conditions and per-choice validators use no copier filters.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
import yaml

COPIER_YML = Path(__file__).resolve().parents[2] / "copier.yml"
_JINJA = jinja2.Environment(autoescape=False, keep_trailing_newline=True)  # noqa: S701 - renders plain text


@dataclass(frozen=True)
class Choice:
    label: str
    value: object
    validator: str  # Jinja: empty when rendered = the choice is available; else why it is not


@cache
def load(path: Path = COPIER_YML) -> dict:
    """copier.yml as a dict: settings (`_...`) and questions."""
    return yaml.safe_load(path.read_text())


def questions(path: Path = COPIER_YML) -> dict:
    """The questions of copier.yml, computed values (`when: false`) included."""
    return {name: spec for name, spec in load(path).items() if not name.startswith("_")}


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
        return render(when, with_computed(answers)).lower() == "true"
    return bool(when)


def is_single_choice(spec: dict) -> bool:
    """A select prompt: the prompt type for which copier never runs the question's `validator`."""
    return bool(spec.get("choices")) and not spec.get("multiselect")
