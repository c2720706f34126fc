"""Formula helpers shared by the models package: variables of a formula, validation, sample.

A formula is parsed with patsy (the engine statsmodels uses), the Python expression of every
factor is walked to find the data columns it reads, and unknown names become an
:class:`~leftbehind.errors.InputError` listing close matches.

Examples
--------
>>> formula_variables("y ~ C(g, Treatment('none')) * x + np.log(z) + Q('a b')")
['y', 'g', 'x', 'z', 'a b']
"""

from __future__ import annotations

import ast
import difflib
import keyword
from collections.abc import Iterable

import numpy as np
import pandas as pd

from leftbehind.errors import InputError

# Functions a formula may call (formulas can come from a stranger's study.toml, and patsy
# evaluates them as Python, so anything else is refused before patsy sees it).
_FUNCTIONS = frozenset({
    "C", "I", "Q", "Treatment", "Sum", "Diff", "Poly", "Helmert", "center", "standardize",
    "scale", "bs", "cr", "cc", "te", "abs", "round",
})
_NUMPY_FUNCTIONS = frozenset({
    "log", "log1p", "log2", "log10", "exp", "sqrt", "square", "abs", "power", "clip", "sign",
})
# Names patsy resolves without the data.
_KNOWN_NAMES = _FUNCTIONS | {"np", "True", "False", "None"}
_ALLOWED_NODES = (ast.Expression, ast.Call, ast.Name, ast.Attribute, ast.Constant, ast.BinOp,
                  ast.UnaryOp, ast.Compare, ast.BoolOp, ast.keyword, ast.Load, ast.operator,
                  ast.unaryop, ast.cmpop, ast.boolop, ast.Tuple, ast.List)


def _check_safe(tree: ast.AST, code: str, formula: str) -> None:
    """Refuse anything in a formula term beyond column names, constants and allowed calls."""
    def refuse(what: str) -> None:
        raise InputError(f"formula {formula!r} uses {what} in {code!r}, which is not allowed",
                         key="formula", hint="use column names, arithmetic inside I(...), C(...), "
                         "Q('name') and np." + "/np.".join(sorted(_NUMPY_FUNCTIONS)))

    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            refuse(type(node).__name__)
        if isinstance(node, ast.Name) and node.id.startswith("_"):
            refuse(f"the name {node.id!r}")
        if isinstance(node, ast.Attribute):
            if not (isinstance(node.value, ast.Name) and node.value.id == "np"
                    and node.attr in _NUMPY_FUNCTIONS):
                refuse(f"the attribute {node.attr!r}")
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id not in _FUNCTIONS:
                refuse(f"the function {func.id!r}")
            if not isinstance(func, (ast.Name, ast.Attribute)):
                refuse("a computed function call")


def _parse_desc(formula: str):
    import patsy

    if not isinstance(formula, str) or "~" not in formula:
        raise InputError(f"formula {formula!r} has no '~' between outcome and predictors",
                         key="formula", hint="write it as 'outcome ~ predictor + predictor'")
    try:
        return patsy.ModelDesc.from_formula(formula)
    except patsy.PatsyError as exc:
        raise InputError(f"formula {formula!r} cannot be parsed: {exc.message}", key="formula",
                         hint="check brackets, quotes and operators (+ * : -)") from None


def _roles(code: str, formula: str) -> tuple[list[str], set[str]]:
    """Split the names of one factor expression into data columns and functions/namespaces.

    A name is a function when it is called (``C(...)``), the base of an attribute (``np.log``)
    or a contrast passed to ``C`` (``C(g, Sum)``); any other name, even ``C`` or ``np``, reads
    a column. ``Q('a b')`` reads the column ``a b``.
    """
    try:
        tree = ast.parse(code, mode="eval")
    except SyntaxError:
        raise InputError(f"formula {formula!r} cannot be parsed near {code!r}", key="formula",
                         hint="every term must be a column name or a Python expression") from None
    _check_safe(tree, code, formula)
    functions: set[str] = set()
    not_columns: set[int] = set()
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            not_columns.add(id(node.func))
            if isinstance(node.func, ast.Name):
                functions.add(node.func.id)
                if node.func.id == "Q" and node.args:
                    arg = node.args[0]
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        found.append(arg.value)
                if node.func.id == "C":
                    contrasts = node.args[1:] + [kw.value for kw in node.keywords]
                    for arg in contrasts:
                        if isinstance(arg, ast.Name) and arg.id in _FUNCTIONS:
                            not_columns.add(id(arg))
                            functions.add(arg.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            not_columns.add(id(node.value))
            functions.add(node.value.id)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and id(node) not in not_columns:
            found.append(node.id)
    # keep the order of appearance
    order = {name: code.find(name) for name in found}
    return sorted(dict.fromkeys(found), key=lambda n: order[n]), functions


def code_variables(code: str, formula: str = "") -> list[str]:
    """Names of the data columns read by one factor expression such as ``C(g, Treatment('a'))``."""
    return _roles(code, formula)[0]


def _factor_codes(formula: str) -> list[str]:
    desc = _parse_desc(formula)
    return [factor.code for term in list(desc.lhs_termlist) + list(desc.rhs_termlist)
            for factor in term.factors]


def formula_functions(formula: str) -> set[str]:
    """Names a formula uses as functions or namespaces (``C``, ``Treatment``, ``np``, ``Q`` ...).

    A data column of that name would shadow the function when patsy evaluates the formula.

    Examples
    --------
    >>> sorted(formula_functions("y ~ C(g, Treatment('a')) + np.log(x) + C"))
    ['C', 'Treatment', 'np']
    """
    return set().union(*(_roles(code, formula)[1] for code in _factor_codes(formula)))


def formula_variables(formula: str) -> list[str]:
    """Return the data columns a formula reads, outcome first, each once.

    Parameters
    ----------
    formula
        A patsy formula such as ``"y ~ C(g, Treatment('none')) * x"``.

    Raises
    ------
    InputError
        If patsy cannot parse the formula.
    """
    names: list[str] = []
    for code in _factor_codes(formula):
        names.extend(code_variables(code, formula))
    return list(dict.fromkeys(names))


def outcome_name(formula: str) -> str:
    """Return the single outcome column of ``formula`` (InputError if there is not exactly one)."""
    desc = _parse_desc(formula)
    codes = [f.code for t in desc.lhs_termlist for f in t.factors]
    if len(codes) != 1:
        raise InputError(f"formula {formula!r} must have exactly one outcome left of '~'",
                         key="formula", hint="write it as 'outcome ~ predictors'")
    return codes[0]


def check_columns(data: pd.DataFrame, names: Iterable[str], *, key: str = "formula") -> None:
    """Raise InputError for the first name that is not a column of ``data``, with close matches."""
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"data must be a pandas DataFrame, not {type(data).__name__}", key="data",
                         hint="read the data with pandas or leftbehind.survey first")
    columns = [str(c) for c in data.columns]
    for name in names:
        if name not in data.columns:
            close = difflib.get_close_matches(name, columns, n=3, cutoff=0.6)
            hint = (f"did you mean {', '.join(repr(c) for c in close)}?" if close
                    else f"available columns: {', '.join(columns[:12])}"
                    + (" ..." if len(columns) > 12 else ""))
            raise InputError(f"unknown column {name!r} in the {key}", column=name, hint=hint)


def complete_cases(data: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """Return the rows of ``data`` with no missing value in ``columns`` (listwise deletion)."""
    cols = list(dict.fromkeys(columns))
    keep = data[cols].notna().all(axis=1).to_numpy()
    return data.loc[keep]


def term_code(column: str) -> str:
    """Return how a column is written inside a formula (``Q("a b")`` when not an identifier)."""
    if column.isidentifier() and not keyword.iskeyword(column) and column not in _KNOWN_NAMES:
        return column
    return "Q(" + repr(column) + ")"


def rhs_terms(formula: str) -> list[tuple[str, ...]]:
    """Return each right-hand-side term as a tuple of factor codes (intercept = empty tuple)."""
    desc = _parse_desc(formula)
    return [tuple(f.code for f in term.factors) for term in desc.rhs_termlist]


def sample_sd(values: np.ndarray) -> np.ndarray:
    """Column standard deviations with n - 1 in the denominator."""
    return np.std(values, axis=0, ddof=1)


def design_info(model: object) -> object:
    """The patsy ``DesignInfo`` of a fitted statsmodels formula model.

    statsmodels 0.15 keeps it as ``model.data.model_spec`` (``design_info`` is deprecated
    there); 0.14 only as ``model.data.design_info``.
    """
    data = model.data  # type: ignore[attr-defined]
    spec = getattr(data, "model_spec", None)
    return spec if spec is not None else data.design_info
