"""Transcript readers on real files of every format, written by the tests themselves."""

from __future__ import annotations

import pytest

from leftbehind.errors import DataError, InputError, StoreError
from leftbehind.qual import query as q
from leftbehind.qual import services as sv
from leftbehind.qual.importers import read_transcript
from leftbehind.qual.transcripts import import_transcript


def _labels(parsed):
    return [(t.label, parsed.text[t.start:t.end]) for t in parsed.turns]


def test_txt_keeps_crlf_and_reads_fullwidth_colons(tmp_path):
    raw = "前言一行\r\n访谈者：你好吗？\r\n小兰：还好。\r\n  第二行\r\n\r\nGrandma Li: ok\r\n"
    path = tmp_path / "a.txt"
    path.write_bytes(raw.encode("utf-8"))
    parsed = read_transcript(path)
    assert parsed.text == raw
    assert _labels(parsed) == [("访谈者", "访谈者：你好吗？"), ("小兰", "小兰：还好。\r\n  第二行"),
                               ("Grandma Li", "Grandma Li: ok")]
    assert [t.line for t in parsed.turns] == [2, 3, 6]


def test_bom_is_dropped_and_non_utf8_is_an_error(tmp_path):
    (tmp_path / "b.md").write_bytes("\ufeffA: x".encode("utf-8"))
    assert read_transcript(tmp_path / "b.md").text == "A: x"
    (tmp_path / "c.txt").write_bytes("第一行\n".encode("utf-8") + "小兰：好".encode("gb18030"))
    with pytest.raises(DataError, match="not UTF-8") as err:
        read_transcript(tmp_path / "c.txt")
    assert err.value.location.line == 2
    with pytest.raises(InputError, match="unsupported"):
        read_transcript(tmp_path / "x.pdf")


def test_observation_brackets_ascii_and_fullwidth(tmp_path):
    raw = "小兰：嗯 [obs: looks away] 不知道 ［观察：哭了］\n"
    (tmp_path / "o.txt").write_text(raw, encoding="utf-8", newline="")
    parsed = read_transcript(tmp_path / "o.txt")
    got = [(o.note, raw[o.start:o.end]) for o in parsed.observations]
    assert got == [("looks away", "[obs: looks away]"), ("哭了", "［观察：哭了］")]


def test_docx_paragraphs_joined_by_newline(tmp_path):
    import docx

    d = docx.Document()
    for para in ["访谈者：你想爸爸吗？", "小兰：想。", "[obs: 低头]"]:
        d.add_paragraph(para)
    d.save(tmp_path / "t.docx")
    parsed = read_transcript(tmp_path / "t.docx")
    assert parsed.text == "访谈者：你想爸爸吗？\n小兰：想。\n[obs: 低头]"
    assert _labels(parsed)[1] == ("小兰", "小兰：想。\n[obs: 低头]")


def test_odt_paragraphs_headings_and_spaces(tmp_path):
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P, S

    doc = OpenDocumentText()
    doc.text.addElement(H(outlinelevel=1, text="Interview F01"))
    p = P(text="Interviewer:")
    p.addElement(S(c=2))
    p.addText("hello")
    doc.text.addElement(p)
    doc.text.addElement(P(text="奶奶：他很乖。"))
    doc.save(str(tmp_path / "t.odt"))
    parsed = read_transcript(tmp_path / "t.odt")
    assert parsed.text == "Interview F01\nInterviewer:  hello\n奶奶：他很乖。"
    assert [t.label for t in parsed.turns] == ["Interviewer", "奶奶"]


def test_vtt_voice_tags_and_prefixes(tmp_path):
    vtt = ("WEBVTT\n\nNOTE recorded at home\n\n1\n00:00:01.000 --> 00:00:02.000\n<v Interviewer>How are you?</v>\n\n"
           "00:00:02.500 --> 00:00:04.000\n<v.loud 小兰>我 &amp; 奶奶\n很好\n\n"
           "00:00:04.000 --> 00:00:05.000\n还有 <i>这个</i>\n\n"
           "00:00:05.000 --> 00:00:06.000\nGrandma: yes\n")
    (tmp_path / "t.vtt").write_text(vtt, encoding="utf-8")
    parsed = read_transcript(tmp_path / "t.vtt")
    assert parsed.text == "How are you?\n我 & 奶奶\n很好\n还有 这个\nGrandma: yes"
    assert _labels(parsed) == [("Interviewer", "How are you?"), ("小兰", "我 & 奶奶\n很好\n还有 这个"),
                               ("Grandma", "Grandma: yes")]


def test_srt_prefixes_and_missing_timing(tmp_path):
    srt = "1\r\n00:00:01,000 --> 00:00:02,000\r\n访谈者：你好\r\n\r\n2\r\n00:00:02,000 --> 00:00:03,000\r\n小兰：好\r\n"
    (tmp_path / "t.srt").write_bytes(srt.encode("utf-8"))
    parsed = read_transcript(tmp_path / "t.srt")
    assert parsed.text == "访谈者：你好\n小兰：好"
    assert _labels(parsed) == [("访谈者", "访谈者：你好"), ("小兰", "小兰：好")]
    (tmp_path / "bad.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nA: x\n\nno timing here\n", encoding="utf-8")
    with pytest.raises(DataError, match="timing") as err:
        read_transcript(tmp_path / "bad.srt")
    assert err.value.location.line == 5


def test_speakers_matched_by_pseudonym_or_real_name(store, tmp_path):
    sv.add_participant(store, "Lan", role="child", real_name="Wang Xiaolan")
    sv.add_participant(store, "Nai", role="grandparent")
    (tmp_path / "t.txt").write_text("Interviewer: hi\nwang xiaolan: hello\nNai: tea?\n", encoding="utf-8")
    import_transcript(store, tmp_path / "t.txt")
    turns = q.turns_frame(store)
    assert turns["role"].tolist() == ["interviewer", "child", "grandparent"]
    assert turns["participant"].tolist()[1:] == ["Lan", "Nai"]


def test_unknown_speaker_names_file_and_line(store, tmp_path):
    sv.add_participant(store, "Lan", role="child")
    (tmp_path / "t.txt").write_text("Lan: a\nLan: b\nStranger: c\n", encoding="utf-8")
    with pytest.raises(StoreError, match="unknown speaker 'Stranger'") as err:
        import_transcript(store, tmp_path / "t.txt")
    assert err.value.location.line == 3 and err.value.location.file.endswith("t.txt")
    assert q.documents_frame(store).empty


def test_monologue_belongs_to_the_only_participant(store, tmp_path):
    sv.add_participant(store, "Lan", role="child")
    (tmp_path / "diary.txt").write_text("今天很想妈妈。\n", encoding="utf-8")
    import_transcript(store, tmp_path / "diary.txt", participants=["Lan"])
    assert q.turns_frame(store)[["start", "end", "participant"]].values.tolist() == [[0, 8, "Lan"]]


def test_an_unclosed_observation_bracket_is_plain_text():
    from leftbehind.qual.importers import parse_transcript

    parsed = parse_transcript("Lan: [obs: no end\nLan: later] [obs: ok]")
    # by hand: "Lan: [obs: no end\n" is 5 + 12 + 1 = 18 code points, "Lan: later] " 12 more
    assert [(o.note, o.start) for o in parsed.observations] == [("ok", 30)]
