"""The interactive `copier copy`, driven through a pseudo-terminal the way a person types.

Copier validates text and checkbox prompts as they are answered, and shows a single-choice
question's unavailable choices as disabled, with the reason (its per-choice validator). This test
types bad answers and tries the incompatible choices; each is refused with its message and the
prompt asks again. The finished project then passes every static check of the matrix.
"""

from __future__ import annotations

import contextlib
import re
import time

import pexpect
import pytest
import yaml

from checks import all_checkers
from mlops_scaffold import questions as model
from tools import REPO, VENV_BIN

ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[()][A-Z0-9]|\r")
ENTER, DOWN, UP = "\r", "\x1b[B", "\x1b[A"
# ctrl-e, then backspaces: a prefilled default may span lines (a yaml answer shows as "4\n...")
CLEAR_LINE = "\x05" + "\x7f" * 80


class Terminal:
    """A copier process on a pseudo-terminal, read as plain text (escape sequences removed)."""

    def __init__(self, destination):
        self.child = pexpect.spawn(
            str(VENV_BIN / "copier"),
            ["copy", "--trust", str(REPO), str(destination)],
            encoding="utf-8",
            timeout=60,
            dimensions=(60, 220),
            # No cursor-position requests: prompt_toolkit would wait for an answer a pty never gives.
            env={
                "TERM": "xterm-256color",
                "PATH": f"{VENV_BIN}:/usr/bin:/bin",
                "HOME": str(destination.parent),
                "PROMPT_TOOLKIT_NO_CPR": "1",
            },
        )
        self.text = ""
        self.mark = 0  # what was shown before the last key press is not searched again
        self.question_start = 0  # where the open question's prompt was shown

    def _read(self, seconds: float) -> None:
        with contextlib.suppress(pexpect.TIMEOUT):
            self.text += ANSI.sub("", self.child.read_nonblocking(100_000, timeout=seconds))

    def wait_for(self, text: str, since: int | None = None, timeout: float = 60) -> int:
        """Wait until ``text`` is shown after ``since`` (default: the last key press); its position."""
        start = self.mark if since is None else since
        deadline = time.monotonic() + timeout
        while (found := self.text.find(text, start)) < 0:
            if time.monotonic() > deadline or not self.child.isalive() and not self.child.buffer:
                raise AssertionError(f"waited for {text!r}; the screen ended with:\n{self.text[-3000:]}")
            self._read(0.5)
        return found

    def open_question(self, help_text: str) -> None:
        self.question_start = self.wait_for(help_text)

    def refused(self, message: str) -> None:
        """The open question shows ``message`` and is still open (prompt_toolkit redraws only what
        changed, so a message shown for an earlier bad answer is not printed again in full)."""
        self.wait_for(message, since=self.question_start)
        assert self.child.isalive(), f"copier exited instead of asking again: {self.text[-2000:]}"

    def press(self, *keys: str) -> None:
        self.mark = len(self.text)
        for key in keys:
            self.child.send(key)
            time.sleep(0.05)

    def type_answer(self, answer: str) -> None:
        self.press(CLEAR_LINE, answer, ENTER)

    def stays_open(self, seconds: float = 3) -> None:
        """No next question follows the last key press within ``seconds``."""
        self._read(seconds)
        assert "🎤" not in self.text[self.mark :], f"the answer was accepted: {self.text[-2000:]}"
        assert self.child.isalive()


# What the person types at each question, by name; every other question takes its default.
# ("type", text) types a new answer, ("keys", ...) presses keys, ("refused", message) checks that
# the answer just given was refused with that message and the same question is still open.
SCRIPT = {
    "project_name": [
        ("type", "1st model"),
        ("refused", "project_name: expected 3-60 characters, starting with a letter"),
        ("type", "$$$"),
        ("refused", "starting with a letter"),
        ("type", "Détection de fraude 2"),
    ],
    "author_email": [
        ("type", "ml-platform.example.com"),
        ("refused", "author_email: expected an e-mail"),
        ("type", "ml@example.com"),
    ],
    "cloud_provider": [("keys", DOWN, ENTER)],  # Google Cloud
    "compliance_profile": [("keys", DOWN, ENTER)],  # GDPR
    "gcp_project_id": [
        ("type", "Google-ML"),
        ("refused", "gcp_project_id: expected Google's project id form"),
        ("type", "fraud-detection-eu"),
    ],
    # The non-EU regions are listed as disabled, with the reason; the cursor skips them.
    "gcp_region": [
        ("shown", "us-central1 (outside the EU: compliance_profile 'gdpr' needs europe-west1 or europe-west4)"),
        ("keys", UP, ENTER),  # from the default europe-west1, past four disabled regions
    ],
    # `a` toggles every box: none chosen is refused (questionary 2.1 draws no message under a
    # checkbox on this terminal, so the test checks that the prompt stays open), then all again.
    "environments": [("keys", "a", ENTER), ("stays_open",), ("keys", "a", ENTER)],
    "gpu_type": [
        ("shown", "NVIDIA A10G (24 GB, AWS only) (not offered on Google Cloud (cloud_provider is 'gcp')"),
        ("keys", DOWN, ENTER),  # from the default L4 the cursor skips the disabled A10G to A100
    ],
    "gpu_max_nodes": [
        ("type", "many"),
        ("refused", "gpu_max_nodes: expected a whole number from 0 to 100"),
        ("type", "2"),
    ],
    "monthly_budget_usd": [("type", "0"), ("refused", "greater than 0"), ("type", "500")],
    "api_allowed_cidrs": [
        ("type", "0.0.0.0/0"),
        ("refused", "opens the Kubernetes API to the whole internet"),
        ("type", "203.0.113.0/24"),
    ],
    "drift_threshold": [
        ("type", "1.5"),
        ("refused", "drift_threshold: expected a number greater than 0 and at most 1"),
        ("type", "0.3"),
    ],
    "data_retention_days": [("type", "0"), ("refused", "from 1 to 3650"), ("type", "400")],
}
# The choices the script makes that decide which later questions are asked.
CHOSEN = {"cloud_provider": "gcp", "compliance_profile": "gdpr"}


def answer(terminal: Terminal, name: str) -> None:
    for step, *args in SCRIPT.get(name, [("keys", ENTER)]):
        if step == "type":
            terminal.type_answer(args[0])
        elif step == "keys":
            terminal.press(*args)
        elif step == "shown":
            terminal.wait_for(args[0])
        elif step == "refused":
            terminal.refused(args[0])
        elif step == "stays_open":
            terminal.stays_open()


@pytest.fixture(scope="module")
def interactive_project(tmp_path_factory):
    destination = tmp_path_factory.mktemp("interactive") / "project"
    terminal = Terminal(destination)
    known = {name: spec.get("default") for name, spec in model.questions().items()} | CHOSEN
    for name, spec in model.questions().items():
        if spec.get("when") is False or not model.asked(spec, known):
            continue
        terminal.open_question(" ".join(str(spec["help"]).split())[:60])
        answer(terminal, name)
    terminal.child.expect(pexpect.EOF, timeout=300)
    terminal.child.close()
    assert terminal.child.exitstatus == 0, terminal.text[-3000:]
    return destination, terminal


def test_refused_answers_are_asked_again_and_the_project_records_the_corrected_ones(interactive_project):
    project, _ = interactive_project
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["project_name"] == "Détection de fraude 2"
    assert answers["project_slug"] == "detection-de-fraude-2"
    assert answers["package_name"] == "detection_de_fraude_2"
    assert answers["gcp_region"] == "europe-west4"
    assert answers["gpu_type"] == "a100"
    assert answers["environments"] == ["dev", "staging", "prod"]
    assert (answers["gpu_max_nodes"], answers["monthly_budget_usd"], answers["drift_threshold"]) == (2, 500, 0.3)
    readme = (project / "README.md").read_text()
    assert readme.startswith("# Détection de fraude 2\n")


def test_interactive_project_passes_every_static_check(interactive_project):
    project, _ = interactive_project
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    failures = []
    for check in all_checkers().values():
        if check.applies(answers):
            failures += [str(finding) for finding in check.run(project, answers)]
    assert not failures, "\n".join(failures)


def test_no_validator_sits_on_a_single_choice_question():
    """Copier never runs a select prompt's `validator` interactively: rules belong on the choices."""
    offenders = [
        name for name, spec in model.questions().items() if model.is_single_choice(spec) and spec.get("validator")
    ]
    assert offenders == [], f"move these rules into per-choice validators: {offenders}"
