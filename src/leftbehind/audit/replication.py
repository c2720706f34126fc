"""Published versus reproduced coefficients: the replication table (layer L3).

Compares every coefficient of a published-figures file with the same term of a study run
(``results.json["models"]``), in units of the published standard error, and whether both earn
the same stars.

Examples
--------
>>> published = {"table2": {"model1": {"mother": {"b": 2.0, "se": 1.0, "stars": "*"}, "r2": 0.1}}}
>>> reproduced = {"table2": {"Model 1": {"r2": 0.11, "terms": {"mother": {"b": 2.5, "se": 1.1, "p": 0.02}}}}}
>>> row = replication_rows(published, reproduced)[0]
>>> row["diff_in_se"], row["reproduced_stars"], row["same_stars"]
(0.5, '*', True)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from leftbehind.audit.model_rules import DEFAULT_STARS, model_tables, stars_for


def _norm(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def _table_of(reproduced: Mapping[str, Any], table: str,
              tables: Mapping[str, str] | None = None) -> Mapping[str, Any] | None:
    """The reproduced table for a published one: by ``tables`` (published -> reproduced name)
    when given, else the same name or the longest reproduced name it starts with."""
    if tables is not None:
        return reproduced.get(tables.get(table, ""))
    if table in reproduced:
        return reproduced[table]
    prefixes = sorted((name for name in reproduced if table.startswith(name)), key=len, reverse=True)
    return reproduced[prefixes[0]] if prefixes else None


def replication_rows(published: Mapping[str, Any], reproduced: Mapping[str, Any], *,
                     cutoffs: tuple[float, ...] = DEFAULT_STARS,
                     tables: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """One row per published coefficient (and R²) with the reproduced value and the difference.

    ``published`` is a published-figures dict; ``reproduced`` maps table -> model -> a model
    entry of ``results.json`` (``{"r2", "terms": {KEY: {"b", "se", "p"}}}``). Models are matched
    by name ignoring case, spaces and punctuation (``"Model 1"`` matches ``"model1"``).
    ``tables`` maps a published table to its reproduced one (a study's ``[[model_tables]]
    published``); without it a published table matches the reproduced table of the same
    name or of the longest name it starts with.
    """
    rows = []
    for table, models in model_tables(published).items():
        ours = _table_of(reproduced, table, tables) or {}
        by_norm = {_norm(k): v for k, v in ours.items()}
        for model, spec in models.items():
            fit = by_norm.get(_norm(model))
            for term, cell in spec.items():
                if not isinstance(cell, Mapping) or "b" not in cell:
                    continue
                mine = (fit or {}).get("terms", {}).get(term)
                row = {"table": table, "model": model, "term": term, "published_b": cell["b"],
                       "published_se": cell.get("se"), "published_stars": cell.get("stars", ""),
                       "reproduced_b": None, "reproduced_se": None, "reproduced_stars": None,
                       "diff_in_se": None, "same_stars": None}
                if mine is not None:
                    row.update(reproduced_b=mine["b"], reproduced_se=mine["se"],
                               reproduced_stars=stars_for(mine["p"], cutoffs))
                    if cell.get("se"):
                        row["diff_in_se"] = round((mine["b"] - cell["b"]) / cell["se"], 6)
                    row["same_stars"] = row["reproduced_stars"] == (cell.get("stars") or "")
                rows.append(row)
            if "r2" in spec:
                rows.append({"table": table, "model": model, "term": "r2", "published_b": spec["r2"],
                             "published_se": None, "published_stars": "",
                             "reproduced_b": (fit or {}).get("r2"), "reproduced_se": None, "reproduced_stars": "",
                             "diff_in_se": None, "same_stars": None})
    return rows
