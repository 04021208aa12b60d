"""Least privilege over a rendered project: every IAM policy and binding its Terraform writes.

The Terraform roots (infra/terraform/<cloud>/bootstrap and envs/*) are evaluated offline by hcl_eval,
with their local modules. Read from them:
- AWS: every `aws_iam_policy_document` statement and every `jsonencode`d policy (KMS key policies,
  inline role policies), the roles they are attached to (`aws_iam_role_policy`, `aws_iam_policy` as
  a permissions boundary, `aws_iam_role_policy_attachment` of managed policies), and the security
  group egress rules;
- Google Cloud: every `google_*_iam_member` / `_binding` (role, member, condition) and the
  firewall rules.

:func:`check` returns one message per violation of the rules the access matrix promises
(docs/explanations/decisions/0011-access-matrix-and-least-privilege.md). Nothing here knows the
names of particular modules: a new identity anywhere in a root is read and judged the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import hcl_eval
from hcl_eval import Ref, Scope, evaluate, load_root

# jsonencode(...) of a policy: keep the object, so that inline policies are read like documents.
hcl_eval.FUNCTIONS.setdefault("jsonencode", lambda value: {"__jsonencode__": value})

READ_VERBS = (
    "Get",
    "List",
    "Describe",
    "Head",
    "BatchGet",
    "BatchCheck",
    "Filter",
    "Search",
    "Lookup",
    "View",
    "Select",
)
READ_ACTIONS = {"kms:Decrypt", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "sts:GetCallerIdentity"}
# Condition keys that tie a statement on Resource "*" to this project's resources (cloudwatch:namespace:
# PutMetricData has no resource-level permissions, its namespace is what a condition can scope).
SCOPING_KEYS = re.compile(
    r"^(aws:(ResourceTag|RequestTag)/.+|aws:Source(Account|Arn|Vpce?)|kms:(ViaService|CallerAccount|EncryptionContext:.+)"
    r"|iam:(PassedToService|AWSServiceName|PermissionsBoundary)|cloudwatch:namespace)$"
)
ESCALATION = {
    "iam:CreateUser",
    "iam:CreateAccessKey",
    "iam:PutRolePermissionsBoundary",
    "iam:DeleteRolePermissionsBoundary",
}
BROAD_MANAGED = ("AdministratorAccess", "PowerUserAccess", "IAMFullAccess")
PRIMITIVE_ROLES = {"roles/owner", "roles/editor"}
# What serving may do: read models (and decrypt them), write its logs and metrics, pull its image.
# Its prediction logs go to this prefix of the models bucket (the drift pipeline reads them there).
PREDICTION_LOG_PREFIX = "/prediction-logs/"
SERVING_ACTIONS = {
    "s3:GetObject", "kms:Decrypt", "logs:CreateLogStream", "logs:PutLogEvents",
    "s3:PutObject", "kms:GenerateDataKey",  # the prediction logs, under PREDICTION_LOG_PREFIX only
    "ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability",
    # feature_store = feast: online features by key, and the registry's bucket (HeadBucket), never writes
    "dynamodb:BatchGetItem", "dynamodb:GetItem", "s3:ListBucket",
}  # fmt: skip
# The CI drift identities only read: the environment's prediction logs and DVC remote (ADR 0010).
DRIFT_ROLE = re.compile(r"-ci-(dev|staging|prod)-drift$")
DRIFT_MEMBER = re.compile(r"-cidrift-(dev|staging|prod)@")
DRIFT_BINDING_ROLES = {"roles/storage.objectViewer", "roles/iam.workloadIdentityUser"}
SERVING_ROLES = {
    "roles/storage.objectViewer", "roles/logging.logWriter", "roles/monitoring.metricWriter",
    "roles/artifactregistry.reader", "roles/cloudkms.cryptoKeyDecrypter", "roles/iam.workloadIdentityUser",
    "roles/storage.objectCreator",  # its prediction logs, under a condition on PREDICTION_LOG_PREFIX
    "roles/datastore.viewer",  # feature_store = feast: online features, under a condition on its database
    "roles/storage.legacyBucketReader",  # feast: the registry's bucket (storage.buckets.get)
}  # fmt: skip


@dataclass
class Statement:
    where: str  # file-ish address of the document
    effect: str
    actions: list[str]
    not_actions: list[str]
    resources: list[str]
    principals: list[str]
    conditions: list[tuple[str, str, list]]  # (test, variable, values)

    @property
    def allow(self) -> bool:
        return self.effect == "Allow"

    @property
    def resource_policy(self) -> bool:
        return bool(self.principals)

    @property
    def trust(self) -> bool:
        return bool(self.actions) and all(a.startswith("sts:AssumeRole") or a == "sts:TagSession" for a in self.actions)


@dataclass
class Role:
    name: str
    where: str
    statements: list[Statement] = field(default_factory=list)
    managed: list[str] = field(default_factory=list)
    boundary: list[Statement] | None = None


@dataclass
class Binding:
    where: str
    role: str
    member: str
    condition: str | None
    target: str = ""  # the bucket, key or repository of a resource-level binding


@dataclass
class Access:
    statements: list[Statement] = field(default_factory=list)  # every statement of every document
    roles: dict[str, Role] = field(default_factory=dict)
    boundaries: set[str] = field(default_factory=set)  # `where` of the documents used as boundaries
    bindings: list[Binding] = field(default_factory=list)
    egress: list[tuple[str, str]] = field(default_factory=list)  # (where, open destination)
    state_buckets: set[str] = field(default_factory=set)  # Terraform state buckets (bootstrap roots)


def is_write(action: str) -> bool:
    service, _, verb = action.partition(":")
    return action != "*" and action not in READ_ACTIONS and not verb.startswith(READ_VERBS)


def is_wildcard_resource(resource: str) -> bool:
    if isinstance(resource, Ref):
        return False
    if resource == "*":
        return True
    parts = resource.split(":", 5)
    return len(parts) == 6 and (parts[4] == "*" or parts[5] in ("*", "*/*"))


def _listify(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _doc_statements(where: str, raw_statements: list, scope: Scope) -> list[Statement]:
    out = []
    for raw in raw_statements:
        ev = {k: evaluate(v, scope) for k, v in raw.items() if not k.startswith("__")}
        principals = [i for p in _listify(ev.get("principals")) for i in _listify(p.get("identifiers"))]
        conditions = [(c["test"], c["variable"], _listify(c["values"])) for c in _listify(ev.get("condition"))]
        out.append(
            Statement(
                f"{where} {ev.get('sid', '')}".strip(),
                ev.get("effect", "Allow"),
                _listify(ev.get("actions")),
                _listify(ev.get("not_actions")),
                _listify(ev.get("resources")) or ["*"],
                principals,
                conditions,
            )
        )
    return out


def _json_statements(where: str, policy: dict) -> list[Statement]:
    out = []
    for raw in _listify(policy.get("Statement")):
        principal = raw.get("Principal") or {}
        principals = (
            [i for v in principal.values() for i in _listify(v)] if isinstance(principal, dict) else [principal]
        )
        conditions = [
            (test, variable, _listify(values))
            for test, pairs in (raw.get("Condition") or {}).items()
            for variable, values in pairs.items()
        ]
        out.append(
            Statement(
                f"{where} {raw.get('Sid', '')}".strip(),
                raw.get("Effect", "Allow"),
                _listify(raw.get("Action")),
                _listify(raw.get("NotAction")),
                _listify(raw.get("Resource")) or ["*"],
                principals,
                conditions,
            )
        )
    return out


def _address(kind: str, type_: str, name: str, key) -> str:
    address = f"{'data.' if kind == 'data' else ''}{type_}.{name}"
    return address if key is None else f"{address}[{key}]"


def _ref_address(ref, attribute: str) -> str | None:
    """`<data.aws_iam_policy_document.apply.dev.json>` -> data.aws_iam_policy_document.apply[dev]."""
    if not isinstance(ref, Ref):
        return None
    path = ref.path
    if not path.endswith("." + attribute):
        return None
    path = path[: -len(attribute) - 1]
    m = re.fullmatch(r"((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)(?:\.([A-Za-z0-9_-]+)|\[(.+)\])?", path)
    if not m:
        return None
    key = m[2] or m[3]
    return m[1] if key is None else f"{m[1]}[{key}]"


def roots(project: Path) -> list[Path]:
    infra = project / "infra" / "terraform"
    return sorted(p for p in infra.glob("*/bootstrap") if p.is_dir()) + sorted(
        p for p in infra.glob("*/envs/*") if p.is_dir()
    )


def _attr(block, path: str, scope):
    try:
        return block.attr(path, scope)
    except (KeyError, IndexError, TypeError):
        return None


def read(project: Path) -> Access:
    access = Access()
    for root in roots(project):
        label = root.relative_to(project).as_posix()
        module = load_root(root)
        if isinstance(module.scope.variables.get("state_bucket"), str):
            access.state_buckets.add(module.scope.variables["state_bucket"])
        docs: dict[tuple[Path, str], list[Statement]] = {}
        by_name: dict[str, list[list[Statement]]] = {}
        sources: list = []

        def remember(block, key, statements, docs=docs, by_name=by_name):
            address = _address(block.kind, block.type, block.name, key)
            docs[(block.module.path, address)] = statements
            by_name.setdefault(address, []).append(statements)
            access.statements.extend(statements)

        for doc in module.all_blocks("data", "aws_iam_policy_document"):
            for key, scope in doc.instances():
                where = f"{label}: {doc.module.path.name}/{_address('data', doc.type, doc.name, key)}"
                statements = _doc_statements(where, _listify(doc.body.get("statement")), scope)
                for dynamic in _listify(doc.body.get("dynamic")):
                    body = dynamic.get("statement") or dynamic.get('"statement"')
                    if not body:
                        continue
                    collection = evaluate(body["for_each"], scope)
                    pairs = collection.items() if isinstance(collection, dict) else enumerate(collection)
                    for k, v in pairs:
                        inner = scope.child(statement={"key": k, "value": v})
                        statements += _doc_statements(where, _listify(body["content"]), inner)
                remember(doc, key, statements)
                if doc.body.get("source_policy_documents") is not None:
                    sources.append((doc, key, scope))

        # source_policy_documents: a document holds the statements of its sources too (the VM's
        # document takes training's; training and serving take the feature store's).
        merged: set = set()

        def merge_sources(doc, key, scope, docs=docs, merged=merged, label=label, sources=sources):
            address = (doc.module.path, _address("data", doc.type, doc.name, key))
            if address in merged:
                return
            merged.add(address)
            for ref in _listify(evaluate(doc.body["source_policy_documents"], scope)):
                source = (doc.module.path, _ref_address(ref, "json"))
                for other, other_key, other_scope in sources:
                    if (other.module.path, _address("data", other.type, other.name, other_key)) == source:
                        merge_sources(other, other_key, other_scope)
                # Copies under the merged document's name: a boundary that merges the apply policy
                # must not mark the apply policy's own statements as the boundary's.
                here = f"{label}: {doc.module.path.name}/{address[1]}"
                docs[address].extend(replace(s, where=f"{here} (from {s.where})") for s in docs.get(source, []))

        for doc, key, scope in sources:
            merge_sources(doc, key, scope)

        def policy_of(block, scope, attribute="policy", label=label, docs=docs, by_name=by_name):
            value = _attr(block, attribute, scope)
            if isinstance(value, dict) and "__jsonencode__" in value:
                where = f"{label}: {block.module.path.name}/{block.type}.{block.name}"
                statements = _json_statements(where, value["__jsonencode__"])
                access.statements.extend(statements)
                return statements
            address = _ref_address(value, "json")
            if address is None:
                return []
            found = docs.get((block.module.path, address))
            if found is None:  # a document passed in from a parent module
                found = [s for statements in by_name.get(address, []) for s in statements]
            return found

        for type_ in ("aws_kms_key", "aws_s3_bucket_policy", "aws_sns_topic_policy", "aws_ecr_repository_policy"):
            for block in module.all_blocks("resource", type_):
                for _key, scope in block.instances():
                    policy_of(block, scope)

        policies = {}
        for block in module.all_blocks("resource", "aws_iam_policy"):
            for key, scope in block.instances():
                policies[_address("resource", block.type, block.name, key)] = policy_of(block, scope)
        roles_by_address = {}
        for block in module.all_blocks("resource", "aws_iam_role"):
            for key, scope in block.instances():
                name = _attr(block, "name", scope)
                role = Role(
                    str(name), f"{label}: {block.module.path.name}/{_address('resource', block.type, block.name, key)}"
                )
                boundary = _ref_address(_attr(block, "permissions_boundary", scope), "arn")
                if boundary is not None:
                    role.boundary = policies.get(boundary, [])
                    access.boundaries.update(s.where for s in role.boundary)
                access.roles[role.where] = role
                roles_by_address[(block.module.path, _address("resource", block.type, block.name, key))] = role
        for block in module.all_blocks("resource", "aws_iam_role_policy"):
            for _key, scope in block.instances():
                role = roles_by_address.get((block.module.path, _ref_address(_attr(block, "role", scope), "id")))
                if role is None:
                    role = roles_by_address.get((block.module.path, _ref_address(_attr(block, "role", scope), "name")))
                if role is not None:
                    role.statements.extend(policy_of(block, scope))
        for block in module.all_blocks("resource", "aws_iam_role_policy_attachment"):
            for _key, scope in block.instances():
                role = roles_by_address.get((block.module.path, _ref_address(_attr(block, "role", scope), "name")))
                if role is not None:
                    role.managed.append(str(_attr(block, "policy_arn", scope)))

        for block in module.all_blocks("resource", "aws_vpc_security_group_egress_rule"):
            for key, scope in block.instances():
                if _attr(block, "cidr_ipv4", scope) == "0.0.0.0/0" or _attr(block, "cidr_ipv6", scope) == "::/0":
                    access.egress.append((f"{label}: {_address('resource', block.type, block.name, key)}", "0.0.0.0/0"))
        for block in module.all_blocks("resource", "google_compute_firewall"):
            for key, scope in block.instances():
                ranges = _listify(_attr(block, "destination_ranges", scope))
                if _attr(block, "direction", scope) == "EGRESS" and "0.0.0.0/0" in ranges and _allows(block, scope):
                    access.egress.append((f"{label}: {_address('resource', block.type, block.name, key)}", "0.0.0.0/0"))

        for block in (b for m in module.walk() for b in m.blocks if b.kind == "resource"):
            if not re.fullmatch(r"google_[a-z0-9_]+_iam_(member|binding)", block.type):
                continue
            for key, scope in block.instances():
                members = _listify(_attr(block, "member", scope)) + _listify(_attr(block, "members", scope))
                condition = _attr(block, "condition.expression", scope) if "condition" in block.body else None
                for member in members:
                    access.bindings.append(
                        Binding(
                            f"{label}: {block.module.path.name}/{_address('resource', block.type, block.name, key)}",
                            str(_attr(block, "role", scope)),
                            str(member),
                            condition,
                            str(_attr(block, "bucket", scope) or ""),
                        )
                    )
    return access


def _allows(block, scope) -> bool:
    """Whether a firewall rule allows anything: a static `allow` block or a non-empty dynamic one."""
    if block.body.get("allow"):
        return True
    for dynamic in _listify(block.body.get("dynamic")):
        body = dynamic.get("allow") or dynamic.get('"allow"')
        if body and evaluate(body["for_each"], scope):
            return True
    return False


# ─── the rules ────────────────────────────────────────────────────────────────────────────────────
def _scoped(statement: Statement) -> bool:
    return any(SCOPING_KEYS.match(variable) for _test, variable, _values in statement.conditions)


def statement_problems(statement: Statement, bounded: bool, boundaries: set[str]) -> list[str]:
    """A grant that is too wide: wildcard actions on writes, wildcard resources on writes."""
    if not statement.allow or statement.trust or statement.where in boundaries:  # a boundary grants nothing
        return []
    problems = []
    if statement.not_actions:
        problems.append(f"{statement.where}: NotAction in an Allow grants every other action")
    root_delegation = statement.resource_policy and all(str(p).endswith(":root") for p in statement.principals)
    for action in statement.actions:
        if "*" in action and not root_delegation and is_write(action.replace("*", "X")):
            problems.append(f"{statement.where}: wildcard action {action!r} on a write permission")
        if action == "*" and not root_delegation:
            problems.append(f"{statement.where}: action '*'")
    writes = [a for a in statement.actions if is_write(a)]
    if writes and not statement.resource_policy:
        wide = [r for r in statement.resources if is_wildcard_resource(r)]
        regional = any(v == "aws:RequestedRegion" for _t, v, _vals in statement.conditions)
        if wide and not (_scoped(statement) or (regional and bounded)):
            problems.append(
                f"{statement.where}: wildcard resource {wide} on write actions {writes[:3]}... without a"
                " condition that scopes it to the project (or a region condition under a permissions boundary)"
            )
    passes_roles = "iam:PassRole" in statement.actions or "iam:*" in statement.actions
    unconditioned = not any(v == "iam:PassedToService" for _t, v, _vals in statement.conditions)
    if passes_roles and (any(is_wildcard_resource(r) for r in statement.resources) or unconditioned):
        problems.append(f"{statement.where}: iam:PassRole without named roles and an iam:PassedToService condition")
    return problems


def boundary_problems(role: Role) -> list[str]:
    denied = {a for s in role.boundary or [] if s.effect == "Deny" for a in s.actions}
    missing = sorted(ESCALATION - denied)
    return [f"{role.where}: its permissions boundary does not deny {missing}"] if missing else []


def _env_of_ci_role(name: str) -> str | None:
    m = re.search(r"-ci-(dev|staging|prod)-", name)
    return m[1] if m else None


def ci_scope_problems(role: Role, env: str) -> list[str]:
    """Every write of an environment's CI role names that environment, or is held to it by a
    condition or by the role's boundary (which denies resources tagged for another environment)."""
    boundary_pins_env = any(
        s.effect == "Deny" and any(v == "aws:ResourceTag/Environment" and env in vals for _t, v, vals in s.conditions)
        for s in role.boundary or []
    )
    problems = []
    for managed in role.managed:
        if managed.rsplit("/", 1)[-1] in BROAD_MANAGED:
            problems.append(f"{role.where}: managed policy {managed} (every service, every environment)")
    for statement in role.statements:
        if not statement.allow or not any(is_write(a) for a in statement.actions):
            continue
        if set(statement.actions) == {"iam:CreateServiceLinkedRole"} and any(
            v == "iam:AWSServiceName" for _t, v, _vals in statement.conditions
        ):
            continue  # one per account and AWS service, named by AWS: no environment to scope to
        for resource in statement.resources:
            if isinstance(resource, Ref) or f"-{env}" in resource or f"/{env}/" in resource:
                continue
            # A condition naming the environment, or its resources (kms:ResourceAliases alias/<slug>-<env>-data).
            pinned = any(
                env in vals or any(f"-{env}-" in str(v) for v in vals) for _t, _v, vals in statement.conditions
            )
            # Only resources that cannot be named (EC2 ids) may lean on the boundary.
            if not (pinned or (boundary_pins_env and is_wildcard_resource(resource))):
                problems.append(f"{statement.where}: {role.name} writes {resource}, not limited to {env}")
    return problems


def drift_problems(role: Role) -> list[str]:
    """A drift role reads: no write action, not even one limited to its environment."""
    writes = sorted({a for s in role.statements if s.allow for a in s.actions if is_write(a)})
    problems = [f"{role.where}: the drift role {role.name} has managed policy {m}" for m in role.managed]
    if writes:
        problems.append(f"{role.where}: the drift role {role.name} may {', '.join(writes)}: it only reads")
    return problems


def serving_problems(role: Role) -> list[str]:
    problems = []
    for statement in role.statements:
        if not statement.allow:
            continue
        extra = [a for a in statement.actions if a not in SERVING_ACTIONS]
        if extra:
            problems.append(
                f"{statement.where}: serving ({role.name}) may {extra}: more than read models and write logs"
            )
        for resource in statement.resources:
            if "s3:GetObject" in statement.actions and not isinstance(resource, Ref) and "models" not in resource:
                problems.append(f"{statement.where}: serving reads {resource}, not the models bucket")
            if isinstance(resource, Ref) and "s3:GetObject" in statement.actions and "models" not in resource:
                problems.append(f"{statement.where}: serving reads {resource}, not the models bucket")
            if "s3:ListBucket" in statement.actions and "models" not in str(resource):
                problems.append(f"{statement.where}: serving lists {resource}, not the models bucket")
            if "s3:PutObject" in statement.actions and PREDICTION_LOG_PREFIX not in str(resource):
                problems.append(f"{statement.where}: serving writes {resource}, not its prediction logs")
    problems += [f"{role.where}: serving has managed policy {m}" for m in role.managed]
    return problems


def human_problems(role: Role, state_buckets: set[str]) -> list[str]:
    """Humans: read-only in prod (but break-glass); data scientists never reach Terraform state."""
    problems = []
    name = role.name
    prod = "-prod-" in name
    for statement in role.statements:
        if not statement.allow:
            continue
        if "data-scientist" in name and any(f":::{b}" in str(r) for b in state_buckets for r in statement.resources):
            problems.append(f"{statement.where}: data scientist role {name} reaches Terraform state")
        writes = [a for a in statement.actions if is_write(a)]
        if prod and "break-glass" not in name and writes:
            problems.append(f"{statement.where}: {name} writes in prod ({writes[:4]})")
    if "data-scientist" in name and any(m.endswith("/ReadOnlyAccess") for m in role.managed):
        problems.append(f"{role.where}: data scientist role {name} has ReadOnlyAccess (Terraform state included)")
    return problems


# Roles that act on, impersonate or key service accounts. Granted on the project, they reach every
# service account in it; IAM conditions cannot narrow them (service accounts have no resource
# attributes in IAM conditions), so an apply account may hold them only on a service account itself.
SERVICE_ACCOUNT_ROLES = {
    "roles/iam.serviceAccountAdmin",
    "roles/iam.serviceAccountKeyAdmin",
    "roles/iam.serviceAccountTokenCreator",
    "roles/iam.serviceAccountUser",
    "roles/iam.workloadIdentityUser",
    "roles/iam.securityAdmin",
}
def binding_problems(binding: Binding, state_buckets: set[str]) -> list[str]:
    problems = []
    if binding.role in PRIMITIVE_ROLES:
        problems.append(f"{binding.where}: primitive role {binding.role} for {binding.member}")
    member = binding.member.lower()
    if re.search(r"serving|server|serve\b", member):
        if binding.role not in SERVING_ROLES:
            problems.append(f"{binding.where}: serving ({binding.member}) holds {binding.role}")
        elif binding.role.startswith("roles/storage.") and "models" not in binding.target:
            problems.append(f"{binding.where}: serving reads {binding.target or 'every bucket'}, not the models bucket")
        elif binding.role == "roles/storage.objectCreator" and PREDICTION_LOG_PREFIX not in (binding.condition or ""):
            problems.append(f"{binding.where}: serving writes {binding.target} beyond its prediction logs")
    if DRIFT_MEMBER.search(binding.member) and binding.role not in DRIFT_BINDING_ROLES:
        problems.append(f"{binding.where}: the drift account ({binding.member}) holds {binding.role}: it only reads")
    m = re.search(
        r"-apply-(dev|staging|prod)\b|apply\[(dev|staging|prod)\]|apply\.(dev|staging|prod)\b", binding.member
    )
    conditioned = r"roles/(storage\.|resourcemanager\.|iam\.securityAdmin|iam\.roleAdmin|cloudkms\.|secretmanager\.)"
    if m and re.match(conditioned, binding.role):
        env = m[1] or m[2] or m[3]
        # "-prod" or "/prod/", not "prod" alone: every resource name starts with "projects/".
        limited = binding.condition and (
            re.search(rf"[-/]{env}\b", binding.condition) or "modifiedGrantsByRole" in binding.condition
        )
        if not limited:
            problems.append(
                f"{binding.where}: CI apply of {env} holds {binding.role} without a condition limiting it to {env}"
            )
    if m and binding.role in SERVICE_ACCOUNT_ROLES and "google_project_iam_" in binding.where:
        problems.append(
            f"{binding.where}: CI apply of {m[1] or m[2] or m[3]} holds {binding.role} on every service account "
            "of the project (other environments' and CI's included)"
        )
    # On a service account itself: only one of its own environment's (the environment root that
    # grants it, or the bootstrap's for_each key <env>/<workload>).
    if m and "google_service_account_iam_" in binding.where:
        env = m[1] or m[2] or m[3]
        owner = re.search(r"gcp/envs/(dev|staging|prod):|\[(dev|staging|prod)/", binding.where)
        if owner is None or (owner[1] or owner[2]) != env:
            problems.append(
                f"{binding.where}: CI apply of {env} holds {binding.role} on a service account that is not its "
                "environment's"
            )
    human = re.search(r"data.scientist|ml.engineer|platform.engineer", f"{binding.where} {member}")
    scope = f"{binding.condition or ''} {binding.target}"
    if human and "data" in human[0] and any(b in scope for b in state_buckets):
        problems.append(f"{binding.where}: data scientists reach Terraform state")
    readonly = binding.role.endswith(("Viewer", "viewer", ".reader", "Reader"))
    if human and not readonly and ("-prod" in scope or "/prod/" in scope or "[prod/" in binding.where):
        problems.append(f"{binding.where}: {human[0]} holds {binding.role} in prod (humans read only there)")
    return problems


def check(project: Path, answers: dict) -> list[str]:
    access = read(project)
    problems = []
    bounded_docs = {s.where for role in access.roles.values() if role.boundary is not None for s in role.statements}
    for statement in access.statements:
        problems += statement_problems(statement, statement.where in bounded_docs, access.boundaries)
    for role in access.roles.values():
        if role.boundary is not None:
            problems += boundary_problems(role)
        env = _env_of_ci_role(role.name)
        if env and "-ci-" in role.name:
            problems += ci_scope_problems(role, env)
        if role.name.endswith("-serve"):
            problems += serving_problems(role)
        if DRIFT_ROLE.search(role.name):
            problems += drift_problems(role)
        if any(role.name.endswith(h) for h in ("-data-scientist", "-ml-engineer", "-platform", "-break-glass")):
            problems += human_problems(role, access.state_buckets)
        for managed in role.managed:
            if managed.rsplit("/", 1)[-1] in BROAD_MANAGED:
                problems.append(f"{role.where}: managed policy {managed}")
    for binding in access.bindings:
        problems += binding_problems(binding, access.state_buckets)
    problems += [f"{where}: egress to {dest}" for where, dest in access.egress]
    return sorted(set(problems))
