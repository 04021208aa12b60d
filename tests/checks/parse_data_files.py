"""YAML, JSON and TOML files parse."""

import json
import tomllib

import yaml

from . import Finding, checker, project_files


class _AnyTagLoader(yaml.SafeLoader):
    """Safe loading that accepts custom tags (GitLab `!reference`, CloudFormation-style tags)."""


_AnyTagLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def _parse(path):
    text = path.read_text()
    if path.suffix in {".yml", ".yaml"}:
        list(yaml.load_all(text, Loader=_AnyTagLoader))
    elif path.suffix == ".json":
        json.loads(text)
    else:
        tomllib.loads(text)


@checker("parse-yaml-json-toml")
def check(project, answers):
    findings = []
    for path in project_files(project, ".yml", ".yaml", ".json", ".toml"):
        try:
            _parse(path)
        except (yaml.YAMLError, json.JSONDecodeError, tomllib.TOMLDecodeError) as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark else getattr(error, "lineno", None)
            findings.append(Finding("parse", str(path.relative_to(project)), line, str(error).splitlines()[0]))
    return findings
