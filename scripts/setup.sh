#!/usr/bin/env bash
# Sets up everything the template and its test suite need on a fresh machine (offline-capable:
# PyPI only). Idempotent: re-running only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"

# pip, quietly: some machines' pip.conf names local indexes that do not exist, and pip warns
# about each of them for every package; real errors still reach stderr.
pip_install() {
  "$1" -m pip install --quiet "${@:2}" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
}

# Debian packages of the Kubernetes, VM and monitoring checks (the CI machine runs this as root):
# kubectl brings kustomize (`kubectl kustomize`); systemd brings systemd-analyze.
missing=()
command -v kubectl >/dev/null 2>&1 || missing+=(kubectl)
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
# prometheus brings promtool (check and unit-test the generated alerting rules).
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
# prometheus-alertmanager brings amtool (check the generated Alertmanager routing).
command -v amtool >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
# Java 17+ for PySpark: the generated spark variant's tests run its stages in Spark local mode.
java -version 2>&1 | grep -qE 'version "(1[7-9]|[2-9][0-9])' || missing+=(openjdk-17-jre-headless)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The template's own tools: copier, pytest, linters and scanners that install from wheels.
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
pip_install .venv/bin/python --upgrade pip
pip_install .venv/bin/python -r requirements-test.txt -e .

# checkov pins an old `packaging` that conflicts with pytest 9: it gets a virtual environment of its own.
[ -x .venv-checkov/bin/python ] || "$PYTHON" -m venv .venv-checkov
pip_install .venv-checkov/bin/python -r requirements-checkov.txt

# gitlab-ci-local (npm) runs the generated .gitlab-ci.yml's local jobs in the template's tests.
# Pinned: 4.73 and later need Node 22 (Set.prototype.union); these machines have Node 20.
GITLAB_CI_LOCAL_VERSION=4.72.0
# Its shell executor copies the project with rsync (Debian package).
if ! command -v rsync >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends rsync >/dev/null
fi
if [ "$(.tools/npm/node_modules/.bin/gitlab-ci-local --version 2>/dev/null)" != "$GITLAB_CI_LOCAL_VERSION" ]; then
  mkdir -p .tools/npm
  npm install --silent --no-audit --no-fund --prefix .tools/npm "gitlab-ci-local@$GITLAB_CI_LOCAL_VERSION"
fi

# The prometheus-operator CRDs' schemas (ServiceMonitor, PodMonitor, PrometheusRule), offline, for
# tests/prometheus_operator_validate.mjs: kubernetes-validate knows only the built-in kinds.
PROMETHEUS_OPERATOR_MODELS_VERSION=6.0.0
YAML_JS_VERSION=2.9.1
if ! grep -qs "\"version\": \"$PROMETHEUS_OPERATOR_MODELS_VERSION\"" \
  .tools/npm-monitoring/node_modules/@kubernetes-models/prometheus-operator/package.json; then
  mkdir -p .tools/npm-monitoring
  npm install --silent --no-audit --no-fund --prefix .tools/npm-monitoring \
    "@kubernetes-models/prometheus-operator@$PROMETHEUS_OPERATOR_MODELS_VERSION" "yaml@$YAML_JS_VERSION"
fi

# Offline provider schemas for the Terraform schema checker: pip-downloads the pinned cdktn-provider
# wheels (no install) and caches the compact schema under .cache/provider-schema/.
.venv/bin/python tests/provider_schema.py
