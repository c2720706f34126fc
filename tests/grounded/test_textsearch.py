"""Text search, keyword in context and word frequencies (offsets in code points, counted by hand)."""

from __future__ import annotations

import pandas as pd
import pytest

from leftbehind.errors import InputError
from leftbehind.grounded.textsearch import kwic, search, tokenize, word_frequencies

TEXTS = {"en": "Missing mum. I miss my mum; mummy calls.", "zh": "我很想妈妈。妈妈每天打电话。",
         "astral": "𠮷 miss"}


def test_plain_search_is_case_insensitive_with_code_point_offsets():
    hits = search(TEXTS, "miss").records()
    assert [(h["document"], h["start"], h["end"], h["text"]) for h in hits] == [
        ("en", 0, 4, "Miss"), ("en", 15, 19, "miss"), ("astral", 2, 6, "miss")]
    # '𠮷' is one code point (two UTF-16 units): 'miss' starts at 2, not 3.
    assert search(TEXTS, "miss", case_sensitive=True).to_frame()["start"].tolist() == [15, 2]


def test_whole_word_latin_and_chinese():
    assert [h["start"] for h in search(TEXTS, "mum", whole_word=True).records()] == [8, 23]
    assert len(search(TEXTS, "mum").hits) == 3  # also inside "mummy"
    # jieba segments 我/很/想/妈妈/。/妈妈/每天/打电话/。: "妈" alone is no word, "妈妈" is.
    assert len(search(TEXTS, "妈").hits) == 4
    assert search(TEXTS, "妈", whole_word=True).hits == ()
    assert [h[1] for h in search(TEXTS, "妈妈", whole_word=True).hits] == [3, 6]
    assert search(TEXTS, "电话", whole_word=True).hits == ()  # inside the word 打电话


def test_regex_search_and_errors():
    assert [h["text"] for h in search(TEXTS, r"m\w*y", regex=True).records()] == ["my", "mummy"]
    assert search(TEXTS, "x*", regex=True).hits == ()  # empty matches are skipped
    with pytest.raises(InputError, match="invalid regular expression"):
        search(TEXTS, "(", regex=True)
    with pytest.raises(InputError, match="empty"):
        search(TEXTS, "")
    assert search(TEXTS, "(").hits == ()  # plain search escapes


def test_kwic_window():
    frame = kwic({"d": "one two\nthree two four"}, "two", window=4)
    assert frame[["left", "match", "right"]].values.tolist() == [["one ", "two", " thr"],
                                                                 ["ree ", "two", " fou"]]
    with pytest.raises(InputError):
        kwic(TEXTS, "miss", window=-1)


def test_tokenize_and_stopwords():
    assert tokenize("Don't you MISS her? 我很想妈妈") == ["miss", "想", "妈妈"]
    assert tokenize("I miss her", stopwords=False) == ["i", "miss", "her"]


def test_word_frequencies_per_role_skip_labels():
    text = "Lili: I miss mum, miss mum.\n奶奶：她想妈妈。想！\n"
    turns = pd.DataFrame({"document": ["d", "d"], "start": [0, 28], "end": [27, 38],
                          "role": ["child", "grandmother"]})
    result = word_frequencies({"d": text}, turns)
    frame = result.to_frame()
    child = frame[frame.group == "child"]
    assert child[["word", "count"]].values.tolist() == [["miss", 2], ["mum", 2]]
    assert child["share"].tolist() == [0.5, 0.5]
    gran = frame[frame.group == "grandmother"]
    assert gran[["word", "count"]].values.tolist() == [["想", 2], ["妈妈", 1]]
    assert "lili" not in set(frame.word) and "奶奶" not in set(frame.word)
    assert result.wide().loc["miss"].to_dict() == {"child": 2, "grandmother": 0}
    assert word_frequencies({"d": text}, turns, top=1, extra_stopwords=["MISS"]).to_dict()["groups"]["child"] == [
        {"word": "mum", "count": 2, "share": 1.0}]
    pooled = word_frequencies({"d": text}, None, top=None)
    assert set(pooled.to_frame()["group"]) == {"(all)"}
    with pytest.raises(InputError, match="no column 'age'"):
        word_frequencies({"d": text}, turns, by="age")
