"""systemd unit files (deploy/vm/units) pass `systemd-analyze verify`: unknown keys, bad values and
unparsable lines fail. What only the VM has (docker, the installed helper scripts) is not checked here."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from tools import run, tool

from . import Finding, checker, project_files

# Messages about the machine the check runs on, not about the unit file.
MACHINE = re.compile(r"is not executable|Unit \S+ not found|Failed to create \S+/start")


@checker("systemd-analyze", applies=lambda answers: answers.get("compute_platform") == "vm")
def check(project, answers):
    units = [p for p in project_files(project, ".service", ".timer") if "units" in p.parts]
    if not units:
        return [Finding("systemd-analyze", "deploy/vm/units", None, "missing: the VM runs its images with systemd")]
    findings = []
    with tempfile.TemporaryDirectory() as folder:
        for unit in units:
            shutil.copy(unit, folder)
        copies = sorted(str(p) for p in Path(folder).iterdir())
        result = run([tool("systemd-analyze"), "verify", "--man=no", *copies], env={"SYSTEMD_LOG_LEVEL": "notice"})
        for line in (result.stdout + result.stderr).splitlines():
            match = re.match(r"^(?P<file>/\S+?\.(?:service|timer))(?::(?P<line>\d+))?: (?P<message>.*)$", line)
            name = Path(match["file"]).name if match else None
            if match and not MACHINE.search(match["message"]):
                relative = next(str(u.relative_to(project)) for u in units if u.name == name)
                findings.append(Finding("systemd-analyze", relative, int(match["line"] or 0) or None, match["message"]))
    return findings
