"""Tables, quote choice and the privacy screen of the qualitative report sections (layer L5).

Each builder turns a query frame of :mod:`leftbehind.qual.query` or a result of
:mod:`leftbehind.grounded` into a :class:`~leftbehind.present.table.Table` whose cells come
from :mod:`leftbehind.present.numfmt`. Nothing here reads the store; :mod:`.qual_report`
gathers the frames and lays out the sections. Every ordering is explicit, so the same input
always gives the same tables.

Examples
--------
>>> import pandas as pd
>>> codes = pd.DataFrame({"code": ["calls", "contact", "miss"], "parent": ["contact", None, None],
...                       "description": ["Phone calls", "Keeping in touch", "Longing"],
...                       "inclusion": [None] * 3, "exclusion": [None] * 3, "example": [None] * 3})
>>> [row.label for row in codebook_table(codes).rows]
['contact', 'calls', 'miss']
>>> human("intervening_conditions")
'intervening conditions'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from leftbehind.grounded.agreement import Agreement
from leftbehind.grounded.paradigm import normalise_role
from leftbehind.grounded.saturation import Saturation
from leftbehind.grounded.triangulation import ROLE_ORDER, Triangulation
from leftbehind.present.numfmt import fmt, fmt_int, fmt_percent, is_missing
from leftbehind.present.table import Row, Table
from leftbehind.report.document import BulletList, Caution, Figure, Paragraph, Quote, Section, TableBlock

__all__ = ["CATEGORY_ROLE_ORDER", "agreement_table", "category_order", "choose_quotes", "codebook_table",
           "code_by_role_table", "cooccurrence_table", "human", "interviews_table", "redact_section", "redactor",
           "role_order", "saturation_table", "text_or_blank", "triangulation_table"]

#: Paradigm roles in the order a reader meets them: conditions, the phenomenon, its setting,
#: what people do about it and what follows (Strauss & Corbin).
CATEGORY_ROLE_ORDER = ("causal_conditions", "phenomenon", "context", "intervening_conditions",
                       "strategies", "consequences", None)
#: Quotes of about this many characters read best; much shorter or longer ones rank lower.
IDEAL_QUOTE = 160
MIN_QUOTE, MAX_QUOTE = 12, 400


def human(name: object) -> str:
    """A stored identifier for readers: underscores become spaces; missing becomes ``""``."""
    return "" if is_missing(name) else str(name).replace("_", " ")


def text_or_blank(value: object) -> str:
    """A cell from a free-text field: the text, or ``""`` when missing."""
    return "" if is_missing(value) else str(value)


def category_order(categories: pd.DataFrame) -> list[str]:
    """Category names: the core category first, then by paradigm role, then by name.

    >>> cats = pd.DataFrame({"category": ["b", "a", "c"], "paradigm_role": ["consequences", "strategies", "phenomenon"],
    ...                      "is_core": [False, False, True]})
    >>> category_order(cats)
    ['c', 'a', 'b']
    """
    def key(row: Any) -> tuple:
        role = normalise_role(row.paradigm_role)
        return (not bool(row.is_core), CATEGORY_ROLE_ORDER.index(role), str(row.category))

    return [str(r.category) for r in sorted(categories.itertuples(index=False), key=key)]


def _tree(codes: pd.DataFrame) -> list[tuple[int, Any]]:
    """Codes depth first (parents before their children, siblings by name), with their depth."""
    children: dict[Any, list[Any]] = {}
    names = set(codes["code"])
    for row in codes.itertuples(index=False):
        parent = row.parent if not is_missing(row.parent) and row.parent in names else None
        children.setdefault(parent, []).append(row)
    out: list[tuple[int, Any]] = []

    def visit(parent: Any, depth: int) -> None:
        for row in sorted(children.get(parent, []), key=lambda r: str(r.code)):
            out.append((depth, row))
            visit(row.code, depth + 1)

    visit(None, 0)
    return out


def codebook_table(codes: pd.DataFrame) -> Table:
    """The codebook: code, parent, description, inclusion, exclusion, example (parents first)."""
    rows = [Row(str(r.code), (text_or_blank(r.parent), text_or_blank(r.description), text_or_blank(r.inclusion),
                              text_or_blank(r.exclusion), text_or_blank(r.example)))
            for _, r in _tree(codes)]
    return Table(columns=("Parent", "Description", "Inclusion", "Exclusion", "Example"), rows=tuple(rows),
                 stub="Code", title="Codebook", align=("l",) * 5,
                 notes=("Codes are listed under their parent code, each level in alphabetical order.",))


def agreement_table(result: Agreement, *, documents: Sequence[str], segments: pd.DataFrame) -> Table:
    """Percent agreement, kappa and alpha per code and pooled, with each coder's segment counts.

    ``segments`` is the codings frame of the compared coders on ``documents``.
    """
    coders = list(result.coders)
    kappa = "Cohen's kappa" if len(coders) == 2 else "Light's kappa"
    counts = segments.groupby(["code", "coder"]).size()
    rows = []
    for code, values in result.codes.items():
        n = [fmt_int(int(counts.get((code, c), 0))) for c in coders]
        rows.append(Row(str(code), (fmt_percent(values["percent_agreement"], 2, proportion=True),
                                    fmt(values["kappa"]), fmt(values["krippendorff_alpha"]), *n)))
    totals = [fmt_int(int((segments["coder"] == c).sum())) for c in coders]
    o = result.overall
    rows.append(Row("All codes (pooled)", (fmt_percent(o["percent_agreement"], 2, proportion=True),
                                            fmt(o["kappa"]), fmt(o["krippendorff_alpha"]), *totals), role="summary"))
    notes = [f"Units: every character of the {len(documents)} transcripts coded by all of "
             f"{', '.join(coders)}; a blank cell is undefined."]
    notes += [f"{code}: {why}." for code, why in result.notes.items()]
    return Table(columns=("Agreement (%)", kappa, "Krippendorff's α", *(f"Segments {c}" for c in coders)),
                 rows=tuple(rows), stub="Code", title="Inter-coder agreement", notes=tuple(notes))


def saturation_table(result: Saturation) -> Table:
    """New and cumulative codes and categories per interview, in the order held."""
    rows = []
    for r in result.frame.itertuples(index=False):
        date = "" if is_missing(r.date) else pd.Timestamp(r.date).date().isoformat()
        cells = (date, fmt_int(r.n_new_codes), fmt_int(r.cumulative_codes))
        if result.has_categories:
            cells += (fmt_int(r.n_new_categories), fmt_int(r.cumulative_categories))
        rows.append(Row(f"{r.position}. {r.interview}", cells))
    columns = ("Date", "New codes", "Codes so far")
    if result.has_categories:
        columns += ("New categories", "Categories so far")
    return Table(columns=columns, rows=tuple(rows), stub="Interview", title="New codes and categories per interview")


def interviews_table(interviews: pd.DataFrame, roles: Mapping[str, str]) -> Table:
    """One row per interview: date, wave, language, minutes, interviewer, informants, remarks."""
    rows = []
    for r in interviews.itertuples(index=False):
        people = "; ".join(f"{p} ({human(roles.get(p, ''))})" if roles.get(p) else str(p) for p in r.participants)
        remarks = []
        if len(r.participants) > 1:
            remarks.append("conjoint")
        if bool(r.suspended):
            remarks.append("suspended" + ("; referral offered" if bool(r.referral_offered) else ""))
        minutes = "" if is_missing(r.duration_min) else fmt(r.duration_min, 0)
        rows.append(Row(str(r.interview), (text_or_blank(r.date), text_or_blank(r.wave), text_or_blank(r.language),
                                           minutes, text_or_blank(r.interviewer), people, "; ".join(remarks))))
    return Table(columns=("Date", "Wave", "Language", "Minutes", "Interviewer", "Informants", "Remarks"),
                 rows=tuple(rows), stub="Interview", title="Interviews",
                 align=("l", "r", "l", "r", "l", "l", "l"))


def code_by_role_table(matrix: Any, *, order: Sequence[tuple[str, str]]) -> Table:
    """Codes (grouped by category) by informant role: ``segments (participants)`` per cell.

    ``matrix`` is a :class:`~leftbehind.grounded.CodeMatrix` over ``role``; ``order`` gives
    ``(category, code)`` pairs in display order.
    """
    cells = matrix.to_frame("both")
    values = [str(c) for c in cells.columns if c != "total"]
    columns = role_order(values) + (["total"] if "total" in cells.columns else [])
    rows = [Row(code, tuple(str(cells.loc[code, c]) for c in columns), group=category)
            for category, code in order if code in cells.index]
    return Table(columns=tuple(human(c) for c in columns), rows=tuple(rows), stub="Code",
                 title="Coded segments by informant role",
                 notes=("Cells: segments (distinct informants) of the primary coder.",))


def cooccurrence_table(matrix: pd.DataFrame, *, top: int = 15) -> Table:
    """The code pairs that share the most speaker turns (ties by name)."""
    names = [str(c) for c in matrix.index]
    values = matrix.to_numpy()
    pairs = [(int(values[i, j]), a, b) for i, a in enumerate(names) for j, b in enumerate(names)
             if i < j and values[i, j] > 0]
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    rows = [Row(f"{a} + {b}", (fmt_int(n),)) for n, a, b in pairs[:top]]
    return Table(columns=("Turns with both",), rows=tuple(rows), stub="Code pair",
                 title="Codes that meet in the same speaker turn",
                 notes=(f"The {min(top, len(pairs))} most frequent of {len(pairs)} pairs of codes that meet at least "
                        "once.",))


def triangulation_table(result: Triangulation) -> tuple[Table, list[str]]:
    """Per family with two or more interviewed members: codes shared and divergent, and which
    codes only the child's, only the parents' or only the grandparents' accounts carry.

    Returns the table (one "Only <role>" column per role interviewed in these families) and one
    plain line per family naming the codes of each one-sided account.
    """
    families = {f: m for f, m in result.members.items() if len(m) >= 2}
    accounts = role_order(sorted({r for m in families.values() for _, r in m}))
    rows, lines = [], []
    frame = result.rows
    for family, members in families.items():
        mine = frame[frame["family"] == family]
        roles = [r for r in accounts if r in {role for _, role in members}]
        only = {role: sorted(c for c, carrying in zip(mine["code"], mine["carrying_roles"]) if list(carrying) == [role])
                for role in roles}
        who = "; ".join(f"{human(r)} {p}" for p, r in members)
        rows.append(Row(str(family), (who, fmt_int(len(mine)), fmt_int(int((mine["status"] == "shared").sum())),
                                      fmt_int(int((mine["status"] == "divergent").sum())),
                                      *(fmt_int(len(only[r])) if r in only else "" for r in accounts))))
        parts = [f"only the {human(r)}'s account: {', '.join(only[r])}" for r in roles if only[r]]
        if parts:
            lines.append(f"{family}: " + "; ".join(parts) + ".")
    table = Table(columns=("Interviewed members", "Codes", "Shared", "Divergent",
                           *(f"Only {human(r)}" for r in accounts)),
                  rows=tuple(rows), stub="Family", title="Family members' accounts compared code by code",
                  align=("l",) + ("r",) * (3 + len(accounts)),
                  notes=("Shared: every interviewed member's account carries the code; divergent: some do and "
                         "some do not. 'Only <role>': codes carried by members of that role alone; blank when "
                         "nobody of that role was interviewed in the family.",))
    return table, lines


def choose_quotes(candidates: pd.DataFrame, *, k: int) -> pd.DataFrame:
    """Pick ``k`` quotes: informants' own words of a readable length, spread over informants,
    roles and codes.

    Greedy: each pick prefers a new informant, then a new role, then a new code, then a length
    near :data:`IDEAL_QUOTE` characters, then document order. ``candidates`` is a
    :meth:`leftbehind.grounded.Quotes.to_frame` frame.

    >>> q = pd.DataFrame({"document": ["d"] * 3, "start": [0, 50, 90], "end": [40, 80, 200],
    ...                   "code": ["a", "a", "b"], "participant": ["P1", "P1", "P2"], "role": ["child"] * 3,
    ...                   "quote": ["x" * 40, "y" * 30, "z" * 110]})
    >>> choose_quotes(q, k=2)["start"].tolist()
    [90, 0]
    """
    pool = candidates[candidates["participant"].notna()
                      & candidates["quote"].str.len().between(MIN_QUOTE, MAX_QUOTE)]
    records = pool.sort_values(["document", "start", "end", "code"], kind="stable").to_dict("records")
    chosen: list[dict] = []
    while records and len(chosen) < k:
        people = {r["participant"] for r in chosen}
        roles = {r["role"] for r in chosen}
        codes = {r["code"] for r in chosen}
        best = min(records, key=lambda r: (r["participant"] in people, r["role"] in roles, r["code"] in codes,
                                           abs(len(r["quote"]) - IDEAL_QUOTE)))
        chosen.append(best)
        records = [r for r in records if r is not best]
    return pd.DataFrame(chosen, columns=candidates.columns)


def role_order(roles: Sequence[str]) -> list[str]:
    """Family roles first, in the order of ``leftbehind.grounded.triangulation.ROLE_ORDER``
    (child, mother, father, parent, grandmother, grandfather, grandparent), then others by name.

    >>> role_order(["teacher", "grandparent", "child"])
    ['child', 'grandparent', 'teacher']
    """
    family = [r for r in ROLE_ORDER if r in roles]
    return family + sorted(r for r in set(roles) if r not in family)


def redactor(names: Sequence[str], replacement: str) -> tuple[Callable[[Any], Any], list[int]]:
    """A deep text mapper replacing every ``names`` (ignoring case) with ``replacement``, and a
    one-item list counting the replacements made so far.

    >>> scrub, hits = redactor(["Wang Xiaowen"], "[name removed]")
    >>> scrub({"a": ["I am wang xiaowen."]}), hits
    ({'a': ['I am [name removed].']}, [1])
    """
    pattern = re.compile("|".join(re.escape(n) for n in names), re.IGNORECASE) if names else None
    hits = [0]

    def scrub(value: Any) -> Any:
        if isinstance(value, str) and pattern is not None:
            text, n = pattern.subn(replacement, value)
            hits[0] += n
            return text
        if isinstance(value, dict):
            return {k: scrub(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(scrub(v) for v in value)
        return value

    return scrub, hits


def redact_section(section: Section, scrub: Callable[[Any], Any], *,
                   tables: Mapping[int, Table] | None = None) -> Section:
    """``section`` with ``scrub`` applied to every text: titles, paragraphs, quotes, lists,
    table cells and figure captions. ``tables`` maps ``id(table)`` to an already screened
    table to put in its place (so a report's tables and its sections hold the same objects)."""
    tables = tables or {}
    blocks = []
    for b in section.blocks:
        if isinstance(b, Paragraph):
            b = Paragraph(scrub(b.text))
        elif isinstance(b, Caution):
            b = Caution(scrub(b.text))
        elif isinstance(b, Quote):
            b = Quote(scrub(b.text), attribution=scrub(b.attribution))
        elif isinstance(b, BulletList):
            b = BulletList(scrub(list(b.items)))
        elif isinstance(b, TableBlock):
            b = TableBlock(tables.get(id(b.table)) or Table.from_dict(scrub(b.table.to_dict())))
        elif isinstance(b, Figure):
            b = Figure(png=b.png, svg=b.svg, caption=scrub(b.caption), alt=scrub(b.alt))
        blocks.append(b)
    return Section(scrub(section.title), blocks=tuple(blocks),
                   subsections=tuple(redact_section(s, scrub, tables=tables) for s in section.subsections),
                   anchor=section.anchor)
