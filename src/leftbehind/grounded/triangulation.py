"""Family triangulation: which members' accounts carry each code, and where the accounts diverge.

In a family study the child, the parents and the grandparents tell the same story from
different places. For every family and code, :func:`triangulate` lists the interviewed members
whose coded segments carry the code and those whose accounts do not, and flags pairs of codes
declared as contradicting (for example ``"feels close to father"`` against ``"father is a
stranger"``) when different members carry the two sides.

A member counts as *interviewed* when they have at least one speaker turn (with ``turns``) or,
without ``turns``, when they are listed in the participants frame. Segments without a speaker
(whole-document codings) cannot be attributed to an account and are left out.

Examples
--------
>>> import pandas as pd
>>> codings = pd.DataFrame({
...     "document": ["d1", "d2"], "start": [0, 0], "end": [5, 5], "code": ["miss", "miss"],
...     "coder": ["A", "A"], "text": ["..", ".."], "participant": ["Lili", "Lili"],
...     "role": ["child", "child"], "family": ["F01", "F01"]})
>>> people = pd.DataFrame({"participant": ["Lili", "Nainai Wang"], "role": ["child", "grandparent"],
...                        "family": ["F01", "F01"]})
>>> tri = triangulate(codings, people)
>>> tri.to_frame()[["family", "code", "status", "carried_by", "absent_from"]].values.tolist()
[['F01', 'miss', 'divergent', ['Lili'], ['Nainai Wang']]]
>>> print(tri.summary())
F01 'miss': carried by child Lili; absent from the account of grandparent Nainai Wang
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from leftbehind._result import ResultMixin
from leftbehind.errors import InputError
from leftbehind.grounded._frames import require_columns

ROLE_ORDER = ("child", "mother", "father", "parent", "grandmother", "grandfather", "grandparent")


def _role_key(role: str) -> tuple[int, str]:
    return (ROLE_ORDER.index(role), role) if role in ROLE_ORDER else (len(ROLE_ORDER), role)


@dataclass(frozen=True)
class Triangulation(ResultMixin):
    """Family-by-code triangulation (result of :func:`triangulate`).

    Attributes
    ----------
    rows
        One row per (family, code): ``family, code, status, carried_by, carrying_roles,
        absent_from, absent_roles, contradicted_by, segments``. ``status`` is ``"shared"``
        (every interviewed member carries the code), ``"divergent"`` (some do, some do not) or
        ``"single account"`` (only one member was interviewed).
    members
        ``{family: [(pseudonym, role), ...]}`` of interviewed members.
    """

    rows: pd.DataFrame
    members: dict

    def to_frame(self) -> pd.DataFrame:
        """Return the long frame, one row per family and code."""
        return self.rows.copy()

    def to_dict(self) -> dict:
        """Return ``{"members": {family: [{participant, role}]}, "rows": [...]}``."""
        return {"members": {f: [{"participant": p, "role": r} for p, r in m]
                            for f, m in self.members.items()},
                "rows": [{k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in row.items()}
                         for row in self.rows.to_dict("records")]}

    def matrix(self) -> pd.DataFrame:
        """Return the wide matrix: rows (family, code), columns roles.

        A cell is ``"yes"`` (every interviewed member of that role carries the code), ``"no"``
        (none does), ``"k of n"`` (some do) or ``""`` (nobody of that role was interviewed).
        """
        roles = sorted({r for m in self.members.values() for _, r in m}, key=_role_key)
        records = []
        for row in self.rows.itertuples(index=False):
            cells = {}
            members = self.members[row.family]
            for role in roles:
                of_role = [p for p, r in members if r == role]
                carrying = [p for p in of_role if p in row.carried_by]
                if not of_role:
                    cells[role] = ""
                elif len(carrying) == len(of_role):
                    cells[role] = "yes"
                elif not carrying:
                    cells[role] = "no"
                else:
                    cells[role] = f"{len(carrying)} of {len(of_role)}"
            records.append({"family": row.family, "code": row.code, **cells, "status": row.status})
        return pd.DataFrame(records, columns=["family", "code", *roles, "status"]).set_index(["family", "code"])

    def summary(self, *, include_shared: bool = False) -> str:
        """Return one readable line per divergent or contradicted (family, code)."""
        lines = []
        for row in self.rows.itertuples(index=False):
            roles = dict(self.members[row.family])
            def who(names: Sequence[str]) -> str:
                return ", ".join(f"{roles[n]} {n}" for n in names)
            parts = []
            if row.status == "divergent":
                parts.append(f"carried by {who(row.carried_by)}; absent from the account of "
                             f"{who(row.absent_from)}")
            elif include_shared:
                parts.append(f"{row.status}: {who(row.carried_by)}")
            if row.contradicted_by:
                parts.append("contradicted by " + "; ".join(
                    f"'{code}' ({who(names)})" for code, names in row.contradicted_by))
            if parts:
                lines.append(f"{row.family} '{row.code}': " + "; ".join(parts))
        return "\n".join(lines) if lines else "No divergent or contradicting accounts."


def _members(participants: pd.DataFrame, turns: pd.DataFrame | None) -> dict[str, list[tuple[str, str]]]:
    people = participants.dropna(subset=["family"])
    if turns is not None:
        require_columns(turns, ("participant",), name="turns")
        people = people[people["participant"].isin(set(turns["participant"].dropna()))]
    members: dict[str, list[tuple[str, str]]] = {}
    for p, role, family in zip(people["participant"], people["role"], people["family"]):
        members.setdefault(str(family), []).append((str(p), str(role)))
    return {f: sorted(m, key=lambda pr: (_role_key(pr[1]), pr[0])) for f, m in sorted(members.items())}


def triangulate(codings: pd.DataFrame, participants: pd.DataFrame, *,
                turns: pd.DataFrame | None = None,
                codes: Sequence[str] | None = None,
                contradicting: Iterable[tuple[str, str]] = ()) -> Triangulation:
    """Cross family members' accounts code by code.

    Parameters
    ----------
    codings
        The codings frame (``participant, family, code`` are read).
    participants
        The participants frame (``participant, role, family``).
    turns
        The turns frame; when given, only members with at least one turn count as interviewed.
    codes
        Restrict to these codes (default: every code used).
    contradicting
        Pairs of codes that contradict each other; a row lists the contradicting codes that
        other members of the family carry.

    Returns
    -------
    Triangulation
        Rows sorted by family and code; only (family, code) pairs carried by at least one member.
    """
    require_columns(codings, ("participant", "family", "code"), name="codings")
    require_columns(participants, ("participant", "role", "family"), name="participants")
    pairs = [tuple(p) for p in contradicting]
    for pair in pairs:
        if len(pair) != 2 or pair[0] == pair[1]:
            raise InputError(f"a contradiction needs two different codes, got {pair!r}",
                             hint="give pairs like ('close to father', 'father a stranger')")
    opposite: dict[str, set[str]] = {}
    for a, b in pairs:
        opposite.setdefault(a, set()).add(b)
        opposite.setdefault(b, set()).add(a)
    members = _members(participants, turns)
    frame = codings.dropna(subset=["participant"])
    if codes is not None:
        frame = frame[frame["code"].isin(list(codes))]
    carriers: dict[tuple[str, str], dict[str, int]] = {}
    for p, family, code in zip(frame["participant"], frame["family"], frame["code"]):
        bucket = carriers.setdefault((str(family), str(code)), {})
        bucket[str(p)] = bucket.get(str(p), 0) + 1
    speaker_role = dict(zip(frame["participant"].astype(str), frame["role"].astype(str))) \
        if "role" in frame.columns else {}
    for (family, _), counts in carriers.items():
        listed = members.setdefault(family, [])
        for p in sorted(set(counts) - {p for p, _ in listed}):
            listed.append((p, speaker_role.get(p, "?")))
    rows = []
    for (family, code), counts in sorted(carriers.items()):
        roles = dict(members[family])
        names = [p for p, _ in members[family]]
        carried = [p for p in names if p in counts]
        absent = [p for p in names if p not in counts]
        status = "single account" if len(names) < 2 else ("shared" if not absent else "divergent")
        against = []
        for other in sorted(opposite.get(code, ())):
            holders = [p for p in names if p in carriers.get((family, other), {})]
            if any(p != q for p in carried for q in holders):
                against.append((other, holders))
        rows.append({"family": family, "code": code, "status": status, "carried_by": carried,
                     "carrying_roles": sorted({roles[p] for p in carried}, key=_role_key),
                     "absent_from": absent,
                     "absent_roles": sorted({roles[p] for p in absent}, key=_role_key),
                     "contradicted_by": against, "segments": int(sum(counts.values()))})
    columns = ["family", "code", "status", "carried_by", "carrying_roles", "absent_from", "absent_roles",
               "contradicted_by", "segments"]
    return Triangulation(rows=pd.DataFrame(rows, columns=columns), members=members)
