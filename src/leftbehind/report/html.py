"""Render a :class:`~leftbehind.report.document.Document` to one self-contained HTML file (L5).

The page carries its own CSS (inlined from ``templates/report.css``), a table of contents
linking to the section anchors, tables from :meth:`Table.to_html`, and figures embedded as data
URIs (the SVG when there is one, else the PNG), so the file can be mailed or archived alone.
There is no script, no timestamp and no random id: the same document always gives the same
bytes. All text is escaped by Jinja2's autoescaping.

Examples
--------
>>> from leftbehind.report.document import Document, Paragraph, Section
>>> doc = Document(title="Report", sections=[Section("Sample", blocks=[Paragraph("n < 10 & rising")])])
>>> page = render_html(doc)
>>> '<section id="sample">' in page, "n &lt; 10 &amp; rising" in page, render_html(doc) == page
(True, True, True)
"""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path
from typing import Any

from leftbehind._atomic import write_text_atomic
from leftbehind.errors import InputError
from leftbehind.report.document import (BulletList, Caution, Document, Figure, Paragraph, Quote,
                                        TableBlock)

__all__ = ["render_html", "write_html"]

_TEMPLATES = Path(__file__).parent / "templates"
_KINDS = {Paragraph: "paragraph", TableBlock: "table", Figure: "figure", BulletList: "bullets",
          Caution: "caution", Quote: "quote"}
_SVG_PROLOGUE = re.compile(r"^\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?", re.S)


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the {what} file: {exc.strerror or exc}", file=str(path),
                         hint="save the figure first (leftbehind.present.plots.save_figure) and pass its path") from exc


def figure_data_uri(figure: Figure) -> str:
    """The figure as a ``data:`` URI: SVG if available, else PNG."""
    if figure.svg is not None:
        svg = _SVG_PROLOGUE.sub("", _read(figure.svg, "SVG").decode("utf-8"), count=1)
        return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    if figure.png is None:  # pragma: no cover - Figure.__post_init__ requires png or svg
        raise InputError("a figure needs a PNG or an SVG file", hint="pass png=... and/or svg=...")
    return "data:image/png;base64," + base64.b64encode(_read(figure.png, "PNG")).decode("ascii")


def _environment() -> Any:
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(_TEMPLATES)), autoescape=True,
                              keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


def render_html(document: Document, *, toc: bool = True, lang: str = "en", contents_label: str = "Contents",
                caution_label: str = "Caution") -> str:
    """Render ``document`` as one self-contained, deterministic HTML page.

    Parameters
    ----------
    document
        The report.
    toc
        Include a table of contents.
    lang
        The page language (``"zh-Hans"`` for a Chinese report).
    contents_label, caution_label
        Fixed words of the page, for reports in other languages.

    Returns
    -------
    str
        The HTML text.
    """
    if not isinstance(document, Document):
        raise InputError(f"render_html needs a Document, got {type(document).__name__}",
                         hint="build one with leftbehind.report.document.Document")
    from markupsafe import Markup

    environment = _environment()
    template = environment.get_template("report.html.j2")
    css = (_TEMPLATES / "report.css").read_text(encoding="utf-8").strip()
    return template.render(
        document=document, toc=toc, lang=lang, contents_label=contents_label, caution_label=caution_label,
        css=Markup(css), block_kind=lambda block: _KINDS[type(block)],
        table_html=lambda table: Markup(table.to_html()), figure_src=figure_data_uri,
    )


def write_html(document: Document, path: str | os.PathLike, **options: Any) -> Path:
    """Render with :func:`render_html` and write the page atomically; returns the path."""
    path = Path(path)
    write_text_atomic(path, render_html(document, **options))
    return path
