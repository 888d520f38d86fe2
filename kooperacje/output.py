"""Terminal output: tables, CSV and JSON listings, messages. Owns the rich consoles."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


class Format(str, Enum):
    """How a listing is printed."""

    tabela = "tabela"
    csv = "csv"
    json = "json"


class ReportFormat(str, Enum):
    """How a report is written."""

    md = "md"
    html = "html"


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    # A piped stdout gets no colours or box drawing (rich detects the terminal).
    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def error(message: str) -> None:
    """Print `Błąd: …` on stderr."""
    sys.stderr.write(f"Błąd: {message}\n")
    sys.stderr.flush()


def info(message: str) -> None:
    """A line for the user on stdout (plain text; no markup interpretation)."""
    sys.stdout.write(message + "\n")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "tak" if value else "nie"
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    return str(value)


def listing(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[tuple[str, str]],
    fmt: Format,
    *,
    title: str | None = None,
    empty: str = "Brak wyników.",
) -> None:
    """Print rows as a table, CSV or JSON. columns: (key, Polish header) pairs.

    CSV and JSON use the keys (stable, machine-friendly); the table uses the headers.
    """
    if fmt is Format.json:
        data = [{key: row.get(key) for key, _ in columns} for row in rows]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt is Format.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([key for key, _ in columns])
        for row in rows:
            writer.writerow([_cell(row.get(key)) for key, _ in columns])
        sys.stdout.write(buffer.getvalue())
        return
    if not rows:
        info(empty)
        return
    from rich import box
    from rich.table import Table

    console = _console()
    table = Table(
        title=title,
        box=box.SIMPLE_HEAD if console.is_terminal else box.ASCII2,
        show_lines=False,
        title_justify="left",
    )
    for _, header in columns:
        table.add_column(header, overflow="fold")
    for row in rows:
        table.add_row(*(_cell(row.get(key)) for key, _ in columns))
    console.print(table)


def record(pairs: Sequence[tuple[str, Any]], fmt: Format, *, title: str | None = None) -> None:
    """Print one record: `Label: value` lines, or JSON of the same pairs."""
    if fmt is Format.json:
        sys.stdout.write(json.dumps(dict(pairs), ensure_ascii=False, indent=2) + "\n")
        return
    if fmt is Format.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([k for k, _ in pairs])
        writer.writerow([_cell(v) for _, v in pairs])
        sys.stdout.write(buffer.getvalue())
        return
    if title:
        info(title)
        info("=" * len(title))
    width = max((len(k) for k, _ in pairs), default=0)
    for key, value in pairs:
        text = _cell(value)
        if text:
            info(f"{key + ':':<{width + 1}} {text}")


def changes(subject: str, rows: Sequence[tuple[str, str | None, str | None]]) -> None:
    """Print what an edit changed, one `field: old → new` line each (or that nothing did)."""
    if not rows:
        info("Nic nie zmieniono.")
        return
    info(f"Zmieniono {subject}:")
    for label, old, new in rows:
        info(f"  {label}: {old or '(puste)'} → {new or '(puste)'}")
