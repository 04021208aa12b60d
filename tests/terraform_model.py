"""A static model of a Terraform root: every managed resource's address and its known arguments.

Offline there is no `terraform plan`, so this walks the configuration as Terraform would: the root's
`terraform.tfvars` and variable defaults, then each `module` call (its arguments become the child's
variables), `locals`, `count` and `for_each`. An argument whose value depends only on variables,
locals, `each` and literals is evaluated (interpolation, comparisons, `? :`, `merge`, indexes,
splats, `dynamic` blocks); anything else (another resource's attribute, most function calls) is
recorded as COMPUTED. `moved` blocks are
collected too, so that an old address can be followed to its new one, as `terraform plan` does, and
`removed` blocks with `destroy = false` (Terraform forgets those resources and leaves them be).

Used by tests/test_terraform_refactor.py to prove a refactor keeps every resource and its arguments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import hcl2

COMPUTED = "<computed>"
_REF = re.compile(r"^(var|local)\.([A-Za-z_][\w-]*)((?:\.[A-Za-z_]\w*|\[\"[^\"]*\"\])*)$")
_EACH = re.compile(r"^each\.(key|value)((?:\.[A-Za-z_]\w*|\[\"[^\"]*\"\])*)$")
_ITERATOR = re.compile(r"^([A-Za-z_]\w*)\.(key|value)((?:\.[A-Za-z_]\w*|\[\"[^\"]*\"\])*)$")
_INTERP = re.compile(r"\$\{([^{}]*)\}")


class Computed(Exception):
    """The expression depends on something only known at plan or apply time."""


@dataclass
class Root:
    resources: dict[str, dict] = field(default_factory=dict)  # address -> {argument path: value}
    moved: dict[str, str] = field(default_factory=dict)  # from -> to (absolute addresses)
    forgotten: set[str] = field(default_factory=set)  # `removed` with destroy = false (absolute addresses)


def unquote(text):
    if isinstance(text, str) and len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1]
    return text


def _parse_dir(folder: Path) -> list[dict]:
    return [hcl2.loads(tf.read_text()) for tf in sorted(folder.glob("*.tf"))]


def _known(value):
    if value == COMPUTED:
        raise Computed(value)
    return value


def _path(value, steps: str):
    for step in re.findall(r"\.([A-Za-z_]\w*)|\[\"([^\"]*)\"\]", steps):
        key = step[0] or step[1]
        if not isinstance(value, dict) or key not in value:
            raise Computed(steps)  # a computed value, or an attribute only known after apply
        value = value[key]
    return value


def _split_all(text: str, token: str) -> list[str]:
    parts = []
    while (pair := _split_top(text, token)) is not None:
        parts.append(pair[0])
        text = pair[1]
    return [p for p in (*parts, text) if p.strip()]


_FUNCTIONS = {"merge": lambda *maps: {k: v for m in maps for k, v in m.items()}}


def _operand(text: str, scope: dict):
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        return [_expr(item, scope) for item in _split_all(text[1:-1], ",")]
    if text.startswith("{") and text.endswith("}"):
        pairs = [_split_top(item, "=") for item in _split_all(text[1:-1], ",")]
        if any(p is None for p in pairs):
            raise Computed(text)
        return {unquote(k.strip()): _expr(v, scope) for k, v in pairs}
    if (call := re.fullmatch(r"(\w+)\((.*)\)", text, flags=re.S)) and call.group(1) in _FUNCTIONS:
        return _FUNCTIONS[call.group(1)](*(_known(_expr(arg, scope)) for arg in _split_all(call.group(2), ",")))
    if text.startswith("(") and text.endswith(")"):
        return _expr(text[1:-1], scope)
    if len(text) >= 2 and text[0] == text[-1] == '"' and '"' not in text[1:-1]:
        return _template(text[1:-1], scope)
    if text in ("true", "false"):
        return text == "true"
    if text == "null":
        return None
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if text.endswith("[*]"):  # a splat of one value: [] when null, else [value] (computed: not null)
        value = _operand(text[:-3], scope)
        return value if isinstance(value, list) else ([] if value is None else [value])
    if text.endswith("]") and (open_at := _index_start(text)) > 0:
        base, key = _operand(text[:open_at], scope), _expr(text[open_at + 1 : -1], scope)
        if not isinstance(base, (dict, list)) or key is COMPUTED or key not in base:
            raise Computed(text)
        return base[key]
    if (match := _REF.match(text)) is not None:
        kind, name, steps = match.groups()
        table = scope["var" if kind == "var" else "local"]
        if name not in table:
            raise Computed(text)
        if table[name] == COMPUTED:
            return COMPUTED  # kept inside lists and maps; refused where its value is needed
        return _path(table[name], steps)
    if (match := _EACH.match(text)) is not None and "each" in scope:
        return _path(scope["each"][match.group(1)], match.group(2))
    if (match := _ITERATOR.match(text)) is not None and match.group(1) in scope.get("iterators", {}):
        return _path(scope["iterators"][match.group(1)][match.group(2)], match.group(3))
    raise Computed(text)


def _index_start(text: str) -> int:
    """Where the `[` of a trailing index expression (`x[key]`) opens, or -1."""
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        depth += {"]": 1, "[": -1}.get(text[i], 0)
        if depth == 0:
            return i if text[i] == "[" and i > 0 and text[i - 1] not in " ([{,=" else -1
    return -1


def _split_top(text: str, token: str) -> list[str] | None:
    depth, quoted, i = 0, False, 0
    while i < len(text):
        char = text[i]
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "([{":
            depth += 1
        elif not quoted and char in ")]}":
            depth -= 1
        elif not quoted and depth == 0 and text.startswith(token, i):
            return [text[:i], text[i + len(token) :]]
        i += 1
    return None


def _expr(text: str, scope: dict):
    text = text.strip()
    if (parts := _split_top(text, " ? ")) is not None:
        branches = _split_top(parts[1], " : ")
        if branches is None:
            raise Computed(text)
        return _expr(branches[0] if _known(_expr(parts[0], scope)) else branches[1], scope)
    comparisons = (
        (" == ", lambda a, b: a == b),
        (" != ", lambda a, b: a != b),
        (" >= ", lambda a, b: a >= b),
        (" <= ", lambda a, b: a <= b),
        (" > ", lambda a, b: a > b),
        (" < ", lambda a, b: a < b),
    )
    for token, compare in comparisons:
        if (parts := _split_top(text, token)) is not None:
            return compare(_known(_expr(parts[0], scope)), _known(_expr(parts[1], scope)))
    return _operand(text, scope)


def _template(text: str, scope: dict) -> str:
    def substitute(match):
        value = _known(_expr(match.group(1), scope))
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (dict, list)):
            raise Computed(match.group(0))
        return str(value)

    return _INTERP.sub(substitute, text)


def evaluate(value, scope: dict):
    """A python-hcl2 value evaluated in ``scope``; COMPUTED where it cannot be known statically."""
    try:
        if isinstance(value, list):
            return [evaluate(item, scope) for item in value]
        if isinstance(value, dict):
            return {unquote(k): evaluate(v, scope) for k, v in value.items() if not k.startswith("__")}
        if isinstance(value, str):
            if value.startswith("${") and value.endswith("}"):
                return _expr(value[2:-1], scope)
            if len(value) >= 2 and value[0] == value[-1] == '"':
                return _template(value[1:-1], scope)
        return value
    except Computed:
        return COMPUTED


def _flatten(body: dict, scope: dict, prefix: str = "") -> dict:
    """Evaluated leaves of a resource body as {"a.b.0.c": value}. Nested blocks are numbered in source
    order, `dynamic` blocks expanded over their for_each where they stand (or recorded as computed).
    A null leaf is left out: null is the same as not setting the argument."""
    leaves, counts = {}, {}

    def add(name, block, inner):
        leaves.update(_flatten(block, inner, f"{prefix}{name}.{counts.get(name, 0)}."))
        counts[name] = counts.get(name, 0) + 1

    for key, value in body.items():
        if key.startswith("__") or (not prefix and key in ("depends_on", "lifecycle", "count", "for_each", "provider")):
            continue  # meta-arguments of the resource itself (a nested block's `count` is an argument)
        name = unquote(key)
        if key == "dynamic":
            for block in value:
                for label, spec in block.items():
                    _expand(unquote(label), spec, scope, add, leaves, prefix)
        elif isinstance(value, list) and value and all(isinstance(v, dict) and v.get("__is_block__") for v in value):
            for block in value:
                add(name, block, scope)
        elif isinstance(value, dict) and value.get("__is_block__"):
            add(name, value, scope)
        elif (evaluated := evaluate(value, scope)) is not None:
            leaves[f"{prefix}{name}"] = evaluated
    return leaves


def _expand(name: str, spec: dict, scope: dict, add, leaves: dict, prefix: str) -> None:
    """One `dynamic` block: a block per item of its for_each (list items may be computed)."""
    items = evaluate(spec.get("for_each"), scope)
    iterator = unquote(evaluate(spec["iterator"], {})) if "iterator" in spec else name
    content = spec.get("content", [{}])
    content = content[0] if isinstance(content, list) else content
    if not isinstance(items, (dict, list)) or (isinstance(items, dict) and COMPUTED in items):
        leaves[f"{prefix}dynamic.{name}"] = COMPUTED
        return
    for key, item in items.items() if isinstance(items, dict) else enumerate(items):
        add(
            name, content, {**scope, "iterators": {**scope.get("iterators", {}), iterator: {"key": key, "value": item}}}
        )


def _instances(body: dict, scope: dict) -> list[tuple[str, dict]]:
    """("[key]" suffix, scope with each) per instance of a resource or module block."""
    if "count" in body:
        count = evaluate(body["count"], scope)
        if count == COMPUTED:
            return [("[?]", scope)]
        return [(f"[{i}]", {**scope, "count": i}) for i in range(int(count))]
    if "for_each" in body:
        items = evaluate(body["for_each"], scope)
        if not isinstance(items, (dict, list)) or COMPUTED in (list(items) if isinstance(items, dict) else items):
            return [("[*]", {**scope, "each": {"key": COMPUTED, "value": COMPUTED}})]
        pairs = items.items() if isinstance(items, dict) else ((v, v) for v in items)
        return [(f'["{k}"]', {**scope, "each": {"key": k, "value": v}}) for k, v in pairs]
    return [("", scope)]


def _locals(blocks: list[dict], scope: dict) -> dict:
    pending = {k: v for block in blocks for k, v in block.items() if not k.startswith("__")}
    table: dict = {}
    for _ in range(len(pending) + 1):  # a fixed point: locals may refer to each other in any order
        for name, raw in pending.items():
            table[name] = evaluate(raw, {**scope, "local": table})
    return table


def _walk(folder: Path, prefix: str, variables: dict, root: Root) -> None:
    files = _parse_dir(folder)
    declared = {unquote(k): v for f in files for entry in f.get("variable", []) for k, v in entry.items()}
    values = {name: evaluate(spec.get("default", COMPUTED), {}) for name, spec in declared.items()}
    # A null argument leaves a `nullable = false` variable at its default, as Terraform does.
    values.update(
        {
            k: v
            for k, v in variables.items()
            if k in declared and not (v is None and declared[k].get("nullable") is False)
        }
    )
    scope = {"var": values, "local": {}}
    scope["local"] = _locals([b for f in files for b in f.get("locals", [])], scope)

    for f in files:
        for entry in f.get("resource", []):
            for rtype, named in entry.items():
                for name, body in named.items():
                    for suffix, inner in _instances(body, scope):
                        leaves = _flatten(body, inner)
                        root.resources[f"{prefix}{unquote(rtype)}.{unquote(name)}{suffix}"] = leaves
        for entry in f.get("provider", []):
            for name, body in entry.items():
                root.resources[f"{prefix}provider.{unquote(name)}"] = _flatten(body, scope)
        for block in f.get("moved", []):
            root.moved[prefix + block["from"].strip("${}")] = prefix + block["to"].strip("${}")
        for block in f.get("removed", []):
            lifecycle = (block.get("lifecycle") or [{}])[0]
            if lifecycle.get("destroy") is False:
                root.forgotten.add(prefix + block["from"].strip("${}"))
        for entry in f.get("module", []):
            for name, body in entry.items():
                source = folder / unquote(body["source"])
                for suffix, inner in _instances(body, scope):
                    args = {
                        unquote(k): evaluate(v, inner)
                        for k, v in body.items()
                        if not k.startswith("__") and k not in ("source", "count", "for_each", "depends_on")
                    }
                    _walk(source.resolve(), f"{prefix}module.{unquote(name)}{suffix}.", args, root)


def load_root(folder: Path) -> Root:
    """The static model of the Terraform root in ``folder`` (with its terraform.tfvars)."""
    tfvars = folder / "terraform.tfvars"
    answers = {}
    if tfvars.is_file():
        answers = {k: evaluate(v, {}) for k, v in hcl2.loads(tfvars.read_text()).items() if not k.startswith("__")}
    root = Root()
    _walk(folder, "", answers, root)
    return root


def follow(address: str, moved: dict[str, str]) -> str:
    """Where ``address`` is after the `moved` blocks (a moved module moves everything inside it)."""
    for _ in range(len(moved) + 1):
        for source, target in moved.items():
            if address == source or address.startswith(source + ".") or address.startswith(source + "["):
                address = target + address[len(source) :]
                break
        else:
            return address
    return address


def is_forgotten(address: str, forgotten: set[str]) -> bool:
    """Whether a `removed` block (destroy = false) covers ``address`` (any instance of the resource,
    in any instance of the module that declares the block)."""
    bare = re.sub(r"\[[^]]*\]", "", address)
    return any(bare == re.sub(r"\[[^]]*\]", "", f) for f in forgotten)


def roots(project: Path) -> list[Path]:
    """Every Terraform root of a rendered project: bootstrap and envs/* per cloud."""
    base = project / "infra" / "terraform"
    found = []
    for cloud in ("aws", "gcp"):
        if (base / cloud).is_dir():
            found += [base / cloud / "bootstrap", *sorted((base / cloud / "envs").iterdir())]
    return found


def snapshot(project: Path) -> dict[str, dict[str, dict]]:
    """{root path relative to the project: {address: {argument: value}}} for every root."""
    return {str(r.relative_to(project)): load_root(r).resources for r in roots(project)}
