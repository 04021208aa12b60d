"""EKS GPU node groups that scale up from zero: the Cluster Autoscaler and the NVIDIA device plugin
(deploy/k8s/cluster/aws/<env>) against the Terraform that creates the cluster, its node groups and
the autoscaler's identity (infra/terraform/aws: modules/stack/kubernetes.tf and modules/eks).

Each check is a function that returns the problems it finds, so that the tests below can show it
failing on a planted defect as well as passing on every variant of the matrix.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest
import yaml

from checks import all_checkers
from checks.kubernetes import CLUSTER_CLOUDS, clouds, is_kubernetes, rendered, rendered_cluster, validate_text
from conftest import read_answers
from hcl_eval import evaluate, load_root
from terraform_facts import blocks, load, module_scope

REPO = Path(__file__).resolve().parent.parent
TAINT_EFFECTS = {"NO_SCHEDULE": "NoSchedule", "PREFER_NO_SCHEDULE": "PreferNoSchedule", "NO_EXECUTE": "NoExecute"}
READ_ONLY = re.compile(r"^[a-z0-9]+:(Describe|Get|List)[A-Za-z]*$")
ASG_ARN = re.compile(r"^arn:[^:]+:autoscaling:[^:]*:[^:]*:autoScalingGroup:[^:]*:autoScalingGroupName/[^*]+")
DIGEST = re.compile(r"^[^@\s]+:v(\d+)\.(\d+)\.\d+@sha256:[0-9a-f]{64}$")


@cache
def gpus_per_instance() -> dict[str, int]:
    catalogue = yaml.safe_load((REPO / "copier.yml").read_text())["gpu_catalogue"]["default"]
    return {row["aws_instance"]: row["aws_gpus"] for row in catalogue.values()}


def eks_variant(variant):
    project, answers = variant
    if not is_kubernetes(answers) or "aws" not in clouds(answers):
        pytest.skip("no EKS cluster in this variant")
    return project, answers


def env_root(project: Path, env: str) -> Path:
    return project / "infra" / "terraform" / "aws" / "envs" / env


def cluster_docs(project: Path) -> dict[str, list[dict]]:
    """env -> the documents deploy/k8s/cluster/aws/<env> renders to."""
    result = {}
    for (cloud, env), (code, stdout, stderr) in rendered_cluster(project).items():
        assert code == 0, stderr
        if cloud == "aws":
            result[env] = [doc for doc in yaml.safe_load_all(stdout) if doc]
    return result


def one(docs: list[dict], kind: str, name: str) -> dict:
    (found,) = [d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name]
    return found


def autoscaler_container(docs: list[dict]) -> dict:
    (container,) = one(docs, "Deployment", "cluster-autoscaler")["spec"]["template"]["spec"]["containers"]
    return container


def container_env(docs: list[dict], container: dict) -> dict[str, str]:
    """The container's environment, with configMapKeyRef values read from the rendered ConfigMaps."""
    values = {}
    for item in container.get("env", []):
        if "value" in item:
            values[item["name"]] = item["value"]
        else:
            ref = item["valueFrom"]["configMapKeyRef"]
            values[item["name"]] = one(docs, "ConfigMap", ref["name"])["data"][ref["key"]]
    return values


def expanded_args(docs: list[dict]) -> list[str]:
    """The autoscaler's arguments as the kubelet passes them: $(VAR) replaced from its environment."""
    container = autoscaler_container(docs)
    env = container_env(docs, container)
    return [re.sub(r"\$\((\w+)\)", lambda m: env.get(m.group(1), m.group(0)), arg) for arg in container["args"]]


def flags(args: list[str]) -> dict[str, str]:
    return dict(arg[2:].split("=", 1) for arg in args if arg.startswith("--") and "=" in arg)


# ── Terraform facts ──────────────────────────────────────────────────────────
def gpu_group(project: Path, env: str) -> dict:
    """The GPU node group of modules/eks as this environment calls it: tags, labels, taint, AMI type."""
    scope = module_scope(env_root(project, env), "eks")
    gpu = scope.locals["node_groups"]["gpu"]
    tags = {scope.resolve(k): scope.resolve(v) for k, v in gpu["extra_tags"].items() if not k.startswith("__")}
    return {
        "cluster": scope.resolve("${var.name}"),
        "tags": tags,
        "labels": scope.resolve(gpu["labels"]),
        "taint": scope.resolve(gpu["taints"][0]),
        "ami_type": scope.resolve("${var.gpu_ami_type}"),
        "instance_type": scope.resolve("${var.gpu_instance_type}"),
        "kubernetes_version": scope.resolve("${var.kubernetes_version}"),
        "region": module_scope(env_root(project, env), "stack").resolve("${var.region}"),
        "workloads": scope.resolve("${var.workloads}"),
    }


def autoscaler_policy(project: Path, env: str) -> list[dict]:
    """The statements of the autoscaler's IAM policy document, evaluated as Terraform would."""
    module = load_root(env_root(project, env))
    (document,) = [d for d in module.all_blocks("data", "aws_iam_policy_document") if d.name == "cluster_autoscaler"]
    ((_, scope),) = document.instances()
    statements = []
    for statement in document.body.get("statement", []):
        conditions = [
            (evaluate(c["test"], scope), evaluate(c["variable"], scope), evaluate(c["values"], scope))
            for c in statement.get("condition", [])
        ]
        statements.append(
            {
                "actions": evaluate(statement["actions"], scope),
                "resources": evaluate(statement.get("resources", ["*"]), scope),
                "conditions": conditions,
                "effect": evaluate(statement["effect"], scope) if "effect" in statement else "Allow",
            }
        )
    return statements


# ── The checks ───────────────────────────────────────────────────────────────
def discovery_problems(docs: list[dict], group: dict) -> list[str]:
    problems = []
    args = expanded_args(docs)
    options = flags(args)
    wanted = f"asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/{group['cluster']}"
    if options.get("node-group-auto-discovery") != wanted:
        problems.append(f"auto-discovery {options.get('node-group-auto-discovery')!r}, the Terraform's is {wanted!r}")
    for tag in wanted.removeprefix("asg:tag=").split(","):
        if tag not in group["tags"]:
            problems.append(f"the GPU node group has no tag {tag}")
    env = container_env(docs, autoscaler_container(docs))
    if env.get("AWS_REGION") != group["region"]:
        problems.append(f"AWS_REGION {env.get('AWS_REGION')!r}, the Terraform's region is {group['region']!r}")
    if options.get("cloud-provider") != "aws":
        problems.append("--cloud-provider is not aws")
    for option, value in (("balance-similar-node-groups", "true"), ("skip-nodes-with-system-pods", "false")):
        if options.get(option) != value:
            problems.append(f"--{option} is {options.get(option)!r}, expected {value}")
    if options.get("expander", "").split(",")[0] not in {"least-waste", "priority"}:
        problems.append(f"--expander {options.get('expander')!r}: expected least-waste or priority")
    unneeded = re.fullmatch(r"(\d+)m", options.get("scale-down-unneeded-time", ""))
    if not unneeded or int(unneeded.group(1)) < 10:
        problems.append("--scale-down-unneeded-time under 10m: a GPU node would go between two Jobs")
    return problems


def policy_problems(statements: list[dict], group: dict) -> list[str]:
    """No write without this cluster's tag condition and an ARN scope; the reads the autoscaler needs."""
    problems = []
    tag = f"aws:ResourceTag/k8s.io/cluster-autoscaler/{group['cluster']}"
    granted = set()
    for statement in statements:
        if statement["effect"] != "Allow":
            continue
        granted.update(statement["actions"])
        writes = [a for a in statement["actions"] if not READ_ONLY.match(a)]
        if not writes:
            continue
        # Auto Scaling groups by name prefix (EKS names its groups eks-<node group>-<id>), not any resource.
        if not all(ASG_ARN.search(r) for r in statement["resources"]):
            problems.append(f"{writes} on {statement['resources']}: not scoped to Auto Scaling groups")
        if ("StringEquals", tag, ["owned"]) not in statement["conditions"]:
            problems.append(f"{writes} without the condition {tag} = owned")
    if any("*" in a for a in granted):
        problems.append(f"a wildcard action: {sorted(a for a in granted if '*' in a)}")
    needed = {
        "autoscaling:SetDesiredCapacity",
        "autoscaling:TerminateInstanceInAutoScalingGroup",
        "autoscaling:DescribeAutoScalingGroups",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeLaunchTemplateVersions",
        "eks:DescribeNodegroup",
    }
    if needed - granted:
        problems.append(f"missing {sorted(needed - granted)}")
    for statement in statements:
        if "eks:DescribeNodegroup" in statement["actions"] and not all(
            f":nodegroup/{group['cluster']}/" in r for r in statement["resources"]
        ):
            problems.append(f"eks:DescribeNodegroup on {statement['resources']}: not this cluster's node groups")
    return problems


def device_plugin_problems(docs: list[dict], group: dict) -> list[str]:
    """The NVIDIA device plugin runs where the AMI lacks it (AL2023), and only there."""
    plugins = [d for d in docs if d["kind"] == "DaemonSet" and d["metadata"]["name"] == "nvidia-device-plugin"]
    needed = group["ami_type"] == "AL2023_x86_64_NVIDIA"
    if group["ami_type"] not in {"AL2023_x86_64_NVIDIA", "BOTTLEROCKET_x86_64_NVIDIA"}:
        return [f"unknown GPU AMI type {group['ami_type']!r}"]
    if needed and not plugins:
        return [f"{group['ami_type']} lacks the NVIDIA device plugin and none is deployed"]
    if plugins and not needed:
        return [f"{group['ami_type']} ships the NVIDIA device plugin: a second one is deployed"]
    problems = []
    for plugin in plugins:
        spec = plugin["spec"]["template"]["spec"]
        taint = group["taint"]
        toleration = {"key": taint["key"], "operator": "Equal", "value": taint["value"]}
        toleration["effect"] = TAINT_EFFECTS[taint["effect"]]
        if toleration not in spec.get("tolerations", []):
            problems.append(f"the device plugin does not tolerate the GPU taint {toleration}")
        selector = spec.get("nodeSelector", {})
        if not selector or any(group["labels"].get(k) != v for k, v in selector.items()):
            problems.append(f"the device plugin's nodeSelector {selector} is not among the GPU labels")
    return problems


def job_problems(job: dict, group: dict) -> list[str]:
    """Would the autoscaler pick the GPU group for this Job, and keep its node while it runs?"""
    problems = []
    template = job["spec"]["template"]
    spec = template["spec"]
    if template["metadata"].get("annotations", {}).get("cluster-autoscaler.kubernetes.io/safe-to-evict") != "false":
        problems.append("the Job's pod is not annotated safe-to-evict: false")
    selector = spec.get("nodeSelector", {})
    if not selector or any(group["labels"].get(k) != v for k, v in selector.items()):
        problems.append(f"nodeSelector {selector} is not among the GPU group's labels {group['labels']}")
    taint = group["taint"]
    toleration = {"key": taint["key"], "operator": "Equal", "value": taint["value"]}
    toleration["effect"] = TAINT_EFFECTS[taint["effect"]]
    if toleration not in spec.get("tolerations", []):
        problems.append(f"no toleration of the GPU taint {toleration}")
    requested = sum(int(c["resources"].get("limits", {}).get("nvidia.com/gpu", 0)) for c in spec["containers"])
    available = gpus_per_instance().get(group["instance_type"], 0)
    if not 1 <= requested <= available:
        problems.append(f"{requested} GPU(s) asked, a {group['instance_type']} node has {available}")
    return problems


# ── On every variant ─────────────────────────────────────────────────────────
def test_cluster_addons_exist_for_eks_only(variant):
    project, answers = variant
    folder = project / "deploy" / "k8s" / "cluster"
    makefile = (project / "Makefile").read_text()
    if not is_kubernetes(answers) or "aws" not in clouds(answers):
        assert not folder.exists(), "GKE autoscales its node pools: no cluster add-ons"
        assert "kube-cluster-apply" not in makefile
        assert "Cluster Autoscaler" not in (project / "README.md").read_text()
        return
    expected = {(cloud, env) for cloud in CLUSTER_CLOUDS for env in answers["environments"]}
    assert set(rendered_cluster(project)) == expected
    assert re.search(r"^kube-cluster-apply:", makefile, re.MULTILINE)
    readme = (project / "README.md").read_text()
    assert "Cluster Autoscaler" in readme and "safe-to-evict" in readme


def test_autoscaler_discovers_the_terraform_cluster_and_its_node_groups(variant):
    project, answers = eks_variant(variant)
    for env, docs in cluster_docs(project).items():
        assert discovery_problems(docs, gpu_group(project, env)) == [], env


def test_autoscaler_policy_has_no_unscoped_write(variant):
    project, answers = eks_variant(variant)
    for env in answers["environments"]:
        assert policy_problems(autoscaler_policy(project, env), gpu_group(project, env)) == [], env


def test_autoscaler_identity_agrees_across_terraform_and_manifests(variant):
    project, answers = eks_variant(variant)
    for env, docs in cluster_docs(project).items():
        group = gpu_group(project, env)
        identity = group["workloads"]["autoscaler"]
        namespace, account = identity["namespace"], identity["service_account"]
        raw = module_scope(env_root(project, env), "eks").vars["workloads"]["autoscaler"]["policy_json"]
        assert raw == "${data.aws_iam_policy_document.cluster_autoscaler.json}", raw
        service_account = one(docs, "ServiceAccount", account)
        assert service_account["metadata"]["namespace"] == namespace
        deployment = one(docs, "Deployment", "cluster-autoscaler")
        assert deployment["metadata"]["namespace"] == namespace
        assert deployment["spec"]["template"]["spec"]["serviceAccountName"] == account
        for kind in ("ClusterRoleBinding", "RoleBinding"):
            subjects = one(docs, kind, "cluster-autoscaler")["subjects"]
            assert subjects == [{"kind": "ServiceAccount", "name": account, "namespace": namespace}], kind
    # Every workload of modules/eks gets its Pod Identity association (one for_each over them).
    scope = module_scope(env_root(project, answers["environments"][0]), "eks")
    (association,) = [b for t, _, b in blocks(scope.folder, "resource") if t == "aws_eks_pod_identity_association"]
    assert association["for_each"] == "${var.workloads}"
    assert association["service_account"] == "${each.value.service_account}"
    assert association["namespace"] == "${each.value.namespace}"


def test_autoscaler_image_is_pinned_and_matches_the_cluster_minor_version(variant):
    project, answers = eks_variant(variant)
    for env, docs in cluster_docs(project).items():
        group = gpu_group(project, env)
        for doc in docs:
            if doc["kind"] in {"Deployment", "DaemonSet"}:
                for container in doc["spec"]["template"]["spec"]["containers"]:
                    assert DIGEST.match(container["image"]), container["image"]
                    sc = container["securityContext"]
                    assert sc["allowPrivilegeEscalation"] is False and sc["readOnlyRootFilesystem"] is True
                    assert sc["capabilities"]["drop"] == ["ALL"]
        major, minor = DIGEST.match(autoscaler_container(docs)["image"]).groups()
        assert f"{major}.{minor}" == group["kubernetes_version"], (env, group["kubernetes_version"])


def test_device_plugin_follows_the_gpu_ami_type(variant):
    project, answers = eks_variant(variant)
    for env, docs in cluster_docs(project).items():
        assert device_plugin_problems(docs, gpu_group(project, env)) == [], env


def test_gpu_job_would_bring_up_a_gpu_node_and_keep_it(variant):
    project, answers = eks_variant(variant)
    for (cloud, env), (code, stdout, stderr) in rendered(project, answers).items():
        assert code == 0, stderr
        docs = [d for d in yaml.safe_load_all(stdout) if d]
        (job,) = [d for d in docs if d["kind"] == "Job"]
        # Every project workload runs without a Kubernetes API token (only the autoscaler has one).
        for doc in docs:
            if doc["kind"] in {"Job", "Deployment"}:
                assert doc["spec"]["template"]["spec"]["automountServiceAccountToken"] is False
        if cloud != "aws":
            continue
        problems = job_problems(job, gpu_group(project, env))
        if answers["ml_framework"] == "sklearn":  # runs on the CPU nodes: no GPU, but kept to its end
            assert "the Job's pod is not annotated safe-to-evict: false" not in problems, problems
            continue
        assert problems == [], (env, problems)


# ── The checks fail on planted defects ───────────────────────────────────────
@pytest.fixture
def eks_copy(default_project, tmp_path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(default_project, copy, ignore=shutil.ignore_patterns(".git"))
    return copy


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def _stack(project: Path) -> Path:
    return project / "infra/terraform/aws/modules/stack/kubernetes.tf"


def test_policy_check_finds_an_unscoped_write(eks_copy):
    project = eks_copy
    env = read_answers(project)["environments"][0]
    assert policy_problems(autoscaler_policy(project, env), gpu_group(project, env)) == []
    _replace(_stack(project), 'autoScalingGroupName/eks-*"]', '"]')
    _replace(_stack(project), 'values   = ["owned"]', 'values   = ["shared"]')
    problems = policy_problems(autoscaler_policy(project, env), gpu_group(project, env))
    assert any("not scoped" in p for p in problems), problems
    assert any("without the condition" in p for p in problems), problems
    _replace(_stack(project), '"eks:DescribeNodegroup"', '"eks:*"')
    assert any("wildcard" in p for p in policy_problems(autoscaler_policy(project, env), gpu_group(project, env)))


def test_discovery_check_finds_another_cluster_and_missing_flags(eks_copy):
    project = eks_copy
    env = read_answers(project)["environments"][0]
    kustomization = project / "deploy/k8s/cluster/aws" / env / "kustomization.yaml"
    text = kustomization.read_text()
    kustomization.write_text(re.sub(r"CLUSTER_NAME=\S+", "CLUSTER_NAME=someone-else", text))
    base = project / "deploy/k8s/cluster/aws/base/cluster-autoscaler.yaml"
    _replace(base, "--balance-similar-node-groups=true", "--v=2")
    docs = [d for d in yaml.safe_load_all(_render(project, f"deploy/k8s/cluster/aws/{env}")) if d]
    problems = discovery_problems(docs, gpu_group(project, env))
    assert any("auto-discovery" in p and "someone-else" in p for p in problems), problems
    assert any("balance-similar-node-groups" in p for p in problems), problems


def test_device_plugin_check_follows_a_change_of_ami_type(eks_copy):
    project = eks_copy
    env = read_answers(project)["environments"][0]
    eks_variables = project / "infra/terraform/aws/modules/eks/variables.tf"
    kustomization = project / "deploy/k8s/cluster/aws" / env / "kustomization.yaml"

    def check() -> tuple[list[dict], list[str]]:
        load.cache_clear()  # the Terraform files changed since they were read
        docs = [d for d in yaml.safe_load_all(_render(project, f"deploy/k8s/cluster/aws/{env}")) if d]
        return docs, device_plugin_problems(docs, gpu_group(project, env))

    assert check()[1] == []  # Bottlerocket: none deployed
    _replace(eks_variables, 'default     = "BOTTLEROCKET_x86_64_NVIDIA"', 'default     = "AL2023_x86_64_NVIDIA"')
    assert any("none is deployed" in p for p in check()[1])
    _replace(kustomization, "  - ../base\n", "  - ../base\ncomponents:\n  - ../nvidia-device-plugin\n")
    docs, problems = check()
    assert problems == [], problems  # AL2023 with the device plugin: it tolerates the taint, selects GPU nodes
    (plugin,) = [d for d in docs if d["kind"] == "DaemonSet"]
    assert plugin["metadata"]["namespace"] == "kube-system"
    manifests = yaml.safe_dump_all(docs)
    assert validate_text(manifests, "nvidia-device-plugin", project.parent) == []
    _replace(eks_variables, 'default     = "AL2023_x86_64_NVIDIA"', 'default     = "BOTTLEROCKET_x86_64_NVIDIA"')
    assert any("a second one is deployed" in p for p in check()[1])


def test_job_check_finds_a_job_the_autoscaler_would_not_place(eks_copy):
    project = eks_copy
    answers = read_answers(project)
    env = answers["environments"][0]
    group = gpu_group(project, env)
    job = {
        "spec": {
            "template": {
                "metadata": {"annotations": {"cluster-autoscaler.kubernetes.io/safe-to-evict": "false"}},
                "spec": {
                    "nodeSelector": {"node-role": "gpu"},
                    "tolerations": [
                        {"key": "nvidia.com/gpu", "operator": "Equal", "value": "true", "effect": "NoSchedule"}
                    ],
                    "containers": [{"resources": {"limits": {"nvidia.com/gpu": 1}}}],
                },
            }
        }
    }
    assert job_problems(job, group) == []
    spec = job["spec"]["template"]["spec"]
    spec["containers"][0]["resources"]["limits"]["nvidia.com/gpu"] = gpus_per_instance()[group["instance_type"]] + 1
    spec["nodeSelector"] = {"node-role": "cpu"}
    spec["tolerations"][0]["value"] = "present"
    job["spec"]["template"]["metadata"]["annotations"] = {}
    problems = job_problems(job, group)
    assert len(problems) == 4, problems


def _render(project: Path, folder: str) -> str:
    result = subprocess.run(["kubectl", "kustomize", folder], cwd=project, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def al2023_skips() -> list[str]:
    """The skip lines .checkov.yaml renders only when the GPU AMI is AL2023 (for the device plugin)."""
    text = (REPO / "template" / ".checkov.yaml.jinja").read_text()
    block = re.search(r"EKS_GPU_AMI_TYPE == 'AL2023_x86_64_NVIDIA' %\}\n(.*?)\{%-? endif", text, re.DOTALL)
    assert block, "no AL2023-only skips in template/.checkov.yaml.jinja"
    return [line for line in block.group(1).splitlines() if line.strip().startswith("- CKV")]


def test_device_plugin_passes_checkov_with_the_skips_rendered_for_al2023(eks_copy):
    """With AL2023 the project gets the device plugin and four more skips: together, checkov is clean."""
    project = eks_copy
    answers = read_answers(project)
    for env in answers["environments"]:
        kustomization = project / "deploy/k8s/cluster/aws" / env / "kustomization.yaml"
        _replace(kustomization, "  - ../base\n", "  - ../base\ncomponents:\n  - ../nvidia-device-plugin\n")
    skips = al2023_skips()
    ids = {re.search(r"CKV_K8S_\d+", s).group(0) for s in skips}
    assert ids == {"CKV_K8S_8", "CKV_K8S_9", "CKV_K8S_23", "CKV_K8S_40"}, ids
    config = project / ".checkov.yaml"
    _replace(config, "skip-check:\n", "skip-check:\n" + "\n".join(skips) + "\n")
    assert all_checkers()["checkov-kubernetes"].run(project, answers) == []
