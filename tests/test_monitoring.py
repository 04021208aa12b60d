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
    "defaults", "aws-vm-hipaa-gitlab-dev", "gcp-vm-gdpr-t4", "pytorch-none-ab", "sklearn-none-rolling-gcp-spark"
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
    result = run([tool("amtool"), "config", "routes", "test", "--config.file=monitoring/alertmanager.yml", *args], cwd=project)
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
