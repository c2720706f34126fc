"""Importing transcripts and codings into the store, and exporting them again (layer L2).

Speaker labels in a transcript are matched to participants by pseudonym, then by a registered
real name (the :class:`~leftbehind.qual.models.Identity` table), ignoring case; the labels in
:data:`INTERVIEWER_LABELS` and the interview's ``interviewer`` mark interviewer turns. Any
other label is an error naming the file and line. A manifest is imported in one transaction:
all its documents or none.

Examples
--------
>>> import tempfile, pathlib
>>> from leftbehind.qual.store import init_store
>>> from leftbehind.qual import services as sv, query as q
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> store = init_store(d)
>>> _ = sv.add_participant(store, "Lan", role="child", real_name="王小兰")
>>> _ = (d / "a.txt").write_bytes("访谈者：你好\\r\\n王小兰：我很好\\r\\n".encode())
>>> doc = import_transcript(store, d / "a.txt")
>>> q.turns_frame(store)[["start", "end", "participant"]].fillna("-").values.tolist()
[[0, 6, '-'], [8, 15, 'Lan']]
>>> store.close()
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from leftbehind._atomic import write_bytes_atomic, write_text_atomic
from leftbehind._result import ResultMixin
from leftbehind.errors import DataError, StoreError
from leftbehind.qual import models as m
from leftbehind.qual import services as sv
from leftbehind.qual._write import find, get
from leftbehind.qual.csvio import located, read_rows
from leftbehind.qual.importers import read_transcript, read_translation
from leftbehind.qual.store import Store

INTERVIEWER_LABELS = frozenset({"interviewer", "i", "q", "r", "researcher", "moderator",
                                "访谈者", "访谈员", "访问者", "访员", "采访者", "研究者", "调查员",
                                "调查者", "主持人", "问"})
MANIFEST_COLUMNS = ("file", "interview", "participant", "role", "family", "language", "date")
CODING_COLUMNS = ("document", "coder", "code", "start", "end")


@dataclass(frozen=True)
class ImportResult(ResultMixin):
    """What an import added: document names and counts of turns, observations and codings."""

    documents: tuple[str, ...] = ()
    turns: int = 0
    observations: int = 0
    codings: int = 0

    def to_frame(self):
        """One row per imported document."""
        import pandas as pd

        return pd.DataFrame({"document": list(self.documents)})

    def to_dict(self) -> dict:
        """JSON-safe summary."""
        return {"documents": list(self.documents), "turns": self.turns,
                "observations": self.observations, "codings": self.codings}


def _speaker_index(session) -> dict[str, str]:
    """Casefolded pseudonym or real name -> pseudonym."""
    from sqlalchemy import select

    index: dict[str, str] = {}
    for ident, pseudonym in session.execute(
            select(m.Identity.real_name, m.Participant.pseudonym)
            .join(m.Participant, m.Identity.participant_id == m.Participant.id)):
        index[ident.strip().casefold()] = pseudonym
    for (pseudonym,) in session.execute(select(m.Participant.pseudonym)):
        index[pseudonym.casefold()] = pseudonym
    return index


def import_transcript(store: Store, path: str | os.PathLike, *, name: str | None = None,
                      interview: str | None = None, participants: Sequence[str] = (),
                      language: str | None = None, date: str | None = None,
                      translation: str | os.PathLike | None = None,
                      interviewer_labels: Iterable[str] = (), actor: str | None = None) -> int:
    """Import one transcript file (any format of :mod:`leftbehind.qual.importers`).

    The document is named after the file (``name`` overrides). When the text has no speaker
    labels and exactly one participant is given, the whole text is that participant's turn.
    Returns the document id.
    """
    path = Path(path)
    parsed = read_transcript(path)
    with store.transaction(actor=actor) as s:
        iv = get(s, m.Interview, interview) if interview else None
        index = _speaker_index(s)
        interviewer_set = {x.casefold() for x in (*INTERVIEWER_LABELS, *interviewer_labels)}
        if iv is not None and iv.interviewer:
            interviewer_set.add(iv.interviewer.strip().casefold())
        turns = []
        for t in parsed.turns:
            key = t.label.strip().casefold()
            if key in index:
                turns.append((t.start, t.end, index[key], t.label))
            elif key in interviewer_set:
                turns.append((t.start, t.end, None, t.label))
            else:
                raise StoreError(f"unknown speaker '{t.label}'", file=str(path), line=t.line,
                                 hint="register the speaker in participants.csv (pseudonym or "
                                      "real_name), or write an interviewer label such as 'Interviewer:'")
        if not parsed.turns and len(participants) == 1 and parsed.text:
            turns.append((0, len(parsed.text), participants[0], None))
        text_translation = read_translation(translation) if translation else None
        with located(path):
            return sv.add_document(store, name or path.name, parsed.text, interview=interview,
                                   language=language, date=date, translation=text_translation,
                                   turns=turns, actor=actor,
                                   observations=[(o.start, o.end, o.note) for o in parsed.observations])


def _ensure_people(store: Store, row, names: list[str], interview: str | None,
                   actor: str | None) -> None:
    """Create the row's family, participants and interview when they are new."""
    with store.transaction(actor=actor) as s:
        family = row.get("family")
        if family and find(s, m.Family, family) is None:
            sv.add_family(store, family, actor=actor)
        for who in names:
            if find(s, m.Participant, who) is None:
                if not row.get("role"):
                    raise DataError(f"unknown participant '{who}'", file=row.file, row=row.row,
                                    column="participant",
                                    hint="register it in participants.csv or fill in the role column")
                sv.add_participant(store, who, role=row["role"], family=family, actor=actor)
        if interview and find(s, m.Interview, interview) is None:
            sv.add_interview(store, interview, date=row.get("date"), language=row.get("language"),
                             participants=names, actor=actor)
        elif interview:
            for who in names:
                sv.add_interview_participant(store, interview, who, actor=actor)


def import_manifest(store: Store, manifest: str | os.PathLike, *,
                    actor: str | None = None) -> ImportResult:
    """Import every transcript listed in a manifest CSV, all in one transaction.

    Columns: ``file, interview, participant, role, family, language, date`` (``file`` and
    ``interview`` required; ``participant`` may list several pseudonyms separated by ``;``;
    optional ``translation``: a translation file). Paths are relative to the manifest.
    New families, participants (when ``role`` is filled) and interviews are created.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from leftbehind.qual.store import init_store
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "t.md").write_text("Lan: hello\\n", encoding="utf-8")
    >>> _ = (d / "manifest.csv").write_text("file,interview,participant,role,family,language,date\\n"
    ...                                     "t.md,I01,Lan,child,F01,en,2014-01-20\\n", encoding="utf-8")
    >>> store = init_store(d)
    >>> import_manifest(store, d / "manifest.csv").documents
    ('t.md',)
    >>> store.close()
    """
    manifest = Path(manifest)
    rows = read_rows(manifest, required=["file", "interview"])
    seen: dict[str, int] = {}
    docs, turns, obs = [], 0, 0
    with store.transaction(actor=actor) as s:
        for row in rows:
            path = manifest.parent / row["file"]
            name = path.name
            if name in seen:
                raise DataError(f"file name '{name}' is listed twice (first in row {seen[name]})",
                                file=str(manifest), row=row.row, column="file",
                                hint="list each file once; separate several participants with ';'")
            seen[name] = row.row
            names = row.names("participant")
            with located(manifest, row.row):
                _ensure_people(store, row, names, row["interview"], actor)
            translation = manifest.parent / row["translation"] if row.get("translation") else None
            with located(manifest, row.row):
                doc_id = import_transcript(store, path, interview=row["interview"], participants=names,
                                           language=row.get("language"), date=row.get("date"),
                                           translation=translation, actor=actor)
            docs.append(name)
            turns += _count(s, m.Turn, doc_id)
            obs += _count(s, m.Observation, doc_id)
    return ImportResult(documents=tuple(docs), turns=turns, observations=obs)


def _count(session, model, doc_id: int) -> int:
    from sqlalchemy import func, select

    return session.scalar(select(func.count()).select_from(model).where(model.document_id == doc_id))


def import_codings(store: Store, path: str | os.PathLike, *, create_codes: bool = True,
                   actor: str | None = None) -> ImportResult:
    """Import codings from a CSV with columns ``document, coder, code, start, end``.

    Offsets are code points, half-open; each span is checked against its document's length.
    Unknown codes are added to the codebook (``create_codes=False`` makes them errors). A
    document may be named with or without its file extension. One transaction.
    """
    path = Path(path)
    rows = read_rows(path, required=list(CODING_COLUMNS))
    count = 0
    from sqlalchemy import select

    with store.transaction(actor=actor) as s:
        stems: dict[str, str] = {}
        for (doc_name,) in s.execute(select(m.Document.name)):
            stems.setdefault(Path(doc_name).stem, doc_name)
        for row in rows:
            start, end = row.integer("start"), row.integer("end")
            if start is None or end is None:
                raise DataError("start and end must be filled in", file=str(path), row=row.row,
                                column="start" if start is None else "end", hint="write code-point offsets")
            document = row["document"]
            if find(s, m.Document, document) is None and document in stems:
                document = stems[document]
            sv.add_coding(store, document, start, end, row["code"], coder=row["coder"],
                          create_code=create_codes, actor=actor, file=str(path), row=row.row)
            count += 1
    return ImportResult(codings=count)


def export_codings(store: Store, path: str | os.PathLike, *,
                   documents: Iterable[str] | None = None) -> int:
    """Write the codings as a CSV that :func:`import_codings` reads back; return the row count."""
    from leftbehind.qual.query import codings_frame

    frame = codings_frame(store)
    if documents is not None:
        frame = frame[frame["document"].isin(list(documents))]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CODING_COLUMNS)
    for rec in frame.itertuples(index=False):
        writer.writerow([rec.document, rec.coder, rec.code, int(rec.start), int(rec.end)])
    write_text_atomic(path, buffer.getvalue())
    return len(frame)


def export_document(store: Store, document: str, *, path: str | os.PathLike) -> None:
    """Write a document's text to a UTF-8 file byte for byte (line endings as stored)."""
    from leftbehind.qual.query import document_text

    write_bytes_atomic(path, document_text(store, document).encode("utf-8"))

