"""Every resource and data block of the generated Terraform, checked against the real provider schema.

Unknown resource/data types, unknown arguments or nested blocks, and missing required arguments
(at top level and inside nested and dynamic blocks), for every provider (see tests/provider_schema.py).
"""

from provider_schema import check_files

from . import Finding, checker, project_files


def has_terraform(answers):
    return bool(answers.get("use_aws") or answers.get("use_gcp") or answers.get("cloud_provider"))


@checker("terraform-schema", applies=has_terraform)
def check(project, answers):
    files = project_files(project, ".tf")
    return [Finding("terraform-schema", p.path, p.line, p.message) for p in check_files(files, root=project)]
