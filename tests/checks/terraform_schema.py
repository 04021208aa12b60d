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


# Clouds whose modules document every input and output in their README.
README_CLOUDS = ("aws", "gcp")


def _names(path, kind):
    import hcl2

    if not path.is_file():
        return []
    return [name.strip('"') for entry in hcl2.loads(path.read_text()).get(kind, []) for name in entry]


@checker("terraform-module-readme", applies=has_terraform)
def module_readmes(project, answers):
    """Every module has a README that lists each of its variables and outputs."""
    findings = []
    for cloud in README_CLOUDS:
        for module in sorted((project / "infra" / "terraform" / cloud / "modules").glob("*/")):
            readme = module / "README.md"
            rel = str(readme.relative_to(project))
            if not readme.is_file():
                findings.append(Finding("terraform-module-readme", rel, None, "missing"))
                continue
            text = readme.read_text()
            for kind, label in (("variable", "input"), ("output", "output")):
                for name in _names(module / f"{kind}s.tf", kind):
                    if f"| `{name}` |" not in text:
                        findings.append(
                            Finding("terraform-module-readme", rel, None, f"{label} `{name}` not documented")
                        )
    return findings
