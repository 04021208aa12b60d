"""Shell scripts are shellcheck-clean."""

import json

from tools import run, tool

from . import Finding, checker, project_files

SHEBANGS = (b"#!/bin/sh", b"#!/usr/bin/env bash", b"#!/bin/bash", b"#!/usr/bin/env sh")


def _shell_scripts(project):
    for path in project_files(project):
        if path.suffix in {".sh", ".bash"} or (not path.suffix and path.read_bytes()[:32].startswith(SHEBANGS)):
            yield path


@checker("shellcheck")
def check(project, answers):
    scripts = [str(p.relative_to(project)) for p in _shell_scripts(project)]
    if not scripts:
        return []
    result = run([tool("shellcheck"), "--format", "json", *scripts], cwd=project)
    return [
        Finding("shellcheck", item["file"], item["line"], f"SC{item['code']} {item['message']}")
        for item in json.loads(result.stdout or "[]")
    ]
