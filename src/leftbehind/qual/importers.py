"""Reading transcripts: text, speaker turns and observation notes from six file formats (layer L2).

The formats and conventions are specified in ``docs/qual-formats.md``; in short:

* ``.txt`` / ``.md``: UTF-8 (a leading byte-order mark is dropped), text kept exactly as
  written, CRLF included. A line ``Name: words`` (ASCII ``:`` or full-width ``：``) starts a
  turn of the speaker ``Name``; following lines without a label belong to the same turn.
* ``.docx``: the paragraphs' text joined by ``"\\n"``, then read as a ``.txt``.
* ``.odt``: the text paragraphs and headings (spaces, tabs and line breaks expanded) joined
  by ``"\\n"``, then read as a ``.txt``.
* ``.vtt`` / ``.srt``: the cue texts (markup removed, entities decoded) joined by ``"\\n"``;
  the speaker comes from a ``<v Name>`` voice tag (the tag is not stored) or from a
  ``Name:`` prefix (stored as written); a cue without either continues the previous turn.
* Observation notes are written inside the text as ``[obs: note]`` (also ``[observation: ...]``,
  ``[观察：...]`` and full-width ``［观察：…］``, on one line) and become observation spans
  covering the whole bracket.

Examples
--------
>>> t = parse_transcript("Interviewer: hi\\r\\n小兰：我很好 [obs: smiles]\\r\\n还有")
>>> [(x.label, t.text[x.start:x.end]) for x in t.turns]
[('Interviewer', 'Interviewer: hi'), ('小兰', '小兰：我很好 [obs: smiles]\\r\\n还有')]
>>> [(o.note, t.text[o.start:o.end]) for o in t.observations]
[('smiles', '[obs: smiles]')]
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from pathlib import Path

from leftbehind.errors import DataError, InputError

FORMATS = (".txt", ".md", ".docx", ".odt", ".vtt", ".srt")

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r|$)")
_LABEL = re.compile(r"^[ \t]*(?P<label>[^\s:：\[［(（<#*>-][^:：\r\n]{0,39}?)[ \t]*[:：]")
_NOT_A_NAME = re.compile(r"^[\d\s.:_/-]+$|[。，,.!?！？;；\"“”()（）\[\]［］]")
_OBS = re.compile(r"[\[［][ \t]*(?:obs|observation|观察)[ \t]*[:：][ \t]*(?P<note>[^\]］\r\n]*?)[ \t]*[\]］]",
                  re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_VOICE = re.compile(r"<v(?:\.[^\s>]+)*[ \t]+(?P<name>[^>]+)>")


@dataclass(frozen=True)
class ParsedTurn:
    """A speaker turn ``[start, end)`` with the label as written and the line it starts on."""

    start: int
    end: int
    label: str
    line: int


@dataclass(frozen=True)
class ParsedObservation:
    """An observation note ``[start, end)`` (the whole bracket) and its note text."""

    start: int
    end: int
    note: str


@dataclass(frozen=True)
class ParsedTranscript:
    """What a transcript file holds: the text as stored, its turns and its observations."""

    text: str
    turns: tuple[ParsedTurn, ...]
    observations: tuple[ParsedObservation, ...]


def _lines(text: str) -> list[tuple[int, str, int]]:
    """(offset, content without terminator, offset after the content) for every line."""
    out = []
    for hit in _LINE.finditer(text):
        if hit.start() == len(text) and hit.group() == "" and out:
            break
        body = hit.group().rstrip("\r\n")
        out.append((hit.start(), body, hit.start() + len(body)))
        if hit.end() == len(text):
            break
    return out


def speaker_label(line: str) -> tuple[str, int] | None:
    """The speaker label at the start of ``line`` and its offset, or ``None``.

    Examples
    --------
    >>> speaker_label("奶奶：他很乖"), speaker_label("10:30 we met"), speaker_label("Well, no: not")
    (('奶奶', 0), None, None)
    """
    hit = _LABEL.match(line)
    if not hit:
        return None
    label = hit.group("label").strip()
    if not label or _NOT_A_NAME.search(label):
        return None
    return label, hit.start("label")


def observations_in(text: str) -> tuple[ParsedObservation, ...]:
    """Every observation bracket in ``text`` (see the module docstring for the convention)."""
    return tuple(ParsedObservation(h.start(), h.end(), h.group("note")) for h in _OBS.finditer(text))


def parse_transcript(text: str) -> ParsedTranscript:
    """Find the speaker turns and observations of a plain-text transcript.

    A turn runs from its label to the end of the last non-blank line before the next label
    (line terminators after it excluded). Text before the first label belongs to no turn.
    """
    turns: list[ParsedTurn] = []
    current: list = []  # [start, end, label, line]
    for number, (offset, body, end) in enumerate(_lines(text), start=1):
        found = speaker_label(body)
        if found is not None:
            if current:
                turns.append(ParsedTurn(*current))
            current = [offset + found[1], end, found[0], number]
        elif current and body.strip():
            current[1] = end
    if current:
        turns.append(ParsedTurn(*current))
    return ParsedTranscript(text, tuple(t for t in turns if t.end > t.start), observations_in(text))


def _decode(data: bytes, path: Path) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise DataError("the file is not UTF-8 text", file=str(path), line=line,
                        hint="save it as UTF-8 (in Notepad: Save as, encoding UTF-8)") from None
    return text[1:] if text.startswith("\ufeff") else text


def _docx_text(path: Path) -> str:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several unrelated types for bad files
        raise DataError(f"cannot read the .docx file ({exc})", file=str(path),
                        hint="open it in Word or LibreOffice and save it again as .docx") from None
    return "\n".join(p.text for p in document.paragraphs)


def _odt_text(path: Path) -> str:
    from odf import opendocument, teletype
    from odf.namespaces import TEXTNS

    try:
        doc = opendocument.load(str(path))
    except Exception as exc:  # odfpy raises zipfile/xml errors
        raise DataError(f"cannot read the .odt file ({exc})", file=str(path),
                        hint="open it in LibreOffice and save it again as .odt") from None
    paragraphs: list[str] = []

    def walk(node) -> None:
        for child in node.childNodes:
            if getattr(child, "qname", None) in ((TEXTNS, "p"), (TEXTNS, "h")):
                paragraphs.append(teletype.extractText(child))
            elif child.nodeType == child.ELEMENT_NODE:
                walk(child)

    walk(doc.text)
    return "\n".join(paragraphs)


def _cue_blocks(text: str) -> list[tuple[int, list[str]]]:
    """Blocks of non-blank lines with the number of their first line."""
    blocks: list[tuple[int, list[str]]] = []
    block: list[str] = []
    first = 1
    for number, line in enumerate(re.split(r"\r\n|\n|\r", text), start=1):
        if line.strip():
            if not block:
                first = number
            block.append(line)
        elif block:
            blocks.append((first, block))
            block = []
    if block:
        blocks.append((first, block))
    return blocks


def _subtitle(text: str, path: Path) -> ParsedTranscript:
    """Parse WebVTT or SubRip cues into text, turns and observations."""
    cues: list[tuple[str, str | None, int]] = []  # (stored text, voice name, line number)
    for first, block in _cue_blocks(text):
        timing = next((i for i, line in enumerate(block) if "-->" in line), None)
        if timing is None:
            if block[0].startswith(("WEBVTT", "NOTE", "STYLE", "REGION", "\ufeffWEBVTT")):
                continue
            raise DataError("a cue has no timing line ('00:00:01.000 --> 00:00:02.000')",
                            file=str(path), line=first,
                            hint="check the subtitle file; every cue needs a timing line")
        payload = block[timing + 1:]
        if not payload:
            continue
        voice = _VOICE.search(payload[0])
        stored = "\n".join(html.unescape(_TAG.sub("", p)) for p in payload)
        cues.append((stored, voice.group("name").strip() if voice else None, first + timing + 1))
    out: list[str] = []
    turns: list[list] = []
    pos = 0
    for stored, voice, number in cues:
        start = pos
        out.append(stored)
        pos += len(stored)
        label = voice
        if label is None:
            found = speaker_label(stored.split("\n", 1)[0])
            label = found[0] if found else None
        if label is not None and (not turns or turns[-1][2] != label):
            turns.append([start, pos, label, number])
        elif turns:
            turns[-1][1] = pos
        pos += 1  # the "\n" joining cues
    joined = "\n".join(out)
    return ParsedTranscript(joined, tuple(ParsedTurn(*t) for t in turns if t[1] > t[0]),
                            observations_in(joined))


def read_transcript(path: str | os.PathLike) -> ParsedTranscript:
    """Read a transcript file of any supported format (see the module docstring).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.vtt"
    >>> _ = p.write_text("WEBVTT\\n\\n00:01.000 --> 00:02.000\\n<v 奶奶>他很乖\\n", encoding="utf-8")
    >>> t = read_transcript(p)
    >>> t.text, [(x.label, x.start, x.end) for x in t.turns]
    ('他很乖', [('奶奶', 0, 3)])
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(f"unsupported transcript format '{suffix}'", file=str(path),
                         hint="use one of " + ", ".join(FORMATS))
    if not path.is_file():
        raise InputError("the transcript file does not exist", file=str(path),
                         hint="check the path (manifest paths are relative to the manifest)")
    if suffix == ".docx":
        return parse_transcript(_docx_text(path))
    if suffix == ".odt":
        return parse_transcript(_odt_text(path))
    text = _decode(path.read_bytes(), path)
    if suffix in (".vtt", ".srt"):
        return _subtitle(text, path)
    return parse_transcript(text)


def read_translation(path: str | os.PathLike) -> str:
    """The text of a translation file (any transcript format; turns are not parsed)."""
    return read_transcript(path).text
