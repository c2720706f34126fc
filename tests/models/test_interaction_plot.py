"""The interaction plot writes deterministic PNG + SVG files with the expected content."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from leftbehind.errors import InputError
from leftbehind.models.ols import fit_ols
from leftbehind.models.series import moderation_series
from leftbehind.present.interaction_plot import interaction_plot

BASE = "depression ~ C(group, Treatment('none')) + girl + age"


@pytest.fixture(scope="module")
def model(datasets):
    return moderation_series(datasets["hunchun"], BASE, "group", ["belonging"]).models["belonging"]


def test_writes_png_and_svg_deterministically(model, tmp_path):
    labels = {"belonging": "School belonging", "depression": "depression score", "mother": "Mother away"}
    first = interaction_plot(model, "group", "belonging", tmp_path / "a", labels=labels)
    second = interaction_plot(model, "group", "belonging", tmp_path / "b", labels=labels)
    assert [p.suffix for p in first] == [".png", ".svg"]
    for p, q in zip(first, second):
        assert p.read_bytes() == q.read_bytes()
    svg = first[1].read_text(encoding="utf-8")
    for text in ("School belonging", "Predicted depression score", "Mother away", "none", "father"):
        assert text in svg


def test_x_axis_uses_original_scale_for_centred_moderator(model, tmp_path):
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    captured = {}
    original = Figure.savefig

    def spy(fig, *args, **kwargs):
        captured["xlim"] = fig.axes[0].get_xlim()
        return original(fig, *args, **kwargs)

    Figure.savefig = spy
    try:
        interaction_plot(model, "group", "belonging", tmp_path / "c")
    finally:
        Figure.savefig = original
    lo, hi = captured["xlim"]
    assert lo < 1.6 and hi > 4.9  # belonging is on its 1-5 scale, not centred at 0


def test_numeric_focal_and_fixed_covariates(datasets, tmp_path):
    res = fit_ols(datasets["iris"], "Sepal_Length ~ Petal_Length * Sepal_Width")
    paths = interaction_plot(res, "Petal_Length", "Sepal_Width", tmp_path / "num")
    assert all(p.exists() and p.stat().st_size > 0 for p in paths)
    assert "mean + 1 SD" in paths[1].read_text(encoding="utf-8")
    res2 = fit_ols(datasets["hunchun"], BASE + " + C(group, Treatment('none')) * belonging")
    paths = interaction_plot(res2, "group", "belonging", tmp_path / "fixed", covariates={"girl": 1})
    assert "covariates fixed" in paths[1].read_text(encoding="utf-8")


def test_errors(model, tmp_path):
    with pytest.raises(InputError):
        interaction_plot(model, "grup", "belonging", tmp_path / "x")
    with pytest.raises(InputError):
        interaction_plot(model, "group", "group", tmp_path / "x")
    with pytest.raises(InputError):
        interaction_plot(model, "group", "belonging", tmp_path / "x", n_points=1)
    df = pd.DataFrame({"y": np.arange(8.0), "g": list("abababab"), "h": list("xxyyxxyy")})
    res = fit_ols(df, "y ~ g * h")
    with pytest.raises(InputError, match="not numeric"):
        interaction_plot(res, "g", "h", tmp_path / "x")
