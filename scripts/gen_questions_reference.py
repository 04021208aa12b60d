#!/usr/bin/env python3
"""Regenerate the documentation pages derived from copier.yml: see mlops_scaffold/reference.py.

.venv/bin/python scripts/gen_questions_reference.py          # rewrite the pages
.venv/bin/python scripts/gen_questions_reference.py --check  # exit 1 if a page is stale
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))  # this checkout's package, installed or not

from mlops_scaffold.reference import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
