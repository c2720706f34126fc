"""Scale scores, reliability and exploratory factor analysis (layer L2).

Numbers match R's psych package (``alpha``, ``fa``, ``KMO``, ``cortest.bartlett``,
``fa.parallel``); the R script behind every reference value is in
``tests/reference/measures/make_reference.R``.

Examples
--------
>>> import pandas as pd
>>> from leftbehind.measures import cronbach_alpha, scale_score
>>> df = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 4], "c": [1, 3, 3, 4, 5]})
>>> scale_score(df, ["a", "b", "c"]).tolist()
[4.0, 7.0, 9.0, 13.0, 14.0]
>>> round(cronbach_alpha(df).alpha, 3)  # R: psych::alpha(df)$total$raw_alpha
0.945
"""

from leftbehind.measures.adequacy import NFactorsResult, bartlett, kmo, suggest_n_factors
from leftbehind.measures.efa import EFAResult, efa
from leftbehind.measures.reliability import AlphaResult, OmegaResult, cronbach_alpha, omega_total
from leftbehind.measures.scores import scale_score, scoring_rule

__all__ = [
    "scale_score", "scoring_rule",
    "cronbach_alpha", "AlphaResult", "omega_total", "OmegaResult",
    "efa", "EFAResult",
    "suggest_n_factors", "NFactorsResult", "kmo", "bartlett",
]
