#!/usr/bin/env bash
# The whole test suite on a fresh machine: set up, build the docs strictly, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict --quiet
# Two workers on two cores; a test file stays on one worker (some files share a generated project
# between their tests in order: install, dvc repro, then push and serve).
.venv/bin/pytest -n auto --dist loadfile "$@"
