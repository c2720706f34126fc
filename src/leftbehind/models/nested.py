"""Hierarchical (nested) regression blocks with R-squared change and the F-change test.

Every block is fitted on one common sample, the complete cases of the union of all blocks'
variables, so the models are truly nested. The F-change of block k compares it with block k-1
exactly as R's ``anova(m_{k-1}, m_k)`` does (classical, whatever ``se`` is used for the
coefficient tests); the first block is compared with the intercept-only model.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"y": [2.0, 3.1, 3.9, 5.2, 6.1, 6.8, 8.3, 8.9],
...                    "a": [1, 2, 3, 4, 5, 6, 7, 8], "b": [0, 1, 0, 1, 1, 0, 1, 0]})
>>> res = nested_models(df, ["y ~ a", "+ b"])
>>> [blk["df1"] for blk in res.to_dict()["blocks"]]
[1, 1]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from leftbehind._result import ResultMixin
from leftbehind.errors import AnalysisError, InputError
from leftbehind.models._formula import check_columns, complete_cases, formula_variables
from leftbehind.models._stats import num
from leftbehind.models.ols import OLSResult, fit_ols, resolve_se


@dataclass(frozen=True, eq=False)
class NestedBlock:
    """One step of a nested sequence: its cumulative formula, fit and change statistics."""

    formula: str
    r2: float
    adj_r2: float
    delta_r2: float
    f_change: float
    df1: int
    df2: int
    p_change: float
    result: OLSResult

    def to_dict(self) -> dict:
        return {"formula": self.formula, "r2": num(self.r2), "adj_r2": num(self.adj_r2),
                "delta_r2": num(self.delta_r2), "f_change": num(self.f_change), "df1": self.df1,
                "df2": self.df2, "p_change": num(self.p_change)}


@dataclass(frozen=True, eq=False)
class NestedResult(ResultMixin):
    """The blocks of a nested regression, all on the same ``n`` cases."""

    n: int
    blocks: tuple[NestedBlock, ...]
    sample_index: pd.Index

    def to_frame(self) -> pd.DataFrame:
        """One row per block with r2, adj_r2, delta_r2, f_change, df1, df2, p_change."""
        rows = [blk.to_dict() for blk in self.blocks]
        return pd.DataFrame(rows, index=pd.RangeIndex(1, len(rows) + 1, name="block"))

    def to_dict(self) -> dict:
        return {"n": self.n, "blocks": [blk.to_dict() for blk in self.blocks]}


def block_formulas(blocks: Sequence[str]) -> list[str]:
    """Return the cumulative formula of every block.

    Examples
    --------
    >>> block_formulas(["y ~ a", "+ b + c"])
    ['y ~ a', 'y ~ a + b + c']
    """
    if isinstance(blocks, str) or len(blocks) == 0:
        raise InputError("blocks must be a non-empty list of formulas", key="blocks",
                         hint="e.g. ['y ~ group', '+ girl + age']")
    first = blocks[0].strip()
    if "~" not in first:
        raise InputError(f"the first block {first!r} must be a full formula", key="blocks[0]",
                         hint="write it as 'outcome ~ predictors'")
    formulas = [first]
    for i, block in enumerate(blocks[1:], start=1):
        text = block.strip()
        if not text.startswith("+") or "~" in text:
            raise InputError(f"block {i} ({text!r}) must start with '+' and add terms", key=f"blocks[{i}]",
                             hint="write later blocks as '+ c + d'")
        formulas.append(f"{formulas[-1]} {text}")
    return formulas


def _f_change(prev_rss: float, prev_df: int, cur: OLSResult) -> tuple[float, int, int, float]:
    from scipy import stats

    df1 = prev_df - cur.df_resid
    df2 = cur.df_resid
    f = ((prev_rss - cur.rss) / df1) / (cur.rss / df2)
    return f, df1, df2, float(stats.f.sf(f, df1, df2))


def nested_models(data: pd.DataFrame, blocks: Sequence[str], *, se: str = "classical",
                  cluster: str | None = None) -> NestedResult:
    """Fit nested blocks on one common sample and test each block's R-squared change.

    Parameters
    ----------
    data
        One row per case.
    blocks
        ``blocks[0]`` is a full formula (``"y ~ a + b"``); each later block adds terms
        (``"+ c + d"``) to the block before.
    se, cluster
        Variance estimator for each block's coefficient tests (see :func:`fit_ols`).
        The F-change test is always the classical nested-model F of ``anova(m1, m2)``.

    Returns
    -------
    NestedResult

    Notes
    -----
    R equivalent: fit every block with ``lm`` on ``na.omit`` of all blocks' variables, then
    ``anova(m1, m2)`` for ``f_change``, ``df1``, ``df2`` and ``p_change``.

    Raises
    ------
    InputError
        Malformed blocks, unknown columns, or a block that adds no design column.
    """
    formulas = block_formulas(blocks)
    _, cluster_col = resolve_se(se, cluster)
    variables: list[str] = []
    for formula in formulas:
        variables.extend(formula_variables(formula))
    variables = list(dict.fromkeys(variables))
    check_columns(data, variables)
    extra = [cluster_col] if cluster_col else []
    if extra:
        check_columns(data, extra, key="cluster argument")
    sample = complete_cases(data, variables + extra)
    results = [fit_ols(sample, formula, se=se, cluster=cluster) for formula in formulas]
    n_values = {res.n for res in results}
    if len(n_values) != 1:
        raise AnalysisError("the blocks were fitted on different numbers of cases", key="blocks",
                            hint="a transformation in a later block produced missing values")
    out = []
    prev_rss, prev_df, prev_r2 = _null_model(results[0])
    for i, res in enumerate(results):
        if prev_df - res.df_resid <= 0:
            raise InputError(f"block {i} adds no new design column", key=f"blocks[{i}]",
                             hint="remove the block or add a term not already in the model")
        f, df1, df2, p = _f_change(prev_rss, prev_df, res)
        out.append(NestedBlock(formula=formulas[i], r2=res.r2, adj_r2=res.adj_r2,
                               delta_r2=res.r2 - prev_r2, f_change=f, df1=df1, df2=df2,
                               p_change=p, result=res))
        prev_rss, prev_df, prev_r2 = res.rss, res.df_resid, res.r2
    return NestedResult(n=results[0].n, blocks=tuple(out), sample_index=results[0].sample_index)


def _null_model(first: OLSResult) -> tuple[float, int, float]:
    """RSS, residual df and R2 of the model the first block is compared with."""
    y = first.sm_result.model.endog
    if "Intercept" in first.terms:
        return float(((y - y.mean()) ** 2).sum()), first.n - 1, 0.0
    return float((y**2).sum()), first.n, 0.0
