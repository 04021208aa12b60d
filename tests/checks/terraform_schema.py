"""Every resource and data block of the generated Terraform, checked against the real provider schema.

Unknown resource/data types, unknown arguments or nested blocks, and missing required arguments
(at top level and inside nested and dynamic blocks), for every provider (see tests/provider_schema.py).
"""

from provider_schema import check_files

from . import Finding, checker, project_files


def has_terraform(answers):
    """Every cloud answer renders Terraform (computed use_aws/use_gcp are not in the answers file)."""
    return answers.get("cloud_provider") in ("aws", "gcp", "both")


@checker("terraform-schema", applies=has_terraform)
def check(project, answers):
    files = project_files(project, ".tf")
    return [Finding("terraform-schema", p.path, p.line, p.message) for p in check_files(files, root=project)]


def _module_docs():
    import importlib.util

    from tools import REPO

    spec = importlib.util.spec_from_file_location("gen_module_docs", REPO / "scripts" / "gen_module_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@checker("terraform-module-readme", applies=has_terraform)
def module_readmes(project, answers):
    """Every module's README has the inputs and outputs tables of the module as rendered."""
    docs = _module_docs()
    findings = []
    for module in sorted((project / "infra" / "terraform").glob("*/modules/*/")):
        readme = module / "README.md"
        rel = str(readme.relative_to(project))
        if not readme.is_file():
            findings.append(Finding("terraform-module-readme", rel, None, "missing"))
        elif docs.tables(module) not in readme.read_text():
            findings.append(
                Finding(
                    "terraform-module-readme", rel, None, "inputs/outputs tables differ from variables.tf/outputs.tf"
                )
            )
    return findings
