"""Inter-coder agreement against hand-worked examples, R (psych) and the krippendorff package."""

from __future__ import annotations

import json
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import pytest

from leftbehind.errors import InputError
from leftbehind.grounded.agreement import agreement

REF = Path(__file__).resolve().parents[1] / "reference" / "grounded"


def runs_to_codings(values: list[int], *, coder: str, code: str = "c", document: str = "d") -> list[dict]:
    """Turn a 0/1 vector over characters into codings (one per run of 1s)."""
    rows, start = [], None
    for i, v in enumerate([*values, 0]):
        if v and start is None:
            start = i
        if not v and start is not None:
            rows.append({"document": document, "start": start, "end": i, "code": code, "coder": coder})
            start = None
    return rows


def test_krippendorff_2011_binary_example():
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section A: two observers,
    # ten units, binary data. Coincidences o00=10, o01=o10=4, o11=2; n0=14, n1=6, n=20;
    # alpha = 1 - (n-1) o01 / (n0 n1) = 1 - 19*4/84 = 0.0952 (the paper reports 0.095).
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    codings = pd.DataFrame(runs_to_codings(a, coder="A") + runs_to_codings(b, coder="B"))
    docs = pd.DataFrame({"document": ["d"], "length": [10]})
    res = agreement(codings, docs, coders=["A", "B"]).to_dict()
    assert res["codes"]["c"]["krippendorff_alpha"] == pytest.approx(1 - 19 * 4 / 84)
    assert round(res["codes"]["c"]["krippendorff_alpha"], 3) == 0.095
    # Cohen's kappa by hand: 5 units 0/0, 3 units 0/1, 1 unit 1/1, 1 unit 1/0 -> po = 0.6;
    # A says 1 on 2 of 10, B on 4 of 10: pe = .8*.6 + .2*.4 = .56; kappa = .04/.44.
    assert res["codes"]["c"]["percent_agreement"] == pytest.approx(0.6)
    assert res["codes"]["c"]["kappa"] == pytest.approx(0.04 / 0.44)
    assert res["overall"] == res["codes"]["c"]


def test_cohen_kappa_textbook_table():
    # The worked example of the Wikipedia article "Cohen's kappa": 50 units, both yes 20,
    # A yes/B no 5, A no/B yes 10, both no 15 -> po = 0.7, pe = 0.5, kappa = 0.4.
    docs = pd.DataFrame({"document": ["d"], "length": [50]})
    codings = pd.DataFrame([
        {"document": "d", "start": 0, "end": 25, "code": "yes", "coder": "A"},
        {"document": "d", "start": 0, "end": 20, "code": "yes", "coder": "B"},
        {"document": "d", "start": 25, "end": 35, "code": "yes", "coder": "B"},
    ])
    res = agreement(codings, docs, coders=["A", "B"]).to_dict()["codes"]["yes"]
    assert res["percent_agreement"] == pytest.approx(0.7)
    assert res["kappa"] == pytest.approx(0.4)


@pytest.mark.parametrize("basis", ["character", "segment"])
def test_matches_r_reference(basis):
    ref = json.loads((REF / "agreement.json").read_text())[basis]
    codings = pd.read_csv(REF / "agreement_codings.csv")
    docs = pd.read_csv(REF / "agreement_documents.csv")
    res = agreement(codings, docs, coders=["A", "B"], basis=basis).to_dict()
    for key, value in ref["overall"].items():
        assert res["overall"][key] == pytest.approx(value, abs=1e-10), key
    assert set(res["codes"]) == set(ref["codes"])
    for code, values in ref["codes"].items():
        for key, value in values.items():
            assert res["codes"][code][key] == pytest.approx(value, abs=1e-10), (code, key)


def _character_matrix(codings: pd.DataFrame, lengths: dict[str, int], code: str, coders: list[str]) -> np.ndarray:
    rows = []
    for coder in coders:
        parts = []
        for doc, n in lengths.items():
            v = np.zeros(n, dtype=int)
            sub = codings[(codings.document == doc) & (codings.code == code) & (codings.coder == coder)]
            for s, e in zip(sub.start, sub.end):
                v[s:e] = 1
            parts.append(v)
        rows.append(np.concatenate(parts))
    return np.array(rows)


def test_three_coders_alpha_matches_krippendorff_package():
    rng = np.random.default_rng(7)
    lengths = {"d1": 300, "d2": 120}
    coders = ["A", "B", "C"]
    rows = []
    for doc, n in lengths.items():
        for code in ["x", "y"]:
            for coder in coders:
                for _ in range(3):
                    s = int(rng.integers(0, n - 20))
                    rows.append({"document": doc, "start": s, "end": s + int(rng.integers(1, 40)),
                                 "code": code, "coder": coder})
    codings = pd.DataFrame(rows)
    codings["end"] = np.minimum(codings["end"], codings["document"].map(lengths))
    docs = pd.DataFrame({"document": list(lengths), "length": list(lengths.values())})
    res = agreement(codings, docs, coders=coders).to_dict()
    pooled = []
    for code in ["x", "y"]:
        data = _character_matrix(codings, lengths, code, coders)
        pooled.append(data)
        expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        assert res["codes"][code]["krippendorff_alpha"] == pytest.approx(expected, abs=1e-10)
        # Light's kappa / mean pairwise agreement, worked from the 0/1 vectors directly.
        pairs = [(0, 1), (0, 2), (1, 2)]
        assert res["codes"][code]["percent_agreement"] == pytest.approx(
            np.mean([np.mean(data[i] == data[j]) for i, j in pairs]))
        def cohen(x, y):  # Cohen (1960): (po - pe) / (1 - pe) with pe from the two marginals
            po = np.mean(x == y)
            pe = x.mean() * y.mean() + (1 - x.mean()) * (1 - y.mean())
            return (po - pe) / (1 - pe)
        assert res["codes"][code]["kappa"] == pytest.approx(np.mean([cohen(data[i], data[j]) for i, j in pairs]))
    expected = krippendorff.alpha(reliability_data=np.concatenate(pooled, axis=1),
                                  level_of_measurement="nominal")
    assert res["overall"]["krippendorff_alpha"] == pytest.approx(expected, abs=1e-10)


def test_undefined_cases_are_none_with_reason():
    docs = pd.DataFrame({"document": ["d"], "length": [10]})
    codings = pd.DataFrame([
        {"document": "d", "start": 0, "end": 10, "code": "all", "coder": "A"},
        {"document": "d", "start": 0, "end": 10, "code": "all", "coder": "B"},
        {"document": "d", "start": 0, "end": 3, "code": "some", "coder": "A"},
    ])
    res = agreement(codings, docs, coders=["A", "B"], codes=["all", "some", "unused"])
    out = res.to_dict()
    assert out["codes"]["unused"] == {"percent_agreement": None, "kappa": None, "krippendorff_alpha": None}
    assert "no coder" in out["notes"]["unused"]
    assert out["codes"]["all"]["percent_agreement"] == 1.0
    assert out["codes"]["all"]["kappa"] is None and out["codes"]["all"]["krippendorff_alpha"] is None
    assert "no variation" in out["notes"]["all"]
    # "some": A codes 3 of 10, B none -> po = .7, pe = .7 -> kappa 0; alpha = 1 - 19*3/(17*3).
    assert out["codes"]["some"]["kappa"] == pytest.approx(0.0)
    assert out["codes"]["some"]["krippendorff_alpha"] == pytest.approx(1 - 19 * 3 / (17 * 3))
    # Overall pools "all" and "some" (20 units), not the unused code.
    assert out["overall"]["percent_agreement"] == pytest.approx(17 / 20)
    frame = res.to_frame()
    assert list(frame.index) == ["all", "some", "unused", "(overall)"]


def test_overlapping_codings_of_one_coder_count_once():
    docs = pd.DataFrame({"document": ["d"], "length": [10]})
    codings = pd.DataFrame([
        {"document": "d", "start": 0, "end": 6, "code": "c", "coder": "A"},
        {"document": "d", "start": 2, "end": 4, "code": "c", "coder": "A"},
        {"document": "d", "start": 0, "end": 6, "code": "c", "coder": "B"},
    ])
    res = agreement(codings, docs, coders=["A", "B"]).to_dict()["codes"]["c"]
    assert res == {"percent_agreement": 1.0, "kappa": 1.0, "krippendorff_alpha": 1.0}


def test_segment_basis_counts_pieces():
    # Pieces: [0,4) A+B, [4,6) B only, [6,20) uncoded (not a unit) -> 2 units, 1 agreement.
    docs = pd.DataFrame({"document": ["d"], "length": [20]})
    codings = pd.DataFrame([
        {"document": "d", "start": 0, "end": 4, "code": "c", "coder": "A"},
        {"document": "d", "start": 0, "end": 6, "code": "c", "coder": "B"},
    ])
    res = agreement(codings, docs, coders=["A", "B"], basis="segment")
    assert res.to_dict()["codes"]["c"]["percent_agreement"] == pytest.approx(0.5)
    assert res.units["c"] == 2


@pytest.mark.parametrize("kwargs, message", [
    ({"coders": ["A"]}, "at least two coders"),
    ({"coders": ["A", "Z"]}, "coder 'Z' has no codings"),
    ({"coders": ["A", "B"], "basis": "word"}, "unknown agreement basis"),
    ({"coders": ["A", "B"], "only_documents": ["nope"]}, "unknown document"),
])
def test_input_errors(kwargs, message):
    docs = pd.DataFrame({"document": ["d"], "length": [10]})
    codings = pd.DataFrame([{"document": "d", "start": 0, "end": 4, "code": "c", "coder": c} for c in "AB"])
    with pytest.raises(InputError, match=message):
        agreement(codings, docs, **kwargs)


def test_span_outside_document_is_an_input_error():
    docs = pd.DataFrame({"document": ["d"], "length": [10]})
    codings = pd.DataFrame([{"document": "d", "start": 0, "end": 14, "code": "c", "coder": c} for c in "AB"])
    with pytest.raises(InputError, match="outside document"):
        agreement(codings, docs, coders=["A", "B"])


def test_large_input_is_vectorised():
    rng = np.random.default_rng(1)
    n = 100_000
    rows = [{"document": "d", "start": int(s), "end": int(s) + 200, "code": f"c{k}", "coder": coder}
            for k in range(50) for coder in "AB" for s in rng.integers(0, n - 200, 20)]
    res = agreement(pd.DataFrame(rows), pd.DataFrame({"document": ["d"], "length": [n]}), coders=["A", "B"])
    assert len(res.codes) == 50


from hypothesis import given, settings, strategies as st  # noqa: E402

SPANS = st.lists(st.tuples(st.sampled_from(["d1", "d2"]), st.integers(0, 29), st.integers(1, 12),
                           st.sampled_from(["x", "y"]), st.sampled_from(["A", "B", "C"])), min_size=1, max_size=14)


@settings(max_examples=60, deadline=None)
@given(SPANS, st.sampled_from([2, 3]))
def test_character_basis_equals_expanded_units(spans, n_coders):
    """Property: the piecewise computation equals the per-character one (krippendorff package)."""
    lengths = {"d1": 30, "d2": 20}
    coders = ["A", "B", "C"][:n_coders]
    rows = [{"document": d, "start": min(s, lengths[d] - 1), "end": min(s + w, lengths[d]), "code": c,
             "coder": k} for d, s, w, c, k in spans]
    codings = pd.DataFrame(rows)
    if not set(coders) <= set(codings["coder"]):
        return
    docs = pd.DataFrame({"document": list(lengths), "length": list(lengths.values())})
    res = agreement(codings, docs, coders=coders).to_dict()
    for code, values in res["codes"].items():
        data = _character_matrix(codings, lengths, code, coders)
        if data.min() == data.max():
            assert values["krippendorff_alpha"] is None
            continue
        expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        assert values["krippendorff_alpha"] == pytest.approx(expected, abs=1e-9)
