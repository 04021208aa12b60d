"""Facts read from a rendered project's Terraform, for the cross-file tests of images and manifests.

python-hcl2 gives raw expressions ('"text"', '${var.x}'); this resolves the simple ones the tests
need: string literals, ${var.X} (terraform.tfvars, then the variable's default, or the calling
module block's argument) and ${local.X}. Anything else resolves to None and fails the comparison.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import hcl2

REFERENCE = re.compile(r"\$\{(var|local)\.([A-Za-z0-9_]+)\}")


@cache
def load(path: Path) -> dict:
    with path.open() as handle:
        return hcl2.load(handle)


def unquote(value):
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def blocks(folder: Path, kind: str) -> list[tuple[str, str, dict]]:
    """(type, name, body) of every `kind` block (resource, module, ...) in a folder's .tf files."""
    found = []
    for path in sorted(folder.glob("*.tf")):
        for entry in load(path).get(kind, []):
            for first, value in entry.items():
                if kind == "module":
                    found.append(("module", unquote(first), value))
                else:
                    for second, body in value.items():
                        found.append((unquote(first), unquote(second), body))
    return found


class Scope:
    """Variables and locals of one Terraform folder; `arguments` are the caller's module arguments."""

    def __init__(self, folder: Path, arguments: dict | None = None, caller: Scope | None = None):
        self.folder = folder
        self.vars: dict = {}
        for path in sorted(folder.glob("*.tf")):
            for entry in load(path).get("variable", []):
                for name, body in entry.items():
                    if "default" in body:
                        self.vars[unquote(name)] = body["default"]
        tfvars = folder / "terraform.tfvars"
        if tfvars.is_file():
            self.vars.update({k: v for k, v in load(tfvars).items() if not k.startswith("__")})
        self.caller = caller
        for name, value in (arguments or {}).items():
            if not name.startswith("__"):
                self.vars[name] = value
        self.locals: dict = {}
        for path in sorted(folder.glob("*.tf")):
            for entry in load(path).get("locals", []):
                self.locals.update({k: v for k, v in entry.items() if not k.startswith("__")})

    def resolve(self, value):
        """A literal, or a string made of literals and ${var.X} / ${local.X}; else None."""
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        if isinstance(value, dict):
            return {unquote(k): self.resolve(v) for k, v in value.items() if not k.startswith("__")}
        if not isinstance(value, str):
            return value
        whole = REFERENCE.fullmatch(value)
        if whole:
            return self._lookup(*whole.groups())
        text = unquote(value)
        if "${" not in text:
            return text
        parts = []
        position = 0
        for match in REFERENCE.finditer(text):
            parts.append(text[position : match.start()])
            resolved = self._lookup(*match.groups())
            if not isinstance(resolved, str | int):
                return None
            parts.append(str(resolved))
            position = match.end()
        parts.append(text[position:])
        result = "".join(parts)
        return None if "${" in result else result

    def _lookup(self, kind: str, name: str):
        table = self.vars if kind == "var" else self.locals
        if name not in table:
            return None
        value = table[name]
        # A module argument is an expression of the caller's scope.
        scope = self.caller if (kind == "var" and self.caller and name in self._caller_args) else self
        return scope.resolve(value)

    @property
    def _caller_args(self) -> set:
        return getattr(self, "_args", set())


def module_scope(root: Path, module: str) -> Scope:
    """The scope of the module `module` as the environment root `root` calls it: directly, or
    through the modules it calls (the stack module), nearest first."""
    pending = [(root, Scope(root))]
    while pending:
        folder, scope = pending.pop(0)
        for _, name, body in blocks(folder, "module"):
            child_folder = (folder / unquote(body["source"])).resolve()
            child = Scope(child_folder, body, caller=scope)
            child._args = {k for k in body if not k.startswith("__")}
            if name == module:
                return child
            pending.append((child_folder, child))
    raise LookupError(f"no module {module!r} in {root}")
