"""The paradigm model of axial coding (Strauss & Corbin): categories placed by paradigm role.

Axial coding relates categories through a paradigm: causal conditions give rise to a
phenomenon; in a context and under intervening conditions people respond with action and
interaction strategies, which have consequences. :func:`paradigm_model` collects the categories
by role, the relations between them and the core category chosen in selective coding, and
lays them out on a grid for drawing (``present.qual_plots.paradigm_diagram``):

* row 0, left to right: causal conditions, phenomenon, strategies, consequences;
* above (row 1): context; below (row -1): intervening conditions;
* categories without a role go on a row of their own at the bottom (row -2).

Examples
--------
>>> import pandas as pd
>>> cats = pd.DataFrame({"category": ["migration for income", "disrupted attachment", "returning home"],
...                      "paradigm_role": ["causal_conditions", "phenomenon", "strategies"],
...                      "is_core": [False, True, False]})
>>> rel = pd.DataFrame({"from_category": ["migration for income"], "to_category": ["disrupted attachment"],
...                     "kind": ["leads_to"]})
>>> model = paradigm_model(cats, rel)
>>> model.core
'disrupted attachment'
>>> model.to_frame()[["category", "x", "y"]].values.tolist()
[['migration for income', 0.0, 0.0], ['disrupted attachment', 1.0, 0.0], ['returning home', 2.0, 0.0]]
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from leftbehind._result import ResultMixin
from leftbehind.errors import InputError
from leftbehind.grounded._frames import require_columns

ROLES = ("causal_conditions", "phenomenon", "strategies", "consequences", "context",
         "intervening_conditions")
ROLE_LABELS = {"causal_conditions": "Causal conditions", "phenomenon": "Phenomenon",
               "strategies": "Action/interaction strategies", "consequences": "Consequences",
               "context": "Context", "intervening_conditions": "Intervening conditions",
               None: "Not placed"}
_SYNONYMS = {"causal_condition": "causal_conditions", "causes": "causal_conditions",
             "strategy": "strategies", "action_interaction_strategies": "strategies",
             "actions": "strategies", "consequence": "consequences", "outcomes": "consequences",
             "contexts": "context", "intervening_condition": "intervening_conditions",
             "intervening": "intervening_conditions", "phenomena": "phenomenon"}
_COLUMN = {"causal_conditions": 0.0, "phenomenon": 1.0, "strategies": 2.0, "consequences": 3.0}
_ROW = {"context": 1.0, "intervening_conditions": -1.0, None: -2.0}


def normalise_role(role: object) -> str | None:
    """Return the canonical paradigm role for ``role`` (``None`` when empty).

    >>> normalise_role("Intervening condition")
    'intervening_conditions'
    """
    if role is None or (isinstance(role, float) and role != role) or not str(role).strip():
        return None
    key = "_".join(str(role).strip().lower().replace("/", " ").replace("-", " ").split())
    key = _SYNONYMS.get(key, key)
    if key not in ROLES:
        raise InputError(f"unknown paradigm role {role!r}", hint=f"use one of {', '.join(ROLES)}")
    return key


@dataclass(frozen=True)
class ParadigmModel(ResultMixin):
    """Categories by paradigm role with grid positions, relations and the core category.

    Attributes
    ----------
    placed
        ``category, paradigm_role, is_core, x, y`` (one row per category).
    relations
        ``(from_category, to_category, kind)`` tuples.
    core
        The core category, or ``None``.
    """

    placed: pd.DataFrame
    relations: tuple[tuple[str, str, str], ...]
    core: str | None

    def to_frame(self) -> pd.DataFrame:
        """Return the categories with their roles and positions."""
        return self.placed.copy()

    def to_dict(self) -> dict:
        """Return ``{"core", "roles": {role: [category]}, "relations": [{from, to, kind}]}``."""
        roles: dict[str, list[str]] = {}
        for cat, role in zip(self.placed["category"], self.placed["paradigm_role"]):
            roles.setdefault(role if isinstance(role, str) else "unplaced", []).append(cat)
        return {"core": self.core, "roles": roles,
                "relations": [{"from": a, "to": b, "kind": k} for a, b, k in self.relations]}


def _spread(n: int, step: float) -> list[float]:
    return [(i - (n - 1) / 2) * step + 0.0 for i in range(n)]


def paradigm_model(categories: pd.DataFrame, relations: pd.DataFrame | None = None, *,
                   core: str | None = None) -> ParadigmModel:
    """Collect categories by paradigm role, lay them out and attach relations and the core.

    Parameters
    ----------
    categories
        The categories frame (``category, paradigm_role``; ``is_core`` when present).
    relations
        The relations frame (``from_category, to_category, kind``).
    core
        The core category (default: the category marked ``is_core``).

    Returns
    -------
    ParadigmModel

    Raises
    ------
    InputError
        An unknown role, an unknown core category, or a relation naming an unknown category.
    """
    require_columns(categories, ("category", "paradigm_role"), name="categories")
    names = [str(c) for c in categories["category"]]
    roles = [normalise_role(r) for r in categories["paradigm_role"]]
    if core is None and "is_core" in categories.columns:
        marked = [n for n, flag in zip(names, categories["is_core"]) if bool(flag)]
        core = marked[0] if marked else None
    if core is not None and core not in names:
        raise InputError(f"unknown core category {core!r}", hint=f"use one of {', '.join(names)}")
    groups: dict[str | None, list[str]] = {}
    for name, role in zip(names, roles):
        groups.setdefault(role, []).append(name)
    position: dict[str, tuple[float, float]] = {}
    for role, members in groups.items():
        if role in _COLUMN:
            for name, y in zip(members, _spread(len(members), -0.5)):
                position[name] = (_COLUMN[role], y)
        else:
            for name, x in zip(members, _spread(len(members), 1.0)):
                position[name] = (1.5 + x, _ROW[role])
    placed = pd.DataFrame({"category": names, "paradigm_role": roles,
                           "is_core": [n == core for n in names],
                           "x": [position[n][0] for n in names], "y": [position[n][1] for n in names]})
    links: list[tuple[str, str, str]] = []
    if relations is not None:
        require_columns(relations, ("from_category", "to_category"), name="relations")
        kinds = relations["kind"] if "kind" in relations.columns else [""] * len(relations)
        for a, b, kind in zip(relations["from_category"], relations["to_category"], kinds):
            for end in (a, b):
                if end not in position:
                    raise InputError(f"relation names unknown category {end!r}",
                                     hint="pass the categories and relations frames of the same store")
            links.append((str(a), str(b), "" if kind is None else str(kind)))
    return ParadigmModel(placed=placed, relations=tuple(links), core=core)
