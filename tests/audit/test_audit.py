"""Audit rules on small hand-made tables whose answers are worked out here."""

import json
import subprocess
import sys

import pytest

from leftbehind.audit import audit_figures
from leftbehind.audit.granularity import feasible_ns, grim_totals, grimmer_consistent, percent_counts
from leftbehind.cli.main import main


def problems(report, rule):
    return [f for f in report.findings if f.rule == rule and f.severity == "problem"]


# --- granularity primitives -------------------------------------------------------------------

def test_grim_worked_example():
    # n = 28 integer scores: possible means are k/28. 5.18 <- 145/28 = 5.17857; 5.19 is between
    # 145/28 = 5.1786 and 146/28 = 5.2143, so no total prints as 5.19.
    assert grim_totals(5.18, 28, decimals=2) == [145]
    assert grim_totals(5.19, 28, decimals=2) == []
    # A mean of 2-item averages has granularity 1/(n*items): 3.25 = 13/4 with n = 2 items = 2.
    assert grim_totals(3.25, 2, decimals=2, items=2) == [13]


def test_grimmer_worked_example():
    # Data 0,1,2,3,4: mean 2, sample variance 2.5, SD 1.5811 -> "1.58" is possible.
    assert grimmer_consistent(2.0, 1.58, 5, decimals_mean=1, decimals_sd=2)
    # With mean 2 and n = 5 (total 10), the sum of squares Q = 4 s^2 + 20 must be an even integer.
    # s = 1.20 gives Q = 25.76 and the interval [1.195, 1.205] gives Q in [25.712, 25.808]: no integer.
    assert not grimmer_consistent(2.0, 1.20, 5, decimals_mean=1, decimals_sd=2)
    # s = 1.22 -> Q in [25.905, 26.001] holds Q = 26 (even, like T = 10): data 0,2,2,3,3 -> mean 2, SD 1.2247.
    assert grimmer_consistent(2.0, 1.22, 5, decimals_mean=1, decimals_sd=2)


def test_percent_counts_and_feasible_n():
    assert percent_counts(33.33, 3, decimals=2) == [1]
    assert percent_counts(33.33, 4, decimals=2) == []
    # 25% and 75% are possible for n = 4, 8, 12, ... but not for n = 5, 6, 7.
    assert feasible_ns([25.0, 75.0], decimals=2, candidates=range(3, 13)) == [4, 8, 12]


# --- whole-table rules ------------------------------------------------------------------------

def small_figures():
    return {
        "sample_flow": {"distributed": 200, "distributed_a": 120, "distributed_b": 80, "collected": 180,
                        "valid": 170, "complete_cases": 40, "response_rate_percent": 90.0,
                        "valid_response_rate_percent": 85.0},
        "score_scale": {"items": 3, "score": "sum"},
        "table1": {
            "n": {"ref": 20, "treat": 20},
            "continuous": {"score": {"mean": {"ref": 10.05, "treat": 12.05}, "sd": {"ref": 2.0, "treat": 2.0}}},
            "categorical_percent": {"girl": {"yes": {"ref": 45.0, "treat": 55.0}, "no": {"ref": 55.0, "treat": 45.0}}},
        },
        "table2": {"model1": {"treat": {"b": 2.0, "se": 0.632, "stars": "**"},
                              "const": {"b": 10.05, "se": 0.447, "stars": "***"}, "n": 40, "r2": 0.208}},
    }


def test_consistent_table_has_no_problem():
    # Means printed with 2 decimals (totals 201 and 241). Pooled SD 2 -> se(const) = 2/sqrt(20) = 0.447, se(diff) = 2*sqrt(2/20) = 0.632;
    # t = 3.16 on 38 df -> p = .003 (**); R² = SSB/SST = 40/(40 + 4*38) = 0.2083.
    report = audit_figures(small_figures())
    assert report.count("problem") == 0, report.to_text()


def test_flow_rate_mismatch_and_parts():
    figures = small_figures()
    figures["sample_flow"]["response_rate_percent"] = 92.0  # 180/200 is 90.00
    figures["sample_flow"]["distributed_b"] = 70  # 120 + 70 != 200
    report = audit_figures(figures)
    assert [f.location for f in problems(report, "flow_rate")] == ["sample_flow.response_rate_percent"]
    assert problems(report, "flow_parts")[0].numbers == {"parts_total": 190, "distributed": 200}


def test_valid_rate_may_use_collected_as_denominator():
    figures = small_figures()
    figures["sample_flow"]["valid_response_rate_percent"] = 94.44  # 170/180
    assert not problems(audit_figures(figures), "flow_rate")


def test_impossible_percentage_names_feasible_n():
    figures = small_figures()
    figures["table1"]["categorical_percent"]["girl"] = {"yes": {"ref": 33.33, "treat": 55.0},
                                                       "no": {"ref": 66.67, "treat": 45.0}}
    found = problems(audit_figures(figures), "percent_granularity")
    assert [f.location for f in found] == ["table1.categorical_percent.girl.ref"]
    assert 21 in found[0].numbers["feasible_n_nearby"]  # 7/21 = 33.33%


def test_percent_sum():
    figures = small_figures()
    figures["table1"]["categorical_percent"]["girl"]["no"]["ref"] = 50.0  # 45 + 50 = 95
    assert problems(audit_figures(figures), "percent_sum")


def test_grim_and_group_size():
    figures = small_figures()
    figures["table1"]["continuous"]["score"]["mean"]["ref"] = 10.03  # k/20 steps by .05
    report = audit_figures(figures)
    assert problems(report, "grim")[0].location == "table1.continuous.score.ref"
    assert problems(report, "group_size")


def test_wrong_stars():
    figures = small_figures()
    figures["table2"]["model1"]["treat"]["stars"] = "*"  # p = .003 earns **
    found = problems(audit_figures(figures), "stars")
    assert found[0].location == "table2.model1.treat" and found[0].numbers["printed_stars"] == "*"


def test_stars_allow_rounding_at_the_boundary():
    figures = small_figures()
    # b/se = 1.96/1.0 is right at p = .05 on 38 df (t crit 2.024): no star; z would be borderline.
    figures["table2"]["model1"]["treat"] = {"b": 2.02, "se": 1.0, "stars": ""}
    assert not problems(audit_figures(figures), "stars")


def test_group_only_model_against_table1():
    figures = small_figures()
    figures["table2"]["model1"]["treat"]["b"] = 2.5  # means differ by 2.0
    found = problems(audit_figures(figures), "group_model")
    assert found[0].location == "table2.model1.treat"
    assert found[0].numbers["from_table1"] == pytest.approx(2.0)


def test_group_model_r2():
    figures = small_figures()
    figures["table2"]["model1"]["r2"] = 0.30
    assert problems(audit_figures(figures), "group_model_r2")[0].numbers["from_table1"] == pytest.approx(40 / 192, abs=1e-6)


def test_duplicate_row_warning():
    figures = small_figures()
    figures["table1"]["categorical_percent"]["boy"] = {"y": {"ref": 45.0, "treat": 55.0}, "n": {"ref": 55.0, "treat": 45.0}}
    warnings = [f for f in audit_figures(figures).findings if f.rule == "duplicate_row"]
    assert warnings and warnings[0].severity == "warning"


# --- the CLI ----------------------------------------------------------------------------------

def test_cli_json(tmp_path, capsys):
    path = tmp_path / "figures.json"
    figures = small_figures()
    figures["table2"]["model1"]["treat"]["stars"] = "*"
    path.write_text(json.dumps(figures))
    assert main(["audit", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"rule", "location", "message", "numbers", "severity"} <= set(out[0])
    assert out[0]["rule"] == "stars"


def test_cli_bad_file(tmp_path):
    bad = tmp_path / "figures.json"
    bad.write_text("{not json")
    proc = subprocess.run([sys.executable, "-m", "leftbehind", "audit", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "figures.json" in proc.stderr and "line 1" in proc.stderr and "Traceback" not in proc.stderr
