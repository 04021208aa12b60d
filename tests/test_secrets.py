"""No secret in a rendered project: the generated pre-commit hook (detect-secrets with the shipped
.secrets.baseline) passes over every file, and fails on a planted key."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mlops_scaffold.matrix import variant_id, variants

HOOK = Path(sys.executable).parent / "detect-secrets-hook"
# Both clouds, VM and Kubernetes, GitHub and GitLab.
SCANNED = [v for v in variants() if v["cloud_provider"] == "both"]


def hook_exclude(project: Path) -> re.Pattern:
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    hook = next(h for r in config["repos"] for h in r["hooks"] if h["id"] == "detect-secrets")
    return re.compile(hook["exclude"])


def run_hook(project: Path, files: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(HOOK), "--baseline", ".secrets.baseline", *files], cwd=project, capture_output=True, text=True
    )


@pytest.mark.parametrize("answers", SCANNED, ids=[variant_id(v) for v in SCANNED])
def test_no_secret_in_rendered_project(render_cache, answers):
    project = render_cache.get(variant_id(answers), answers, skip_tasks=True)
    exclude = hook_exclude(project)
    files = sorted(
        p.relative_to(project).as_posix()
        for p in project.rglob("*")
        if p.is_file() and ".git" not in p.parts and not exclude.search(p.relative_to(project).as_posix())
    )
    assert len(files) > 100
    result = run_hook(project, files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_plant_key_is_found(render_cache, tmp_path):
    project = render_cache.get(variant_id(SCANNED[0]), SCANNED[0], skip_tasks=True)
    shutil.copy(project / ".secrets.baseline", tmp_path / ".secrets.baseline")
    key_id = "AKIA" + "ZQ3DT7QVXN2JH5KB"  # split so that no scanner flags this test file
    (tmp_path / "settings.env").write_text(f"AWS_ACCESS_KEY_ID={key_id}\n")
    result = run_hook(tmp_path, ["settings.env"])
    assert result.returncode == 1 and "AWS Access Key" in result.stdout, result.stdout
