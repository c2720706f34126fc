"""present layer of leftbehind (L4): number formatting, labels, tables and their renderers.

Examples
--------
>>> from leftbehind.present import Row, Table, fmt
>>> Table(columns=("b",), rows=[Row("Girl", (fmt(1.0851) + "*",))]).to_csv()
',b\\nGirl,1.085*\\n'
"""

from leftbehind.present.numfmt import fmt, fmt_b_se, fmt_ci, fmt_int, fmt_p, fmt_percent, stars
from leftbehind.present.table import Row, Spanner, Table

__all__ = ["Row", "Spanner", "Table", "fmt", "fmt_b_se", "fmt_ci", "fmt_int", "fmt_p", "fmt_percent", "stars"]
