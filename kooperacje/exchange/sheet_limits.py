"""Sane limits for spreadsheets, checked before a file is read: a hostile XLSX (a zip of XML)
can claim a million rows in a kilobyte, or unpack a few megabytes into gigabytes.

An XLSX is checked without building anything in memory: the zip's directory, then every
XML part streamed through expat, counting rows, columns, cells and shared strings, and
stopping at the first limit passed. Only a file within every limit is handed to openpyxl.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import IO, Any

from kooperacje.errors import InvalidInput
from kooperacje.text import clip

MAX_FILE = 50 * 1024 * 1024  # bytes on disk; a spreadsheet of a team's records is far smaller
MAX_UNZIPPED = 100 * 1024 * 1024  # bytes of all parts together, unpacked
MAX_ENTRIES = 10_000  # parts in the zip
MAX_ROWS = 100_000
MAX_COLUMNS = 256
MAX_CELLS = 1_000_000  # cells with something in them, in all sheets together
MAX_CELL_TEXT = 32_767  # characters in one cell: Excel's own limit
MAX_PART_ELEMENTS = 200_000  # XML elements of a part that is neither a sheet nor strings

_CHUNK = 64 * 1024
_REF = re.compile(r"([A-Z]{1,3})?(\d+)?")


class _Refused(Exception):
    """A limit passed while streaming; carries the Polish reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Malformed(Exception):
    """A part that is not well-formed XML: left for the reader to report."""


def polish_number(number: int) -> str:
    """100000 -> '100 000', as Polish writes numbers."""
    return f"{number:,}".replace(",", " ")


def _limits_text() -> str:
    return (
        f"wczytuję najwyżej {polish_number(MAX_ROWS)} wierszy i {MAX_COLUMNS} kolumn. "
        "Podziel arkusz na mniejsze pliki albo usuń z niego puste wiersze i kolumny."
    )


def _column(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def _cell_position(ref: str) -> tuple[int | None, int | None]:
    """(column, row) of a reference like "XFD1048576"; None for a part not given."""
    match = _REF.fullmatch(ref.strip().upper())
    if match is None:
        raise _Refused(f'niepoprawny adres komórki "{clip(ref, 20)}"')
    letters, digits = match.groups()
    return (_column(letters) if letters else None, int(digits) if digits else None)


class _Part:
    """Counts what one XML part holds, element by element. Rows, cells and the stated
    dimension are checked in every part (openpyxl reads a sheet from wherever the
    workbook's relationships point); elements up to limit (None: no limit)."""

    def __init__(self, cells: list[int], limit: int | None = None, what: str = "") -> None:
        self.row = 0
        self.column = 0
        self.cells = cells  # one counter for the whole file
        self.limit = limit
        self.what = what
        self.count = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = name.rsplit("}", 1)[-1]
        if self.limit is not None:
            self.count += 1
            if self.count > self.limit:
                raise _Refused(self.what)
        if tag == "dimension":
            last = attrs.get("ref", "").split(":")[-1]
            column, row = _cell_position(last)
            self._check(column or 0, row or 0, "według nagłówka arkusza ma on ")
        elif tag == "row":
            given = attrs.get("r")
            self.row = int(given) if given and given.isdigit() else self.row + 1
            self.column = 0
            self._check(0, self.row, "arkusz ma ")
        elif tag == "c":
            given = attrs.get("r")
            column = _cell_position(given)[0] if given else None
            self.column = column if column is not None else self.column + 1
            self._check(self.column, 0, "arkusz ma ")
            self.cells[0] += 1
            if self.cells[0] > MAX_CELLS:
                raise _Refused(
                    f"plik ma ponad {polish_number(MAX_CELLS)} komórek. Podziel go na części."
                )

    @staticmethod
    def _check(column: int, row: int, what: str) -> None:
        if row > MAX_ROWS:
            raise _Refused(f"{what}ponad {polish_number(MAX_ROWS)} wierszy, a {_limits_text()}")
        if column > MAX_COLUMNS:
            raise _Refused(f"{what}ponad {MAX_COLUMNS} kolumn, a {_limits_text()}")


def _refuse_doctype(*_: Any) -> None:
    # Entity declarations live in a DTD; no part of a real XLSX has one.
    raise _Refused("plik zawiera deklarację DTD, której arkusze XLSX nie mają")


# Markers counted or looked for in the raw bytes of the shared strings: millions of strings
# through a Python callback each would take seconds. "<si" starts a string; a shared
# strings part that holds rows is a sheet in disguise; a DTD is refused everywhere.
_CARRY = 16
_SHEET_MARKS = (b"<row", b"sheetData", b"<dimension")
_DTD_MARKS = (b"<!DOCTYPE", b"<!ENTITY")


def _strings(handle: IO[bytes], budget: list[int]) -> None:
    """Count the shared strings in the raw bytes of their part."""
    strings = 0
    carry = b""
    while chunk := handle.read(_CHUNK):
        budget[0] -= len(chunk)
        if budget[0] < 0:
            raise _Refused(_too_big())
        # A marker wholly inside the carried tail was counted with the last chunk.
        data = carry + chunk
        strings += data.count(b"<si") - carry.count(b"<si")
        if any(mark in data for mark in _DTD_MARKS):
            _refuse_doctype()
        if any(mark in data for mark in _SHEET_MARKS):
            raise _Refused("tabela tekstów pliku zawiera arkusz")
        if strings > MAX_CELLS:
            raise _Refused(
                f"plik ma ponad {polish_number(MAX_CELLS)} różnych tekstów. Podziel go na części."
            )
        carry = data[-_CARRY:]


def _stream(handle: IO[bytes], handler: _Part, budget: list[int]) -> None:
    """Parse a part (well-formed, no DTD), calling handler for each element."""
    from xml.parsers import expat

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.StartElementHandler = handler.start
    try:
        while chunk := handle.read(_CHUNK):
            budget[0] -= len(chunk)
            if budget[0] < 0:
                raise _Refused(_too_big())
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError:
        raise _Malformed() from None


def _too_big() -> str:
    return (
        f"po rozpakowaniu plik ma ponad {MAX_UNZIPPED // (1024 * 1024)} MB. "
        "Zapisz w nim tylko potrzebne dane albo podziel go na części."
    )


def _entries(path: Path) -> int:
    """The number of parts the zip's end record claims, read before zipfile lists them all."""
    with path.open("rb") as handle:
        size = handle.seek(0, 2)
        tail_size = min(size, 66_000)
        handle.seek(size - tail_size)
        tail = handle.read()
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or len(tail) < end + 22:
        return 0  # not a zip: the reader says so
    count = int(struct.unpack("<H", tail[end + 10 : end + 12])[0])
    zip64 = tail.rfind(b"PK\x06\x06", 0, end)
    if zip64 >= 0 and len(tail) >= zip64 + 40:
        count = max(count, int(struct.unpack("<Q", tail[zip64 + 32 : zip64 + 40])[0]))
    return count


def _is_strings(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether a part is the shared strings (by its root element, wherever it is)."""
    with archive.open(info) as handle:
        head = handle.read(1024)
    return re.search(rb"<(?:[A-Za-z_][\w.-]*:)?sst[\s>/]", head) is not None


def check_xlsx(path: Path) -> None:
    """Refuse (InvalidInput, in Polish) an XLSX beyond the limits, before openpyxl reads it.
    A file that is not a valid zip is left to the reader to report."""
    try:
        if _entries(path) > MAX_ENTRIES:
            raise _Refused(f"plik ma ponad {MAX_ENTRIES} części (to nie jest zwykły arkusz)")
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if sum(info.file_size for info in infos) > MAX_UNZIPPED:
                raise _Refused(_too_big())
            budget = [MAX_UNZIPPED]
            cells = [0]
            for info in infos:
                name = info.filename.lower()
                if not name.endswith((".xml", ".rels")):
                    continue
                with archive.open(info) as handle:
                    if name.startswith("xl/worksheets/"):
                        _stream(handle, _Part(cells), budget)
                    elif _is_strings(archive, info):
                        _strings(handle, budget)
                    else:
                        what = f"część {clip(info.filename, 60)} pliku jest za duża"
                        _stream(handle, _Part(cells, MAX_PART_ELEMENTS, what), budget)
    except _Refused as refused:
        raise InvalidInput(
            f'plik "{clip(path.name)}" nie zostanie wczytany: {refused.reason}'
        ) from None
    # zipfile raises NotImplementedError for a compression method it cannot unpack.
    except (_Malformed, zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError):
        return  # not a sheet openpyxl can read either: the reader reports it
    except zlib.error:
        return
