"""Hostile spreadsheets beyond the ones in test_safe_files: each refused in Polish before
anything is read into memory, with a short printable message and the database unchanged.
"""

from __future__ import annotations

import shutil
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kooperacje.errors import KooperacjeError
from kooperacje.exchange import sheets
from tests import bombs, factories
from tests.conftest import Result, snapshot

Run = Callable[..., Result]

HEADER = "Nazwa;Gmina;Sektor\n"
ROW = "Fundacja Pomocy;1012011;ngo\n"


@pytest.fixture
def conn(template: Path, db_path: Path) -> Iterator[sqlite3.Connection]:
    shutil.copy(template, db_path)
    connection = factories.connect(db_path)
    factories.institution(connection, "Miejski Ośrodek Pomocy Społecznej", skrot="MOPS")
    yield connection
    connection.close()


def _refused(run: Run, db_path: Path, path: Path, *fragments: str) -> str:
    before = snapshot(db_path)
    result = run("import", "instytucje", str(path))
    assert result.exit_code == 1, (result.stdout, result.stderr)
    message = result.stderr
    assert message.startswith("Błąd: "), message
    assert len(message) <= 320, message
    assert message[:-1].isprintable(), repr(message)
    for fragment in fragments:
        assert fragment in message, message
    assert snapshot(db_path) == before
    return message


def _xlsx(path: Path, rows: list[str], dimension: str | None = "A1:C2") -> Path:
    return bombs._write(path, bombs._sheet(rows, dimension=dimension))


# ---- CSV ----------------------------------------------------------------------------------


def test_csv_with_too_many_rows(run: Run, db_path: Path, conn: object, tmp_path: Path) -> None:
    path = tmp_path / "wiersze.csv"
    path.write_text(HEADER + ROW * 100_000, "utf-8")
    _refused(run, db_path, path, "ma ponad 100 000 wierszy")


def test_csv_with_too_many_columns(run: Run, db_path: Path, conn: object, tmp_path: Path) -> None:
    path = tmp_path / "kolumny.csv"
    path.write_text(HEADER + ";".join(["x"] * 300) + "\n", "utf-8")
    _refused(run, db_path, path, "wiersz 2 ma ponad 256 kolumn")


def test_csv_with_a_huge_cell(run: Run, db_path: Path, conn: object, tmp_path: Path) -> None:
    path = tmp_path / "komorka.csv"
    path.write_text(HEADER + "x" * 40_000 + ";1012011;ngo\n", "utf-8")
    _refused(run, db_path, path, "komórka w wierszu 2 jest za długa")
    quoted = tmp_path / "cytat.csv"
    quoted.write_text(HEADER + '"' + "x\n" * 100_000 + '";1012011;ngo\n', "utf-8")
    _refused(run, db_path, quoted, "komórka w wierszu 2 jest za długa")


def test_csv_with_a_huge_line(run: Run, db_path: Path, conn: object, tmp_path: Path) -> None:
    path = tmp_path / "linia.csv"
    path.write_text(HEADER + ";" * 2_000_000 + "\n", "utf-8")
    _refused(run, db_path, path, "wiersz 2 ma ponad 1 048 576 znaków")


def test_trailing_empty_columns_are_not_counted(
    run: Run, db_path: Path, conn: object, tmp_path: Path
) -> None:
    """Excel pads some rows with separators: empty cells past the limit are only dropped."""
    path = tmp_path / "puste.csv"
    path.write_text("Nazwa;Gmina;Sektor" + ";" * 400 + "\n" + ROW, "utf-8")
    result = run("import", "instytucje", str(path))
    assert result.exit_code == 0, result.stderr


# ---- XLSX ---------------------------------------------------------------------------------


def test_a_sound_xlsx_written_the_same_way_imports(
    run: Run, db_path: Path, conn: object, tmp_path: Path
) -> None:
    path = _xlsx(
        tmp_path / "dobry.xlsx", [bombs._inline(bombs.HEADER, 1), bombs._inline(bombs.ROW, 2)]
    )
    result = run("import", "instytucje", str(path))
    assert result.exit_code == 0, result.stderr
    assert "dodanie: 1" in result.stdout


def test_a_cell_far_to_the_right_behind_a_modest_dimension(
    run: Run, db_path: Path, conn: object, tmp_path: Path
) -> None:
    far = '<row r="2"><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>'
    path = _xlsx(tmp_path / "daleko.xlsx", [bombs._inline(bombs.HEADER, 1), far])
    _refused(run, db_path, path, "arkusz ma ponad 256 kolumn")


def test_a_row_far_below_behind_no_dimension(
    run: Run, db_path: Path, conn: object, tmp_path: Path
) -> None:
    far = '<row r="900000"><c t="inlineStr"><is><t>x</t></is></c></row>'
    path = _xlsx(tmp_path / "nisko.xlsx", [bombs._inline(bombs.HEADER, 1), far], None)
    _refused(run, db_path, path, "arkusz ma ponad 100 000 wierszy")


def test_entity_declarations_are_refused(
    run: Run, db_path: Path, conn: object, tmp_path: Path
) -> None:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;">]>'
        f'<sst xmlns="{bombs._NS}"><si><t>&b;</t></si></sst>'
    )
    path = bombs._write(
        tmp_path / "smiech.xlsx",
        bombs._sheet([bombs._inline(bombs.HEADER, 1)], dimension="A1:C1"),
        iter([laughs]),
    )
    _refused(run, db_path, path, "deklarację DTD")


def test_a_sheet_hidden_as_the_shared_strings(
    run: Run, db_path: Path, conn: object, tmp_path: Path
) -> None:
    rows = [f"<row><c><v>{n}</v></c></row>" for n in range(10)]
    disguised = f'<sst xmlns="{bombs._NS}"><sheetData>{"".join(rows)}</sheetData></sst>'
    path = bombs._write(
        tmp_path / "przebrany.xlsx",
        bombs._sheet([bombs._inline(bombs.HEADER, 1)], dimension="A1:C1"),
        iter([disguised]),
    )
    _refused(run, db_path, path, "tabela tekstów pliku zawiera arkusz")


def test_a_zip_of_thousands_of_parts(run: Run, db_path: Path, conn: object, tmp_path: Path) -> None:
    path = tmp_path / "czesci.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for number in range(10_001):
            archive.writestr(f"x/{number}.bin", b"")
    _refused(run, db_path, path, "ponad 10000 części")


def test_unknown_sheet_names_are_listed_short_and_printable(
    run: Run, db_path: Path, conn: object, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Dane"
    for number in range(30):
        book.create_sheet(f"Arkusz {number}")
    path = tmp_path / "arkusze.xlsx"
    book.save(path)
    result = run("import", "instytucje", str(path), "--arkusz", "\x1b[2J" + "x" * 500)
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr
    assert len(result.stderr) < 400
    assert "i inne" in result.stderr


def test_parsing_holds_no_write_lock(
    run: Run, db_path: Path, conn: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the file is read, another program can still write to the database."""
    path = tmp_path / "dobry.csv"
    path.write_text(HEADER + ROW, "utf-8")
    real = sheets.read
    written: list[bool] = []

    def read_and_write(path: Path, arkusz: str | None = None) -> sheets.Sheet:
        other = sqlite3.connect(db_path, timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("UPDATE instytucje SET uwagi = 'w trakcie importu' WHERE id = 1")
            other.commit()
            written.append(True)
        finally:
            other.close()
        return real(path, arkusz)

    monkeypatch.setattr(sheets, "read", read_and_write)
    result = run("import", "instytucje", str(path))
    assert result.exit_code == 0, result.stderr
    assert written == [True]


# ---- any bytes at all ---------------------------------------------------------------------


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    content=st.one_of(
        st.binary(max_size=2000),
        st.binary(max_size=2000).map(lambda b: b"PK\x03\x04" + b),
        st.text(max_size=500).map(lambda t: t.encode("utf-8")),
    )
)
def test_reading_any_bytes_ends_in_rows_or_a_polish_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "plik"
    path.write_bytes(content)
    try:
        sheet = sheets.read(path)
    except KooperacjeError as exc:
        assert len(exc.message) < 400
        # One line; control characters are escaped by the output (tests/test_terminal.py).
        assert "\n" not in exc.message, repr(exc.message)
        return
    assert all(len(row) == len(sheet.naglowki) for row in sheet.wiersze)
