"""Cross-file tests of the images and the deployment, on every variant of the matrix.

The Dockerfiles, the kustomize overlays (as deploy/k8s/render.sh renders them), the Makefile,
dvc.yaml, pyproject.toml, the code and the Terraform are written separately; these tests check
that they name the same things: registry repositories, namespace, service accounts, GPU taints
and node labels, entrypoint modules, COPY sources, the serve command and the CUDA version.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from checks.kubernetes import TAG, clouds, is_kubernetes, registry, rendered
from terraform_facts import blocks, load, module_scope, unquote
from terraform_model import load_root

TAINT_EFFECTS = {"NO_SCHEDULE": "NoSchedule", "PREFER_NO_SCHEDULE": "PreferNoSchedule", "NO_EXECUTE": "NoExecute"}


# ── Dockerfiles ──────────────────────────────────────────────────────────────
def instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Dockerfile, continuation lines joined, comments dropped."""
    logical, current = [], ""
    for line in path.read_text().splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        current += line.rstrip("\\").rstrip() + " " if line.endswith("\\") else line
        if not line.endswith("\\"):
            logical.append(current.strip())
            current = ""
    return [(text.split(None, 1)[0].upper(), text.split(None, 1)[1] if " " in text else "") for text in logical]


def final_stage(path: Path) -> list[tuple[str, str]]:
    steps = instructions(path)
    last = max(i for i, (name, _) in enumerate(steps) if name == "FROM")
    return steps[last:]


def exec_form(arguments: str) -> list[str]:
    value = json.loads(arguments)
    assert isinstance(value, list), f"not exec form: {arguments}"
    return value


def dockerignore_excludes(project: Path, relative: str) -> bool:
    """Docker's .dockerignore rules: the last matching pattern wins; `!` re-includes; a pattern
    that matches a folder matches everything under it; `**` matches any number of folders."""
    excluded = False
    parts = relative.strip("/").split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for raw in (project / ".dockerignore").read_text().splitlines():
        pattern = raw.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").strip("/")
        regex = re.escape(pattern).replace(r"\*\*/", "(.*/)?").replace(r"\*\*", ".*")
        regex = regex.replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
        if any(re.fullmatch(regex, candidate) for candidate in candidates):
            excluded = not negate
    return excluded


def make_prerequisites(project: Path, target: str) -> list[str]:
    for line in (project / "Makefile").read_text().splitlines():
        if line.startswith(f"{target}:"):
            return line.split(":", 1)[1].split("##")[0].split()
    raise AssertionError(f"no make target {target}")


def make_targets(project: Path) -> set[str]:
    return {m.group(1) for m in re.finditer(r"^([A-Za-z0-9_.-]+):", (project / "Makefile").read_text(), re.M)}


@pytest.mark.parametrize("image", ["train", "serve"])
def test_every_copy_source_exists_and_is_in_the_build_context(variant, image):
    project, _ = variant
    dockerfile = project / "docker" / image / "Dockerfile"
    built_first = set(make_prerequisites(project, f"image-{image}")) & make_targets(project)
    copies = 0
    for name, arguments in instructions(dockerfile):
        words = shlex.split(arguments)
        if name not in {"COPY", "ADD"} or any(w.startswith("--from=") for w in words):
            continue
        sources = [w for w in words if not w.startswith("--")][:-1]
        for source in sources:
            copies += 1
            path = project / source
            assert path.exists() or source in built_first, f"{image}: COPY {source}: no such file, and make builds none"
            assert not dockerignore_excludes(project, source), f"{image}: COPY {source} is excluded by .dockerignore"
            for inner in path.rglob("*.py") if path.is_dir() else []:
                inner_path = str(inner.relative_to(project))
                assert not dockerignore_excludes(project, inner_path), f"{inner_path} is excluded by .dockerignore"
    assert copies >= 3


@pytest.mark.parametrize(
    "path",
    ["data/raw/customers.csv", "models/model.joblib", "champion/model.pt", ".venv/bin/python", ".git/HEAD", ".env"],
)
def test_dockerignore_keeps_data_models_venv_git_and_secrets_out(default_project, path):
    assert dockerignore_excludes(default_project, path)


@pytest.mark.parametrize("image", ["train", "serve"])
def test_images_are_pinned_non_root_and_fail_on_pipe_errors(variant, image):
    project, answers = variant
    steps = instructions(project / "docker" / image / "Dockerfile")
    stages = {arguments.split()[-1] for name, arguments in steps if name == "FROM" and " AS " in arguments.upper()}
    for name, arguments in steps:
        if name == "FROM":
            reference = arguments.split()[0]
            assert reference in stages or re.search(r"@sha256:[0-9a-f]{64}$", reference), f"not pinned: {reference}"
    froms = [i for i, (name, _) in enumerate(steps) if name == "FROM"]
    for start, end in zip(froms, [*froms[1:], len(steps)], strict=True):
        stage = steps[start:end]
        if any(name == "RUN" for name, _ in stage):
            shell = [exec_form(arguments) for name, arguments in stage if name == "SHELL"]
            assert shell and "pipefail" in shell[0], f"stage {stage[0][1]} runs commands without pipefail"
    users = [arguments for name, arguments in final_stage(project / "docker" / image / "Dockerfile") if name == "USER"]
    assert users and re.fullmatch(r"[1-9][0-9]*(:[1-9][0-9]*)?", users[-1]), f"runtime user: {users}"


def test_train_entrypoint_runs_the_train_stage_of_dvc_yaml(variant):
    project, answers = variant
    package = answers["package_name"]
    runtime = final_stage(project / "docker" / "train" / "Dockerfile")
    entrypoint = [exec_form(a) for n, a in runtime if n == "ENTRYPOINT"][-1]
    command = [exec_form(a) for n, a in runtime if n == "CMD"][-1]
    # The entrypoint script is copied into the image at the path the ENTRYPOINT names.
    copied = [shlex.split(a) for n, a in runtime if n == "COPY" and "entrypoint.sh" in a]
    assert copied and copied[0][-1] == entrypoint[0], (copied, entrypoint)
    assert (project / copied[0][-2]).read_text().startswith("#!/bin/sh")
    if answers["ml_framework"] == "pytorch":
        assert command[0] == "torchrun" and "--nproc-per-node=gpu" in command
        module = command[command.index("--module") + 1]
    else:
        assert command[:2] == ["python", "-m"]
        module = command[2]
    assert (project / "src" / Path(*module.split("."))).with_suffix(".py").is_file(), module
    stage = yaml.safe_load((project / "dvc.yaml").read_text())["stages"]["train"]["cmd"]
    assert stage == f"python -m {module}" and module == f"{package}.train"


def test_serve_command_equals_the_makefile(variant):
    project, answers = variant
    runtime = final_stage(project / "docker" / "serve" / "Dockerfile")
    entrypoint = [exec_form(a) for n, a in runtime if n == "ENTRYPOINT"][-1]
    command = [exec_form(a) for n, a in runtime if n == "CMD"][-1]
    env = " ".join(a for n, a in runtime if n == "ENV")
    recipe = subprocess.run(["make", "-n", "serve"], cwd=project, capture_output=True, text=True, check=True)
    words = shlex.split(recipe.stdout.replace("\\\n", " "))
    make = words[words.index("uvicorn") :]
    assert entrypoint[:2] == ["uvicorn", make[1]], (entrypoint, make)
    module, _, attribute = make[1].partition(":")
    app = (project / "src" / Path(*module.split("."))).with_suffix(".py")
    assert re.search(rf"^{attribute} = ", app.read_text(), re.M), f"{app} defines no {attribute}"
    make_flags = {w for w in make if w.startswith("--")}
    image_flags = {w for w in entrypoint + command if w.startswith("--")}
    # The worker count: `--workers` in the Makefile, WEB_CONCURRENCY (uvicorn's own) in the image.
    assert make_flags - {"--workers"} == image_flags, (make_flags, image_flags)
    assert re.search(r"\bWEB_CONCURRENCY=\d+", env)
    health = [a for n, a in runtime if n == "HEALTHCHECK"]
    assert health and "/health" in health[0]


def test_cuda_of_the_training_image_matches_the_torch_wheel(variant):
    project, answers = variant
    froms = [a for n, a in instructions(project / "docker" / "train" / "Dockerfile") if n == "FROM"]
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    uv = pyproject["tool"]["uv"]
    cuda = [re.match(r"nvidia/cuda:(\d+)\.(\d+)\.\d+-runtime-", f) for f in froms]
    if answers["ml_framework"] == "sklearn":
        assert not any(cuda) and "sources" not in uv, "scikit-learn needs no CUDA"
        return
    major, minor = next(m for m in cuda if m).groups()
    source = uv["sources"]["torch"]
    indexes = {index["name"]: index["url"] for index in uv["index"]}
    assert all(s.get("marker") == "sys_platform == 'linux'" for s in source)
    urls = {indexes[s["index"]] for s in source}
    assert urls == {f"https://download.pytorch.org/whl/cu{major}{minor}"}, (urls, major, minor)


# ── Kubernetes, against the Terraform ────────────────────────────────────────
def kubernetes_variant(variant):
    project, answers = variant
    if not is_kubernetes(answers):
        pytest.skip("compute_platform is vm: no Kubernetes manifests")
    return project, answers


def objects(project, answers) -> dict[tuple[str, str], list[dict]]:
    result = {}
    for key, (code, stdout, stderr) in rendered(project, answers).items():
        assert code == 0, stderr
        result[key] = [doc for doc in yaml.safe_load_all(stdout) if doc]
    return result


def pods(docs: list[dict]) -> list[tuple[dict, dict]]:
    return [(doc, doc["spec"]["template"]["spec"]) for doc in docs if doc["kind"] in {"Job", "Deployment"}]


def containers(spec: dict) -> list[dict]:
    return spec.get("initContainers", []) + spec["containers"]


def env_root(project: Path, cloud: str, env: str) -> Path:
    return project / "infra" / "terraform" / cloud / "envs" / env


def terraform_repositories(project: Path, cloud: str, env: str) -> set[str]:
    scope = module_scope(env_root(project, cloud, env), "registry")
    if cloud == "aws":  # ECR repositories <name>/<repository>
        return {f"{scope.resolve('${var.name}')}/{r}" for r in scope.resolve("${var.repositories}")}
    (repository_id,) = [
        scope.resolve(b["repository_id"])
        for t, _, b in blocks(scope.folder, "resource")
        if t == "google_artifact_registry_repository"
    ]
    return {f"{repository_id}/train", f"{repository_id}/serve"}


def terraform_identities(project: Path, cloud: str, env: str) -> dict[str, tuple[str, str, str | None]]:
    """role (train, serve) -> (namespace, service account, Google service account email or None)."""
    root = env_root(project, cloud, env)
    if cloud == "aws":
        workloads = module_scope(root, "eks").resolve("${var.workloads}")
        # The project's workloads; the cluster autoscaler (kube-system) is tests/test_cluster_autoscaler.py's.
        project_workloads = {role: w for role, w in workloads.items() if role != "autoscaler"}
        return {role: (w["namespace"], w["service_account"], None) for role, w in project_workloads.items()}
    identities = {}
    for role, module in (("train", "training_identity"), ("serve", "serving_identity")):
        scope = module_scope(root, module)
        (binding,) = scope.resolve("${var.kubernetes_service_accounts}")
        namespace, account = binding.split("/")
        email = f"{scope.resolve('${var.account_id}')}@{scope.resolve('${var.project_id}')}.iam.gserviceaccount.com"
        identities[role] = (namespace, account, email)
    return identities


def gpu_pool(project: Path, cloud: str, env: str) -> tuple[dict, dict]:
    """(taint, node labels) of the GPU node pool in the Terraform."""
    if cloud == "aws":
        # The node groups are one for_each over the local map `node_groups`.
        scope = module_scope(env_root(project, cloud, env), "eks")
        gpu = scope.locals["node_groups"]["gpu"]
        return scope.resolve(gpu["taints"][0]), scope.resolve(gpu["labels"])
    scope = module_scope(env_root(project, cloud, env), "gke")
    (pool,) = [b for t, n, b in blocks(scope.folder, "resource") if t == "google_container_node_pool" and n == "gpu"]
    config = pool["node_config"][0]
    # labels = merge(local.labels, { pool = "gpu" }): the pool's own labels are the literal map.
    literal = re.search(r"\{([^{}]*)\}\s*\)\s*\}$", config["labels"])
    labels = dict(re.findall(r'"?([\w./-]+)"?\s*=\s*"([^"]*)"', literal.group(1))) if literal else {}
    return scope.resolve(config["taint"][0]), labels


def test_overlays_cover_every_cloud_and_environment(variant):
    project, answers = kubernetes_variant(variant)
    expected = {(cloud, env) for cloud in clouds(answers) for env in answers["environments"]}
    assert set(rendered(project, answers)) == expected


def test_image_names_equal_the_terraform_registry_repositories(variant):
    project, answers = kubernetes_variant(variant)
    for (cloud, env), docs in objects(project, answers).items():
        prefix = registry(cloud, answers) + "/"
        images = {c["image"] for _, spec in pods(docs) for c in containers(spec)}
        assert images, f"{cloud}/{env}: no image"
        for image in images:
            assert image.startswith(prefix) and image.endswith(f":{TAG}"), image
        repositories = {image[len(prefix) : -len(TAG) - 1] for image in images}
        assert repositories == terraform_repositories(project, cloud, env), (cloud, env)


def test_namespace_and_service_accounts_equal_the_terraform_workload_identities(variant):
    project, answers = kubernetes_variant(variant)
    for (cloud, env), docs in objects(project, answers).items():
        identities = terraform_identities(project, cloud, env)
        namespaces = {ns for ns, _, _ in identities.values()}
        assert len(namespaces) == 1
        (namespace,) = namespaces
        assert [d["metadata"]["name"] for d in docs if d["kind"] == "Namespace"] == [namespace]
        for doc in docs:
            if doc["kind"] != "Namespace":
                assert doc["metadata"]["namespace"] == namespace, (cloud, env, doc["kind"], doc["metadata"]["name"])
        accounts = {d["metadata"]["name"]: d for d in docs if d["kind"] == "ServiceAccount"}
        for doc, spec in pods(docs):
            role = "train" if doc["kind"] == "Job" else "serve"
            _, account, email = identities[role]
            assert spec["serviceAccountName"] == account, (cloud, env, doc["metadata"]["name"])
            annotation = accounts[account]["metadata"].get("annotations", {}).get("iam.gke.io/gcp-service-account")
            assert annotation == email, (cloud, env, account)


def test_training_job_tolerates_the_gpu_taint_and_selects_the_gpu_nodes(variant):
    project, answers = kubernetes_variant(variant)
    for (cloud, env), docs in objects(project, answers).items():
        (job,) = [d for d in docs if d["kind"] == "Job"]
        spec = job["spec"]
        assert spec["backoffLimit"] >= 0 and spec["activeDeadlineSeconds"] > 0 and spec["ttlSecondsAfterFinished"] > 0
        pod = spec["template"]["spec"]
        limits = pod["containers"][0]["resources"]["limits"]
        if answers["ml_framework"] == "sklearn":
            assert "nvidia.com/gpu" not in limits and not pod.get("tolerations"), "scikit-learn holds no GPU"
            continue
        taint, labels = gpu_pool(project, cloud, env)
        expected = {"key": taint["key"], "operator": "Equal", "value": taint["value"]}
        expected["effect"] = TAINT_EFFECTS[taint["effect"]]
        assert pod["tolerations"] == [expected], (cloud, env)
        assert pod["nodeSelector"] and all(labels.get(k) == v for k, v in pod["nodeSelector"].items()), (
            cloud,
            env,
            pod["nodeSelector"],
            labels,
        )
        assert int(limits["nvidia.com/gpu"]) >= 1
        assert spec["completionMode"] == "Indexed"


def test_serving_is_probed_autoscaled_and_split_by_the_routing_configmap(variant):
    project, answers = kubernetes_variant(variant)
    for docs in objects(project, answers).values():
        deployments = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Deployment"}
        kinds = {(d["kind"], d["metadata"]["name"]) for d in docs}
        assert {("Service", "serve"), ("HorizontalPodAutoscaler", "serve"), ("PodDisruptionBudget", "serve")} <= kinds
        for deployment in deployments.values():
            serve = deployment["spec"]["template"]["spec"]["containers"][0]
            assert serve["readinessProbe"]["httpGet"]["path"] == "/ready"
            assert serve["livenessProbe"]["httpGet"]["path"] == "/health"
            assert serve["resources"]["requests"] and serve["resources"]["limits"]
        strategy = deployments["serve"]["spec"]["strategy"]
        assert strategy["rollingUpdate"]["maxUnavailable"] == 0
        if answers["deployment_strategy"] == "rolling":
            assert set(deployments) == {"serve"} and ("ConfigMap", "routing") not in kinds
            continue
        assert set(deployments) == {"serve", "serve-challenger"}
        (routing,) = [d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"] == "routing"]
        config = json.loads(routing["data"]["routing.json"])
        assert config == {
            "strategy": answers["deployment_strategy"],
            "challenger_weight_percent": answers["canary_weight_percent"],
        }
        stable = deployments["serve"]["spec"]["template"]["spec"]
        mounts = {m["name"]: m["mountPath"] for m in stable["containers"][0]["volumeMounts"]}
        env_vars = {e["name"]: e.get("value") for e in stable["containers"][0].get("env", [])}
        assert env_vars["ROUTING_CONFIG"] == f"{mounts['routing']}/routing.json"
        assert {"name": "routing", "configMap": {"name": "routing"}} in stable["volumes"]


# ── The documented commands: weights, rendering ──────────────────────────────
def routing(project: Path, current: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["python3", "deploy/k8s/routing.py", *args],
        input=json.dumps(current),
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )


def test_routing_commands_step_cap_and_roll_back_the_weight(variant):
    project, answers = kubernetes_variant(variant)
    if answers["deployment_strategy"] == "rolling":
        pytest.skip("rolling: no challenger, no weights")
    current = {"strategy": answers["deployment_strategy"], "challenger_weight_percent": 95}

    def new(*args):
        result = routing(project, current, *args)
        assert result.returncode == 0, result.stderr
        return json.loads(json.loads(result.stdout)["data"]["routing.json"])

    assert new("step", "3")["challenger_weight_percent"] == 98
    assert new("step", "10")["challenger_weight_percent"] == 100
    assert new("rollback") == {"strategy": answers["deployment_strategy"], "challenger_weight_percent": 0}
    assert routing(project, current, "step", "0").returncode != 0
    assert routing(project, {"strategy": "blue-green", "challenger_weight_percent": 5}, "show").returncode != 0
    targets = make_targets(project)
    assert {"canary-step", "canary-promote", "canary-rollback", "canary-status"} <= targets


def test_render_script_refuses_a_bad_tag_or_an_unknown_overlay(variant):
    project, answers = kubernetes_variant(variant)
    cloud, env = clouds(answers)[0], answers["environments"][0]
    script = ["bash", "deploy/k8s/render.sh"]
    bad_tag = subprocess.run([*script, cloud, env, "r.example", "a b"], cwd=project, capture_output=True, text=True)
    assert bad_tag.returncode == 2 and "not an image tag" in bad_tag.stderr
    unknown = subprocess.run([*script, cloud, "qa", "r.example", TAG], cwd=project, capture_output=True, text=True)
    assert unknown.returncode == 2 and "no overlay" in unknown.stderr
    assert not list((project / "deploy" / "k8s").glob(".build.*")), "render.sh left its scratch folder behind"


# ── compute_platform vm: the startup script and the systemd units ────────────
def vm_variant(variant):
    project, answers = variant
    if answers["compute_platform"] != "vm":
        pytest.skip("compute_platform is kubernetes: no VM units")
    return project, answers


def heredocs(script: str) -> dict[str, str]:
    """target file -> content of every `cat >TARGET <<'END' ... END` in a shell script."""
    found = {}
    for match in re.finditer(r"cat >(\S+) <<'?(\w+)'?\n(.*?)^\2$", script, re.S | re.M):
        found[match.group(1)] = match.group(3)
    return found


def test_startup_script_installs_the_units_of_the_repository(variant):
    project, answers = vm_variant(variant)
    units = {p.name: p.read_text() for p in (project / "deploy/vm/units").iterdir()}
    slug = answers["project_slug"]
    assert set(units) == {
        f"{slug}-{name}"
        for name in ("serve.service", "train.service", "train-failed.service", "ship-logs.service", "ship-logs.timer")
    }
    for cloud in clouds(answers):
        installed = heredocs((project / "deploy/vm" / cloud / "startup.sh").read_text())
        for name, text in units.items():
            assert installed[f"/etc/systemd/system/{name}"] == text, f"{cloud}: {name} differs from deploy/vm/units"
        for helper in ("registry-login", "serve-secrets"):
            text = (project / "deploy/vm" / cloud / f"{helper}.sh").read_text()
            assert installed[f"/usr/local/libexec/{answers['project_slug']}/{helper}"] == text, f"{cloud}: {helper}"


def test_startup_script_names_the_terraform_registries_and_environments(variant):
    project, answers = vm_variant(variant)
    for cloud in clouds(answers):
        script = (project / "deploy/vm" / cloud / "startup.sh").read_text()
        (case,) = re.findall(r"^\s+([a-z|]+)\) ;;$", script, re.M)
        assert case.split("|") == answers["environments"]
        images = dict(re.findall(r"^(TRAIN|SERVE)_IMAGE=\$registry/(\S+):\$image_tag$", script, re.M))
        assert set(images) == {"TRAIN", "SERVE"}, images
        for env in answers["environments"]:
            named = {image.replace("$environment", env) for image in images.values()}
            assert named == terraform_repositories(project, cloud, env), (cloud, env)
            buckets = re.findall(r"^MODELS_URL=\w+://(\S+)$", script, re.M)
            models = module_scope(env_root(project, cloud, env), "data")
            expected = models.resolve("${var.models_bucket_name}") if cloud == "gcp" else None
            assert buckets == [f"{answers['project_slug']}-$environment-models"]
            if expected:
                assert buckets[0].replace("$environment", env) == expected


# ── One image tag scheme: the Makefile's builds and the rendered manifests ───
def make_dry_run(project: Path, *args: str) -> str:
    result = subprocess.run(["make", "-n", *args], cwd=project, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def committed_copy(project: Path, destination: Path) -> Path:
    """The project in a git repository of its own, as after the post-copy task (the matrix skips it)."""
    shutil.copytree(project, destination, ignore=shutil.ignore_patterns(".git"))
    identity = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com"}
    identity |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    for command in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "generated"]):
        subprocess.run(command, cwd=destination, env={**os.environ, **identity}, check=True, capture_output=True)
    return destination


def test_images_and_manifests_share_the_commit_tag_and_the_terraform_registry(variant, tmp_path):
    source, answers = variant
    project = committed_copy(source, tmp_path / "project")
    commit = subprocess.run(
        ["git", "rev-parse", "--short=12", "HEAD"], cwd=project, capture_output=True, text=True, check=True
    ).stdout.strip()
    for cloud in clouds(answers):
        env = answers["environments"][-1]
        host = "r.example" if cloud == "aws" else registry(cloud, answers)  # AWS asks STS for the account
        if cloud == "gcp":  # the Artifact Registry host of the Terraform: <location>-docker.pkg.dev/<project>
            scope = module_scope(env_root(project, cloud, env), "registry")
            assert host == f"{scope.resolve('${var.region}')}-docker.pkg.dev/{scope.resolve('${var.project_id}')}"
        extra = ["REGISTRY=r.example"] if cloud == "aws" else []
        build = make_dry_run(project, "image-train", "image-serve", f"CLOUD={cloud}", f"ENV={env}", *extra)
        tags = re.findall(r"--file (docker/\w+/Dockerfile) --tag (\S+) \.$", build, re.M)
        expected = {f"{host}/{repository}:{commit}" for repository in terraform_repositories(project, cloud, env)}
        assert {tag for _, tag in tags} == expected, build
        assert [dockerfile for dockerfile, _ in tags] == ["docker/train/Dockerfile", "docker/serve/Dockerfile"]
        if is_kubernetes(answers):
            render = make_dry_run(project, "kube-render", f"CLOUD={cloud}", f"ENV={env}", *extra)
            assert f"deploy/k8s/render.sh {cloud} {env} {host} {commit}" in render


# ── The VM's wiring in the Terraform and the prediction-log key ──────────────
def terraform_resource(project: Path, cloud: str, env: str, suffix: str) -> dict:
    """The arguments (as far as known offline) of the one resource of an env root ending in suffix."""
    (arguments,) = [
        a for address, a in load_root(env_root(project, cloud, env)).resources.items() if address.endswith(suffix)
    ]
    return arguments


def raw_resource(folder: Path, type_: str) -> dict:
    (body,) = [b for t, _, b in blocks(folder, "resource") if t == type_]
    return body


def test_vm_terraform_passes_the_startup_script_of_the_repository(variant):
    project, answers = vm_variant(variant)
    for cloud in clouds(answers):
        for env in answers["environments"]:
            root = env_root(project, cloud, env)
            path = unquote(load(root / "terraform.tfvars")["startup_script_file"])
            assert (root / path).resolve() == (project / "deploy/vm" / cloud / "startup.sh").resolve(), path
            (stack,) = [body for _, name, body in blocks(root, "module") if name == "stack"]
            assert 'file("${path.module}/${var.startup_script_file}")' in stack["startup_script"]
            vm = module_scope(root, "gpu_vm")
            assert vm.vars["startup_script"] == "${var.startup_script}", "the stack does not hand the script on"
        if cloud == "aws":  # the launch template's user data, at most 16 KiB before base64: gzipped
            script = (project / "deploy/vm/aws/startup.sh").read_bytes()
            assert len(gzip.compress(script)) <= 16384
            template = raw_resource(vm.folder, "aws_launch_template")
            assert "base64gzip(var.startup_script)" in template["user_data"]
        else:  # the startup-script key, which runs at every boot and does not replace the VM when it changes
            instance = raw_resource(vm.folder, "google_compute_instance")
            assert instance["metadata"]["startup-script"] == "${var.startup_script}"
            assert "metadata_startup_script" not in instance


def test_startup_script_reads_what_the_terraform_sets_on_the_instance(variant):
    project, answers = vm_variant(variant)
    for cloud in clouds(answers):
        script = (project / "deploy/vm" / cloud / "startup.sh").read_text()
        vm_folder = module_scope(env_root(project, cloud, answers["environments"][0]), "gpu_vm").folder
        if cloud == "aws":
            read = set(re.findall(r"imds meta-data/tags/instance/(\w+)", script))
            assert read == {"Environment", "ImageTag"}
            template = raw_resource(vm_folder, "aws_launch_template")
            assert unquote(template["metadata_options"][0]["instance_metadata_tags"]) == "enabled"
            instance = raw_resource(vm_folder, "aws_instance")
            assert 'tags["ImageTag"]' in str(instance["lifecycle"][0]["ignore_changes"]), (
                "a deployment's tag is reverted"
            )
        else:
            read = set(re.findall(r"^\w+=\$\(metadata ([\w-]+)", script, re.M))
            assert read == {"environment", "image-tag"}
            instance = raw_resource(vm_folder, "google_compute_instance")
            assert 'metadata["image-tag"]' in str(instance["lifecycle"][0]["ignore_changes"]), (
                "a deployment's tag is reverted"
            )
        for env in answers["environments"]:
            suffix = "gpu_vm.aws_instance.this" if cloud == "aws" else "gpu_vm.google_compute_instance.this"
            arguments = terraform_resource(project, cloud, env, suffix)
            values = arguments["tags"] if cloud == "aws" else arguments["metadata"]
            environment, tag = ("Environment", "ImageTag") if cloud == "aws" else ("environment", "image-tag")
            assert values[environment] == env and values[tag] == "", (cloud, env, values)
            assert read <= set(values)


def log_key_secret(project: Path, cloud: str, env: str) -> str:
    suffix = "aws_secretsmanager_secret.this" if cloud == "aws" else "google_secret_manager_secret.this"
    arguments = terraform_resource(project, cloud, env, f"prediction_log_key.{suffix}")
    return arguments["name" if cloud == "aws" else "secret_id"]


def test_prediction_log_key_names_the_terraform_secret(variant):
    project, answers = variant
    slug = answers["project_slug"]
    tool = (project / "deploy/prediction-log-key.sh").read_text()
    (pattern,) = re.findall(r'^secret_id="(\S+)"$', tool, re.M)
    for cloud in clouds(answers):
        for env in answers["environments"]:
            secret = log_key_secret(project, cloud, env)
            assert pattern.replace("$env", env) == secret
            if answers["compute_platform"] == "vm":
                script = (project / "deploy/vm" / cloud / "startup.sh").read_text()
                (named,) = re.findall(r"^PREDICTION_LOG_SECRET=(\S+)$", script, re.M)
                assert named.replace("$environment", env) == secret
    if answers["compute_platform"] == "vm":
        unit = (project / "deploy/vm/units" / f"{slug}-serve.service").read_text()
        (written,) = re.findall(rf"^ExecStartPre=/usr/local/libexec/{slug}/serve-secrets (\S+)$", unit, re.M)
        assert written.startswith(f"/run/{slug}/") and f"RuntimeDirectory={slug}\n" in unit
        (start,) = re.findall(r"^ExecStart=(.*?)\$\{SERVE_IMAGE\}$", unit.replace("\\\n", ""), re.M | re.S)
        assert f"--env-file {written}" in start, "the serving container does not get the key"


def test_vm_identity_pulls_the_project_images_and_reads_the_key(variant):
    project, answers = vm_variant(variant)
    for cloud in clouds(answers):
        stack = module_scope(env_root(project, cloud, answers["environments"][0]), "gpu_vm").caller.folder
        vm_tf = stack / "vm.tf"  # not monitoring_vm.tf
        if cloud == "aws":
            (vm,) = [b for t, name, b in blocks(stack, "data") if t == "aws_iam_policy_document" and name == "vm"]
            statements = {unquote(st["sid"]): st for st in vm["statement"]}
            assert statements["RegistryLogin"]["actions"] == ['"ecr:GetAuthorizationToken"']
            assert statements["PullImages"]["resources"] == "${values(module.registry.repository_arns)}"
            assert statements["ReadPredictionLogKey"]["resources"] == ["${module.prediction_log_key.arn}"]
            assert statements["DecryptPredictionLogKey"]["condition"][0]["variable"] == '"kms:ViaService"'
            (gpu_vm,) = [b for _, name, b in blocks(stack, "module") if name == "gpu_vm"]
            assert gpu_vm["workload_policy_json"] == "${data.aws_iam_policy_document.vm.json}"
        else:
            vm_locals = load(vm_tf)["locals"][0]
            member = '"serviceAccount:${module.gpu_vm.service_account_email}"'
            assert vm_locals["secret_readers"] == {"vm": member} and vm_locals["image_pullers"] == {"vm": member}
            for env in answers["environments"]:
                secret = terraform_resource(project, cloud, env, "prediction_log_key.google_secret_manager_secret.this")
                assert secret["secret_id"] == log_key_secret(project, cloud, env)


def test_serving_pods_take_the_key_from_the_secret_that_kube_secret_creates(variant):
    project, answers = kubernetes_variant(variant)
    tool = (project / "deploy/prediction-log-key.sh").read_text()
    (name, namespace, key) = re.search(
        r"kubectl create secret generic (\S+) --namespace (\S+) \\\n\s+--from-file=(\w+)=/dev/stdin", tool
    ).groups()
    for (cloud, env), docs in objects(project, answers).items():
        servers = [(doc, spec) for doc, spec in pods(docs) if doc["kind"] == "Deployment"]
        assert servers
        for doc, spec in servers:
            assert doc["metadata"]["namespace"] == namespace
            (container,) = spec["containers"]
            (ref,) = [e["valueFrom"]["secretKeyRef"] for e in container["env"] if e["name"] == "PREDICTION_LOG_KEY"]
            assert ref == {"name": name, "key": key}, (cloud, env, ref)  # not optional: no key, no start


def fake_clis(folder: Path, store: Path) -> dict:
    """aws, gcloud and kubectl that keep one secret value in a file and record kubectl's input."""
    folder.mkdir()
    scripts = {
        "aws": f"""case "$2" in
get-secret-value) [ -s {store} ] && cat {store} || {{ echo "ResourceNotFoundException" >&2; exit 254; }} ;;
put-secret-value) cat >{store} ;;
esac""",
        "gcloud": f"""case "$3" in
access) [ -s {store} ] && cat {store} || {{ echo "NOT_FOUND" >&2; exit 1; }} ;;
add) cat >{store} ;;
esac""",
        "kubectl": f'echo "$*" >>{folder}/kubectl.args; cat >>{folder}/kubectl.stdin',
    }
    for name, body in scripts.items():
        (folder / name).write_text(f"#!/bin/sh\n{body}\n")
        (folder / name).chmod(0o755)
    return {**os.environ, "PATH": f"{folder}:{os.environ['PATH']}"}


def test_prediction_log_key_tool_puts_one_key_and_copies_it_through_pipes(variant, tmp_path):
    project, answers = variant
    cloud, env = clouds(answers)[0], answers["environments"][0]
    store = tmp_path / "secret"
    environment = fake_clis(tmp_path / "bin", store)

    def tool(*args, **extra):
        command = ["bash", "deploy/prediction-log-key.sh", *args]
        return subprocess.run(command, cwd=project, env={**environment, **extra}, capture_output=True, text=True)

    assert tool("create", cloud, "qa").returncode == 2
    first = tool("create", cloud, env)
    assert first.returncode == 0, first.stderr
    key = store.read_text()
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    again = tool("create", cloud, env)
    assert again.returncode == 1 and "ROTATE=1" in again.stderr and store.read_text() == key
    assert tool("create", cloud, env, ROTATE="1").returncode == 0 and store.read_text() != key
    if is_kubernetes(answers):
        copied = tool("kube-secret", cloud, env)
        assert copied.returncode == 0, copied.stderr
        assert (tmp_path / "bin/kubectl.stdin").read_text().startswith(store.read_text())
        assert store.read_text() not in (tmp_path / "bin/kubectl.args").read_text(), "the key is on a command line"
        store.write_text("")
        missing = tool("kube-secret", cloud, env)
        assert missing.returncode == 1 and "make prediction-log-key" in missing.stderr


def test_serve_secrets_writes_a_root_only_env_file_or_an_empty_one_with_a_warning(variant, tmp_path):
    project, answers = vm_variant(variant)
    slug = answers["project_slug"]
    for cloud in clouds(answers):
        work = tmp_path / cloud
        work.mkdir()
        store = work / "secret"
        environment = fake_clis(work / "bin", store)
        deploy_env = work / "deploy.env"
        deploy_env.write_text(f"AWS_REGION=eu-west-1\nPREDICTION_LOG_SECRET={slug}-dev-prediction-log-key\n")
        # The helper as installed, reading this test's deploy.env instead of /etc/<slug>/deploy.env.
        helper = work / "serve-secrets"
        text = (project / "deploy/vm" / cloud / "serve-secrets.sh").read_text()
        assert f". /etc/{slug}/deploy.env\n" in text
        helper.write_text(text.replace(f"/etc/{slug}/deploy.env", str(deploy_env)))
        output = work / "serve.env"

        store.write_text("ab" * 32)
        result = subprocess.run(["sh", str(helper), str(output)], env=environment, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert output.read_text() == f"PREDICTION_LOG_KEY={'ab' * 32}\n"
        assert output.stat().st_mode & 0o077 == 0, "the key file is readable by others"

        output.unlink()
        store.write_text("")  # no value put yet
        result = subprocess.run(["sh", str(helper), str(output)], env=environment, capture_output=True, text=True)
        assert result.returncode == 0 and output.read_text() == ""
        assert "without PREDICTION_LOG_KEY" in result.stderr
