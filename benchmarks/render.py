#!/usr/bin/env python3
"""Render benchmark: how much slower is this template than Copier's own floor?

    .venv/bin/python benchmarks/render.py [--repeat 5] [--vcs-ref HEAD] [--check]

Every case goes through the same call, the one the test suite uses:
``copier.run_copy(src, dst, data=..., defaults=True, unsafe=True, quiet=True, vcs_ref=...)``.

Cases:
- floor: a trivial template (copier.yml with one question, one rendered file, no tasks), created in
  a temporary directory and git-initialised with one commit, like a template repository;
- same-shape floor: a trivial template with exactly the paths that the all-options render writes,
  each file holding one Jinja expression. Copier's cost grows with the number of files (it renders
  every path part and syncs git's executable bit per file), so this is the floor for a project of
  this size, and the ratio to it is the part of the render time that this template controls;
- all-options and defaults: this template (a clean clone of its HEAD unless ``--working-tree``),
  each rendered twice: with its post-copy tasks (``git init`` + first commit + ``terraform fmt``),
  and with ``skip_tasks=True``. The floor has no tasks, so the like-for-like comparison is the one
  without tasks; the one with tasks is what a user waits for.

The cases run interleaved (one round = every case once), ``--repeat`` rounds, after one warm-up
round that is not counted. It prints the median wall time of each case and its ratio to the floor,
and PASS/FAIL against the target: the all-options render (without tasks, like for like) within
``--target`` (3x) of the floor. It exits 0 whatever the result unless ``--check`` is given. This is a
benchmark script, not a timed test.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import copier
import yaml

REPO = Path(__file__).resolve().parent.parent

# The all-options answers: the named answer set of the tests (plain YAML, no test import).
ALL_OPTIONS = yaml.safe_load((REPO / "tests" / "answer_sets.yml").read_text())["all-options"]


@dataclass
class Case:
    name: str
    src: Path
    data: dict
    skip_tasks: bool
    times: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def git(cwd: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.com",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.com",
    }
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


def make_floor_template(root: Path) -> Path:
    """Copier's floor: one question, one file, no tasks, committed to git like a real template."""
    src = root / "floor-template"
    src.mkdir()
    (src / "copier.yml").write_text(
        "_templates_suffix: .jinja\nproject_name:\n  type: str\n  help: Name\n  default: Floor\n"
    )
    (src / "README.md.jinja").write_text("# {{ project_name }}\n")
    git(src, "init", "--quiet")
    git(src, "add", "--all")
    git(src, "commit", "--quiet", "-m", "floor template")
    return src


def make_same_shape_template(root: Path, template: Path, vcs_ref: str | None) -> tuple[Path, int]:
    """A plain template with the all-options render's paths: copier's floor for that many files."""
    rendered = root / "all-options-once"
    copier.run_copy(
        str(template),
        rendered,
        data=ALL_OPTIONS,
        defaults=True,
        unsafe=True,
        quiet=True,
        vcs_ref=vcs_ref,
        skip_tasks=True,
    )
    src = root / "same-shape-template"
    (src / "template").mkdir(parents=True)
    (src / "copier.yml").write_text(
        "_subdirectory: template\n_templates_suffix: .jinja\nproject_name:\n  type: str\n  default: Shape\n"
    )
    files = [path.relative_to(rendered) for path in rendered.rglob("*") if path.is_file()]
    for relative in files:
        target = src / "template" / f"{relative}.jinja"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("{{ project_name }}\n")
    git(src, "init", "--quiet")
    git(src, "add", "--all")
    git(src, "commit", "--quiet", "-m", "same-shape template")
    return src, len(files)


@contextlib.contextmanager
def task_output_silenced():
    """The post-copy tasks print to the inherited stdout; keep the report readable."""
    sys.stdout.flush()
    saved = os.dup(1)
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 1)
        try:
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)


def clean_clone(root: Path) -> tuple[Path, str]:
    """This template's committed HEAD as a clean local repository (others may be editing the tree)."""
    src = root / "mlops-scaffold"
    git(root, "clone", "--quiet", "--no-local", str(REPO), str(src))
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=src, check=True, capture_output=True, text=True
    ).stdout.strip()
    return src, commit


def render_once(case: Case, dst: Path, vcs_ref: str | None) -> float:
    start = time.perf_counter()
    copier.run_copy(
        str(case.src),
        dst,
        data=dict(case.data),
        defaults=True,
        unsafe=True,
        quiet=True,
        vcs_ref=vcs_ref,
        skip_tasks=case.skip_tasks,
    )
    return time.perf_counter() - start


def run(repeat: int, vcs_ref: str | None, template: Path, root: Path) -> list[Case]:
    floor_src = make_floor_template(root)
    shape_src, files = make_same_shape_template(root, template, vcs_ref)
    cases = [
        Case("floor (1-file template, no tasks)", floor_src, {}, skip_tasks=False),
        Case(f"same-shape floor ({files} plain files)", shape_src, {}, skip_tasks=True),
        Case("all-options, skip_tasks", template, ALL_OPTIONS, skip_tasks=True),
        Case("defaults, skip_tasks", template, {}, skip_tasks=True),
        Case("all-options, with tasks", template, ALL_OPTIONS, skip_tasks=False),
        Case("defaults, with tasks", template, {}, skip_tasks=False),
    ]
    counter = 0
    for round_ in range(repeat + 1):  # round 0 warms caches and imports and is not counted
        for case in cases:
            counter += 1
            with task_output_silenced():
                elapsed = render_once(case, root / f"out-{counter}", vcs_ref)
            if round_:
                case.times.append(elapsed)
    return cases


def report(cases: list[Case], target: float) -> bool:
    floor = cases[0].median
    width = max(len(c.name) for c in cases)
    print(f"{'case':<{width}}  {'median s':>9}  {'min s':>7}  {'max s':>7}  {'x floor':>7}")
    for case in cases:
        print(
            f"{case.name:<{width}}  {case.median:>9.3f}  {min(case.times):>7.3f}  {max(case.times):>7.3f}"
            f"  {case.median / floor:>7.2f}"
        )
    like_for_like = cases[2].median / floor
    with_tasks = cases[4].median / floor
    own_share = cases[2].median / cases[1].median
    ok = like_for_like <= target
    print()
    print(
        f"target: all-options render within {target:g}x copier's floor (like for like, skip_tasks): "
        f"{like_for_like:.2f}x -> {'PASS' if ok else 'FAIL'}"
    )
    print(
        f"all-options against {cases[1].name}: {own_share:.2f}x "
        "(what the template's own Jinja and conditions add to copier's per-file cost)"
    )
    print(
        f"for information, with the post-copy tasks (git init + commit + terraform fmt): {with_tasks:.2f}x "
        f"-> {'within' if with_tasks <= target else 'over'} {target:g}x"
    )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="measured rounds (default 5)")
    parser.add_argument("--target", type=float, default=3.0, help="allowed ratio to the floor (default 3)")
    parser.add_argument("--vcs-ref", default="HEAD", help="git ref of both templates (default HEAD)")
    parser.add_argument(
        "--working-tree",
        action="store_true",
        help="render this working tree, uncommitted changes included (default: a clean clone of its HEAD, "
        "so that both templates are clean git repositories, like for like)",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    with warnings.catch_warnings(), tempfile.TemporaryDirectory(prefix="render-bench-") as tmp:
        warnings.simplefilter("ignore")  # DirtyLocalWarning for a working tree with uncommitted changes
        if args.working_tree:
            template, what = REPO, "working tree"
        else:
            template, commit = clean_clone(Path(tmp))
            what = f"clean clone of commit {commit}"
        print(f"copier {copier.__version__}, Python {platform.python_version()}, {os.cpu_count()} CPUs")
        print(f"{args.repeat} measured rounds after 1 warm-up; this template: {what}, ref {args.vcs_ref}")
        cases = run(args.repeat, args.vcs_ref, template, Path(tmp))
    ok = report(cases, args.target)
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
