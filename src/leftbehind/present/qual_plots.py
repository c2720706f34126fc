"""Plots of the grounded-theory analyses: saturation curve and paradigm-model diagram (layer L4).

Both are written with :func:`leftbehind.present.plots.save_figure` (PNG + SVG, byte-identical
for the same input).

Examples
--------
>>> import tempfile, pathlib
>>> import pandas as pd
>>> from leftbehind.grounded.saturation import saturation
>>> docs = pd.DataFrame({"document": ["t1", "t2"], "interview": ["i1", "i2"], "date": ["2024-01-01", "2024-01-02"]})
>>> codings = pd.DataFrame({"document": ["t1", "t2"], "code": ["miss", "calls"]})
>>> paths = saturation_plot(saturation(codings, docs), pathlib.Path(tempfile.mkdtemp()) / "sat")
>>> [p.name for p in paths]
['sat.png', 'sat.svg']
"""

from __future__ import annotations

from pathlib import Path

from leftbehind.grounded.paradigm import ROLE_LABELS, ParadigmModel
from leftbehind.grounded.saturation import Saturation
from leftbehind.present.plots import new_figure, save_figure


def saturation_figure(result: Saturation, *, title: str | None = None):
    """Return a figure: new codes per interview (bars) and cumulative codes and categories (lines)."""
    from matplotlib.ticker import MaxNLocator

    frame = result.frame
    fig, ax = new_figure(7.0, 4.2)
    x = frame["position"].to_numpy()
    ax.bar(x, frame["n_new_codes"], color="#c6dbef", edgecolor="#6baed6", label="new codes")
    ax.plot(x, frame["cumulative_codes"], marker="o", color="#08519c", label="codes (cumulative)")
    if result.has_categories:
        ax.plot(x, frame["cumulative_categories"], marker="s", color="#a50f15",
                label="categories (cumulative)")
    ax.set_xlabel("interview, in the order held")
    ax.set_ylabel("count")
    ax.set_xticks(x)
    if len(x) <= 20:
        ax.set_xticklabels([f"{p}\n{name}" for p, name in zip(x, frame["interview"])], fontsize=7)
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(frameon=False, loc="upper left")
    ax.set_title(title or "New codes and categories per interview", fontsize=11)
    return fig


def saturation_plot(result: Saturation, path_stem: str | Path, *, title: str | None = None) -> list[Path]:
    """Draw :func:`saturation_figure` and write ``path_stem.png`` and ``.svg``; return the paths."""
    return save_figure(saturation_figure(result, title=title), path_stem)


def _wrap(text: str, width: int = 18) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def paradigm_figure(model: ParadigmModel, *, title: str | None = None):
    """Return a figure of the paradigm model: boxes by role, arrows for relations, core highlighted."""
    placed = model.placed
    fig, ax = new_figure(10.0, 6.0)
    ax.grid(False)
    ax.set_axis_off()
    xs, ys = placed["x"].tolist(), placed["y"].tolist()
    ax.set_xlim(min(xs + [0.0]) - 0.7, max(xs + [3.0]) + 0.7)
    ax.set_ylim(min(ys + [-1.0]) - 0.6, max(ys + [1.0]) + 0.6)
    boxes = {}
    for row in placed.itertuples(index=False):
        core = bool(row.is_core)
        style = {"boxstyle": "round,pad=0.4", "facecolor": "#fee0d2" if core else "#f7f7f7",
                 "edgecolor": "#a50f15" if core else "#636363", "linewidth": 2.2 if core else 0.9}
        boxes[row.category] = ax.text(row.x, row.y, _wrap(str(row.category)), ha="center",
                                      va="center", fontsize=8, fontweight="bold" if core else "normal",
                                      bbox=style, zorder=3)
    roles = [r if isinstance(r, str) else None for r in placed["paradigm_role"]]
    for role in dict.fromkeys(roles):
        rows = [(x, y) for x, y, r in zip(xs, ys, roles) if r == role]
        if role in ("context", "intervening_conditions", None):
            ax.text(ax.get_xlim()[0] + 0.05, rows[0][1], ROLE_LABELS[role], ha="left", va="center",
                    fontsize=8, color="#525252", style="italic")
        else:
            ax.text(rows[0][0], max(y for _, y in rows) + 0.3, ROLE_LABELS[role], ha="center",
                    va="bottom", fontsize=8, color="#525252", style="italic")
    where = {r.category: (r.x, r.y) for r in placed.itertuples(index=False)}
    for start, end, kind in model.relations:
        ax.annotate("", xy=where[end], xytext=where[start], zorder=2,
                    arrowprops={"arrowstyle": "-|>", "color": "#4d4d4d", "linewidth": 1.0,
                                "mutation_scale": 12, "shrinkA": 2, "shrinkB": 2,
                                "patchA": boxes[start].get_bbox_patch(),
                                "patchB": boxes[end].get_bbox_patch(),
                                "connectionstyle": "arc3,rad=0.08"})
        if kind:
            mx, my = (where[start][0] + where[end][0]) / 2, (where[start][1] + where[end][1]) / 2
            vertical = abs(where[start][0] - where[end][0]) < 0.1
            ax.text(mx + (0.05 if vertical else 0.0), my + (0.0 if vertical else 0.06),
                    kind.replace("_", " "), fontsize=6.5, color="#4d4d4d",
                    ha="left" if vertical else "center", va="center" if vertical else "bottom", zorder=4)
    heading = title or "Paradigm model"
    if model.core:
        heading += f" (core category: {model.core})"
    ax.set_title(heading, fontsize=11)
    return fig


def paradigm_diagram(model: ParadigmModel, path_stem: str | Path, *, title: str | None = None) -> list[Path]:
    """Draw :func:`paradigm_figure` and write ``path_stem.png`` and ``.svg``; return the paths.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> from leftbehind.grounded.paradigm import paradigm_model
    >>> cats = pd.DataFrame({"category": ["migration", "separation"],
    ...                      "paradigm_role": ["causal_conditions", "phenomenon"], "is_core": [False, True]})
    >>> rel = pd.DataFrame({"from_category": ["migration"], "to_category": ["separation"], "kind": ["leads_to"]})
    >>> paths = paradigm_diagram(paradigm_model(cats, rel), pathlib.Path(tempfile.mkdtemp()) / "model")
    >>> paths[1].read_text().count("separation") >= 1
    True
    """
    return save_figure(paradigm_figure(model, title=title), path_stem)
