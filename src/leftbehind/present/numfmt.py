"""The one number formatter of leftbehind (layer L4).

Every number that reaches a table, a report or the screen goes through this module, so a
coefficient is written the same way everywhere. Fixed-point formatting is Python's
``format(x, ".3f")``, which rounds the exact binary value of ``x`` correctly, exactly as C's
``printf`` and therefore R's ``sprintf("%.3f", x)`` and ``formatC(x, format = "f", digits = 3)``
do (``tests/reference/present/numfmt.R`` checks this). One deliberate difference from R: a
value that rounds to zero is written without a minus sign (``"0.000"``, not ``"-0.000"``).

Missing values (``None``, NaN, ``pd.NA``) become the empty string, so a blank cell means
"not estimated" and never a made-up number.

Examples
--------
>>> fmt(11.43333)
'11.433'
>>> fmt(-0.0001)
'0.000'
>>> fmt(float("nan"))
''
>>> fmt_p(0.0004), fmt_p(0.0312), fmt_p(0.0312, leading_zero=True)
('<.001', '.031', '0.031')
>>> stars(0.004), stars(0.05), stars(0.2)
('**', '', '')
>>> fmt_b_se(2.69, 1.1, p=0.015)
('2.690*', '(1.100)')
>>> fmt_int(1059, thousands=True), fmt_percent(0.9254, proportion=True)
('1,059', '92.54')
>>> fmt_ci(0.53, 4.85, digits=2)
'[0.53, 4.85]'
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

from leftbehind.errors import InputError

__all__ = [
    "DEFAULT_CUTOFFS",
    "fmt",
    "fmt_b_se",
    "fmt_ci",
    "fmt_int",
    "fmt_p",
    "fmt_percent",
    "is_missing",
    "stars",
    "stars_note",
]

#: Star cut-offs of the seed tables: * p < .05, ** p < .01, *** p < .001.
DEFAULT_CUTOFFS: tuple[float, ...] = (0.05, 0.01, 0.001)


def is_missing(x: object) -> bool:
    """Return True for ``None``, NaN, ``pd.NA`` and ``pd.NaT``.

    Examples
    --------
    >>> is_missing(None), is_missing(float("nan")), is_missing(0.0)
    (True, True, False)
    """
    if x is None:
        return True
    if isinstance(x, float):
        return math.isnan(x)
    import numpy as np
    import pandas as pd

    try:
        result = pd.isna(x)
    except (TypeError, ValueError):  # pragma: no cover - defensive
        return False
    return isinstance(result, (bool, np.bool_)) and bool(result)


def _as_float(x: object, what: str) -> float:
    if isinstance(x, bool):
        raise InputError(f"{what} must be a number, got the boolean {x!r}",
                         hint="convert booleans to 0/1 before formatting")
    if isinstance(x, (str, bytes)):
        raise InputError(f"{what} must be a number, got the text {x!r}",
                         hint="convert the column to numbers first (for example pandas.to_numeric)")
    try:
        return float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise InputError(f"{what} must be a number, got {x!r}",
                         hint="pass a number, or None/NaN for an empty cell") from exc


def _as_p(p: object) -> float:
    value = _as_float(p, "the p value")
    if not 0.0 <= value <= 1.0:
        raise InputError(f"a p value must lie between 0 and 1, got {value!r}",
                         hint="check that you passed the p value and not the test statistic")
    return value


def _check_digits(digits: int) -> int:
    if isinstance(digits, bool) or not isinstance(digits, numbers.Integral) or not 0 <= digits <= 15:
        raise InputError(f"digits must be a whole number from 0 to 15, got {digits!r}",
                         hint="use for example digits=3")
    return int(digits)


def fmt(x: object, digits: int = 3) -> str:
    """Format a number with ``digits`` decimals, like R's ``sprintf("%.3f", x)``.

    Parameters
    ----------
    x
        A number (Python, NumPy or pandas scalar); ``None`` or NaN gives ``""``.
    digits
        Decimal places (0-15).

    Returns
    -------
    str
        The formatted number; ``"Inf"``/``"-Inf"`` for infinities as in R, and no minus sign
        on a value that rounds to zero.

    Examples
    --------
    >>> fmt(11.4333), fmt(0.0005), fmt(2.675, 2), fmt(-3, 0)
    ('11.433', '0.001', '2.67', '-3')
    """
    digits = _check_digits(digits)
    if is_missing(x):
        return ""
    value = _as_float(x, "the value")
    if math.isinf(value):
        return "Inf" if value > 0 else "-Inf"
    text = format(value, f".{digits}f")
    if text.startswith("-") and not any(ch in "123456789" for ch in text):
        text = text[1:]
    return text


def _drop_leading_zero(text: str) -> str:
    if text.startswith("0."):
        return text[1:]
    if text.startswith("-0."):
        return "-" + text[2:]
    return text


def fmt_p(p: object, digits: int = 3, *, leading_zero: bool = False) -> str:
    """Format a p value: ``".031"``, and ``"<.001"`` below the smallest printable value.

    Parameters
    ----------
    p
        A probability in [0, 1]; ``None``/NaN gives ``""``.
    digits
        Decimal places; values below ``10**-digits`` are written ``"<.001"`` (for 3 digits).
    leading_zero
        False (default, APA style) drops the zero before the decimal point, because a p value
        cannot exceed 1; True keeps it (``"0.031"``, ``"<0.001"``).

    Examples
    --------
    >>> fmt_p(0.001), fmt_p(0.00099), fmt_p(1.0), fmt_p(0.5, 2, leading_zero=True)
    ('.001', '<.001', '1.000', '0.50')
    """
    digits = _check_digits(digits)
    if digits == 0:
        raise InputError("a p value needs at least one decimal place", hint="use digits=3")
    if is_missing(p):
        return ""
    value = _as_p(p)
    smallest = 10.0 ** -digits
    text = fmt(smallest if value < smallest else value, digits)
    if not leading_zero:
        text = _drop_leading_zero(text)
    return "<" + text if value < smallest else text


def _check_cutoffs(cutoffs: Sequence[float]) -> tuple[float, ...]:
    try:
        values = tuple(float(c) for c in cutoffs)
    except (TypeError, ValueError) as exc:
        raise InputError(f"star cut-offs must be numbers, got {cutoffs!r}",
                         hint="use for example stars=(0.05, 0.01, 0.001)") from exc
    if any(not 0.0 < c < 1.0 for c in values):
        raise InputError(f"star cut-offs must lie strictly between 0 and 1, got {cutoffs!r}",
                         hint="use for example stars=(0.05, 0.01, 0.001)")
    if len(set(values)) != len(values):
        raise InputError(f"star cut-offs must differ from each other, got {cutoffs!r}",
                         hint="use for example stars=(0.05, 0.01, 0.001)")
    return tuple(sorted(values, reverse=True))


def stars(p: object, cutoffs: Sequence[float] = DEFAULT_CUTOFFS, *, symbol: str = "*") -> str:
    """Significance stars: one ``symbol`` per cut-off that ``p`` is strictly below.

    Parameters
    ----------
    p
        A p value; ``None``/NaN gives ``""``.
    cutoffs
        The cut-offs in any order (sorted internally); default ``(0.05, 0.01, 0.001)``.
        Pass ``()`` for no stars at all.
    symbol
        The character repeated (``"*"``; some journals use ``"+"`` for p < .10).

    Examples
    --------
    >>> [stars(p) for p in (0.0009, 0.001, 0.0099, 0.049, 0.05)]
    ['***', '**', '**', '*', '']
    >>> stars(0.08, (0.1, 0.05))
    '*'
    """
    levels = _check_cutoffs(cutoffs)
    if is_missing(p):
        return ""
    value = _as_p(p)
    return symbol * sum(1 for c in levels if value < c)


def _fmt_cutoff(c: float) -> str:
    return _drop_leading_zero(format(c, "g"))


def stars_note(cutoffs: Sequence[float] = DEFAULT_CUTOFFS, *, symbol: str = "*") -> str:
    """The sentence a table note uses to explain its stars.

    Examples
    --------
    >>> stars_note()
    '* p < .05, ** p < .01, *** p < .001.'
    >>> stars_note(())
    ''
    """
    levels = _check_cutoffs(cutoffs)
    if not levels:
        return ""
    return ", ".join(f"{symbol * (i + 1)} p < {_fmt_cutoff(c)}" for i, c in enumerate(levels)) + "."


def fmt_percent(x: object, digits: int = 2, *, proportion: bool = False, sign: bool = False) -> str:
    """Format a percentage.

    Parameters
    ----------
    x
        A percentage (43.05), or a proportion (0.4305) with ``proportion=True``.
    digits
        Decimal places (2 as in the seed's Table 1).
    proportion
        Multiply by 100 first.
    sign
        Append ``"%"``.

    Examples
    --------
    >>> fmt_percent(43.05), fmt_percent(0.881, 1, proportion=True, sign=True), fmt_percent(None)
    ('43.05', '88.1%', '')
    """
    if is_missing(x):
        _check_digits(digits)
        return ""
    value = _as_float(x, "the percentage")
    text = fmt(value * 100.0 if proportion else value, digits)
    return text + "%" if sign else text


def fmt_int(n: object, *, thousands: bool = False, separator: str = ",") -> str:
    """Format a count (a whole number), optionally with a thousands separator.

    Raises :class:`~leftbehind.errors.InputError` when ``n`` has a fractional part.

    Examples
    --------
    >>> fmt_int(605), fmt_int(1059.0, thousands=True), fmt_int(-12345, thousands=True, separator=" ")
    ('605', '1,059', '-12 345')
    """
    if is_missing(n):
        return ""
    if isinstance(n, numbers.Integral) and not isinstance(n, bool):
        value = int(n)
    else:
        number = _as_float(n, "the count")
        if math.isinf(number) or number != math.floor(number):
            raise InputError(f"a count must be a whole number, got {n!r}",
                             hint="use fmt() for numbers with decimals")
        value = int(number)
    if not thousands:
        return str(value)
    return format(value, ",").replace(",", separator)


def fmt_ci(low: object, high: object, *, digits: int = 3, brackets: str = "[]", separator: str = ", ") -> str:
    """Format a confidence interval as ``"[low, high]"``; blank if either end is missing.

    Examples
    --------
    >>> fmt_ci(-0.12, 1.5), fmt_ci(1, 2, digits=1, brackets="()"), fmt_ci(None, 2)
    ('[-0.120, 1.500]', '(1.0, 2.0)', '')
    """
    if len(brackets) != 2:
        raise InputError(f"brackets must be two characters, got {brackets!r}", hint='use "[]" or "()"')
    if is_missing(low) or is_missing(high):
        _check_digits(digits)
        return ""
    return f"{brackets[0]}{fmt(low, digits)}{separator}{fmt(high, digits)}{brackets[1]}"


def fmt_b_se(b: object, se: object, *, p: object = None, digits: int = 3,
             cutoffs: Sequence[float] = DEFAULT_CUTOFFS) -> tuple[str, str]:
    """A coefficient with its stars and its standard error in parentheses, as two cells.

    Parameters
    ----------
    b, se
        Coefficient and standard error.
    p
        The p value that sets the stars (no stars when missing).
    digits
        Decimal places of both numbers.
    cutoffs
        Star cut-offs (see :func:`stars`).

    Examples
    --------
    >>> fmt_b_se(-1.797, 0.252, p=1e-9)
    ('-1.797***', '(0.252)')
    >>> fmt_b_se(None, None)
    ('', '')
    """
    top = fmt(b, digits)
    if top:
        top += stars(p, cutoffs)
    else:
        _check_cutoffs(cutoffs)
    bottom = fmt(se, digits)
    return top, f"({bottom})" if bottom else ""
