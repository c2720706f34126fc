"""Monte Carlo power: vectorised fits equal statsmodels, and power agrees with noncentral t."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from leftbehind.errors import InputError
from leftbehind.simulate.power import (analytic_power, batched_tests, coefficient_vector,
                                       make_design, power_curve, simulate_batches, simulate_power)

HUNCHUN = {"none": 368, "mother": 29, "father": 123, "both": 85}


def test_batched_tests_equal_statsmodels_fits():
    import statsmodels.formula.api as smf

    design = make_design(HUNCHUN)
    beta = coefficient_vector(design, 0.4, target="mother", main_effects={"mother": 2.0},
                              moderator_effect=-1.0)
    x, y = next(simulate_batches(design, beta, n_reps=6, seed=9))
    inter = [design.columns.index(f"{g}_x") for g in design.others]
    t, f = batched_tests(x, y, inter)
    group = np.repeat(design.levels, design.sizes)
    for r in range(6):
        frame = pd.DataFrame({"y": y[r], "g": group, "m": x[r, :, design.columns.index("moderator")]})
        fit = smf.ols("y ~ C(g, Treatment('none')) * m", data=frame).fit()
        names = [f"C(g, Treatment('none'))[T.{g}]:m" for g in design.others]
        np.testing.assert_allclose(t[r], fit.tvalues[names].to_numpy(), rtol=1e-9)
        ftest = fit.f_test(", ".join(f"{n} = 0" for n in names))
        np.testing.assert_allclose(f[r], float(np.squeeze(ftest.fvalue)), rtol=1e-9)


@pytest.mark.parametrize("effect", [0.3, 0.5])
def test_fixed_design_power_matches_noncentral_t(effect):
    sim = simulate_power(HUNCHUN, effect, target="mother", n_reps=10000, fixed_design=True, seed=4)
    exact = analytic_power(HUNCHUN, effect, target="mother", seed=4)
    assert 0.2 < exact < 0.95
    assert abs(sim.power - exact) < 4 * sim.mc_se


def test_fixed_design_joint_f_matches_noncentral_f():
    sim = simulate_power(HUNCHUN, 0.4, target="mother", test="F", n_reps=10000, fixed_design=True, seed=8)
    exact = analytic_power(HUNCHUN, 0.4, target="mother", test="F", seed=8)
    assert 0.2 < exact < 0.95
    assert abs(sim.power - exact) < 4 * sim.mc_se


def test_size_under_the_null():
    for test in ("t", "F"):
        sim = simulate_power(HUNCHUN, 0.0, n_reps=10000, test=test, seed=5)
        assert abs(sim.power - 0.05) < 4 * np.sqrt(0.05 * 0.95 / 10000)


def test_random_design_power_is_the_mean_of_conditional_powers():
    # unconditional power = E_X[noncentral-t power given X]; average the exact power over designs
    sim = simulate_power(HUNCHUN, 0.5, target="mother", n_reps=10000, seed=6)
    conditional = [analytic_power(HUNCHUN, 0.5, target="mother", seed=s) for s in range(400)]
    exact = np.mean(conditional)
    exact_se = np.std(conditional, ddof=1) / np.sqrt(len(conditional))
    assert abs(sim.power - exact) < 4 * np.sqrt(sim.mc_se**2 + exact_se**2)


def test_power_curve_shape_and_monotone():
    doubled = {k: 2 * v for k, v in HUNCHUN.items()}
    curve = power_curve([HUNCHUN, doubled], [0.0, 0.3, 0.6], target="mother", n_reps=2000,
                        scenario_names=["605", "1210"])
    frame = curve.to_frame()
    assert list(frame["scenario"]) == ["605"] * 3 + ["1210"] * 3
    assert {"n_total", "n_none", "n_mother", "effect", "power", "mc_se"} <= set(frame.columns)
    for _, rows in frame.groupby("scenario"):
        assert rows["power"].is_monotonic_increasing
    assert (frame.loc[frame.scenario == "1210", "power"].to_numpy()[1:]
            > frame.loc[frame.scenario == "605", "power"].to_numpy()[1:]).all()
    json.dumps(curve.to_dict(), allow_nan=False)


def test_reproducible_with_seed():
    a = simulate_power(HUNCHUN, 0.4, n_reps=500, seed=1, batch_size=77)
    b = simulate_power(HUNCHUN, 0.4, n_reps=500, seed=1, batch_size=77)
    assert a.rejections == b.rejections
    assert a.to_dict()["power"] == a.power == b.power


def test_power_plot(tmp_path):
    from leftbehind.present.interaction_plot import power_plot

    curve = power_curve(HUNCHUN, [0.0, 0.5], n_reps=200)
    paths = power_plot(curve, tmp_path / "power", labels={"n=605": "Hunchun sizes"})
    assert [p.suffix for p in paths] == [".png", ".svg"]
    assert "Hunchun sizes" in paths[1].read_text(encoding="utf-8")


@pytest.mark.parametrize("kwargs, key", [
    ({"group_sizes": {"none": 10}}, "group_sizes"),
    ({"group_sizes": {"none": 10, "away": 2}}, "group_sizes.away"),
    ({"target": "aunt"}, "target"),
    ({"alpha": 0}, "alpha"),
    ({"n_reps": 0}, "n_reps"),
    ({"test": "z"}, "test"),
    ({"main_effects": {"aunt": 1.0}}, "main_effects")])
def test_errors(kwargs, key):
    args = {"group_sizes": HUNCHUN, "effect": 0.3, **kwargs}
    with pytest.raises(InputError) as err:
        simulate_power(**args)
    assert err.value.location.key == key


def test_power_curve_errors():
    with pytest.raises(InputError):
        power_curve(HUNCHUN, [])
    with pytest.raises(InputError):
        power_curve([HUNCHUN, HUNCHUN], [0.1], scenario_names=["one"])


# --- the `power` workflow as a library function ---------------------------------------------

from leftbehind.simulate.power import effect_grid, interaction_power, published_effect  # noqa: E402
from leftbehind.simulate.sample_size import size_for_power  # noqa: E402


def test_effect_grid_and_published_effect():
    assert effect_grid(-0.4) == (0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
    assert effect_grid(0.5, factors=(1, 2)) == (0.5, 1.0)
    figures = {"t": {"m": {"x": {"b": -3.0, "se": 1.5}, "bad": {"b": 1.0}}}}
    effect, source = published_effect(figures, "t.m.x", {"none": 300, "mother": 30}, target="mother")
    # t = -2 times the standardised SE sqrt(1/29 + 1/299)
    assert effect == pytest.approx(-2 * np.sqrt(1 / 29 + 1 / 299)) and source == "b = -3.0, SE = 1.5"
    for term in ("t.m.nope", "t.m.bad"):
        with pytest.raises(InputError, match=term):
            published_effect(figures, term, {"none": 300, "mother": 30}, target="mother", file="f.json")


def test_interaction_power_scenarios_and_grid():
    sizes = {"none": 300, "mother": 30}
    res = interaction_power(sizes, -0.4, target="mother", n_reps=100, seed=2)
    needed = size_for_power(sizes, -0.4, target="mother", n_reps=100, seed=2)
    assert res.needed.size == needed.size
    frame = res.to_frame()
    assert list(dict.fromkeys(frame["scenario"])) == ["mother = 30", f"mother = {needed.size}"]
    assert sorted(set(frame["effect"])) == list(effect_grid(-0.4))
    assert set(frame.loc[frame["scenario"] == "mother = 30", "n_mother"]) == {30}
    custom = interaction_power(sizes, -0.4, target="mother", n_reps=50, effects=[0.1, 0.9])
    assert sorted(set(custom.to_frame()["effect"])) == [0.1, 0.9]
    assert custom.to_dict()["curve"]["target"] == "mother" and custom.statement() == custom.needed.statement()
