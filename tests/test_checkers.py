"""Each static checker finds a planted defect and reports its file and line (a check that cannot
fail is a defect), and passes the clean file next to it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from checks import all_checkers
from conftest import read_answers

CHECKERS = all_checkers()

# checker name -> (file, clean content, defective content, line of the defect)
PLANTED = {
    "jinja-leftovers": ("README.md", "# ok ${{ github.sha }}\n", "# title\n{{ project_name }}\n", 2),
    "parse-yaml-json-toml": ("params.yaml", "a: 1\n", "a: 1\nb: [unclosed\n", 3),
    "python-compiles": ("pkg/mod.py", "x = 1\n", "x = 1\ndef broken(:\n", 2),
    "ruff": ("pkg/mod.py", "import os\n\nprint(os.sep)\n", "import os\nimport sys\n\nprint(os.sep)\n", 2),
}


@pytest.mark.parametrize("name", PLANTED)
def test_checker_reports_planted_defect(tmp_path, name):
    relative, clean, defective, line = PLANTED[name]
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(clean)
    assert CHECKERS[name].run(tmp_path, {}) == []
    path.write_text(defective)
    findings = CHECKERS[name].run(tmp_path, {})
    assert findings, f"{name} missed the planted defect"
    assert any(f.path == relative and f.line == line for f in findings), findings


def test_answers_file_checker_reports_missing_answer(default_project):
    answers = read_answers(default_project)
    assert CHECKERS["answers-file"].run(default_project, answers) == []
    del answers["gpu_type"]
    findings = CHECKERS["answers-file"].run(default_project, answers)
    assert [f.message for f in findings] == ["missing answer for gpu_type"]


def test_answers_file_checker_reports_an_answer_never_asked(default_project):
    answers = {**read_answers(default_project), "gcp_region": "us-central1"}
    findings = CHECKERS["answers-file"].run(default_project, answers)
    assert [f.message for f in findings] == ["records gcp_region, which is never asked"]


def test_module_readme_checker_reports_a_missing_readme_and_an_undocumented_input(default_project, tmp_path):
    module = Path("infra/terraform/aws/modules/kms")
    shutil.copytree(default_project / module, tmp_path / module)
    check = CHECKERS["terraform-module-readme"].run
    assert check(tmp_path, {}) == []
    readme = tmp_path / module / "README.md"
    text = readme.read_text()
    readme.write_text(re.sub(r"^\| `deletion_window_in_days` \|.*\n", "", text, flags=re.M))
    assert [f.message for f in check(tmp_path, {})] == ["input `deletion_window_in_days` not documented"]
    readme.rename(readme.with_name("README.mb"))
    assert [(f.path, f.message) for f in check(tmp_path, {})] == [(str(module / "README.md"), "missing")]


def test_checkov_skip_file_checker_reports_a_skip_listed_twice_or_without_reason(tmp_path):
    check = CHECKERS["checkov-skips-have-reasons"].run
    skip_file = tmp_path / ".checkov.yaml"
    reason = "# the bucket is a log sink"
    skip_file.write_text(f"skip-check:\n  - CKV_AWS_18  {reason}\n  - CKV_AWS_144  {reason}\n")
    assert check(tmp_path, {}) == []
    skip_file.write_text(f"skip-check:\n  - CKV_AWS_18  {reason}\n  - CKV_AWS_18  {reason}\n  - CKV_AWS_1\n")
    assert [(f.line, f.message) for f in check(tmp_path, {})] == [
        (3, "CKV_AWS_18: listed twice"),
        (4, "CKV_AWS_1: skipped without a reason"),
    ]


def test_checkov_reports_a_scan_of_no_resource(tmp_path):
    (tmp_path / ".checkov.yaml").write_text("skip-check:\n  - CKV_AWS_18  # the bucket is a log sink\n")
    (tmp_path / "infra" / "terraform").mkdir(parents=True)
    (tmp_path / "infra" / "terraform" / "main.tf").write_text('variable "x" {\n  type = string\n}\n')
    assert [f.message for f in CHECKERS["checkov-terraform"].run(tmp_path, {})] == ["checkov scanned no resource"]
