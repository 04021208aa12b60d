"""Migration step for a renamed question: rename its key in the project's `.copier-answers.yml`.

Run by a `_migrations` entry of copier.yml in the `before` stage, so that copier reads the answer
under its new name when it renders the new version (copier reloads the answers file after the
`before` migrations). Without it the recorded answer is lost and the new question takes its default.

    _migrations:
      - version: v0.2.0
        when: "{{ _stage == 'before' }}"
        command: ["{{ _copier_python }}", "{{ _copier_conf.src_path }}/hooks/rename_answer.py", old_name, new_name]

Line-based, so the file's header comment and order stay as copier wrote them; standard library only
(copier runs it with its own Python). A project that never recorded the old name is left alone.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def rename(text: str, old: str, new: str) -> tuple[str, bool]:
    """``text`` with the top-level key ``old`` renamed to ``new``, and whether it was there (a
    project already migrated has only ``new``; one that has both is refused, not overwritten)."""
    if not re.search(rf"^{re.escape(old)}:", text, re.M):
        return text, False
    if re.search(rf"^{re.escape(new)}:", text, re.M):
        raise ValueError(f"the answers file already records '{new}'; not renaming '{old}' over it")
    return re.sub(rf"^{re.escape(old)}:", f"{new}:", text, flags=re.M), True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--answers-file", default=".copier-answers.yml", type=Path)
    args = parser.parse_args(argv)
    for name in (args.old, args.new):
        if not NAME.match(name):
            parser.error(f"expected a question name, got '{name}'")
    try:
        text, found = rename(args.answers_file.read_text(), args.old, args.new)
    except (OSError, ValueError) as error:
        print(f"rename_answer: {error}", file=sys.stderr)
        return 1
    if found:
        args.answers_file.write_text(text)
        print(f"migration: answer '{args.old}' is now '{args.new}' in {args.answers_file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
