"""Template sources as copier reads them: a local path or a git URL, its PEP 440 version tags,
and the files of one version, read with git before copier runs.

Copier clones the template itself; these checks come first so that a source that cannot be
reached, or a recorded `_commit` that it does not hold, is reported as one line naming the project,
before anything is changed. A remote source is cloned once per command (bare, without blobs until
a file is read), then every question is answered from that clone.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from functools import cached_property
from pathlib import Path

from packaging.version import InvalidVersion, Version

# copier's own shortcuts (copier/_vcs.py): gh:owner/repo and gl:owner/repo.
SHORTCUTS = {"gh:": "https://github.com/", "gl:": "https://gitlab.com/"}
# `git describe` form that copier records for a commit past a tag: v0.1.0-3-g1a2b3c4.
DESCRIBED = re.compile(r"^(?P<tag>.+)-(?P<distance>\d+)-g(?P<sha>[0-9a-f]{4,40})$")
GIT_TIMEOUT = 120


class SourceError(Exception):
    """A template source that cannot be used: the message names it and says why."""


def version_of(ref: str | None) -> Version | None:
    """The PEP 440 version of a tag or of copier's describe form (v0.1.0-3-gabc -> 0.1.0.post3)."""
    if not ref:
        return None
    match = DESCRIBED.match(ref)
    try:
        if match:
            return Version(f"{match['tag']}.post{match['distance']}")
        return Version(ref)
    except InvalidVersion:
        return None


def _git(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=GIT_TIMEOUT, check=False)


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


class TemplateSource:
    """One template source (`_src_path` or a catalogue's `template.source`)."""

    def __init__(self, url: str, base: Path | None = None):
        self.url = url
        expanded = next((prefix + url[len(k) :] for k, prefix in SHORTCUTS.items() if url.startswith(k)), url)
        if expanded.startswith(("https:", "http:", "ssh:", "git@", "git+", "file:")) or expanded.endswith(".git"):
            self.local: Path | None = None
            self.git_url = expanded.removeprefix("git+")
        else:  # a path, relative to ``base`` (the catalogue's folder) or to the working directory
            self.local = ((base or Path.cwd()) / expanded).resolve()
            self.git_url = str(self.local)
        self._clone: tempfile.TemporaryDirectory | None = None

    def __repr__(self) -> str:
        return f"TemplateSource({self.url!r})"

    @cached_property
    def repository(self) -> Path | None:
        """A git directory to ask (the local repository, or a bare clone of a remote one); None for
        a local folder that is not a git repository (copier then copies it as it is)."""
        if self.local is not None:
            if not self.local.is_dir():
                raise SourceError(f"template source '{self.url}' cannot be reached: {self.local} is not a folder.")
            inside = _git("rev-parse", "--show-toplevel", cwd=self.local)
            if inside.returncode != 0:
                return None
            return self.local
        self._clone = tempfile.TemporaryDirectory(prefix="mlops-scaffold-source-")
        clone = Path(self._clone.name) / "template.git"
        result = _git("clone", "--quiet", "--bare", "--filter=blob:none", self.git_url, str(clone))
        if result.returncode != 0:
            raise SourceError(f"template source '{self.url}' cannot be reached: {_first_line(result.stderr)}")
        return clone

    @cached_property
    def tags(self) -> list[str]:
        repository = self.repository
        if repository is None:
            return []
        return _git("tag", "--list", cwd=repository).stdout.split()

    @cached_property
    def newest(self) -> str | None:
        """The tag `copier update` goes to by default: the highest PEP 440 version, no pre-releases."""
        releases = [(v, tag) for tag in self.tags if (v := version_of(tag)) is not None and not v.is_prerelease]
        return max(releases)[1] if releases else None

    def has(self, ref: str) -> bool:
        """Whether the source holds ``ref`` (a tag, a commit, or copier's describe form)."""
        repository = self.repository
        if repository is None:
            return False
        match = DESCRIBED.match(ref)
        target = match["sha"] if match else ref
        return _git("rev-parse", "--verify", "--quiet", f"{target}^{{commit}}", cwd=repository).returncode == 0

    def read(self, path: str, ref: str | None) -> str:
        """A file of the template at ``ref`` (None: the newest release, else what copier takes: HEAD,
        or the working tree of a local repository)."""
        ref = ref or self.newest
        repository = self.repository
        if ref is None and self.local is not None:
            return (self.local / path).read_text()
        if repository is None:
            raise SourceError(f"template source '{self.url}' has no versions (not a git repository); omit the version.")
        if ref is not None and not self.has(ref):
            tags = ", ".join(self.tags) or "none"
            raise SourceError(f"template source '{self.url}' has no version '{ref}' (tags: {tags}).")
        result = _git("show", f"{ref or 'HEAD'}:{path}", cwd=repository)
        if result.returncode != 0:
            why = _first_line(result.stderr)
            raise SourceError(f"template source '{self.url}' at {ref or 'HEAD'}: no {path} ({why}).")
        return result.stdout


class Sources:
    """One TemplateSource per URL for the length of a command (a remote one is cloned once)."""

    def __init__(self):
        self._by_location: dict[str, TemplateSource] = {}

    def get(self, url: str, base: Path | None = None) -> TemplateSource:
        source = TemplateSource(url, base)  # keyed by where it points: many projects, one clone
        return self._by_location.setdefault(source.git_url, source)
