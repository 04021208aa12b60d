"""Every taggable resource carries the tags owner, cost-center, environment and data-classification.

The Terraform tags through the providers (AWS `default_tags`, Google `default_labels`), which reach
every taggable resource the provider creates; so the check reads the provider blocks. A provider
without them, or missing a key, fails. A graph (YAML) policy cannot read provider blocks, hence Python.
"""

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.provider.base_check import BaseProviderCheck

# AWS tag keys are PascalCase (as the existing Project/Environment tags); GCP label keys lowercase.
REQUIRED = {
    "aws": ("Owner", "CostCenter", "Environment", "DataClassification"),
    "google": ("owner", "cost-center", "environment", "data-classification"),
}


def _first(value):
    """checkov wraps every HCL value in a one-element list."""
    return value[0] if isinstance(value, list) and value else value


class RequiredTags(BaseProviderCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Providers tag every resource with owner, cost-center, environment and data-classification",
            id="CKV_MLOPS_1",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_provider=list(REQUIRED),
        )

    def scan_entity_conf(self, conf, entity_type):
        required = REQUIRED[entity_type]
        if entity_type == "aws":
            tags = _first(_first(conf.get("default_tags") or [{}]).get("tags"))
        else:
            tags = _first(conf.get("default_labels"))
        if not isinstance(tags, dict):  # absent, or an expression checkov could not resolve
            return CheckResult.FAILED
        return CheckResult.PASSED if all(key in tags for key in required) else CheckResult.FAILED

    def scan_provider_conf(self, conf):  # abstract in the base class; scan_entity_conf does the work
        return self.scan_entity_conf(conf, "aws")


check = RequiredTags()
