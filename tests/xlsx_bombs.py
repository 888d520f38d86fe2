"""Hostile XLSX files, written straight as zip and XML (small on disk, huge when read).

Each builder writes the file at path and returns it. `sheet` builds an ordinary workbook
from the same parts, so a test can check that the parts themselves are sound.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"

_TYPES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="{_PKG}/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""
_ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{_PKG}/relationships">
<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook {_NS} xmlns:r="{_REL}">
<sheets><sheet name="Arkusz1" sheetId="1" r:id="rId1"/></sheets>
</workbook>"""
_WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{_PKG}/relationships">
<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""
_STRINGS = ["Nazwa", "Gmina", "Sektor", "Ośrodek Pomocy Społecznej", "inne"]

Chunks = Callable[[], Iterable[str]]


def _write(path: Path, sheet: Chunks, strings: Chunks) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        for name, chunks in (
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/sharedStrings.xml", strings),
        ):
            with archive.open(name, "w", force_zip64=True) as part:
                for chunk in chunks():
                    part.write(chunk.encode("utf-8"))
    return path


def _strings(extra: int = 0) -> Iterable[str]:
    yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst {_NS}>'
    for text in _STRINGS:
        yield f"<si><t>{text}</t></si>"
    block = "<si><t>x</t></si>" * 10_000
    for _ in range(extra // 10_000):
        yield block
    yield "</sst>"


def _header_and_row() -> str:
    return (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2"><v>1012011</v></c>'
        '<c r="C2" t="s"><v>4</v></c></row>'
    )


def _sheet(dimension: str, middle: Callable[[], Iterable[str]] = lambda: ()) -> Chunks:
    def chunks() -> Iterable[str]:
        yield (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS}>'
            f'<dimension ref="{dimension}"/><sheetData>'
        )
        yield _header_and_row()
        yield from middle()
        yield "</sheetData></worksheet>"

    return chunks


def sheet(path: Path) -> Path:
    """An ordinary workbook: a header and one institution (the bombs' sound twin)."""
    return _write(path, _sheet("A1:C2"), _strings)


def dimension_bomb(path: Path) -> Path:
    """About 1.6 KB whose dimension claims every cell a sheet can have: A1:XFD1048576."""
    return _write(path, _sheet("A1:XFD1048576"), _strings)


def shared_strings_bomb(path: Path, count: int = 5_000_000) -> Path:
    """Millions of shared strings (80 MB of XML) in a few hundred kilobytes."""
    return _write(path, _sheet("A1:C2"), lambda: _strings(count))


def row_bomb(path: Path, count: int = 3_000_000) -> Path:
    """Millions of rows (78 MB of XML) behind a dimension that claims two."""

    def rows() -> Iterable[str]:
        block = "<row><c><v>1</v></c></row>" * 10_000
        for _ in range(count // 10_000):
            yield block

    return _write(path, _sheet("A1:C2", rows), _strings)


def column_bomb(path: Path, count: int = 3_000_000) -> Path:
    """A header row of millions of columns."""

    def cells() -> Iterable[str]:
        yield '<row r="3">'
        block = '<c t="s"><v>0</v></c>' * 10_000
        for _ in range(count // 10_000):
            yield block
        yield "</row>"

    return _write(path, _sheet("A1:C2", cells), _strings)


BOMBS: dict[str, Callable[[Path], Path]] = {
    "wymiar": dimension_bomb,
    "teksty": shared_strings_bomb,
    "wiersze": row_bomb,
    "kolumny": column_bomb,
}
