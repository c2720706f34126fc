"""Display labels: variable labels, value labels and readable names of model terms (layer L4).

Column names stay snake_case everywhere in the code; what a reader sees comes from here.
:meth:`Labels.term` turns the term names that statsmodels/patsy print into labels:

- ``Intercept`` (formula API) and ``const`` (array API) → ``"Constant"``;
- ``C(migration, Treatment('none'))[T.mother]``, ``C(migration)[T.mother]`` and
  ``migration[T.mother]`` → the value label of ``mother`` in ``migration``, or
  ``"<variable label>: mother"`` when that level has no value label;
- ``a:b`` (an interaction) → ``"<label of a> × <label of b>"``;
- ``I(age ** 2)`` → ``"<label of age>²"``; ``np.log(income)`` → ``"log(<label of income>)"``;
- anything else → its variable label, or the name unchanged.

The parser respects parentheses, brackets and quotes, so a level or a reference such as
``Treatment(reference='a:b')`` does not split a term.

Examples
--------
>>> labels = Labels(variables={"migration": "Parental migration", "belong": "School belonging"},
...                 values={"migration": {"mother": "Mother only away", "none": "Neither away"}})
>>> labels.term("C(migration, Treatment('none'))[T.mother]")
'Mother only away'
>>> labels.term("migration[T.mother]:belong")
'Mother only away × School belonging'
>>> labels.term("Intercept"), labels.term("age")
('Constant', 'age')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from leftbehind.errors import InputError

__all__ = ["Labels", "TermPart", "parse_term", "split_top_level"]

_INTERCEPTS = frozenset({"Intercept", "const", "(Intercept)", "_cons"})
_CONTRAST_PREFIX = re.compile(r"^[TSDH]\.")
_IDENTIFIER = re.compile(r"^[A-Za-z_\u00c0-\uffff][\w.\u00c0-\uffff]*$")
_POWER = re.compile(r"^I\(\s*(?P<var>[^()]+?)\s*\*\*\s*(?P<power>\d+)\s*\)$")
_FUNCTION = re.compile(r"^(?:(?:np|numpy|math)\.)?(?P<func>[A-Za-z_]\w*)\((?P<arg>.*)\)$", re.S)
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def split_top_level(text: str, separator: str) -> list[str]:
    """Split ``text`` on a one-character ``separator`` outside (), quotes and level brackets.

    A level bracket opens with ``[`` outside parentheses and closes with the ``]`` that ends
    the text or precedes ``separator``, so interval levels such as ``[12, 14)`` survive.

    Examples
    --------
    >>> split_top_level("C(g, Treatment('a:b'))[T.x]:z", ":")
    ["C(g, Treatment('a:b'))[T.x]", 'z']
    >>> split_top_level("age_band[T.[12, 14)]:girl", ":")
    ['age_band[T.[12, 14)]', 'girl']
    """
    parts, depth, quote, start, in_level = [], 0, "", 0, False
    for index, ch in enumerate(text):
        if in_level:
            following = text[index + 1:index + 2]
            if ch == "]" and following in ("", separator):
                in_level = False
        elif quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "[" and depth == 0:
            in_level = True
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(depth - 1, 0)
        elif ch == separator and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


@dataclass(frozen=True)
class TermPart:
    """One factor of a (possibly interacted) term: an expression and, for a dummy, its level."""

    expression: str
    variable: str
    level: str | None = None


def _strip_level(text: str) -> tuple[str, str | None]:
    """Split ``'expr[T.level]'`` into ``('expr', 'level')``; no level → ``(text, None)``."""
    if not text.endswith("]"):
        return text, None
    depth, quote = 0, ""
    for index, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "({":
            depth += 1
        elif ch in ")}":
            depth = max(depth - 1, 0)
        elif ch == "[" and depth == 0:
            if index == 0:
                return text, None
            return text[:index], _CONTRAST_PREFIX.sub("", text[index + 1:-1], count=1)
    return text, None


def _variable_of(expression: str) -> str:
    """The variable inside ``C(var, ...)``; other expressions are returned stripped."""
    expression = expression.strip()
    if expression.startswith("C(") and expression.endswith(")"):
        inner = expression[2:-1]
        return split_top_level(inner, ",")[0].strip()
    return expression


def parse_term(term: str) -> tuple[TermPart, ...]:
    """Parse a statsmodels/patsy term name into its interacted parts.

    Examples
    --------
    >>> parse_term("C(migration, Treatment(reference='none'))[T.mother]:belong")
    (TermPart(expression="C(migration, Treatment(reference='none'))", variable='migration', level='mother'), TermPart(expression='belong', variable='belong', level=None))
    """
    if not isinstance(term, str) or not term.strip():
        raise InputError(f"a model term name must be a non-empty string, got {term!r}",
                         hint="pass the names of the coefficient table's index")
    parts = []
    for piece in split_top_level(term.strip(), ":"):
        expression, level = _strip_level(piece.strip())
        parts.append(TermPart(expression=expression, variable=_variable_of(expression), level=level))
    return tuple(parts)


def _freeze(mapping: Mapping[Any, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Labels:
    """Variable labels, value labels and term labels, with fall-backs to the raw names.

    Parameters
    ----------
    variables
        ``{variable: label}``.
    values
        ``{variable: {value: label}}``; values may be numbers or strings (compared as text,
        so ``{1: "Strongly disagree"}`` matches the level ``"1"`` and ``"1.0"``).
    terms
        ``{term name: label}`` overrides for whole term names.
    intercept
        The label of the intercept.

    Examples
    --------
    >>> Labels(values={"grade": {8: "Grade 8"}}).term("C(grade)[T.8]")
    'Grade 8'
    >>> Labels(variables={"grade": "Grade"}).term("C(grade)[T.8]")
    'Grade: 8'
    """

    variables: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[Any, str]] = field(default_factory=dict)
    terms: Mapping[str, str] = field(default_factory=dict)
    intercept: str = "Constant"

    def __post_init__(self) -> None:
        for name in ("variables", "values", "terms"):
            if not isinstance(getattr(self, name), Mapping):
                raise InputError(f"Labels({name}=...) must be a mapping, got {type(getattr(self, name)).__name__}",
                                 hint="pass a dict such as {'girl': 'Girl'}")
        values = {str(k): _freeze({_value_key(v): str(t) for v, t in dict(m).items()})
                  for k, m in self.values.items()}
        object.__setattr__(self, "variables", _freeze({str(k): str(v) for k, v in self.variables.items()}))
        object.__setattr__(self, "values", _freeze(values))
        object.__setattr__(self, "terms", _freeze({str(k): str(v) for k, v in self.terms.items()}))

    @classmethod
    def coerce(cls, labels: Labels | Mapping[str, str] | Any | None) -> Labels:
        """Accept a :class:`Labels`, a plain ``{name: label}`` mapping (used for variables and
        whole terms), data read by :func:`~leftbehind.survey.read_data` or prepared by
        :func:`~leftbehind.survey.prepare` (see :meth:`from_data`), or ``None``.

        Examples
        --------
        >>> Labels.coerce({"girl": "Girl"}).term("girl")
        'Girl'
        """
        if labels is None:
            return cls()
        if isinstance(labels, Labels):
            return labels
        if isinstance(labels, Mapping):
            return cls(variables=labels, terms=labels)
        if hasattr(labels, "variable_labels") and hasattr(labels, "value_labels"):
            return cls.from_data(labels)
        raise InputError(f"labels must be a Labels object or a mapping, got {type(labels).__name__}",
                         hint="pass Labels(variables=..., values=...) or a dict {name: label}")

    @classmethod
    def from_data(cls, data: Any, **overrides: Any) -> Labels:
        """The variable and value labels a data set carries: a
        :class:`~leftbehind.survey.SurveyData` (from the ``.sav``/``.dta`` file) or a
        :class:`~leftbehind.survey.PreparedSurvey` (data file overridden by the study file).

        ``overrides`` (``variables=``, ``values=``, ``terms=``) are merged over them.

        Examples
        --------
        >>> from types import SimpleNamespace
        >>> data = SimpleNamespace(variable_labels={"care": "Caregiver"},
        ...                        value_labels={"care": {1: "Both home", 2: "Father away"}})
        >>> labels = Labels.from_data(data)
        >>> labels.term("C(care)[T.2.0]"), labels.term("C(care)[T.3]")
        ('Father away', 'Caregiver: 3')

        R: ``labelled::var_label(df)`` and ``labelled::val_labels(df)`` on a file read by haven.
        """
        variables = getattr(data, "variable_labels", None)
        values = getattr(data, "value_labels", None)
        if not isinstance(variables, Mapping) or not isinstance(values, Mapping):
            raise InputError(f"Labels.from_data needs data with variable_labels and value_labels, got "
                             f"{type(data).__name__}", hint="pass read_data(path) or prepare(study)")
        found = cls(variables={k: v for k, v in variables.items() if v}, values=values)
        return found.merged(cls(**overrides)) if overrides else found

    def merged(self, other: Labels) -> Labels:
        """A new :class:`Labels` where ``other`` overrides ``self``."""
        values = {k: dict(v) for k, v in self.values.items()}
        for variable, mapping in other.values.items():
            values.setdefault(variable, {}).update(mapping)
        return Labels(variables={**self.variables, **other.variables}, values=values,
                      terms={**self.terms, **other.terms}, intercept=other.intercept)

    def variable(self, name: str) -> str:
        """The label of variable ``name``, or ``name`` itself."""
        return self.variables.get(str(name), str(name))

    def value(self, variable: str, level: Any) -> str:
        """The label of ``level`` in ``variable``, or the level as text.

        Examples
        --------
        >>> Labels(values={"siblings": {0: "None", 1: "One"}}).value("siblings", 1.0)
        'One'
        """
        return self.values.get(str(variable), {}).get(_value_key(level), _level_text(level))

    def has_value(self, variable: str, level: Any) -> bool:
        """True when ``level`` of ``variable`` has a value label."""
        return _value_key(level) in self.values.get(str(variable), {})

    def term(self, term: str) -> str:
        """A readable label for a statsmodels/patsy term name (see the module docstring)."""
        if term in self.terms:
            return self.terms[term]
        if term in _INTERCEPTS:
            return self.intercept
        return " × ".join(self._part(part) for part in parse_term(term))

    def _part(self, part: TermPart) -> str:
        if part.level is not None:
            if self.has_value(part.variable, part.level):
                return self.value(part.variable, part.level)
            return f"{self._expression(part.variable)}: {_level_text(_number_or_text(part.level))}"
        return self._expression(part.expression)

    def _expression(self, expression: str) -> str:
        expression = expression.strip()
        if expression in self.terms:
            return self.terms[expression]
        if expression in self.variables or _IDENTIFIER.match(expression):
            return self.variable(expression)
        if expression.startswith("C(") and expression.endswith(")"):
            return self.variable(_variable_of(expression))
        power = _POWER.match(expression)
        if power:
            return self._expression(power["var"]) + power["power"].translate(_SUPERSCRIPTS)
        function = _FUNCTION.match(expression)
        if function and function["func"] != "I":
            return f"{function['func']}({self._expression(function['arg'])})"
        return expression

    def to_dict(self) -> dict:
        """JSON-safe form."""
        return {"variables": dict(self.variables), "values": {k: dict(v) for k, v in self.values.items()},
                "terms": dict(self.terms), "intercept": self.intercept}


def _level_text(level: Any) -> str:
    if isinstance(level, float) and level.is_integer():
        return str(int(level))
    return str(level)


def _number_or_text(level: str) -> Any:
    """A level as patsy prints it: ``"2.0"`` -> ``2.0``; other text unchanged."""
    try:
        return float(level) if re.fullmatch(r"[+-]?\d+\.0*", level.strip()) else level
    except ValueError:
        return level


def _value_key(level: Any) -> str:
    """Text key of a value: ``1``, ``1.0``, ``"1"`` and ``"1.0"`` all give ``"1"``."""
    text = _level_text(level).strip()
    try:
        number = float(text)
    except ValueError:
        return text
    if number.is_integer() and re.fullmatch(r"[+-]?\d+(\.0*)?", text):
        return str(int(number))
    return text
