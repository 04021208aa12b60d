"""The documentation: generated pages are current, the site builds strictly, the README's commands work."""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "gen_questions_reference.py"
REGENERATE = ".venv/bin/python scripts/gen_questions_reference.py"


def load_generator():
    spec = importlib.util.spec_from_file_location("gen_questions_reference", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GEN = load_generator()


@pytest.mark.parametrize(
    "page", ["questions.md", "gpu-catalogue.md", "validation.md"], ids=lambda page: page.removesuffix(".md")
)
def test_generated_page_is_current(page):
    path = REPO / "docs" / page
    expected = GEN.generated_pages()[path]
    assert path.exists(), f"docs/{page} is missing: run {REGENERATE}"
    assert path.read_text() == expected, (
        f"docs/{page} is stale (copier.yml or tests/matrix.py changed): run {REGENERATE}"
    )


def test_questions_page_documents_every_question_and_computed_value():
    config = GEN.load_copier_yml()
    asked, computed = GEN.split_questions(config)
    page = GEN.questions_page(config)
    assert asked and computed
    for name, spec in asked.items():
        section = page.split(f"## `{name}` {{#{name}}}", 1)
        assert len(section) == 2, f"no section for question {name}"
        body = section[1].split("\n## ", 1)[0]
        assert spec.get("help", "") and " ".join(spec["help"].split()) in body
        for value in GEN.choice_lines(spec):
            assert value in body, f"{name}: choice {value} missing"
        if spec.get("validator"):
            assert "**Validation:**" in body and "none (any value" not in body, f"{name}: validation rules missing"
    computed_table = page.split("## Computed values", 1)[1]
    for name in computed:
        assert f"| `{name}` |" in computed_table
        assert f"## `{name}`" not in page, f"computed value {name} documented as a question"


def test_validation_rules_are_the_validator_messages_without_jinja():
    spec = {
        "validator": "{% set eu = ['eu-west-1', 'eu-central-1'] %}{% if x %}\n"
        "region: '{{ region }}' is not in the EU (choose one of {{ eu | join(', ') }}).\n"
        "{% elif y %}\nregion: expected a region (got '{{ region }}').\n{% endif %}"
    }
    rules = GEN.validation_rules("region", spec)
    assert rules == [
        "`<region>` is not in the EU (choose one of eu-west-1, eu-central-1).",
        "expected a region.",
    ]


def test_gpu_page_has_one_row_per_catalogue_entry_with_both_clouds():
    config = GEN.load_copier_yml()
    page = GEN.gpu_page(config)
    catalogue = config["gpu_catalogue"]["default"]
    rows = [line for line in page.splitlines() if re.match(r"\| `[a-z0-9]+`", line)]
    assert len(rows) == len(catalogue)
    for row, (gpu_type, entry) in zip(rows, catalogue.items(), strict=True):
        assert row.startswith(f"| `{gpu_type}`")
        assert f"`{entry['aws_instance']}`" in row
        if entry["gcp_machine"]:
            assert f"`{entry['gcp_machine']}` + `{entry['gcp_accelerator']}`" in row
        else:
            assert "not offered" in row


def test_stale_page_is_reported_by_check_mode(tmp_path, monkeypatch):
    stale = tmp_path / "questions.md"
    stale.write_text("old\n")
    monkeypatch.setattr(GEN, "generated_pages", lambda: {stale: "new\n"})
    monkeypatch.setattr(GEN, "REPO", tmp_path)
    assert GEN.main(["--check"]) == 1
    assert stale.read_text() == "old\n", "--check must not write"
    assert GEN.main([]) == 0
    assert stale.read_text() == "new\n"
    assert GEN.main(["--check"]) == 0


def test_site_builds_strictly(tmp_path):
    mkdocs = Path(sys.executable).with_name("mkdocs")
    result = subprocess.run(
        [str(mkdocs), "build", "--strict", "--quiet", "--site-dir", str(tmp_path / "site")],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "gpu_max_nodes" in (tmp_path / "site" / "questions" / "index.html").read_text()


def test_every_page_is_in_the_nav():
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text())

    def pages(nav):
        for item in nav:
            if isinstance(item, str):
                yield item
            else:
                for value in item.values():
                    yield from pages(value) if isinstance(value, list) else [value]

    in_nav = set(pages(config["nav"]))
    docs = REPO / "docs"
    on_disk = {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")}
    assert on_disk - in_nav == set(), "pages missing from mkdocs.yml nav"


def readme_commands(readme: Path = REPO / "README.md") -> list[str]:
    """Shell commands in the README's shell code blocks (comments and prompts stripped)."""
    assert readme.is_file(), f"{readme.name} is missing: it carries the commands these tests run"
    text = readme.read_text()
    commands = []
    for block in re.findall(r"```(?:bash|sh|shell|console)\n(.*?)```", text, re.S):
        for line in block.splitlines():
            line = line.split(" #", 1)[0].strip().removeprefix("$ ").strip()
            if line and not line.startswith("#"):
                commands.append(line)
    return commands


def test_a_missing_readme_fails_the_readme_tests(tmp_path):
    with pytest.raises(AssertionError, match="README.md is missing"):
        readme_commands(tmp_path / "README.md")


def test_readme_has_two_commands_and_ci_runs_the_test_one():
    commands = readme_commands()
    assert len(commands) == 2, f"the README should show exactly two commands (generate, test), has {commands}"
    for command in commands:
        script = REPO / shlex.split(command)[0]
        assert script.is_file() and os.access(script, os.X_OK), f"README command {command!r}: not an executable script"
        result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True, check=False)
        assert result.returncode == 0, f"{script} has a syntax error: {result.stderr}"
    test_command = commands[-1]
    ci = (REPO / ".ci" / "run").read_text()
    assert test_command in ci, f".ci/run must run the README's test command {test_command!r}"


# The README's first command is run as written, from a fresh clone, in test_quick_start.py.
