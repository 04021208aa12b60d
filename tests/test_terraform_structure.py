"""The Terraform's structure and its own checks: answers only in terraform.tfvars (no Jinja in
main.tf or in any module), module READMEs generated and current, the style checker and the
before/after comparison both able to fail."""

from __future__ import annotations

import importlib.util
import re
import shutil

import pytest

from checks import all_checkers
from checks.jinja_leftovers import SSM_PARAMETER
from mlops_scaffold.matrix import variant_id, variants
from test_terraform_refactor import baseline, compare
from tools import REPO

TERRAFORM = REPO / "template" / "infra" / "terraform"
INCLUDES = REPO / "template" / "includes" / "terraform"
JINJA = re.compile(r"\{\{|\{%")
CHECKERS = all_checkers()


def module_docs():
    spec = importlib.util.spec_from_file_location("gen_module_docs", REPO / "scripts" / "gen_module_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_jinja_in_modules_or_environment_main_tf():
    """Jinja in file and folder names (which files a project gets) is fine; in their text it is not."""
    sources = [p for p in TERRAFORM.rglob("*") if p.is_file() and "modules" in p.relative_to(TERRAFORM).parts]
    sources += sorted(INCLUDES.glob("*_env_main.tf"))
    assert len(sources) > 100
    # A Systems Manager document's `{{ Parameter }}` (vm_ci.tf, a file copier does not render) is SSM's own.
    templated = [
        str(p.relative_to(REPO))
        for p in sources
        if p.name.endswith(".jinja") or JINJA.search(SSM_PARAMETER.sub("", p.read_text()))
    ]
    assert templated == []


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
