"""The Terraform's structure and its own checks: answers only in terraform.tfvars (no Jinja in
main.tf or in any module), the ownership-tag variables declared once, module READMEs generated and
current, the style checker and the before/after comparison both able to fail."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pytest

from checks import all_checkers
from checks.jinja_leftovers import SSM_PARAMETER
from mlops_scaffold.matrix import variant_id, variants
from test_terraform_refactor import baseline, compare
from tools import REPO

TERRAFORM = REPO / "template" / "infra" / "terraform"
INCLUDES = REPO / "template" / "includes" / "terraform"
JINJA = re.compile(r"\{\{|\{%")
# The one Jinja a plain-HCL include (includes/terraform/*.tf) may hold: a line including another one.
PLAIN_INCLUDE = re.compile(r"^\{% include 'template/includes/terraform/(\w+\.tf)' -?%\}$", re.MULTILINE)
OWNERSHIP = INCLUDES / "ownership_variables.tf"
OWNERSHIP_VARIABLES = ("owner", "cost_center", "data_classification")
OWNERSHIP_DECLARATION = re.compile(r'^variable "(owner|cost_center|data_classification)"', re.MULTILINE)
CHECKERS = all_checkers()


def module_docs():
    spec = importlib.util.spec_from_file_location("gen_module_docs", REPO / "scripts" / "gen_module_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_jinja_in_modules_or_environment_main_tf():
    """Jinja in file and folder names (which files a project gets) is fine; in their text it is not."""
    sources = [p for p in TERRAFORM.rglob("*") if p.is_file() and "modules" in p.relative_to(TERRAFORM).parts]
    includes = sorted(INCLUDES.glob("*.tf"))
    assert {p.name for p in includes} >= {"aws_env_main.tf", "gcp_env_main.tf", OWNERSHIP.name}
    sources += includes
    assert len(sources) > 100
    # Only plain includes are included by a plain include, so the rendered text holds no answer either.
    included = {name for p in includes for name in PLAIN_INCLUDE.findall(p.read_text())}
    assert included <= {p.name for p in includes}
    # A Systems Manager document's `{{ Parameter }}` (vm_ci.tf, a file copier does not render) is SSM's own.
    templated = [
        str(p.relative_to(REPO))
        for p in sources
        if p.name.endswith(".jinja") or JINJA.search(SSM_PARAMETER.sub("", PLAIN_INCLUDE.sub("", p.read_text())))
    ]
    assert templated == []


def ownership_declarations(template: Path) -> list[str]:
    """The files of a template tree that declare one of the ownership-tag variables."""
    return sorted(
        str(p.relative_to(template))
        for p in template.rglob("*")
        if p.is_file() and OWNERSHIP_DECLARATION.search(p.read_text(errors="ignore"))
    )


def test_ownership_variables_are_declared_in_one_include_only():
    """owner, cost_center and data_classification (and their validations) are written once: the env
    roots and the bootstraps include ownership_variables.tf."""
    assert ownership_declarations(REPO / "template") == ["includes/terraform/ownership_variables.tf"]
    assert tuple(OWNERSHIP_DECLARATION.findall(OWNERSHIP.read_text())) == OWNERSHIP_VARIABLES
    including = sorted(
        str(p.relative_to(REPO / "template"))
        for p in (REPO / "template").rglob("*")
        if p.is_file() and f"{{% include 'template/includes/terraform/{OWNERSHIP.name}'" in p.read_text(errors="ignore")
    )
    assert [Path(p).name for p in including] == [
        "aws_env_main.tf",
        "gcp_env_main.tf",
        "variables.tf.jinja",
        "variables.tf.jinja",
    ], including


def test_ownership_declaration_scan_finds_a_copy(tmp_path):
    template = tmp_path / "template"
    shutil.copytree(REPO / "template", template)
    bootstrap = next(template.glob("infra/terraform/*aws*/bootstrap/variables.tf.jinja"))
    text = bootstrap.read_text()
    bootstrap.write_text(re.sub(r"\{% include '[\w/]+ownership_variables.tf' -?%\}\n", OWNERSHIP.read_text(), text))
    assert ownership_declarations(template) == [
        "includes/terraform/ownership_variables.tf",
        str(bootstrap.relative_to(template)),
    ]


def ownership_problems(project: Path) -> list[str]:
    """Terraform roots whose terraform.tfvars sets the ownership tags but which do not declare each
    ownership variable exactly once."""
    problems = []
    for tfvars in sorted(project.glob("infra/terraform/*/*/**/terraform.tfvars")):
        if not re.search(r"^owner\s*=", tfvars.read_text(), re.MULTILINE):
            continue
        root = tfvars.parent
        declared = [name for tf in sorted(root.glob("*.tf")) for name in OWNERSHIP_DECLARATION.findall(tf.read_text())]
        if sorted(declared) != sorted(OWNERSHIP_VARIABLES):
            problems.append(f"{root.relative_to(project)}: {sorted(declared)}")
    return problems


def test_every_root_declares_the_ownership_variables_it_is_given(render_cache, tmp_path):
    """Rendered: every root with ownership tags in terraform.tfvars (env roots and bootstraps, both
    clouds) declares the three variables once; a root whose include is lost is reported."""
    both = next(v for v in variants() if v["cloud_provider"] == "both")
    project = tmp_path / "project"
    shutil.copytree(render_cache.get(variant_id(both), both), project, ignore=shutil.ignore_patterns(".git"))
    roots = sorted(str(t.parent.relative_to(project)) for t in project.glob("infra/terraform/*/*/**/terraform.tfvars"))
    assert "infra/terraform/gcp/bootstrap" in roots and "infra/terraform/aws/envs/prod" in roots, roots
    assert ownership_problems(project) == []
    variables = project / "infra/terraform/gcp/bootstrap/variables.tf"
    text = variables.read_text()
    variables.write_text(text[: text.index("# Ownership tags")])
    assert ownership_problems(project) == ["infra/terraform/gcp/bootstrap: []"]


def test_environment_roots_are_versions_main_and_tfvars():
    for cloud in TERRAFORM.iterdir():
        for env in (cloud / "envs").iterdir():
            names = sorted(p.name for p in env.iterdir())
            assert names == ["main.tf.jinja", "terraform.tfvars.jinja", "versions.tf.jinja"], env
            # Each file is one include of the one source every environment shares.
            for stub in env.iterdir():
                assert re.fullmatch(r"\{%- set env = '\w+' -%\}\{% include '[\w/.]+' %\}", stub.read_text()), stub


def test_module_readmes_are_current():
    assert module_docs().stale() == [], "run .venv/bin/python scripts/gen_module_docs.py"


def test_module_docs_check_finds_a_stale_table(tmp_path):
    docs = module_docs()
    source = next(m for m in docs.MODULES if m.name == "kms")
    module = tmp_path / "kms"
    shutil.copytree(source, module)
    assert docs.stale([module]) == []
    variables = module / "variables.tf"
    variables.write_text(variables.read_text() + '\nvariable "extra" {\n  description = "New."\n  type = string\n}\n')
    assert docs.stale([module]) == [module / "README.md"]
    assert "| `extra` | New. | `string` | yes |" in docs.updated((module / "README.md").read_text(), module)


def test_style_checker_reports_a_message_that_does_not_name_its_variable(tmp_path):
    module = tmp_path / "infra" / "terraform" / "aws" / "modules" / "m"
    module.mkdir(parents=True)
    clean = (
        'variable "size" {\n  description = "Size."\n  type        = number\n\n  validation {\n'
        '    condition     = var.size > 0\n    error_message = "size: expected a positive number."\n  }\n}\n'
    )
    (module / "variables.tf").write_text(clean)
    style = CHECKERS["terraform-style"]
    assert style.run(tmp_path, {}) == []
    (module / "variables.tf").write_text(clean.replace('"size: expected a positive', '"Size must be a positive'))
    (module / "outputs.tf").write_text('output "Id" {\n  value = 1\n}\n')
    found = sorted((f.path.split("/")[-1], f.line, f.message.split(":")[0]) for f in style.run(tmp_path, {}))
    assert found == [
        ("outputs.tf", 1, "output Id"),
        ("outputs.tf", 1, "output Id"),
        ("variables.tf", 1, "variable size"),
    ]


def test_module_readme_checker_reports_an_undocumented_input(default_project, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(default_project, project, ignore=shutil.ignore_patterns(".git"))
    readme_checker = CHECKERS["terraform-module-readme"]
    assert readme_checker.run(project, {}) == []
    variables = project / "infra/terraform/aws/modules/kms/variables.tf"
    variables.write_text(variables.read_text() + '\nvariable "extra" {\n  description = "New."\n  type = string\n}\n')
    found = readme_checker.run(project, {})
    assert [f.path for f in found] == ["infra/terraform/aws/modules/kms/README.md"]


@pytest.mark.parametrize("planted", ["moved block removed", "argument changed"])
def test_refactor_comparison_finds_a_destroyed_or_changed_resource(render_cache, tmp_path, planted):
    """The before/after comparison passes on the variant as rendered, and fails without one moved
    block (terraform would destroy the data buckets) or when one argument changes."""
    first = variants()[0]
    assert first["cloud_provider"] == "aws"
    project = tmp_path / "project"
    shutil.copytree(render_cache.get(variant_id(first), first), project, ignore=shutil.ignore_patterns(".git"))
    recorded = baseline()[variant_id(first)]
    assert compare(project, recorded) == []
    if planted == "moved block removed":
        main = project / "infra/terraform/aws/envs/dev/main.tf"
        main.write_text(
            main.read_text().replace("moved {\n  from = module.data\n  to   = module.stack.module.data\n}\n", "")
        )
        expected = "infra/terraform/aws/envs/dev: module.data.module.dvc.aws_s3_bucket.this is gone"
    else:
        stack = project / "infra/terraform/aws/modules/stack/main.tf"
        text = stack.read_text()
        stack.write_text(text.replace('single_nat_gateway  = var.environment != "prod"', "single_nat_gateway  = true"))
        expected = "infra/terraform/aws/envs/prod: module.stack.module.network.aws_eip.nat[0] is new"
    problems = compare(project, recorded)
    assert any(p.startswith(expected) for p in problems), problems


def test_schema_checker_reads_moved_blocks_as_addresses_not_outputs(tmp_path):
    from provider_schema import check_files

    module = tmp_path / "modules" / "stack"
    module.mkdir(parents=True)
    (module / "outputs.tf").write_text('output "bucket" {\n  value = "b"\n}\n')
    root = tmp_path / "envs" / "dev"
    root.mkdir(parents=True)
    main = root / "main.tf"
    main.write_text(
        'module "stack" {\n  source = "../../modules/stack"\n}\n\n'
        "moved {\n  from = module.data\n  to   = module.stack.module.data\n}\n\n"
        'output "bucket" {\n  value = module.stack.buckets\n}\n'
    )
    found = [f"{p.line}: {p.message}" for p in check_files(sorted(tmp_path.rglob("*.tf")), root=tmp_path)]
    assert found == ["11: module.stack.buckets: no such output"]
