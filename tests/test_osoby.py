"""`kooperacje osoby`: dodaj, lista, edytuj, usun (staff work contacts, erasable on request)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kooperacje.register import persons
from kooperacje.store.db import open_db
from tests import factories
from tests.conftest import Result, snapshot

Run = Callable[..., Result]
Query = Callable[..., list[tuple[object, ...]]]

PCPR = "Powiatowe Centrum Pomocy Rodzinie w Radomsku"
MOPS = "Miejski Ośrodek Pomocy Społecznej w Radomsku"
KPP = "Komenda Powiatowa Policji w Zawierciu"


@pytest.fixture
def conn(template: Path, db_path: Path) -> Iterator[sqlite3.Connection]:
    """Institutions 1 PCPR and 2 MOPS (Radomsko) and 3 KPP (Zawiercie)."""
    shutil.copy(template, db_path)
    connection = factories.connect(db_path)
    factories.institution(connection, PCPR, skrot="PCPR", sektor="rodzina")
    factories.institution(connection, MOPS, skrot="MOPS")
    factories.institution(connection, KPP, skrot="KPP", gmina="2416021", sektor="policja")
    yield connection
    connection.close()


def _fails(result: Result, code: int, *fragments: str) -> None:
    assert result.exit_code == code, result
    assert result.stderr.startswith("Błąd: "), result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


# ---- dodaj -------------------------------------------------------------------------------


def test_add_stores_a_representative(run: Run, query: Query, conn: sqlite3.Connection) -> None:
    result = run(
        "osoby", "dodaj", " Anna  Nowak ",
        "--instytucja", "pcpr",
        "--stanowisko", "dyrektor",
        "--telefon", "600100200",
        "--email", "a.nowak@example.pl",
    )  # fmt: skip
    assert result.exit_code == 0, result
    assert result.stdout == f"Dodano osobę nr 1: Anna  Nowak ({PCPR}).\n"
    assert query(
        "SELECT imie_nazwisko, instytucja, stanowisko, telefon, email, length(uuid) FROM osoby"
    ) == [("Anna  Nowak", 1, "dyrektor", "+48 600 100 200", "a.nowak@example.pl", 36)]


def test_add_by_name_without_diacritics_and_only_required_options(
    run: Run, query: Query, conn: sqlite3.Connection
) -> None:
    result = run("osoby", "dodaj", "Jan Kowalski", "-i", "miejski osrodek pomocy spolecznej")
    assert result.exit_code == 0, result
    assert query("SELECT instytucja, stanowisko, telefon, email FROM osoby") == [
        (2, None, None, None)
    ]


@pytest.mark.parametrize(
    ("args", "code", "fragments"),
    [
        (["Jan Kowalski", "-i", "Sąd Rejonowy"], 1, ['nie znaleziono instytucji "Sąd Rejonowy"']),
        (["Jan Kowalski", "-i", "w radomsku"], 1, ["niejednoznaczna", "1: ", "2: "]),
        (["Jan Kowalski", "-i", "99"], 1, ["nie ma instytucji o numerze 99"]),
        (["Jan Kowalski", "-i", "PCPR", "--email", "jan@"], 1, ["niepoprawny adres e-mail"]),
        (["Jan Kowalski", "-i", "PCPR", "--telefon", "123"], 1, ["niepoprawny numer telefonu"]),
        (["   ", "-i", "PCPR"], 1, ["imię i nazwisko nie mogą być puste"]),
        (["12 34", "-i", "PCPR"], 1, ["nie wygląda na imię i nazwisko"]),
        (["Jan Kowalski"], 2, ["brak wymaganej opcji --instytucja"]),
        (["-i", "PCPR"], 2, ["brak wymaganego argumentu IMIE_NAZWISKO"]),
    ],
)
def test_add_refuses_bad_input_and_writes_nothing(
    run: Run,
    db_path: Path,
    conn: sqlite3.Connection,
    args: list[str],
    code: int,
    fragments: list[str],
) -> None:
    before = snapshot(db_path)
    _fails(run("osoby", "dodaj", *args), code, *fragments)
    assert snapshot(db_path) == before


def test_add_refuses_the_same_person_twice_in_one_institution(
    run: Run, query: Query, db_path: Path, conn: sqlite3.Connection
) -> None:
    factories.person(conn, 1, "Anna Nowak")
    before = snapshot(db_path)
    _fails(run("osoby", "dodaj", "anna nowak", "-i", "PCPR"), 1, "jest już zapisana", "edytuj 1")
    assert snapshot(db_path) == before
    # The same name at another institution is another person.
    assert run("osoby", "dodaj", "Anna Nowak", "-i", "MOPS").exit_code == 0
    assert query("SELECT count(*) FROM osoby") == [(2,)]


# ---- lista -------------------------------------------------------------------------------


@pytest.fixture
def staff(conn: sqlite3.Connection) -> sqlite3.Connection:
    factories.person(conn, 1, "Anna Nowak", stanowisko="dyrektor", telefon="+48 600 100 200")
    factories.person(conn, 2, "Łukasz Łęcki")
    factories.person(conn, 2, "Ewa Lis", email="e.lis@example.pl")
    factories.person(conn, 3, "Piotr Żak")
    factories.person(conn, 3, "Olga Zając")
    return conn


def _names(result: Result) -> list[str]:
    assert result.exit_code == 0, result
    return [row["imie_nazwisko"] for row in json.loads(result.stdout)]


def test_list_goes_by_surname_in_polish_order(run: Run, staff: sqlite3.Connection) -> None:
    assert _names(run("osoby", "lista", "-f", "json")) == [
        "Ewa Lis",
        "Łukasz Łęcki",
        "Anna Nowak",
        "Olga Zając",
        "Piotr Żak",
    ]


def test_list_filters_by_institution_and_gmina(run: Run, staff: sqlite3.Connection) -> None:
    assert _names(run("osoby", "lista", "-i", "MOPS", "-f", "json")) == ["Ewa Lis", "Łukasz Łęcki"]
    assert _names(run("osoby", "lista", "--gmina", "Zawiercie", "-f", "json")) == [
        "Olga Zając",
        "Piotr Żak",
    ]
    assert _names(run("osoby", "lista", "-g", "1012011", "-i", "PCPR", "-f", "json")) == [
        "Anna Nowak"
    ]


def test_list_formats(run: Run, staff: sqlite3.Connection) -> None:
    rows = json.loads(run("osoby", "lista", "-i", "PCPR", "-f", "json").stdout)
    assert list(rows[0]) == list(persons.Person.__dataclass_fields__)
    assert rows[0]["instytucja_nazwa"] == PCPR
    assert rows[0]["telefon"] == "+48 600 100 200"
    lines = run("osoby", "lista", "-i", "MOPS", "-f", "csv").stdout.splitlines()
    assert lines[0] == "id,uuid,imie_nazwisko,stanowisko,telefon,email,instytucja,instytucja_nazwa"
    assert lines[1].endswith(f",Ewa Lis,,,e.lis@example.pl,2,{MOPS}")
    table = run("osoby", "lista", "-i", "PCPR").stdout
    for fragment in ("Imię i", "Stanowisko", "Instytucja", "Anna Nowak", "dyrektor"):
        assert fragment in table


def test_list_empty_and_errors(run: Run, staff: sqlite3.Connection, db_path: Path) -> None:
    assert run("osoby", "lista", "-g", "1012122").stdout == (
        "Brak osób spełniających warunki.\n"
        f"Baza danych: {db_path}. Inną bazę wskaż opcją --baza PLIK.\n"
    )
    _fails(run("osoby", "lista", "-g", "Radomsko"), 1, "niejednoznaczna", "Podaj kod TERYT")
    _fails(run("osoby", "lista", "-i", "Urząd"), 1, "nie znaleziono instytucji")


# ---- edytuj ------------------------------------------------------------------------------


def test_edit_changes_given_fields_and_logs_them(
    run: Run, query: Query, staff: sqlite3.Connection
) -> None:
    result = run(
        "osoby", "edytuj", "nowak", "--stanowisko", "zastępca dyrektora", "--instytucja", "MOPS"
    )
    assert result.exit_code == 0, result
    assert "Zmieniono dane osoby Anna Nowak" in result.stdout
    assert "Stanowisko: dyrektor → zastępca dyrektora" in result.stdout
    assert f"Instytucja: {PCPR} (PCPR, nr 1) → {MOPS} (MOPS, nr 2)" in result.stdout
    assert query("SELECT stanowisko, instytucja, telefon FROM osoby WHERE id = 1") == [
        ("zastępca dyrektora", 2, "+48 600 100 200")
    ]
    assert query(
        "SELECT tabela, rekord, pole, stara, nowa FROM _zmiany "
        "WHERE operacja = 'zmiana' ORDER BY pole"
    ) == [
        ("osoby", 1, "instytucja", "1", "2"),
        ("osoby", 1, "stanowisko", "dyrektor", "zastępca dyrektora"),
    ]


def test_edit_clears_and_renames(run: Run, query: Query, staff: sqlite3.Connection) -> None:
    result = run("osoby", "edytuj", "1", "--telefon", "", "--imie-nazwisko", "Anna Nowak-Lis")
    assert result.exit_code == 0, result
    assert "Telefon: +48 600 100 200 → (puste)" in result.stdout
    assert query("SELECT imie_nazwisko, telefon FROM osoby WHERE id = 1") == [
        ("Anna Nowak-Lis", None)
    ]


def test_edit_with_nothing_new(run: Run, query: Query, staff: sqlite3.Connection) -> None:
    result = run("osoby", "edytuj", "Anna Nowak", "--telefon", "600 100 200")
    assert result.stdout == "Nic nie zmieniono.\n"
    assert query("SELECT count(*) FROM _zmiany WHERE operacja = 'zmiana'") == [(0,)]


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["1", "--telefon", "0"], ["niepoprawny numer telefonu"]),
        (["1", "--email", "x"], ["niepoprawny adres e-mail"]),
        (["1", "--imie-nazwisko", ""], ["nie mogą być puste"]),
        (["1", "--instytucja", "w radomsku"], ["niejednoznaczna"]),
        (["Anna Nowak", "--instytucja", "MOPS", "--imie-nazwisko", "Ewa Lis"], ["już zapisana"]),
        (["77", "--stanowisko", "x"], ["nie ma osoby o numerze 77"]),
        (["Kowalski", "--stanowisko", "x"], ['nie znaleziono osoby "Kowalski"']),
        (["a", "--stanowisko", "x"], ["niejednoznaczna", "Podaj numer osoby"]),
    ],
)
def test_edit_refuses_bad_input(
    run: Run, db_path: Path, staff: sqlite3.Connection, args: list[str], fragments: list[str]
) -> None:
    before = snapshot(db_path)
    _fails(run("osoby", "edytuj", *args), 1, *fragments)
    assert snapshot(db_path) == before


# ---- usun --------------------------------------------------------------------------------


def test_remove_erases_personal_data_everywhere(
    run: Run, query: Query, staff: sqlite3.Connection
) -> None:
    team = factories.team(staff)
    first = factories.meeting(staff, team, "2019-09-25", "Muzeum Regionalne")
    second = factories.meeting(staff, team, "2019-11-20", "MOPS")
    factories.attendance(staff, first, 1, 1)
    # At the second meeting PCPR already has an anonymous row besides Anna's.
    factories.attendance(staff, second, 1, None)
    factories.attendance(staff, second, 1, 1)
    assert run("osoby", "edytuj", "1", "--email", "a.nowak@example.pl").exit_code == 0
    assert run("instytucje", "edytuj", "1", "--uwagi", "bez zmian").exit_code == 0

    result = run("osoby", "usun", "Anna Nowak", "--tak")
    assert result.exit_code == 0, result
    assert result.stdout == (
        "Usunięto dane osoby nr 1: Anna Nowak (także z list obecności, deklaracji, usług "
        "i z historii zmian).\n"
    )
    assert query("SELECT count(*) FROM osoby WHERE id = 1") == [(0,)]
    assert query("SELECT spotkanie, instytucja, osoba FROM obecnosci ORDER BY spotkanie") == [
        (first, 1, None),
        (second, 1, None),
    ]
    assert query(
        "SELECT tabela, pole, stara, nowa FROM _zmiany WHERE operacja = 'zmiana' ORDER BY tabela"
    ) == [("instytucje", "uwagi", None, "bez zmian")]
    assert query(
        "SELECT rekord, operacja, stara, nowa FROM _zmiany WHERE tabela = 'osoby' AND rekord = 1"
    ) == [(1, "wymazanie", None, None)]
    # Nothing left in the history names her or points at her.
    dump = str(query("SELECT * FROM _zmiany"))
    assert "Nowak" not in dump
    assert "a.nowak@example.pl" not in dump
    assert '"osoba":1' not in dump


def test_remove_keeps_other_attendees(run: Run, query: Query, staff: sqlite3.Connection) -> None:
    team = factories.team(staff)
    meeting = factories.meeting(staff, team, "2019-09-25", "Muzeum Regionalne")
    factories.attendance(staff, meeting, 2, 2)
    factories.attendance(staff, meeting, 2, 3)
    assert run("osoby", "usun", "2", "--tak").exit_code == 0
    assert run("osoby", "usun", "3", "--tak").exit_code == 0
    assert query("SELECT instytucja, osoba FROM obecnosci") == [(2, None)]


def test_remove_needs_confirmation(
    run: Run,
    query: Query,
    db_path: Path,
    staff: sqlite3.Connection,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = snapshot(db_path)
    _fails(run("osoby", "usun", "Piotr Żak"), 1, "Dodaj opcję --tak")
    assert snapshot(db_path) == before
    monkeypatch.setattr("kooperacje.commands._common.stdin_is_terminal", lambda: True)
    declined = run("osoby", "usun", "Piotr Żak", input="n\n")
    assert f"Usunąć wszystkie dane osoby nr 4: Piotr Żak, {KPP}?" in declined.stdout
    _fails(declined, 1, "przerwano")
    assert snapshot(db_path) == before
    assert run("osoby", "usun", "piotr zak", input="y\n").exit_code == 0
    assert query("SELECT count(*) FROM osoby WHERE id = 4") == [(0,)]


def test_remove_errors(run: Run, db_path: Path, staff: sqlite3.Connection) -> None:
    before = snapshot(db_path)
    _fails(run("osoby", "usun", "55", "--tak"), 1, "nie ma osoby o numerze 55")
    _fails(run("osoby", "usun", "", "--tak"), 1, "podaj osobę")
    # Never a fragment of a name: "ak" is in Nowak, Zając and Żak, "zak" only in Żak.
    _fails(run("osoby", "usun", "ak", "--tak"), 1, 'nie ma osoby o imieniu i nazwisku "ak"')
    _fails(run("osoby", "usun", "zak", "--tak"), 1, "Podobne: 4: Piotr Żak")
    _fails(run("osoby", "usun", "99999999999999999999999", "--tak"), 1, "nie ma osoby o numerze")
    _fails(run("osoby", "usun", "--tak"), 2, "brak wymaganego argumentu OSOBA")
    assert snapshot(db_path) == before


def test_for_institutions_groups_people_in_one_query(
    db_path: Path, staff: sqlite3.Connection
) -> None:
    db = open_db(db_path)
    try:
        grouped = persons.for_institutions(db, [2, 3, 1, 9])
    finally:
        db.conn.close()
    assert {k: [p.imie_nazwisko for p in v] for k, v in grouped.items()} == {
        1: ["Anna Nowak"],
        2: ["Ewa Lis", "Łukasz Łęcki"],
        3: ["Olga Zając", "Piotr Żak"],
        9: [],
    }
