"""`terraform init -backend=false` + `terraform validate` of generated roots.

Runs only where a modern terraform (>= 1.10) and the providers are at hand: the registry, or a
filesystem mirror (TF_PROVIDER_MIRROR, or this machine kind's /opt/tf-plugins). Elsewhere it skips
and says why: the test venv's terraform 1.0.3 is good for `fmt` only. Where REQUIRE_ENV is set
(the template's hosted CI), that skip is a failure, so a registry outage cannot turn a run green.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

MIRRORS = [Path(p) for p in (os.environ.get("TF_PROVIDER_MIRROR", ""), "/opt/tf-plugins") if p]
REQUIRE_ENV = "MLOPS_SCAFFOLD_REQUIRE_TF_VALIDATE"


def cannot_validate(reason: str) -> None:
    """Skip, or fail where REQUIRE_ENV=1 says this machine must validate."""
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{REQUIRE_ENV}=1 but terraform validate cannot run: {reason}")
    pytest.skip(reason)


def modern_terraform() -> str | None:
    found = shutil.which("terraform")
    if not found:
        return None
    version = subprocess.run([found, "version"], capture_output=True, text=True, check=False).stdout
    match = re.search(r"v(\d+)\.(\d+)", version)
    return found if match and (int(match[1]), int(match[2])) >= (1, 10) else None


def registry_reachable() -> bool:
    try:
        socket.create_connection(("registry.terraform.io", 443), timeout=3).close()
        return True
    except OSError:
        return False


def _mirror_versions(mirror: Path, provider: str) -> list[tuple[int, int]]:
    versions = []
    for folder in (mirror / "registry.terraform.io" / "hashicorp" / provider).glob("*"):
        if match := re.match(r"(\d+)\.(\d+)", folder.name):
            versions.append((int(match[1]), int(match[2])))
    return versions


def mirror_holding(providers: dict[str, tuple[int, int]]) -> tuple[Path | None, list[str]]:
    """A mirror with every provider at the same major and at least the minor asked for."""
    seen = []
    for mirror in MIRRORS:
        found = {name: _mirror_versions(mirror, name) for name in providers}
        seen += [f"{mirror}: {name} {a}.{b}" for name, versions in found.items() for a, b in versions]
        if all(
            any(major == want[0] and minor >= want[1] for major, minor in found[name])
            for name, want in providers.items()
        ):
            return mirror, seen
    return None, seen


def validate_roots(project: Path, roots: list[Path], providers: dict[str, tuple[int, int]], scratch: Path) -> None:
    """Validate every root, or skip with the reason."""
    terraform = modern_terraform()
    if terraform is None:
        cannot_validate("no terraform >= 1.10 on PATH (the test venv's 1.0.3 is good for fmt only)")
    cache = scratch / "tf-plugin-cache"
    cache.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "TF_IN_AUTOMATION": "1", "TF_PLUGIN_CACHE_DIR": str(cache)}
    if not registry_reachable():
        mirror, seen = mirror_holding(providers)
        if mirror is None:
            wanted = ", ".join(f"hashicorp/{name} ~> {a}.{b}" for name, (a, b) in providers.items())
            cannot_validate(
                f"registry.terraform.io is not reachable and no provider mirror holds {wanted} "
                f"(found: {', '.join(seen) or 'none'})"
            )
        config = scratch / "terraformrc"
        config.write_text(f'provider_installation {{\n  filesystem_mirror {{\n    path = "{mirror}"\n  }}\n}}\n')
        env["TF_CLI_CONFIG_FILE"] = str(config)
    for root in roots:
        for args in (["init", "-backend=false", "-input=false"], ["validate", "-no-color"]):
            result = subprocess.run([terraform, *args], cwd=root, capture_output=True, text=True, env=env, check=False)
            assert result.returncode == 0, f"{root.relative_to(project)}: terraform {args[0]}\n{result.stderr}"
