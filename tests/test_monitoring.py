"""Cross-file tests of the generated monitoring/ (issue: alerts that tell the team when serving,
the model or the data go wrong): every alert has a runbook section, a unit test that fires it and
one that does not; the PrometheusRule carries exactly the rules file's groups; the dashboard's
queries are valid PromQL; every cloud alarm notifies the answers' e-mails. (promtool itself runs
as a static checker in every variant; the live check of the queried metrics against /metrics is
in test_generated_project.py.)"""

from __future__ import annotations

import re

import hcl2
import pytest
import yaml

import terraform_model
from answer_sets import answer_sets
from monitoring_queries import alerts, dashboard_queries, metric_names, rules
from tools import run, tool

VARIANTS = answer_sets(
    "defaults", "aws-vm-hipaa-gitlab-dev", "gcp-vm-gdpr-t4", "pytorch-none-ab-feast", "sklearn-none-rolling-gcp-spark"
)


@pytest.fixture(scope="module", params=list(VARIANTS), ids=list(VARIANTS))
def project(request, render_cache):
    return render_cache.get(request.param, VARIANTS[request.param], skip_tasks=True)


def test_every_alert_has_a_runbook_section_that_its_annotation_links(project):
    runbooks = (project / "docs/runbooks.md").read_text()
    sections = set(re.findall(r"^## (\w+)$", runbooks, flags=re.MULTILINE))
    found = alerts(project)
    assert {"ServeHighErrorRate", "ServeHighLatencyP99", "ServeNoTraffic", "DriftDetected"} <= set(found)
    for name, rule in found.items():
        assert name in sections, f"docs/runbooks.md has no section '## {name}'"
        assert rule["annotations"]["runbook_url"] == f"docs/runbooks.md#{name.lower()}"
        assert rule["labels"]["severity"] in ("critical", "warning"), name


def test_canary_alerts_exist_only_where_a_challenger_gets_traffic(project):
    split = yaml.safe_load((project / ".copier-answers.yml").read_text())["deployment_strategy"] != "rolling"
    assert ({"ChallengerErrorRateWorse", "ChallengerLatencyWorse"} <= set(alerts(project))) is split


def test_every_alert_has_a_unit_test_that_fires_it_and_one_that_does_not(project):
    cases: dict[str, set[bool]] = {}
    for path in (project / "monitoring/tests").glob("*.test.yml"):
        for test in yaml.safe_load(path.read_text())["tests"]:
            for case in test.get("alert_rule_test", []):
                cases.setdefault(case["alertname"], set()).add(bool(case.get("exp_alerts")))
    for name in alerts(project):
        assert cases.get(name) == {True, False}, f"{name}: firing and silent cases {cases.get(name)}"


def test_the_latency_alert_uses_the_answer(project):
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    expr = alerts(project)["ServeHighLatencyP99"]["expr"]
    assert expr.endswith(f"> {answers['p99_latency_ms'] / 1000}"), expr


def test_the_prometheus_rule_carries_the_rules_file(project):
    base = project / "deploy/k8s/base/monitoring.yaml"
    if not base.exists():
        pytest.skip("no Kubernetes in this variant")
    documents = {d["kind"]: d for d in yaml.safe_load_all(base.read_text())}
    groups = yaml.safe_load((project / "monitoring/rules/serving.rules.yml").read_text())["groups"]
    assert documents["PrometheusRule"]["spec"]["groups"] == groups
    # The PodMonitor sets the job label that every serving rule selects.
    job = documents["PodMonitor"]["spec"]["podMetricsEndpoints"][0]["relabelings"][0]["replacement"]
    serving = [rule["expr"] for rule in rules(project) if "http_requests_total" in rule["expr"]]
    assert serving and all(f'job="{job}"' in expr for expr in serving)


def test_dashboard_queries_are_valid_promql_over_the_server_and_drift_metrics(project, tmp_path):
    queries = dashboard_queries(project)
    assert {"http_request_duration_seconds_bucket", "prediction_score_bucket", "drift_feature_psi"} <= metric_names(
        queries
    )
    # promtool parses PromQL only inside rules: one recording rule per query, Grafana's interval filled in.
    records = [
        {"record": f"dashboard:query_{i}", "expr": q.replace("$__rate_interval", "5m")} for i, q in enumerate(queries)
    ]
    path = tmp_path / "dashboard.rules.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": records}]}))
    result = run([tool("promtool"), "check", "rules", str(path)])
    assert result.returncode == 0, result.stdout + result.stderr


# ── Cloud alarms (infra/terraform/<cloud>/modules/stack/monitoring*.tf) ──
ALARM_TYPES = ("aws_cloudwatch_metric_alarm", "google_monitoring_alert_policy")


def env_roots(project):
    return [root for root in terraform_model.roots(project) if root.parent.name == "envs"]


def test_every_cloud_alarm_notifies_the_answers_emails_and_links_a_runbook(project):
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    emails = sorted(email.strip() for email in answers["budget_alert_emails"].split(","))
    runbooks = (project / "docs/runbooks.md").read_text()
    anchors = {
        re.sub(r"[^a-z0-9 -]", "", h.lower()).replace(" ", "-") for h in re.findall(r"^#+ (.+)$", runbooks, re.M)
    }
    for root in env_roots(project):
        resources = terraform_model.load_root(root).resources
        alarms = {address: args for address, args in resources.items() if address.split(".")[-2] in ALARM_TYPES}
        assert alarms, f"{root}: no alarm"
        # The answers reach the stack: terraform.tfvars -> module "stack" -> the subscriptions/channels.
        tfvars = hcl2.loads((root / "terraform.tfvars").read_text())
        assert sorted(terraform_model.unquote(e) for e in tfvars["alert_emails"]) == emails, root
        assert re.search(r"^\s*alert_emails\s*=\s*var\.alert_emails$", (root / "main.tf").read_text(), re.M), root
        if "/aws/" in str(root):
            topic = next(a for k, a in resources.items() if k.endswith(".aws_sns_topic.alarms"))
            assert topic["kms_master_key_id"], root
    # Every alarm's action names the topic or the channels, one per address of var.alert_emails
    # (references and for_each the static model cannot evaluate: read from the HCL).
    for path in (project / "infra/terraform").glob("*/modules/stack/monitoring*.tf"):
        for entry in hcl2.loads(path.read_text()).get("resource", []):
            for rtype, named in entry.items():
                if rtype.strip('"') in ("aws_sns_topic_subscription", "google_monitoring_notification_channel"):
                    body = next(iter(named.values()))
                    assert "var.alert_emails" in body["for_each"] and "each.value" in str(body), (path, rtype)
                    kind = body.get("protocol", body.get("type"))
                    assert terraform_model.unquote(kind) == "email", (path, rtype)
                if rtype.strip('"') not in ALARM_TYPES:
                    continue
                for name, body in named.items():
                    actions = str(body.get("alarm_actions", body.get("notification_channels")))
                    assert "aws_sns_topic.alarms.arn" in actions or "local.alert_channels" in actions, (path, name)
                    linked = re.findall(r"docs/runbooks\.md#([a-z0-9-]+)", str(body))
                    assert linked and set(linked) <= anchors, (
                        f"{path.name} {name}: runbook {linked} not in docs/runbooks.md"
                    )


def _route(project, labels: dict) -> str:
    """The receiver Alertmanager picks for an alert's labels (amtool evaluates the routing tree)."""
    args = [f"{key}={value}" for key, value in labels.items()]
    config = "--config.file=monitoring/alertmanager.yml"
    result = run([tool("amtool"), "config", "routes", "test", config, *args], cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip()


def test_alertmanager_mails_the_answers_emails_and_routes_every_alert_by_its_severity(project):
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    emails = sorted(email.strip() for email in answers["budget_alert_emails"].split(","))
    config = yaml.safe_load((project / "monitoring/alertmanager.yml").read_text())
    for receiver in config["receivers"]:
        assert sorted(c["to"] for c in receiver["email_configs"]) == emails, receiver["name"]
        assert set(receiver) == {"name", "email_configs"}, receiver  # no receiver that mails elsewhere
    assert "smtp_auth_password" not in config["global"], "the SMTP password belongs in a file, not here"
    routes = {route["receiver"]: route for route in config["route"]["routes"]}
    for name, rule in alerts(project).items():
        severity = rule["labels"]["severity"]
        # The root route's receiver catches only what no severity route matches.
        receiver = _route(project, {"alertname": name, **rule["labels"]})
        assert receiver == f"email-{severity}", f"{name} (severity {severity}) goes to {receiver}"
        assert routes[receiver].get("repeat_interval"), receiver
    assert routes["email-critical"]["repeat_interval"] != routes["email-warning"]["repeat_interval"]


def test_alertmanager_inhibits_only_alerts_that_exist(project):
    config = yaml.safe_load((project / "monitoring/alertmanager.yml").read_text())
    found = alerts(project)
    for rule in config["inhibit_rules"]:
        [source] = rule["source_matchers"]
        [target] = rule["target_matchers"]
        assert re.fullmatch(r'alertname="(\w+)"', source).group(1) in found, source
        targets = re.fullmatch(r'alertname=~"([\w|]+)"', target).group(1).split("|")
        assert set(targets) <= set(found), sorted(set(targets) - set(found))
        # Inhibition needs the equal labels on both sides: every alert carries them.
        assert all(set(rule["equal"]) <= set(found[t]["labels"]) for t in targets), rule


def _failure_hook(project, cloud):
    """The training unit's OnFailure= unit, and the body of the script it runs as startup.sh installs it."""
    slug = yaml.safe_load((project / ".copier-answers.yml").read_text())["project_slug"]
    units = project / "deploy/vm/units"
    hook = re.search(r"^OnFailure=(\S+)$", (units / f"{slug}-train.service").read_text(), re.M)
    assert hook, "the training unit reports no failure"
    startup = (project / f"deploy/vm/{cloud}/startup.sh").read_text()
    # startup.sh installs the hook unit exactly as the repository has it, and the script it runs.
    assert (units / hook[1]).read_text() in startup, hook[1]
    script = re.search(r"^ExecStart=(\S+)$", (units / hook[1]).read_text(), re.M)[1]
    return startup, re.search(rf"cat >{re.escape(script)} <<'SCRIPT'\n(.*?)\nSCRIPT", startup, re.S)[1]


def test_a_failed_training_run_on_the_aws_vm_reaches_its_alarm(project):
    """The training unit's OnFailure= hook puts the metric that the alarm watches, in the namespace
    that the VM's role may write and the alarm reads."""
    if not (project / "deploy/vm/aws").is_dir():
        pytest.skip("no AWS GPU VM in this variant")
    startup, body = _failure_hook(project, "aws")
    put = re.search(
        r'aws cloudwatch put-metric-data .*--namespace "\$METRICS_NAMESPACE" \\\n\s*--metric-name (\w+) --value 1', body
    )
    assert put, body
    namespace_template = re.search(r"^METRICS_NAMESPACE=(\S+)$", startup, re.M)[1]
    for root in env_roots(project):
        if "/aws/" not in str(root):
            continue
        env = root.name
        resources = terraform_model.load_root(root).resources
        alarm = next(a for k, a in resources.items() if k.endswith("aws_cloudwatch_metric_alarm.training_failed"))
        assert (alarm["namespace"], alarm["metric_name"]) == (namespace_template.replace("$environment", env), put[1])
        assert alarm["threshold"] == 1 and alarm["treat_missing_data"] == "notBreaching", alarm
    vm_tf = (project / "infra/terraform/aws/modules/stack/vm.tf").read_text()
    grant = re.search(
        r'actions\s*=\s*\["cloudwatch:PutMetricData"\][^}]*variable = "cloudwatch:namespace"\s*values\s*=\s*\[(\S+)\]',
        vm_tf,
        re.S,
    )
    assert grant and grant[1] == "local.metrics_namespace", "PutMetricData not scoped to the alarm's namespace"
    alarms = (project / "infra/terraform/aws/modules/stack/monitoring_vm.tf").read_text()
    assert re.search(r"namespace\s*=\s*local\.metrics_namespace", alarms)


def test_a_failed_training_run_on_the_gcp_vm_reaches_its_alert_policy(project):
    """The hook writes an ERROR entry to the log that the log-based metric counts, and an alert
    policy on that metric notifies the channels."""
    if not (project / "deploy/vm/gcp").is_dir():
        pytest.skip("no Google Cloud GPU VM in this variant")
    startup, body = _failure_hook(project, "gcp")
    assert re.search(r'gcloud logging write "\$TRAINING_FAILURE_LOG" .*\n\s*--severity=ERROR', body), body
    log_template = re.search(r"^TRAINING_FAILURE_LOG=(\S+)$", startup, re.M)[1]
    for root in env_roots(project):
        if "/gcp/" not in str(root):
            continue
        resources = terraform_model.load_root(root).resources
        metric = next(a for k, a in resources.items() if k.endswith("google_logging_metric.training_failed"))
        log = f"projects/{metric['project']}/logs/{log_template.replace('$environment', root.name)}"
        assert metric["filter"].replace('\\"', '"') == f'logName = "{log}" AND severity >= ERROR', metric["filter"]
    text = (project / "infra/terraform/gcp/modules/stack/monitoring_vm.tf").read_text()
    [body] = [
        body
        for entry in hcl2.loads(text)["resource"]
        for rtype, named in entry.items()
        for name, body in named.items()
        if (rtype.strip('"'), name.strip('"')) == ("google_monitoring_alert_policy", "training_failed")
    ]
    assert "google_logging_metric.training_failed.name" in str(body["conditions"]), body["conditions"]
