"""The qualitative sections of a study report, built from the interview store (layer L5).

:func:`qual_sections` reads the store through :mod:`leftbehind.qual.query`, runs the analyses
of :mod:`leftbehind.grounded` and lays out, in order: fieldwork and participants, the coding
procedure with inter-coder agreement, saturation, one subsection per category with its best
quotes, the paradigm model with the storyline of the core category, triangulation across
family members, the memos and, as an appendix, the codebook. :func:`qual_document` wraps the
sections in a :class:`~leftbehind.report.document.Document` for a study with interviews only.

Privacy: informants appear by pseudonym and descriptor only. As a last step every text of the
sections, tables and data is screened for the registered real names of the store's identity
table; any that slipped into a transcript, memo or codebook example is replaced by
:data:`REDACTED` and a caution says how many were removed (fix the sources with
``leftbehind qual deidentify``).

Determinism: no timestamps, every list in a fixed order, figures saved reproducibly, so the
same store gives byte-identical HTML.

Examples
--------
>>> import tempfile, pathlib
>>> from leftbehind.qual.store import init_store
>>> from leftbehind.qual import services
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> store = init_store(folder)
>>> _ = services.add_participant(store, "Lan", role="child", age=11, real_name="Wang Xiaowen")
>>> _ = services.add_interview(store, "I01", date="2013-09-16", participants=["Lan"])
>>> text = "Lan: I miss Mama. Wang Xiaowen is my name."
>>> _ = services.add_document(store, "d1", text, interview="I01", turns=[(0, len(text), "Lan", "Lan")])
>>> _ = services.add_coding(store, "d1", 5, len(text), "missing parents", coder="A", create_code=True)
>>> doc, report = qual_document(store, folder / "figures", title="Interviews")
>>> [s.title for s in doc.sections][:3]
['Fieldwork and participants', 'Coding procedure', 'Saturation']
>>> report.data["codings"], "Wang Xiaowen" in str(doc.to_dict())
({'A': 1}, False)
>>> store.close()
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from leftbehind._result import ResultMixin, json_safe
from leftbehind.errors import InputError
from leftbehind.present.numfmt import fmt, fmt_int, fmt_percent, is_missing
from leftbehind.present.table import Table
from leftbehind.report.document import (BulletList, Caution, Document, Figure, Paragraph, Quote, Section,
                                        TableBlock)
from leftbehind.report.qual_tables import (CATEGORY_ROLE_ORDER, agreement_table, category_order, choose_quotes,
                                           code_by_role_table, codebook_table, cooccurrence_table, human,
                                           interviews_table, redact_section, redactor, role_order,
                                           saturation_table, text_or_blank,
                                           triangulation_table)

__all__ = ["REDACTED", "SECTION_TITLES", "QualReport", "qual_document", "qual_sections"]

#: What replaces a registered real name found in any text of the report.
REDACTED = "[name removed]"
#: The top-level sections, in order.
SECTION_TITLES = ("Fieldwork and participants", "Coding procedure", "Saturation", "Categories",
                  "Paradigm model", "Triangulation across family members", "Memos", "Appendix: Codebook")


@dataclass(frozen=True)
class QualReport(ResultMixin):
    """The qualitative report sections with their tables, figures and numbers.

    Attributes
    ----------
    sections
        The sections, in the order of :data:`SECTION_TITLES`.
    tables
        By stable name: ``codebook``, ``agreement`` (two or more coders), ``saturation``,
        ``triangulation``, ``code_by_role``, ``cooccurrence``, ``interviews``.
    figures
        ``{"saturation": [png, svg], "paradigm": [png, svg]}`` (empty lists when not drawn).
    data
        JSON-safe numbers for ``results.json`` under ``"qual"``.
    """

    sections: tuple[Section, ...]
    tables: dict[str, Table]
    figures: dict[str, list[Path]]
    data: dict

    def to_frame(self) -> pd.DataFrame:
        """One row per table: ``table, title, rows``."""
        return pd.DataFrame([{"table": name, "title": t.title, "rows": len(t.rows)} for name, t in self.tables.items()],
                            columns=["table", "title", "rows"])

    def to_dict(self) -> dict:
        """JSON-safe form: sections, tables, figure paths and data."""
        return {"sections": [s.to_dict() for s in self.sections],
                "tables": {name: t.to_dict() for name, t in self.tables.items()},
                "figures": {k: [str(p) for p in v] for k, v in self.figures.items()}, "data": self.data}


# ---------------------------------------------------------------------------- reading the store
def _frames(store: Any) -> dict[str, pd.DataFrame]:
    from leftbehind.qual import query as q

    return {"documents": q.documents_frame(store), "participants": q.participants_frame(store),
            "families": q.families_frame(store), "turns": q.turns_frame(store), "codes": q.codes_frame(store),
            "codings": q.codings_frame(store), "categories": q.categories_frame(store),
            "relations": q.relations_frame(store), "interviews": q.interviews_frame(store),
            "memos": q.memos_frame(store), "consents": q.consents_frame(store)}


# ---------------------------------------------------------------------------- small helpers
def _wave_key(item: tuple[str, Any]) -> tuple:
    """Waves in numeric order when they are numbers; 'unassigned' last."""
    wave = item[0]
    return (wave == "unassigned", not wave.isdigit(), int(wave) if wave.isdigit() else 0, wave)


def _count_phrase(counts: dict[str, int]) -> str:
    """`` (3 child, 1 teacher)`` or nothing when there are no counts."""
    return f" ({', '.join(f'{n} {human(k)}' for k, n in counts.items())})" if counts else ""


def _choose_coders(codings: pd.DataFrame, coders: Sequence[str] | None,
                   primary: str | None) -> tuple[list[str], str]:
    present = codings["coder"].value_counts()
    if present.empty:
        raise InputError("the store holds no codings", hint="import codings first (leftbehind qual load or "
                                                            "qual import-codings)")
    if primary is None:
        primary = sorted(present.items(), key=lambda kv: (-kv[1], str(kv[0])))[0][0]
    elif primary not in present.index:
        raise InputError(f"the primary coder {primary!r} has no codings",
                         hint=f"coders with codings: {', '.join(sorted(map(str, present.index)))}")
    compared = sorted(map(str, present.index)) if coders is None else list(dict.fromkeys(coders))
    unknown = [c for c in compared if c not in present.index]
    if unknown:
        raise InputError(f"coder(s) {', '.join(map(repr, unknown))} have no codings",
                         hint=f"coders with codings: {', '.join(sorted(map(str, present.index)))}")
    return compared, str(primary)


def _descriptor_phrases(families: pd.DataFrame, participants: pd.DataFrame) -> dict[str, dict[str, str]]:
    caregivers = {str(v): f"child cared for by {v}" for v in families["caregivers"].dropna().unique()}
    migration = {str(v): f"migrant: {v}" for v in families["migration_pattern"].dropna().unique()}
    roles = {str(v): human(v) for v in participants["role"].dropna().unique()}
    return {"caregivers": caregivers, "migration_pattern": migration, "role": roles}


# ---------------------------------------------------------------------------- sections
def _fieldwork(f: dict[str, pd.DataFrame], consents: pd.DataFrame, tables: dict[str, Table],
               data: dict) -> Section:
    people, interviews, documents = f["participants"], f["interviews"], f["documents"]
    roles = dict(zip(people["participant"], people["role"]))
    interviewed = sorted({p for ps in interviews["participants"] for p in ps})
    by_role = {r: int((people["role"] == r).sum()) for r in role_order(list(people["role"].dropna().unique()))}
    families_seen = sorted({str(x) for x in people.loc[people["participant"].isin(interviewed), "family"].dropna()})
    blocks: list[Any] = [Paragraph(
        f"The study records {fmt_int(len(f['families']))} families, {fmt_int(len(families_seen))} of which took part "
        f"in at least one interview, and {fmt_int(len(people))} participants{_count_phrase(by_role)}; "
        f"{fmt_int(len(interviewed))} participants were interviewed.")]
    waves: dict[str, list[Any]] = {}
    for r in interviews.itertuples(index=False):
        waves.setdefault("unassigned" if is_missing(r.wave) else str(r.wave), []).append(r)
    ordered_waves = sorted(waves.items(), key=_wave_key)
    wave_text = "; ".join(
        f"wave {w}: {len(rs)} ({min(str(r.date) for r in rs)} to {max(str(r.date) for r in rs)})"
        if all(not is_missing(r.date) for r in rs) else f"wave {w}: {len(rs)}" for w, rs in ordered_waves)
    languages = interviews["language"].fillna("unknown").value_counts().sort_index()
    transcripts = documents["language"].fillna("unknown").value_counts().sort_index()
    if len(interviews):
        blocks.append(Paragraph(
            f"{fmt_int(len(interviews))} interviews were held ({wave_text}). Spoken language: "
            f"{', '.join(f'{k} {v}' for k, v in languages.items())}. The store holds {fmt_int(len(documents))} "
            f"transcripts (language of the file: {', '.join(f'{k} {v}' for k, v in transcripts.items())})."))
    conjoint = interviews[(interviews["participants"].map(len) > 1).astype(bool)]
    for r in conjoint.itertuples(index=False):
        who = ", ".join(f"{p} ({human(roles.get(p))})" for p in r.participants)
        blocks.append(Paragraph(f"Interview {r.interview} was a conjoint interview with {who}."))
    suspended = interviews[interviews["suspended"].astype(bool)]
    for r in suspended.itertuples(index=False):
        after = "" if is_missing(r.duration_min) else f" after {fmt(r.duration_min, 0)} minutes"
        reason = "" if is_missing(r.suspended_reason) else f": {r.suspended_reason}"
        referral = ("A referral to support was offered." if bool(r.referral_offered)
                    else "No referral to support is recorded.")
        blocks.append(Paragraph(f"Interview {r.interview} with {', '.join(r.participants)} was suspended{after}"
                                f"{reason}. {referral}"))
    blocks += _consent_blocks(consents, interviewed, roles)
    tables["interviews"] = interviews_table(interviews, roles)
    blocks.append(TableBlock(tables["interviews"]))
    data.update({"families": len(f["families"]), "families_interviewed": len(families_seen),
                 "participants": {"total": len(people), "interviewed": len(interviewed), "by_role": by_role},
                 "interviews": {"total": len(interviews), "by_wave": {w: len(rs) for w, rs in ordered_waves},
                                "by_language": {str(k): int(v) for k, v in languages.items()},
                                "conjoint": list(conjoint["interview"]), "suspended": list(suspended["interview"]),
                                "referral_offered": list(suspended.loc[suspended["referral_offered"].astype(bool),
                                                                       "interview"])},
                 "documents": len(documents)})
    return Section("Fieldwork and participants", blocks=tuple(blocks))


def _consent_blocks(consents: pd.DataFrame, interviewed: list[str], roles: dict[str, str]) -> list[Any]:
    assent = consents[consents["kind"] == "assent"]
    proxy = consents[(consents["kind"] == "consent") & (consents["given_by"] != consents["participant"])]
    own = consents[(consents["kind"] == "consent") & (consents["given_by"] == consents["participant"])]
    children = [p for p in interviewed if roles.get(p) == "child"]
    blocks: list[Any] = [Paragraph(
        f"Consent log: {fmt_int(assent['participant'].nunique())} children gave their own assent and a carer's or "
        f"parent's consent was recorded for {fmt_int(proxy['participant'].nunique())} of them; "
        f"{fmt_int(own['participant'].nunique())} adults gave their own consent.")]
    missing = [p for p in interviewed if p not in set(consents["participant"])]
    missing += [f"{p} (no assent)" for p in children if p not in set(assent["participant"])]
    missing += [f"{p} (no consent by a carer or parent)" for p in children if p not in set(proxy["participant"])]
    if missing:
        blocks.append(Caution("No consent is recorded for these interviewed participants: " + "; ".join(missing)
                              + ". Check the consent log before the report is shared."))
    else:
        blocks.append(Paragraph("Every interviewed participant has a consent record, and every interviewed child "
                                "both an assent and a carer's or parent's consent."))
    return blocks


AGREEMENT_DEFINITION = (
    "Agreement is computed character by character on the transcripts that every compared coder coded. For each "
    "code, each coder marks every character as inside or outside one of their segments of that code. Percent "
    "agreement is the share of characters marked alike; Cohen's kappa discounts the agreement expected by chance "
    "from each coder's own marking rate; Krippendorff's alpha (nominal) is one minus the ratio of observed to "
    "expected disagreement. The pooled row treats every pair of a code in use and a character as one unit. With "
    "more than two coders, agreement and kappa are means over coder pairs (Light's kappa).")


def _coding_procedure(f: dict[str, pd.DataFrame], compared: list[str], primary: str, tables: dict[str, Table],
                      data: dict) -> Section:
    from leftbehind.grounded import agreement
    from leftbehind.grounded.agreement import documents_coded_by_all

    codes, codings, cats = f["codes"], f["codings"], f["categories"]
    parents = set(codes["parent"].dropna())
    used = codings["code"].nunique()
    core = cats.loc[cats["is_core"], "category"]
    text = (f"Open coding produced a codebook of {fmt_int(len(codes))} codes ({fmt_int(len(parents))} of them parent "
            f"codes that group others); {fmt_int(used)} codes were applied to the transcripts.")
    if len(cats):
        text += (f" Axial coding grouped the codes into {fmt_int(len(cats))} categories, placed on the paradigm "
                 f"model with {fmt_int(len(f['relations']))} relations between them.")
    if len(core):
        text += f" Selective coding chose {core.iloc[0]} as the core category."
    per_coder = codings.groupby("coder").agg(segments=("code", "size"), documents=("document", "nunique"))
    coder_text = "; ".join(f"{c} coded {fmt_int(r.documents)} of {fmt_int(len(f['documents']))} transcripts "
                           f"({fmt_int(r.segments)} segments)" for c, r in per_coder.iterrows())
    blocks: list[Any] = [Paragraph(text), Paragraph(
        f"Coders: {coder_text}. Quotes, matrices and saturation use the codings of {primary}, the primary coder.")]
    data.update({"codes": len(codes), "categories": len(cats), "relations": len(f["relations"]),
                 "codings": {str(c): int(r.segments) for c, r in per_coder.iterrows()}, "primary_coder": primary,
                 "core_category": None if core.empty else str(core.iloc[0]), "agreement": None})
    if len(compared) < 2:
        blocks.append(Paragraph("Inter-coder agreement needs the codings of a second coder; only one coder is "
                                "compared."))
        return Section("Coding procedure", blocks=tuple(blocks))
    common = documents_coded_by_all(codings, compared)
    if not common:
        blocks.append(Caution(f"No transcript was coded by all of {', '.join(compared)}, so agreement cannot be "
                              "computed."))
        return Section("Coding procedure", blocks=tuple(blocks))
    result = agreement(codings, f["documents"], coders=compared, only_documents=common)
    compared_codings = codings[codings["coder"].isin(compared) & codings["document"].isin(common)]
    tables["agreement"] = agreement_table(result, documents=common, segments=compared_codings)
    o = result.overall
    blocks += [Paragraph(AGREEMENT_DEFINITION), Paragraph(
        f"{', '.join(compared)} all coded these {fmt_int(len(common))} transcripts: {', '.join(common)}. Pooled over "
        f"codes, percent agreement is {fmt_percent(o['percent_agreement'], 2, proportion=True, sign=True)}, kappa "
        f"{fmt(o['kappa'])} and alpha {fmt(o['krippendorff_alpha'])}."), TableBlock(tables["agreement"])]
    data["agreement"] = {**result.to_dict(), "documents": common}
    return Section("Coding procedure", blocks=tuple(blocks))


def _saturation(f: dict[str, pd.DataFrame], primary_codings: pd.DataFrame, figures_dir: Path,
                tables: dict[str, Table], figures: dict[str, list[Path]], data: dict) -> Section:
    from leftbehind.grounded import saturation
    from leftbehind.present.qual_plots import saturation_plot

    result = saturation(primary_codings, f["documents"], interviews=f["interviews"], codebook=f["codes"],
                        categories=f["categories"])
    figures["saturation"] = saturation_plot(result, figures_dir / "qual_saturation")
    tables["saturation"] = saturation_table(result)
    data["saturation"] = {"statement": result.statement(), "interviews": len(result.frame),
                          "cumulative_codes": [int(x) for x in result.frame["cumulative_codes"]],
                          "cumulative_categories": [int(x) for x in result.frame["cumulative_categories"]]}
    return Section("Saturation", blocks=(
        Paragraph(f"Interviews are taken in the order they were held; the codes of {data['primary_coder']} are "
                  "counted. " + result.statement()),
        Figure.from_paths(figures["saturation"], "New codes per interview and cumulative codes and categories.",
                          alt="saturation curve"),
        TableBlock(tables["saturation"])))


def _categories(f: dict[str, pd.DataFrame], primary_codings: pd.DataFrame, *, quotes_per_category: int,
                tables: dict[str, Table]) -> Section:
    from leftbehind.grounded import code_attribute_matrix, quotes
    from leftbehind.grounded.paradigm import ROLE_LABELS, normalise_role

    cats = f["categories"].set_index("category")
    order = category_order(f["categories"])
    pairs = [(c, code) for c in order for code in sorted(cats.loc[c, "codes"])]
    placed = {code for _, code in pairs}
    pairs += [("(no category)", code) for code in sorted(set(primary_codings["code"]) - placed)]
    blocks: list[Any] = []
    if len(primary_codings):
        matrix = code_attribute_matrix(primary_codings, f["participants"], attribute="role", families=f["families"],
                                       codes=[code for _, code in pairs])
        tables["code_by_role"] = code_by_role_table(matrix, order=pairs)
        totals = (matrix.segments["total"], matrix.participants["total"])
    else:
        totals = (pd.Series(dtype=int), pd.Series(dtype=int))
    if not order:
        blocks.append(Paragraph("No categories are recorded yet: axial coding has not grouped the codes."))
    else:
        blocks.append(Paragraph(f"{fmt_int(len(order))} categories, the core category first and the others by "
                                "paradigm role. Each lists its properties with their dimensions, its codes and "
                                "quotes chosen to cover different informants."))
    if "code_by_role" in tables:
        blocks.append(TableBlock(tables["code_by_role"]))
    phrases = _descriptor_phrases(f["families"], f["participants"])
    interview_of = dict(zip(f["documents"]["document"], f["documents"]["interview"]))
    subsections = []
    for name in order:
        row = cats.loc[name]
        role = normalise_role(row["paradigm_role"])
        sub: list[Any] = [Paragraph(f"Paradigm role: {ROLE_LABELS[role].lower()}"
                                    + ("; the core category." if bool(row["is_core"]) else "."))]
        if not is_missing(row["description"]):
            sub.append(Paragraph(str(row["description"])))
        if row["properties"]:
            sub.append(Paragraph("Properties and their dimensions:"))
            sub.append(BulletList([f"{p['name']}: from {text_or_blank(p['dimension_low']) or '?'} to "
                                   f"{text_or_blank(p['dimension_high']) or '?'}" for p in row["properties"]]))
        codes = sorted(row["codes"])
        sub.append(Paragraph("Codes (segments, informants): " + "; ".join(
            f"{c} ({fmt_int(int(totals[0].get(c, 0)))}, {fmt_int(int(totals[1].get(c, 0)))})" for c in codes) + "."))
        mine = primary_codings[primary_codings["code"].isin(codes)]
        picked = choose_quotes(quotes(mine, f["participants"], families=f["families"], phrases=phrases).to_frame(),
                               k=quotes_per_category) if len(mine) and quotes_per_category else pd.DataFrame()
        for q in picked.to_dict("records"):
            where = interview_of.get(q["document"])
            sub.append(Quote(q["quote"], attribution=f"{q['participant']} ({q['descriptor']}), "
                                                     f"{'interview ' + str(where) if where else q['document']}; "
                                                     f"code: {q['code']}"))
        subsections.append(Section(name, blocks=tuple(sub)))
    return Section("Categories", blocks=tuple(blocks), subsections=tuple(subsections))


def _paradigm(f: dict[str, pd.DataFrame], primary_codings: pd.DataFrame, figures_dir: Path,
              tables: dict[str, Table], figures: dict[str, list[Path]]) -> Section:
    from leftbehind.grounded import cooccurrence, paradigm_model
    from leftbehind.grounded.paradigm import ROLE_LABELS
    from leftbehind.present.qual_plots import paradigm_diagram

    blocks: list[Any] = []
    figures["paradigm"] = []
    if len(f["categories"]):
        model = paradigm_model(f["categories"], f["relations"])
        figures["paradigm"] = paradigm_diagram(model, figures_dir / "qual_paradigm")
        blocks.append(Figure.from_paths(figures["paradigm"], "The paradigm model: categories by paradigm role, "
                                                             "relations as arrows, the core category outlined.",
                                        alt="paradigm model diagram"))
        roles = model.to_dict()["roles"]
        ranked = sorted(roles.items(), key=lambda kv: CATEGORY_ROLE_ORDER.index(kv[0] if kv[0] != "unplaced" else None))
        blocks.append(BulletList([f"{ROLE_LABELS.get(r if r != 'unplaced' else None, r)}: {', '.join(sorted(cs))}"
                                  for r, cs in ranked]))
        notes = dict(((a, b, k), n) for a, b, k, n in f["relations"][["from_category", "to_category", "kind", "note"]]
                     .itertuples(index=False))
        if model.relations:
            blocks.append(Paragraph("Relations between the categories:"))
            blocks.append(BulletList([f"{a} → {b} ({human(k)})" + (f": {notes[(a, b, k)]}"
                                                                 if not is_missing(notes.get((a, b, k))) else "")
                                      for a, b, k in model.relations]))
        memos = f["memos"]
        story = memos[(memos["target_type"] == "category") & (memos["target"] == model.core)
                      & (memos["title"] == "Storyline")]
        if model.core and len(story):
            blocks.append(Paragraph(f"Storyline of the core category, {model.core}:"))
            author = story.iloc[-1]["author"]
            by = f" by {author}" if not is_missing(author) and author != "unknown" else ""
            blocks.append(Quote(str(story.iloc[-1]["text"]), attribution=f"storyline memo{by}"))
        elif model.core:
            blocks.append(Paragraph(f"The core category is {model.core}; no storyline memo is recorded."))
    else:
        blocks.append(Paragraph("No categories are recorded, so there is no paradigm model yet."))
    if primary_codings["code"].nunique() > 1:
        tables["cooccurrence"] = cooccurrence_table(cooccurrence(primary_codings, by="turn", turns=f["turns"]))
        blocks.append(TableBlock(tables["cooccurrence"]))
    return Section("Paradigm model", blocks=tuple(blocks))


def _triangulation(f: dict[str, pd.DataFrame], primary_codings: pd.DataFrame, tables: dict[str, Table],
                   data: dict) -> Section:
    from leftbehind.grounded import triangulate

    in_family = primary_codings[primary_codings["family"].notna()]
    result = triangulate(in_family, f["participants"], turns=f["turns"])
    table, lines = triangulation_table(result)
    tables["triangulation"] = table
    several = [fam for fam, members in result.members.items() if len(members) >= 2]
    rows = result.rows[result.rows["family"].isin(several)]
    shared, divergent = int((rows["status"] == "shared").sum()), int((rows["status"] == "divergent").sum())
    data["triangulation"] = {"families": several, "pairs": len(rows), "shared": shared, "divergent": divergent}
    if not several:
        return Section("Triangulation across family members", blocks=(Paragraph(
            "No family has two or more interviewed members, so accounts cannot be compared within families."),))
    blocks: list[Any] = [
        Paragraph(f"In the {fmt_int(len(several))} families with two or more interviewed members, the accounts carry "
                  f"{fmt_int(len(rows))} family-code pairs: {fmt_int(shared)} are shared by every member and "
                  f"{fmt_int(divergent)} appear in some members' accounts but not in others'. Codes found in one "
                  "role's account only show where the child's, the parents' and the grandparents' stories part."),
        TableBlock(table)]
    if lines:
        blocks.append(BulletList(lines))
    return Section("Triangulation across family members", blocks=tuple(blocks))


def _memos(memos: pd.DataFrame) -> Section:
    if memos.empty:
        return Section("Memos", blocks=(Paragraph("No memos are recorded."),))
    ordered = memos.assign(_undated=memos["date"].isna()).sort_values(["_undated", "date", "memo_id"], kind="stable")
    items = [f"{text_or_blank(r.date) or 'undated'}, {r.author}: {r.title} (on {human(r.target_type)} {r.target})"
             for r in ordered.itertuples(index=False)]
    return Section("Memos", blocks=(Paragraph(f"{fmt_int(len(items))} memos, by date:"), BulletList(items)))


# ---------------------------------------------------------------------------- public API
def qual_sections(store: Any, figures_dir: str | Path, *, coders: Sequence[str] | None = None,
                  primary_coder: str | None = None, quotes_per_category: int = 3) -> QualReport:
    """Build the qualitative report sections of the study in ``store``.

    Parameters
    ----------
    store
        An open store (:func:`leftbehind.qual.store.open_store`).
    figures_dir
        Where the saturation plot and the paradigm diagram are written (PNG + SVG).
    coders
        The coders compared for inter-coder agreement (default: every coder with codings).
    primary_coder
        The coder whose codings feed quotes, matrices, saturation and triangulation (default:
        the coder with the most codings; ties go to the first name).
    quotes_per_category
        How many quotes each category subsection shows.

    Returns
    -------
    QualReport

    Raises
    ------
    InputError
        The store has no documents or codings, an unknown primary coder or compared coder, or a
        negative ``quotes_per_category``.
    """
    if not isinstance(quotes_per_category, int) or quotes_per_category < 0:
        raise InputError(f"quotes_per_category must be a whole number of at least 0, not {quotes_per_category!r}",
                         hint="use for example quotes_per_category=3")
    f = _frames(store)
    if f["documents"].empty:
        raise InputError("the store holds no interview documents",
                         hint="import transcripts first, e.g. leftbehind.qual.folder.load_folder(store, folder)")
    compared, primary = _choose_coders(f["codings"], coders, primary_coder)
    figures_dir = Path(figures_dir)
    figures_dir.mkdir(parents=True, exist_ok=True)
    primary_codings = f["codings"][f["codings"]["coder"] == primary].reset_index(drop=True)
    tables: dict[str, Table] = {}
    figures: dict[str, list[Path]] = {}
    data: dict[str, Any] = {}
    sections = [_fieldwork(f, f["consents"], tables, data),
                _coding_procedure(f, compared, primary, tables, data),
                _saturation(f, primary_codings, figures_dir, tables, figures, data),
                _categories(f, primary_codings, quotes_per_category=quotes_per_category, tables=tables),
                _paradigm(f, primary_codings, figures_dir, tables, figures),
                _triangulation(f, primary_codings, tables, data),
                _memos(f["memos"])]
    tables["codebook"] = codebook_table(f["codes"])
    sections.append(Section("Appendix: Codebook", blocks=(TableBlock(tables["codebook"]),), anchor="appendix-codebook"))
    from leftbehind.qual.deidentify import registered_names

    scrub, hits = redactor(registered_names(store), REDACTED)
    clean = {name: Table.from_dict(scrub(t.to_dict())) for name, t in tables.items()}
    sections = [redact_section(s, scrub, tables={id(t): clean[name] for name, t in tables.items()})
                for s in sections]
    removed, tables = hits[0], clean
    data = json_safe(scrub(data))
    data["names_removed"] = removed
    if removed:
        first = sections[0]
        note = Caution(f"{removed} occurrence(s) of a registered real name were found in the texts quoted here and "
                       f"replaced by '{REDACTED}'. Remove them at the source: `leftbehind qual deidentify` lists "
                       "those in the transcripts; check memos and codebook examples too.")
        sections[0] = Section(first.title, blocks=(note, *first.blocks), subsections=first.subsections)
    return QualReport(sections=tuple(sections), tables=tables, figures=figures, data=data)


def qual_document(store: Any, figures_dir: str | Path, *, title: str, coders: Sequence[str] | None = None,
                  primary_coder: str | None = None, quotes_per_category: int = 3) -> tuple[Document, QualReport]:
    """The report of a study with interviews only: a :class:`Document` of :func:`qual_sections`.

    Parameters
    ----------
    store
        An open store.
    figures_dir
        Where the figures are written.
    title
        The report title.
    coders, primary_coder, quotes_per_category
        As for :func:`qual_sections`.

    Returns
    -------
    tuple[Document, QualReport]
        Render the document with :func:`leftbehind.report.html.render_html` or
        :func:`leftbehind.report.docx.render_docx`.
    """
    report = qual_sections(store, figures_dir, coders=coders, primary_coder=primary_coder,
                           quotes_per_category=quotes_per_category)
    d = report.data
    meta = (("Interviews", str(d["interviews"]["total"])), ("Transcripts", str(d["documents"])),
            ("Primary coder", str(d["primary_coder"])))
    if d.get("core_category"):
        meta += (("Core category", str(d["core_category"])),)
    return Document(title=title, subtitle="Interview study: grounded-theory analysis", metadata=meta,
                    sections=report.sections), report
