"""read_data / read_survey on real files of every format, written in the test."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leftbehind.errors import DataError
from leftbehind.survey import read_data, read_survey

REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "survey"
FRAME = pd.DataFrame({"qid": [1, 2, 3], "gender": [1, 2, 2], "dep1": [3.0, np.nan, 5.0]})


def test_csv_utf8(tmp_path):
    path = tmp_path / "q.csv"
    FRAME.to_csv(path, index=False)
    data = read_data(path)
    assert data.source_format == "csv"
    pd.testing.assert_frame_equal(data.frame, FRAME, check_dtype=False)
    assert data.origin["row"].tolist() == [1, 2, 3]
    assert data.origin["file"].tolist() == [str(path)] * 3
    assert data.to_dict()["n_rows"] == 3


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_chinese_encodings_are_detected(tmp_path, encoding):
    path = tmp_path / "q.csv"
    path.write_bytes("编号,学校\n1,珲春一中\n2,第二中学\n".encode(encoding))
    data = read_data(path)
    assert list(data.frame.columns) == ["编号", "学校"]
    assert data.frame["学校"].tolist() == ["珲春一中", "第二中学"]


def test_csv_explicit_encoding(tmp_path):
    path = tmp_path / "q.csv"
    path.write_bytes("id,name\n1,Zoë\n".encode("latin-1"))
    assert read_data(path, encoding="latin-1").frame["name"].tolist() == ["Zoë"]


def test_csv_undecodable_names_file_and_offset(tmp_path):
    path = tmp_path / "q.csv"
    path.write_bytes(b"id,x\n1,\xff\xff\n")
    with pytest.raises(DataError) as info:
        read_data(path)
    assert info.value.location.file == str(path)
    assert "offset 7" in info.value.message
    assert "survey.encoding" in info.value.hint


def test_csv_wrong_explicit_encoding(tmp_path):
    path = tmp_path / "q.csv"
    path.write_bytes(b"id,x\n1,\xff\n")
    with pytest.raises(DataError, match="offset 7"):
        read_data(path, encoding="utf-8")
    with pytest.raises(DataError, match="unknown encoding"):
        read_data(path, encoding="no-such-codec")


def test_xlsx(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["qid", "gender", "dep1", "note"])
    sheet.append([1, 1, 3, "ok"])
    sheet.append([2, 2, None, None])
    sheet.append([None, None, None, None])
    sheet.append([3, 2, 5, "x"])
    path = tmp_path / "q.xlsx"
    book.save(path)
    data = read_data(path)
    assert data.source_format == "xlsx"
    assert data.frame["dep1"].tolist()[:1] == [3] and np.isnan(data.frame["dep1"].iloc[1])
    assert data.frame["qid"].tolist() == [1, 2, 3]
    assert data.frame["note"].tolist()[0] == "ok"
    assert data.origin["row"].tolist() == [1, 2, 4]  # the empty sheet row 4 is skipped but counted


def test_sav_keeps_labels_and_user_missing(tmp_path):
    import pyreadstat

    path = tmp_path / "q.sav"
    frame = pd.DataFrame({"qid": [1.0, 2.0, 3.0], "gender": [1.0, 2.0, 2.0], "dep1": [3.0, 9.0, 5.0]})
    pyreadstat.write_sav(frame, str(path), column_labels=["Questionnaire", "Gender", "Felt depressed"],
                         variable_value_labels={"gender": {1: "boy", 2: "girl"}, "dep1": {9: "no answer"}},
                         missing_ranges={"dep1": [9]})
    data = read_data(path)
    assert data.source_format == "sav"
    assert data.variable_labels == {"qid": "Questionnaire", "gender": "Gender", "dep1": "Felt depressed"}
    assert data.value_labels["gender"] == {1: "boy", 2: "girl"}
    assert data.user_missing == {"dep1": [9]}
    assert data.frame["dep1"].tolist()[::2] == [3, 5] and np.isnan(data.frame["dep1"].iloc[1])
    assert data.raw["dep1"].tolist() == [3, 9, 5]


def test_sav_written_by_pspp():
    """The .sav file was written by GNU PSPP (tests/reference/survey/pspp_labels.sps)."""
    data = read_data(REFERENCE / "pspp_labels.sav")
    assert data.variable_labels == {"gender": "Gender of the child", "dep1": "Felt depressed"}
    assert data.value_labels == {"gender": {1: "boy", 2: "girl"}, "dep1": {1: "never", 5: "always", 9: "no answer"}}
    assert data.user_missing == {"dep1": [9]}
    assert data.frame["qid"].tolist() == [1, 2, 3, 4]
    assert np.isnan(data.frame["age"].iloc[3])


def test_dta_keeps_labels(tmp_path):
    import pyreadstat

    path = tmp_path / "q.dta"
    frame = pd.DataFrame({"qid": [1, 2], "ethnicity": [1, 2]})
    pyreadstat.write_dta(frame, str(path), column_labels=["Id", "Ethnicity"],
                         variable_value_labels={"ethnicity": {1: "Han", 2: "Korean"}})
    data = read_data(path)
    assert data.source_format == "dta"
    assert data.variable_labels["ethnicity"] == "Ethnicity"
    assert data.value_labels["ethnicity"] == {1: "Han", 2: "Korean"}
    assert data.frame["ethnicity"].tolist() == [1, 2]


def test_parquet(tmp_path):
    path = tmp_path / "q.parquet"
    FRAME.to_parquet(path)
    data = read_data(path)
    assert data.source_format == "parquet"
    pd.testing.assert_frame_equal(data.frame, FRAME)


@pytest.mark.parametrize("name, content, fragment", [
    ("q.json", b"{}", "unsupported data file type"),
    ("q.csv", b"", "empty"),
    ("q.csv", b"qid,x,x\n1,2,3\n", "repeats"),
    ("q.xlsx", b"not a zip file", "cannot read the xlsx file"),
    ("q.sav", b"garbage", "cannot read the sav file"),
    ("q.parquet", b"garbage", "cannot read the parquet file"),
])
def test_bad_files(tmp_path, name, content, fragment):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DataError, match=fragment) as info:
        read_data(path)
    assert info.value.location.file == str(path) and info.value.hint


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="not found"):
        read_data(tmp_path / "absent.csv")


def test_stacking_keeps_file_and_row(tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    FRAME.to_csv(first, index=False)
    FRAME.assign(qid=[4, 5, 6])[["dep1", "qid", "gender"]].to_csv(second, index=False)
    data = read_survey([first, second])
    assert data.frame["qid"].tolist() == [1, 2, 3, 4, 5, 6]
    assert list(data.frame.columns) == ["qid", "gender", "dep1"]
    assert data.origin["file"].tolist() == [str(first)] * 3 + [str(second)] * 3
    assert data.origin["row"].tolist() == [1, 2, 3, 1, 2, 3]
    assert data.where(4) == {"file": str(second), "row": 2}


def test_stacking_mismatched_columns(tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    FRAME.to_csv(first, index=False)
    FRAME.rename(columns={"dep1": "dep_1"}).assign(extra=1).to_csv(second, index=False)
    with pytest.raises(DataError) as info:
        read_survey([first, second])
    assert info.value.location.file == str(second)
    assert "lacks dep1" in info.value.message and "has extra dep_1, extra" in info.value.message


def test_stacking_nothing():
    with pytest.raises(DataError, match="no data files"):
        read_survey([])


column_names = st.lists(st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True), min_size=1, max_size=5,
                        unique=True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(columns=column_names, data=st.data(), fmt=st.sampled_from(["csv", "parquet", "sav", "xlsx"]))
def test_round_trip_property(tmp_path, columns, data, fmt):
    """Whatever integers and blanks are written, the same numbers come back, row for row."""
    n = data.draw(st.integers(min_value=1, max_value=12))
    cells = st.one_of(st.none(), st.integers(min_value=-1000, max_value=1000))
    frame = pd.DataFrame({c: pd.array(data.draw(st.lists(cells, min_size=n, max_size=n)), dtype="Float64")
                          for c in columns}).astype(float)
    path = tmp_path / f"round.{fmt}"
    if fmt == "csv":
        frame.to_csv(path, index=False)
    elif fmt == "parquet":
        frame.to_parquet(path)
    elif fmt == "sav":
        import pyreadstat
        pyreadstat.write_sav(frame, str(path))
    else:
        frame.to_excel(path, index=False)
    back = read_data(path)
    kept = frame.notna().any(axis=1) if fmt == "xlsx" else pd.Series(True, index=frame.index)
    assert list(back.frame.columns) == columns
    np.testing.assert_array_equal(back.frame.to_numpy(dtype=float), frame[kept].to_numpy(dtype=float))
    assert back.origin["row"].tolist() == [i + 1 for i in frame.index[kept]]


def test_sav_missing_range_is_applied_by_cleaning(tmp_path):
    import pyreadstat

    from leftbehind.spec import Study
    from leftbehind.survey.cleaning import clean

    path = tmp_path / "q.sav"
    frame = pd.DataFrame({"qid": [1.0, 2.0, 3.0, 4.0], "dep1": [3.0, 97.0, 99.0, 9.0]})
    pyreadstat.write_sav(frame, str(path), missing_ranges={"dep1": [{"lo": 97.0, "hi": 99.0}, 9.0]})
    data = read_data(path)
    assert data.missing_ranges == {"dep1": [(97, 99)]} and data.user_missing == {"dep1": [9]}
    study = Study(study={"title": "t"}, survey={"files": ["q.sav"]}, items={"dep1": {"range": [1, 5]}})
    cleaned = clean(data, study)
    assert cleaned.frame["dep1"].tolist()[0] == 3 and cleaned.frame["dep1"].isna().sum() == 3


def test_xlsx_empty_sheet(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "q.xlsx"
    Workbook().save(path)
    with pytest.raises(DataError, match="first sheet is empty"):
        read_data(path)
