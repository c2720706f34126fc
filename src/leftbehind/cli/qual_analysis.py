"""Grounded-theory analyses of the qualitative store (layer L6): thin wrappers over ``grounded``.

``leftbehind qual retrieve|matrix|triangulate|saturation|agreement|search|quotes|words|paradigm
STUDY_DIR ...``. Each reads the store through ``leftbehind.qual.query`` and calls one function
of :mod:`leftbehind.grounded`. With ``--json`` they print stable JSON; ``agreement --json``
prints ``{"overall": {...}, "codes": {...}}`` and ``search --json`` a list of hits
``[{document, start, end, text}]``. Tables can be written with ``--out FILE`` (.csv .html .md
.docx ...).
"""

from __future__ import annotations

from pathlib import Path

import typer

from leftbehind.cli._app import app, qual_app  # noqa: F401
from leftbehind.cli._output import echo_json, split_names

STUDY = typer.Argument(..., help="Study folder holding study.db.")
JSON = typer.Option(False, "--json", help="Print stable JSON instead of text.")
OUT = typer.Option(None, "--out", help="Write the table to FILE (.csv .html .md .tex .json .docx).")
CODERS = typer.Option(None, "--coders", help="Only the codings of these coders (comma-separated).")


class _Frames:
    """Reads query frames from the store once each (opened lazily, closed by the caller)."""

    def __init__(self, study: Path, *, coders: str | None = None) -> None:
        from leftbehind.qual.store import open_store

        self.store = open_store(study)
        self._cache: dict[str, object] = {}
        if coders:
            from leftbehind.qual.query import codings_frame

            self._cache["codings"] = codings_frame(self.store, coders=split_names(coders))

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._cache:
            from leftbehind.qual import query

            self._cache[name] = getattr(query, f"{name}_frame")(self.store)
        return self._cache[name]

    def texts(self) -> dict[str, str]:
        from leftbehind.qual.query import document_text

        return {d: document_text(self.store, d) for d in self.documents["document"]}

    def __enter__(self) -> _Frames:
        return self

    def __exit__(self, *exc: object) -> None:
        self.store.close()


def _write_table(frame, out: Path, *, title: str) -> None:
    from leftbehind.present.table import Table

    Table.from_frame(frame, title=title).write(out)
    typer.echo(f"wrote {out}", err=True)


def _where(items: list[str]) -> dict[str, list[str]]:
    from leftbehind.errors import InputError

    where: dict[str, list[str]] = {}
    for item in items:
        if "=" not in item:
            raise InputError(f"--where {item!r} is not ATTRIBUTE=VALUE",
                             hint="write e.g. --where role=child or --where caregivers=grandparents,mother")
        key, _, values = item.partition("=")
        where.setdefault(key.strip(), []).extend(split_names(values))
    return where


@qual_app.command()
def retrieve(study: Path = STUDY, code: list[str] = typer.Option(None, "--code", help="Code (repeatable)."),
             where: list[str] = typer.Option(None, "--where", help="ATTRIBUTE=VALUE[,VALUE] (repeatable)."),
             by: str | None = typer.Option(None, "--by", help="Group segments by this attribute."),
             subcodes: bool = typer.Option(False, "--subcodes", help="Include sub-codes of --code."),
             coders: str | None = CODERS,
             as_json: bool = JSON) -> None:
    """Coded segments with the speaker's attributes, filtered and grouped for constant comparison."""
    from leftbehind.grounded.retrieve import retrieve as run

    with _Frames(study, coders=coders) as f:
        result = run(f.codings, f.participants, code=code or None, where=_where(where or []), by=by,
                     families=f.families, codebook=f.codes, include_subcodes=subcodes)
    if as_json:
        echo_json(result.to_dict())
        return
    for group, rows in result.to_dict()["groups"].items():
        if by:
            typer.echo(f"== {by} = {group} ({len(rows)} segments)")
        for r in rows:
            typer.echo(f"[{r['code']}] {r['document']} {r['start']}-{r['end']} "
                       f"{r['participant'] or '-'} ({r['role'] or '-'}): {' '.join(str(r['text']).split())}")


@qual_app.command()
def matrix(study: Path = STUDY,
           attribute: str | None = typer.Option(None, "--attribute", help="Codes by this attribute."),
           cooccurrence: str | None = typer.Option(None, "--cooccurrence",
                                                   help="Codes by codes: overlap | turn | document."),
           count: str = typer.Option("both", "--count", help="segments | participants | both"),
           out: Path | None = OUT, coders: str | None = CODERS,
           as_json: bool = JSON) -> None:
    """A code-by-attribute matrix (segments and distinct participants) or code co-occurrence."""
    from leftbehind.errors import InputError
    from leftbehind.grounded.matrices import code_attribute_matrix, cooccurrence as run_cooc

    if (attribute is None) == (cooccurrence is None):
        raise InputError("give exactly one of --attribute and --cooccurrence",
                         hint="e.g. --attribute caregivers, or --cooccurrence overlap")
    with _Frames(study, coders=coders) as f:
        if attribute is not None:
            result = code_attribute_matrix(f.codings, f.participants, attribute=attribute,
                                           families=f.families)
            frame, data = result.to_frame(count), result.to_dict()
            title = f"Codes by {attribute} ({count})"
        else:
            frame = run_cooc(f.codings, by=cooccurrence, turns=f.turns if cooccurrence == "turn" else None)
            data = {"by": cooccurrence, "codes": list(frame.index),
                    "counts": {c: {k: int(v) for k, v in row.items()} for c, row in frame.iterrows()}}
            title = f"Code co-occurrence ({cooccurrence})"
    if out is not None:
        _write_table(frame, out, title=title)
    if as_json:
        echo_json(data)
    elif out is None:
        typer.echo(frame.to_string())


def _pair(text: str) -> tuple[str, str]:
    from leftbehind.errors import InputError

    parts = [p.strip() for p in text.split("|")]
    if len(parts) != 2 or not all(parts):
        raise InputError(f"--contradicting {text!r} is not 'CODE A|CODE B'",
                         hint="write e.g. --contradicting 'close to father|father a stranger'")
    return parts[0], parts[1]


@qual_app.command()
def triangulate(study: Path = STUDY,
                contradicting: list[str] = typer.Option(None, "--contradicting",
                                                        help="'CODE A|CODE B' that contradict (repeatable)."),
                code: list[str] = typer.Option(None, "--code", help="Only these codes (repeatable)."),
                out: Path | None = OUT, coders: str | None = CODERS,
                as_json: bool = JSON) -> None:
    """Family triangulation: which members' accounts carry each code, and where they diverge."""
    from leftbehind.grounded.triangulation import triangulate as run

    with _Frames(study, coders=coders) as f:
        result = run(f.codings, f.participants, turns=f.turns, codes=code or None,
                     contradicting=[_pair(c) for c in contradicting or []])
    if out is not None:
        _write_table(result.matrix(), out, title="Family triangulation")
    if as_json:
        echo_json(result.to_dict())
        return
    typer.echo(result.matrix().to_string())
    typer.echo("")
    typer.echo(result.summary())


@qual_app.command()
def saturation(study: Path = STUDY,
               plot: Path | None = typer.Option(None, "--plot", help="Write the plot to STEM.png and STEM.svg."),
               coders: str | None = CODERS,
               as_json: bool = JSON) -> None:
    """New codes and categories per successive interview, and a statement on saturation."""
    from leftbehind.grounded.saturation import saturation as run

    with _Frames(study, coders=coders) as f:
        result = run(f.codings, f.documents, interviews=f.interviews, codebook=f.codes,
                     categories=f.categories)
    if plot is not None:
        from leftbehind.present.qual_plots import saturation_plot

        for path in saturation_plot(result, plot):
            typer.echo(f"wrote {path}", err=True)
    if as_json:
        echo_json(result.to_dict())
        return
    shown = result.to_frame()[["position", "interview", "n_new_codes", "cumulative_codes",
                               "n_new_categories", "cumulative_categories"]]
    typer.echo(shown.to_string(index=False))
    typer.echo(result.statement())


@qual_app.command()
def agreement(study: Path = STUDY, coders: str = typer.Option(..., "--coders", help="Comma-separated, e.g. A,B."),
              basis: str = typer.Option("character", "--basis", help="character | segment"),
              codes: str | None = typer.Option(None, "--codes", help="Comma-separated codes (default: all used)."),
              all_documents: bool = typer.Option(False, "--all-documents",
                                                 help="Use every document, also those a coder did not code."),
              out: Path | None = OUT, as_json: bool = JSON) -> None:
    """Inter-coder agreement per code and overall: percent agreement, Cohen's kappa, Krippendorff's alpha.

    By default only the documents every named coder coded are compared (as in the report).
    """
    from leftbehind.grounded.agreement import agreement as run
    from leftbehind.grounded.agreement import documents_coded_by_all

    names = split_names(coders)
    with _Frames(study) as f:
        common = None if all_documents else documents_coded_by_all(f.codings, names)
        result = run(f.codings, f.documents, coders=names, basis=basis,
                     codes=split_names(codes) if codes else None, only_documents=common)
    if out is not None:
        _write_table(result.to_frame(), out, title=f"Inter-coder agreement ({basis} basis)")
    if as_json:
        echo_json(result.to_dict())
        return
    from leftbehind.present.numfmt import fmt

    frame = result.to_frame()
    for column in ("percent_agreement", "kappa", "krippendorff_alpha"):
        frame[column] = [fmt(v, 3) if v is not None else "undefined" for v in frame[column]]
    typer.echo(frame.drop(columns=["note"]).to_string())
    for code, note in result.notes.items():
        typer.echo(f"note: {code}: {note}")


@qual_app.command()
def search(study: Path = STUDY, query: str = typer.Argument(..., help="Text or regular expression."),
           regex: bool = typer.Option(False, "--regex", help="QUERY is a regular expression."),
           whole_word: bool = typer.Option(False, "--whole-word", help="Whole words only (jieba for Chinese)."),
           case_sensitive: bool = typer.Option(False, "--case-sensitive"),
           window: int = typer.Option(40, "--window", help="Characters of context shown on each side."),
           as_json: bool = JSON) -> None:
    """Full-text search of the transcripts; shows each hit in context."""
    from leftbehind.grounded.textsearch import kwic, search as run

    with _Frames(study) as f:
        texts = f.texts()
    options = {"regex": regex, "whole_word": whole_word, "case_sensitive": case_sensitive}
    if as_json:
        echo_json(run(texts, query, **options).records())
        return
    lines = kwic(texts, query, window=window, **options)
    for r in lines.itertuples(index=False):
        typer.echo(f"{r.document} {r.start}-{r.end}: {r.left:>{window}}[{r.match}]{r.right}")
    typer.echo(f"{len(lines)} hit(s)", err=True)


def _phrases(items: list[str]) -> dict[str, dict[str, str]]:
    from leftbehind.errors import InputError

    phrases: dict[str, dict[str, str]] = {}
    for item in items:
        key, colon, rest = item.partition(":")
        value, equals, wording = rest.partition("=")
        if not (colon and equals and key.strip() and value.strip()):
            raise InputError(f"--phrase {item!r} is not ATTRIBUTE:VALUE=WORDING",
                             hint="write e.g. --phrase 'migration_pattern:both=both parents away'")
        phrases.setdefault(key.strip(), {})[value.strip()] = wording.strip()
    return phrases


@qual_app.command()
def quotes(study: Path = STUDY, code: list[str] = typer.Option(..., "--code", help="Code (repeatable)."),
           template: str = typer.Option("{role}, {age}, {caregivers}, {migration_pattern}", "--template",
                                        help="Informant descriptor; attribute names in braces."),
           max_chars: int | None = typer.Option(None, "--max-chars", help="Shorten longer quotes."),
           per_participant: int | None = typer.Option(None, "--per-participant", help="At most N per informant."),
           phrase: list[str] = typer.Option(None, "--phrase",
                                            help="ATTRIBUTE:VALUE=WORDING, e.g. 'caregivers:grandparents="
                                                 "grandparents as caregivers' (repeatable)."),
           out: Path | None = OUT,
           coders: str | None = CODERS,
           as_json: bool = JSON) -> None:
    """Quote extracts labelled with informant descriptors (pseudonymous attributes only)."""
    from leftbehind.grounded.quotes import quotes as run

    with _Frames(study, coders=coders) as f:
        result = run(f.codings, f.participants, code=code, families=f.families, template=template,
                     max_chars=max_chars, per_participant=per_participant, phrases=_phrases(phrase or []))
    if out is not None:
        _write_table(result.to_frame().set_index("code")[["descriptor", "quote"]], out, title="Quotes")
    if as_json:
        echo_json(result.to_dict())
        return
    for line in result.lines():
        typer.echo(line)


@qual_app.command()
def words(study: Path = STUDY, by: str = typer.Option("role", "--by", help="role | participant | family"),
          top: int = typer.Option(20, "--top", help="Words per group."),
          stopword: list[str] = typer.Option(None, "--stopword", help="Extra stopword (repeatable)."),
          as_json: bool = JSON) -> None:
    """Word frequencies per group of speakers (jieba for Chinese)."""
    from leftbehind.grounded.textsearch import word_frequencies

    with _Frames(study) as f:
        result = word_frequencies(f.texts(), f.turns, by=by, top=top, extra_stopwords=stopword or ())
    if as_json:
        echo_json(result.to_dict())
        return
    for group, rows in result.to_dict()["groups"].items():
        typer.echo(f"{group}: " + ", ".join(f"{r['word']} {r['count']}" for r in rows))


@qual_app.command()
def paradigm(study: Path = STUDY,
             plot: Path | None = typer.Option(None, "--plot", help="Write the diagram to STEM.png and STEM.svg."),
             core: str | None = typer.Option(None, "--core", help="Core category (default: as stored)."),
             as_json: bool = JSON) -> None:
    """The paradigm model: categories by paradigm role, their relations and the core category."""
    from leftbehind.grounded.paradigm import paradigm_model

    with _Frames(study) as f:
        model = paradigm_model(f.categories, f.relations, core=core)
    if plot is not None:
        from leftbehind.present.qual_plots import paradigm_diagram

        for path in paradigm_diagram(model, plot):
            typer.echo(f"wrote {path}", err=True)
    if as_json:
        echo_json(model.to_dict())
        return
    data = model.to_dict()
    for role, names in data["roles"].items():
        typer.echo(f"{role}: {'; '.join(names)}")
    for rel in data["relations"]:
        typer.echo(f"{rel['from']} --{rel['kind']}--> {rel['to']}")
    typer.echo(f"core category: {data['core'] or '(none)'}")
