"""`terraform validate` skips where it cannot run, except where MLOPS_SCAFFOLD_REQUIRE_TF_VALIDATE=1
(the template's hosted CI) turns that skip into a failure."""

from __future__ import annotations

import pytest

import terraform_validate
from terraform_validate import REQUIRE_ENV, validate_roots


@pytest.fixture
def no_terraform(monkeypatch):
    monkeypatch.setattr(terraform_validate, "modern_terraform", lambda: None)


@pytest.fixture
def registry_outage(monkeypatch):
    monkeypatch.setattr(terraform_validate, "modern_terraform", lambda: "/usr/bin/terraform")
    monkeypatch.setattr(terraform_validate, "registry_reachable", lambda: False)
    monkeypatch.setattr(terraform_validate, "MIRRORS", [])


@pytest.mark.parametrize("cause", ["no_terraform", "registry_outage"])
def test_validate_skips_where_it_cannot_run(cause, request, monkeypatch, tmp_path):
    request.getfixturevalue(cause)
    monkeypatch.delenv(REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception):
        validate_roots(tmp_path, [tmp_path], {"google": (8, 7)}, tmp_path)


@pytest.mark.parametrize("cause", ["no_terraform", "registry_outage"])
def test_validate_fails_instead_where_it_is_required(cause, request, monkeypatch, tmp_path):
    request.getfixturevalue(cause)
    monkeypatch.setenv(REQUIRE_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match=REQUIRE_ENV):
        validate_roots(tmp_path, [tmp_path], {"google": (8, 7)}, tmp_path)
