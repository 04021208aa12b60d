"""The answers file records every question that was asked, so `copier update` can replay it."""

import jinja2

from matrix import questions

from . import Finding, checker

FILE = ".copier-answers.yml"


def _asked(spec: dict, answers: dict) -> bool:
    """Whether a question was asked: evaluates the simple `when:` forms copier.yml uses."""
    when = spec.get("when", True)
    if when is False:
        return False
    if isinstance(when, str):
        return jinja2.Environment(autoescape=True).from_string(when).render(**answers).strip().lower() == "true"
    return True


@checker("answers-file")
def check(project, answers):
    findings = []
    for key in ("_src_path", "_commit"):
        if key not in answers:
            findings.append(Finding("answers-file", FILE, None, f"missing {key}"))
    for name, spec in questions().items():
        if _asked(spec, answers) and name not in answers:
            findings.append(Finding("answers-file", FILE, None, f"missing answer for {name}"))
        if not _asked(spec, answers) and name in answers:
            findings.append(Finding("answers-file", FILE, None, f"records {name}, which is never asked"))
    return findings
