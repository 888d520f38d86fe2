"""Terminal output: tables, CSV and JSON listings, messages. Owns the rich consoles.

rich draws tables on a terminal only: importing it costs tens of milliseconds, and a piped
or redirected listing is better as plain aligned text (no box drawing, no wrapping).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence

from kooperacje.jsontext import json_text

# Not `from typing import TYPE_CHECKING`: typing alone takes longer to import than a basket
# takes to compute (type checkers know the name).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from rich.console import Console


# Characters a terminal may act on instead of showing: C0 and C1 controls (ESC starts the
# sequences that clear the screen or retitle the window), DEL, and the Unicode controls that
# reorder text. A value from the data is shown with each of them as a visible `\\x1b`.
_UNSAFE = {
    **{code: f"\\x{code:02x}" for code in range(0x20) if chr(code) not in "\n\t"},
    0x7F: "\\x7f",
    **{code: f"\\x{code:02x}" for code in range(0x80, 0xA0)},
    **{code: f"\\u{code:04x}" for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))},
}
_UNSAFE_IN_CELL = {**_UNSAFE, ord("\t"): " "}


def printable(text: str) -> str:
    """Text safe to print on a terminal: line breaks and tabs kept, other controls shown
    as escapes (`\\x1b`), never sent raw."""
    return text.replace("\r\n", "\n").translate(_UNSAFE)


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def _stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):  # replaced or closed stdout
        return False


def error(message: str) -> None:
    """Print `Błąd: …` on stderr."""
    sys.stderr.write(f"Błąd: {printable(message)}\n")
    sys.stderr.flush()


def notice(message: str) -> None:
    """A line for the user on stderr that is not an error (e.g. where a new file went)."""
    sys.stderr.write(printable(message) + "\n")
    sys.stderr.flush()


def info(message: str) -> None:
    """A line for the user on stdout (plain text; no markup interpretation)."""
    sys.stdout.write(printable(message) + "\n")


def file_text(text: str) -> None:
    """A file's text (CSV, iCalendar) on stdout: exact into a pipe, and on a terminal with
    control characters shown as escapes."""
    sys.stdout.write(printable(text) if _stdout_is_terminal() else text)
    sys.stdout.flush()


def file_bytes(content: bytes) -> None:
    """A file's bytes on stdout (see `data`); what is not UTF-8 text goes out unchanged."""
    if _stdout_is_terminal():
        try:
            file_text(content.decode("utf-8"))
            return
        except UnicodeDecodeError:
            pass
    sys.stdout.flush()
    sys.stdout.buffer.write(content)
    sys.stdout.buffer.flush()


def _write_json(data: Any) -> None:
    sys.stdout.write(json_text(data) + "\n")


def _write_csv(rows: Iterable[Sequence[str]]) -> None:
    # Plain CSV for scripts and pipes (`,`, no BOM), formulas neutralised like every CSV.
    from kooperacje.spreadsheet import csv_text  # lazily: decimal is slow to import

    file_text(csv_text(rows, excel=False))


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
    fmt: str,
    *,
    title: str | None = None,
    empty: str = "Brak wyników.",
) -> None:
    """Print rows as a table, CSV or JSON (a formats.Format, or its value). columns:
    (key, Polish header) pairs.

    CSV and JSON use the keys (stable, machine-friendly); the table uses the headers.
    """
    if fmt == "json":
        data = [{key: row.get(key) for key, _ in columns} for row in rows]
        _write_json(data)
        return
    if fmt == "csv":
        header = [key for key, _ in columns]
        _write_csv([header, *([_cell(row.get(key)) for key in header] for row in rows)])
        return
    if not rows:
        info(empty)
        return
    cells = [[_cell(row.get(key)).translate(_UNSAFE_IN_CELL) for key, _ in columns] for row in rows]
    headers = [header for _, header in columns]
    title = printable(title) if title else None
    if _stdout_is_terminal():
        _rich_table(headers, cells, title)
    else:
        _plain_table(headers, cells, title)


def _rich_table(headers: list[str], cells: list[list[str]], title: str | None) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=Text(title) if title else None,
        box=box.SIMPLE_HEAD,
        show_lines=False,
        title_justify="left",
    )
    for header in headers:
        table.add_column(header, overflow="fold")
    for row in cells:
        # Text, not str: a name like "Fundacja [/]" is data, not rich's markup.
        table.add_row(*(Text(cell) for cell in row))
    _console().print(table)


def _plain_table(headers: list[str], cells: list[list[str]], title: str | None) -> None:
    """Aligned columns under a dashed rule, one line per row (for pipes, files, grep)."""
    cells = [[" ".join(cell.splitlines()) for cell in row] for row in cells]
    widths = [max(len(text) for text in column) for column in zip(headers, *cells, strict=True)]
    lines = [title] if title else []
    for row in [headers, ["-" * width for width in widths], *cells]:
        line = "  ".join(text.ljust(width) for text, width in zip(row, widths, strict=True))
        lines.append(line.rstrip())
    sys.stdout.write("\n".join(lines) + "\n")


def record(pairs: Sequence[tuple[str, Any]], fmt: str, *, title: str | None = None) -> None:
    """Print one record: `Label: value` lines, or JSON of the same pairs (fmt: a
    formats.Format, or its value)."""
    if fmt == "json":
        _write_json(dict(pairs))
        return
    if fmt == "csv":
        _write_csv([[k for k, _ in pairs], [_cell(v) for _, v in pairs]])
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


class ProgressBar:
    """A rich progress bar on stdout, which must be a terminal (cron gets no output)."""

    def __init__(self, title: str) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self._progress = Progress(
            # markup=False: the names shown come from the data, not rich's markup.
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[co]}", markup=False),
            console=_console(),
            transient=True,
        )
        self._task = self._progress.add_task(title, total=None, co="")

    def __enter__(self) -> ProgressBar:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def update(self, done: int, total: int, what: str) -> None:
        self._progress.update(self._task, completed=done, total=total, co=printable(what))


def stdout_is_terminal() -> bool:
    """Whether a person is watching stdout (progress bars and summaries are for them)."""
    return _stdout_is_terminal()
