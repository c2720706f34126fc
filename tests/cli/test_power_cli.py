"""`leftbehind power` through the real entry point."""

import json
from pathlib import Path

from leftbehind.cli.main import main

FIGURES = {"table4": {"m1": {"mother_x": {"b": -3.0, "se": 1.5, "stars": "*"}}}}


def test_power_json_and_plot(tmp_path, capsys):
    figures = tmp_path / "figures.json"
    figures.write_text(json.dumps(FIGURES))
    code = main(["power", "--groups", "none=300,mother=30", "--target", "mother", "--figures", str(figures),
                 "--term", "table4.m1.mother_x", "--reps", "200", "--plot", str(tmp_path / "curve"), "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["current_size"] == 30 and out["size_needed"] >= out["size_needed_exact"] > 30
    assert out["effect"] < 0 and out["effect_source"] == "b = -3.0, SE = 1.5"
    assert {p["scenario"] for p in out["curve"]["points"]} == {"mother = 30", f"mother = {out['size_needed']}"}
    assert Path(tmp_path / "curve.svg").is_file() and Path(tmp_path / "curve.png").is_file()


def test_power_errors(tmp_path, capsys):
    assert main(["power", "--groups", "none=300,mother", "--target", "mother", "--effect", "0.3"]) == 2
    assert main(["power", "--groups", "none=300,mother=30", "--target", "mother"]) == 2
    figures = tmp_path / "f.json"
    figures.write_text(json.dumps(FIGURES))
    assert main(["power", "--groups", "none=300,mother=30", "--target", "mother", "--figures", str(figures),
                 "--term", "table4.nope.mother_x"]) == 2
    assert "table4.nope.mother_x" in capsys.readouterr().err
