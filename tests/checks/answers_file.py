"""The answers file records every question that was asked, so `copier update` can replay it."""

from mlops_scaffold.matrix import asked, questions

from . import Finding, checker

FILE = ".copier-answers.yml"


@checker("answers-file")
def check(project, answers):
    findings = []
    for key in ("_src_path", "_commit"):
        if key not in answers:
            findings.append(Finding("answers-file", FILE, None, f"missing {key}"))
    for name in questions():
        if asked(name, answers) and name not in answers:
            findings.append(Finding("answers-file", FILE, None, f"missing answer for {name}"))
        if not asked(name, answers) and name in answers:
            findings.append(Finding("answers-file", FILE, None, f"records {name}, which is never asked"))
    return findings
