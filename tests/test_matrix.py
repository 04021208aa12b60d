"""The render matrix is a covering array: every pair of the pairwise questions' values and every
value of every other closed choice appear, and it stays small by construction."""

from __future__ import annotations

from mlops_scaffold.matrix import EACH_VALUE, PAIRWISE, choices, questions, uncovered_pairs, uncovered_values, variants


def test_every_pair_of_pairwise_values_is_covered():
    assert uncovered_pairs(variants()) == []


def test_every_value_of_every_other_choice_is_covered():
    assert uncovered_values(variants()) == []


def test_every_closed_question_of_copier_yml_is_in_the_matrix():
    closed = {name for name, spec in questions().items() if "choices" in spec or spec.get("type") == "bool"}
    closed = {name for name in closed if questions()[name].get("when") is not False}
    assert closed <= set(PAIRWISE) | set(EACH_VALUE), closed - set(PAIRWISE) - set(EACH_VALUE)


def test_matrix_reaches_the_pairwise_lower_bound():
    sizes = sorted((len(choices(name)) for name in PAIRWISE), reverse=True)
    assert len(variants()) == sizes[0] * sizes[1] == 9


def test_checker_detects_a_missing_pair():
    rows = [dict(row) for row in variants()]
    del rows[0]
    assert uncovered_pairs(rows), "dropping a variant must leave a pair uncovered"
