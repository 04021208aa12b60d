"""Evaluate the Terraform of a rendered root offline, as far as its answers decide it.

python-hcl2 parses the blocks and leaves each expression as text; this module evaluates that text:
literals, string templates, `var.`/`local.`/`each.` references, `? :`, `==`, `!=`, `&&`, `||`, `!`,
list and object literals, `for` expressions (with `if` and `...`) and the functions the generated
code uses. A reference to a resource or data source is not known offline: it evaluates to a
:class:`Ref`, a string that names it (`<google_iam_workload_identity_pool.this.name>`), so templates
that embed it still evaluate. The same evaluator reads the CEL of Workload Identity attribute
mappings and conditions (single-quoted strings, `has()`), with the token's claims as `assertion`.

Used by tests/oidc_contract.py: the trust policies are read from whichever module defines them,
so the contract test survives a reorganisation of the Terraform into other modules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import hcl2


class Ref(str):
    """A value only known at plan or apply time, named after the expression that produces it."""

    def __new__(cls, path: str):
        return super().__new__(cls, f"<{path}>")

    @property
    def path(self) -> str:
        return self[1:-1]


class Missing(Exception):
    """An attribute that the object does not have (CEL `has()` answers False)."""


# ─── tokens ──────────────────────────────────────────────────────────────────────────────────────
_PUNCT = ["...", "=>", "==", "!=", "&&", "||", "<=", ">=", "(", ")", "[", "]", "{", "}", ",", ".", ":", "?", "!"]
_PUNCT += ["=", "<", ">", "+", "-", "*", "/", "%"]


def _read_string(text: str, i: int) -> tuple[list, int]:
    """A quoted template starting at text[i] (the quote): parts are str or ('expr', source)."""
    quote = text[i]
    parts, buf, i = [], [], i + 1
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            buf.append({"n": "\n", "t": "\t", '"': '"', "'": "'", "\\": "\\"}.get(nxt, "\\" + nxt))
            i += 2
        elif c == quote:
            if buf:
                parts.append("".join(buf))
            return parts, i + 1
        elif text.startswith("$${", i):
            buf.append("${")
            i += 3
        elif text.startswith("${", i) and quote == '"':
            if buf:
                parts.append("".join(buf))
                buf = []
            depth, j = 1, i + 2
            while depth:
                if text[j] in "\"'":
                    _, j = _read_string(text, j)
                    continue
                depth += {"{": 1, "}": -1}.get(text[j], 0)
                j += 1
            parts.append(("expr", text[i + 2 : j - 1]))
            i = j
        else:
            buf.append(c)
            i += 1
    raise SyntaxError(f"unterminated string in {text!r}")


def tokenize(text: str) -> list[tuple[str, object]]:
    tokens, i = [], 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
        elif c in "\"'":
            parts, i = _read_string(text, i)
            tokens.append(("str", parts))
        elif c.isdigit():
            m = re.match(r"\d+(\.\d+)?", text[i:])
            tokens.append(("num", float(m[0]) if m[1] else int(m[0])))
            i += len(m[0])
        elif c.isalpha() or c == "_":
            m = re.match(r"[A-Za-z_][\w-]*", text[i:])
            tokens.append(("id", m[0]))
            i += len(m[0])
        else:
            for p in _PUNCT:
                if text.startswith(p, i):
                    tokens.append(("op", p))
                    i += len(p)
                    break
            else:
                raise SyntaxError(f"unexpected {c!r} in {text!r}")
    tokens.append(("end", None))
    return tokens


# ─── parser (to a small tree of tuples) ────────────────────────────────────────────────────────────
class _Parser:
    def __init__(self, text: str):
        self.tokens = tokenize(text)
        self.pos = 0
        self.text = text

    def peek(self, kind=None, value=None):
        tk = self.tokens[self.pos]
        if kind and tk[0] != kind:
            return False
        return value is None or tk[1] == value

    def take(self, kind=None, value=None):
        tk = self.tokens[self.pos]
        if (kind and tk[0] != kind) or (value is not None and tk[1] != value):
            raise SyntaxError(f"expected {value or kind}, got {tk[1]!r} in {self.text!r}")
        self.pos += 1
        return tk[1]

    def parse(self):
        node = self.expr()
        self.take("end")
        return node

    def expr(self):
        cond = self.binary(0)
        if self.peek("op", "?"):
            self.take()
            yes = self.expr()
            self.take("op", ":")
            return ("cond", cond, yes, self.expr())
        return cond

    LEVELS = [["||"], ["&&"], ["==", "!="], ["<", ">", "<=", ">="], ["+", "-"], ["*", "/", "%"]]

    def binary(self, level):
        if level == len(self.LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while self.peek("op") and self.tokens[self.pos][1] in self.LEVELS[level]:
            op = self.take()
            left = ("bin", op, left, self.binary(level + 1))
        return left

    def unary(self):
        if self.peek("op", "!") or self.peek("op", "-"):
            op = self.take()
            return ("un", op, self.unary())
        return self.postfix(self.primary())

    def postfix(self, node):
        while True:
            if self.peek("op", ".") and self.tokens[self.pos + 1][0] in ("id", "num"):
                self.take()
                node = ("attr", node, str(self.take()))
            elif self.peek("op", "["):
                self.take()
                index = self.expr()
                self.take("op", "]")
                node = ("index", node, index)
            else:
                return node

    def primary(self):
        kind, value = self.tokens[self.pos]
        if kind == "num":
            self.take()
            return ("lit", value)
        if kind == "str":
            self.take()
            return ("tpl", [p if isinstance(p, str) else _Parser(p[1]).parse() for p in value])
        if kind == "id":
            self.take()
            if value in ("true", "false"):
                return ("lit", value == "true")
            if value == "null":
                return ("lit", None)
            if self.peek("op", "("):
                self.take()
                args = []
                while not self.peek("op", ")"):
                    args.append(self.expr())
                    if self.peek("op", "..."):
                        self.take()
                        args[-1] = ("expand", args[-1])
                    if not self.peek("op", ")"):
                        self.take("op", ",")
                self.take("op", ")")
                return ("call", value, args)
            return ("name", value)
        if kind == "op" and value == "(":
            self.take()
            node = self.expr()
            self.take("op", ")")
            return node
        if kind == "op" and value == "[":
            self.take()
            if self.peek("id", "for"):
                return self.for_expr("]")
            items = []
            while not self.peek("op", "]"):
                items.append(self.expr())
                if not self.peek("op", "]"):
                    self.take("op", ",")
            self.take("op", "]")
            return ("list", items)
        if kind == "op" and value == "{":
            self.take()
            if self.peek("id", "for"):
                return self.for_expr("}")
            items = []
            while not self.peek("op", "}"):
                if self.peek("id") and self.tokens[self.pos + 1][1] in ("=", ":"):
                    key = ("lit", self.take())
                else:
                    key = self.expr()
                self.take("op", "=") if self.peek("op", "=") else self.take("op", ":")
                items.append((key, self.expr()))
                if self.peek("op", ","):
                    self.take()
            self.take("op", "}")
            return ("object", items)
        raise SyntaxError(f"unexpected {value!r} in {self.text!r}")

    def for_expr(self, close):
        self.take("id", "for")
        names = [self.take("id")]
        if self.peek("op", ","):
            self.take()
            names.append(self.take("id"))
        self.take("id", "in")
        collection = self.expr()
        self.take("op", ":")
        key = self.expr()
        value, group = None, False
        if close == "}":
            self.take("op", "=>")
            value = self.expr()
            if self.peek("op", "..."):
                self.take()
                group = True
        condition = None
        if self.peek("id", "if"):
            self.take()
            condition = self.expr()
        self.take("op", close)
        return ("for", close, names, collection, key, value, group, condition)


# ─── evaluation ────────────────────────────────────────────────────────────────────────────────────
def _glob_to_regex(pattern: str) -> str:
    return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)


def _substr(s, offset, length):
    return s[offset:] if length == -1 else s[offset : offset + length]


def _merge(*maps):
    out = {}
    for m in maps:
        out.update(m)
    return out


FUNCTIONS = {
    "merge": _merge,
    "join": lambda sep, items: sep.join(items),
    "concat": lambda *lists: [x for lst in lists for x in lst],
    "strcontains": lambda s, sub: sub in s,
    "startswith": lambda s, p: s.startswith(p),
    "endswith": lambda s, p: s.endswith(p),
    "trimsuffix": lambda s, x: s[: -len(x)] if x and s.endswith(x) else s,
    "trimprefix": lambda s, x: s[len(x) :] if x and s.startswith(x) else s,
    "substr": _substr,
    "lower": str.lower,
    "upper": str.upper,
    "replace": lambda s, a, b: s.replace(a, b),
    "tomap": dict,
    "toset": lambda items: list(dict.fromkeys(items)),
    "tolist": list,
    "tostring": str,
    "length": len,
    "contains": lambda items, x: x in items,
    "keys": lambda m: sorted(m),
    "values": lambda m: [m[k] for k in sorted(m)],
    "flatten": lambda items: [x for i in items for x in (i if isinstance(i, list) else [i])],
    "distinct": lambda items: list(dict.fromkeys(items)),
    "format": lambda fmt, *args: fmt.replace("%s", "{}").format(*args),
    "setproduct": lambda *sets: [list(t) for t in __import__("itertools").product(*sets)],
    "sort": sorted,
    "title": lambda s: s.title(),
}


class Scope:
    """Names visible to an expression: var, local (lazy), each, for-loop variables, CEL's assertion."""

    def __init__(self, variables=None, local_exprs=None, names=None, module: Module | None = None):
        self.variables = {} if variables is None else variables
        self.local_exprs = {} if local_exprs is None else local_exprs
        self.local_values: dict = {}
        self.names = {} if names is None else names
        self.module = module

    def child(self, **names) -> Scope:
        scope = Scope(self.variables, self.local_exprs, {**self.names, **names}, self.module)
        scope.local_values = self.local_values
        return scope

    def local(self, name):
        if name not in self.local_values:
            self.local_values[name] = evaluate(self.local_exprs[name], self.child())
        return self.local_values[name]


def _get(obj, key):
    if isinstance(obj, Ref):
        return Ref(f"{obj.path}.{key}" if isinstance(key, str) and key.isidentifier() else f"{obj.path}[{key}]")
    if isinstance(obj, dict):
        if key not in obj:
            raise Missing(key)
        return obj[key]
    if isinstance(obj, list) and isinstance(key, int):
        return obj[key]
    raise Missing(key)


def _eval(node, scope: Scope):
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "tpl":
        parts = [p if isinstance(p, str) else _eval(p, scope) for p in node[1]]
        if len(parts) == 1 and not isinstance(node[1][0], str):
            return parts[0]
        return "".join("true" if p is True else "false" if p is False else str(p) for p in parts)
    if kind == "name":
        name = node[1]
        if name in scope.names:
            return scope.names[name]
        if name in ("var", "local", "each"):
            return ("root", name)
        return Ref(name)
    if kind == "attr":
        base = node[1]
        if base[0] == "name" and base[1] == "var" and "var" not in scope.names:
            if node[2] not in scope.variables:
                raise KeyError(f"var.{node[2]} is not set")
            return scope.variables[node[2]]
        if base[0] == "name" and base[1] == "local" and "local" not in scope.names:
            return scope.local(node[2])
        if base[0] == "name" and base[1] == "each" and "each" not in scope.names:
            return scope.names["__each__"][node[2]]
        return _get(_eval(base, scope), node[2])
    if kind == "index":
        return _get(_eval(node[1], scope), _eval(node[2], scope))
    if kind == "cond":
        return _eval(node[2] if _eval(node[1], scope) else node[3], scope)
    if kind == "un":
        value = _eval(node[2], scope)
        return (not value) if node[1] == "!" else -value
    if kind == "bin":
        op = node[1]
        if op == "&&":
            return bool(_eval(node[2], scope)) and bool(_eval(node[3], scope))
        if op == "||":
            return bool(_eval(node[2], scope)) or bool(_eval(node[3], scope))
        left, right = _eval(node[2], scope), _eval(node[3], scope)
        ops = {
            "==": lambda: left == right,
            "!=": lambda: left != right,
            "<": lambda: left < right,
            ">": lambda: left > right,
            "<=": lambda: left <= right,
            ">=": lambda: left >= right,
            "+": lambda: left + right,
            "-": lambda: left - right,
            "*": lambda: left * right,
            "/": lambda: left / right,
            "%": lambda: left % right,
        }
        return ops[op]()
    if kind == "list":
        return [_eval(item, scope) for item in node[1]]
    if kind == "object":
        return {_eval(k, scope): _eval(v, scope) for k, v in node[1]}
    if kind == "call":
        name, args = node[1], node[2]
        if name == "has":  # CEL
            try:
                _eval(args[0], scope)
                return True
            except Missing:
                return False
        if name == "can":
            try:
                _eval(args[0], scope)
                return True
            except Exception:
                return False
        if name == "try":
            for arg in args:
                try:
                    return _eval(arg, scope)
                except Exception:  # noqa: S112
                    continue
            raise ValueError("try: no argument evaluated")
        values = []
        for arg in args:
            if arg[0] == "expand":
                values.extend(_eval(arg[1], scope))
            else:
                values.append(_eval(arg, scope))
        if name not in FUNCTIONS or any(isinstance(v, Ref) for v in values):
            return Ref(f"{name}(...)")
        return FUNCTIONS[name](*values)
    if kind == "for":
        _, close, names, collection, key, value, group, condition = node
        items = _eval(collection, scope)
        pairs = list(items.items()) if isinstance(items, dict) else list(enumerate(items))
        out_list, out_map = [], {}
        for k, v in pairs:
            bound = {names[0]: v} if len(names) == 1 else {names[0]: k, names[1]: v}
            inner = scope.child(**bound)
            if condition is not None and not _eval(condition, inner):
                continue
            if close == "]":
                out_list.append(_eval(key, inner))
            elif group:
                out_map.setdefault(_eval(key, inner), []).append(_eval(value, inner))
            else:
                out_map[_eval(key, inner)] = _eval(value, inner)
        return out_list if close == "]" else out_map
    raise ValueError(f"cannot evaluate {node!r}")


def evaluate(raw, scope: Scope):
    """Evaluate a value as python-hcl2 returns it: "${expr}", a quoted template, a list, a dict, a number."""
    if isinstance(raw, list):
        return [evaluate(item, scope) for item in raw]
    if isinstance(raw, dict):
        return {_unquote(k): evaluate(v, scope) for k, v in raw.items() if not k.startswith("__")}
    if not isinstance(raw, str):
        return raw
    if raw.startswith("${") and raw.endswith("}") and _single_interpolation(raw):
        return _eval(_Parser(raw[2:-1]).parse(), scope)
    if raw.startswith('"'):
        return _eval(_Parser(raw).parse(), scope)
    return _eval(_Parser(raw).parse(), scope)


def cel(expression: str, claims: dict):
    """Evaluate a CEL attribute mapping or condition with the token's claims as `assertion`."""
    return _eval(_Parser(expression).parse(), Scope(names={"assertion": claims}))


def _single_interpolation(raw: str) -> bool:
    try:
        parts, end = _read_string('"' + raw + '"', 0)
    except (SyntaxError, IndexError):
        return False
    return end == len(raw) + 2 and len(parts) == 1 and not isinstance(parts[0], str)


def _unquote(text):
    return text[1:-1] if isinstance(text, str) and len(text) >= 2 and text[0] == text[-1] == '"' else text


def glob_match(pattern: str, value: str) -> bool:
    """IAM StringLike: `*` any run of characters, `?` one character."""
    return re.fullmatch(_glob_to_regex(pattern), value, re.DOTALL) is not None


# ─── modules ───────────────────────────────────────────────────────────────────────────────────────
@dataclass
class Block:
    kind: str  # resource | data
    type: str
    name: str
    body: dict
    module: Module

    def instances(self) -> list[tuple[object, Scope]]:
        """(each.key or None, scope with `each` bound) for every instance of the block."""
        scope = self.module.scope
        if "for_each" in self.body:
            collection = evaluate(self.body["for_each"], scope)
            if isinstance(collection, Ref):  # for_each over another block of the module: its keys
                for other in self.module.blocks:
                    address = f"{'data.' if other.kind == 'data' else ''}{other.type}.{other.name}"
                    if address == collection.path:
                        return [
                            (key, scope.child(__each__={"key": key, "value": Ref(f"{address}[{key}]")}))
                            for key, _ in other.instances()
                        ]
                return [(Ref(f"{self.type}.{self.name}[*]"), scope)]
            if collection is None:  # for_each = null: no instance
                return []
            pairs = collection.items() if isinstance(collection, dict) else ((x, x) for x in collection)
            return [(k, scope.child(__each__={"key": k, "value": v})) for k, v in pairs]
        return [(None, scope)]

    def attr(self, path: str, scope: Scope):
        value = self.body
        for step in path.split("."):
            value = value[step] if not isinstance(value, list) else value[0][step]
        return evaluate(value, scope)


@dataclass
class Module:
    path: Path
    scope: Scope = field(repr=False)
    blocks: list[Block] = field(default_factory=list, repr=False)
    children: list[Module] = field(default_factory=list, repr=False)
    key: object = None  # the instance key of a module call with for_each

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def all_blocks(self, kind: str, type_: str):
        return [b for m in self.walk() for b in m.blocks if b.kind == kind and b.type == type_]


def load_module(folder: Path, variables: dict | None = None) -> Module:
    """A module and its local child modules, with its variables bound (defaults, then ``variables``)."""
    documents = [hcl2.loads(tf.read_text()) for tf in sorted(folder.glob("*.tf"))]
    defaults, local_exprs = {}, {}
    scope = Scope({}, local_exprs)
    for doc in documents:
        for variable in doc.get("variable", []):
            for name, body in variable.items():
                if not name.startswith("__") and "default" in body:
                    defaults[_unquote(name)] = evaluate(body["default"], Scope())
        for local_block in doc.get("locals", []):
            local_exprs.update({k: v for k, v in local_block.items() if not k.startswith("__")})
    scope.variables = {**defaults, **(variables or {})}
    module = Module(folder, scope)
    scope.module = module
    for doc in documents:
        for kind in ("resource", "data"):
            for entry in doc.get(kind, []):
                for type_, named in entry.items():
                    if type_.startswith("__"):
                        continue
                    for name, body in named.items():
                        if name.startswith("__"):
                            continue
                        module.blocks.append(Block(kind, _unquote(type_), _unquote(name), body, module))
        for call in doc.get("module", []):
            for _name, body in call.items():
                if _name.startswith("__"):
                    continue
                source = evaluate(body["source"], Scope())
                if not str(source).startswith("."):
                    continue  # a registry module: not visible offline
                # A module with for_each: one child per instance, each with `each` bound.
                instances = [(None, scope)]
                if "for_each" in body:
                    collection = evaluate(body["for_each"], scope)
                    if isinstance(collection, (dict, list)):
                        pairs = collection.items() if isinstance(collection, dict) else ((x, x) for x in collection)
                        instances = [(k, scope.child(__each__={"key": k, "value": v})) for k, v in pairs]
                for instance_key, instance_scope in instances:
                    child = _load_module_call(folder, source, body, instance_scope)
                    child.key = instance_key
                    module.children.append(child)
    return module


def _load_module_call(folder: Path, source: str, body: dict, scope: Scope) -> Module:
    """The child module of a `module` call, its arguments evaluated in ``scope``."""
    args = {}
    for key, raw in body.items():
        if key.startswith("__") or key in (
            "source",
            "version",
            "depends_on",
            "providers",
            "count",
            "for_each",
        ):
            continue
        try:
            args[key] = evaluate(raw, scope)
        except (KeyError, Missing, SyntaxError, TypeError, ValueError) as error:
            args[key] = Ref(f"module-argument {key}: {error}")
    return load_module((folder / source).resolve(), args)


def load_root(folder: Path) -> Module:
    """A root module with its terraform.tfvars."""
    tfvars = folder / "terraform.tfvars"
    values = {}
    if tfvars.is_file():
        for key, raw in hcl2.loads(tfvars.read_text()).items():
            if key.startswith("__"):
                continue
            values[key] = evaluate(raw, Scope())
    return load_module(folder, values)
