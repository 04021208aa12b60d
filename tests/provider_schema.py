"""Terraform provider schemas offline, and a checker of resource/data blocks against them.

The PyPI wheels ``cdktn-provider-<name>`` (CDK Terrain's prebuilt provider bindings) each carry
``_jsii/provider-<name>@<version>.jsii.tgz``; its ``package/.jsii`` JSON describes every resource
and data source of the Terraform provider they were generated from:

- a class whose docs link to ``.../docs/resources/<type> <type>`` (``data-sources`` for data sources),
  whose initializer takes a ``config`` struct: the arguments and blocks of the resource;
- each struct property names its Terraform argument in a ``#<snake_case_name>`` docs anchor;
  ``optional`` absent = required; a summary ending in `` block.`` marks a nested block, whose type
  is another struct (the nested block's schema).

``schema(provider)`` downloads the pinned wheel with ``pip download --no-deps`` (no install),
extracts a compact schema and caches it as JSON under ``.cache/provider-schema/``::

    {"resources": {type: S}, "data_sources": {type: S}}
    S = {"args": {name: required}, "blocks": {name: S + {"required": bool}}, "open": bool}

``open`` marks a block whose inner schema the bindings leave untyped (very deep nesting): its
content is not checked. ``check_files(paths)`` parses Terraform with python-hcl2 and reports
unknown resource/data types, unknown arguments or nested blocks, and missing required arguments
or blocks, with file and line.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import hcl2

CACHE_DIR = Path(__file__).resolve().parent.parent / ".cache" / "provider-schema"
SCHEMA_FORMAT = 2


@dataclass(frozen=True)
class Provider:
    wheel: str  # PyPI distribution
    version: str  # pinned wheel version
    terraform_provider: str  # the provider version the wheel's bindings were generated from


# Pinned wheels; each wheel's README states the Terraform provider version it was generated from.
PROVIDERS: dict[str, Provider] = {
    "aws": Provider("cdktn-provider-aws", "25.8.1", "hashicorp/aws 6.69.1"),
    "google": Provider("cdktn-provider-google", "21.1.0", "hashicorp/google 8.7.0"),
    "google-beta": Provider("cdktn-provider-google-beta", "21.1.0", "hashicorp/google-beta 8.7.0"),
}

# Types of providers that have no pinned wheel here. Their arguments are NOT checked: they are small,
# stable utility providers (hashicorp/random, tls, time, null, archive, local, cloudinit, http,
# external). Anything else with an unknown prefix is reported, so a new provider is a conscious choice.
UNCHECKED_PREFIXES = ("random_", "tls_", "time_", "null_", "archive_", "local_", "cloudinit_", "http", "external")

# Terraform's built-in provider (terraform.io/builtin/terraform), written out by hand.
BUILTIN = {
    "resources": {
        "terraform_data": {"args": {"input": False, "triggers_replace": False}, "blocks": {}},
    },
    "data_sources": {
        "terraform_remote_state": {
            "args": {"backend": True, "config": False, "defaults": False, "workspace": False},
            "blocks": {},
        },
    },
}

# Meta-arguments Terraform itself accepts on every resource / data block (not in provider schemas).
META_ARGS = {"count", "for_each", "depends_on", "provider"}
RESOURCE_META_BLOCKS = {"lifecycle", "provisioner", "connection"}
DATA_META_BLOCKS = {"lifecycle"}

_LINK = re.compile(r"/docs/(resources|data-sources)/\w+ ([a-z0-9_]+)\}")
_ANCHOR = re.compile(r"#([a-z0-9_]+) \w+#")


# ─── Extraction ──────────────────────────────────────────────────────────────
def _fqns(type_ref) -> list[str]:
    if isinstance(type_ref, dict):
        found = [type_ref["fqn"]] if "fqn" in type_ref else []
        for value in type_ref.values():
            found += _fqns(value)
        return found
    if isinstance(type_ref, list):
        return [f for value in type_ref for f in _fqns(value)]
    return []


def extract(assembly: dict) -> dict:
    """The compact schema of a jsii assembly (the parsed ``package/.jsii``)."""
    types = assembly["types"]
    prefix = assembly["name"] + "."
    structs: dict[str, dict] = {}
    building: set[str] = set()

    def struct(fqn: str) -> dict:
        if fqn in structs:
            return structs[fqn]
        if fqn in building:  # a block that contains itself: leave the inner one unchecked
            return {"args": {}, "blocks": {}, "open": True}
        building.add(fqn)
        result = {"args": {}, "blocks": {}}
        for prop in types[fqn].get("properties", []):
            docs = prop.get("docs", {})
            text = docs.get("summary", "") + " " + docs.get("remarks", "")
            anchor = _ANCHOR.search(text)
            name = anchor.group(1) if anchor else re.sub(r"(?<!^)([A-Z])", r"_\1", prop["name"]).lower()
            required = not prop.get("optional", False)
            if docs.get("summary", "").endswith(" block."):
                inner = [f for f in _fqns(prop["type"]) if f.startswith(prefix) and f in types]
                block = dict(struct(inner[0])) if inner else {"args": {}, "blocks": {}, "open": True}
                block["required"] = required
                result["blocks"][name] = block
            else:
                result["args"][name] = required
        building.discard(fqn)
        structs[fqn] = result
        return result

    schema = {"resources": {}, "data_sources": {}}
    for spec in types.values():
        if spec.get("base") == "cdktn.TerraformProvider":  # the provider block's own configuration
            config = [p for p in spec.get("initializer", {}).get("parameters", []) if p["name"] == "config"]
            schema["provider_config"] = struct(config[0]["type"]["fqn"]) if config else {"args": {}, "blocks": {}}
            continue
        if spec.get("kind") != "class" or not spec.get("docs", {}).get("summary", "").startswith("Represents"):
            continue
        link = _LINK.search(spec["docs"]["summary"])
        if not link:
            continue
        config = [p for p in spec.get("initializer", {}).get("parameters", []) if p["name"] == "config"]
        if not config:
            continue
        kind = "resources" if link.group(1) == "resources" else "data_sources"
        schema[kind][link.group(2)] = struct(config[0]["type"]["fqn"])
    return schema


def _download_assembly(provider: Provider) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--quiet",
                "--disable-pip-version-check",
                "--only-binary",
                ":all:",
                "-d",
                tmp,
                f"{provider.wheel}=={provider.version}",
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        wheel = next(Path(tmp).glob("*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            member = next(n for n in archive.namelist() if n.endswith(".jsii.tgz"))
            archive.extract(member, tmp)
        with tarfile.open(Path(tmp) / member) as tgz:
            handle = tgz.extractfile("package/.jsii")
            return json.load(handle)


@cache
def schema(provider: str) -> dict:
    """The compact schema of ``provider`` (a key of PROVIDERS), cached under .cache/."""
    pinned = PROVIDERS[provider]
    path = CACHE_DIR / f"{provider}-{pinned.version}-v{SCHEMA_FORMAT}.json"
    if path.exists():
        return json.loads(path.read_text())
    compact = extract(_download_assembly(pinned))
    compact["provider"] = {
        "wheel": f"{pinned.wheel}=={pinned.version}",
        "terraform_provider": pinned.terraform_provider,
    }
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(json.dumps(compact, separators=(",", ":")))
    partial.replace(path)
    return compact


# ─── Checking ────────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def _unquote(label: str) -> str:
    return label[1:-1] if len(label) >= 2 and label[0] == label[-1] == '"' else label


def _is_block(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) and v.get("__is_block__") for v in value)


def _provider_for(type_name: str, body: dict) -> str | None:
    alias = str(body.get("provider", "")).removeprefix("${").removesuffix("}").split(".")[0]
    if alias in PROVIDERS:
        return alias
    prefix = type_name.split("_", 1)[0]
    return prefix if prefix in PROVIDERS else None


def lookup(kind: str, type_name: str, body: dict) -> dict | None | bool:
    """The schema of a resource/data type; None when unknown; True when deliberately unchecked."""
    if type_name in BUILTIN[kind]:
        return BUILTIN[kind][type_name]
    provider = _provider_for(type_name, body)
    if provider is None:
        return True if type_name.startswith(UNCHECKED_PREFIXES) else None
    return schema(provider)[kind].get(type_name)


class _Locator:
    """Finds lines in a file's text: block headers, then names inside a block."""

    def __init__(self, text: str):
        self.lines = text.splitlines()

    def header(self, keyword: str, *labels: str) -> int | None:
        quoted = "".join(r'\s+"' + re.escape(label) + '"' for label in labels)
        pattern = re.compile(r"^\s*" + re.escape(keyword) + quoted + r"\s*\{")
        return next((i for i, line in enumerate(self.lines, 1) if pattern.search(line)), None)

    def name_after(self, start: int | None, name: str) -> int | None:
        if start is None:
            return None
        pattern = re.compile(r"^\s*(dynamic\s+\")?" + re.escape(name) + r"\"?\s*(=|\{)")
        return next((i for i in range(start, len(self.lines) + 1) if pattern.search(self.lines[i - 1])), start)


def _check_body(body: dict, spec: dict, where: str, start: int | None, meta: set, locate, problem) -> None:
    """Check one block body (starting on line ``start``) against its schema ``spec``, recursively."""
    if spec.get("open"):
        return
    args, blocks = spec["args"], spec["blocks"]
    present: set[str] = set()
    for name, value in body.items():
        if name.startswith("__"):
            continue
        line = locate(start, name)
        if name == "dynamic" and isinstance(value, list):
            for dynamic in value:
                for label, dyn_body in dynamic.items():
                    if label.startswith("__"):
                        continue
                    block_name = _unquote(label)
                    present.add(block_name)
                    dyn_line = locate(start, block_name)
                    if block_name not in blocks:
                        problem(dyn_line, f"{where}: unknown nested block {block_name!r} (in a dynamic block)")
                        continue
                    unknown = set(dyn_body) - {"for_each", "iterator", "labels", "content"} - {"__is_block__"}
                    if unknown or "content" not in dyn_body:
                        message = f"dynamic {block_name!r} takes for_each, iterator, labels and content"
                        problem(dyn_line, f"{where}: {message} (got extra {sorted(unknown)})")
                    for content in dyn_body.get("content", []):
                        inner = f"{where}.{block_name}"
                        _check_body(content, blocks[block_name], inner, dyn_line, set(), locate, problem)
            continue
        present.add(name)
        if name in meta:
            continue
        if name in blocks and _is_block(value):
            for item in value:
                _check_body(item, blocks[name], f"{where}.{name}", line, set(), locate, problem)
        elif name in blocks:
            problem(line, f"{where}: {name!r} is a block, written as an argument (`{name} = ...`)")
        elif name in args:
            if _is_block(value):
                problem(line, f"{where}: {name!r} is an argument, written as a block (`{name} {{ ... }}`)")
        else:
            kind = "nested block" if _is_block(value) else "argument"
            problem(line, f"{where}: unknown {kind} {name!r}")
    for name, required in args.items():
        if required and name not in present:
            problem(start, f"{where}: missing required argument {name!r}")
    for name, block in blocks.items():
        if block.get("required") and name not in present:
            problem(start, f"{where}: missing required block {name!r}")


def check_file(path: Path, display: str | None = None) -> list[Problem]:
    """Every resource and data block of one .tf file, checked against the provider schemas."""
    display = display or str(path)
    text = path.read_text()
    try:
        parsed = hcl2.loads(text)
    except Exception as error:  # python-hcl2 raises lark errors of several kinds
        return [Problem(display, getattr(error, "line", None), f"does not parse: {str(error).splitlines()[0]}")]
    locator = _Locator(text)
    problems: list[Problem] = []
    for entry in parsed.get("provider", []):
        for quoted, body in entry.items():
            name = _unquote(quoted)
            if name not in PROVIDERS:
                continue
            start = locator.header("provider", name)
            spec = schema(name).get("provider_config")
            if spec is None:
                continue

            def provider_problem(line, message, start=start):
                problems.append(Problem(display, line or start, message))

            _check_body(body, spec, f'provider "{name}"', start, {"alias"}, locator.name_after, provider_problem)
    for keyword, kind, meta_blocks in (
        ("resource", "resources", RESOURCE_META_BLOCKS),
        ("data", "data_sources", DATA_META_BLOCKS),
    ):
        for entry in parsed.get(keyword, []):
            for quoted_type, named in entry.items():
                type_name = _unquote(quoted_type)
                for quoted_name, body in named.items():
                    if quoted_name.startswith("__"):
                        continue
                    name = _unquote(quoted_name)
                    start = locator.header(keyword, type_name, name)
                    where = f'{keyword} "{type_name}" "{name}"'

                    def problem(line, message, start=start):
                        problems.append(Problem(display, line or start, message))

                    spec = lookup(kind, type_name, body)
                    if spec is True:
                        continue
                    if spec is None:
                        what = "resource" if keyword == "resource" else "data source"
                        problem(start, f"{where}: unknown {what} type {type_name!r}")
                        continue
                    _check_body(body, spec, where, start, META_ARGS | meta_blocks, locator.name_after, problem)
    return problems


# ─── Calls of local modules ──────────────────────────────────────────────────
MODULE_META_ARGS = {"source", "version", "providers", "count", "for_each", "depends_on"}
_MODULE_REF = re.compile(r"\bmodule\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?\.([A-Za-z0-9_-]+)")


def _parse_dir(directory: Path) -> dict[Path, dict]:
    parsed = {}
    for path in sorted(directory.glob("*.tf")):
        try:
            parsed[path] = hcl2.loads(path.read_text())
        except Exception:  # noqa: S112 - a file that does not parse is reported by check_file
            continue
    return parsed


def _interface(directory: Path) -> tuple[dict[str, bool], set[str]]:
    """(variable -> required, outputs) of a module directory."""
    variables, outputs = {}, set()
    for parsed in _parse_dir(directory).values():
        for entry in parsed.get("variable", []):
            variables.update({_unquote(name): "default" not in spec for name, spec in entry.items()})
        for entry in parsed.get("output", []):
            outputs.update(_unquote(name) for name in entry)
    return variables, outputs


def check_module_calls(directory: Path, root: Path | None = None, interfaces: dict | None = None) -> list[Problem]:
    """Calls of local modules (source ./ or ../) in one Terraform directory: unknown inputs, missing
    required inputs, a source that does not exist, and `module.<name>.<output>` references to an
    unknown module or output."""
    problems: list[Problem] = []

    def display(path: Path) -> str:
        return str(path.relative_to(root)) if root else str(path)

    parsed = _parse_dir(directory)
    outputs_of: dict[str, set[str] | None] = {}
    for path, content in parsed.items():
        locator = _Locator(path.read_text())
        for entry in content.get("module", []):
            for quoted, body in entry.items():
                name, source = _unquote(quoted), _unquote(str(body.get("source", "")))
                line = locator.header("module", name)
                if not source.startswith(("./", "../")):
                    outputs_of[name] = None  # registry or remote module: not checked offline
                    continue
                target = (directory / source).resolve()
                if not target.is_dir():
                    problems.append(Problem(display(path), line, f'module "{name}": source {source} does not exist'))
                    outputs_of[name] = None
                    continue
                interfaces = {} if interfaces is None else interfaces
                if target not in interfaces:
                    interfaces[target] = _interface(target)
                variables, outputs_of[name] = interfaces[target]
                for argument in body:
                    if argument.startswith("__") or argument in MODULE_META_ARGS:
                        continue
                    if argument not in variables:
                        problems.append(
                            Problem(
                                display(path),
                                locator.name_after(line, argument) or line,
                                f'module "{name}": {source} has no variable {argument!r}',
                            )
                        )
                for variable, required in variables.items():
                    if required and variable not in body:
                        problems.append(
                            Problem(display(path), line, f'module "{name}": missing required variable {variable!r}')
                        )
    for path in parsed:
        in_moved = False  # a moved block names state addresses (module.a.module.b), not outputs
        for number, text in enumerate(path.read_text().splitlines(), 1):
            in_moved = text.strip() == "moved {" or (in_moved and text.strip() != "}")
            if in_moved or text.lstrip().startswith(("#", "//")):
                continue
            for module, output in _MODULE_REF.findall(text):
                if module not in outputs_of:
                    problems.append(Problem(display(path), number, f"module.{module}: no module {module!r} here"))
                elif outputs_of[module] is not None and output not in outputs_of[module]:
                    problems.append(Problem(display(path), number, f"module.{module}.{output}: no such output"))
    return problems


def check_files(paths, root: Path | None = None) -> list[Problem]:
    """Resource and data blocks of every file, and local module calls of every directory."""
    problems = []
    paths = list(paths)
    for path in paths:
        display = str(path.relative_to(root)) if root else str(path)
        problems += check_file(path, display)
    interfaces: dict = {}
    for directory in sorted({path.parent for path in paths}):
        problems += check_module_calls(directory, root, interfaces)
    return problems


def main(argv: list[str]) -> int:
    """``python tests/provider_schema.py [DIR|FILE ...]``: prefetch schemas (no argument) or check."""
    if not argv:
        for name in PROVIDERS:
            compact = schema(name)
            print(
                f"{name}: {compact['provider']['wheel']} = {compact['provider']['terraform_provider']}: "
                f"{len(compact['resources'])} resources, {len(compact['data_sources'])} data sources"
            )
        return 0
    files = [f for arg in map(Path, argv) for f in (sorted(arg.rglob("*.tf")) if arg.is_dir() else [arg])]
    problems = check_files(files)
    for item in problems:
        print(item)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
