"""Every CSV the program writes: formulas neutralised, and the dialect of Polish Excel.

A spreadsheet program may run a cell as a formula when it starts with `=`, `+`, `-`, `@`,
a tab or a carriage return (OWASP's list for CSV injection), also after leading spaces or
quotes. It may also split a cell on a delimiter it guesses (`,` `;` tab `|`), so text
after a delimiter inside a cell counts as the start of a cell too. Such a start gets an
apostrophe in front of it; `restore` takes exactly those apostrophes away again, so a
file the program wrote imports back to the same text.

Numbers and phone numbers ("+48 44 715 07 95", "-5") are left alone: they hold nothing a
spreadsheet could run, and an apostrophe would show in every phone number of an export.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

# Characters that make a spreadsheet read a cell as a formula (fullwidth forms too: some
# input methods type them, and some spreadsheets treat them as their ASCII twins).
TRIGGERS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
# Delimiters a spreadsheet may guess when it splits a line into cells.
DELIMITERS = frozenset(",;\t|")
# What a spreadsheet skips before it looks at the first character of a cell.
_SKIPPED = frozenset(" \u00a0\n\"'")
# A number or a phone number (or a list of them): a sign, a digit, then only digits and
# the usual separators. No letter, so no function and no command a spreadsheet could run.
# An apostrophe may appear: the ones neutralise adds must not change what counts as one.
_NUMBER = re.compile(r"[+\-]?[0-9][0-9 .,;()/+\-']*")

Cell = str | int | float | Decimal | None


def _dangerous(text: str, start: int) -> bool:
    """Whether the cell a spreadsheet would see from `start` on could be run as a formula.

    A number is judged up to the end of the whole cell, not the next delimiter: a
    spreadsheet that does not split there sees everything after it too.
    """
    index = start
    while index < len(text) and text[index] in _SKIPPED:
        index += 1
    if index == len(text) or text[index] not in TRIGGERS:
        return False
    body = text[index:].rstrip(" \u00a0\"'")
    return _NUMBER.fullmatch(body) is None


def _starts(text: str) -> list[int]:
    """Where a cell may begin: the start of the text and the position after each delimiter."""
    return [0, *(i + 1 for i, ch in enumerate(text) if ch in DELIMITERS)]


def neutralise(text: str) -> str:
    """The text with an apostrophe before every place a spreadsheet could start a formula."""
    if not any(ch in TRIGGERS for ch in text):
        return text
    out: list[str] = []
    last = 0
    for start in _starts(text):
        if _dangerous(text, start):
            out.append(text[last:start])
            out.append("'")
            last = start
    out.append(text[last:])
    return "".join(out)


def restore(text: str) -> str:
    """The text neutralise was given: each apostrophe it added is taken away again."""
    if "'" not in text:
        return text
    out: list[str] = []
    last = 0
    for start in _starts(text):
        if start < len(text) and text[start] == "'" and _dangerous(text, start + 1):
            out.append(text[last:start])
            last = start + 1
    out.append(text[last:])
    return "".join(out)


def _text(value: Cell, *, excel: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "tak" if value else "nie"
    if isinstance(value, float | Decimal):
        # Polish Excel reads "0,2" as a number and "0.2" as a date or text.
        shown = str(value)
        return shown.replace(".", ",") if excel else shown
    return neutralise(str(value))


def csv_text(rows: Iterable[Sequence[Cell]], *, excel: bool) -> str:
    """Rows as CSV text, every cell neutralised.

    excel=True: the dialect Excel in Poland opens with a double click (`;` between cells,
    decimal comma, CRLF line ends; see `csv_bytes` for the BOM). excel=False: plain CSV for
    scripts and pipes (`,`, decimal point, LF).
    """
    buffer = io.StringIO()
    # The csv module quotes a cell holding a character of the line terminator: with "\r\n"
    # both a CR and a LF inside a cell are quoted (with "\n" alone a CR would split the row).
    writer = csv.writer(buffer, delimiter=";" if excel else ",", lineterminator="\r\n")
    if excel:
        writer.writerows([_text(value, excel=True) for value in row] for row in rows)
        return buffer.getvalue()
    lines = []
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_text(value, excel=False) for value in row])
        lines.append(buffer.getvalue()[:-2] + "\n")
    return "".join(lines)


def csv_bytes(rows: Iterable[Sequence[Cell]]) -> bytes:
    """A CSV file for Polish Excel: UTF-8 with a BOM (without it Excel guesses
    Windows-1250 and shows "ZespĂłĹ‚"), `;` between cells, decimal comma."""
    return csv_text(rows, excel=True).encode("utf-8-sig")
