"""The qual store commands through the real entry point, errors included."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from leftbehind.cli.main import main


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def loaded(tmp_path, example_folder, capsys):
    study = tmp_path / "study"
    assert run(capsys, "qual", "init", study)[0] == 0
    code, out, _ = run(capsys, "qual", "load", study, example_folder)
    assert code == 0 and out.startswith("loaded families.csv, participants.csv")
    return study


def test_people_lists_pseudonyms_only(loaded, capsys):
    code, out, _ = run(capsys, "qual", "people", loaded)
    assert code == 0
    assert out.splitlines()[1].split() == ["Lan", "child", "age", "10", "girl"]
    code, out, _ = run(capsys, "qual", "people", loaded, "--json")
    data = json.loads(out)
    assert [p["participant"] for p in data["participants"]] == ["Bo", "Lan", "Nai"]
    assert data["families"][0]["left_behind_age"] == "Shortly after birth"
    for text in (out, run(capsys, "qual", "people", loaded)[1]):
        assert "王小兰" not in text and "李秀英" not in text


def test_people_import_option(tmp_path, example_folder, capsys):
    study = tmp_path / "s"
    run(capsys, "qual", "init", study)
    code, out, _ = run(capsys, "qual", "people", study, "--import", example_folder)
    assert code == 0 and out.splitlines()[0] == "imported families.csv, participants.csv, consent.csv"


def test_codes_tree_and_rename_merge_split_then_history(loaded, capsys):
    code, out, _ = run(capsys, "qual", "codes", loaded)
    assert out.splitlines() == ["emotions (0)", "  crying (1)  [Distress]",
                                "  missing parents (2)  [Separation]"]
    assert run(capsys, "qual", "codes", loaded, "--rename", "crying", "tears")[0] == 0
    assert run(capsys, "qual", "codes", loaded, "--split", "missing parents", "--into", "mother,father")[0] == 0
    code, out, _ = run(capsys, "qual", "codes", loaded, "--merge", "tears", "--into", "distress talk", "--json")
    codes = {c["code"]: c for c in json.loads(out)}
    assert codes["distress talk"]["n_codings"] == 1 and "tears" not in codes
    assert codes["mother"]["parent"] == "missing parents"
    code, out, _ = run(capsys, "qual", "history", loaded, "--code", "crying", "--json")
    assert [e["action"] for e in json.loads(out)["events"]] == [
        "create", "create", "memo", "rename", "merged_into", "merge"]


def test_code_memo_and_history_of_a_coding(loaded, capsys):
    code, out, _ = run(capsys, "qual", "code", loaded, "F02.txt", 0, 11, "interviewing", "--coder", "B", "--new-code")
    assert code == 0 and out.strip().endswith("[0, 11) 'Interviewer'")
    coding_id = out.split()[1].rstrip(":")
    code, out, _ = run(capsys, "qual", "memo", loaded, "coding", coding_id, "--title", "t", "--text", "x", "--author", "B")
    assert code == 0
    code, out, _ = run(capsys, "qual", "history", loaded, "--coding", coding_id)
    assert [line.split()[2] for line in out.splitlines()] == ["create", "memo"]


def test_import_and_import_codings(tmp_path, capsys):
    study = tmp_path / "s"
    run(capsys, "qual", "init", study)
    (tmp_path / "a.vtt").write_text("WEBVTT\n\n00:01.000 --> 00:02.000\n<v Mei>我很想他\n", encoding="utf-8")
    (tmp_path / "m.csv").write_text("file,interview,participant,role,family,language,date\n"
                                    "a.vtt,I1,Mei,mother,F1,zh,2014-01-02\n", encoding="utf-8")
    code, out, _ = run(capsys, "qual", "import", study, tmp_path / "m.csv")
    assert code == 0 and out.strip() == "imported 1 document(s), 1 turn(s), 0 observation(s)"
    (tmp_path / "c.csv").write_text("document,coder,code,start,end\na.vtt,A,longing,1,3\n", encoding="utf-8")
    assert run(capsys, "qual", "import-codings", study, tmp_path / "c.csv")[1].strip() == "imported 1 coding(s)"
    code, _, err = run(capsys, "qual", "import-codings", study, tmp_path / "c.csv", "--no-new-codes")
    assert code == 2 and "already coded" in err


def test_deidentify_exit_status_and_privacy(loaded, capsys):
    code, out, _ = run(capsys, "qual", "deidentify", loaded)
    assert code == 1
    assert out.splitlines() == ["F01.txt  text  offset 12  length 3  -> Lan",
                                "F01.txt  text  offset 29  length 3  -> Nai"]
    code, out, _ = run(capsys, "qual", "deidentify", loaded, "--json", "--show-names")
    assert json.loads(out)["hits"][0]["name"] == "王小兰"


@pytest.mark.parametrize("args, message", [
    (["qual", "people", "{tmp}/nowhere"], "no qualitative store here"),
    (["qual", "code", "{study}", "F01.txt", "5", "500", "crying", "--coder", "A"], "outside document"),
    (["qual", "code", "{study}", "F01.txt", "0", "2", "nope", "--coder", "A"], "unknown code 'nope'"),
    (["qual", "codes", "{study}", "--merge", "crying"], "need --into"),
    (["qual", "history", "{study}"], "give either a code or a coding"),
    (["qual", "memo", "{study}", "village", "x", "--title", "t", "--text", "x", "--author", "A"], "unknown target type"),
    (["qual", "load", "{study}", "{tmp}/nowhere"], "folder does not exist"),
    (["qual", "people", "{tmp}/junk.db"], "file is not a database"),
    (["qual", "people", "postgresql://nobody:hunter2@127.0.0.1:1/none"], "cannot use the database"),
])
def test_errors_are_one_line_and_exit_2(loaded, tmp_path, capsys, args, message):
    (tmp_path / "junk.db").write_text("not sqlite", encoding="utf-8")
    code, out, err = run(capsys, *[a.format(study=loaded, tmp=tmp_path) for a in args])
    assert code == 2 and "hunter2" not in err
    assert err.startswith("error: ") and message in err and err.count("\n") == 1


def test_unknown_speaker_error_through_a_subprocess(tmp_path):
    (tmp_path / "t.txt").write_text("Interviewer: hi\nStranger: hello\n", encoding="utf-8")
    (tmp_path / "m.csv").write_text("file,interview\nt.txt,I1\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "leftbehind", "qual"]
    assert subprocess.run(cmd + ["init", str(tmp_path / "s")], capture_output=True).returncode == 0
    done = subprocess.run(cmd + ["import", str(tmp_path / "s"), str(tmp_path / "m.csv")],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert "t.txt, line 2: unknown speaker 'Stranger'" in done.stderr
