"""The `leftbehind qual` analysis commands end to end on a tiny study built with the store's services."""

from __future__ import annotations

import json

import krippendorff
import numpy as np
import pytest

from leftbehind.cli.main import main



def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["qual", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_agreement_defaults_to_documents_every_coder_coded(study, capsys, texts, span):
    # B coded only d1, so by default only d1's characters are units.
    code, out, _ = run(capsys, "agreement", study, "--coders", "A,B", "--json")
    assert code == 0
    got = json.loads(out)["codes"]["missing parents"]
    D1 = texts["d1"]
    a, b = np.zeros(len(D1), dtype=int), np.zeros(len(D1), dtype=int)
    s, e = span(D1, "I miss my mother")
    a[s:e] = 1
    s, e = span(D1, "I miss my mother very much")
    b[s:e] = 1
    expected = krippendorff.alpha(reliability_data=np.vstack([a, b]), level_of_measurement="nominal")
    assert got["krippendorff_alpha"] == pytest.approx(expected, abs=1e-12)
    assert got["percent_agreement"] == pytest.approx(np.mean(a == b))


def test_agreement_json_shape_and_values(study, capsys, texts, span):
    D1, D2, D3 = texts["d1"], texts["d2"], texts["d3"]
    code, out, _ = run(capsys, "agreement", study, "--coders", "A,B", "--json", "--all-documents")
    assert code == 0
    data = json.loads(out)
    assert set(data["overall"]) == {"percent_agreement", "kappa", "krippendorff_alpha"}
    assert set(data["codes"]) == {"missing parents", "phone calls", "good child"}
    # Independent check: 0/1 vectors over every character of d1, d2, d3, built from the spans.
    lengths = [len(D1), len(D2), len(D3)]
    offset = {"d1": 0, "d2": lengths[0], "d3": lengths[0] + lengths[1]}
    def vector(spans):
        v = np.zeros(sum(lengths), dtype=int)
        for doc, (s, e) in spans:
            v[offset[doc] + s:offset[doc] + e] = 1
        return v
    a = vector([("d1", span(D1, "I miss my mother")), ("d3", span(D3, "我很想妈妈")), ("d3", span(D3, "他想我"))])
    b = vector([("d1", span(D1, "I miss my mother very much"))])
    expected = krippendorff.alpha(reliability_data=np.vstack([a, b]), level_of_measurement="nominal")
    got = data["codes"]["missing parents"]
    assert got["krippendorff_alpha"] == pytest.approx(expected, abs=1e-12)
    po = np.mean(a == b)
    pe = a.mean() * b.mean() + (1 - a.mean()) * (1 - b.mean())
    assert got["percent_agreement"] == pytest.approx(po)
    assert got["kappa"] == pytest.approx((po - pe) / (1 - pe))


def test_agreement_text_and_errors(study, capsys):
    code, out, _ = run(capsys, "agreement", study, "--coders", "A,B", "--basis", "segment")
    assert code == 0 and "(overall)" in out
    code, _, err = run(capsys, "agreement", study, "--coders", "A,Z")
    assert code == 2 and "coder 'Z' has no codings" in err and err.count("\n") == 1
    code, _, err = run(capsys, "agreement", study.parent / "nowhere", "--coders", "A,B")
    assert code == 2 and err.startswith("error:")


def test_search_json_hits(study, capsys, texts):
    D3 = texts["d3"]
    code, out, _ = run(capsys, "search", study, "妈妈", "--json")
    assert code == 0
    hits = json.loads(out)
    s = D3.index("妈妈")
    assert hits[0] == {"document": "d3", "start": s, "end": s + 2, "text": "妈妈"}
    assert len(hits) == D3.count("妈妈")
    code, out, _ = run(capsys, "search", study, "she", "--whole-word")
    assert code == 0 and "[She]" in out
    code, _, err = run(capsys, "search", study, "(", "--regex")
    assert code == 2 and "invalid regular expression" in err


def test_retrieve_matrix_triangulate(study, capsys, tmp_path):
    code, out, _ = run(capsys, "retrieve", study, "--code", "missing parents", "--by", "role", "--json")
    data = json.loads(out)
    assert code == 0 and sorted(data["groups"]) == ["child", "mother"]
    assert [r["participant"] for r in data["groups"]["child"]] == ["Lili", "Lili", "Tao"]  # coders A and B
    code, out, _ = run(capsys, "retrieve", study, "--code", "missing parents", "--coders", "B", "--json")
    assert [r["coder"] for g in json.loads(out)["groups"].values() for r in g] == ["B"]
    code, out, _ = run(capsys, "retrieve", study, "--where", "caregivers=mother")
    assert code == 0 and "Tao (child)" in out and "Lili" not in out
    code, out, _ = run(capsys, "matrix", study, "--attribute", "caregivers", "--json")
    data = json.loads(out)
    # Coder A and B both coded d1 (Lili, grandparents family): 2 + 2 segments; d2 grandmother 2.
    assert data["segments"]["phone calls"] == {"grandparents": 3, "mother": 1, "total": 4}
    assert data["participants"]["phone calls"] == {"grandparents": 2, "mother": 1, "total": 3}
    out_csv = tmp_path / "m.csv"
    code, _, _ = run(capsys, "matrix", study, "--cooccurrence", "document", "--out", out_csv)
    assert code == 0 and "missing parents" in out_csv.read_text()
    code, _, err = run(capsys, "matrix", study)
    assert code == 2 and "exactly one" in err
    code, out, _ = run(capsys, "triangulate", study, "--contradicting", "good child|missing parents")
    assert code == 0
    assert "F01 'missing parents': carried by child Lili; absent from the account of grandmother Nainai Wang" in out
    assert "contradicted by 'good child' (grandmother Nainai Wang)" in out
    code, _, err = run(capsys, "triangulate", study, "--contradicting", "only one")
    assert code == 2


def test_saturation_quotes_words_paradigm(study, capsys, tmp_path):
    code, out, _ = run(capsys, "saturation", study, "--json", "--plot", tmp_path / "sat")
    data = json.loads(out)
    assert [i["n_new_codes"] for i in data["interviews"]] == [2, 1, 0]
    assert data["statement"].startswith("The last new category appeared in interview 1 of 3 (i1)")
    assert (tmp_path / "sat.png").exists() and (tmp_path / "sat.svg").exists()
    code, out, _ = run(capsys, "quotes", study, "--code", "phone calls", "--template", "{role}, {age}, {caregivers}")
    assert code == 0
    assert '"She calls her mother on Sunday" (grandmother, 63, grandparents)' in out
    code, out, _ = run(capsys, "quotes", study, "--code", "missing parents", "--phrase",
                       "caregivers:mother=mother as caregiver", "--phrase", "migration_pattern:father only=father away",
                       "--out", tmp_path / "q.csv")
    assert code == 0 and '"他想我" (mother, 38, mother as caregiver, father away)' in out
    assert "mother as caregiver" in (tmp_path / "q.csv").read_text()
    code, _, err = run(capsys, "quotes", study, "--code", "missing parents", "--phrase", "nonsense")
    assert code == 2 and "ATTRIBUTE:VALUE=WORDING" in err
    code, out, _ = run(capsys, "words", study, "--json", "--top", "3")
    data = json.loads(out)
    assert code == 0 and data["groups"]["mother"] == [{"word": "想", "count": 2, "share": 1.0}]  # 他 我 也 are stopwords
    code, out, _ = run(capsys, "paradigm", study, "--plot", tmp_path / "pm")
    assert code == 0 and "core category: longing" in out and "longing --prompts--> keeping contact" in out
    assert (tmp_path / "pm.svg").exists()


def test_no_real_name_in_any_output(study, capsys, tmp_path):
    outputs = []
    for args in (["retrieve", study, "--json"], ["triangulate", study, "--json"], ["quotes", study, "--code",
                 "missing parents", "--template", "{participant}, {role}"], ["words", study, "--json"],
                 ["matrix", study, "--attribute", "participant", "--json"]):
        code, out, err = run(capsys, *args)
        assert code == 0
        outputs.append(out + err)
    assert all("REALNAME-ONE" not in o for o in outputs)
