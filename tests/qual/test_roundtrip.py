"""Property: code-point spans over CJK, emoji and CRLF text survive import -> export -> import."""

from __future__ import annotations

import csv
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leftbehind.qual import query as q
from leftbehind.qual.transcripts import export_codings, export_document, import_codings, import_transcript

PIECES = ["\r\n", "\n", "\r", " ", "我", "想", "妈", "。", "😢", "👨‍👩‍👧", "e\u0301", "𠀀", "ａ", "x"]
CHAR = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=":：[［\ufeff")
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), CHAR), min_size=1, max_size=60).map("".join)


@st.composite
def text_and_spans(draw):
    text = draw(TEXT)
    n = len(text)
    spans = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(1, n)).map(sorted)
                          .filter(lambda p: p[0] < p[1]), min_size=1, max_size=6, unique_by=tuple))
    return text, spans


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def rt_store(request, tmp_path_factory):
    from leftbehind.qual.store import init_store

    if request.param == "postgresql":
        url, reset = request.getfixturevalue("pg_url_reset")
        reset(url)
        store = init_store(url)
    else:
        store = init_store(tmp_path_factory.mktemp("rt"))
    yield store, tmp_path_factory.mktemp("files")
    store.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=text_and_spans())
def test_spans_survive_import_export_import(rt_store, case):
    store, folder = rt_store
    text, spans = case
    first, second = f"{uuid.uuid4().hex}.txt", f"{uuid.uuid4().hex}.txt"
    (folder / first).write_bytes(text.encode("utf-8"))
    import_transcript(store, folder / first)
    with (folder / "in.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["document", "coder", "code", "start", "end"])
        writer.writerows([first, "A", "c", s, e] for s, e in spans)
    import_codings(store, folder / "in.csv")

    export_document(store, first, path=folder / second)
    assert (folder / second).read_bytes() == text.encode("utf-8")
    export_codings(store, folder / "out.csv", documents=[first])
    exported = (folder / "out.csv").read_text(encoding="utf-8").replace(first, second)
    (folder / "out2.csv").write_text(exported, encoding="utf-8")
    import_transcript(store, folder / second)
    import_codings(store, folder / "out2.csv")

    frame = q.codings_frame(store, coders=["A"])
    got_first = frame[frame["document"] == first][["start", "end", "text"]].values.tolist()
    got_second = frame[frame["document"] == second][["start", "end", "text"]].values.tolist()
    expected = sorted([s, e, text[s:e]] for s, e in spans)
    assert got_first == expected and got_second == expected
    assert q.document_text(store, second) == text
