"""Deterministic figure output shared by every plot (layer L4).

Every figure is written as PNG and SVG with fixed metadata and a fixed SVG hash salt, so the same
input gives byte-identical files (reports are compared byte for byte).

Examples
--------
>>> import tempfile, pathlib
>>> fig, ax = new_figure()
>>> _ = ax.plot([0, 1], [1, 0])
>>> paths = save_figure(fig, pathlib.Path(tempfile.mkdtemp()) / "line")
>>> [p.suffix for p in paths]
['.png', '.svg']
"""

from __future__ import annotations

import io
from pathlib import Path

from leftbehind._atomic import write_bytes_atomic


def new_figure(width: float = 6.4, height: float = 4.2):
    """Return ``(figure, axes)`` from a non-interactive matplotlib backend with house style."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(True, alpha=0.25, linewidth=0.6)
    return fig, ax


def save_figure(fig, path_stem: str | Path, *, formats: tuple[str, ...] = ("png", "svg"), dpi: int = 150) -> list[Path]:
    """Write ``fig`` to ``path_stem.png`` and ``path_stem.svg`` atomically and reproducibly.

    Returns the paths written, in the order of ``formats``.
    """
    import matplotlib

    path_stem = Path(path_stem)
    written = []
    for fmt in formats:
        buffer = io.BytesIO()
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        with matplotlib.rc_context({"svg.hashsalt": "leftbehind", "svg.fonttype": "none"}):
            fig.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata)
        path = path_stem.with_suffix(f".{fmt}")
        write_bytes_atomic(path, buffer.getvalue())
        written.append(path)
    return written
