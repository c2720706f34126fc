"""Theoretical saturation: new codes and new categories per successive interview.

Interviews are taken in the order they were held (interview date, then name; undated
interviews last). For each interview the codes used for the first time and the categories
whose first code appears are counted, with running totals, and a plain statement says when the
last new category (or code) appeared.

Examples
--------
>>> import pandas as pd
>>> documents = pd.DataFrame({"document": ["t1", "t2", "t3"], "interview": ["i1", "i2", "i3"],
...                           "date": ["2024-03-01", "2024-03-02", "2024-03-05"]})
>>> codings = pd.DataFrame({"document": ["t1", "t1", "t2", "t3"],
...                         "code": ["miss", "calls", "miss", "calls"]})
>>> codebook = pd.DataFrame({"code": ["miss", "calls"], "category": ["emotion", "contact"]})
>>> s = saturation(codings, documents, codebook=codebook)
>>> s.to_frame()["cumulative_codes"].tolist()
[2, 2, 2]
>>> print(s.statement())
The last new category appeared in interview 1 of 3 (i1); the last two interviews added no new category. The last new code appeared in interview 1 of 3 (i1).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from leftbehind._result import ResultMixin
from leftbehind.errors import InputError
from leftbehind.grounded._frames import require_columns

NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _number(n: int) -> str:
    return NUMBERS[n] if n < len(NUMBERS) else str(n)


@dataclass(frozen=True)
class Saturation(ResultMixin):
    """New and cumulative codes and categories per interview (result of :func:`saturation`).

    Attributes
    ----------
    frame
        ``position, interview, date, new_codes, n_new_codes, cumulative_codes, new_categories,
        n_new_categories, cumulative_categories`` in interview order.
    has_categories
        Whether any code belongs to a category.
    """

    frame: pd.DataFrame
    has_categories: bool

    def to_frame(self) -> pd.DataFrame:
        """Return the per-interview frame."""
        return self.frame.copy()

    def to_dict(self) -> dict:
        """Return ``{"interviews": [...], "statement": str}``."""
        rows = []
        for row in self.frame.to_dict("records"):
            row["date"] = None if pd.isna(row["date"]) else pd.Timestamp(row["date"]).date().isoformat()
            rows.append({k: (int(v) if k.startswith(("n_", "cumulative", "position")) else v)
                         for k, v in row.items()})
        return {"interviews": rows, "statement": self.statement()}

    def _last(self, column: str) -> int:
        positions = self.frame.loc[self.frame[column] > 0, "position"]
        return int(positions.max()) if len(positions) else 0

    def _sentence(self, what: str, column: str) -> str:
        n = len(self.frame)
        last = self._last(column)
        if last == 0:
            return f"No interview added a {what}."
        name = self.frame.loc[self.frame["position"] == last, "interview"].iloc[0]
        quiet = n - last
        head = f"The last new {what} appeared in interview {last} of {n} ({name})"
        if what == "code":
            return head + "."
        if quiet == 0:
            return head + f"; the last interview still added a new {what}, so saturation is not shown."
        if quiet == 1:
            return head + f"; the last interview added no new {what}."
        return head + f"; the last {_number(quiet)} interviews added no new {what}."

    def statement(self) -> str:
        """Return a plain statement on when the last new category (and code) appeared."""
        if self.frame.empty:
            return "There are no interviews."
        text = self._sentence("code", "n_new_codes")
        if self.has_categories:
            text = self._sentence("category", "n_new_categories") + " " + text
        return text


def _interview_order(documents: pd.DataFrame, interviews: pd.DataFrame | None) -> pd.DataFrame:
    """Interviews with their dates, in the order held (date, then name; undated last).

    Documents without an interview count as interviews of their own, dated by the document.
    """
    from_documents = (documents.assign(interview=documents["interview"].fillna(documents["document"]))
                      .groupby("interview", as_index=False)["date"].min())
    if interviews is not None:
        require_columns(interviews, ("interview", "date"), name="interviews")
        listed = interviews[["interview", "date"]].drop_duplicates("interview")
        extra = from_documents[~from_documents["interview"].isin(set(listed["interview"]))]
        table = pd.concat([listed, extra], ignore_index=True)
    else:
        table = from_documents
    table = table.assign(date=pd.to_datetime(table["date"], errors="coerce"),
                         interview=table["interview"].astype(str))
    return table.sort_values(["date", "interview"], na_position="last", kind="stable").reset_index(drop=True)


def saturation(codings: pd.DataFrame, documents: pd.DataFrame, *,
               interviews: pd.DataFrame | None = None,
               codebook: pd.DataFrame | None = None,
               categories: pd.DataFrame | None = None) -> Saturation:
    """Count new codes and new categories per successive interview.

    Parameters
    ----------
    codings
        The codings frame (``document, code``).
    documents
        The documents frame (``document, interview, date``): maps documents to interviews. A
        document without an interview counts as an interview of its own.
    interviews
        The interviews frame (``interview, date``); when given, its dates order the interviews
        and interviews without coded documents still count as interviews that added nothing.
    codebook
        The codes frame (``code, category``).
    categories
        The categories frame (``category, codes``); its code lists add to the codebook's.

    Returns
    -------
    Saturation
    """
    require_columns(codings, ("document", "code"), name="codings")
    require_columns(documents, ("document", "interview", "date"), name="documents")
    order = _interview_order(documents, interviews)
    doc_interview = dict(zip(documents["document"].astype(str),
                             documents["interview"].fillna(documents["document"]).astype(str)))
    unknown = sorted(set(codings["document"].astype(str)) - set(doc_interview))
    if unknown:
        raise InputError(f"codings refer to unknown document(s) {', '.join(map(repr, unknown[:5]))}",
                         hint="pass the documents frame of the same store")
    category_of: dict[str, str] = {}
    if codebook is not None and "category" in codebook.columns:
        for code, cat in zip(codebook["code"], codebook["category"]):
            if isinstance(cat, str) and cat:
                category_of[str(code)] = cat.split("; ")[0]
    if categories is not None:
        require_columns(categories, ("category", "codes"), name="categories")
        for cat, codes in zip(categories["category"], categories["codes"]):
            for code in codes if isinstance(codes, (list, tuple)) else []:
                category_of.setdefault(str(code), str(cat))
    used = codings.assign(interview=codings["document"].astype(str).map(doc_interview))
    by_interview = used.groupby("interview")["code"].apply(lambda s: list(dict.fromkeys(s.astype(str))))
    seen_codes: set[str] = set()
    seen_categories: set[str] = set()
    rows = []
    for position, row in enumerate(order.itertuples(index=False), start=1):
        codes = by_interview.get(row.interview, [])
        new_codes = sorted(c for c in codes if c not in seen_codes)
        seen_codes.update(new_codes)
        cats = {category_of[c] for c in codes if c in category_of}
        new_categories = sorted(cats - seen_categories)
        seen_categories.update(new_categories)
        rows.append({"position": position, "interview": row.interview, "date": row.date,
                     "new_codes": new_codes, "n_new_codes": len(new_codes),
                     "cumulative_codes": len(seen_codes), "new_categories": new_categories,
                     "n_new_categories": len(new_categories),
                     "cumulative_categories": len(seen_categories)})
    columns = ["position", "interview", "date", "new_codes", "n_new_codes", "cumulative_codes",
               "new_categories", "n_new_categories", "cumulative_categories"]
    return Saturation(frame=pd.DataFrame(rows, columns=columns), has_categories=bool(category_of))
