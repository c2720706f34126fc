"""Linking interview informants to survey respondents (layer L3).

An informant is linked to a survey case by a column of the participants frame (default
``survey_id``, a free attribute) or by a link table ``participant -> survey_id``. Linked
informants carry the survey's attributes (group, school, scores) into the qualitative side;
participants without a survey row (teachers, grandparents) are kept with empty attributes.

Examples
--------
>>> import pandas as pd
>>> people = pd.DataFrame({"participant": ["C1", "T1"], "role": ["child", "teacher"], "survey_id": ["17", ""]})
>>> survey = pd.DataFrame({"qid": [17, 18], "migration": ["mother", "none"]})
>>> linked = link_informants(people, survey, id_column="qid", attributes=["migration"])
>>> linked[["participant", "migration", "linked"]].values.tolist()
[['C1', 'mother', True], ['T1', nan, False]]
"""

from __future__ import annotations

from collections.abc import Sequence

from leftbehind.errors import InputError


def survey_key(value) -> str:
    """Ids compared as text, so 17, 17.0 and "17" match."""
    if value is None or value != value or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def link_informants(participants, survey, *, id_column: str, attributes: Sequence[str] | None = None,
                    link=None, link_column: str = "survey_id"):
    """Participants with the chosen survey ``attributes`` joined, and a ``linked`` flag.

    ``link`` (optional) is a frame ``participant, survey_id`` that overrides the participants'
    own ``link_column``. An id that names no survey case is an error naming the participant.
    """
    import pandas as pd

    if id_column not in survey.columns:
        raise InputError(f"the survey has no id column '{id_column}'", column=id_column,
                         hint="name the survey's id column (survey.id in study.toml)")
    people = participants.copy()
    if link is not None:
        mapping = dict(zip(link["participant"], link["survey_id"]))
        people[link_column] = people["participant"].map(mapping)
    if link_column not in people.columns:
        people[link_column] = ""
    attributes = list(attributes) if attributes is not None else [c for c in survey.columns if c != id_column]
    missing = [a for a in attributes if a not in survey.columns]
    if missing:
        raise InputError(f"the survey has no column '{missing[0]}'", column=missing[0])
    table = survey[[id_column, *attributes]].copy()
    table["_key"] = [survey_key(v) for v in table[id_column]]
    if table["_key"].duplicated().any():
        dup = table.loc[table["_key"].duplicated(), "_key"].iloc[0]
        raise InputError(f"survey id {dup} occurs more than once", column=id_column, hint="ids must be unique")
    people["_key"] = [survey_key(v) for v in people[link_column]]
    unknown = people[(people["_key"] != "") & ~people["_key"].isin(table["_key"])]
    if not unknown.empty:
        row = unknown.iloc[0]
        raise InputError(f"participant {row['participant']} is linked to survey id {row['_key']}, "
                         "which is not in the survey", key=link_column,
                         hint="correct the id or leave it blank for informants without a questionnaire")
    linked = people.merge(table.drop(columns=[id_column]), on="_key", how="left")
    linked["linked"] = linked["_key"] != ""
    return linked.drop(columns="_key")
