"""Regression models of leftbehind (layer L2): OLS, nested blocks, series, moderation, bootstrap.

Everything runs on the statsmodels formula API (patsy term names are our term names), with
classical, HC0-HC3 or cluster-robust (``sandwich::vcovCL``-equivalent) variance estimators and
t tests on the residual degrees of freedom, as R's ``lmtest::coeftest`` prints them. For few
clusters: CR2 with Satterthwaite/HTZ tests (``small_clusters``, as ``clubSandwich``) and the
restricted wild cluster bootstrap (``wild_bootstrap``, as Stata's ``boottest``).

Examples
--------
>>> import pandas as pd
>>> from leftbehind.models import fit_ols
>>> df = pd.DataFrame({"y": [1.0, 3.0, 2.0, 5.0, 4.0], "x": [1, 2, 3, 4, 5]})
>>> fit_ols(df, "y ~ x").n
5
"""

from leftbehind.models.bootstrap import BootstrapResult, bootstrap_ols
from leftbehind.models.moderation import JNResult, SimpleSlopesResult, johnson_neyman, simple_slopes
from leftbehind.models.nested import NestedBlock, NestedResult, nested_models
from leftbehind.models.ols import OLSResult, fit_ols, parse_se
from leftbehind.models.predict import PredictionResult, predict_at
from leftbehind.models.series import SeriesModel, SeriesResult, main_effect_series, moderation_series
from leftbehind.models.small_clusters import CR2Result, WaldTest, cr2_tests, wald_htz, with_cluster_df, with_cr2
from leftbehind.models.wild_bootstrap import WildBootstrapResult, wild_cluster_bootstrap

__all__ = [
    "BootstrapResult", "CR2Result", "JNResult", "NestedBlock", "NestedResult", "OLSResult", "PredictionResult",
    "SeriesModel", "SeriesResult", "SimpleSlopesResult", "WaldTest", "WildBootstrapResult", "bootstrap_ols",
    "cr2_tests", "fit_ols", "johnson_neyman", "main_effect_series", "moderation_series", "nested_models",
    "parse_se", "predict_at", "simple_slopes", "wald_htz", "wild_cluster_bootstrap", "with_cluster_df", "with_cr2",
]
