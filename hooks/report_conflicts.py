"""After `copier update`: name the files left with conflicts, so none is committed unresolved.

Run by copier.yml's `_migrations` (after every update between versions). Copier marks a conflict
inline (`<<<<<<<` markers, recorded as unmerged in git's index) or, with `--conflict rej`, beside
the file as `<file>.rej`; its own output says only "Updating to template version ...".
Read-only: it reports and never fails the update.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


def conflicted_files(project: Path) -> list[str]:
    unmerged = subprocess.run(
        ["git", "diff", "--name-only", "--diff-filter=U"], cwd=project, capture_output=True, text=True, check=False
    ).stdout.split()
    rejects = [str(path.relative_to(project)) for path in project.rglob("*.rej") if ".git" not in path.parts]
    return sorted(set(unmerged) | set(rejects))


def main() -> None:
    files = conflicted_files(Path.cwd())
    if not files:
        print("copier update: no conflicts.")
        return
    print(f"copier update left conflicts in {len(files)} file(s); resolve each, then `git add` it:")
    for name in files:
        print(f"  {name}")


if __name__ == "__main__":
    main()
