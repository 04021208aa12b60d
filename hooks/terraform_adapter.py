"""The one place the template runs Terraform.

Backed by python-terraform (the library the project chose); every call raises on a non-zero exit
instead of returning a code to be ignored, so swapping the backend means rewriting only this module.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from python_terraform import Terraform, TerraformCommandError


class TerraformError(RuntimeError):
    """Terraform ran and failed; carries the command and its output."""


def find_terraform() -> str | None:
    """The terraform binary on PATH, or None."""
    return shutil.which("terraform")


def fmt(directory: Path, terraform_bin: str) -> list[str]:
    """Run `terraform fmt -recursive` in ``directory``; return the files it rewrote."""
    terraform = Terraform(working_dir=str(directory), terraform_bin_path=terraform_bin)
    try:
        _, out, _ = terraform.cmd("fmt", "-recursive", "-list=true", "-no-color", raise_on_error=True)
    except TerraformCommandError as error:
        raise TerraformError(f"terraform fmt failed in {directory}:\n{error.err or error.out}") from error
    return [line for line in out.splitlines() if line.strip()]
