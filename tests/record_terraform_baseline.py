#!/usr/bin/env python3
"""Record tests/fixtures/terraform_baseline.json: every matrix variant's resource addresses, each with
a digest of its known arguments (tests/terraform_model.py), rendered from the template at a commit.

    .venv/bin/python tests/record_terraform_baseline.py [--vcs-ref COMMIT]

The committed fixture was recorded at the commit named in it, before the Terraform was reorganised
into stack modules; tests/test_terraform_refactor.py compares every variant's render against it.
Resources added on purpose since then are recorded beside it, without touching it:

    .venv/bin/python tests/record_terraform_baseline.py --additions   (after committing them)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import copier

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from mlops_scaffold.matrix import variant_id, variants  # noqa: E402
from terraform_model import follow, load_root, roots, snapshot  # noqa: E402
from tools import REPO  # noqa: E402

FIXTURE = REPO / "tests" / "fixtures" / "terraform_baseline.json"


def digest(arguments: dict) -> str:
    return hashlib.sha256(json.dumps(arguments, sort_keys=True).encode()).hexdigest()[:12]


def digests(project: Path) -> dict[str, dict[str, str]]:
    return {root: {a: digest(args) for a, args in sorted(res.items())} for root, res in snapshot(project).items()}


def additions(project: Path, recorded: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Resources of ``project`` that the baseline does not hold, after its moved blocks: added on purpose."""
    found = {}
    for root_path in roots(project):
        name = str(root_path.relative_to(project))
        root = load_root(root_path)
        expected = {follow(old, root.moved) for old in recorded.get(name, {})}
        new = {a: digest(args) for a, args in sorted(root.resources.items()) if a not in expected}
        if new:
            found[name] = new
    return found


def render_at(commit: str, answers: dict, dst: Path) -> Path:
    copier.run_copy(
        str(REPO), dst, data=answers, defaults=True, unsafe=True, quiet=True, skip_tasks=True, vcs_ref=commit
    )
    return dst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vcs-ref", default="HEAD")
    parser.add_argument(
        "--additions",
        action="store_true",
        help="keep the baseline; record the resources added on purpose since it (at --vcs-ref) beside it",
    )
    args = parser.parse_args()
    commit = subprocess.run(
        ["git", "rev-parse", args.vcs_ref], cwd=REPO, check=True, capture_output=True, text=True
    ).stdout.strip()
    if args.additions:
        recorded = json.loads(FIXTURE.read_text())
        recorded["additions"] = {"commit": commit, "variants": {}}
    else:
        recorded = {"commit": commit, "variants": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for answers in variants():
            dst = render_at(commit, answers, Path(tmp) / variant_id(answers))
            if args.additions:
                added = additions(dst, recorded["variants"][variant_id(answers)])
                if added:
                    recorded["additions"]["variants"][variant_id(answers)] = added
            else:
                recorded["variants"][variant_id(answers)] = digests(dst)
    FIXTURE.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n")
    print(f"{FIXTURE.relative_to(REPO)}: {len(recorded['variants'])} variants at {commit}")


if __name__ == "__main__":
    main()
