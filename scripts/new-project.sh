#!/usr/bin/env bash
# Sets up copier (in .venv) and generates a project with the default answers, non-interactively,
# OUTSIDE this repository (default: ../my-mlops-project).
# Usage: scripts/new-project.sh [DESTINATION] [--data KEY=VALUE ...] [--vcs-ref TAG] [--allow-dirty-template]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"

PYTHON="${PYTHON:-python3}"
[ -x "$repo/.venv/bin/python" ] || "$PYTHON" -m venv "$repo/.venv"
"$repo/.venv/bin/pip" install --quiet -e "$repo" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)

exec "$repo/.venv/bin/python" -m mlops_scaffold.new_project --template "$repo" "$@"
