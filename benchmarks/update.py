#!/usr/bin/env python3
"""Update benchmark: `mlops-scaffold update` over many projects against a plain `copier update` loop.

    .venv/bin/python benchmarks/update.py [--projects 20] [--jobs 2] [--check]

One temporary clone of this working tree is tagged v0.1.0; one project is rendered from it
(`copier copy --defaults`, with the post-copy task's first commit) and copied --projects times for
each case, so every case updates identical projects. The template then gets a v0.2.0 (a new
.editorconfig section), and each case takes its own copies to v0.2.0:

- plain loop: `copier update --trust --defaults` run once per project, one after another, the way a
  shell loop over the projects does it (the baseline);
- library loop: `copier.run_update(...)` per project in this one Python process: the floor of what
  any tool around copier can reach (no interpreter start per project);
- cli --jobs 1: one `mlops-scaffold update P1 ... PN` (checks every project first, then updates,
  then the table), one project at a time;
- cli --jobs N: the same with N worker processes.

It prints each case's wall time, time per project and ratio to the plain loop, then the two targets:
the CLI (--jobs 1) within 10% of the plain loop, and the --jobs speed-up on this machine. Cases run
once each by default (an update takes seconds, and 4 x 20 of them minutes); `--rounds 2` runs them
again in reverse order, so a machine whose load changes during the run weighs on every case alike. It exits
0 whatever the result unless --check is given. A benchmark, not a timed test.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import copier
import yaml

REPO = Path(__file__).resolve().parent.parent
IDENTITY = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env={**os.environ, **IDENTITY})


def cli_command() -> list[str]:
    """The installed console script beside this interpreter, else the module."""
    script = Path(sys.executable).with_name("mlops-scaffold")
    return [str(script)] if script.exists() else [sys.executable, "-m", "mlops_scaffold.cli"]


def make_template(root: Path) -> Path:
    template = root / "template"
    ignore = shutil.ignore_patterns(".git", ".venv*", ".cache", "site", "__pycache__", "*.egg-info")
    shutil.copytree(REPO, template, ignore=ignore)
    git(template, "init", "-q", "--initial-branch=main")
    git(template, "add", "-A")
    git(template, "commit", "-qm", "release 0.1.0")
    git(template, "tag", "v0.1.0")
    return template


def release(template: Path) -> None:
    editorconfig = template / "template" / ".editorconfig"
    editorconfig.write_text(editorconfig.read_text() + "\n[*.sql]\nindent_size = 2\n")
    git(template, "commit", "-qam", "release 0.2.0")
    git(template, "tag", "v0.2.0")


def copies(seed: Path, folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    projects = []
    for index in range(count):
        project = folder / f"project-{index:02d}"
        shutil.copytree(seed, project, symlinks=True)
        projects.append(project)
    return projects


def plain_loop(projects: list[Path]) -> None:
    copier_bin = Path(sys.executable).with_name("copier")
    for project in projects:
        subprocess.run(
            [str(copier_bin), "update", "--trust", "--defaults", "--quiet"],
            cwd=project,
            check=True,
            capture_output=True,
        )


def library_loop(projects: list[Path]) -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    saved = os.dup(1)
    os.dup2(devnull, 1)  # the template's migration prints a line per project
    try:
        for project in projects:
            copier.run_update(project, defaults=True, overwrite=True, unsafe=True, quiet=True)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def cli(projects: list[Path], jobs: int) -> None:
    result = subprocess.run(
        [*cli_command(), "update", *map(str, projects), "--jobs", str(jobs)], capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"mlops-scaffold update failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")


def updated(projects: list[Path]) -> bool:
    return all(yaml.safe_load((p / ".copier-answers.yml").read_text())["_commit"] == "v0.2.0" for p in projects)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="workers of the parallel case")
    parser.add_argument("--rounds", type=int, default=1, help="rounds, alternating the order of the cases")
    parser.add_argument("--target", type=float, default=1.10, help="CLI / plain loop ratio to pass")
    parser.add_argument("--check", action="store_true", help="exit 1 when the CLI misses the target")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="mlops-scaffold-update-bench-") as tmp:
        root = Path(tmp)
        template = make_template(root)
        seed = root / "seed"
        copier.run_copy(str(template), seed, defaults=True, unsafe=True, quiet=True, vcs_ref="v0.1.0")
        release(template)
        cases = [
            ("plain copier update loop", plain_loop),
            ("copier.run_update loop (library floor)", library_loop),
            ("mlops-scaffold update --jobs 1", lambda ps: cli(ps, 1)),
            (f"mlops-scaffold update --jobs {args.jobs}", lambda ps: cli(ps, args.jobs)),
        ]
        times = dict.fromkeys((name for name, _ in cases), 0.0)
        for round_ in range(args.rounds):
            # Odd rounds run the cases in reverse, so a machine that slows down or speeds up during
            # the run weighs on every case alike.
            for name, run in cases if round_ % 2 == 0 else cases[::-1]:
                projects = copies(seed, root / f"round-{round_}-case-{cases.index((name, run))}", args.projects)
                start = time.perf_counter()
                run(projects)
                times[name] += time.perf_counter() - start
                if not updated(projects):
                    raise SystemExit(f"{name}: not every project reached v0.2.0")
                shutil.rmtree(projects[0].parent)

    baseline = times[cases[0][0]]
    updates = args.projects * args.rounds
    print(
        f"{args.projects} projects x {args.rounds} round(s), v0.1.0 -> v0.2.0; "
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs"
    )
    print(f"{'case':<42} {'total s':>8} {'s/project':>10} {'vs plain loop':>14}")
    for name, seconds in times.items():
        print(f"{name:<42} {seconds:8.1f} {seconds / updates:10.2f} {seconds / baseline:13.2f}x")
    cli_ratio = times[cases[2][0]] / baseline
    speedup = times[cases[2][0]] / times[cases[3][0]]
    verdict = "PASS" if cli_ratio <= args.target else "FAIL"
    print(
        f"CLI overhead over the plain loop: {100 * (cli_ratio - 1):+.1f}% (target under "
        f"{100 * (args.target - 1):.0f}%): {verdict}"
    )
    print(f"CLI overhead over the library floor: {100 * (times[cases[2][0]] / times[cases[1][0]] - 1):+.1f}%")
    print(f"--jobs {args.jobs} speed-up over --jobs 1: {speedup:.2f}x")
    return 1 if args.check and verdict == "FAIL" else 0


if __name__ == "__main__":
    sys.exit(main())
