"""``[missing]`` of ``study.toml``: how the models treat missing values (layer L1).

``method = "listwise"`` (the default) fits every model on the complete cases;
``method = "mice"`` also fits it on ``m`` data sets completed by chained equations and pools
them by Rubin's rules (:mod:`leftbehind.models.impute`, :mod:`leftbehind.models.pool`).

Examples
--------
>>> Missing().method
'listwise'
>>> Missing(method="mice", seed=20240817).m
20
>>> try:
...     Missing(method="mice")
... except ValueError as exc:
...     print("needs a seed" in str(exc))
True
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from leftbehind.spec.model import Frozen


class Missing(Frozen):
    """``[missing]``: listwise deletion, or multiple imputation by chained equations as well."""

    method: Literal["listwise", "mice"] = "listwise"
    m: int = Field(default=20, ge=2, le=500)
    maxit: int = Field(default=10, ge=1, le=200)
    seed: int | None = Field(default=None, ge=0)
    donors: int = Field(default=5, ge=1, le=50)
    auxiliary: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _seeded(self) -> Missing:
        if self.method == "mice" and self.seed is None:
            raise ValueError('[missing] method = "mice" needs a seed (e.g. seed = 20240817) so '
                             "that the report can be reproduced")
        return self
