"""JSON text as the json module writes it, for commands that only write JSON.

`import json` loads the regular-expression engine for its decoder: a noticeable part of the
start-up of a command that answers in a fraction of a second and never reads JSON. Strings
here go through the json module's own C encoder; anything that is not a list of strings or
of flat rows is handed to json.dumps.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

try:
    # The encoder json.dumps(ensure_ascii=False) uses for every string: quotes and escapes.
    from _json import encode_basestring as string
except ImportError:  # an interpreter without the accelerator module
    from json.encoder import encode_basestring as string


def strings(items: Iterable[str]) -> str:
    """A JSON array of strings, e.g. a parameter for SQLite's json_each()."""
    return "[" + ", ".join(string(item) for item in items) + "]"


def json_text(data: Any) -> str:
    """`json.dumps(data, ensure_ascii=False, indent=2)`, the same characters.

    The json module writes indented output in pure Python, one call per value: for a
    basket of thousands of services longer than the query itself. A listing (a list of
    flat rows of text, numbers and nulls) is written here value by value with the C string
    encoder; anything else goes to json.dumps.
    """
    if isinstance(data, list):
        text = _rows_text(data)
        if text is not None:
            return text
    import json

    return json.dumps(data, ensure_ascii=False, indent=2)


def _rows_text(rows: list[Any]) -> str | None:
    """The rows as json.dumps writes them, or None when one is not a flat row."""
    if not rows:
        return "[]"
    parts = []
    keys: dict[str, str] = {}  # "nazwa" -> '    "nazwa": ', written once per key
    for row in rows:
        if type(row) is not dict:
            return None
        if not row:
            parts.append("  {}")
            continue
        fields = []
        for key, value in row.items():
            if type(key) is not str:
                return None
            prefix = keys.get(key)
            if prefix is None:
                prefix = keys[key] = f"    {string(key)}: "
            value_text = _scalar(value)
            if value_text is None:
                return None
            fields.append(prefix + value_text)
        parts.append("  {\n" + ",\n".join(fields) + "\n  }")
    return "[\n" + ",\n".join(parts) + "\n]"


def _scalar(value: Any) -> str | None:
    """A string, number, boolean or null as JSON; None for anything else (a list, NaN)."""
    if isinstance(value, str):
        return string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float) and value == value and abs(value) != float("inf"):
        return float.__repr__(value)
    return None
