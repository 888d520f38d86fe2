"""Reading the spreadsheets people have: XLSX, or CSV as Polish offices write it (UTF-8 with
or without BOM, or Windows-1250; `;` or `,` between cells)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kooperacje.errors import InvalidInput, NotFound

_ZIP = b"PK\x03\x04"
_LIMIT = 50 * 1024 * 1024  # a spreadsheet of a team's records is far smaller


@dataclass(frozen=True)
class Sheet:
    """The header row and the data rows (as text) of one sheet or CSV file."""

    naglowki: tuple[str, ...]
    wiersze: tuple[tuple[str, ...], ...]


def _not_a_sheet(path: Path) -> InvalidInput:
    return InvalidInput(
        f'plik "{path}" nie jest arkuszem XLSX ani plikiem CSV. Zapisz dane w arkuszu '
        "jako XLSX albo CSV i podaj ten plik."
    )


def read(path: Path, arkusz: str | None = None) -> Sheet:
    """The sheet in path: XLSX (the named sheet, else the first) or CSV."""
    try:
        if path.is_dir():
            raise InvalidInput(f'"{path}" jest katalogiem. Podaj plik XLSX albo CSV.')
        if path.stat().st_size > _LIMIT:
            raise InvalidInput(f'plik "{path}" jest za duży (ponad 50 MB). Podziel go na części.')
        data = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f'nie ma pliku "{path}". Sprawdź ścieżkę.') from None
    except OSError as exc:
        raise InvalidInput(f'nie można odczytać pliku "{path}": {exc.strerror}.') from None
    if data.startswith(_ZIP):
        rows = _xlsx(path, arkusz)
    else:
        if arkusz is not None:
            raise InvalidInput("opcja --arkusz dotyczy plików XLSX; plik CSV ma jeden arkusz.")
        rows = _csv(path, data)
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise InvalidInput(f'plik "{path}" jest pusty: brak wiersza nagłówków z nazwami kolumn.')
    width = len(rows[0])
    body = tuple(tuple((list(row) + [""] * width)[:width]) for row in rows[1:])
    return Sheet(tuple(cell.strip() for cell in rows[0]), body)


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel on Polish Windows saves "CSV" in Windows-1250.
        return data.decode("cp1250", errors="replace")


def _csv(path: Path, data: bytes) -> list[list[str]]:
    import csv
    import io

    if b"\x00" in data:
        raise _not_a_sheet(path)
    try:
        text = _decode(data)
    except UnicodeDecodeError:
        raise InvalidInput(
            f'plik "{path}" zaczyna się od znacznika UTF-8, ale nie jest poprawnym tekstem UTF-8. '
            "Zapisz go ponownie jako CSV UTF-8."
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    try:
        return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error:
        raise _not_a_sheet(path) from None


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
            names = ", ".join(f'"{name}"' for name in book.sheetnames)
            raise NotFound(f'w pliku nie ma arkusza "{arkusz}". Arkusze w pliku: {names}.')
        return [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
