"""Journal-style regression tables: one column per model (layer L4).

Each term takes two rows: the coefficient with its stars, and beneath it the standard error
(or the t statistic, or the confidence interval) in parentheses; a term a model does not have
is blank in that model's column. Model statistics (N, R², adjusted R²) follow. The models are
duck-typed (:class:`ModelLike`), so this module does not import :mod:`leftbehind.models`.

Stars default to * p < .05, ** p < .01, *** p < .001 (the seed study's cut-offs), strict
inequality; the default note says so. Note that statsmodels' ``summary_col`` uses other
cut-offs.

Examples
--------
>>> import pandas as pd
>>> from types import SimpleNamespace
>>> coefs = pd.DataFrame({"b": [11.47, 2.082], "se": [0.293, 1.084], "p": [1e-12, 0.055]},
...                      index=["Intercept", "C(migration)[T.mother]"])
>>> m1 = SimpleNamespace(coefficients=coefs, n=605, r2=0.008)
>>> t = regression_table({"(1)": m1}, labels={"C(migration)[T.mother]": "Mother away"})
>>> [(r.label, r.cells) for r in t.rows]
[('Mother away', ('2.082',)), ('', ('(1.084)',)), ('Constant', ('11.470***',)), ('', ('(0.293)',)), ('N', ('605',)), ('R²', ('0.008',))]
>>> t.notes
('Standard errors in parentheses. * p < .05, ** p < .01, *** p < .001.',)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from leftbehind.errors import InputError
from leftbehind.present.labels import Labels
from leftbehind.present.numfmt import DEFAULT_CUTOFFS, fmt, fmt_b_se, fmt_ci, fmt_int, is_missing, stars_note
from leftbehind.present.table import Row, Table

__all__ = ["ModelLike", "STAT_LABELS", "regression_table"]

#: Display names of the model statistics ``stats=`` may name.
STAT_LABELS: dict[str, str] = {"n": "N", "r2": "R²", "adj_r2": "Adjusted R²", "f": "F", "aic": "AIC",
                               "bic": "BIC", "rmse": "RMSE", "df_resid": "Residual df"}

_SE_NOTES = {"se": "Standard errors in parentheses.", "t": "t statistics in parentheses.",
             "ci": "Confidence intervals in brackets."}
_INTERCEPTS = ("Intercept", "const", "(Intercept)", "_cons")


class ModelLike(Protocol):
    """What :func:`regression_table` needs from a fitted model.

    ``coefficients`` is a DataFrame indexed by term name with columns ``b``, ``se``, ``t``,
    ``p``, ``ci_low``, ``ci_high`` (only ``b`` and those the chosen ``se_style`` uses are required;
    without ``p`` there are no stars);
    ``n``, ``r2`` and ``adj_r2`` are read when ``stats`` asks for them.
    """

    coefficients: Any
    n: int
    r2: float


def _check_columns(name: str, frame: Any, needed: Sequence[str]) -> None:
    columns = getattr(frame, "columns", None)
    if columns is None or not hasattr(frame, "index"):
        raise InputError(f"model {name!r} has no coefficients DataFrame",
                         hint="pass fitted results whose .coefficients is a DataFrame indexed by term")
    missing = [c for c in needed if c not in columns]
    if missing:
        raise InputError(f"the coefficients of model {name!r} lack the column(s) {', '.join(missing)}",
                         column=missing[0], hint="expected columns b, se, t, p, ci_low, ci_high")


def _default_terms(frames: Mapping[str, Any]) -> list[str]:
    order: list[str] = []
    for frame in frames.values():
        order += [str(t) for t in frame.index if str(t) not in order]
    return [t for t in order if t not in _INTERCEPTS] + [t for t in order if t in _INTERCEPTS]


def _second_line(record: Any, se_style: str, *, digits: int) -> str:
    """The t statistic in parentheses or the CI in brackets (the SE comes from fmt_b_se)."""
    if se_style == "ci":
        return fmt_ci(record["ci_low"], record["ci_high"], digits=digits)
    text = fmt(record["t"], digits)
    return f"({text})" if text else ""


def _stat(model: Any, key: str, *, digits: int, name: str) -> str:
    if not hasattr(model, key):
        raise InputError(f"model {name!r} has no statistic {key!r}",
                         hint=f"choose stats among {', '.join(STAT_LABELS)} that the models provide")
    value = getattr(model, key)
    if key in ("n", "df_resid") and not is_missing(value):
        return fmt_int(value)
    return fmt(value, digits)


def regression_table(models: Mapping[str, ModelLike], *, terms: Sequence[str] | None = None,
                     labels: Labels | Mapping[str, str] | None = None, se_style: str = "se",
                     stars: Sequence[float] = DEFAULT_CUTOFFS, digits: int = 3,
                     stats: Sequence[str] = ("n", "r2"), title: str | None = None,
                     notes: Sequence[str] = ()) -> Table:
    """Lay out fitted models side by side as a journal table.

    Parameters
    ----------
    models
        ``{column header: fitted model}`` in display order.
    terms
        Term names to show, in order; by default every term in order of first appearance
        with the intercept last. Naming a term no model has is an error.
    labels
        A :class:`~leftbehind.present.labels.Labels`, ``{term: label}``, or the data the models
        were fitted on (``read_data(...)`` or ``prepare(...)``): dummy terms such as
        ``C(care)[T.2]`` or ``C(care)[T.2.0]`` then show as the value label of code 2, other
        terms as their variable labels.
    se_style
        What goes beneath each coefficient: ``"se"`` (standard error), ``"t"`` (t statistic),
        both in parentheses, or ``"ci"`` (confidence interval in brackets).
    stars
        Star cut-offs (strict ``p < cutoff``); ``()`` for none.
    digits
        Decimal places of coefficients, their second line, and non-count statistics.
    stats
        Model statistics for the bottom rows: keys of :data:`STAT_LABELS` or any attribute.
    title
        Caption.
    notes
        Extra notes; a note about the parentheses and the stars comes first.

    Returns
    -------
    Table
        Coefficient rows (role ``body``), their second lines (role ``detail``, blank label)
        and statistic rows (role ``summary``).
    """
    if not isinstance(models, Mapping) or not models:
        raise InputError("regression_table needs a non-empty mapping {column header: model}",
                         hint="for example regression_table({'(1)': fit1, '(2)': fit2})")
    if se_style not in _SE_NOTES:
        raise InputError(f"unknown se_style {se_style!r}", hint="use 'se', 't' or 'ci'")
    if isinstance(terms, str) or isinstance(stats, str):
        raise InputError("terms and stats must be sequences of names, not one string",
                         hint="wrap a single name in a list: ['girl']")
    cutoffs = tuple(stars)
    needed = ["b"] + {"se": ["se"], "t": ["t"], "ci": ["ci_low", "ci_high"]}[se_style]
    frames: dict[str, Any] = {}
    for name, model in models.items():
        frame = getattr(model, "coefficients", None)
        _check_columns(str(name), frame, needed)
        if not frame.index.is_unique:
            raise InputError(f"the coefficients of model {name!r} repeat a term name",
                             hint="each term must appear once in the coefficient table's index")
        frames[str(name)] = frame
    if terms is None:
        terms = _default_terms(frames)
    else:
        terms = [str(t) for t in terms]
        known = {str(t) for frame in frames.values() for t in frame.index}
        unknown = [t for t in terms if t not in known]
        if unknown:
            raise InputError(f"no model has the term {unknown[0]!r}",
                             hint=f"terms in the models: {', '.join(sorted(known))}")
    lookup = Labels.coerce(labels)
    rows: list[Row] = []
    for term in terms:
        top, bottom = [], []
        for frame in frames.values():
            if term not in frame.index:
                top.append("")
                bottom.append("")
                continue
            record = frame.loc[term]
            coefficient, se_text = fmt_b_se(record["b"], record.get("se"), p=record.get("p"), digits=digits,
                                            cutoffs=cutoffs)
            top.append(coefficient)
            bottom.append(se_text if se_style == "se" else _second_line(record, se_style, digits=digits))
        rows.append(Row(lookup.term(term), tuple(top)))
        rows.append(Row("", tuple(bottom), role="detail"))
    for key in stats:
        cells = tuple(_stat(model, key, digits=digits, name=str(name)) for name, model in models.items())
        rows.append(Row(STAT_LABELS.get(key, key), cells, role="summary"))
    first_note = " ".join(part for part in (_SE_NOTES[se_style], stars_note(cutoffs)) if part)
    return Table(columns=tuple(frames), rows=tuple(rows), title=title, notes=(first_note, *notes))
