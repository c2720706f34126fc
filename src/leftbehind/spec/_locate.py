"""Map TOML key paths to line numbers from the raw text (layer L1).

:mod:`tomllib` returns plain dicts without positions, so this small scanner walks the text once
and records the line where each table header and each key is written. Arrays of tables get
their 0-based index, so ``("validity", 1, "op")`` is the ``op`` key of the second
``[[validity]]``. A path not written in the file (a default, a key inside an inline table) is
reported at the line of its longest written prefix.

Examples
--------
>>> text = '[study]\\ntitle = "x"\\n\\n[[validity]]\\nrule = "blank"\\n[[validity]]\\nop = "=="\\n'
>>> loc = KeyLocator(text)
>>> loc.line(("study", "title")), loc.line(("validity", 1, "op")), loc.line(("validity", 1, "x"))
(2, 7, 6)
>>> format_key(("validity", 1, "op"))
'validity[1].op'
"""

from __future__ import annotations

from collections.abc import Sequence

KeyPath = tuple[str | int, ...]


def format_key(path: Sequence[str | int]) -> str:
    """Write a key path the way the error messages show it: ``a.b[2].c``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text


def _split_key(text: str) -> tuple[str, ...]:
    """Split a dotted TOML key (``a."b.c".d``) into its parts."""
    parts, current, quote = [], "", None
    for ch in text:
        if quote:
            if ch == quote:
                quote = None
            else:
                current += ch
        elif ch in "\"'":
            quote = ch
        elif ch == ".":
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    parts.append(current.strip())
    return tuple(parts)


class _Scanner:
    """Tracks strings and bracket depth across lines of TOML values."""

    def __init__(self) -> None:
        self.depth = 0
        self.multiline: str | None = None  # '\"\"\"' or "'''" while inside one

    @property
    def busy(self) -> bool:
        return self.depth > 0 or self.multiline is not None

    def feed(self, text: str) -> None:
        i, n = 0, len(text)
        while i < n:
            if self.multiline:
                end = text.find(self.multiline, i)
                if end < 0:
                    return
                self.multiline, i = None, end + 3
                continue
            ch = text[i]
            if text.startswith('"""', i) or text.startswith("'''", i):
                self.multiline, i = text[i:i + 3], i + 3
            elif ch in "\"'":
                i = self._skip_string(text, i)
            elif ch == "#":
                return
            elif ch in "[{":
                self.depth += 1
                i += 1
            elif ch in "]}":
                self.depth = max(0, self.depth - 1)
                i += 1
            else:
                i += 1

    @staticmethod
    def _skip_string(text: str, start: int) -> int:
        quote, i = text[start], start + 1
        while i < len(text):
            if quote == '"' and text[i] == "\\":
                i += 2
                continue
            if text[i] == quote:
                return i + 1
            i += 1
        return i


def _key_and_value(line: str) -> tuple[str, str] | None:
    """Split ``key = value`` at the first ``=`` outside quotes."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "=":
            return line[:i], line[i + 1:]
    return None


class KeyLocator:
    """Line numbers (1-based) of the table headers and keys of a TOML text."""

    def __init__(self, text: str) -> None:
        self._lines: dict[KeyPath, int] = {}
        counts: dict[tuple[str, ...], int] = {}
        prefix: KeyPath = ()
        scanner = _Scanner()
        for number, raw in enumerate(text.splitlines(), start=1):
            if scanner.busy:
                scanner.feed(raw)
                continue
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("[["):
                path = _split_key(line[2:line.index("]]")] if "]]" in line else line[2:])
                counts[path] = counts.get(path, 0) + 1
                prefix = (*path, counts[path] - 1)
                self._lines.setdefault(path, number)
                self._lines[prefix] = number
            elif line.startswith("["):
                path = _split_key(line[1:line.index("]")] if "]" in line else line[1:])
                prefix = path
                self._lines.setdefault(path, number)
            else:
                split = _key_and_value(line)
                if split is None:
                    continue
                key, value = split
                full = (*prefix, *_split_key(key))
                for i in range(len(prefix) + 1, len(full) + 1):
                    self._lines.setdefault(full[:i], number)
                scanner.feed(value)

    def line(self, path: Sequence[str | int]) -> int | None:
        """The line of ``path`` or of its longest written prefix; None if nothing matches."""
        path = tuple(path)
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return None
