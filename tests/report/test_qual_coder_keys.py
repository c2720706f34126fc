"""`[qual] coders` and `[qual] primary_coder` change what `leftbehind run` reports."""

import json
import sys
from pathlib import Path

import pandas as pd

from leftbehind.cli.main import main

sys.path.insert(0, str(Path(__file__).parent))
from kaihua_copy import kaihua_copy  # noqa: E402

CODERS = 'coders = ["coder_a", "coder_b"]\n'


def _run(folder: Path, capsys) -> tuple[dict, str]:
    assert main(["run", str(folder)]) == 0
    capsys.readouterr()
    out = folder / "output"
    return (json.loads((out / "results.json").read_text(encoding="utf-8"))["qual"],
            (out / "report.html").read_text(encoding="utf-8"))


def _add_twin_of_coder_b(folder: Path) -> None:
    """A third coder, coder_c, whose codings are exactly coder_b's."""
    twin = pd.read_csv(folder / "codings_coder_b.csv").assign(coder="coder_c")
    twin.to_csv(folder / "codings_coder_c.csv", index=False)


def test_coders_choose_who_is_compared_for_agreement(tmp_path, capsys):
    every = kaihua_copy(tmp_path / "every", replace={CODERS: ""})
    pair = kaihua_copy(tmp_path / "pair", replace={CODERS: 'coders = ["coder_c", "coder_b"]\n'})
    alone = kaihua_copy(tmp_path / "alone", replace={CODERS: 'coders = ["coder_a"]\n'})
    for folder in (every, pair):
        _add_twin_of_coder_b(folder)
    q_every, _ = _run(every, capsys)
    q_pair, html_pair = _run(pair, capsys)
    q_alone, html_alone = _run(alone, capsys)
    # default: every coder with codings; coder_a differs from the twins, so agreement is below 1
    assert q_every["agreement"]["coders"] == ["coder_a", "coder_b", "coder_c"]
    assert q_every["agreement"]["overall"]["percent_agreement"] < 1
    # the two identical coders, in the order given: perfect agreement, coder_a left out
    assert q_pair["agreement"]["coders"] == ["coder_c", "coder_b"]
    assert q_pair["agreement"]["overall"]["percent_agreement"] == 1
    assert q_pair["agreement"]["overall"]["kappa"] == 1
    table = pd.read_csv(pair / "output" / "tables" / "qual_agreement.csv")
    assert [c for c in table.columns if c.startswith("Segments")] == ["Segments coder_c", "Segments coder_b"]
    assert "coder_c, coder_b all coded these" in html_pair
    # one coder: no agreement at all
    assert q_alone["agreement"] is None
    assert not (alone / "output" / "tables" / "qual_agreement.csv").exists()
    assert "only one coder is compared" in html_alone


def test_primary_coder_feeds_matrices_and_saturation(tmp_path, capsys):
    folders = {c: kaihua_copy(tmp_path / c, replace={'primary_coder = "coder_a"': f'primary_coder = "{c}"'})
               for c in ("coder_a", "coder_b")}
    for coder, folder in folders.items():
        qual, html = _run(folder, capsys)
        own = pd.read_csv(folder / f"codings_{coder}.csv")
        assert qual["primary_coder"] == coder
        assert f"use the codings of {coder}, the primary coder" in html
        # the code-by-role matrix holds exactly this coder's codes and segments
        matrix = pd.read_csv(folder / "output" / "tables" / "qual_code_by_role.csv")
        segments = matrix["total"].str.split(" ").str[0].astype(int)
        assert set(matrix.loc[segments > 0, "Code"]) == set(own["code"])
        assert segments.sum() == len(own)
        # saturation counts this coder's codes
        assert qual["saturation"]["cumulative_codes"][-1] == own["code"].nunique()
    a = pd.read_csv(folders["coder_a"] / "codings_coder_a.csv")
    b = pd.read_csv(folders["coder_b"] / "codings_coder_b.csv")
    assert a["code"].nunique() != b["code"].nunique() and len(a) != len(b)  # the two runs can be told apart
