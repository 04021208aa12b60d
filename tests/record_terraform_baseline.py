#!/usr/bin/env python3
"""Record tests/fixtures/terraform_baseline.json: every matrix variant's resource addresses, each with
a digest of its known arguments (tests/terraform_model.py), rendered from the template at a commit.

    .venv/bin/python tests/record_terraform_baseline.py [--vcs-ref COMMIT] [--update]

The committed fixture was recorded at the commit named in it, before the Terraform was reorganised
into stack modules; tests/test_terraform_refactor.py compares every variant's render against it.
`--update` records a deliberate change of resources without losing that: each recorded (old)
address keeps its place and takes the digest of where the `moved` blocks put it now; addresses
no recorded one moves to are added, and recorded ones that are gone are dropped. The commits of
such updates are listed under "updated".
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


def updated(project: Path, before: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """The recorded digests of one variant, brought up to date at their recorded addresses."""
    result = {}
    for folder in roots(project):
        name = str(folder.relative_to(project))
        root = load_root(folder)
        now = {address: digest(arguments) for address, arguments in root.resources.items()}
        old = before.get(name, {})
        kept = {address: now[follow(address, root.moved)] for address in old if follow(address, root.moved) in now}
        covered = {follow(address, root.moved) for address in kept}
        result[name] = dict(sorted({**kept, **{a: d for a, d in now.items() if a not in covered}}.items()))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vcs-ref", default="HEAD")
    parser.add_argument("--update", action="store_true", help="keep the recorded addresses (see above)")
    args = parser.parse_args()
    commit = subprocess.run(
        ["git", "rev-parse", args.vcs_ref], cwd=REPO, check=True, capture_output=True, text=True
    ).stdout.strip()
    previous = json.loads(FIXTURE.read_text()) if args.update else None
    recorded = {"commit": commit, "variants": {}}
    if previous:
        recorded = {**previous, "updated": [*previous.get("updated", []), commit], "variants": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for answers in variants():
            dst = Path(tmp) / variant_id(answers)
            copier.run_copy(
                str(REPO), dst, data=answers, defaults=True, unsafe=True, quiet=True, skip_tasks=True, vcs_ref=commit
            )
            name = variant_id(answers)
            recorded["variants"][name] = updated(dst, previous["variants"][name]) if previous else digests(dst)
    FIXTURE.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n")
    print(f"{FIXTURE.relative_to(REPO)}: {len(recorded['variants'])} variants at {commit}")


if __name__ == "__main__":
    main()
