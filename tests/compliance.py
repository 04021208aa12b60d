"""The compliance profiles, read from the rendered Terraform (never from comments or docs).

Every root (bootstrap and envs/*) is evaluated with its terraform.tfvars by tests/hcl_eval.py; the
rules then look at the resources as Terraform would create them:

- baseline (every profile): data encrypted, no public bucket, audit logging (CloudTrail / Data
  Access audit logs, and every audit log entry routed by a sink to a CMEK bucket with a retention
  policy, which the sink's writer may write to);
- gdpr: EU regions only, data buckets expire after `data_retention_days`, access logging on every
  bucket, no replication that could leave the EU (S3 replication, automatic Secret Manager
  replication, multi-region locations other than EU);
- hipaa: customer-managed keys on every bucket, registry, disk, log group, secret and topic; audit
  logs kept at least 6 years in a dedicated bucket that cannot be emptied before (S3 Object Lock,
  or a locked GCS retention policy); no public endpoint, IP or bucket.

``check(project, answers)`` returns the problems, one sentence each, naming the root and resource.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from hcl_eval import Missing, Ref, Scope, evaluate, load_root
from least_privilege import roots

PREDICTION_LOGS = "prediction-logs/"  # the prefix the servers ship their logs under (models bucket)

# Regions of EU member states (eu-west-2 London, eu-central-2 Zurich, europe-west2 London and
# europe-west6 Zurich are in Europe but outside the EU).
EU_AWS_REGIONS = {"eu-central-1", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-3"}
EU_GCP_REGIONS = {
    "europe-central2", "europe-north1", "europe-north2", "europe-southwest1", "europe-west1", "europe-west3",
    "europe-west4", "europe-west8", "europe-west9", "europe-west10", "europe-west12",
}  # fmt: skip
EU_GCP_MULTI_REGIONS = {"EU", "EUR4", "EUR5", "EUR7", "EUR8"}
SIX_YEARS_DAYS = 2190

# Where each resource type names its customer-managed key (any one of the paths).
CMK_PATHS = {
    "aws_s3_bucket_server_side_encryption_configuration": [
        "rule.apply_server_side_encryption_by_default.kms_master_key_id"
    ],
    "aws_ecr_repository": ["encryption_configuration.kms_key"],
    "aws_cloudwatch_log_group": ["kms_key_id"],
    "aws_secretsmanager_secret": ["kms_key_id"],
    "aws_sns_topic": ["kms_master_key_id"],
    "aws_cloudtrail": ["kms_key_id"],
    "aws_eks_cluster": ["encryption_config.provider.key_arn"],
    "aws_instance": ["root_block_device.kms_key_id"],
    "aws_launch_template": ["block_device_mappings.ebs.kms_key_id"],
    "aws_ebs_volume": ["kms_key_id"],
    "google_storage_bucket": ["encryption.default_kms_key_name"],
    "google_artifact_registry_repository": ["kms_key_name"],
    "google_secret_manager_secret": ["replication.user_managed.replicas.customer_managed_encryption.kms_key_name"],
    "google_compute_instance": ["boot_disk.kms_key_self_link"],
    "google_compute_disk": ["disk_encryption_key.kms_key_self_link"],
    "google_container_node_pool": ["node_config.boot_disk_kms_key"],
    "google_container_cluster": ["database_encryption.key_name"],
    "google_logging_project_bucket_config": ["cmek_settings.kms_key_name"],
    "aws_dynamodb_table": ["server_side_encryption.kms_key_arn"],  # feature_store = feast
    "google_firestore_database": ["cmek_config.kms_key_name"],
}


@dataclass
class Resource:
    root: str
    type: str
    name: str
    key: object
    body: dict
    scope: Scope
    module: object  # hcl_eval.Module: resources of one module instance are siblings

    @property
    def where(self) -> str:
        key = "" if self.key is None else f"[{self.key}]"
        return f"{self.root}: {self.module.path.name}/{self.type}.{self.name}{key}"

    def get(self, path: str, default=None):
        """The evaluated attribute at a dotted path (nested blocks: their first instance; a dynamic
        block with a non-empty for_each counts as present, its content evaluated for the first item)."""
        value, scope = self.body, self.scope
        for step in path.split("."):
            if isinstance(value, list):
                value = value[0] if value else None
            if not isinstance(value, dict):
                return default
            if step in value:
                value = value[step]
                continue
            dynamic = _dynamic(value, step, scope)
            if dynamic is None:
                return default
            value, scope = dynamic
        try:
            return evaluate(value, scope) if not isinstance(value, (dict, list)) else value
        except (KeyError, Missing, SyntaxError, TypeError, ValueError):
            return Ref(f"{self.type}.{self.name}.{path}")

    def has(self, path: str) -> bool:
        return self.get(path) not in (None, [], {})


def _for_each(raw, scope: Scope):
    """A dynamic block's for_each; `x[*]` (the splat of a single value: [] when null) too."""
    text = str(raw).strip()
    if text.startswith("${") and text.endswith("[*]}"):
        value = evaluate("${" + text[2:-4] + "}", scope)
        return [] if value is None else [value]
    return evaluate(raw, scope)


def _dynamic_specs(body: dict, name: str) -> list[dict]:
    """The `dynamic "<name>"` blocks of a body, their content unwrapped."""
    specs = []
    for dynamic in body.get("dynamic", []):
        spec = dynamic.get(name) or dynamic.get(f'"{name}"')
        if spec:
            content = spec["content"]
            specs.append({**spec, "content": content[0] if isinstance(content, list) else content})
    return specs


def _dynamic(body: dict, name: str, scope: Scope):
    for spec in _dynamic_specs(body, name):
        collection = _for_each(spec["for_each"], scope)
        if isinstance(collection, Ref):
            return spec["content"], scope
        items = list(collection.values() if isinstance(collection, dict) else collection or [])
        if not items:
            return None
        iterator = evaluate(spec["iterator"], scope) if "iterator" in spec else name
        return spec["content"], scope.child(**{iterator: {"key": 0, "value": items[0]}})
    return None


@dataclass
class Terraform:
    resources: list[Resource]
    variables: dict[str, dict]  # root => its tfvars and defaults

    def of(self, type_: str) -> list[Resource]:
        return [r for r in self.resources if r.type == type_]

    def siblings(self, resource: Resource, type_: str) -> list[Resource]:
        return [r for r in self.resources if r.module is resource.module and r.type == type_]

    def under(self, resource: Resource, type_: str) -> list[Resource]:
        """Resources of ``type_`` in ``resource``'s module instance or its child modules."""
        inside = {id(m) for m in resource.module.walk()}
        return [r for r in self.resources if id(r.module) in inside and r.type == type_]


def read(project: Path) -> Terraform:
    resources, variables = [], {}
    for root in roots(project):
        label = root.relative_to(project).as_posix()
        top = load_root(root)
        variables[label] = top.scope.variables
        for module in top.walk():
            for block in module.blocks:
                if block.kind != "resource" or _count(block) == 0:
                    continue
                for key, scope in block.instances():
                    resources.append(Resource(label, block.type, block.name, key, block.body, scope, module))
    return Terraform(resources, variables)


def _count(block) -> object:
    """A block's `count` (hcl_eval reads for_each, not count); None when it has none or it is unknown."""
    if "count" not in block.body:
        return None
    value = evaluate(block.body["count"], block.module.scope)
    return value if isinstance(value, int) else None


# ─── baseline ──────────────────────────────────────────────────────────────────────────────────────
def _log_target(tf: Terraform, bucket: Resource) -> bool:
    return bool(bucket.module.scope.variables.get("access_log_target"))


def baseline_problems(tf: Terraform, profile: str) -> list[str]:
    problems = []
    for bucket in tf.of("aws_s3_bucket"):
        blocks = tf.siblings(bucket, "aws_s3_bucket_public_access_block")
        flags = ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")
        if not blocks or not all(blocks[0].get(f) is True for f in flags):
            problems.append(f"{bucket.where}: public access not blocked (all four public access block flags)")
        encryption = tf.siblings(bucket, "aws_s3_bucket_server_side_encryption_configuration")
        algorithm = (
            encryption[0].get("rule.apply_server_side_encryption_by_default.sse_algorithm") if encryption else None
        )
        if algorithm not in ("aws:kms", "aws:kms:dsse", "AES256"):
            problems.append(f"{bucket.where}: no default encryption")
    for bucket in tf.of("google_storage_bucket"):
        if (
            bucket.get("public_access_prevention") != "enforced"
            or bucket.get("uniform_bucket_level_access") is not True
        ):
            problems.append(f"{bucket.where}: public access not prevented (public_access_prevention, uniform access)")
    for policy in tf.of("google_storage_bucket_iam_member") + tf.of("google_storage_bucket_iam_binding"):
        members = [policy.get("member")] + list(policy.get("members") or [])
        if any(m in ("allUsers", "allAuthenticatedUsers") for m in members):
            problems.append(f"{policy.where}: the bucket is granted to {members}")
    clouds = {label.split("/")[2] for label in tf.variables}
    if "aws" in clouds:
        trails = tf.of("aws_cloudtrail")
        if not any(
            t.get("is_multi_region_trail") is True and t.get("enable_log_file_validation") is True for t in trails
        ):
            problems.append("aws: no multi-region CloudTrail trail with log file validation (audit logging)")
    if "gcp" in clouds:
        audited = {r.get("service"): set(_log_types(r)) for r in tf.of("google_project_iam_audit_config")}
        # Writes are always recorded; reads of data too under gdpr and hipaa (bootstrap audit_log_types).
        needed = {"DATA_WRITE"} if profile == "none" else {"DATA_READ", "DATA_WRITE"}
        for service in ("storage.googleapis.com", "cloudkms.googleapis.com"):
            if not needed <= audited.get(service, set()):
                problems.append(f"gcp: no Data Access audit logs ({', '.join(sorted(needed))}) for {service}")
        problems += _audit_log_bucket_problems(tf)
    return problems


# A filter that selects every Cloud Audit Logs entry, and nothing narrower.
AUDIT_FILTER = re.compile(r'^logName\s*:\s*"?(/logs/)?cloudaudit\.googleapis\.com"?$')


def audit_log_buckets(tf: Terraform) -> list[Resource]:
    """The buckets that every Cloud Audit Logs entry is routed to by an enabled log sink."""
    buckets = []
    for sink in tf.of("google_logging_project_sink"):
        destination = str(sink.get("destination"))
        if (
            not AUDIT_FILTER.match(str(sink.get("filter")).strip())
            or sink.get("disabled") is True
            or sink.has("exclusions")
            or not destination.startswith("storage.googleapis.com/")
        ):
            continue
        bucket = _bucket_named(tf, sink, destination.removeprefix("storage.googleapis.com/"))
        if bucket is not None:
            buckets.append(bucket)
    return buckets


def _bucket_named(tf: Terraform, near: Resource, name: str) -> Resource | None:
    """The google_storage_bucket a value names: its literal name, or a reference to its name/id."""
    for bucket in tf.of("google_storage_bucket"):
        reference = bucket.module is near.module and name in (
            f"<google_storage_bucket.{bucket.name}.name>",
            f"<google_storage_bucket.{bucket.name}.id>",
        )
        if reference or bucket.get("name") == name:
            return bucket
    return None


def _audit_log_bucket_problems(tf: Terraform) -> list[str]:
    buckets = audit_log_buckets(tf)
    if not buckets:
        return ["gcp: no enabled log sink routes every audit log entry (cloudaudit.googleapis.com) to a bucket"]
    problems = []
    for bucket in buckets:
        writers = [
            m
            for m in tf.of("google_storage_bucket_iam_member")
            if _bucket_named(tf, m, str(m.get("bucket"))) is bucket
            and m.get("role") in ("roles/storage.objectCreator", "roles/storage.objectUser")
            and str(m.get("member")).endswith(".writer_identity>")
        ]
        if not writers:
            problems.append(f"{bucket.where}: the audit log sink's writer_identity cannot create objects in it")
        if not bucket.has("encryption.default_kms_key_name"):
            problems.append(f"{bucket.where}: the audit log bucket has no customer-managed key")
        period = bucket.get("retention_policy.retention_period")
        if not isinstance(period, int) or period < 365 * 86400:
            problems.append(f"{bucket.where}: the audit log bucket has no retention policy of a year or more")
    return problems


def _log_types(config: Resource) -> list[str]:
    found = []
    for entry in config.body.get("audit_log_config", []):
        found.append(evaluate(entry["log_type"], config.scope))
    for spec in _dynamic_specs(config.body, "audit_log_config"):
        for value in evaluate(spec["for_each"], config.scope):
            inner = config.scope.child(audit_log_config={"key": value, "value": value})
            found.append(evaluate(spec["content"]["log_type"], inner))
    return found


# ─── gdpr ────────────────────────────────────────────────────────────────────────────────────────────
def _eu_location(value) -> bool:
    text = str(value)
    if text.upper() in EU_GCP_MULTI_REGIONS:
        return True
    region = text if text in EU_GCP_REGIONS | EU_AWS_REGIONS else text.rsplit("-", 1)[0]  # a zone
    return region in EU_GCP_REGIONS | EU_AWS_REGIONS


def gdpr_problems(tf: Terraform, answers: dict) -> list[str]:
    problems = []
    for root, variables in tf.variables.items():
        if "region" in variables and not _eu_location(variables["region"]):
            problems.append(f"{root}: region {variables['region']} is outside the EU")
    for resource in tf.resources:
        for attribute in ("location", "region", "zone", "replication.user_managed.replicas.location"):
            value = resource.get(attribute)
            if isinstance(value, str) and not isinstance(value, Ref) and not _eu_location(value):
                problems.append(f"{resource.where}: {attribute} {value} is outside the EU")
    for replication in tf.of("aws_s3_bucket_replication_configuration"):
        problems.append(f"{replication.where}: S3 replication (its destination's region is not bound to the EU)")
    for secret in tf.of("google_secret_manager_secret"):
        if secret.has("replication.auto"):
            problems.append(f"{secret.where}: automatic replication copies the secret to any region")
    for bucket in tf.of("google_storage_bucket"):
        for location in bucket.get("custom_placement_config.data_locations") or []:
            if not _eu_location(location):
                problems.append(f"{bucket.where}: data location {location} is outside the EU")

    retention = int(answers["data_retention_days"])
    data_buckets = 0
    for bucket in tf.of("aws_s3_bucket"):
        if str(bucket.get("bucket")).endswith("-dvc"):
            data_buckets += 1
            rules = tf.siblings(bucket, "aws_s3_bucket_lifecycle_configuration")
            days = rules[0].get("rule.expiration.days") if rules else None
            if days != retention:
                problems.append(f"{bucket.where}: data expire after {days} days, not data_retention_days {retention}")
    for bucket in tf.of("google_storage_bucket"):
        if str(bucket.get("name")).endswith("-dvc"):
            data_buckets += 1
            ages = [
                _rule_age(bucket, rule) for rule in _lifecycle_rules(bucket) if _rule_action(bucket, rule) == "Delete"
            ]
            if retention not in ages:
                problems.append(f"{bucket.where}: no Delete rule at data_retention_days {retention} (ages {ages})")
    if data_buckets == 0:
        problems.append("no data (DVC) bucket found: the lifecycle rule could not be checked")
    # The servers' prediction logs (pseudonymised personal data) under prediction-logs/ of the models
    # buckets expire with the data.
    for bucket in [*tf.of("aws_s3_bucket"), *tf.of("google_storage_bucket")]:
        name = bucket.get("bucket") if bucket.type == "aws_s3_bucket" else bucket.get("name")
        if str(name).endswith("-models"):
            days = _prefix_expiry(tf, bucket).get(PREDICTION_LOGS)
            if days != retention:
                problems.append(f"{bucket.where}: {PREDICTION_LOGS} expire after {days} days, not {retention}")

    for bucket in tf.of("aws_s3_bucket"):
        if not _log_target(tf, bucket) and not tf.siblings(bucket, "aws_s3_bucket_logging"):
            problems.append(f"{bucket.where}: no server access logging")
    for bucket in tf.of("google_storage_bucket"):
        if bucket.module.scope.variables.get("access_log_bucket", "") is not None and not bucket.has(
            "logging.log_bucket"
        ):
            problems.append(f"{bucket.where}: no access logging")
    return problems


def _lifecycle_rules(bucket: Resource) -> list[tuple[dict, Scope]]:
    rules = [(rule, bucket.scope) for rule in bucket.body.get("lifecycle_rule", [])]
    for spec in _dynamic_specs(bucket.body, "lifecycle_rule"):
        collection = _for_each(spec["for_each"], bucket.scope)
        for key, value in _items(collection):
            rules.append((spec["content"], bucket.scope.child(lifecycle_rule={"key": key, "value": value})))
    return rules


def _prefix_expiry(tf: Terraform, bucket: Resource) -> dict:
    """Prefix -> days of the bucket's expiry rules limited to a prefix (dynamic rules over a map)."""
    found = {}
    if bucket.type == "google_storage_bucket":
        for body, scope in _lifecycle_rules(bucket):
            condition = body.get("condition", [{}])[0]
            if _rule_action(bucket, (body, scope)) == "Delete" and "matches_prefix" in condition:
                for prefix in evaluate(condition["matches_prefix"], scope) or []:
                    found[prefix] = _rule_age(bucket, (body, scope))
        return found
    for config in tf.siblings(bucket, "aws_s3_bucket_lifecycle_configuration"):
        rules = [(rule, config.scope) for rule in config.body.get("rule", [])]
        for spec in _dynamic_specs(config.body, "rule"):
            for key, value in _items(_for_each(spec["for_each"], config.scope)):
                rules.append((spec["content"], config.scope.child(rule={"key": key, "value": value})))
        for body, scope in rules:
            prefix = (body.get("filter") or [{}])[0].get("prefix")
            expiration = (body.get("expiration") or [{}])[0]
            if prefix is not None and "days" in expiration:
                found[evaluate(prefix, scope)] = evaluate(expiration["days"], scope)
    return found


def _items(collection) -> list[tuple]:
    """(key, value) of a for_each: a map's keys, a set's or list's values as keys."""
    return list(collection.items()) if isinstance(collection, dict) else [(v, v) for v in collection or []]


def _rule_age(bucket: Resource, rule) -> object:
    body, scope = rule
    condition = body.get("condition", [{}])[0]
    return evaluate(condition["age"], scope) if "age" in condition else None


def _rule_action(bucket: Resource, rule) -> object:
    body, scope = rule
    return evaluate(body.get("action", [{}])[0].get("type", "null"), scope)


# ─── hipaa ───────────────────────────────────────────────────────────────────────────────────────────
def hipaa_problems(tf: Terraform) -> list[str]:
    problems = []
    for type_, paths in CMK_PATHS.items():
        for resource in tf.of(type_):
            if type_.startswith("aws_s3_bucket_") and _log_target(tf, resource):
                # S3 delivers server access logs only to SSE-S3 buckets (module s3_bucket says why).
                continue
            if not any(resource.has(path) for path in paths):
                problems.append(f"{resource.where}: no customer-managed key ({' or '.join(paths)})")
    for bucket in tf.of("aws_s3_bucket"):
        if not _log_target(tf, bucket) and not tf.siblings(
            bucket, "aws_s3_bucket_server_side_encryption_configuration"
        ):
            problems.append(f"{bucket.where}: no customer-managed key (no encryption configuration)")

    clouds = {label.split("/")[2] for label in tf.variables}
    if "aws" in clouds:
        locked = []
        for trail in tf.of("aws_cloudtrail"):
            for lock in tf.under(trail, "aws_s3_bucket_object_lock_configuration"):
                mode = lock.get("rule.default_retention.mode")
                days = lock.get("rule.default_retention.days") or 365 * (lock.get("rule.default_retention.years") or 0)
                if mode == "COMPLIANCE" and isinstance(days, int) and days >= SIX_YEARS_DAYS:
                    locked.append(lock)
        if not locked:
            problems.append(
                f"aws: the CloudTrail bucket has no Object Lock in COMPLIANCE mode for {SIX_YEARS_DAYS} days or more"
            )
    if "gcp" in clouds:
        locked = [
            b
            for b in audit_log_buckets(tf)
            if b.get("retention_policy.is_locked") is True
            and isinstance(b.get("retention_policy.retention_period"), int)
            and b.get("retention_policy.retention_period") >= SIX_YEARS_DAYS * 86400
        ]
        if not locked:
            problems.append(
                "gcp: audit logs are not routed (log sink on cloudaudit.googleapis.com) to a bucket with a locked "
                f"retention policy of {SIX_YEARS_DAYS} days or more"
            )

    for cluster in tf.of("aws_eks_cluster"):
        public = cluster.get("vpc_config.endpoint_public_access")
        cidrs = cluster.get("vpc_config.public_access_cidrs")
        if public is not False and (not isinstance(cidrs, list) or "0.0.0.0/0" in cidrs):
            problems.append(
                f"{cluster.where}: the Kubernetes API is open to the internet (public_access_cidrs {cidrs})"
            )
    for cluster in tf.of("google_container_cluster"):
        private = cluster.get("private_cluster_config.enable_private_endpoint")
        cidrs = [c.get("cidr_block") for c in _authorized_networks(cluster)]
        if private is not True and (not cluster.has("master_authorized_networks_config") or "0.0.0.0/0" in cidrs):
            problems.append(f"{cluster.where}: the Kubernetes API is open to the internet (authorized {cidrs})")
    for instance in tf.of("aws_instance"):
        if instance.get("associate_public_ip_address") is not False:
            problems.append(f"{instance.where}: may get a public IP (associate_public_ip_address)")
    for template in tf.of("aws_launch_template"):
        if template.get("network_interfaces.associate_public_ip_address") is True:
            problems.append(f"{template.where}: gives instances a public IP")
    for instance in tf.of("google_compute_instance"):
        if instance.has("network_interface.access_config"):
            problems.append(f"{instance.where}: has an external IP (access_config)")
    for subnet in tf.of("aws_subnet"):
        if subnet.get("map_public_ip_on_launch") is True:
            problems.append(f"{subnet.where}: gives every instance a public IP (map_public_ip_on_launch)")
    return problems


def _authorized_networks(cluster: Resource) -> list[dict]:
    config = cluster.get("master_authorized_networks_config")
    if not isinstance(config, list) or not config:
        return []
    blocks = [{"cidr_block": evaluate(b["cidr_block"], cluster.scope)} for b in config[0].get("cidr_blocks", [])]
    for spec in _dynamic_specs(config[0], "cidr_blocks"):
        collection = evaluate(spec["for_each"], cluster.scope)
        iterator = evaluate(spec["iterator"], cluster.scope) if "iterator" in spec else "cidr_blocks"
        for value in collection.values() if isinstance(collection, dict) else collection:
            inner = cluster.scope.child(**{iterator: {"key": value, "value": value}})
            blocks.append({"cidr_block": evaluate(spec["content"]["cidr_block"], inner)})
    return blocks


def check(project: Path, answers: dict) -> list[str]:
    tf = read(project)
    problems = baseline_problems(tf, answers["compliance_profile"])
    if answers["compliance_profile"] == "gdpr":
        problems += gdpr_problems(tf, answers)
    if answers["compliance_profile"] == "hipaa":
        problems += hipaa_problems(tf)
    return problems
