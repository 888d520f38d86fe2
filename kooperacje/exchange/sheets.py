"""Reading the spreadsheets people have: XLSX, or CSV as Polish offices write it (UTF-8 with
or without BOM, or Windows-1250; `;` or `,` between cells).

A file is read whole into a bounded list of rows (sheet_limits), before any transaction
opens: parsing a large or hostile file never holds the database's write lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from kooperacje.errors import InvalidInput, NotFound
from kooperacje.exchange.sheet_limits import (
    MAX_CELL_TEXT,
    MAX_COLUMNS,
    MAX_FILE,
    MAX_ROWS,
    check_xlsx,
    polish_number,
)
from kooperacje.text import clip

_ZIP = b"PK\x03\x04"
_BOM = b"\xef\xbb\xbf"
# A line of a CSV file: 256 cells of 4,000 characters; a longer one is refused before the
# CSV reader splits it (two million columns would be two million strings in memory).
_MAX_LINE = 1024 * 1024


@dataclass(frozen=True)
class Sheet:
    """The header row and the data rows (as text) of one sheet or CSV file."""

    naglowki: tuple[str, ...]
    wiersze: tuple[tuple[str, ...], ...]


def _not_a_sheet(path: Path) -> InvalidInput:
    return InvalidInput(
        f'plik "{clip(path.name)}" nie jest arkuszem XLSX ani plikiem CSV. Zapisz dane '
        "w arkuszu jako XLSX albo CSV i podaj ten plik."
    )


def _too_many(path: Path, what: str) -> InvalidInput:
    return InvalidInput(
        f'plik "{clip(path.name)}" nie zostanie wczytany: {what}. Wczytuję najwyżej '
        f"{polish_number(MAX_ROWS)} wierszy po {MAX_COLUMNS} kolumn i "
        f"{polish_number(MAX_CELL_TEXT)} znaków w komórce. Podziel plik na mniejsze części."
    )


def read(path: Path, arkusz: str | None = None) -> Sheet:
    """The sheet in path: XLSX (the named sheet, else the first) or CSV."""
    try:
        if path.is_dir():
            raise InvalidInput(f'"{path}" jest katalogiem. Podaj plik XLSX albo CSV.')
        if path.stat().st_size > MAX_FILE:
            raise InvalidInput(f'plik "{path}" jest za duży (ponad 50 MB). Podziel go na części.')
        with path.open("rb") as handle:
            head = handle.read(len(_ZIP))
    except FileNotFoundError:
        raise InvalidInput(f'nie ma pliku "{path}". Sprawdź ścieżkę.') from None
    except OSError as exc:
        raise InvalidInput(f'nie można odczytać pliku "{path}": {exc.strerror}.') from None
    if head.startswith(_ZIP):
        rows = _xlsx(path, arkusz)
    else:
        if arkusz is not None:
            raise InvalidInput("opcja --arkusz dotyczy plików XLSX; plik CSV ma jeden arkusz.")
        rows = _csv(path)
    if not rows:
        raise InvalidInput(f'plik "{path}" jest pusty: brak wiersza nagłówków z nazwami kolumn.')
    width = len(rows[0])
    body = tuple(tuple((list(row) + [""] * width)[:width]) for row in rows[1:])
    return Sheet(tuple(cell.strip() for cell in rows[0]), body)


def _bounded(path: Path, rows: Iterable[list[str]]) -> list[list[str]]:
    """The rows with something in them, refused beyond the limits as they stream in."""
    kept: list[list[str]] = []
    for number, row in enumerate(rows, start=1):
        if number > MAX_ROWS:
            raise _too_many(path, f"ma ponad {polish_number(MAX_ROWS)} wierszy")
        if len(row) > MAX_COLUMNS and any(cell.strip() for cell in row[MAX_COLUMNS:]):
            raise _too_many(path, f"wiersz {number} ma ponad {MAX_COLUMNS} kolumn")
        for cell in row:
            if len(cell) > MAX_CELL_TEXT:
                raise _too_many(path, f"komórka w wierszu {number} jest za długa")
        if any(cell.strip() for cell in row):
            kept.append(row[:MAX_COLUMNS])
    return kept


def _csv(path: Path) -> list[list[str]]:
    with path.open("rb") as handle:
        bom = handle.read(len(_BOM)) == _BOM
    try:
        return _csv_rows(path, "utf-8-sig")
    except UnicodeDecodeError:
        if bom:
            raise InvalidInput(
                f'plik "{clip(path.name)}" zaczyna się od znacznika UTF-8, ale nie jest '
                "poprawnym tekstem UTF-8. Zapisz go ponownie jako CSV UTF-8."
            ) from None
    # Excel on Polish Windows saves "CSV" in Windows-1250.
    return _csv_rows(path, "cp1250")


def _csv_rows(path: Path, encoding: str) -> list[list[str]]:
    import csv

    errors = "strict" if encoding.startswith("utf") else "replace"
    with path.open(encoding=encoding, errors=errors, newline="") as handle:
        first = handle.readline(_MAX_LINE)
        handle.seek(0)
        delimiter = max((";", ",", "\t"), key=first.count)
        lines = _lines(path, handle)
        # The limit is process-wide and other libraries raise it; pin it while reading so
        # that an over-long cell is refused the same way every time, quoted or not.
        previous = csv.field_size_limit(MAX_CELL_TEXT)
        try:
            return _bounded(
                path, _no_nul(path, _records(path, csv.reader(lines, delimiter=delimiter)))
            )
        finally:
            csv.field_size_limit(previous)


def _records(path: Path, reader: Iterator[list[str]]) -> Iterator[list[str]]:
    """The CSV reader's rows, its errors turned into messages that name the row."""
    import csv

    number = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise _too_many(path, f"komórka w wierszu {number} jest za długa") from None
            raise _not_a_sheet(path) from None
        number += 1
        yield row


def _lines(path: Path, handle: IO[str]) -> Iterator[str]:
    """The file's lines, each refused if longer than _MAX_LINE."""
    number = 0
    while line := handle.readline(_MAX_LINE + 1):
        number += 1
        if len(line) > _MAX_LINE:
            raise _too_many(path, f"wiersz {number} ma ponad {polish_number(_MAX_LINE)} znaków")
        yield line


def _no_nul(path: Path, rows: Iterator[list[str]]) -> Iterator[list[str]]:
    for row in rows:
        if any("\x00" in cell for cell in row):
            raise _not_a_sheet(path)
        yield row


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx(path: Path, arkusz: str | None) -> list[list[str]]:
    import zipfile

    check_xlsx(path)
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise _not_a_sheet(path) from None
    except Exception as exc:  # openpyxl's own InvalidFileException and parser errors
        if type(exc).__module__.startswith(("openpyxl", "xml")):
            raise _not_a_sheet(path) from None
        raise
    try:
        if arkusz is None:
            sheet = book.worksheets[0]
        elif arkusz in book.sheetnames:
            sheet = book[arkusz]
        else:
            names = ", ".join(f'"{clip(name, 40)}"' for name in book.sheetnames[:10])
            more = " i inne" if len(book.sheetnames) > 10 else ""
            raise NotFound(
                f'w pliku nie ma arkusza "{clip(arkusz, 40)}". Arkusze w pliku: {names}{more}.'
            )
        # The rows as they are in the file: the dimension it states is not trusted (a
        # hostile one pads every row to 16,384 columns).
        sheet.reset_dimensions()
        rows = ([_cell(value) for value in row] for row in sheet.iter_rows(values_only=True))
        return _bounded(path, rows)
    finally:
        book.close()
