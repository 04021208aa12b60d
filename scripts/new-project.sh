#!/usr/bin/env bash
# Sets up copier (in .venv) and generates a project with the default answers, non-interactively.
# Usage: scripts/new-project.sh [DESTINATION] [extra copier arguments, e.g. --data cloud_provider=gcp]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
destination="${1:-my-mlops-project}"
shift || true

PYTHON="${PYTHON:-python3}"
[ -x "$repo/.venv/bin/python" ] || "$PYTHON" -m venv "$repo/.venv"
"$repo/.venv/bin/pip" install --quiet -e "$repo"

exec "$repo/.venv/bin/copier" copy --trust --defaults "$@" "$repo" "$destination"
