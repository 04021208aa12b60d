"""Post-copy task (run by copier's `_tasks` on `copier copy` only; quick, offline, no cloud).

1. `terraform fmt -recursive` on infra/ when a terraform binary is on PATH, else a one-line notice.
2. `git init` with an initial commit unless the destination is itself the root of a repository.
   A project generated inside another repository (a monorepo, or by mistake the template clone)
   still gets its own: `copier update` needs the project's own clean history.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def format_terraform(project: Path) -> None:
    infra = project / "infra" / "terraform"
    if not infra.is_dir():
        return
    try:
        from terraform_adapter import find_terraform, fmt
    except ImportError:  # copier installed without this template's requirements (e.g. a bare pipx copier)
        print("python-terraform is not installed beside copier: skipped `terraform fmt` (run `make tf-fmt`).")
        return
    terraform = find_terraform()
    if terraform is None:
        print("terraform not found on PATH: skipped `terraform fmt` (run `make tf-fmt` once it is installed).")
        return
    rewritten = fmt(infra, terraform)
    print(f"terraform fmt: {len(rewritten)} file(s) formatted.")


def git(project: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=project, check=True, capture_output=True, text=True).stdout


def is_repository_root(project: Path) -> bool:
    result = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=project, capture_output=True, text=True)
    return result.returncode == 0 and Path(result.stdout.strip()).resolve() == project.resolve()


def initial_commit(project: Path, author_name: str, author_email: str) -> None:
    if is_repository_root(project):
        print("Destination is already a git repository: left its history alone.")
        return
    git(project, "init", "--quiet", "--initial-branch=main")
    git(project, "add", "--all")
    # Use the answers as the identity only where git has none configured (CI machines, containers).
    identity = []
    if not subprocess.run(["git", "config", "user.email"], cwd=project, capture_output=True).stdout.strip():
        identity = ["-c", f"user.name={author_name}", "-c", f"user.email={author_email}"]
    git(project, *identity, "commit", "--quiet", "--no-verify", "-m", "Initial commit from mlops-scaffold")
    print("Initialised a git repository with an initial commit.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--author-name", required=True)
    parser.add_argument("--author-email", required=True)
    args = parser.parse_args()
    project = Path.cwd()
    format_terraform(project)
    initial_commit(project, args.author_name, args.author_email)


if __name__ == "__main__":
    main()
