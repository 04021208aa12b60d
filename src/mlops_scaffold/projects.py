"""Generated projects as `mlops-scaffold status` and `update` see them: the recorded template
version, the newest one available, the state of the working tree, and one `copier update`.

Everything that can refuse an update is checked first (`inspect`), for every project, so that a bad
path, a dirty tree, a template source that cannot be reached or a recorded `_commit` that the source
does not hold stops the command before any project is changed.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from mlops_scaffold.sources import SourceError, Sources, TemplateSource, version_of

ANSWERS_FILE = ".copier-answers.yml"


class ProjectError(Exception):
    """A project that cannot be read or updated: the message names it and says what to do."""


def _git(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=project, capture_output=True, text=True, check=False)


UNMERGED = {"DD", "AU", "UD", "UA", "DU", "AA", "UU"}  # git status --porcelain's conflict codes


def _status(project: Path) -> list[str]:
    return _git(project, "status", "--porcelain", "--untracked-files=all").stdout.splitlines()


def changed_files(project: Path, status: list[str] | None = None) -> list[str]:
    """Paths `git status` reports (untracked included, ignored files excluded)."""
    return [line[3:] for line in (status if status is not None else _status(project))]


def conflicted_files(project: Path, status: list[str] | None = None) -> list[str]:
    """Files left with conflicts: unmerged in git's index (inline markers) or beside a `.rej` file.
    The same rule as hooks/report_conflicts.py, which copier runs with its own Python, where this
    package may not be installed, so it cannot import it."""
    unmerged = {line[3:] for line in (status if status is not None else _status(project)) if line[:2] in UNMERGED}
    rejects = set()
    for folder, subfolders, files in os.walk(project):
        subfolders[:] = [name for name in subfolders if name != ".git"]  # not the object store
        rejects |= {str((Path(folder) / name).relative_to(project)) for name in files if name.endswith(".rej")}
    return sorted(unmerged | rejects)


@dataclass
class Project:
    path: Path
    answers: dict
    source: TemplateSource
    dirty: list[str] = field(default_factory=list)

    @property
    def commit(self) -> str:
        return str(self.answers["_commit"])

    @property
    def newest(self) -> str | None:
        return self.source.newest

    @property
    def pending(self) -> bool | None:
        """Whether a newer release exists (None when the versions cannot be compared)."""
        current, newest = version_of(self.commit), version_of(self.newest)
        if newest is None:
            return None if current is None else False
        return current is None or current < newest


def read(path: Path, sources: Sources) -> Project:
    """A generated project; ProjectError when ``path`` is not one."""
    if not path.is_dir():
        raise ProjectError(f"{path}: no such folder.")
    answers_file = path / ANSWERS_FILE
    if not answers_file.is_file():
        raise ProjectError(f"{path}: not a copier project (no {ANSWERS_FILE}).")
    try:
        answers = yaml.safe_load(answers_file.read_text()) or {}
    except yaml.YAMLError:
        raise ProjectError(f"{path}: {ANSWERS_FILE} is not valid YAML; restore it from git.") from None
    missing = [key for key in ("_src_path", "_commit") if not answers.get(key)]
    if missing:
        raise ProjectError(
            f"{path}: {ANSWERS_FILE} records no {' or '.join(missing)}; it was not generated from a "
            "template version that copier can update from."
        )
    if _git(path, "rev-parse", "--show-toplevel").returncode != 0:
        raise ProjectError(f"{path}: not a git repository; copier update merges through the project's history.")
    source = sources.get(str(answers["_src_path"]), path)
    return Project(path=path, answers=answers, source=source, dirty=changed_files(path))


def check_updatable(project: Project, vcs_ref: str | None) -> None:
    """Refuse, before anything changes, an update that copier would fail or that would mix the
    user's uncommitted work into the merge."""
    if project.dirty:
        shown = ", ".join(project.dirty[:3]) + (", ..." if len(project.dirty) > 3 else "")
        raise ProjectError(
            f"{project.path}: {len(project.dirty)} uncommitted change(s) ({shown}); commit or stash them "
            "first, so the update's changes can be told from yours."
        )
    try:
        if not project.source.has(project.commit):
            raise ProjectError(
                f"{project.path}: _commit '{project.commit}' does not exist in the template source "
                f"'{project.source.url}' (tags: {', '.join(project.source.tags) or 'none'}); copier cannot "
                "render the version this project came from. Set _commit to the release it was made "
                "from, or rebuild it with `copier recopy --trust`."
            )
        if vcs_ref and not project.source.has(vcs_ref):
            raise ProjectError(
                f"{project.path}: --vcs-ref '{vcs_ref}' does not exist in the template source "
                f"'{project.source.url}' (tags: {', '.join(project.source.tags) or 'none'})."
            )
    except SourceError as error:
        raise ProjectError(f"{project.path}: {error}") from None


@dataclass
class UpdateResult:
    path: str
    from_version: str
    to_version: str = ""
    changed: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    error: str = ""
    output: str = ""


@contextlib.contextmanager
def _captured_output():
    """Send this process's stdout and stderr (file descriptors, so copier's subprocesses and the
    migration hooks too) to a temporary file; yields a function that returns what was written."""
    with tempfile.TemporaryFile(mode="w+") as capture:
        saved = [os.dup(1), os.dup(2)]
        try:
            os.dup2(capture.fileno(), 1)
            os.dup2(capture.fileno(), 2)
            yield lambda: (capture.seek(0), capture.read())[1]
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)


def update(path: str, from_version: str, vcs_ref: str | None, conflict: str) -> UpdateResult:
    """`copier update` of one project, with every recorded answer (run in a worker process)."""
    import copier  # here, so a worker forked before the import still has it
    from copier.errors import UserMessageError

    project = Path(path)
    result = UpdateResult(path=path, from_version=from_version)
    with _captured_output() as output:
        try:
            copier.run_update(
                project,
                defaults=True,
                overwrite=True,
                unsafe=True,
                quiet=True,
                vcs_ref=vcs_ref,
                conflict=conflict,
            )
        except (UserMessageError, ValueError, OSError, subprocess.CalledProcessError) as error:
            result.error = " ".join(str(error).split()) or type(error).__name__
        except Exception as error:  # noqa: BLE001 - one project's failure must not stop the others
            result.error = f"{type(error).__name__}: {' '.join(str(error).split())}"
        result.output = output()
    answers = yaml.safe_load((project / ANSWERS_FILE).read_text()) or {}
    result.to_version = str(answers.get("_commit", ""))
    status = _status(project)
    result.changed = changed_files(project, status)
    result.conflicts = conflicted_files(project, status)
    return result
