#!/usr/bin/env bash
# Sets up everything the template and its test suite need on a fresh machine (offline-capable:
# PyPI only). Idempotent: re-running only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"

# The template's own tools: copier, pytest, linters and scanners that install from wheels.
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -r requirements-test.txt -e .

# checkov pins an old `packaging` that conflicts with pytest 9: it gets a virtual environment of its own.
[ -x .venv-checkov/bin/python ] || "$PYTHON" -m venv .venv-checkov
.venv-checkov/bin/pip install --quiet -r requirements-checkov.txt

# Offline provider schemas for the Terraform schema checker: pip-downloads the pinned cdktn-provider
# wheels (no install) and caches the compact schema under .cache/provider-schema/.
.venv/bin/python tests/provider_schema.py
