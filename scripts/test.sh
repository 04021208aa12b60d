#!/usr/bin/env bash
# The whole test suite on a fresh machine: set up, build the docs strictly, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict --quiet
.venv/bin/pytest "$@"
