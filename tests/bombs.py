"""Small XLSX files that claim or unpack to enormous sheets (for the hostile-file tests).

Pure zipfile writing, no kooperacje imports: each builder streams its XML into the archive,
so building a bomb costs this process little memory, while the file itself stays tiny.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""  # noqa: E501

_ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{_PKG}">
<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""

_WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="{_NS}" xmlns:r="{_REL}">
<sheets><sheet name="Arkusz1" sheetId="1" r:id="rId1"/></sheets>
</workbook>"""

_WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{_PKG}">
<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""

HEADER = ("Nazwa", "Gmina", "Sektor")
ROW = ("Fundacja Pomocy", "1012011", "ngo")


def _inline(values: Iterable[str], row: int | None = None) -> str:
    cells = "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in values)
    number = f' r="{row}"' if row is not None else ""
    return f"<row{number}>{cells}</row>"


def _sheet(rows: Iterable[str], dimension: str | None = None) -> Iterator[str]:
    yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_NS}">'
    if dimension is not None:
        yield f'<dimension ref="{dimension}"/>'
    yield "<sheetData>"
    yield from rows
    yield "</sheetData></worksheet>"


def _write(path: Path, sheet: Iterable[str], shared: Iterable[str] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        for name, parts in (
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/sharedStrings.xml", shared if shared is not None else _no_strings()),
        ):
            with archive.open(name, "w", force_zip64=True) as stream:
                buffer: list[str] = []
                size = 0
                for part in parts:
                    buffer.append(part)
                    size += len(part)
                    if size > 1 << 20:
                        stream.write("".join(buffer).encode())
                        buffer, size = [], 0
                stream.write("".join(buffer).encode())
    return path


def _no_strings() -> Iterator[str]:
    yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{_NS}"/>'


def dimension_bomb(path: Path) -> Path:
    """Three real rows in a sheet that declares itself A1:XFD1048576 (the whole grid): the
    header, one institution and one cell in the grid's last row. A reader that trusts the
    dimension fills every missing row and column in between."""
    last = '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>koniec</t></is></c></row>'
    rows = [_inline(HEADER, 1), _inline(ROW, 2), last]
    return _write(path, _sheet(rows, dimension="A1:XFD1048576"))


def shared_strings_bomb(path: Path, count: int = 5_000_000) -> Path:
    """A normal two-row sheet and a shared-strings table of millions of entries."""

    def strings() -> Iterator[str]:
        yield (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<sst xmlns="{_NS}" count="{count}" uniqueCount="{count}">'
        )
        yield from _repeated("<si><t>x</t></si>", count)
        yield "</sst>"

    rows = [_inline(HEADER, 1), _inline(ROW, 2)]
    return _write(path, _sheet(rows, dimension="A1:C2"), strings())


def row_bomb(path: Path, count: int = 1_048_575) -> Path:
    """A header and a million identical data rows: the whole grid Excel allows (rows
    without a reference are numbered in order, as some generators write them)."""

    def rows() -> Iterator[str]:
        yield _inline(HEADER)
        yield from _repeated(_inline(ROW), count)

    return _write(path, _sheet(rows()))


def wide_header_bomb(path: Path, columns: int = 2_000_000) -> Path:
    """A header row of millions of distinct, unknown column names (cells without
    references, so no column letter limits them) and one data row."""

    def rows() -> Iterator[str]:
        yield "<row>"
        step = 100_000
        for start in range(0, columns, step):
            yield "".join(
                f'<c t="inlineStr"><is><t>Kolumna {n}</t></is></c>'
                for n in range(start, min(start + step, columns))
            )
        yield "</row>"
        yield _inline(ROW)

    return _write(path, _sheet(rows()))


def _repeated(part: str, count: int) -> Iterator[str]:
    step = 10_000
    block = part * step
    for _ in range(count // step):
        yield block
    yield part * (count % step)
