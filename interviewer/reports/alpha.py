"""Krippendorff's alpha from a coincidence matrix (Krippendorff 2011, "Computing
Krippendorff's Alpha-Reliability").

The reliability report builds the coincidence matrix in SQL (at most 4 x 4 cells per skill)
and hands it here; `coincidences` builds the same matrix from a list of units for tests and
small data. Values are numbers (the 1-4 rating scale); a missing value is simply absent.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

Matrix = Mapping[tuple[float, float], float]

METRICS = ("nominal", "ordinal", "interval")


def coincidences(units: Iterable[Iterable[float | None]]) -> dict[tuple[float, float], float]:
    """The coincidence matrix o_ck of units given as the values their coders gave.

    Each unit with m_u >= 2 values adds n_c * (n_k - [c = k]) / (m_u - 1) to cell (c, k);
    None is a missing value and units with fewer than two values are not pairable.
    """
    matrix: dict[tuple[float, float], float] = {}
    for unit in units:
        counts = Counter(value for value in unit if value is not None)
        m_u = sum(counts.values())
        if m_u < 2:
            continue
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                pairs = n_c * (n_k - (c == k))
                if pairs:
                    matrix[c, k] = matrix.get((c, k), 0.0) + pairs / (m_u - 1)
    return matrix


def pairable(matrix: Matrix) -> float:
    """n, the number of pairable values: the sum of the coincidence matrix."""
    return sum(matrix.values())


def alpha(matrix: Matrix, metric: str = "ordinal") -> float | None:
    """Krippendorff's alpha = 1 - D_o / D_e for the given metric.

    None when there is nothing to say: fewer than two pairable values, or every value the
    same (no variation, so expected disagreement is 0 and alpha is undefined).
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    totals: dict[float, float] = {}
    for (c, _k), count in matrix.items():
        totals[c] = totals.get(c, 0.0) + count
    n = sum(totals.values())
    if n <= 1:
        return None
    delta = _distance(metric, totals)
    observed = sum(count * delta(c, k) for (c, k), count in matrix.items())
    expected = sum(
        n_c * n_k * delta(c, k) for c, n_c in totals.items() for k, n_k in totals.items()
    )
    if expected == 0:
        return None
    return 1 - (n - 1) * observed / expected


def _distance(metric: str, totals: Mapping[float, float]):
    """The squared difference function delta^2(c, k) of the metric."""
    if metric == "nominal":
        return lambda c, k: float(c != k)
    if metric == "interval":
        return lambda c, k: float(c - k) ** 2
    values = sorted(totals)
    rank = {value: index for index, value in enumerate(values)}
    # Cumulative marginals: cumulative[i] = sum of n_g for the first i values.
    cumulative = [0.0]
    for value in values:
        cumulative.append(cumulative[-1] + totals[value])

    def ordinal(c, k):
        low, high = sorted((rank[c], rank[k]))
        between = cumulative[high + 1] - cumulative[low]
        return (between - (totals[c] + totals[k]) / 2) ** 2

    return ordinal
