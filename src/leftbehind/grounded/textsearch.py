"""Full-text search, keyword in context and word frequencies over interview transcripts.

Search is plain (the query as typed) or a regular expression, case-insensitive by default.
``whole_word=True`` keeps only matches that start and end on word boundaries: regular-expression
word boundaries for Latin scripts, and jieba's segmentation for a query with Chinese characters
(so 想妈妈 matches the words 想 + 妈妈 but 妈 does not match inside 妈妈). Offsets are Unicode code
points into the stored text, half-open ``[start, end)``.

Word frequencies tokenize Chinese with jieba and Latin scripts with a regular expression
(letters, inner apostrophes), lower-case Latin words and drop a small built-in stopword list for
English and Chinese unless told otherwise.

Examples
--------
>>> texts = {"d1": "I miss my mother. Mother calls on Sunday.", "d2": "我很想妈妈。"}
>>> [h["start"] for h in search(texts, "mother").records()]
[10, 18]
>>> search(texts, "妈妈").records()
[{'document': 'd2', 'start': 3, 'end': 5, 'text': '妈妈'}]
>>> kwic(texts, "calls", window=7)[["left", "match", "right"]].values.tolist()
[['Mother ', 'calls', ' on Sun']]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from leftbehind._result import ResultMixin
from leftbehind.errors import InputError
from leftbehind.grounded._frames import require_columns

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")
LATIN_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
SPEAKER_LABEL = re.compile(r"\s*[^\s:：][^:：\n]{0,40}?\s*[:：]")

ENGLISH_STOPWORDS = frozenset("""
a about after again all also am an and any are as at be because been before being but by can
could did do does doing don't down during each few for from had has have having he her here hers
him his how i i'm if in into is it it's its just me more most my no nor not now of off on once
only or other our out over own same she should so some such than that that's the their them then
there these they this those through to too under until up very was we were what when where which
while who whom why will with would you your yeah oh um uh okay ok like well
""".split())
CHINESE_STOPWORDS = frozenset("""
的 了 是 我 你 他 她 它 们 我们 你们 他们 她们 这 那 这个 那个 就 都 也 还 在 和 跟 与 及 而 但 但是 因为 所以
如果 就是 一个 一 有 没有 没 不 很 会 要 说 吗 呢 吧 啊 呀 哦 嗯 着 过 对 把 被 让 给 从 到 又 再 才 可以 什么
怎么 这样 那样 这么 那么 自己 时候 还是 或者 然后 其实 已经 一下 一些 这些 那些 可能 觉得
""".split())


@dataclass(frozen=True)
class SearchHits(ResultMixin):
    """Matches of a text search (result of :func:`search`).

    Attributes
    ----------
    query
        The query as given.
    hits
        ``(document, start, end, text)`` tuples in document order, then by start.
    """

    query: str
    hits: tuple[tuple[str, int, int, str], ...]

    def records(self) -> list[dict]:
        """Return ``[{"document", "start", "end", "text"}, ...]``."""
        return [{"document": d, "start": s, "end": e, "text": t} for d, s, e, t in self.hits]

    def to_frame(self) -> pd.DataFrame:
        """Return one row per hit."""
        return pd.DataFrame(self.records(), columns=["document", "start", "end", "text"])

    def to_dict(self) -> dict:
        """Return ``{"query", "hits": [{document, start, end, text}]}``."""
        return {"query": self.query, "hits": self.records()}


def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def _word_bounds(text: str) -> tuple[set[int], set[int]]:
    """Return the start and end offsets of jieba's words in ``text``."""
    starts, ends = set(), set()
    for _, start, end in _jieba().tokenize(text):
        starts.add(start)
        ends.add(end)
    return starts, ends


def _pattern(query: str, *, regex: bool, whole_word: bool, case_sensitive: bool) -> re.Pattern:
    if not query:
        raise InputError("the search query is empty", hint="give a word, phrase or regular expression")
    body = query if regex else re.escape(query)
    if whole_word and not CJK.search(query):
        body = rf"(?<!\w)(?:{body})(?!\w)"
    try:
        return re.compile(body, 0 if case_sensitive else re.IGNORECASE)
    except re.error as exc:
        raise InputError(f"invalid regular expression {query!r}: {exc}",
                         hint="escape special characters, or search without --regex") from exc


def search(texts: Mapping[str, str], query: str, *, regex: bool = False, whole_word: bool = False,
           case_sensitive: bool = False) -> SearchHits:
    """Find ``query`` in every text.

    Parameters
    ----------
    texts
        ``{document name: plain text}`` (``qual.query.document_text`` for each document).
    query
        Text to find, or a Python regular expression with ``regex=True``.
    regex
        Treat ``query`` as a regular expression (empty matches are skipped).
    whole_word
        Keep matches on word boundaries only; for a query with Chinese characters the
        boundaries are those of jieba's segmentation of the document.
    case_sensitive
        Match case exactly (default: ignore case).

    Returns
    -------
    SearchHits

    Raises
    ------
    InputError
        An empty query or an invalid regular expression.
    """
    pattern = _pattern(query, regex=regex, whole_word=whole_word, case_sensitive=case_sensitive)
    segmented = whole_word and bool(CJK.search(query))
    hits = []
    for document, text in texts.items():
        bounds = _word_bounds(text) if segmented else None
        for match in pattern.finditer(text):
            start, end = match.span()
            if start == end:
                continue
            if bounds is not None and (start not in bounds[0] or end not in bounds[1]):
                continue
            hits.append((str(document), start, end, match.group(0)))
    return SearchHits(query=query, hits=tuple(hits))


def kwic(texts: Mapping[str, str], query: str, *, window: int = 40, regex: bool = False,
         whole_word: bool = False, case_sensitive: bool = False) -> pd.DataFrame:
    """Keyword in context: every hit with ``window`` characters on each side.

    Returns
    -------
    pandas.DataFrame
        ``document, start, end, left, match, right``; line breaks in the context become spaces.
    """
    if window < 0:
        raise InputError(f"the context window must be 0 or more characters, not {window}",
                         hint="use e.g. --window 40")
    found = search(texts, query, regex=regex, whole_word=whole_word, case_sensitive=case_sensitive)
    rows = []
    for document, start, end, text in found.hits:
        full = texts[document]
        def flat(s: str) -> str:
            return re.sub(r"\s", " ", s)
        rows.append({"document": document, "start": start, "end": end,
                     "left": flat(full[max(0, start - window):start]), "match": text,
                     "right": flat(full[end:end + window])})
    return pd.DataFrame(rows, columns=["document", "start", "end", "left", "match", "right"])


def tokenize(text: str, *, stopwords: bool = True) -> list[str]:
    """Split ``text`` into words: jieba for Chinese runs, letters for Latin scripts.

    >>> tokenize("I miss my mother; 我很想妈妈")
    ['miss', 'mother', '想', '妈妈']
    """
    words: list[str] = []
    position = 0
    for run in CJK.finditer(text):
        words += [w.lower() for w in LATIN_WORD.findall(text[position:run.start()])]
        words += [w for w in _jieba().lcut(run.group(0)) if w.strip()]
        position = run.end()
    words += [w.lower() for w in LATIN_WORD.findall(text[position:])]
    if stopwords:
        words = [w for w in words if w not in ENGLISH_STOPWORDS and w not in CHINESE_STOPWORDS]
    return words


@dataclass(frozen=True)
class WordFrequencies(ResultMixin):
    """Word counts per group of speakers (result of :func:`word_frequencies`).

    Attributes
    ----------
    by
        The turns column the groups are values of (``None``: one group ``"(all)"``).
    frame
        ``group, word, count, share`` (share of the group's words), most frequent first.
    """

    by: str | None
    frame: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """Return the long frame."""
        return self.frame.copy()

    def to_dict(self) -> dict:
        """Return ``{"by", "groups": {group: [{word, count, share}]}}``."""
        groups: dict[str, list] = {}
        for row in self.frame.itertuples(index=False):
            groups.setdefault(row.group, []).append({"word": row.word, "count": int(row.count),
                                                     "share": float(row.share)})
        return {"by": self.by, "groups": groups}

    def wide(self) -> pd.DataFrame:
        """Return words (rows) by groups (columns) with counts, zeros where absent."""
        table = self.frame.pivot_table(index="word", columns="group", values="count", fill_value=0,
                                       aggfunc="sum")
        return table.loc[table.sum(axis=1).sort_values(ascending=False, kind="stable").index]


def word_frequencies(texts: Mapping[str, str], turns: pd.DataFrame | None = None, *,
                     by: str | None = "role", top: int | None = 20,
                     stopwords: bool = True, extra_stopwords: Sequence[str] = (),
                     skip_labels: bool = True) -> WordFrequencies:
    """Count words per group of speakers (per role by default).

    Parameters
    ----------
    texts
        ``{document name: plain text}``.
    turns
        The turns frame (``document, start, end`` and the ``by`` column). Without turns, every
        text counts as one group ``"(all)"``.
    by
        Turns column to group by (``role``, ``participant``, ``family``); ``None`` pools all turns.
    top
        Keep the ``top`` most frequent words per group (``None``: all). Ties are broken by word.
    stopwords
        Drop the built-in English and Chinese stopwords.
    extra_stopwords
        More words to drop (compared after lower-casing Latin words).
    skip_labels
        Leave out the speaker label that opens a turn (``"Lili:"``, ``"奶奶："``): turns run from
        the label, and labels may be names.

    Examples
    --------
    >>> import pandas as pd
    >>> texts = {"d1": "Q: Do you miss her? A: I miss her, I miss mum."}
    >>> turns = pd.DataFrame({"document": ["d1", "d1"], "start": [0, 20], "end": [20, 46],
    ...                       "role": ["interviewer", "child"]})
    >>> word_frequencies(texts, turns, top=2).to_frame()[["group", "word", "count"]].values.tolist()
    [['child', 'miss', 2], ['child', 'mum', 1], ['interviewer', 'miss', 1]]
    """
    drop = {w.lower() for w in extra_stopwords}
    if top is not None and top < 1:
        raise InputError(f"top must be at least 1, not {top}", hint="use e.g. --top 20")
    pieces: list[tuple[str, str]] = []
    if turns is None:
        pieces = [("(all)", text) for text in texts.values()]
        by = None
    else:
        require_columns(turns, ("document", "start", "end"), name="turns")
        if by is not None and by not in turns.columns:
            raise InputError(f"the turns frame has no column {by!r}",
                             hint=f"group by one of {', '.join(map(str, turns.columns))}")
        for row in turns.to_dict("records"):
            if row["document"] not in texts:
                continue
            group = "(all)" if by is None else ("(none)" if pd.isna(row[by]) else str(row[by]))
            text = texts[row["document"]][int(row["start"]):int(row["end"])]
            if skip_labels:
                text = SPEAKER_LABEL.sub("", text, count=1) if SPEAKER_LABEL.match(text) else text
            pieces.append((group, text))
    counts: dict[str, Counter] = {}
    for group, text in pieces:
        words = [w for w in tokenize(text, stopwords=stopwords) if w not in drop]
        counts.setdefault(group, Counter()).update(words)
    rows = []
    for group in sorted(counts):
        total = sum(counts[group].values())
        ranked = sorted(counts[group].items(), key=lambda wc: (-wc[1], wc[0]))
        for word, n in ranked[:top] if top is not None else ranked:
            rows.append({"group": group, "word": word, "count": n, "share": n / total})
    return WordFrequencies(by=by, frame=pd.DataFrame(rows, columns=["group", "word", "count", "share"]))
