"""Where a field sits in a TOML file: a validation error's path -> (line, column).

The files are read with ``tomllib``, which reports positions only for syntax errors; a bad value
(an LR below 0, an unknown outcome) is found here by walking the file's table headers and keys,
counting ``[[array]]`` elements, so a hand edit with a mistake is named by line and column.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

Path = tuple[str | int, ...]

_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_KEYS = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_ARRAY_HEADER = re.compile(rf"^\s*\[\[\s*({_KEYS})\s*\]\]")
_TABLE_HEADER = re.compile(rf"^\s*\[\s*({_KEYS})\s*\]")
_KEY_LINE = re.compile(rf"^(\s*)({_KEYS})\s*=\s*")
_FIELD_IN_MESSAGE = re.compile(r"^([a-z_]+(?:\[\d+\])?(?:\.[a-z_]+(?:\[\d+\])?)*)(?:/[a-z_]+)*: ")


def _names(keys: str) -> list[str]:
    try:
        nested: Any = tomllib.loads(f"{keys} = 0")
    except tomllib.TOMLDecodeError:
        return []
    names = []
    while isinstance(nested, dict) and nested:
        name = next(iter(nested))
        names.append(name)
        nested = nested[name]
    return names


def _opens_multiline(rest: str) -> str | None:
    for quote in ('"""', "'''"):
        if rest.startswith(quote) and rest.count(quote) == 1:
            return quote
    return None


def positions(text: str) -> dict[Path, tuple[int, int]]:
    """Every table, array element and key of a TOML text, by path, with its line and column
    (1-based; a key's column is where its value starts)."""
    found: dict[Path, tuple[int, int]] = {}
    counts: dict[Path, int] = {}
    latest: dict[tuple[str, ...], int] = {}
    current: list[str | int] = []
    closing: str | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        if closing is not None:
            if closing in line.replace("\\" + closing[0], ""):
                closing = None
            continue
        header = _ARRAY_HEADER.match(line) or _TABLE_HEADER.match(line)
        if header:
            names = _names(header.group(1))
            resolved: list[str | int] = []
            for i, name in enumerate(names):
                resolved.append(name)
                if i < len(names) - 1 and tuple(names[: i + 1]) in latest:
                    resolved.append(latest[tuple(names[: i + 1])])
            if header.re is _ARRAY_HEADER and names:
                index = counts.get(tuple(resolved), 0)
                counts[tuple(resolved)] = index + 1
                latest[tuple(names)] = index
                resolved.append(index)
            current = resolved
            found.setdefault(tuple(current), (number, 1))
            continue
        pair = _KEY_LINE.match(line)
        if pair:
            path = (*current, *_names(pair.group(2)))
            found.setdefault(path, (number, pair.end() + 1))
            closing = _opens_multiline(line[pair.end() :])
    return found


def locate(text: str, path: Path) -> tuple[int, int]:
    """The line and column of ``path``, or of its nearest enclosing part that the text has."""
    found = positions(text)
    for end in range(len(path), 0, -1):
        if path[:end] in found:
            return found[path[:end]]
    return (1, 1)


def path_in_message(message: str) -> tuple[Path, str]:
    """``"evidence[3].likelihoods: one per outcome"`` -> (("evidence", 3, "likelihoods"), rest)."""
    match = _FIELD_IN_MESSAGE.match(message)
    if not match:
        return (), message
    path: list[str | int] = []
    for part in match.group(1).split("."):
        name, _, index = part.partition("[")
        path.append(name)
        if index:
            path.append(int(index.rstrip("]")))
    return tuple(path), message[match.end() :]


def dotted(path: Path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def value_at(data: Any, path: Path) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data
