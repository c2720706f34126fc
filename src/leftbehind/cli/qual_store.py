"""Commands of the qual_store group (layer L6): thin wrappers over :mod:`leftbehind.qual`.

``leftbehind qual init|import|import-codings|load|people|codes|code|memo|history|deidentify``.
Listings show pseudonyms only. The library is imported inside each command so that
``leftbehind --help`` stays fast.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Optional

import typer

from leftbehind.cli._app import app, qual_app  # noqa: F401
from leftbehind.cli._output import echo_json, split_names

StudyArg = Annotated[str, typer.Argument(help="Study folder (holding study.db) or a database URL.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
ActorOpt = Annotated[Optional[str], typer.Option("--actor", help="Name recorded in the event log.")]


@contextlib.contextmanager
def _opened(study: str) -> Iterator:
    from leftbehind.qual.store import open_store

    store = open_store(study)
    try:
        yield store
    finally:
        store.close()


def _records(frame) -> list[dict]:
    return frame.astype(object).where(frame.notna(), None).to_dict(orient="records")


@qual_app.command("init")
def init_cmd(study: StudyArg) -> None:
    """Create the qualitative store (study.db) of a study folder, or upgrade it."""
    from leftbehind.qual.store import init_store

    store = init_store(study)
    where = store.location
    store.close()
    typer.echo(f"store ready: {where}")


@qual_app.command("import")
def import_cmd(study: StudyArg,
               manifest: Annotated[Path, typer.Argument(help="manifest.csv listing the transcripts.")],
               actor: ActorOpt = None, as_json: JsonOpt = False) -> None:
    """Import the transcripts listed in a manifest CSV (all or nothing)."""
    from leftbehind.qual.transcripts import import_manifest

    with _opened(study) as store:
        result = import_manifest(store, manifest, actor=actor)
    if as_json:
        echo_json(result.to_dict())
    else:
        typer.echo(f"imported {len(result.documents)} document(s), {result.turns} turn(s), "
                   f"{result.observations} observation(s)")


@qual_app.command("import-codings")
def import_codings_cmd(study: StudyArg,
                       codings: Annotated[Path, typer.Argument(help="CSV: document,coder,code,start,end.")],
                       no_new_codes: Annotated[bool, typer.Option(
                           "--no-new-codes", help="Refuse codes not in the codebook.")] = False,
                       actor: ActorOpt = None) -> None:
    """Import codings (code-point spans) from a CSV file (all or nothing)."""
    from leftbehind.qual.transcripts import import_codings

    with _opened(study) as store:
        result = import_codings(store, codings, create_codes=not no_new_codes, actor=actor)
    typer.echo(f"imported {result.codings} coding(s)")


@qual_app.command("load")
def load_cmd(study: StudyArg,
             folder: Annotated[Path, typer.Argument(help="Folder of families.csv, participants.csv, ...")],
             actor: ActorOpt = None) -> None:
    """Load a study folder (people, interviews, transcripts, codebook, codings, memos) at once."""
    from leftbehind.qual.folder import load_folder

    with _opened(study) as store:
        result = load_folder(store, folder, actor=actor)
    typer.echo("loaded " + ", ".join(result.loaded))


@qual_app.command("people")
def people_cmd(study: StudyArg, as_json: JsonOpt = False,
               import_from: Annotated[Optional[Path], typer.Option(
                   "--import", help="First import families.csv, participants.csv and consent.csv "
                                    "from this folder.")] = None,
               actor: ActorOpt = None) -> None:
    """List families and participants (pseudonyms only)."""
    from leftbehind.qual.folder import import_people
    from leftbehind.qual.query import families_frame, participants_frame

    with _opened(study) as store:
        if import_from is not None:
            done = import_people(store, import_from, actor=actor)
            if not as_json:
                typer.echo("imported " + (", ".join(done) or "nothing"))
        families, people = families_frame(store), participants_frame(store)
    if as_json:
        echo_json({"families": _records(families), "participants": _records(people)})
        return
    for fam in _records(families):
        typer.echo(f"{fam['family']}  {fam['migration_pattern'] or ''}  "
                   f"caregivers: {fam['caregivers'] or ''}  left behind: {fam['left_behind_age'] or ''}")
        for p in _records(people[people["family"] == fam["family"]]):
            typer.echo(f"  {p['participant']}  {p['role']}  age {p['age'] if p['age'] is not None else '?'}"
                       f"  {p['sex'] or ''}".rstrip())
    for p in _records(people[people["family"].isna()]):
        typer.echo(f"{p['participant']}  {p['role']}  (no family)")


def _tree_lines(frame) -> list[str]:
    rows = _records(frame)
    children: dict = {}
    for r in rows:
        children.setdefault(r["parent"], []).append(r)
    lines: list[str] = []

    def walk(parent, depth: int) -> None:
        for r in sorted(children.get(parent, []), key=lambda x: x["code"]):
            cat = f"  [{r['category']}]" if r["category"] else ""
            lines.append(f"{'  ' * depth}{r['code']} ({r['n_codings']}){cat}")
            walk(r["code"], depth + 1)

    walk(None, 0)
    return lines


@qual_app.command("codes")
def codes_cmd(study: StudyArg, as_json: JsonOpt = False,
              rename: Annotated[Optional[tuple[str, str]], typer.Option(
                  "--rename", metavar="OLD NEW", help="Rename a code.")] = None,
              merge: Annotated[Optional[str], typer.Option(
                  "--merge", help="Comma-separated codes to merge --into one.")] = None,
              split: Annotated[Optional[str], typer.Option(
                  "--split", help="Code to split --into comma-separated new child codes.")] = None,
              into: Annotated[Optional[str], typer.Option("--into", help="Target of --merge / --split.")] = None,
              add: Annotated[Optional[str], typer.Option("--add", help="Add a code.")] = None,
              parent: Annotated[Optional[str], typer.Option("--parent", help="Parent of --add.")] = None,
              out: Annotated[Optional[Path], typer.Option(
                  "--out", help="Write the codebook to FILE (.csv .docx .html .md .tex .json).")] = None,
              actor: ActorOpt = None) -> None:
    """Show the code tree; --add, --rename, --merge or --split change it first; --out exports the codebook."""
    from leftbehind.errors import InputError
    from leftbehind.qual import services as sv
    from leftbehind.qual.query import codes_frame

    if (merge or split) and not into:
        raise InputError("--merge and --split need --into", key="--into",
                         hint="e.g. --merge 'a,b' --into c, or --split a --into 'a1,a2'")
    if merge and split:
        raise InputError("use --merge or --split, not both", key="--merge")
    with _opened(study) as store:
        if add:
            sv.add_code(store, add, parent=parent, actor=actor)
        if rename:
            sv.rename_code(store, rename[0], to=rename[1], actor=actor)
        if merge:
            sv.merge_codes(store, split_names(merge), into=into, actor=actor)
        if split:
            sv.split_code(store, split, into=split_names(into), actor=actor)
        frame = codes_frame(store)
    if out is not None:
        from leftbehind.report.qual_tables import codebook_table

        typer.echo(f"wrote {codebook_table(frame).write(out)}")
    if as_json:
        echo_json(_records(frame))
    else:
        typer.echo("\n".join(_tree_lines(frame)) or "(no codes)")


@qual_app.command("code")
def code_cmd(study: StudyArg, document: Annotated[str, typer.Argument(help="Document name.")],
             start: Annotated[int, typer.Argument(help="Start offset (code points).")],
             end: Annotated[int, typer.Argument(help="End offset, exclusive.")],
             code: Annotated[str, typer.Argument(help="Code name.")],
             coder: Annotated[str, typer.Option("--coder", help="Who codes.")],
             new_code: Annotated[bool, typer.Option("--new-code", help="Add the code if it is new.")] = False) -> None:
    """Code the span [START, END) of DOCUMENT."""
    from leftbehind.qual import services as sv
    from leftbehind.qual.query import document_text

    with _opened(study) as store:
        cid = sv.add_coding(store, document, start, end, code, coder=coder, create_code=new_code)
        text = document_text(store, document)[start:end]
    typer.echo(f"coding {cid}: {code} [{start}, {end}) {text!r}")


@qual_app.command("memo")
def memo_cmd(study: StudyArg,
             target_type: Annotated[str, typer.Argument(
                 help="code, category, document, participant, family or coding.")],
             target: Annotated[str, typer.Argument(help="Name (pseudonym; coding id).")],
             title: Annotated[str, typer.Option("--title")],
             text: Annotated[str, typer.Option("--text")],
             author: Annotated[str, typer.Option("--author")],
             date: Annotated[Optional[str], typer.Option("--date", help="YYYY-MM-DD")] = None) -> None:
    """Write a memo on a code, category, document, participant, family or coding."""
    from leftbehind.qual import services as sv

    with _opened(study) as store:
        mid = sv.add_memo(store, target_type, target=target, author=author, title=title, text=text, date=date)
    typer.echo(f"memo {mid} on {target_type} {target}")


@qual_app.command("history")
def history_cmd(study: StudyArg,
                code: Annotated[Optional[str], typer.Option("--code", help="Code name (any it had).")] = None,
                coding: Annotated[Optional[int], typer.Option("--coding", help="Coding id.")] = None,
                as_json: JsonOpt = False) -> None:
    """Show the history of a code (through renames and merges) or of a coding."""
    from leftbehind.qual.query import history

    with _opened(study) as store:
        result = history(store, code=code, coding=coding)
    if as_json:
        echo_json(result.to_dict())
        return
    for e in result.events:
        detail = ", ".join(f"{k}={v}" for k, v in e.payload.items() if k != "codes")
        typer.echo(f"{e.at}  {e.actor}  {e.action} {e.entity} {e.entity_id}  {detail}")


@qual_app.command("deidentify")
def deidentify_cmd(study: StudyArg, as_json: JsonOpt = False,
                   show_names: Annotated[bool, typer.Option(
                       "--show-names", help="Also print the real names found (keep the output private).")] = False) -> None:
    """List registered real names still present in documents; exit 1 if any is found."""
    from leftbehind.qual.deidentify import check_real_names

    with _opened(study) as store:
        report = check_real_names(store)
    if as_json:
        echo_json(report.to_dict(with_names=show_names))
    elif report.clean:
        typer.echo("no registered real name found in any document")
    else:
        for h in report.hits:
            extra = f"  {h.name}" if show_names else ""
            typer.echo(f"{h.document}  {h.field}  offset {h.offset}  length {h.length}  "
                       f"-> {h.participant}{extra}")
    if not report.clean:
        raise typer.Exit(1)
