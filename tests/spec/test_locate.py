"""The key-path -> line locator on awkward TOML."""

from __future__ import annotations

import tomllib

import pytest

from leftbehind.spec._locate import KeyLocator, format_key

TEXT = '''# a comment with [brackets] and key = "value"
[study]
title = "x = [not a table]"
description = """
[not.a.header]
fake = 1
"""

[survey]
files = [
  "a.csv",  # [comment]
  "b.csv",
]
id = 'qid'

[value_labels."odd.name"]
1 = "one"
"2" = "two"

[[analysis.nested]]
name = "m1"
[[analysis.nested]]
name = "m2"
add = ["@controls"]
labels = { 1 = "a", 2 = "b" }
survey.inner = 1
'''


def test_text_is_valid_toml():
    tomllib.loads(TEXT)


@pytest.mark.parametrize("path, needle", [
    (("study", "title"), "title ="),
    (("study", "description"), "description ="),
    (("survey",), "[survey]"),
    (("survey", "files"), "files = ["),
    (("survey", "files", 1), "files = ["),
    (("survey", "id"), "id = 'qid'"),
    (("value_labels", "odd.name", "1"), '1 = "one"'),
    (("value_labels", "odd.name", "2"), '"2" = "two"'),
    (("analysis", "nested", 0, "name"), 'name = "m1"'),
    (("analysis", "nested", 1), '[[analysis.nested]]\nname = "m2"'),
    (("analysis", "nested", 1, "add"), "add = "),
    (("analysis", "nested", 1, "labels", 2), "labels = {"),
    (("analysis", "nested", 1, "survey", "inner"), "survey.inner"),
    (("analysis", "nested", 1, "missing"), '[[analysis.nested]]\nname = "m2"'),
])
def test_lines(path, needle):
    expected = TEXT[:TEXT.index(needle)].count("\n") + 1
    assert KeyLocator(TEXT).line(path) == expected


def test_fake_keys_inside_strings_are_ignored():
    loc = KeyLocator(TEXT)
    assert loc.line(("not", "a", "header")) is None
    assert loc.line(("study", "fake")) == TEXT[:TEXT.index("[study]")].count("\n") + 1


def test_format_key():
    assert format_key(["analysis", "nested", 1, "add", 0]) == "analysis.nested[1].add[0]"
    assert format_key([]) == ""
