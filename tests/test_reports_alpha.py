"""Krippendorff's alpha against the paper's worked examples and an independent implementation."""

import math
import random

import krippendorff
import numpy as np
import pytest

from interviewer.reports.alpha import alpha, coincidences, pairable

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four observers
# (rows), twelve units (columns), "." = the observer did not code the unit.
PAPER_MATRIX = """
A  1 2 3 3 2 1 4 1 2 . . .
B  1 2 3 3 2 2 4 1 2 5 . 3
C  . 3 3 3 2 3 4 2 2 5 1 .
D  1 2 3 3 2 4 4 1 2 5 1 .
"""

# Section A: two observers, ten units, binary values.
BINARY_MATRIX = """
A  0 1 0 0 0 0 0 0 1 0
B  1 1 1 0 0 1 0 0 0 0
"""


def units_of(text):
    rows = [line.split()[1:] for line in text.strip().splitlines()]
    return [
        [None if value == "." else int(value) for value in unit] for unit in zip(*rows, strict=True)
    ]


def test_the_papers_coincidence_matrix_has_forty_pairable_values():
    matrix = coincidences(units_of(PAPER_MATRIX))
    # Unit 12 has a single value and is not pairable; the others give n = 40.
    assert pairable(matrix) == pytest.approx(40)
    # Cells and margins as tabulated in the paper.
    assert matrix[1, 1] == pytest.approx(7)
    assert matrix[1, 2] == pytest.approx(4 / 3)
    assert matrix[2, 2] == pytest.approx(10)
    assert matrix[5, 5] == pytest.approx(3)
    margins = {c: sum(v for (a, _), v in matrix.items() if a == c) for c in range(1, 6)}
    assert margins == pytest.approx({1: 9, 2: 13, 3: 10, 4: 5, 5: 3})
    assert matrix[1, 2] == matrix[2, 1]


@pytest.mark.parametrize(
    ("metric", "expected"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)]
)
def test_alpha_matches_the_papers_example_with_missing_data(metric, expected):
    assert round(alpha(coincidences(units_of(PAPER_MATRIX)), metric), 3) == expected


def test_alpha_matches_the_papers_two_coder_binary_example():
    assert round(alpha(coincidences(units_of(BINARY_MATRIX)), "nominal"), 3) == 0.095


def test_perfect_agreement_is_one_and_no_variation_is_undefined():
    assert alpha(coincidences([[1, 1], [4, 4], [2, 2, 2]])) == 1
    assert alpha(coincidences([[3, 3], [3, 3, 3]])) is None


def test_no_pairable_values_is_undefined():
    assert alpha(coincidences([[1], [None, 4], []])) is None
    assert alpha({}) is None


def test_ordinal_distance_uses_the_margins_not_the_numbers():
    # Ordinal alpha is unchanged by relabelling the values with other increasing numbers;
    # interval alpha is not.
    units = [[1, 2], [2, 3], [1, 1], [3, 3], [1, 3]]
    relabelled = [[{1: 1, 2: 2, 3: 10}[v] for v in unit] for unit in units]
    assert alpha(coincidences(units), "ordinal") == pytest.approx(
        alpha(coincidences(relabelled), "ordinal")
    )
    assert alpha(coincidences(units), "interval") != pytest.approx(
        alpha(coincidences(relabelled), "interval")
    )


def test_unknown_metric_is_refused():
    with pytest.raises(ValueError):
        alpha({(1, 2): 1, (2, 1): 1}, "ratio")


def random_ratings(rng, coders, units, missing):
    return [
        [None if rng.random() < missing else rng.randint(1, 4) for _ in range(coders)]
        for _ in range(units)
    ]


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("metric", ["nominal", "ordinal", "interval"])
def test_alpha_agrees_with_the_krippendorff_package_on_random_ratings(seed, metric):
    rng = random.Random(seed)
    units = random_ratings(rng, coders=rng.randint(2, 5), units=rng.randint(5, 40), missing=0.3)
    # Some units where coders tend to agree, so alpha is not always near zero.
    units += [[v, v, None if rng.random() < 0.5 else v] for v in rng.choices([1, 2, 3, 4], k=8)]
    ours = alpha(coincidences(units), metric)
    width = max(len(unit) for unit in units)
    padded = [
        [np.nan if v is None else v for v in unit] + [np.nan] * (width - len(unit))
        for unit in units
    ]
    data = np.array(padded, dtype=float).T
    theirs = krippendorff.alpha(
        reliability_data=data, level_of_measurement=metric, value_domain=[1, 2, 3, 4]
    )
    if ours is None:
        assert math.isnan(theirs)
    else:
        assert ours == pytest.approx(theirs, abs=1e-9)
