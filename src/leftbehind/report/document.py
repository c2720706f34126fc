"""A neutral document model for study reports (layer L5).

A :class:`Document` is a tree of :class:`Section` objects holding blocks (paragraphs, tables,
figures, lists, cautions, quotes). It knows nothing about HTML or Word:
:func:`leftbehind.report.html.render_html` and :func:`leftbehind.report.docx.render_docx`
render the same document. Everything is a frozen dataclass, so a document can be built once
and rendered many times with identical results.

Examples
--------
>>> from leftbehind.present.table import Row, Table
>>> doc = Document(title="Study report", sections=[
...     Section("Sample", blocks=[Paragraph("605 complete cases."),
...                               TableBlock(Table(columns=("N",), rows=[Row("Valid", ("933",))]))]),
...     Section("Sample", blocks=[BulletList(["one", "two"])])])
>>> [s.anchor for s in doc.sections]
['sample', 'sample-2']
>>> doc.to_dict()["sections"][0]["blocks"][0]
{'type': 'paragraph', 'text': '605 complete cases.'}
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

from leftbehind.errors import InputError
from leftbehind.present.table import Table

__all__ = ["Block", "BulletList", "Caution", "Document", "Figure", "Paragraph", "Quote", "Section",
           "TableBlock", "slugify"]


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise InputError(f"{what} must be text, got {type(value).__name__}", hint="pass a str")
    return value


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text (no markup; renderers escape it)."""

    text: str

    def __post_init__(self) -> None:
        _text(self.text, "a paragraph")

    def to_dict(self) -> dict:
        """JSON-safe form."""
        return {"type": "paragraph", "text": self.text}


@dataclass(frozen=True)
class TableBlock:
    """A :class:`~leftbehind.present.table.Table` placed in the document."""

    table: Table

    def __post_init__(self) -> None:
        if not isinstance(self.table, Table):
            raise InputError(f"TableBlock needs a leftbehind Table, got {type(self.table).__name__}",
                             hint="build it with leftbehind.present.table.Table or Table.from_frame")

    def to_dict(self) -> dict:
        """JSON-safe form."""
        return {"type": "table", "table": self.table.to_dict()}


@dataclass(frozen=True)
class Figure:
    """A figure: a PNG and/or an SVG file and a caption.

    HTML embeds the SVG (as a data URI) when there is one, else the PNG; Word needs the PNG.
    """

    png: Path | None = None
    svg: Path | None = None
    caption: str = ""
    alt: str | None = None

    def __post_init__(self) -> None:
        if self.png is None and self.svg is None:
            raise InputError("a figure needs a PNG or an SVG file", hint="pass png=... and/or svg=...")
        for name in ("png", "svg"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, Path(value))
        _text(self.caption, "a figure caption")

    @classmethod
    def from_paths(cls, paths: list[Path] | tuple[Path, ...], caption: str = "", *, alt: str | None = None) -> Figure:
        """Build from what :func:`leftbehind.present.plots.save_figure` returns.

        Examples
        --------
        >>> Figure.from_paths([Path("f.png"), Path("f.svg")], "Depression by group").svg.name
        'f.svg'
        """
        by_suffix = {Path(p).suffix.lower(): Path(p) for p in paths}
        return cls(png=by_suffix.get(".png"), svg=by_suffix.get(".svg"), caption=caption, alt=alt)

    def to_dict(self) -> dict:
        """JSON-safe form."""
        return {"type": "figure", "png": None if self.png is None else str(self.png),
                "svg": None if self.svg is None else str(self.svg), "caption": self.caption, "alt": self.alt}


@dataclass(frozen=True)
class BulletList:
    """An unordered list of plain-text items."""

    items: tuple[str, ...]

    def __post_init__(self) -> None:
        if isinstance(self.items, str):
            raise InputError("BulletList items must be a sequence of strings, not one string",
                             hint="wrap a single item in a list")
        object.__setattr__(self, "items", tuple(_text(i, "a list item") for i in self.items))

    def to_dict(self) -> dict:
        """JSON-safe form."""
        return {"type": "bullets", "items": list(self.items)}


@dataclass(frozen=True)
class Caution:
    """A warning the reader must not miss (for example a low-power or a failed-check note)."""

    text: str

    def __post_init__(self) -> None:
        _text(self.text, "a caution")

    def to_dict(self) -> dict:
        """JSON-safe form."""
        return {"type": "caution", "text": self.text}


@dataclass(frozen=True)
class Quote:
    """A quotation, for example an interview excerpt, with an attribution (a pseudonym)."""

    text: str
    attribution: str | None = None

    def __post_init__(self) -> None:
        _text(self.text, "a quote")

    def to_dict(self) -> dict:
        """JSON-safe form."""
        return {"type": "quote", "text": self.text, "attribution": self.attribution}


Block = Union[Paragraph, TableBlock, Figure, BulletList, Caution, Quote]
_BLOCK_TYPES = (Paragraph, TableBlock, Figure, BulletList, Caution, Quote)


def slugify(text: str) -> str:
    """An anchor from a title: lower case, letters/digits (any script) joined by hyphens.

    Examples
    --------
    >>> slugify("Table 2: Parental migration & depression"), slugify("留守儿童"), slugify("!!")
    ('table-2-parental-migration-depression', '留守儿童', 'section')
    """
    normal = unicodedata.normalize("NFKC", text).lower()
    slug = re.sub(r"[^\w]+", "-", normal).strip("-_")
    return slug or "section"


@dataclass(frozen=True)
class Section:
    """A titled section with blocks and subsections; ``anchor`` defaults to a slug of the title
    (made unique within the document by :class:`Document`)."""

    title: str
    blocks: tuple[Block, ...] = ()
    subsections: tuple[Section, ...] = ()
    anchor: str | None = None

    def __post_init__(self) -> None:
        _text(self.title, "a section title")
        blocks = tuple(self.blocks)
        for block in blocks:
            if not isinstance(block, _BLOCK_TYPES):
                raise InputError(f"section {self.title!r} holds a {type(block).__name__}, which is not a block",
                                 hint="use Paragraph, TableBlock, Figure, BulletList, Caution or Quote")
        subsections = tuple(self.subsections)
        for sub in subsections:
            if not isinstance(sub, Section):
                raise InputError(f"a subsection of {self.title!r} is a {type(sub).__name__}, not a Section",
                                 hint="nest Section objects")
        object.__setattr__(self, "blocks", blocks)
        object.__setattr__(self, "subsections", subsections)
        if self.anchor is not None and not re.fullmatch(r"[\w-]+", self.anchor):
            raise InputError(f"anchor {self.anchor!r} may hold only letters, digits, '-' and '_'",
                             hint="use for example anchor='table-2'")

    def to_dict(self) -> dict:
        """JSON-safe form."""
        return {"title": self.title, "anchor": self.anchor, "blocks": [b.to_dict() for b in self.blocks],
                "subsections": [s.to_dict() for s in self.subsections]}


def _with_anchors(sections: tuple[Section, ...], taken: set[str]) -> tuple[Section, ...]:
    result = []
    for section in sections:
        base = section.anchor or slugify(section.title)
        anchor, number = base, 2
        while anchor in taken:
            anchor, number = f"{base}-{number}", number + 1
        taken.add(anchor)
        subsections = _with_anchors(section.subsections, taken)
        result.append(Section(section.title, blocks=section.blocks, subsections=subsections, anchor=anchor))
    return tuple(result)


@dataclass(frozen=True)
class Document:
    """A report: title, optional subtitle, metadata (ordered key/value pairs) and sections.

    Anchors are assigned on construction: a section without one gets the slug of its title,
    and repeated anchors get ``-2``, ``-3``... in document order.
    """

    title: str
    subtitle: str | None = None
    metadata: tuple[tuple[str, str], ...] = ()
    sections: tuple[Section, ...] = ()

    def __post_init__(self) -> None:
        _text(self.title, "the document title")
        metadata = self.metadata.items() if isinstance(self.metadata, Mapping) else self.metadata
        pairs = tuple((str(k), str(v)) for k, v in metadata)
        object.__setattr__(self, "metadata", pairs)
        sections = tuple(self.sections)
        for section in sections:
            if not isinstance(section, Section):
                raise InputError(f"a document section is a {type(section).__name__}, not a Section",
                                 hint="pass Section objects")
        object.__setattr__(self, "sections", _with_anchors(sections, set()))

    def walk(self) -> Iterator[tuple[int, Section]]:
        """Yield ``(depth, section)`` in document order, depth 1 for top-level sections."""
        def visit(sections: tuple[Section, ...], depth: int) -> Iterator[tuple[int, Section]]:
            for section in sections:
                yield depth, section
                yield from visit(section.subsections, depth + 1)

        yield from visit(self.sections, 1)

    def tables(self) -> list[Table]:
        """Every table in document order."""
        return [b.table for _, s in self.walk() for b in s.blocks if isinstance(b, TableBlock)]

    def to_dict(self) -> dict:
        """JSON-safe form."""
        return {"title": self.title, "subtitle": self.subtitle, "metadata": [list(p) for p in self.metadata],
                "sections": [s.to_dict() for s in self.sections]}
