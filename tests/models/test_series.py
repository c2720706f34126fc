"""Main-effect and moderation series against R (centred moderators, cluster-robust errors)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from leftbehind.errors import DataError, InputError
from leftbehind.models.series import main_effect_series, moderation_series, term_keys

BASE = "depression ~ C(group, Treatment('none')) + girl + age + grade"


@pytest.fixture(scope="module")
def series(datasets):
    data = datasets["hunchun"]
    return {"main": main_effect_series(data, BASE, ["belonging", "teacher"], cluster="school"),
            "moderation": moderation_series(data, BASE, "group", ["belonging", "teacher"],
                                            cluster="school")}


@pytest.mark.parametrize("kind", ["main", "moderation"])
@pytest.mark.parametrize("moderator", ["belonging", "teacher"])
def test_series_matches_r(ref, series, compare, close, kind, moderator):
    exp = ref["series"][moderator]
    model = series[kind].models[moderator]
    assert model.result.n == exp["n"]
    close(model.centre, exp["centre"], what="centre")
    compare(model.result.coefficients, exp[kind]["coefficients"])
    close(model.result.r2, exp[kind]["r2"], what="r2")
    close(model.result.adj_r2, exp[kind]["adj_r2"], what="adj_r2")
    assert model.result.se_type == "cluster:school"


def test_uncentred_moderation_matches_r(ref, datasets, compare):
    res = moderation_series(datasets["hunchun"], BASE, "group", ["belonging", "teacher"],
                            center={"belonging": False})
    assert res.models["belonging"].centre is None
    assert res.models["teacher"].centre is not None
    compare(res.models["belonging"].result.coefficients,
            ref["series"]["belonging"]["moderation_uncentred"]["coefficients"])


def test_term_keys_follow_published_tables(series):
    model = series["moderation"].models["belonging"]
    keys = set(model.term_keys.values())
    assert {"const", "mother", "father", "both", "moderator", "mother_x", "father_x", "both_x",
            "girl", "age", "grade"} == keys
    keyed = model.keyed_coefficients()
    assert keyed.loc["mother_x", "b"] == model.result.coefficients.loc[
        "C(group, Treatment('none'))[T.mother]:belonging", "b"]
    main_keys = set(series["main"].models["teacher"].term_keys.values())
    assert {"const", "mother", "father", "both", "moderator"} <= main_keys


def test_to_dict_and_frame(series):
    out = json.loads(json.dumps(series["moderation"].to_dict(), allow_nan=False))
    assert out["kind"] == "moderation" and out["group"] == "group"
    belong = out["models"]["belonging"]
    assert {"n", "r2", "adj_r2", "centre", "coefficients", "term_keys"} <= set(belong)
    assert {"b", "se", "t", "p"} == set(belong["coefficients"]["mother_x"])
    frame = series["main"].to_frame()
    assert set(frame["moderator"]) == {"belonging", "teacher"}
    assert {"moderator", "term", "key", "b", "se", "t", "p"} <= set(frame.columns)


def test_each_model_centres_on_its_own_sample(datasets, series):
    data = datasets["hunchun"]
    model = series["main"].models["teacher"]
    used = data.loc[model.result.sample_index, "teacher"]
    assert model.centre == pytest.approx(used.mean())
    assert abs(model.result.design_means["teacher"]) < 1e-12


def test_term_keys_collision_falls_back_to_term_name():
    keys = term_keys(["Intercept", "C(a)[T.yes]", "C(b)[T.yes]"], None)
    assert keys == {"Intercept": "const", "C(a)[T.yes]": "yes", "C(b)[T.yes]": "C(b)[T.yes]"}


def test_moderator_with_spaces_is_quoted():
    rng = np.random.default_rng(4)
    df = pd.DataFrame({"y": rng.normal(size=40), "g": np.repeat(["none", "away"], 20),
                       "school climate": rng.normal(size=40)})
    res = moderation_series(df, "y ~ 1", "g", ["school climate"])
    assert set(res.models["school climate"].term_keys.values()) == {"const", "away", "moderator", "away_x"}


def test_errors(datasets):
    data = datasets["hunchun"]
    with pytest.raises(InputError) as err:
        moderation_series(data, BASE, "group", ["belonging"], reference="nobody")
    assert "mother" in err.value.hint
    with pytest.raises(InputError, match="another form"):
        moderation_series(data, "depression ~ group + age", "group", ["belonging"])
    with pytest.raises(InputError, match="non-empty"):
        main_effect_series(data, BASE, "belonging")
    with pytest.raises(InputError) as err:
        main_effect_series(data, BASE, ["belongin"])
    assert "'belonging'" in err.value.hint
    with pytest.raises(InputError, match="group column"):
        moderation_series(data, BASE, "group", ["group"])
    text = data.assign(label=np.where(data["girl"] == 1, "a", "b"))
    with pytest.raises(DataError) as err:
        main_effect_series(text, BASE, ["label"])
    assert err.value.location.column == "label"


def test_numeric_group_codes():
    rng = np.random.default_rng(5)
    df = pd.DataFrame({"y": rng.normal(size=60), "g": np.repeat([0, 1, 2], 20), "m": rng.normal(size=60)})
    res = moderation_series(df, "y ~ 1", "g", ["m"], reference=0)
    assert {"1", "2", "1_x", "2_x"} <= set(res.models["m"].term_keys.values())


def test_center_dict_with_unknown_moderator(datasets):
    with pytest.raises(InputError) as err:
        main_effect_series(datasets["hunchun"], BASE, ["teacher"], center={"teachr": False})
    assert err.value.location.key == "center"


def test_group_in_base_formula_with_other_quotes(datasets):
    data = datasets["hunchun"]
    a = moderation_series(data, 'depression ~ C(group, Treatment("none")) + girl', "group", ["teacher"])
    b = moderation_series(data, "depression ~ girl", "group", ["teacher"])
    ka = a.models["teacher"].keyed_coefficients()
    kb = b.models["teacher"].keyed_coefficients()
    pd.testing.assert_series_equal(ka["b"].sort_index(), kb["b"].sort_index(), rtol=1e-10)
