"""Inter-coder agreement per code and overall: percent agreement, Cohen's kappa, Krippendorff's alpha.

Units
-----
``basis="character"`` (default): every character of every document is a unit. For each code,
each coder assigns every character 1 (inside one of the coder's segments of that code) or 0.
``basis="segment"``: the documents are cut at every start and end of every coding (of the
chosen codes and coders); each resulting piece that at least one coder coded with at least one
of the chosen codes is one unit, whatever its length. Uncoded stretches are not units.

Per code, the statistics are computed on that code's units. **Overall** pools every
(code, unit) pair of every code that at least one coder used: percent agreement is the share
of pooled pairs on which the coders agree, kappa and alpha are computed on the pooled 2x2 table
and the pooled coincidence matrix. Codes that no coder used are reported as undefined and left
out of the pool, so they cannot inflate agreement.

With two coders, kappa is Cohen's (1960) kappa. With more than two coders, percent agreement
and kappa are the mean over coder pairs (kappa then is Light's 1971 kappa); alpha is
Krippendorff's nominal alpha for any number of coders (every coder codes every unit).

Undefined values are ``None`` with a reason in ``notes``: a code no coder used, or a code every
coder applied to every unit (no variation: kappa's chance agreement and alpha's expected
disagreement are then 1 and 0).

The work is done on pieces between coding boundaries, weighted by their length, so a study of
hundreds of thousands of characters and fifty codes costs a few array operations.

Examples
--------
>>> import pandas as pd
>>> documents = pd.DataFrame({"document": ["d1"], "length": [10]})
>>> codings = pd.DataFrame({"document": ["d1", "d1"], "start": [0, 0], "end": [4, 5],
...                         "code": ["miss", "miss"], "coder": ["A", "B"]})
>>> result = agreement(codings, documents, coders=["A", "B"])
>>> {k: round(v, 4) for k, v in result.to_dict()["codes"]["miss"].items()}
{'percent_agreement': 0.9, 'kappa': 0.8, 'krippendorff_alpha': 0.8081}
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Literal

import numpy as np
import pandas as pd

from leftbehind._result import ResultMixin
from leftbehind.errors import InputError
from leftbehind.grounded._frames import require_columns

KEYS = ("percent_agreement", "kappa", "krippendorff_alpha")
NOT_USED = "no coder applied this code to the chosen documents"
NO_VARIATION = "every coder applied this code to every unit: no variation, so kappa and alpha are undefined"


@dataclass(frozen=True)
class Agreement(ResultMixin):
    """Inter-coder agreement (result of :func:`agreement`).

    Attributes
    ----------
    overall
        ``{"percent_agreement", "kappa", "krippendorff_alpha"}`` pooled over codes.
    codes
        ``{code: {same keys}}``; a value is ``None`` where undefined.
    notes
        ``{code: reason}`` for every code with an undefined value.
    coders
        The coders compared.
    basis
        ``"character"`` or ``"segment"``.
    units
        ``{code: number of units}`` (characters or segments per code).
    """

    overall: dict
    codes: dict
    notes: dict = field(default_factory=dict)
    coders: tuple[str, ...] = ()
    basis: str = "character"
    units: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """Return ``{"overall": {...}, "codes": {code: {...}}, "notes", "coders", "basis"}``."""
        return {"overall": dict(self.overall), "codes": {c: dict(v) for c, v in self.codes.items()},
                "notes": dict(self.notes), "coders": list(self.coders), "basis": self.basis}

    def to_frame(self) -> pd.DataFrame:
        """Return one row per code and a last row ``(overall)``, with units and notes."""
        rows = [{"code": c, **v, "units": self.units.get(c), "note": self.notes.get(c)}
                for c, v in self.codes.items()]
        rows.append({"code": "(overall)", **self.overall, "units": self.units.get("(overall)"),
                     "note": self.notes.get("(overall)")})
        return pd.DataFrame(rows).set_index("code")


def _pieces(codings: pd.DataFrame, lengths: dict[str, int], codes: list[str], coders: list[str]):
    """Cut documents at coding boundaries; return piece weights and coverage[coder, code, piece]."""
    code_ix = {c: i for i, c in enumerate(codes)}
    coder_ix = {c: i for i, c in enumerate(coders)}
    widths, cover_parts = [], []
    by_doc = dict(tuple(codings.groupby("document", sort=False)))
    for document, length in lengths.items():
        doc = by_doc.get(document)
        starts = np.array([], dtype=np.int64) if doc is None else doc["start"].to_numpy(np.int64)
        ends = np.array([], dtype=np.int64) if doc is None else doc["end"].to_numpy(np.int64)
        cuts = np.unique(np.concatenate([[0, length], starts, ends]))
        width = np.diff(cuts)
        diff = np.zeros((len(coders), len(codes), len(cuts)), dtype=np.int64)
        if doc is not None and len(doc):
            k = doc["coder"].map(coder_ix).to_numpy()
            c = doc["code"].map(code_ix).to_numpy()
            np.add.at(diff, (k, c, np.searchsorted(cuts, starts)), 1)
            np.add.at(diff, (k, c, np.searchsorted(cuts, ends)), -1)
        cover_parts.append(np.cumsum(diff, axis=2)[:, :, :-1] > 0)
        widths.append(width)
    width = np.concatenate(widths) if widths else np.zeros(0, dtype=np.int64)
    cover = (np.concatenate(cover_parts, axis=2) if cover_parts
             else np.zeros((len(coders), len(codes), 0), dtype=bool))
    return width, cover


def _pair_tables(cover: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Return weighted 2x2 tables, shape (pairs, codes, 2, 2): [a value, b value]."""
    tables = []
    for a, b in combinations(range(cover.shape[0]), 2):
        x, y = cover[a], cover[b]
        t = np.empty((cover.shape[1], 2, 2))
        t[:, 1, 1] = (x & y) @ weight
        t[:, 1, 0] = (x & ~y) @ weight
        t[:, 0, 1] = (~x & y) @ weight
        t[:, 0, 0] = (~x & ~y) @ weight
        tables.append(t)
    return np.array(tables)


def _kappa_percent(tables: np.ndarray) -> tuple[float, float | None]:
    """Mean percent agreement and mean Cohen's kappa over the pair tables (shape pairs, 2, 2)."""
    percents, kappas = [], []
    for t in tables:
        n = t.sum()
        po = (t[0, 0] + t[1, 1]) / n
        pe = (t[0].sum() * t[:, 0].sum() + t[1].sum() * t[:, 1].sum()) / n**2
        percents.append(po)
        kappas.append(None if np.isclose(pe, 1.0) else (po - pe) / (1 - pe))
    kappa = None if any(k is None for k in kappas) else float(np.mean(kappas))
    return float(np.mean(percents)), kappa


def _alpha(ones: np.ndarray, weight: np.ndarray, coders: int) -> float | None:
    """Nominal Krippendorff's alpha for binary values from the number of 1s per unit.

    ``ones[u]`` coders of ``coders`` gave unit ``u`` the value 1; ``weight[u]`` counts how many
    identical units the row stands for. Coincidences: o_01 = sum w * k * (m - k) / (m - 1);
    n_1 = sum w * k; n = m * sum w; alpha = 1 - (n - 1) * o_01 / (n_0 * n_1).
    """
    m = coders
    o01 = float(np.sum(weight * ones * (m - ones))) / (m - 1)
    n1 = float(np.sum(weight * ones))
    n = float(m * np.sum(weight))
    n0 = n - n1
    if n0 == 0 or n1 == 0 or n < 2:
        return None
    return 1.0 - (n - 1) * o01 / (n0 * n1)


def _check(codings: pd.DataFrame, lengths: dict[str, int], coders: list[str]) -> None:
    unknown = sorted(set(codings["document"]) - set(lengths), key=str)
    if unknown:
        raise InputError(f"codings refer to unknown document(s) {', '.join(map(repr, unknown[:5]))}",
                         hint="pass the documents frame of the same store, or choose documents that exist")
    too_long = codings["end"].to_numpy() > codings["document"].map(lengths).to_numpy()
    bad = codings["start"].to_numpy() < 0
    if too_long.any() or bad.any() or (codings["end"] < codings["start"]).any():
        row = codings[too_long | bad | (codings["end"] < codings["start"])].iloc[0]
        raise InputError(f"coding [{row['start']}, {row['end']}) lies outside document {row['document']!r}",
                         hint="spans are code-point offsets with 0 <= start <= end <= document length")


def agreement(codings: pd.DataFrame, documents: pd.DataFrame, *, coders: Sequence[str],
              codes: Sequence[str] | None = None,
              basis: Literal["character", "segment"] = "character",
              only_documents: Sequence[str] | None = None) -> Agreement:
    """Percent agreement, Cohen's kappa and Krippendorff's alpha per code and overall.

    Parameters
    ----------
    codings
        The codings frame (``document, start, end, code, coder``).
    documents
        The documents frame (``document, length``): every character of these documents is a unit.
    coders
        Two or more coder names.
    codes
        The codes to report (default: every code at least one of ``coders`` used). A listed code
        nobody used is reported with ``None`` values and a note.
    basis
        ``"character"`` or ``"segment"`` (see the module documentation).
    only_documents
        Restrict to these documents (default: every document in ``documents``).

    Returns
    -------
    Agreement
        ``to_dict()`` is ``{"overall": {percent_agreement, kappa, krippendorff_alpha},
        "codes": {code: {...}}, ...}``.

    Raises
    ------
    InputError
        Fewer than two coders, a coder without codings, an unknown basis or document, or a span
        outside its document.
    """
    require_columns(codings, ("document", "start", "end", "code", "coder"), name="codings")
    require_columns(documents, ("document", "length"), name="documents")
    coders = list(dict.fromkeys(coders))
    if len(coders) < 2:
        raise InputError("agreement needs at least two coders", hint="name them, e.g. --coders A,B")
    if basis not in ("character", "segment"):
        raise InputError(f"unknown agreement basis {basis!r}", hint="use character or segment")
    present = set(codings["coder"])
    for coder in coders:
        if coder not in present:
            raise InputError(f"coder {coder!r} has no codings",
                             hint=f"coders with codings: {', '.join(sorted(map(str, present))) or 'none'}")
    lengths = {str(d): int(n) for d, n in zip(documents["document"], documents["length"])}
    if only_documents is not None:
        missing = [d for d in only_documents if d not in lengths]
        if missing:
            raise InputError(f"unknown document(s) {', '.join(map(repr, missing))}",
                             hint="use document names from the documents frame")
        lengths = {d: lengths[d] for d in only_documents}
    frame = codings[codings["coder"].isin(coders) & codings["document"].isin(lengths)]
    used = sorted(frame["code"].unique(), key=str)
    names = list(dict.fromkeys(codes)) if codes is not None else used
    frame = frame[frame["code"].isin(names)].astype({"document": str})
    _check(frame, lengths, coders)
    width, cover = _pieces(frame, lengths, names, coders)
    if basis == "segment":
        weight = cover.any(axis=(0, 1)).astype(np.float64)
    else:
        weight = width.astype(np.float64)
    tables = _pair_tables(cover, weight)
    ones = cover.sum(axis=0)
    results, notes, units = {}, {}, {}
    pooled = [i for i, c in enumerate(names) if cover[:, i, :].any()]
    for i, code in enumerate(names):
        units[code] = int(weight.sum())
        if i not in pooled:
            results[code] = dict.fromkeys(KEYS)
            notes[code] = NOT_USED
            continue
        percent, kappa = _kappa_percent(tables[:, i])
        alpha = _alpha(ones[i], weight, len(coders))
        results[code] = {"percent_agreement": percent, "kappa": kappa, "krippendorff_alpha": alpha}
        if kappa is None or alpha is None:
            notes[code] = NO_VARIATION
    if pooled and weight.sum() > 0:
        percent, kappa = _kappa_percent(tables[:, pooled].sum(axis=1))
        alpha = _alpha(ones[pooled].ravel(), np.tile(weight, len(pooled)), len(coders))
        overall = {"percent_agreement": percent, "kappa": kappa, "krippendorff_alpha": alpha}
        if kappa is None or alpha is None:
            notes["(overall)"] = NO_VARIATION
    else:
        overall = dict.fromkeys(KEYS)
        notes["(overall)"] = "no coder applied any of the chosen codes"
    units["(overall)"] = int(weight.sum()) * len(pooled)
    return Agreement(overall=overall, codes=results, notes=notes, coders=tuple(coders), basis=basis,
                     units=units)


def documents_coded_by_all(codings: pd.DataFrame, coders: Sequence[str]) -> list[str]:
    """The documents every one of ``coders`` coded: the fair basis for agreement when a second
    coder coded only a sample of the transcripts (elsewhere absence would count as disagreement).

    >>> frame = pd.DataFrame({"coder": ["A", "A", "B"], "document": ["d1", "d2", "d1"]})
    >>> documents_coded_by_all(frame, ["A", "B"])
    ['d1']
    """
    sets = [set(codings.loc[codings["coder"] == c, "document"]) for c in coders]
    return sorted(set.intersection(*sets)) if sets else []
