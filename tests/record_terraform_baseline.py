#!/usr/bin/env python3
"""Record tests/fixtures/terraform_baseline.json: every matrix variant's resource addresses, each with
a digest of its known arguments (tests/terraform_model.py), rendered from the template at a commit.

    .venv/bin/python tests/record_terraform_baseline.py [--vcs-ref COMMIT]
    .venv/bin/python tests/record_terraform_baseline.py --update   # after an intended change

--update keeps the recorded (older) address of every resource that the commit still has unchanged
(following `moved` blocks), so the before/after proof of the stack refactor keeps its old
addresses; resources that are new or whose arguments changed on purpose are recorded at their
current address, and resources that are gone are dropped.

The committed fixture was recorded at the commit named in it, before the Terraform was reorganised
into stack modules; tests/test_terraform_refactor.py compares every variant's render against it.
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


def merged(project: Path, old: dict[str, dict[str, str]], new: dict[str, dict[str, str]]) -> dict:
    """Per root: old entries whose resource is unchanged now, plus the current entry of the rest."""
    out = {}
    for root_path in roots(project):
        name = str(root_path.relative_to(project))
        moved = load_root(root_path).moved
        kept, covered = {}, set()
        for address, value in old.get(name, {}).items():
            now = follow(address, moved)
            if new.get(name, {}).get(now) == value:
                kept[address] = value
                covered.add(now)
        kept.update({a: v for a, v in new.get(name, {}).items() if a not in covered})
        out[name] = dict(sorted(kept.items()))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vcs-ref", default="HEAD")
    parser.add_argument("--update", action="store_true", help="keep the old addresses of unchanged resources")
    args = parser.parse_args()
    previous = json.loads(FIXTURE.read_text())["variants"] if args.update else {}
    commit = subprocess.run(
        ["git", "rev-parse", args.vcs_ref], cwd=REPO, check=True, capture_output=True, text=True
    ).stdout.strip()
    recorded = {"commit": commit, "variants": {}}
    if args.update:
        recorded["commit"] = f"{json.loads(FIXTURE.read_text())['commit']}, updated at {commit}"
    with tempfile.TemporaryDirectory() as tmp:
        for answers in variants():
            dst = Path(tmp) / variant_id(answers)
            copier.run_copy(
                str(REPO), dst, data=answers, defaults=True, unsafe=True, quiet=True, skip_tasks=True, vcs_ref=commit
            )
            current = digests(dst)
            if variant_id(answers) in previous:
                current = merged(dst, previous[variant_id(answers)], current)
            recorded["variants"][variant_id(answers)] = current
    FIXTURE.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n")
    print(f"{FIXTURE.relative_to(REPO)}: {len(recorded['variants'])} variants at {commit}")


if __name__ == "__main__":
    main()
