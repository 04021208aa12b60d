"""Migration step for a file the template moved: `git mv` the project's copy to the new path first.

Without it, `copier update` deletes the old path (the template no longer has it) and writes the new
one from the template, and the project's own edits to the file are lost without a conflict. Run
in the `before` stage, the project's file, edits included, is already at the new path when copier
merges, so the edits are kept (or marked as a conflict where the template changed the same lines).

    _migrations:
      - version: v0.3.0
        when: "{{ _stage == 'before' }}"
        command: ["{{ _copier_python }}", "{{ _copier_conf.src_path }}/hooks/move_file.py", docs/old.md, docs/new.md]

`git mv` (copier takes the project's tree from git's index); standard library only. A project
without the old file, or that already has the new one, is left alone.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    args = parser.parse_args(argv)
    for path in (args.old, args.new):
        if path.is_absolute() or ".." in path.parts:
            parser.error(f"expected a path inside the project, got '{path}'")
    if not args.old.exists() or args.new.exists():
        return 0
    args.new.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(["git", "mv", str(args.old), str(args.new)], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        print(f"move_file: git mv {args.old} {args.new} failed: {result.stderr.strip()}", file=sys.stderr)
        return 1
    print(f"migration: moved {args.old} to {args.new}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
