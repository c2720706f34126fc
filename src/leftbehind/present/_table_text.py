"""Text renderers of :class:`leftbehind.present.table.Table`: Markdown, HTML, LaTeX (layer L4).

Examples
--------
>>> from leftbehind.present.table import Row, Table
>>> print(render_latex(Table(columns=("b",), rows=[Row("R²", ("0.08",))]), float_env=False), end="")
\\begin{tabular}{@{}lr@{}}
\\toprule
 & b \\\\
\\midrule
R\\textsuperscript{2} & 0.08 \\\\
\\bottomrule
\\end{tabular}
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from leftbehind.present.table import Table

INDENT_MD = "&nbsp;&nbsp;"


# ---------------------------------------------------------------------------- Markdown
_MD_SPECIAL = frozenset("\\`*_[]<>|&")


def _md(text: str) -> str:
    """Backslash-escape Markdown punctuation so ``2.690*`` or ``<.001`` stay literal."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text.replace("\n", " "))


_BLOCK_START = re.compile(r"^(?:[#+=-]|\d{1,9}(?=[.)](?:\s|$)))")


def _md_line(text: str) -> str:
    """Escape a whole line (a note): also a leading ``#``, ``-``, ``+`` or ``1.`` list marker."""
    escaped = _md(text)
    match = _BLOCK_START.match(escaped)
    if match is None:
        return escaped
    if match.group(0)[0].isdigit():
        end = match.end()
        return escaped[:end] + "\\" + escaped[end:]
    return "\\" + escaped


def render_markdown(table: Table) -> str:
    """GitHub-flavoured Markdown; spanners are folded into the headers."""
    lines: list[str] = []
    if table.title:
        lines += [f"**{_md(table.title)}**", ""]
    headers = [table.stub, *table.flat_headers()]
    lines.append("| " + " | ".join(_md(h) for h in headers) + " |")
    rules = {"l": ":---|", "c": ":---:|", "r": "---:|"}
    lines.append("|:---|" + "".join(rules[a] for a in table.alignments))
    for kind, item in table.iter_lines():
        if kind == "heading":
            lines.append(f"| *{_md(item)}* |" + "".join("  |" for _ in table.columns))
            continue
        label = _md(item.label)
        if item.group is not None and label:
            label = INDENT_MD + label
        lines.append("| " + " | ".join([label, *(_md(c) for c in item.cells)]) + " |")
    if table.notes:
        lines.append("")
        lines += [_md_line(n) for n in table.notes]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- HTML
def _h(text: str) -> str:
    return html.escape(text, quote=True)


_ALIGN_CLASS = {"r": "", "l": ' class="lb-left"', "c": ' class="lb-center"'}


def render_html(table: Table, *, table_class: str = "lb-table") -> str:
    """Semantic HTML: caption, thead (spanner row + headers), tbody, tfoot with the notes."""
    width = table.n_columns + 1
    out = [f'<table class="{_h(table_class)}">']
    if table.title:
        out.append(f"<caption>{_h(table.title)}</caption>")
    out.append("<thead>")
    for number, header in enumerate(table.header_rows()):
        is_spanner = table.spanners and number == 0
        out.append('<tr class="lb-spanner">' if is_spanner else "<tr>")
        for index, (text, span) in enumerate(header):
            attrs = f' colspan="{span}"' if span > 1 else ""
            scope = "colgroup" if span > 1 else "col"
            if index == 0 and not text:
                out.append(f'<td class="lb-stub"{attrs}></td>')
            else:
                out.append(f'<th scope="{scope}"{attrs}>{_h(text)}</th>')
        out.append("</tr>")
    out.append("</thead>")
    out.append("<tbody>")
    seen_summary = False
    for kind, item in table.iter_lines():
        if kind == "heading":
            out.append(f'<tr class="lb-group"><th scope="rowgroup" colspan="{width}">{_h(item)}</th></tr>')
            continue
        classes = []
        if item.role != "body":
            classes.append(f"lb-{item.role}")
        if item.role == "summary" and not seen_summary:
            classes.append("lb-rule")
            seen_summary = True
        row_attr = f' class="{" ".join(classes)}"' if classes else ""
        label_attr = ' class="lb-indent"' if item.group is not None else ""
        cells = "".join(f"<td{_ALIGN_CLASS[a]}>{_h(c)}</td>" for a, c in zip(table.alignments, item.cells))
        out.append(f'<tr{row_attr}><th scope="row"{label_attr}>{_h(item.label)}</th>{cells}</tr>')
    out.append("</tbody>")
    if table.notes:
        out.append("<tfoot>")
        for note in table.notes:
            out.append(f'<tr class="lb-notes"><td colspan="{width}">{_h(note)}</td></tr>')
        out.append("</tfoot>")
    out.append("</table>")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------- LaTeX
_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
    "²": r"\textsuperscript{2}", "×": r"$\times$", "−": r"$-$", "–": "--", "—": "---",
    "≥": r"$\geq$", "≤": r"$\leq$", "α": r"$\alpha$", "β": r"$\beta$", "χ": r"$\chi$",
}


def latex_escape(text: str) -> str:
    """Escape LaTeX special characters (and map a few symbols to math mode).

    Examples
    --------
    >>> latex_escape("50% of {x_1} & <.001")
    '50\\\\% of \\\\{x\\\\_1\\\\} \\\\& \\\\textless{}.001'
    """
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in text)


def render_latex(table: Table, *, label: str | None = None, float_env: bool = True) -> str:
    """booktabs LaTeX: ``\\toprule``, ``\\cmidrule`` under spanners, ``\\midrule``, ``\\bottomrule``."""
    width = table.n_columns + 1
    out: list[str] = []
    if float_env:
        out += [r"\begin{table}[htbp]", r"\centering"]
        if table.title:
            out.append(rf"\caption{{{latex_escape(table.title)}}}")
        if label:
            out.append(rf"\label{{{label}}}")
    out.append(r"\begin{tabular}{@{}l" + "".join(table.alignments) + "@{}}")
    out.append(r"\toprule")
    if table.spanners:
        cells, rules, start = [""], [], 2
        for spanner in table.spanners:
            text = latex_escape(spanner.label)
            cells.append(rf"\multicolumn{{{spanner.span}}}{{c}}{{{text}}}" if spanner.span > 1 else text)
            if spanner.label:
                rules.append(rf"\cmidrule(lr){{{start}-{start + spanner.span - 1}}}")
            start += spanner.span
        out.append(" & ".join(cells) + r" \\")
        if rules:
            out.append(" ".join(rules))
    out.append(" & ".join([latex_escape(table.stub), *(latex_escape(c) for c in table.columns)]) + r" \\")
    out.append(r"\midrule")
    seen_summary = False
    for kind, item in table.iter_lines():
        if kind == "heading":
            out.append(rf"\multicolumn{{{width}}}{{@{{}}l}}{{\textit{{{latex_escape(item)}}}}} \\")
            continue
        if item.role == "summary" and not seen_summary:
            out.append(r"\midrule")
            seen_summary = True
        text = latex_escape(item.label)
        if item.group is not None and text:
            text = r"\quad " + text
        out.append(" & ".join([text, *(latex_escape(c) for c in item.cells)]) + r" \\")
    out.append(r"\bottomrule")
    out.append(r"\end{tabular}")
    if table.notes:
        notes = r" \\ ".join(latex_escape(n) for n in table.notes)
        out.append(r"\par\smallskip{\footnotesize " + notes + "}")
    if float_env:
        out.append(r"\end{table}")
    return "\n".join(out) + "\n"
