"""The OIDC contract: the claims each CI job presents against what the bootstrap Terraform trusts.

Both sides are read from a rendered project:
- the cloud side from the bootstrap roots (infra/terraform/<cloud>/bootstrap and the local modules
  they call, evaluated offline by hcl_eval): AWS IAM roles with their `sts:AssumeRoleWithWebIdentity`
  trust conditions (`<issuer>:aud`, `<issuer>:sub`); the GCP Workload Identity pool, its provider
  (attribute mapping and condition, in CEL) and who may impersonate each service account;
- the CI side from the pipelines (.github/workflows/*.yml, .gitlab-ci.yml): every job that gets an
  OIDC token and names a role or service account, with the claims its token carries for each way
  the job can run (trigger, branch, environment, matrix entry).

:func:`check` returns one message per mismatch; an empty list means every job's token is accepted
by the identity it asks for.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from hcl_eval import Ref, cel, glob_match, load_root

PROJECT_NUMBER = "123456789012"  # stands for ${{ vars.GCP_PROJECT_NUMBER }} / ${GCP_PROJECT_NUMBER}
ACCOUNT_ID = "111122223333"  # stands for the AWS account id variable
SAMPLE_BRANCHES = ["feature/x-1"]  # a branch that is not the default one


# ─── the cloud side ────────────────────────────────────────────────────────────────────────────────
@dataclass
class AwsRole:
    name: str
    conditions: list[tuple[str, str, list[str]]]  # (test, variable, values)


@dataclass
class GcpIdentity:
    pool_id: str
    provider_id: str
    issuer: str
    mapping: dict[str, str]
    condition: str
    accounts: dict[str, list[str]] = field(default_factory=dict)  # email -> principal members
    variables: dict = field(default_factory=dict)


def aws_roles(project: Path) -> dict[str, AwsRole]:
    root = project / "infra/terraform/aws/bootstrap"
    if not root.is_dir():
        return {}
    module = load_root(root)
    documents = {}
    for doc in module.all_blocks("data", "aws_iam_policy_document"):
        statements = doc.body.get("statement", [])
        for key, scope in doc.instances():
            for statement in statements:
                actions = doc_eval(statement.get("actions", []), scope)
                if "sts:AssumeRoleWithWebIdentity" not in actions:
                    continue
                conditions = [
                    (doc_eval(c["test"], scope), doc_eval(c["variable"], scope), doc_eval(c["values"], scope))
                    for c in statement.get("condition", [])
                ]
                address = f"data.aws_iam_policy_document.{doc.name}"
                if key is None:
                    documents[address] = conditions
                else:  # an instance is referenced as doc[key] (each.value) or doc.key (by name)
                    documents[f"{address}[{key}]"] = documents[f"{address}.{key}"] = conditions
    roles = {}
    for role in module.all_blocks("resource", "aws_iam_role"):
        for _key, scope in role.instances():
            policy = role.attr("assume_role_policy", scope)
            if isinstance(policy, Ref) and policy.path.removesuffix(".json") in documents:
                name = role.attr("name", scope)
                roles[name] = AwsRole(name, documents[policy.path.removesuffix(".json")])
    return roles


def doc_eval(raw, scope):
    from hcl_eval import evaluate

    return evaluate(raw, scope)


def gcp_identity(project: Path) -> GcpIdentity | None:
    root = project / "infra/terraform/gcp/bootstrap"
    if not root.is_dir():
        return None
    module = load_root(root)
    (pool,) = module.all_blocks("resource", "google_iam_workload_identity_pool")
    (provider,) = module.all_blocks("resource", "google_iam_workload_identity_pool_provider")
    pool_scope, provider_scope = pool.instances()[0][1], provider.instances()[0][1]
    identity = GcpIdentity(
        pool_id=pool.attr("workload_identity_pool_id", pool_scope),
        provider_id=provider.attr("workload_identity_pool_provider_id", provider_scope),
        issuer=provider.attr("oidc.issuer_uri", provider_scope),
        mapping=provider.attr("attribute_mapping", provider_scope),
        condition=provider.attr("attribute_condition", provider_scope),
        variables=provider.module.scope.variables,
    )
    emails = {}
    for account in module.all_blocks("resource", "google_service_account"):
        for key, scope in account.instances():
            address = f"google_service_account.{account.name}" + (f".{key}" if key is not None else "")
            emails[address] = (
                f"{account.attr('account_id', scope)}@{account.attr('project', scope)}.iam.gserviceaccount.com"
            )
    for member in module.all_blocks("resource", "google_service_account_iam_member"):
        for _key, scope in member.instances():
            if member.attr("role", scope) != "roles/iam.workloadIdentityUser":
                continue
            target = member.attr("service_account_id", scope)
            # account[key] and account.key: keys that are not identifiers (deploy-dev) keep brackets.
            path = re.sub(r"\[([^\]]+)\]", r".\1", target.path) if isinstance(target, Ref) else None
            email = emails.get(path.removesuffix(".name")) if path else None
            if email:
                identity.accounts.setdefault(email, []).append(member.attr("member", scope))
    return identity


# ─── the CI side ──────────────────────────────────────────────────────────────────────────────────
@dataclass
class Use:
    """One way a job can run and the identity it asks for with the token it then holds."""

    where: str  # file: job (matrix)
    claims: dict
    aud: str | None = None
    aws_role: str | None = None
    gcp_account: str | None = None
    gcp_provider: str | None = None
    environment: str | None = None


def _substitute(text, values: dict):
    if isinstance(text, dict):
        return {k: _substitute(v, values) for k, v in text.items()}
    if isinstance(text, list):
        return [_substitute(v, values) for v in text]
    if not isinstance(text, str):
        return text
    text = re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", lambda m: str(values.get(m[1], m[0])), text)
    return re.sub(r"\$\{?(\w+)\}?", lambda m: str(values.get(m[1], m[0])), text)


def github_uses(project: Path, answers: dict) -> list[Use]:
    repository = f"{answers['repository_owner']}/{answers['repository_name']}"
    uses = []
    for path in sorted((project / ".github/workflows").glob("*.y*ml")):
        workflow = yaml.safe_load(path.read_text())
        triggers = workflow.get(True, workflow.get("on")) or {}
        triggers = {t: None for t in triggers} if isinstance(triggers, list) else triggers
        for job_id, job in (workflow.get("jobs") or {}).items():
            if (job.get("permissions") or {}).get("id-token") != "write":
                continue
            matrix = (job.get("strategy") or {}).get("matrix") or {}
            axes = {k: v for k, v in matrix.items() if isinstance(v, list)}
            combos = [dict(zip(axes, values, strict=True)) for values in itertools.product(*axes.values())] or [{}]
            condition = job.get("if", "")
            for combo in combos:
                values = {f"matrix.{k}": v for k, v in combo.items()}
                values |= {"vars.AWS_ACCOUNT_ID": ACCOUNT_ID, "vars.GCP_PROJECT_NUMBER": PROJECT_NUMBER}
                environment = _substitute(job.get("environment"), values)
                if isinstance(environment, dict):
                    environment = environment.get("name")
                for event, branch in _github_runs(triggers, condition):
                    claims = {
                        "repository": repository,
                        "repository_id": "",
                        "repository_owner_id": "",
                        "ref": f"refs/heads/{branch}" if branch else "refs/pull/1/merge",
                        "event_name": event,
                    }
                    if environment:
                        claims["environment"] = environment
                        claims["sub"] = f"repo:{repository}:environment:{environment}"
                    elif event.startswith("pull_request"):
                        claims["sub"] = f"repo:{repository}:pull_request"
                    else:
                        claims["sub"] = f"repo:{repository}:ref:refs/heads/{branch}"
                    where = f"{path.name}: {job_id}" + (f" {combo}" if combo else "") + f" on {event}"
                    for step in job.get("steps", []):
                        action = step.get("uses", "").split("@")[0]
                        inputs = _substitute(step.get("with") or {}, values)
                        if action == "aws-actions/configure-aws-credentials":
                            uses.append(
                                Use(
                                    where,
                                    claims,
                                    aud=inputs.get("audience", "sts.amazonaws.com"),
                                    aws_role=str(inputs.get("role-to-assume", "")).rsplit("/", 1)[-1],
                                    environment=environment,
                                )
                            )
                        elif action == "google-github-actions/auth":
                            provider = inputs.get("workload_identity_provider", "")
                            uses.append(
                                Use(
                                    where,
                                    claims,
                                    aud=inputs.get("audience", f"https://iam.googleapis.com/{provider}"),
                                    gcp_account=inputs.get("service_account"),
                                    gcp_provider=provider,
                                    environment=environment,
                                )
                            )
    return uses


def _github_runs(triggers: dict, condition: str):
    """(event, branch) pairs a job can run for; branch None for a pull request's merge ref."""
    events = list(triggers)
    if m := re.search(r"github\.event_name\s*==\s*'([\w-]+)'", condition):
        events = [e for e in events if e == m[1]]
    if m := re.search(r"github\.event_name\s*!=\s*'([\w-]+)'", condition):
        events = [e for e in events if e != m[1]]
    only = re.search(r"github\.ref\s*==\s*'refs/heads/([^']+)'", condition)
    for event in events:
        if event.startswith("pull_request"):
            yield event, None
            continue
        branches = ((triggers.get(event) or {}).get("branches") if isinstance(triggers.get(event), dict) else None) or [
            "main",
            *SAMPLE_BRANCHES,
        ]
        if event == "schedule":
            branches = ["main"]
        for branch in branches:
            if not only or branch == only[1]:
                yield event, branch


def gitlab_uses(project: Path, answers: dict) -> list[Use]:
    path = project / ".gitlab-ci.yml"
    if not path.is_file():
        return []
    repository = f"{answers['repository_owner']}/{answers['repository_name']}"
    pipeline = yaml.safe_load(path.read_text())
    uses = []
    for job_id, job in pipeline.items():
        if job_id.startswith(".") or not isinstance(job, dict) or "id_tokens" not in job:
            continue
        matrix = ((job.get("parallel") or {}).get("matrix") or [{}]) if isinstance(job.get("parallel"), dict) else [{}]
        for entry in matrix:
            axes = {k: (v if isinstance(v, list) else [v]) for k, v in entry.items()}
            for values in itertools.product(*axes.values()):
                combo = dict(zip(axes, values, strict=True))
                known = combo | {"AWS_ACCOUNT_ID": ACCOUNT_ID, "GCP_PROJECT_NUMBER": PROJECT_NUMBER}
                variables = _substitute(job.get("variables") or {}, known)
                environment = job.get("environment")
                environment = _substitute(
                    environment.get("name") if isinstance(environment, dict) else environment, known
                )
                for ref, protected in _gitlab_runs(job.get("rules")):
                    claims = {
                        "project_path": repository,
                        "project_id": "",
                        "namespace_id": "",
                        "ref": ref,
                        "ref_type": "branch",
                        "ref_protected": protected,
                        "sub": f"project_path:{repository}:ref_type:branch:ref:{ref}",
                    }
                    if environment:
                        claims |= {"environment": environment, "environment_protected": "true"}
                    where = f".gitlab-ci.yml: {job_id}" + (f" {combo}" if combo else "") + f" on {ref}"
                    tokens = _substitute(job["id_tokens"], known)
                    if "AWS_ROLE_ARN" in variables:
                        uses.append(
                            Use(
                                where,
                                claims,
                                aud=(tokens.get("AWS_ID_TOKEN") or {}).get("aud"),
                                aws_role=variables["AWS_ROLE_ARN"].rsplit("/", 1)[-1],
                                environment=environment,
                            )
                        )
                    if "GCP_SERVICE_ACCOUNT" in variables:
                        uses.append(
                            Use(
                                where,
                                claims,
                                aud=(tokens.get("GCP_ID_TOKEN") or {}).get("aud"),
                                gcp_account=variables["GCP_SERVICE_ACCOUNT"],
                                gcp_provider=variables.get("GCP_WORKLOAD_IDENTITY_PROVIDER"),
                                environment=environment,
                            )
                        )
    return uses


def _gitlab_runs(rules):
    """(ref, ref_protected) a job can run on, from its rules."""
    if not rules:
        yield from [("main", "true"), *((b, "false") for b in SAMPLE_BRANCHES)]
        return
    for rule in rules:
        if rule.get("when") == "never":
            continue
        condition = rule.get("if", "")
        branch = re.search(r'\$CI_COMMIT_BRANCH\s*==\s*"([^"]+)"', condition)
        protected = "true" if re.search(r'\$CI_COMMIT_REF_PROTECTED\s*==\s*"true"', condition) else "false"
        if branch and "||" not in condition:
            yield branch[1], protected
        else:  # merge requests, or any branch: the source branch can be anything
            yield from ((b, protected) for b in ["main", *SAMPLE_BRANCHES])


# ─── the contract ─────────────────────────────────────────────────────────────────────────────────
def _aws_accepts(role: AwsRole, use: Use) -> str | None:
    for test, variable, values in role.conditions:
        claim = variable.rsplit(":", 1)[-1]
        presented = use.aud if claim == "aud" else use.claims.get(claim)
        if test == "StringEquals":
            ok = presented in values
        elif test == "StringLike":
            ok = any(glob_match(v, presented or "") for v in values)
        else:
            return f"unsupported condition test {test}"
        if not ok:
            return f"{variable} {test} {values} rejects {presented!r}"
    return None


def _gcp_accepts(identity: GcpIdentity, use: Use) -> str | None:
    pool = f"projects/{PROJECT_NUMBER}/locations/global/workloadIdentityPools/{identity.pool_id}"
    expected = f"{pool}/providers/{identity.provider_id}"
    if use.gcp_provider != expected:
        return f"workload identity provider {use.gcp_provider!r}, the bootstrap creates {expected!r}"
    if use.aud not in (f"https://iam.googleapis.com/{expected}", f"//iam.googleapis.com/{expected}"):
        return f"token audience {use.aud!r} is not the provider's ({expected})"
    claims = dict(use.claims)
    for claim in ("repository_id", "repository_owner_id"):
        claims[claim] = identity.variables.get(f"github_{claim}", "")
    if "project_id" in claims:
        claims["project_id"] = identity.variables.get("gitlab_project_id", "")
    if not cel(identity.condition, claims):
        return f"attribute condition {identity.condition!r} rejects the token"
    attributes = {name: cel(expr, claims) for name, expr in identity.mapping.items()}
    members = identity.accounts.get(use.gcp_account)
    if members is None:
        known = sorted(identity.accounts)
        return f"service account {use.gcp_account} is not one the bootstrap lets CI impersonate ({known})"
    for member in members:
        m = re.search(r"/attribute\.([\w]+)/(.*)$", member)
        if m and attributes.get(f"attribute.{m[1]}") == m[2]:
            return None
    return f"{use.gcp_account} trusts {members}; the token maps to {attributes}"


def check(project: Path, answers: dict) -> list[str]:
    uses = github_uses(project, answers) + gitlab_uses(project, answers)
    roles, identity = aws_roles(project), gcp_identity(project)
    problems = []
    for use in uses:
        if use.aws_role is not None:
            role = roles.get(use.aws_role)
            why = f"role {use.aws_role} does not exist in the bootstrap ({sorted(roles)})" if role is None else None
            why = why or _aws_accepts(role, use)
        else:
            why = "no GCP bootstrap in this variant" if identity is None else _gcp_accepts(identity, use)
        if why:
            problems.append(f"{use.where}: {why}")
    return problems


def coverage(project: Path, answers: dict) -> list[str]:
    """Every environment is applied by a job holding that environment's apply identity, trained by
    one holding its training identity (AWS where the project has both clouds), on the GPU VM deployed
    by one holding its deploy identity, and watched for drift by one holding its drift identities
    (both platforms), and the images are pushed by a job holding the build identity, per cloud."""
    uses = github_uses(project, answers) + gitlab_uses(project, answers)
    clouds = {"aws", "gcp"} if answers["cloud_provider"] == "both" else {answers["cloud_provider"]}
    # (what, the clouds that need it, AWS role name ending, GCP account name part) per environment.
    # Training runs on AWS where the project has both clouds; the GPU VM is deployed with its own
    # deploy identity (Kubernetes: the apply one); drift is watched on every cloud that serves.
    required = [
        ("apply", clouds, "-ci-{env}-apply", "-apply-{env}@"),
        ("training", {"aws"} if "aws" in clouds else {"gcp"}, "-ci-{env}-train", "-citrain-{env}@"),
        ("drift", clouds, "-ci-{env}-drift", "-cidrift-{env}@"),
    ]
    if answers["compute_platform"] == "vm":
        required.append(("deploy", clouds, "-ci-{env}-deploy", "-deploy-{env}@"))
    missing = []
    for env in answers["environments"]:
        for what, needed_on, aws_ending, gcp_part in required:
            if "aws" in needed_on and not any(
                u.aws_role and u.aws_role.endswith(aws_ending.format(env=env)) for u in uses
            ):
                missing.append(f"no job assumes the AWS {what} role of {env}")
            if "gcp" in needed_on and not any(
                u.gcp_account and gcp_part.format(env=env) in u.gcp_account for u in uses
            ):
                missing.append(f"no job impersonates the GCP {what} service account of {env}")
    # The images are pushed by the build identity, not by an apply identity.
    if answers["cloud_provider"] in ("aws", "both") and not any(
        u.aws_role and u.aws_role.endswith("-ci-build") for u in uses
    ):
        missing.append("no job assumes the AWS build role")
    if answers["cloud_provider"] in ("gcp", "both") and not any(
        u.gcp_account and u.gcp_account.split("@")[0].endswith("-build") for u in uses
    ):
        missing.append("no job impersonates the GCP build service account")
    return missing
