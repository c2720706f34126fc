"""Granularity tests of printed summary statistics: GRIM, GRIMMER and percentage feasibility.

A mean of ``n`` integer values (or of sums of ``items`` integer items averaged per item) can only
take values ``T / (n * items)`` for an integer total ``T``; a printed mean that no such total
rounds to is impossible (GRIM: Brown & Heathers, 2017). For such data the sum of squares is an
integer of the same parity as the total, which bounds the printable standard deviations
(GRIMMER: Anaya, 2016). A percentage of ``n`` cases is ``100 k / n`` for an integer count ``k``.

Rounding follows the printed number: a value printed with ``d`` decimals stands for the interval
``[x - 0.5·10^-d, x + 0.5·10^-d]`` (both ends allowed, since rounding rules at the tie differ).

Examples
--------
>>> grim_totals(5.19, 28, decimals=2)       # 145/28 = 5.1786 rounds to 5.18, 146/28 = 5.214
[]
>>> grim_totals(5.18, 28, decimals=2)
[145]
>>> percent_counts(33.33, 3, decimals=2)
[1]
>>> grimmer_consistent(2.0, 1.58, 5, decimals_mean=1, decimals_sd=2)   # 0, 1, 2, 3, 4: sd 1.5811
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence


def decimals_of(value: float) -> int:
    """Number of decimals in the shortest printed form of ``value`` (``11.5`` -> 1, ``10.0`` -> 0)."""
    text = repr(float(value))
    if "e" in text or "E" in text:
        mantissa, exponent = text.lower().split("e")
        return max(0, len(mantissa.split(".")[1].rstrip("0")) - int(exponent)) if "." in mantissa else max(0, -int(exponent))
    fraction = text.split(".")[1].rstrip("0") if "." in text else ""
    return len(fraction)


def printed_decimals(value: float, *, significant: int = 3) -> int:
    """Decimals a coefficient was printed with: those it shows, but at least ``significant`` digits.

    Transcription drops trailing zeros (``2.10`` becomes ``2.1``, ``2.00`` becomes ``2``), so a
    value is assumed to have been printed with at least three significant digits.

    >>> printed_decimals(2.0), printed_decimals(17.72), printed_decimals(0.00435)
    (2, 2, 5)
    """
    if value == 0:
        return max(decimals_of(value), significant - 1)
    magnitude = math.floor(math.log10(abs(value)))
    return max(decimals_of(value), significant - 1 - magnitude)


def section_decimals(values: Iterable[float]) -> int:
    """Printed decimals of a table section: the most decimals any of its values shows.

    Published figures lose trailing zeros when transcribed (``6.90`` becomes ``6.9``), so a
    section's precision is read off the value that shows the most decimals.
    """
    return max((decimals_of(v) for v in values), default=0)


def _interval(value: float, decimals: int) -> tuple[float, float]:
    half = 0.5 * 10.0 ** (-decimals)
    eps = 1e-9 * max(1.0, abs(value))
    return value - half - eps, value + half + eps


def grim_totals(mean: float, n: int, *, decimals: int, items: int = 1) -> list[int]:
    """Integer totals ``T`` with ``T / (n * items)`` printing as ``mean`` (empty: GRIM-inconsistent)."""
    units = n * items
    lo, hi = _interval(mean, decimals)
    return list(range(math.ceil(lo * units), math.floor(hi * units) + 1))


def grimmer_consistent(mean: float, sd: float, n: int, *, decimals_mean: int, decimals_sd: int,
                       items: int = 1) -> bool:
    """Whether some integer data set of ``n`` cases prints as ``mean`` and sample SD ``sd``.

    For each GRIM-consistent total ``T`` (in item units) the sum of squares
    ``Q = (n - 1)·s² + T²/n`` must be an integer of the parity of ``T`` for some ``s`` within the
    SD's rounding interval. With ``items > 1`` (means of item means) only the GRIM part and the
    interval are checked, since the parity argument needs single integers.
    """
    lo_sd, hi_sd = _interval(sd, decimals_sd)
    lo_sd = max(lo_sd, 0.0)
    for total in grim_totals(mean, n, decimals=decimals_mean, items=items):
        scaled_total = total / items
        q_lo = (n - 1) * lo_sd**2 + scaled_total**2 / n
        q_hi = (n - 1) * hi_sd**2 + scaled_total**2 / n
        if items > 1:
            return True
        first = math.ceil(q_lo - 1e-9)
        if first % 2 != total % 2:
            first += 1
        if first <= q_hi + 1e-9:
            return True
    return False


def percent_counts(percent: float, n: int, *, decimals: int) -> list[int]:
    """Counts ``k`` (0..n) with ``100 k / n`` printing as ``percent`` (empty: impossible for ``n``)."""
    lo, hi = _interval(percent, decimals)
    return [k for k in range(math.ceil(lo * n / 100), math.floor(hi * n / 100) + 1) if 0 <= k <= n]


def feasible_ns(percents: Sequence[float], *, decimals: int, candidates: Iterable[int]) -> list[int]:
    """The ``n`` among ``candidates`` for which every percentage of a column is possible."""
    return [n for n in candidates if all(percent_counts(p, n, decimals=decimals) for p in percents)]
