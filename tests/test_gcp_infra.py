"""The generated Google Cloud Terraform behaves as the answers say (issue 5).

The static checkers (fmt, provider schema, checkov, module READMEs) run on every matrix variant through
test_static_checks.py; these tests check what those cannot: that the answers reach the right
arguments, that each environment gets its own root and state, and the invariants the checkov skip
file relies on.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import copier
import hcl2
import pytest
import yaml

from checks.checkov_scan import check as checkov_check
from checks.terraform_fmt import check as fmt_check
from terraform_validate import validate_roots
from tools import REPO

ANSWER_SETS = [
    {
        "cloud_provider": "gcp",
        "compute_platform": "kubernetes",
        "ci_provider": "github",
        "compliance_profile": "hipaa",
        "api_allowed_cidrs": "203.0.113.0/24",
        "gpu_type": "a100",
        "use_spot": False,
    },
    {
        "cloud_provider": "gcp",
        "compute_platform": "vm",
        "ci_provider": "gitlab",
        "compliance_profile": "gdpr",
        "gcp_region": "europe-west4",
        "gpu_type": "t4",
        "environments": ["staging", "prod"],
    },
    {
        "cloud_provider": "both",
        "compute_platform": "kubernetes",
        "ci_provider": "gitlab",
        "gpu_type": "h100",
        "environments": ["dev"],
    },
]


def gpu_catalogue() -> dict:
    return yaml.safe_load((REPO / "copier.yml").read_text())["gpu_catalogue"]["default"]


@pytest.fixture(scope="module", params=ANSWER_SETS, ids=lambda a: "-".join(map(str, a.values())))
def rendered(request, tmp_path_factory) -> tuple[Path, dict]:
    """A GCP variant exactly as rendered (copier's tasks, which run terraform fmt, skipped)."""
    dst = tmp_path_factory.mktemp("gcp") / "project"
    copier.run_copy(str(REPO), dst, data=request.param, defaults=True, unsafe=True, quiet=True, skip_tasks=True)
    answers = yaml.safe_load((dst / ".copier-answers.yml").read_text())
    return dst, answers


def gcp(project: Path) -> Path:
    return project / "infra" / "terraform" / "gcp"


def parse(path: Path) -> dict:
    return hcl2.loads(path.read_text())


def unquote(value):
    """python-hcl2 keeps the quotes of string literals: drop them (in lists too)."""
    if isinstance(value, list):
        return [unquote(item) for item in value]
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def module_call(root: Path, name: str) -> dict:
    for entry in parse(root / "main.tf").get("module", []):
        if name in entry or f'"{name}"' in entry:
            block = entry.get(name, entry.get(f'"{name}"'))
            return {key: unquote(value) for key, value in block.items()}
    raise AssertionError(f"module {name!r} not called in {root}")


def tfvars(root: Path) -> dict:
    return {key: unquote(value) for key, value in parse(root / "terraform.tfvars").items()}


def resources(path: Path) -> list[tuple[str, str, dict]]:
    """(type, name, body) of every resource block in the .tf files under ``path``."""
    found = []
    for tf in sorted(path.rglob("*.tf")):
        for entry in parse(tf).get("resource", []):
            for rtype, named in entry.items():
                for name, body in named.items():
                    found.append((unquote(rtype), unquote(name), body))
    return found


def test_rendered_gcp_terraform_is_fmt_clean_before_the_post_copy_hook(rendered):
    project, _ = rendered
    assert not fmt_check(project, {})


def test_every_environment_gets_its_own_root_state_prefix_and_answers(rendered):
    project, answers = rendered
    roots = sorted(p.name for p in (gcp(project) / "envs").iterdir())
    assert roots == sorted(answers["environments"])
    for env in answers["environments"]:
        root = gcp(project) / "envs" / env
        versions = (root / "versions.tf").read_text()
        assert f'bucket = "{answers["gcp_project_id"]}-tfstate"' in versions
        assert f'prefix = "gcp/envs/{env}"' in versions
        values = tfvars(root)
        assert values["project_id"] == answers["gcp_project_id"]
        assert values["region"] == answers["gcp_region"]
        assert values["data_retention_days"] == answers["data_retention_days"]


def test_the_first_environment_creates_the_dvc_remote_bucket(rendered):
    project, answers = rendered
    slug, first = answers["project_slug"], answers["environments"][0]
    for env in answers["environments"]:
        data = module_call(gcp(project) / "envs" / env, "data")
        assert data["dvc_bucket_name"] == f"{slug}-{env}-dvc"
    # The project's DVC remote `gcs` is that bucket, for `both` too (there `s3` is the default).
    default, urls = dvc_remotes(project)
    assert urls.get("gcs") == f"gs://{slug}-{first}-dvc", urls
    assert default == ("gcs" if answers["cloud_provider"] == "gcp" else "s3")


def dvc_remotes(project: Path) -> tuple[str | None, dict[str, str]]:
    """The default remote and {name: url} of the project's .dvc/config (which must exist)."""
    text = (project / ".dvc" / "config").read_text()
    default = re.search(r"^\s*remote = (\S+)", text, re.M)
    urls = dict(re.findall(r"^\['remote \"(\w+)\"'\]\n\s*url = (\S+)", text, re.M))
    return default and default[1], urls


def test_gpu_compute_follows_the_catalogue_and_answers(rendered):
    project, answers = rendered
    gpu = gpu_catalogue()[answers["gpu_type"]]
    for env in answers["environments"]:
        root = gcp(project) / "envs" / env
        if answers["compute_platform"] == "kubernetes":
            gke = module_call(root, "gke")
            assert gke["gpu_machine_type"] == gpu["gcp_machine"]
            assert gke["gpu_accelerator_type"] == gpu["gcp_accelerator"]
            assert gke["gpu_accelerator_count"] == gpu["gcp_gpus"]
            assert gke["gpu_spot"] is answers["use_spot"]
            assert gke["enable_binary_authorization"] is (answers["compliance_profile"] == "hipaa")
            values = tfvars(root)
            assert values["gpu_max_nodes"] == answers["gpu_max_nodes"]
            expected = [c.strip() for c in answers["api_allowed_cidrs"].split(",") if c.strip()]
            assert values["api_allowed_cidrs"] == expected
            assert not (gcp(project) / "modules" / "gpu_vm").exists()
        else:
            vm = module_call(root, "gpu_vm")
            assert vm["machine_type"] == gpu["gcp_machine"]
            assert vm["accelerator_type"] == gpu["gcp_accelerator"]
            assert vm["accelerator_count"] == gpu["gcp_gpus"]
            assert vm["spot"] is answers["use_spot"]
            assert not (gcp(project) / "modules" / "gke").exists()


def test_gpu_node_pool_scales_from_zero_and_is_tainted(rendered):
    project, answers = rendered
    if answers["compute_platform"] != "kubernetes":
        pytest.skip("no GKE in a vm variant")
    pools = {name: body for rtype, name, body in resources(gcp(project) / "modules" / "gke")}
    gpu_pool = pools["gpu"]
    assert gpu_pool["autoscaling"][0]["total_min_node_count"] == 0
    node_config = gpu_pool["node_config"][0]
    assert unquote(node_config["taint"][0]["key"]) == "nvidia.com/gpu"
    assert unquote(node_config["taint"][0]["effect"]) == "NO_SCHEDULE"
    assert node_config["guest_accelerator"][0]["gpu_driver_installation_config"]
    assert unquote(node_config["workload_metadata_config"][0]["mode"]) == "GKE_METADATA"


def test_gpu_vm_terminates_on_host_maintenance_and_has_a_stop_schedule(rendered):
    project, answers = rendered
    if answers["compute_platform"] != "vm":
        pytest.skip("no GPU VM in a kubernetes variant")
    found = {(rtype, name): body for rtype, name, body in resources(gcp(project) / "modules" / "gpu_vm")}
    instance = found[("google_compute_instance", "this")]
    assert unquote(instance["scheduling"][0]["on_host_maintenance"]) == "TERMINATE"
    assert "access_config" not in instance["network_interface"][0]
    assert found[("google_compute_resource_policy", "stop_schedule")]["instance_schedule_policy"]


def test_no_service_account_keys_and_ci_trust_pins_the_repository(rendered):
    project, answers = rendered
    types = {rtype for rtype, _, _ in resources(gcp(project))}
    assert "google_service_account_key" not in types and "google_storage_hmac_key" not in types
    bootstrap = tfvars(gcp(project) / "bootstrap")
    assert bootstrap["ci_provider"] == answers["ci_provider"]
    assert bootstrap["environments"] == answers["environments"]
    identity = (gcp(project) / "modules" / "identity" / "main.tf").read_text()
    pinned = ["assertion.repository_id ==", "assertion.repository_owner_id =="]
    pinned += ["assertion.project_id =="]
    assert all(p in identity for p in pinned)
    # Apply accounts are impersonable only from jobs of their own environment.
    assert re.search(r'member\s+=\s+"\$\{local\.pool_principal\}/attribute\.environment/\$\{each\.key\}"', identity)


def test_every_bucket_but_the_access_log_buckets_logs_access(rendered):
    """The CKV_GCP_62 skip (.checkov.yaml) covers the access-log buckets only."""
    project, _ = rendered
    buckets = [(name, body) for rtype, name, body in resources(gcp(project)) if rtype == "google_storage_bucket"]
    assert buckets
    for name, body in buckets:
        if name == "access_logs":
            assert "logging" not in body
        else:
            assert body.get("logging"), f"bucket {name} has no access logging"
        assert body["uniform_bucket_level_access"] is True
        assert unquote(body["public_access_prevention"]) == "enforced"
        assert body["encryption"][0]["default_kms_key_name"]


def test_checkov_sees_a_defect_planted_in_a_gcp_module(rendered, tmp_path):
    project, answers = rendered
    if answers["compute_platform"] != "vm":
        pytest.skip("one planted defect is enough")
    copy = tmp_path / "project"
    shutil.copytree(project, copy)
    data = gcp(copy) / "modules" / "data" / "main.tf"
    data.write_text(data.read_text().replace('public_access_prevention    = "enforced"', ""))
    findings = checkov_check(copy, answers)
    assert any(f.message.startswith("CKV_GCP_114 ") and "modules/data" in f.path for f in findings), findings


def test_binary_authorization_is_skipped_only_where_the_profile_does_not_ask_for_it(rendered):
    project, answers = rendered
    skips = (project / ".checkov.yaml").read_text()
    gke = answers["compute_platform"] == "kubernetes"
    assert ("- CKV_GCP_66 " in skips) is (gke and answers["compliance_profile"] != "hipaa")
    assert ("- CKV_GCP_65 " in skips) is gke


# ─── terraform validate, where a modern terraform and the providers are at hand ──────────────
def test_terraform_validate_every_gcp_root(rendered, tmp_path_factory):
    project, _ = rendered
    roots = [gcp(project) / "bootstrap", *sorted((gcp(project) / "envs").iterdir())]
    providers = {"google": (8, 7), "google-beta": (8, 7)}
    validate_roots(project, roots, providers, tmp_path_factory.getbasetemp() / "gcp-validate")
