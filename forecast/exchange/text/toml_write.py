"""A small, stable TOML writer for plain data (what ``model_dump(mode="json")`` gives).

Reading is the standard library's ``tomllib``. Writing is done here rather than with tomli-w
because the layout is part of the format's contract: an array of numbers stays on one line with
its key (``likelihoods = [2.5, 1.0]``), so a change to one likelihood ratio changes one line that
names what changed; and every string round-trips exactly (carriage returns and control characters
are escaped, never written raw). ``None`` has no TOML form: a key whose value is ``None`` is left
out (the models' default for every optional field is ``None``).
"""

from __future__ import annotations

import json
import re
from typing import Any

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def key(name: str) -> str:
    return name if _BARE_KEY.match(name) else _basic_string(name)


def _escape_control(match: re.Match[str]) -> str:
    code = ord(match.group())
    return {8: "\\b", 9: "\\t", 12: "\\f", 13: "\\r"}.get(code, f"\\u{code:04x}")


def _basic_string(text: str) -> str:
    # JSON's escapes (\" \\ \n \t \uXXXX ...) are all TOML escapes; DEL is not escaped by JSON.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _multiline_string(text: str) -> str:
    body = text.replace("\\", "\\\\")
    body = _CONTROL.sub(lambda m: "\\t" if m.group() == "\t" else _escape_control(m), body)
    # no two raw quotes in a row, and no raw quote last, so the closing """ is unambiguous
    body = re.sub(r'"(?=")', '\\\\"', body)
    if body.endswith('"'):
        body = body[:-1] + '\\"'
    return '"""\n' + body + '"""'


def value(data: Any, *, multiline: bool = False) -> str:
    """An inline TOML value."""
    if isinstance(data, bool):
        return "true" if data else "false"
    if isinstance(data, int):
        return str(data)
    if isinstance(data, float):
        return repr(data)
    if isinstance(data, str):
        if multiline and "\n" in data:
            return _multiline_string(data)
        return _basic_string(data)
    if isinstance(data, list):
        return "[" + ", ".join(value(item) for item in data if item is not None) + "]"
    if isinstance(data, dict):
        if not data:
            return "{}"
        pairs = ", ".join(f"{key(k)} = {value(v)}" for k, v in data.items() if v is not None)
        return "{ " + pairs + " }"
    raise TypeError(f"no TOML form for {type(data).__name__}")


def _is_table_array(data: Any) -> bool:
    return isinstance(data, list) and bool(data) and all(isinstance(i, dict) for i in data)


def _is_table(data: Any) -> bool:
    return isinstance(data, dict) and bool(data)


def _table(data: dict[str, Any], path: list[str], out: list[str]) -> None:
    for name, item in data.items():
        if item is None or _is_table(item) or _is_table_array(item):
            continue
        out.append(f"{key(name)} = {value(item, multiline=True)}")
    for name, item in data.items():
        if _is_table(item):
            out.extend(["", "[" + ".".join(key(p) for p in [*path, name]) + "]"])
            _table(item, [*path, name], out)
        elif _is_table_array(item):
            for element in item:
                out.extend(["", "[[" + ".".join(key(p) for p in [*path, name]) + "]]"])
                _table(element, [*path, name], out)


def dumps(data: dict[str, Any]) -> str:
    """TOML text of a dict of plain data: keys in the dict's order, plain values first, then
    tables and arrays of tables; ends with one newline."""
    out: list[str] = []
    _table(data, [], out)
    return "\n".join(out).lstrip("\n") + "\n"
