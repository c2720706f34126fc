"""Cross-checks of a study file: names used but never defined, duplicates, order (layer L1).

The checks read the raw TOML dict, not the validated model, so they run even when the schema
has problems and every problem can be listed at once. Wrongly typed entries are skipped here:
the schema reports them.

Examples
--------
>>> raw = {"survey": {"files": ["q.csv"]}, "items": {"dep1": {}, "dep2": {}},
...        "scales": {"depression": {"items": ["dep1", "dep3"]}}}
>>> [(list(p), m) for p, m, h in cross_check(raw)]
[(['scales', 'depression', 'items', 1], "'dep3' is not defined")]
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from leftbehind.spec._locate import KeyLocator
from leftbehind.spec.analysis import factor_column

Problem = tuple[tuple[str | int, ...], str, str]
"""A problem: key path, message, hint."""

MIGRATION_CATEGORIES = ("none", "mother", "father", "both")
_DERIVED_SOURCE_KEYS = ("source", "any_away", "mother_months", "father_months", "mother_alive",
                        "father_alive", "separated", "custody")
_TABLES = ("items", "derived", "scales", "factors")


def factor_score_names(name: str, entry: Any) -> list[str]:
    """The score columns of ``[factors.NAME]``: ``NAME`` for one factor, ``NAME_1`` … ``NAME_k`` for k.

    >>> factor_score_names("teacher", {"n_factors": 2}), factor_score_names("teacher", {})
    (['teacher_1', 'teacher_2'], ['teacher'])
    """
    k = entry.get("n_factors", 1) if isinstance(entry, dict) else 1
    return [f"{name}_{i}" for i in range(1, k + 1)] if isinstance(k, int) and k > 1 else [name]


def _table(raw: dict, key: str) -> dict:
    value = raw.get(key)
    return value if isinstance(value, dict) else {}


def _array(raw: Any, key: str) -> list:
    value = raw.get(key) if isinstance(raw, dict) else None
    return value if isinstance(value, list) else []


def _names(raw: Any, key: str) -> list[tuple[int, str]]:
    return [(i, v) for i, v in enumerate(_array(raw, key)) if isinstance(v, str)]


class _Checker:
    def __init__(self, raw: dict) -> None:
        self.raw = raw
        self.problems: list[Problem] = []
        survey = _table(raw, "survey")
        self.id = survey.get("id", "qid") if isinstance(survey.get("id", "qid"), str) else "qid"
        self.where: dict[str, str] = {self.id: "survey.id"}
        self.defined: list[str] = [self.id]
        self._define_all()

    def add(self, path: tuple, message: str, hint: str) -> None:
        self.problems.append((path, message, hint))

    def _define(self, name: str, path: tuple, place: str) -> None:
        if name in self.where:
            self.add(path, f"'{name}' is defined twice (also in {self.where[name]})",
                     "give every item, derived variable, scale and factor its own name")
            return
        self.where[name] = place
        self.defined.append(name)

    def _define_all(self) -> None:
        for name in _table(self.raw, "items"):
            self._define(name, ("items", name), "[items]")
        for b, block in enumerate(_array(self.raw, "item_blocks")):
            for i, name in _names(block, "names"):
                self._define(name, ("item_blocks", b, "names", i), f"item_blocks[{b}]")
        for table in ("derived", "scales", "factors"):
            for name, entry in _table(self.raw, table).items():
                for score in factor_score_names(name, entry) if table == "factors" else [name]:
                    self._define(score, (table, name), f"[{table}]")

    def ref(self, path: tuple, name: Any, allowed: list[str] | None = None, what: str = "") -> None:
        """Report ``name`` at ``path`` unless it is among ``allowed`` (default: all defined)."""
        if not isinstance(name, str):
            return
        pool = self.defined if allowed is None else allowed
        if name in pool:
            return
        close = difflib.get_close_matches(name, pool, n=3)
        hint = (f"did you mean {', '.join(repr(c) for c in close)}? " if close else "") + \
            f"define it under [items], [[item_blocks]], [derived], [scales] or [factors]{what}"
        if name in self.defined:
            self.add(path, f"'{name}' cannot be used here", f"{self.where[name]} is not available here{what}")
        else:
            self.add(path, f"'{name}' is not defined", hint)

    def unique(self, path: tuple, values: list) -> None:
        seen: set = set()
        for i, value in enumerate(values):
            if isinstance(value, str) and value in seen:
                self.add((*path, i), f"'{value}' is listed twice", "list each name once")
            if isinstance(value, str):
                seen.add(value)

    def check(self) -> list[Problem]:
        self._survey_and_labels()
        self._rules()
        self._derived()
        self._measures()
        self._descriptives()
        self._analysis()
        self._model_tables()
        for name in _table(self.raw, "labels"):
            self.ref(("labels", name), name)
        return self.problems

    def _label_ref(self, path: tuple, entry: Any) -> None:
        ref = entry.get("labels") if isinstance(entry, dict) else None
        sets = list(_table(self.raw, "value_labels"))
        if isinstance(ref, str) and ref not in sets:
            close = difflib.get_close_matches(ref, sets, n=1)
            self.add((*path, "labels"), f"value label set '{ref}' is not defined",
                     (f"did you mean '{close[0]}'? " if close else "") + f"add [value_labels.{ref}]")

    def _survey_and_labels(self) -> None:
        survey = _table(self.raw, "survey")
        if "cluster" in survey:
            self.ref(("survey", "cluster"), survey["cluster"], self._answers(), " (the cluster must be an item)")
        for name, entry in _table(self.raw, "items").items():
            self._label_ref(("items", name), entry)
        for b, block in enumerate(_array(self.raw, "item_blocks")):
            self._label_ref(("item_blocks", b), block)
            self.unique(("item_blocks", b, "names"), _array(block, "names"))
        for name, entry in _table(self.raw, "derived").items():
            if isinstance(entry, dict) and entry.get("rule") != "cut":
                self._label_ref(("derived", name), entry)

    def _answers(self) -> list[str]:
        return [n for n in self.defined if self.where[n] == "survey.id" or self.where[n] == "[items]"
                or self.where[n].startswith("item_blocks")]

    def _rules(self) -> None:
        answers = self._answers()
        why = " (validity rules and exclusions read the answers as given, before derived variables exist)"
        for section in ("validity", "exclusions"):
            for r, rule in enumerate(_array(self.raw, section)):
                if not isinstance(rule, dict):
                    continue
                self.ref((section, r, "column"), rule.get("column"), answers, why)
                for i, name in _names(rule, "columns"):
                    self.ref((section, r, "columns", i), name, answers, why)

    def _derived(self) -> None:
        earlier = self._answers()
        for name, entry in _table(self.raw, "derived").items():
            if isinstance(entry, dict):
                for key in _DERIVED_SOURCE_KEYS:
                    self.ref(("derived", name, key), entry.get(key), earlier,
                             " (derived variables may use items and derived variables defined above them)")
            earlier.append(name)

    def _measures(self) -> None:
        usable = [n for n in self.defined if self.where[n] not in ("[scales]", "[factors]")]
        for table in ("scales", "factors"):
            for name, entry in _table(self.raw, table).items():
                for i, item in _names(entry, "items"):
                    self.ref((table, name, "items", i), item, usable,
                             " (scales and factors are built from items and derived variables)")
                self.unique((table, name, "items"), _array(entry, "items"))
                n_factors = entry.get("n_factors", 1) if isinstance(entry, dict) else 1
                n_items = len(_array(entry, "items"))
                if table == "factors" and isinstance(n_factors, int) and n_items and n_factors >= n_items:
                    self.add((table, name, "n_factors"), f"{n_factors} factor(s) from {n_items} items",
                             "use fewer factors than items")

    def _descriptives(self) -> None:
        desc = _table(self.raw, "descriptives")
        self.ref(("descriptives", "by"), desc.get("by"))
        for key in ("continuous", "categorical"):
            for i, name in _names(desc, key):
                self.ref(("descriptives", key, i), name)
            self.unique(("descriptives", key), _array(desc, key))

    def _analysis(self) -> None:
        analysis = _table(self.raw, "analysis")
        for key in ("outcome", "group"):
            self.ref(("analysis", key), analysis.get(key))
        for i, name in _names(analysis, "controls"):
            self.term(("analysis", "controls", i), name)
        self.unique(("analysis", "controls"), _array(analysis, "controls"))
        for i, name in _names(analysis, "categorical"):
            self.ref(("analysis", "categorical", i), name)
        self.unique(("analysis", "categorical"), _array(analysis, "categorical"))
        seen: set = set()
        for b, block in enumerate(_array(analysis, "nested")):
            name = block.get("name") if isinstance(block, dict) else None
            if isinstance(name, str) and name in seen:
                self.add(("analysis", "nested", b, "name"), f"block name '{name}' is used twice",
                         "give every nested block its own name")
            seen.add(name)
            for i, term in _names(block, "add"):
                if term != "@controls":
                    self.term(("analysis", "nested", b, "add", i), term)
        variables = []
        for m, mod in enumerate(_array(analysis, "moderators")):
            if isinstance(mod, dict):
                self.ref(("analysis", "moderators", m, "variable"), mod.get("variable"))
                variables.append(mod.get("variable"))
                self._slopes_at(m, mod)
        for m, name in enumerate(variables):
            if isinstance(name, str) and name in variables[:m]:
                self.add(("analysis", "moderators", m, "variable"), f"moderator '{name}' is listed twice",
                         "list each moderator once")
        if analysis.get("se") in ("cluster", "CR2") and "cluster" not in _table(self.raw, "survey"):
            self.add(("analysis", "se"), "cluster-robust standard errors need a cluster variable",
                     "set cluster = \"school\" (or similar) in [survey]")
        boot = analysis.get("wild_bootstrap")
        if isinstance(boot, dict):
            if "cluster" not in _table(self.raw, "survey"):
                self.add(("analysis", "wild_bootstrap"), "the wild cluster bootstrap needs a cluster variable",
                         "set cluster = \"school\" (or similar) in [survey]")
            used = [analysis.get("outcome"), analysis.get("group"), *_array(analysis, "controls"),
                    *(t for block in _array(analysis, "nested") if isinstance(block, dict) for t in _array(block, "add")),
                    *(m.get("variable") for m in _array(analysis, "moderators") if isinstance(m, dict))]
            for i, name in _names(boot, "terms"):
                self.ref(("analysis", "wild_bootstrap", "terms", i), name, [u for u in used if isinstance(u, str)],
                         " (only variables of the [analysis] models can be bootstrapped)")
        self._reference(analysis)

    def declared_range(self, name: Any) -> tuple[float, float] | None:
        """The ``range`` of an item (or of the item a ``copy`` copies), or None."""
        source = _table(self.raw, "derived").get(name)
        if isinstance(source, dict) and source.get("rule") == "copy":
            name = source.get("source")
        entries = [_table(self.raw, "items").get(name)]
        entries += [b for b in _array(self.raw, "item_blocks") if isinstance(b, dict) and name in _array(b, "names")]
        for entry in entries:
            value = entry.get("range") if isinstance(entry, dict) else None
            if isinstance(value, list) and len(value) == 2 and all(isinstance(v, (int, float)) for v in value):
                return float(value[0]), float(value[1])
        return None

    def _slopes_at(self, m: int, mod: dict) -> None:
        """Simple-slope values given by the user must lie in the moderator's declared range."""
        values = mod.get("slopes_at")
        bounds = self.declared_range(mod.get("variable"))
        if not isinstance(values, list) or bounds is None:
            return
        for i, value in enumerate(values):
            if isinstance(value, (int, float)) and not bounds[0] <= value <= bounds[1]:
                self.add(("analysis", "moderators", m, "slopes_at", i),
                         f"simple-slope value {value:g} lies outside the range {bounds[0]:g}-{bounds[1]:g} "
                         f"of '{mod.get('variable')}'",
                         "choose values inside the scale's range, or slopes_at = \"sd\" for mean ± SD "
                         "kept inside the observed values")

    def _model_tables(self) -> None:
        """``[[model_tables]]``: unique names, defined outcomes and terms, declared moderators."""
        moderators = [m.get("variable") for m in _array(_table(self.raw, "analysis"), "moderators")
                      if isinstance(m, dict)]
        names: list = []
        for t, table in enumerate(_array(self.raw, "model_tables")):
            if not isinstance(table, dict):
                continue
            name = table.get("name")
            if isinstance(name, str) and name in names:
                self.add(("model_tables", t, "name"), f"model table name '{name}' is used twice",
                         "give every [[model_tables]] entry its own name")
            names.append(name)
            self.ref(("model_tables", t, "outcome"), table.get("outcome"))
            for b, block in enumerate(_array(table, "blocks")):
                for i, term in _names(block, "add"):
                    if term != "@controls":
                        self.term(("model_tables", t, "blocks", b, "add", i), term)
            for i, term in _names(table, "terms"):
                if term != "@controls":
                    self.term(("model_tables", t, "terms", i), term)
            for i, name in _names(table, "moderators"):
                self.ref(("model_tables", t, "moderators", i), name, [m for m in moderators if isinstance(m, str)],
                         " and list it under [[analysis.moderators]]")

    def term(self, path: tuple, term: str) -> None:
        """A control or nested addition: a defined name, or ``C(name)`` of one."""
        if term.lstrip().startswith("C(") and factor_column(term) is None:
            self.add(path, f"'{term}' is not a factor term of the form C(name)",
                     "write C(name) with one variable name inside, e.g. \"C(school)\"")
            return
        self.ref(path, factor_column(term) or term)

    def _reference(self, analysis: dict) -> None:
        """A reference level of a group whose possible levels the file fixes (parental migration)."""
        group = _table(self.raw, "derived").get(analysis.get("group"))
        reference = analysis.get("reference")
        if not isinstance(group, dict) or group.get("rule") != "parental_migration" or "reference" not in analysis:
            return
        labels = group.get("labels")
        if isinstance(labels, str):
            labels = _table(self.raw, "value_labels").get(labels)
        named = [v for k, v in labels.items() if k in MIGRATION_CATEGORIES] if isinstance(labels, dict) else []
        if reference not in MIGRATION_CATEGORIES and reference not in named:
            self.add(("analysis", "reference"), f"{reference!r} is not a category of '{analysis.get('group')}'",
                     f"use one of {', '.join(MIGRATION_CATEGORIES)}" + (
                         f" or its label ({', '.join(repr(n) for n in named)})" if named else ""))


def cross_check(raw: dict) -> list[Problem]:
    """Every cross-reference problem of a raw study dict as ``(key path, message, hint)``.

    >>> cross_check({"items": {"a": {}}, "labels": {"b": "B"}})[0][:2]
    (('labels', 'b'), "'b' is not defined")
    """
    return _Checker(raw).check()


def key_line(file: str | Path | None, path: tuple[str | int, ...]) -> int | None:
    """The line of key ``path`` in the study file ``file`` (None without a readable file).

    Problems found in the data (``leftbehind check``) use it to point at the key they concern.

    >>> import tempfile, pathlib
    >>> file = pathlib.Path(tempfile.mkdtemp()) / "study.toml"
    >>> _ = file.write_text('[study]\\ntitle = "t"\\n[analysis]\\nreference = 1\\n')
    >>> key_line(file, ("analysis", "reference")), key_line(None, ("analysis",))
    (4, None)
    """
    if file is None:
        return None
    try:
        text = Path(file).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    return KeyLocator(text).line(path)
