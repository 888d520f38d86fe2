"""`kooperacje import`: spreadsheets in, matched, checked, all or nothing."""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kooperacje.errors import InvalidInput
from kooperacje.exchange.imports import parse_mapping
from tests import factories
from tests.conftest import Result, snapshot

Run = Callable[..., Result]
Query = Callable[..., list[tuple[object, ...]]]

PCPR = "Powiatowe Centrum Pomocy Rodzinie w Radomsku"
HEADER = "Nazwa;Skrót;Gmina;Sektor;NIP;REGON;Telefon;E-mail;Kod pocztowy;Miejscowość"
GOOD = [
    f"{PCPR};PCPR;1012011;rodzina;772-224-78-54;;44 715 07 95;pcpr@radomsko.pl;97-500;Radomsko",
    "Miejski Ośrodek Pomocy Społecznej w Radomsku;MOPS;1012011;pomoc społeczna;;;;;;",
    "Komenda Powiatowa Policji w Zawierciu;KPP;2416021;policja;;;;;;",
]
BAD = "Zła Instytucja;ZI;1012011;inne;123;;;;;"


@pytest.fixture
def conn(db_path: Path) -> Iterator[sqlite3.Connection]:
    connection = factories.connect(db_path)
    yield connection
    connection.close()


def _write(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def _names(query: Query) -> list[object]:
    return [row[0] for row in query("SELECT nazwa FROM instytucje ORDER BY id")]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1250"])
@pytest.mark.parametrize("separator", [";", ","])
def test_csv_as_offices_write_it(
    run: Run, query: Query, conn: sqlite3.Connection, tmp_path: Path, encoding: str, separator: str
) -> None:
    lines = [line.replace(";", separator) for line in [HEADER, *GOOD]]
    path = _write(tmp_path / "kooperanci.csv", lines, encoding)
    result = run("import", "instytucje", str(path))
    assert result.exit_code == 0, result.stderr
    assert "Wiersze: dodanie: 3, zmiana: 0, bez zmian: 0, odrzucone: 0." in result.stdout
    assert len(_names(query)) == 3
    assert query("SELECT nip, telefon, kod_pocztowy FROM instytucje WHERE skrot = 'PCPR'") == [
        ("7722247854", "+48 44 715 07 95", "97-500")
    ]
    # The same file again changes nothing.
    before = snapshot(tmp_path / "test.db")
    again = run("import", "instytucje", str(path))
    assert again.exit_code == 0
    assert "bez zmian: 3" in again.stdout
    assert snapshot(tmp_path / "test.db") == before


def test_xlsx_with_a_chosen_sheet_and_numbers(
    run: Run, query: Query, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "Notatki"
    first.append(["nic tu nie ma"])
    sheet = book.create_sheet("Kooperanci")
    sheet.append(["Nazwa instytucji", "Gmina", "Sektor", "NIP"])
    # A gmina code typed as a number loses its leading zero; NIP as a number.
    sheet.append(["Ośrodek w Nakle", 410033, "pomoc_spoleczna", 7722247854])
    path = tmp_path / "kooperanci.xlsx"
    book.save(path)
    result = run("import", "instytucje", str(path), "--arkusz", "Kooperanci")
    assert result.exit_code == 0, result.stderr
    assert query("SELECT nazwa, gmina, nip FROM instytucje") == [
        ("Ośrodek w Nakle", "0410033", "7722247854")
    ]
    missing = run("import", "instytucje", str(path), "--arkusz", "Brak")
    assert missing.exit_code == 1
    assert 'Arkusze w pliku: "Notatki", "Kooperanci"' in missing.stderr


def test_dry_run_reports_and_writes_nothing(
    run: Run, db_path: Path, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    factories.institution(conn, PCPR, skrot="PCPR", sektor="rodzina", nip="7722247854")
    path = _write(tmp_path / "k.csv", [HEADER, *GOOD, BAD])
    before = snapshot(db_path)
    result = run("import", "instytucje", str(path), "--proba")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert (
        lines[0] == f"wiersz 2: zmiana – {PCPR} (pola: kod_pocztowy, miejscowosc, telefon, email)"
    )
    assert lines[1] == "wiersz 3: dodanie – Miejski Ośrodek Pomocy Społecznej w Radomsku"
    assert lines[3].startswith('wiersz 5: odrzucony – Zła Instytucja: niepoprawny NIP "123"')
    assert lines[-1] == (
        "Próba, nic nie zapisano. Wiersze: dodanie: 2, zmiana: 1, bez zmian: 0, odrzucone: 1."
    )
    assert snapshot(db_path) == before


def test_one_bad_row_stops_everything(
    run: Run, db_path: Path, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    path = _write(tmp_path / "k.csv", [HEADER, *GOOD, BAD])
    before = snapshot(db_path)
    result = run("import", "instytucje", str(path))
    assert result.exit_code == 1
    assert "odrzucono wiersze (1), więc nic nie zapisano" in result.stderr
    assert "wiersz 5: odrzucony" in result.stdout
    assert snapshot(db_path) == before


def test_skip_bad_rows_writes_them_with_reasons(
    run: Run, query: Query, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    ambiguous = "MOPS Radomsko;MOPS;Radomsko;pomoc_spoleczna;;;;;;"
    path = _write(tmp_path / "k.csv", [HEADER, GOOD[0], BAD, ambiguous])
    result = run("import", "instytucje", str(path), "--pomin-bledne")
    assert result.exit_code == 0, result.stderr
    assert _names(query) == [PCPR]
    rejected = tmp_path / "k.odrzucone.csv"
    assert f"zapisano w pliku {rejected}" in result.stdout
    rows = list(csv.reader(io.StringIO(rejected.read_text("utf-8-sig")), delimiter=";"))
    assert rows[0][-2:] == ["Wiersz", "Powód odrzucenia"]
    assert [(row[0], row[-2]) for row in rows[1:]] == [
        ("Zła Instytucja", "3"),
        ("MOPS Radomsko", "4"),
    ]
    assert "niejednoznaczna" in rows[2][-1]


def test_match_by_regon_then_name_and_gmina(
    run: Run, query: Query, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    factories.institution(conn, PCPR, skrot="PCPR", sektor="rodzina", regon="590627800")
    factories.institution(conn, "Miejski Ośrodek Pomocy Społecznej w Radomsku", skrot="MOPS")
    path = _write(
        tmp_path / "k.csv",
        [
            "Nazwa;Gmina;Sektor;REGON;Telefon",
            "PCPR Radomsko (nowa nazwa);1012011;rodzina;590627800;",
            "miejski ośrodek pomocy społecznej w radomsku;1012011;pomoc_spoleczna;;44 683 27 42",
        ],
    )
    result = run("import", "instytucje", str(path))
    assert result.exit_code == 0, result.stderr
    assert query("SELECT id, nazwa, telefon FROM instytucje ORDER BY id") == [
        (1, "PCPR Radomsko (nowa nazwa)", None),
        (2, "Miejski Ośrodek Pomocy Społecznej w Radomsku", "+48 44 683 27 42"),
    ]


def test_mapping_for_unusual_headers(
    run: Run, query: Query, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    path = _write(tmp_path / "k.csv", ["Placówka;Teryt;Branża", "Dom Kultury;1012011;kultura"])
    refused = run("import", "instytucje", str(path))
    assert refused.exit_code == 1
    assert "w pliku brakuje kolumn: nazwa, sektor" in refused.stderr
    result = run("import", "instytucje", str(path), "--mapowanie", "Placówka=nazwa,Branża=sektor")
    assert result.exit_code == 0, result.stderr
    assert _names(query) == ["Dom Kultury"]
    bad = run("import", "instytucje", str(path), "--mapowanie", "Placówka=imie")
    assert bad.exit_code == 1
    assert 'niepoprawne mapowanie "Placówka=imie"' in bad.stderr


def test_export_reimports_to_the_same_data(
    run: Run, conn: sqlite3.Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pcpr = factories.institution(
        conn, "=PCPR", skrot="PCPR", sektor="rodzina", telefon="+48 44 715 07 95", nip="7722247854"
    )
    factories.service(
        conn, pcpr, "Poradnictwo", "wspieranie_rodziny", zasieg=("1012",), grupy=("rodziny",),
        kontakt="-pokój 3",
    )  # fmt: skip
    for fmt, suffix in (("csv", "csv"), ("xlsx", "xlsx")):
        inst, serv = tmp_path / f"i.{suffix}", tmp_path / f"u.{suffix}"
        assert run("eksport", "instytucje", "-f", fmt, "-o", str(inst)).exit_code == 0
        assert run("eksport", "uslugi", "-f", fmt, "-o", str(serv)).exit_code == 0
        original = (run("eksport", "instytucje", "-f", "json").stdout,
                    run("eksport", "uslugi", "-f", "json").stdout)  # fmt: skip
        other = tmp_path / f"druga-{fmt}.db"
        monkeypatch.setenv("KOOPERACJE_BAZA", str(other))
        assert run("import", "instytucje", str(inst)).exit_code == 0
        result = run("import", "uslugi", str(serv))
        assert result.exit_code == 0, result.stderr
        copied = (run("eksport", "instytucje", "-f", "json").stdout,
                  run("eksport", "uslugi", "-f", "json").stdout)  # fmt: skip
        assert copied == original
        monkeypatch.setenv("KOOPERACJE_BAZA", str(tmp_path / "test.db"))


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"\x00\x01\x02binary\x00", "nie jest arkuszem XLSX ani plikiem CSV"),
        (b"PK\x03\x04not really a zip", "nie jest arkuszem XLSX ani plikiem CSV"),
        (b"", "jest pusty"),
        (b"\xef\xbb\xbfNazwa;Gmina\n\xff\xfe", "nie jest poprawnym tekstem UTF-8"),
    ],
)
def test_files_that_are_not_spreadsheets(
    run: Run, db_path: Path, conn: sqlite3.Connection, tmp_path: Path, content: bytes, fragment: str
) -> None:
    path = tmp_path / "plik.csv"
    path.write_bytes(content)
    before = snapshot(db_path)
    result = run("import", "instytucje", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith("Błąd: ")
    assert fragment in result.stderr
    assert snapshot(db_path) == before


def test_missing_file_and_conflicting_options(run: Run, tmp_path: Path) -> None:
    result = run("import", "uslugi", str(tmp_path / "brak.csv"))
    assert result.exit_code == 1
    assert "nie ma pliku" in result.stderr
    both = run("import", "uslugi", str(tmp_path / "brak.csv"), "--proba", "--pomin-bledne")
    assert both.exit_code == 1
    assert "wykluczają się" in both.stderr


def test_services_need_a_known_provider(
    run: Run, db_path: Path, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    factories.institution(conn, PCPR, skrot="PCPR", sektor="rodzina")
    path = _write(
        tmp_path / "u.csv",
        [
            "Instytucja;Nazwa usługi;Obszar;Grupy docelowe;Zasięg",
            "PCPR;Poradnictwo rodzinne;wspieranie rodziny;rodziny; seniorzy;1012",
            "Nieznana;Coś;kultura;;",
        ],
    )
    before = snapshot(db_path)
    result = run("import", "uslugi", str(path))
    assert result.exit_code == 1
    assert 'wiersz 3: odrzucony – Coś: nie znaleziono instytucji "Nieznana"' in result.stdout
    assert snapshot(db_path) == before


@given(st.text(max_size=40))
def test_mapping_parser_never_crashes(text: str) -> None:
    try:
        mapping = parse_mapping(text, "instytucje")
    except InvalidInput as exc:
        assert exc.message.startswith("niepoprawne mapowanie")
    else:
        assert set(mapping.values()) <= {
            "uuid", "nazwa", "skrot", "sektor", "gmina", "adres", "kod_pocztowy",
            "miejscowosc", "telefon", "email", "www", "nip", "regon", "uwagi",
        }  # fmt: skip


DIRECTORY = {
    "odplatnosc": "bez opłat",
    "dokumenty": "dowód osobisty; skierowanie z MOPS",
    "wiek_od": 18,
    "wiek_do": 65,
    "bezplatna": 1,
    "miejsce": "adres",
    "adres": "ul. Tysiąclecia 5",
    "kod_pocztowy": "97-500",
    "miejscowosc": "Radomsko",
    "godziny": "8:00–15:00",
    "dni": "pn,sr,pt",
    "kontakt_osoba": "Anna Nowak",
    "kontakt_telefon": "+48 44 715 07 95",
    "kontakt_email": "poradnia@pcpr.radomsko.pl",
    "zweryfikowano": "2025-10-09",
    "zweryfikowal": "Jan Kowalski",
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_directory_fields_survive_export_and_import(
    run: Run, conn: sqlite3.Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    pcpr = factories.institution(conn, PCPR, skrot="PCPR", sektor="rodzina")
    service = factories.service(conn, pcpr, "Poradnictwo", "wspieranie_rodziny", grupy=("rodziny",))
    conn.execute(
        f"UPDATE uslugi SET {', '.join(f'{name} = :{name}' for name in DIRECTORY)} WHERE id = :id",
        {**DIRECTORY, "id": service},
    )
    conn.commit()
    columns = ", ".join(DIRECTORY)
    original = conn.execute(f"SELECT {columns} FROM uslugi").fetchall()
    assert None not in original[0]
    inst, serv = tmp_path / f"i.{fmt}", tmp_path / f"u.{fmt}"
    assert run("eksport", "instytucje", "-f", fmt, "-o", str(inst)).exit_code == 0
    assert run("eksport", "uslugi", "-f", fmt, "-o", str(serv)).exit_code == 0
    exported = run("eksport", "uslugi", "-f", "json").stdout
    assert '"Dni"' not in exported and '"dni": "pn,sr,pt"' in exported
    assert '"bezplatna": "bezpłatna"' in exported

    other = tmp_path / "druga.db"
    monkeypatch.setenv("KOOPERACJE_BAZA", str(other))
    assert run("import", "instytucje", str(inst)).exit_code == 0
    result = run("import", "uslugi", str(serv))
    assert result.exit_code == 0, result.stderr
    assert "Pominięte kolumny" not in result.stdout
    copied = sqlite3.connect(other)
    try:
        assert copied.execute(f"SELECT {columns} FROM uslugi").fetchall() == original
    finally:
        copied.close()
    assert run("eksport", "uslugi", "-f", "json").stdout == exported
    # The same file again changes nothing, not even the history.
    before = snapshot(other)
    again = run("import", "uslugi", str(serv))
    assert again.exit_code == 0, again.stderr
    assert "bez zmian: 1" in again.stdout
    assert snapshot(other) == before


SERVICE_HEADER = (
    "Instytucja;Nazwa usługi;Obszar;Wiek od;Wiek do;Dni;Telefon kontaktowy;Bezpłatna;"
    "Zweryfikowano;Zweryfikował(a)"
)


def test_directory_columns_as_people_write_them(
    run: Run, query: Query, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    factories.institution(conn, PCPR, skrot="PCPR", sektor="rodzina")
    conn.commit()
    path = _write(
        tmp_path / "u.csv",
        [
            SERVICE_HEADER,
            "PCPR;Poradnictwo;wspieranie rodziny;6;18;pn-pt;44 715 07 95;Bezpłatna;"
            "25.09.2019;Anna Nowak",
        ],
    )
    result = run("import", "uslugi", str(path))
    assert result.exit_code == 0, result.stderr
    stored = (
        "SELECT wiek_od, wiek_do, dni, kontakt_telefon, bezplatna, zweryfikowano, zweryfikowal "
        "FROM uslugi"
    )
    expected = (6, 18, "pn,wt,sr,cz,pt", "+48 44 715 07 95", 1, "2019-09-25", "Anna Nowak")
    assert query(stored) == [expected]
    # The verification went through the same path as `uslugi zweryfikuj`: it is in the history.
    assert query("SELECT nowa FROM _zmiany WHERE tabela = 'uslugi' AND pole = 'zweryfikowano'") == [
        ("2019-09-25",)
    ]
    # A later file without the verifier keeps who verified on that day.
    _write(path, [SERVICE_HEADER, "PCPR;Poradnictwo;wspieranie rodziny;;;;;;2019-09-25;"])
    again = run("import", "uslugi", str(path))
    assert again.exit_code == 0, again.stderr
    assert "bez zmian: 1" in again.stdout
    assert query(stored) == [expected]


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ("200;;;;;;", "wiek od 200 jest nieprawdopodobny"),
        ("dziesięć;;;;;;", 'niepoprawny wiek od "dziesięć"'),
        ("30;20;;;;;", "wiek od (30) jest większy niż wiek do (20)"),
        (";;xx;;;;", 'nieznany dzień tygodnia w "xx"'),
        (";;;123;;;", 'niepoprawny numer telefonu "123"'),
        (";;;;czasem;;", 'nieznany koszt usługi "czasem"'),
        (";;;;;31.02.2025;", 'data "31.02.2025" nie istnieje w kalendarzu'),
        (";;;;;2999-01-01;", "data weryfikacji 2999-01-01 jest w przyszłości"),
        (";;;;;;Anna Nowak", "podano, kto zweryfikował usługę"),
    ],
)
def test_bad_directory_value_rejects_the_row(
    run: Run, db_path: Path, conn: sqlite3.Connection, tmp_path: Path, cells: str, reason: str
) -> None:
    factories.institution(conn, PCPR, skrot="PCPR", sektor="rodzina")
    conn.commit()
    path = _write(
        tmp_path / "u.csv",
        [
            SERVICE_HEADER,
            "PCPR;Mieszkanie chronione;wspieranie rodziny;;;;;;;",
            f"PCPR;Poradnictwo;wspieranie rodziny;{cells}",
        ],
    )
    before = snapshot(db_path)
    result = run("import", "uslugi", str(path))
    assert result.exit_code == 1
    assert f"wiersz 3: odrzucony – Poradnictwo: {reason}" in result.stdout
    assert snapshot(db_path) == before
    # With --pomin-bledne only the good row is kept; the bad one goes to the file of rejects.
    rejects = tmp_path / "odrzucone.csv"
    skipped = run("import", "uslugi", str(path), "--pomin-bledne", "--odrzucone", str(rejects))
    assert skipped.exit_code == 0, skipped.stderr
    rows = list(csv.reader(io.StringIO(rejects.read_text("utf-8-sig")), delimiter=";"))
    assert [row[1] for row in rows[1:]] == ["Poradnictwo"]
    assert reason in rows[1][-1]


def test_services_renamed_by_another_program_are_still_matched(
    run: Run, query: Query, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    factories.institution(conn, PCPR, skrot="PCPR", sektor="rodzina")
    added = run(
        "uslugi", "dodaj", "Poradnictwo rodzinne", "-i", "PCPR", "--obszar", "wspieranie_rodziny"
    )
    assert added.exit_code == 0, added.stderr
    assert query("SELECT nazwa_szukaj FROM uslugi") == [("poradnictwo rodzinne",)]
    # Datasette or the sqlite3 shell renames it: the stored folded name is cleared (m016)...
    conn.execute("UPDATE uslugi SET nazwa = 'Poradnictwo Rodzinne i Specjalistyczne'")
    conn.commit()
    assert query("SELECT nazwa_szukaj FROM uslugi") == [(None,)]
    # ...and every lookup still finds it by the new name, in any case.
    path = _write(
        tmp_path / "u.csv",
        [
            "Instytucja;Nazwa usługi;Obszar",
            "PCPR;PORADNICTWO rodzinne i specjalistyczne;wspieranie rodziny",
        ],
    )
    again = run("import", "uslugi", str(path))
    assert again.exit_code == 0, again.stderr
    assert "dodanie: 0" in again.stdout
    assert query("SELECT count(*) FROM uslugi") == [(1,)]
    twice = run(
        "uslugi",
        "dodaj",
        "poradnictwo rodzinne i specjalistyczne",
        "-i",
        "PCPR",
        "--obszar",
        "wspieranie_rodziny",
    )
    assert twice.exit_code == 1
    assert "ma już usługę" in twice.stderr
    assert run("uslugi", "pokaz", "poradnictwo rodzinne i specjalistyczne").exit_code == 0
    # An edit by the application stores the folded name again.
    assert run("uslugi", "edytuj", "1", "--nazwa", "Terapia Rodzinna").exit_code == 0
    assert query("SELECT nazwa_szukaj FROM uslugi") == [("terapia rodzinna",)]
