"""Reading and writing policy files: TOML (read with :mod:`tomllib`) and JSON."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from slocalc.errors import PolicyError, SlocalcTypeError

__all__ = ["dumps_toml", "read_policy_data"]

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_WIDTH = 100


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _string(key)


def _string(value: str) -> str:
    # JSON escapes are valid TOML basic-string escapes; TOML also wants DEL escaped.
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise SlocalcTypeError(f"cannot write {type(value).__name__} {value!r} as TOML")


def _is_table(value: Any) -> bool:
    return isinstance(value, Mapping)


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def _emit(lines: list[str], path: tuple[str, ...], table: Mapping[str, Any]) -> None:
    for key, value in table.items():
        if _is_table(value) or _is_table_array(value):
            continue
        line = f"{_key(key)} = {_value(value)}"
        if len(line) > _WIDTH and isinstance(value, list):
            line = f"{_key(key)} = [\n" + "".join(f"    {_value(v)},\n" for v in value) + "]"
        lines.append(line)
    for key, value in table.items():
        sub = (*path, key)
        header = ".".join(_key(k) for k in sub)
        if _is_table(value):
            if not value or not all(_is_table(v) or _is_table_array(v) for v in value.values()):
                lines += ["", f"[{header}]"]  # a table of tables only needs no header of its own
            _emit(lines, sub, value)
        elif _is_table_array(value):
            for item in value:
                lines += ["", f"[[{header}]]"]
                _emit(lines, sub, item)


def dumps_toml(data: Mapping[str, Any]) -> str:
    """Write nested tables, arrays of tables, strings, integers and lists as TOML.

    >>> print(dumps_toml({"name": "x", "t": {"a": 1}, "s": [{"level": 1}, {"level": 2}]}), end="")
    name = "x"
    <BLANKLINE>
    [t]
    a = 1
    <BLANKLINE>
    [[s]]
    level = 1
    <BLANKLINE>
    [[s]]
    level = 2
    """
    lines: list[str] = []
    _emit(lines, (), data)
    return "\n".join(lines).strip("\n") + "\n"


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r} in one JSON object")
        out[key] = value
    return out


def loads_json(text: str, source: str = "<string>") -> Any:
    """Parse JSON, refusing duplicate keys (JSON would silently keep the last)."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        msg = f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
    except RecursionError:
        msg = "not valid JSON here: nested too deeply"
    except ValueError as exc:
        msg = f"not valid JSON: {exc}"
    raise PolicyError(f"{source}: {msg}", [("(file)", msg)])


def loads_toml(text: str, source: str = "<string>") -> Any:
    """Parse TOML with :mod:`tomllib`."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = f"not valid TOML: {exc}"
    except RecursionError:
        msg = "not valid TOML here: nested too deeply"
    raise PolicyError(f"{source}: {msg}", [("(file)", msg)])


def read_policy_data(path: Path) -> Any:
    """The data of a ``.toml`` or ``.json`` policy file."""
    suffix = path.suffix.lower()
    if suffix not in {".toml", ".json"}:
        msg = f"unknown policy file type {path.suffix or '(none)'!r}; expected .toml or .json"
        raise PolicyError(f"{path}: {msg}", [("(file)", msg)])
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        byte = exc.object[exc.start : exc.start + 1]
        msg = f"not UTF-8 text (byte {exc.start}: {byte!r}); save the file as UTF-8"
        raise PolicyError(f"{path}: {msg}", [("(file)", msg)]) from None
    return loads_toml(text, str(path)) if suffix == ".toml" else loads_json(text, str(path))
