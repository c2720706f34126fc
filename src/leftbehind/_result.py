"""The behaviour every result object shares (layer L0).

Result objects are frozen dataclasses that implement ``to_frame()`` and ``to_dict()``;
this mixin adds the notebook display.

Examples
--------
>>> from dataclasses import dataclass
>>> import pandas as pd
>>> @dataclass(frozen=True)
... class Mean(ResultMixin):
...     value: float
...     def to_frame(self):
...         return pd.DataFrame({"mean": [self.value]})
...     def to_dict(self):
...         return {"mean": self.value}
>>> "<table" in Mean(2.5)._repr_html_()
True
"""

from __future__ import annotations


class ResultMixin:
    """Adds ``_repr_html_`` (from ``to_frame()``) to a frozen result dataclass."""

    def to_frame(self):  # pragma: no cover - overridden
        raise NotImplementedError

    def to_dict(self) -> dict:  # pragma: no cover - overridden
        raise NotImplementedError

    def _repr_html_(self) -> str:
        return self.to_frame().to_html()
