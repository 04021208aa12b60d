"""The team catalogue: named presets of answers, with team defaults merged under them.

A catalogue file (the repository's `catalogue.yml` by default; a team's own from `--catalogue PATH`
or $MLOPS_SCAFFOLD_CATALOGUE):

    template:                    # where projects come from; a preset may override either key
      source: .                  # a git URL, gh:owner/repo, or a path relative to this file
      version: v0.2.0            # a PEP 440 tag; omitted: the newest release (copier's default)
    team:                        # merged under every preset, used where its question is asked
      answers: {repository_owner: acme, aws_region: eu-west-1, ...}
      allowed_gpu_types: [t4, l4]   # optional: presets and `new` may pick only these
    presets:
      aws-eks-gpu-training:
        description: One line shown by `mlops-scaffold list`.
        answers: {cloud_provider: aws, gpu_type: l4, ...}

The structure is checked with pydantic (unknown keys are refused, so a typo does not pass
silently); the answers are then checked against the template's copier.yml with the question model
(`mlops_scaffold.questions.resolve`), preset by preset, before copier runs.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pydantic
import yaml

from mlops_scaffold import questions as model
from mlops_scaffold.sources import SourceError, Sources, TemplateSource

ENV_VAR = "MLOPS_SCAFFOLD_CATALOGUE"
DEFAULT = Path(__file__).resolve().parents[2] / "catalogue.yml"
NAME = r"^[a-z][a-z0-9-]{0,62}[a-z0-9]$"


class CatalogueError(Exception):
    """A catalogue that cannot be used: one message per problem, each naming where it is."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__("\n".join(f"{path}: {problem}" for problem in problems))


class _Strict(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")


class _Template(_Strict):
    source: str | None = None
    version: str | None = None


class _Team(_Strict):
    answers: dict[str, object] = {}
    allowed_gpu_types: list[str] | None = None


class _Preset(_Strict):
    description: str = pydantic.Field(min_length=1)
    template: _Template = _Template()
    answers: dict[str, object] = {}


class _File(_Strict):
    template: _Template
    team: _Team = _Team()
    presets: dict[pydantic.constr(pattern=NAME), _Preset] = pydantic.Field(min_length=1)


@dataclass
class Preset:
    name: str
    description: str
    source: str
    version: str | None
    answers: dict  # the preset's own answers
    team_answers: dict = field(default_factory=dict)


@dataclass
class Catalogue:
    path: Path
    presets: dict[str, Preset]
    source: str
    version: str | None
    team_answers: dict
    allowed_gpu_types: list[str] | None
    sources: Sources = field(default_factory=Sources)

    def template(self, source: str) -> TemplateSource:
        """A template source, relative paths read from the catalogue's folder."""
        return self.sources.get(source, self.path.parent)

    def preset(self, name: str) -> Preset:
        if name not in self.presets:
            known = ", ".join(self.presets)
            message = f"no preset '{name}'; the presets are: {known} (see `mlops-scaffold list`)."
            raise CatalogueError(self.path, [message])
        return self.presets[name]

    def resolve(self, preset: Preset | None, data: dict, version: str | None = None) -> tuple[dict, list[str]]:
        """The answers copier ends with for ``preset`` (None: the team's defaults only) and ``data``
        (`--data`, over the preset), and the problems: each message names the preset and the question."""
        source = preset.source if preset else self.source
        ref = version or (preset.version if preset else self.version)
        where = f"preset '{preset.name}': " if preset else ""
        given = {**(preset.answers if preset else {}), **data}
        with tempfile.TemporaryDirectory(prefix="mlops-scaffold-copier-yml-") as folder:
            copier_yml = Path(folder) / "copier.yml"
            copier_yml.write_text(self.template(source).read("copier.yml", ref))
            answers, problems = model.resolve(given, copier_yml, optional=self.team_answers)
            model.load.cache_clear()  # the temporary file's name may be reused for another version
        messages = [
            f"team.answers (under preset '{preset.name}'): {problem}"
            if preset and problem.question in self.team_answers and problem.question not in given
            else f"{where}{problem}"
            for problem in problems
        ]
        gpu = answers.get("gpu_type")
        if self.allowed_gpu_types is not None and gpu is not None and gpu not in self.allowed_gpu_types:
            messages.append(
                f"{where}gpu_type: '{gpu}' is not allowed by the team (allowed_gpu_types: "
                f"{', '.join(self.allowed_gpu_types)})."
            )
        return answers, messages


def locate(path: str | Path | None) -> Path:
    """The catalogue to use: ``--catalogue``, else $MLOPS_SCAFFOLD_CATALOGUE, else the repository's."""
    chosen = path or os.environ.get(ENV_VAR) or DEFAULT
    return Path(chosen).expanduser().resolve()


def load(path: Path) -> Catalogue:
    """Read and check a catalogue's structure (not yet its answers: see `validate`)."""
    if not path.is_file():
        raise CatalogueError(path, [f"no such file (pass --catalogue PATH or set ${ENV_VAR})."])
    try:
        raw = yaml.safe_load(path.read_text())
    except yaml.YAMLError as error:
        raise CatalogueError(path, [f"not valid YAML: {' '.join(str(error).split())}"]) from None
    try:
        parsed = _File.model_validate(raw)
    except pydantic.ValidationError as error:
        problems = []
        for item in error.errors():
            location = ".".join(str(part) for part in item["loc"]) or "(top level)"
            problems.append(f"{location}: {item['msg']}.")
        raise CatalogueError(path, problems) from None
    source = parsed.template.source or "."
    presets = {
        name: Preset(
            name=name,
            description=" ".join(preset.description.split()),
            source=preset.template.source or source,
            version=preset.template.version or parsed.template.version,
            answers=dict(preset.answers),
            team_answers=dict(parsed.team.answers),
        )
        for name, preset in parsed.presets.items()
    }
    return Catalogue(
        path=path,
        presets=presets,
        source=source,
        version=parsed.template.version,
        team_answers=dict(parsed.team.answers),
        allowed_gpu_types=parsed.team.allowed_gpu_types,
    )


def validate(catalogue: Catalogue) -> list[str]:
    """Every problem of the catalogue's answers against the template's copier.yml (empty: valid)."""
    problems = []
    for name, preset in catalogue.presets.items():
        try:
            _, messages = catalogue.resolve(preset, {})
        except SourceError as error:
            messages = [f"preset '{name}': {error}"]
        problems += messages
    if catalogue.allowed_gpu_types is not None:
        try:
            copier_yml_text = catalogue.template(catalogue.source).read("copier.yml", catalogue.version)
            spec = yaml.safe_load(copier_yml_text).get("gpu_type", {})
            known = [str(choice.value) for choice in model.choices(spec)]
            problems += [
                f"team.allowed_gpu_types: '{gpu}' is not one of gpu_type's choices ({', '.join(known)})."
                for gpu in catalogue.allowed_gpu_types
                if gpu not in known
            ]
        except SourceError as error:
            problems.append(f"template: {error}")
    return problems
