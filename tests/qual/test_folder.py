"""Manifest, codings and whole-folder imports: contents, one transaction, located errors."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from leftbehind.errors import DataError, LeftbehindError, StoreError, StudyFileError
from leftbehind.qual import query as q
from leftbehind.qual.deidentify import check_real_names
from leftbehind.qual.folder import load_folder
from leftbehind.qual.transcripts import export_codings, import_codings, import_manifest

F01_TEXT = "访谈者：你想妈妈吗？\r\n王小兰：想。[obs: 低头]\r\n李秀英：她常哭。\r\n"


def test_load_folder_reads_every_file_in_order(store, example_folder):
    result = load_folder(store, example_folder, actor="loader")
    assert result.loaded == ("families.csv", "participants.csv", "consent.csv", "interviews.csv",
                             "manifest.csv", "codebook.csv", "grounded.toml", "codings_A.csv",
                             "codings_B.csv", "memos.csv", "sampling.csv")
    fam = q.families_frame(store).set_index("family")
    assert fam.loc["F01", "left_behind_age_months"] == 0 and pd.isna(fam.loc["F02", "left_behind_age_months"])
    people = q.participants_frame(store).set_index("participant")
    assert people.loc["Lan", "grade"] == "4" and people.loc["Bo", "age"] == 12
    assert "real_name" not in people.columns and "王小兰" not in people.to_csv()
    assert q.document_text(store, "F01.txt") == F01_TEXT
    codings = q.codings_frame(store)
    assert codings[["text", "code", "coder", "participant", "role", "family"]].values.tolist() == [
        ["想", "missing parents", "A", "Lan", "child", "F01"],
        ["想", "missing parents", "B", "Lan", "child", "F01"],
        ["她常哭", "crying", "A", "Nai", "grandparent", "F01"]]
    ivs = q.interviews_frame(store).set_index("interview")
    assert ivs.loc["I02", "suspended"] and ivs.loc["I02", "referral_offered"]
    assert ivs.loc["I01", "participants"] == ["Lan", "Nai"]
    obs = q.observations_frame(store)
    assert obs[["note", "start", "end"]].values.tolist() == [["低头", 18, 27]]
    cats = q.categories_frame(store).set_index("category")
    assert cats.loc["Separation", "properties"] == [
        {"name": "duration", "dimension_low": "short", "dimension_high": "long"}]
    assert q.relations_frame(store)["kind"].tolist() == ["leads_to"]
    assert q.memos_frame(store)["target"].tolist() == ["Separation", "crying", "Lan"]
    assert q.sampling_frame(store)["target"].tolist() == ["F02"]


def test_deidentify_finds_registered_real_names(store, example_folder):
    load_folder(store, example_folder)
    report = check_real_names(store)
    # 王小兰 labels line 2 at 12; 李秀英 labels line 3 at 29 (see the hand count in conftest)
    assert report.to_frame().values.tolist() == [["F01.txt", "text", 12, 3, "Lan"],
                                                 ["F01.txt", "text", 29, 3, "Nai"]]
    assert "王小兰" not in str(report.to_dict()) and "王小兰" in str(report.to_dict(with_names=True))


@pytest.mark.parametrize("name, content, kind, where", [
    ("participants.csv", "participant,family,role,age\nLan,F01,child,ten\n", DataError, (2, "age")),
    ("participants.csv", "participant,family,role\nLan,F09,child\n", StoreError, (2, None)),
    ("families.csv", "village\nV\n", DataError, (1, "family")),
    ("codebook.csv", "code,parent\na,b\n", DataError, (2, "parent")),
    ("codings_A.csv", "document,coder,code,start,end\nF01.txt,A,x,0,40\n", StoreError, (2, None)),
    ("codings_A.csv", "document,coder,code,start,end\nF09.txt,A,x,0,4\n", StoreError, (2, "document")),
    ("memos.csv", "target_type,target,author,title,text\nvillage,V,A,t,x\n", StoreError, (2, "target_type")),
])
def test_errors_name_file_row_and_column_and_nothing_is_kept(store, example_folder, name, content, kind, where):
    (example_folder / name).write_text(content, encoding="utf-8")
    with pytest.raises(kind) as err:
        load_folder(store, example_folder)
    assert err.value.location.file.endswith(name)
    assert (err.value.location.row, err.value.location.column) == where
    assert err.value.hint
    assert q.families_frame(store).empty and q.documents_frame(store).empty


def test_grounded_toml_errors_name_the_key(store, example_folder):
    (example_folder / "grounded.toml").write_text('[categories.A]\ncodes = ["nope"]\n', encoding="utf-8")
    with pytest.raises(StudyFileError) as err:
        load_folder(store, example_folder)
    assert err.value.location.key == "categories.A" and "unknown code 'nope'" in str(err.value)


def test_manifest_is_one_transaction(store, example_folder):
    shutil.copy(example_folder / "transcripts" / "F01.txt", example_folder / "transcripts" / "F03.txt")
    (example_folder / "transcripts" / "F04.txt").write_text("Lan: a\nStranger: b\n", encoding="utf-8")
    manifest = example_folder / "m2.csv"
    manifest.write_text("file,interview,participant,role,family\n"
                        "transcripts/F03.txt,I03,Lan;Nai,,F01\ntranscripts/F04.txt,I04,Lan,,\n",
                        encoding="utf-8")
    from leftbehind.qual.folder import import_people

    import_people(store, example_folder)
    with pytest.raises(StoreError, match="unknown speaker 'Stranger'") as err:
        import_manifest(store, manifest)
    assert err.value.location.file.endswith("F04.txt") and err.value.location.line == 2
    assert q.documents_frame(store).empty and q.interviews_frame(store).empty


def test_manifest_creates_people_and_refuses_duplicates(store, tmp_path):
    (tmp_path / "a.txt").write_text("Interviewer: hi\nMei: hello\n", encoding="utf-8")
    (tmp_path / "m.csv").write_text("file,interview,participant,role,family,language,date\n"
                                    "a.txt,I1,Mei,mother,F7,zh,2014-01-02\n", encoding="utf-8")
    result = import_manifest(store, tmp_path / "m.csv")
    assert result.to_dict() == {"documents": ["a.txt"], "turns": 2, "observations": 0, "codings": 0}
    assert q.participants_frame(store)[["participant", "role", "family"]].values.tolist() == [["Mei", "mother", "F7"]]
    assert q.documents_frame(store)[["interview", "language", "date"]].values.tolist() == [["I1", "zh", "2014-01-02"]]
    (tmp_path / "m2.csv").write_text("file,interview\na.txt,I2\nsub/a.txt,I2\n", encoding="utf-8")
    with pytest.raises(LeftbehindError) as err:
        import_manifest(store, tmp_path / "m2.csv")
    assert err.value.location.row == 2  # a.txt exists already in the store


def test_codings_export_import_round_trip(store, example_folder, tmp_path):
    load_folder(store, example_folder)
    before = q.codings_frame(store)
    assert export_codings(store, tmp_path / "out.csv") == 3
    text = (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "document,coder,code,start,end"
    with pytest.raises(StoreError, match="already coded"):
        import_codings(store, tmp_path / "out.csv")
    assert q.codings_frame(store).equals(before)


def test_manifest_translation_column_and_names_in_translations(store, tmp_path):
    (tmp_path / "a_en.txt").write_text("Interviewer: hello\nXiaolan Wang: fine\n", encoding="utf-8")
    (tmp_path / "m.csv").write_text("file,interview,participant,role,translation\n"
                                    "a.txt,I1,Lan,child,a_en.txt\n", encoding="utf-8")
    from leftbehind.qual import services as sv

    sv.add_participant(store, "Lan", role="child", real_name="Xiaolan Wang")
    (tmp_path / "a.txt").write_text("访谈者：你好\nLan：好\n", encoding="utf-8")
    import_manifest(store, tmp_path / "m.csv")
    assert q.document_text(store, "a.txt", translation=True) == "Interviewer: hello\nXiaolan Wang: fine\n"
    assert bool(q.documents_frame(store).loc[0, "has_translation"])
    hits = check_real_names(store).to_frame().values.tolist()
    assert hits == [["a.txt", "translation", 19, 12, "Lan"]]  # "Interviewer: hello\n" is 19 code points


def test_identity_columns_stay_in_the_identity_table(store, tmp_path):
    (tmp_path / "participants.csv").write_text(
        "participant,role,real_name,identity_school,grade\nLan,child,王小兰,Sunny Primary,4\n"
        "Bo,child,,,5\n", encoding="utf-8")
    from sqlalchemy import select

    from leftbehind.qual import models as m
    from leftbehind.qual.folder import import_participants

    import_participants(store, tmp_path / "participants.csv")
    frame = q.participants_frame(store)
    assert list(frame.columns) == ["participant_id", "participant", "role", "age", "sex", "family", "grade"]
    assert "Sunny" not in frame.to_csv()
    with store.reading() as s:
        assert s.scalars(select(m.Identity.fields)).all() == [{"school": "Sunny Primary"}]
    (tmp_path / "p2.csv").write_text("participant,role,identity_school\nMei,mother,X\n", encoding="utf-8")
    with pytest.raises(DataError, match="need the real_name") as err:
        import_participants(store, tmp_path / "p2.csv")
    assert err.value.location.row == 2
