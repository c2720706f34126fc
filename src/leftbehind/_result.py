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

from typing import Any


def plain_value(value: Any) -> Any:
    """A code or level as a plain Python value: numpy scalars unwrapped, whole floats as int.

    >>> import numpy as np
    >>> plain_value(np.float64(2.0)), plain_value(2.5), plain_value("M")
    (2, 2.5, 'M')
    """
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class ResultMixin:
    """Adds ``_repr_html_`` (from ``to_frame()``) to a frozen result dataclass."""

    def to_frame(self):  # pragma: no cover - overridden
        raise NotImplementedError

    def to_dict(self) -> dict:  # pragma: no cover - overridden
        raise NotImplementedError

    def _repr_html_(self) -> str:
        return self.to_frame().to_html()


def json_safe(value):
    """Make ``value`` JSON-safe: NaN/inf -> None, numpy scalars and arrays -> Python numbers/lists.

    >>> import math
    >>> json_safe({"a": math.nan, "b": (1, 2.5)})
    {'a': None, 'b': [1, 2.5]}
    """
    import math

    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        return json_safe(value.tolist())
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (AttributeError, ValueError, TypeError):
            pass
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
