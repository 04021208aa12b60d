"""Each static checker finds a planted defect and reports its file and line (a check that cannot
fail is a defect), and passes the clean file next to it."""

from __future__ import annotations

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
