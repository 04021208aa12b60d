"""Derive ASCII identifiers (slug, package name) from a project name in any language.

Loaded by copier.yml's `_jinja_extensions` by file path (copier-template-extensions), so it must
import nothing from this package. Transliteration is python-slugify's (text-unidecode tables):
"Détection de fraude 2" -> "detection-de-fraude-2", "Straße" -> "strasse", "Модель" -> "model".
"""

from __future__ import annotations

from jinja2 import Environment
from jinja2.ext import Extension
from slugify import slugify

SLUG_MAX_LENGTH = 40


def slug(name: str) -> str:
    """Lowercase ASCII words joined by '-', cut at a word boundary to at most 40 characters."""
    return slugify(str(name), max_length=SLUG_MAX_LENGTH, word_boundary=True, regex_pattern=r"[^a-z0-9]+")


class TransliterationExtension(Extension):
    """Adds the `slug` filter to copier's Jinja environment."""

    def __init__(self, environment: Environment):
        super().__init__(environment)
        environment.filters["slug"] = slug
