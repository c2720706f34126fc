"""The conceptual framework: the paradigm model joined with the tested survey paths (layer L4).

The upper part is the paradigm model of axial coding (:func:`~leftbehind.present.qual_plots.paradigm_figure`);
beneath it, one box per hypothesis shows the tested path of the survey (e.g. the group x moderator
interaction on the outcome) with its direction, estimate, stars and verdict, and dashed lines tie it
to the categories whose codes bear on the hypothesis.

Examples
--------
>>> import tempfile, pathlib
>>> import pandas as pd
>>> from leftbehind.grounded.paradigm import paradigm_model
>>> cats = pd.DataFrame({"category": ["absence", "belonging"], "paradigm_role": ["causal_conditions", "strategies"],
...                      "is_core": [False, True]})
>>> path = TestedPath("H1", "School belonging × mother away → depression", "b = −3.24*", "supported", ("belonging",))
>>> files = framework_diagram(paradigm_model(cats), [path], pathlib.Path(tempfile.mkdtemp()) / "framework")
>>> [p.suffix for p in files]
['.png', '.svg']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from leftbehind.present.plots import save_figure
from leftbehind.present.qual_plots import _wrap, paradigm_figure

VERDICT_COLOURS = {"supported": "#1b7837", "contradicted": "#b2182b", "not supported": "#737373"}


@dataclass(frozen=True)
class TestedPath:
    """One hypothesis as tested in the survey: what, the estimate, the verdict, linked categories."""

    id: str
    path: str
    estimate: str
    verdict: str
    categories: tuple[str, ...] = ()


def framework_figure(model, paths: Sequence[TestedPath], *, title: str | None = None):
    """Return the framework figure (paradigm model above, tested paths below)."""
    fig = paradigm_figure(model, title=title or "Conceptual framework")
    fig.set_size_inches(10.0, 6.0 + 1.3 * (1 if paths else 0))
    ax = fig.axes[0]
    placed = {r.category: (r.x, r.y) for r in model.placed.itertuples(index=False)}
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    row = y0 - 0.9
    ax.set_ylim(row - 0.8, y1)
    ax.text(x0 + 0.05, row + 0.55, "Survey: tested paths", ha="left", va="center", fontsize=8,
            color="#525252", style="italic")
    step = (x1 - x0 - 1.0) / max(len(paths), 1)
    for i, path in enumerate(paths):
        x = x0 + 0.5 + step * (i + 0.5)
        colour = VERDICT_COLOURS.get(path.verdict, "#737373")
        label = f"{path.id}: {_wrap(path.path, 26)}\n{path.estimate} ({path.verdict})"
        box = ax.text(x, row, label, ha="center", va="center", fontsize=7, zorder=3,
                      bbox={"boxstyle": "round,pad=0.4", "facecolor": "white", "edgecolor": colour, "linewidth": 1.6})
        for category in path.categories:
            if category in placed:
                ax.annotate("", xy=placed[category], xytext=(x, row), zorder=1,
                            arrowprops={"arrowstyle": "-", "linestyle": "--", "color": colour, "linewidth": 0.8,
                                        "shrinkA": 14, "shrinkB": 14, "patchA": box.get_bbox_patch()})
    return fig


def framework_diagram(model, paths: Sequence[TestedPath], path_stem: str | Path, *, title: str | None = None) -> list[Path]:
    """Draw :func:`framework_figure` and write ``path_stem.png`` and ``.svg``; return the paths."""
    return save_figure(framework_figure(model, paths, title=title), path_stem)
