"""Guards of `mlops-scaffold new` (the README's quick start) around `copier.run_copy`, which copier
itself does not give:
- the destination must lie outside the template repository (a project inside the clone gets no git
  history of its own, and `copier update` in it fails on the clone's dirty tree);
- the template must have no uncommitted changes unless asked for (the project would record a
  commit that exists nowhere, and every later `copier update` fails with "Unknown revision");
- a bad answer prints one short message naming the question, not a Python traceback.
"""

from __future__ import annotations

import re
import subprocess
import textwrap
from pathlib import Path

# Copier's prefixes before a validator's message; ours already start with the question's name.
COPIER_PREFIX = re.compile(
    r"^(?:Validation error for question|Invalid choice for) '(?P<question>\w+)': (?P<rest>.*)$", re.S
)
WIDTH = 79


class UsageError(Exception):
    """A refused request: the message says why and what to do instead."""


def answer_error(error: Exception) -> str:
    """Copier's validation error as `question: what is expected`, without its prefix."""
    message = " ".join(str(error).split())
    match = COPIER_PREFIX.match(message)
    if not match:
        return message
    question, rest = match["question"], match["rest"]
    return rest if rest.startswith(f"{question}:") else f"{question}: {rest}"


def wrap(message: str) -> str:
    # Never inside a word: a path or a preset name stays whole (and can be copied) on a long line.
    return textwrap.fill(message, width=WIDTH, subsequent_indent="  ", break_on_hyphens=False, break_long_words=False)


def uncommitted_changes(template: Path) -> list[str]:
    """Paths `git status` reports in the template repository (ignored files excluded)."""
    result = subprocess.run(["git", "status", "--porcelain"], cwd=template, capture_output=True, text=True, check=False)
    if result.returncode != 0:  # not a git repository: copier copies the folder as it is
        return []
    return [line[3:] for line in result.stdout.splitlines()]


def parse_data(pairs: list[str]) -> dict[str, str]:
    data = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"--data: expected KEY=VALUE (got '{pair}').")
        data[key] = value  # a string, as `copier --data` passes it: copier parses it by the question's type
    return data


def check_destination(destination: Path, template: Path) -> None:
    if destination == template or template in destination.parents:
        raise UsageError(
            f"the destination {destination} is inside the template repository {template}; "
            f"generate outside it, for example: scripts/mlops-scaffold new ../{destination.name}"
        )


def check_template_committed(template: Path, allow_dirty: bool) -> None:
    changes = uncommitted_changes(template)
    if changes and not allow_dirty:
        raise UsageError(
            f"the template repository {template} has {len(changes)} uncommitted change(s) "
            f"({', '.join(changes[:3])}{', ...' if len(changes) > 3 else ''}); commit or stash them, or pass "
            "--allow-dirty-template to generate from the working tree (the project then records a "
            "commit that exists nowhere, and `copier update` cannot use it)."
        )
