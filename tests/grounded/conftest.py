"""Fixtures: a hand-built set of query-contract frames and a tiny study store built with services."""

from __future__ import annotations

import pandas as pd
import pytest

D1 = "I: Do you miss your parents?\nLili: I miss my mother very much. She calls me on Sunday.\n"
D2 = ("I: How is Lili?\nNainai Wang: She is a good girl. She calls her mother on Sunday.\n")
D3 = "I: 你想妈妈吗？\nTao: 我很想妈妈。妈妈每天打电话。\nMei: 他想我，我也想他。\n"


def span(text: str, piece: str, nth: int = 0) -> tuple[int, int]:
    """Code-point span of the ``nth`` occurrence of ``piece`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return start, start + len(piece)


def turn_spans(text: str) -> list[tuple[int, int, str | None, str]]:
    """Turns from 'Speaker: ...' lines; 'I' is the interviewer."""
    turns, pos = [], 0
    for line in text.splitlines(keepends=True):
        label = line.split(":", 1)[0]
        end = pos + len(line.rstrip("\n"))
        turns.append((pos, end, None if label == "I" else label, label))
        pos += len(line)
    return turns


@pytest.fixture
def frames() -> dict[str, pd.DataFrame]:
    """Query-contract frames written by hand: two families, four informants."""
    participants = pd.DataFrame({
        "participant_id": [1, 2, 3, 4],
        "participant": ["Lili", "Nainai Wang", "Tao", "Mei"],
        "role": ["child", "grandmother", "child", "mother"],
        "age": pd.array([11, 63, 10, 38], dtype="Int64"),
        "sex": ["girl", "woman", "boy", "woman"],
        "family": ["F01", "F01", "F02", "F02"],
        "school": ["Xiaoxue A", None, "Xiaoxue B", None]})
    families = pd.DataFrame({
        "family_id": [1, 2], "family": ["F01", "F02"], "village": ["V1", "V2"],
        "township": ["T1", "T2"], "migration_pattern": ["both parents", "father only"],
        "caregivers": ["grandparents", "mother"], "left_behind_age": ["2", "5"],
        "left_behind_age_months": pd.array([24, 60], dtype="Int64")})
    codings = pd.DataFrame([
        # document, start, end, code, coder, participant, role, family
        ("d1", 0, 10, "missing parents", "A", "Lili", "child", "F01"),
        ("d1", 5, 20, "phone calls", "A", "Lili", "child", "F01"),
        ("d1", 30, 40, "missing parents", "A", "Lili", "child", "F01"),
        ("d2", 0, 8, "phone calls", "A", "Nainai Wang", "grandmother", "F01"),
        ("d3", 0, 6, "missing parents", "A", "Tao", "child", "F02"),
        ("d3", 10, 16, "missing parents", "A", "Mei", "mother", "F02"),
        ("d3", 20, 26, "phone calls", "A", "Tao", "child", "F02"),
        ("d3", 30, 33, "good child", "A", None, "interviewer", None),
    ], columns=["document", "start", "end", "code", "coder", "participant", "role", "family"])
    codings.insert(0, "coding_id", range(1, len(codings) + 1))
    codings.insert(6, "text", [f"segment {i}" for i in range(len(codings))])
    turns = pd.DataFrame([
        ("d1", 0, 25, "Lili", "child", "F01"), ("d1", 25, 50, "Lili", "child", "F01"),
        ("d2", 0, 30, "Nainai Wang", "grandmother", "F01"),
        ("d3", 0, 8, "Tao", "child", "F02"), ("d3", 8, 18, "Mei", "mother", "F02"),
        ("d3", 18, 28, "Tao", "child", "F02"), ("d3", 28, 40, None, "interviewer", None),
    ], columns=["document", "start", "end", "participant", "role", "family"])
    return {"participants": participants, "families": families, "codings": codings, "turns": turns}


@pytest.fixture
def study(tmp_path):
    """A study folder with a store: 3 interviews, 4 participants, two coders, categories."""
    from leftbehind.qual import codebook, services
    from leftbehind.qual.store import init_store

    folder = tmp_path / "study"
    with init_store(folder) as store:
        services.add_family(store, "F01", migration_pattern="both parents", caregivers="grandparents")
        services.add_family(store, "F02", migration_pattern="father only", caregivers="mother")
        services.add_participant(store, "Lili", role="child", age=11, sex="girl", family="F01",
                                 real_name="REALNAME-ONE")
        services.add_participant(store, "Nainai Wang", role="grandmother", age=63, family="F01")
        services.add_participant(store, "Tao", role="child", age=10, sex="boy", family="F02")
        services.add_participant(store, "Mei", role="mother", age=38, family="F02")
        for name, date, people in [("i1", "2024-03-01", ["Lili"]), ("i2", "2024-03-02", ["Nainai Wang"]),
                                   ("i3", "2024-03-05", ["Tao", "Mei"])]:
            services.add_interview(store, name, date=date, participants=people)
        for name, text, iv in [("d1", D1, "i1"), ("d2", D2, "i2"), ("d3", D3, "i3")]:
            services.add_document(store, name, text, interview=iv, date=None, turns=turn_spans(text))
        for code in ["missing parents", "phone calls", "good child"]:
            codebook.add_code(store, code)
        codings = [("d1", span(D1, "I miss my mother"), "missing parents"),
                   ("d1", span(D1, "She calls me on Sunday"), "phone calls"),
                   ("d2", span(D2, "She calls her mother on Sunday"), "phone calls"),
                   ("d2", span(D2, "She is a good girl"), "good child"),
                   ("d3", span(D3, "我很想妈妈"), "missing parents"),
                   ("d3", span(D3, "他想我"), "missing parents"),
                   ("d3", span(D3, "妈妈每天打电话"), "phone calls")]
        for doc, (s, e), code in codings:
            codebook.add_coding(store, doc, s, e, code, coder="A")
        # Coder B agrees on d1 except that she codes a longer span for "missing parents".
        codebook.add_coding(store, "d1", *span(D1, "I miss my mother very much"), "missing parents", coder="B")
        codebook.add_coding(store, "d1", *span(D1, "She calls me on Sunday"), "phone calls", coder="B")
        codebook.add_category(store, "longing", paradigm_role="phenomenon", codes=["missing parents"])
        codebook.add_category(store, "keeping contact", paradigm_role="strategies", codes=["phone calls"])
        codebook.add_relation(store, "longing", "keeping contact", kind="prompts")
        codebook.set_core_category(store, "longing")
    return folder


@pytest.fixture
def texts() -> dict[str, str]:
    """The transcripts of the ``study`` fixture."""
    return {"d1": D1, "d2": D2, "d3": D3}


@pytest.fixture(name="span")
def span_fixture():
    """The :func:`span` helper, for tests (conftest cannot be imported under importlib mode)."""
    return span
