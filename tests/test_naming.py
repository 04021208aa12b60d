"""Project names in any language: the slug and package name are transliterated, always pass their
own rules, and a name that gives no usable slug is refused with a message that says so."""

from __future__ import annotations

import re

import copier
import pytest

from conftest import render
from mlops_scaffold.transliterate import slug
from tools import REPO

SLUG_RULE = re.compile(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$")
PACKAGE_RULE = re.compile(r"^[a-z][a-z0-9_]{1,38}[a-z0-9]$")

# name -> the slug copier derives (French, German, Danish/Polish, Russian, Greek, Chinese,
# Japanese, Arabic, and a name longer than a slug may be)
NAMES = {
    "Détection de fraude 2": "detection-de-fraude-2",
    "Straße Prognose": "strasse-prognose",
    "Ærø łódź Øresund": "aero-lodz-oresund",
    "Модель оттока": "model-ottoka",
    "Πρόβλεψη ζήτησης": "problepse-zeteses",
    "流失模型": "liu-shi-mo-xing",
    "需要予測 モデル": "xu-yao-yu-ce-moteru",
    "نموذج التنبؤ": "nmwdhj-ltnbw",
    "Customer Lifetime Value Forecasting And Retention Model": "customer-lifetime-value-forecasting-and",
}


@pytest.mark.parametrize(("name", "expected"), NAMES.items(), ids=list(NAMES.values()))
def test_slug_is_transliterated_and_passes_its_rule(name, expected):
    assert slug(name) == expected
    assert SLUG_RULE.match(slug(name))


def test_copier_derives_slug_package_and_cloud_names_from_a_non_latin_name(tmp_path):
    worker = copier.run_copy(
        str(REPO),
        tmp_path / "pretend",
        data={"project_name": "Модель оттока", "cloud_provider": "both"},
        defaults=True,
        unsafe=True,
        quiet=True,
        pretend=True,
    )
    answers = worker.answers.combined
    assert answers["project_slug"] == "model-ottoka"
    assert PACKAGE_RULE.match(answers["package_name"]) and answers["package_name"] == "model_ottoka"
    assert answers["gcp_project_id"] == "model-ottoka-ml"
    assert answers["dvc_bucket"] == "model-ottoka-dev-dvc"


def test_longest_slug_still_gives_a_valid_gcp_project_id(tmp_path):
    worker = copier.run_copy(
        str(REPO),
        tmp_path / "pretend",
        data={"project_name": "Customer Lifetime Value Forecasting And Retention Model", "cloud_provider": "gcp"},
        defaults=True,
        unsafe=True,
        quiet=True,
        pretend=True,
    )
    project_id = worker.answers.combined["gcp_project_id"]
    assert re.fullmatch(r"[a-z][a-z0-9-]{4,28}[a-z0-9]", project_id), project_id


def test_name_without_a_usable_slug_is_refused_and_nothing_is_written(tmp_path):
    destination = tmp_path / "project"
    with pytest.raises(ValueError, match="gives no usable slug") as error:
        render(destination, {"project_name": "\U00010330\U00010331\U00010332"})  # Gothic letters
    assert "project_name" in str(error.value)
    assert not destination.exists()
