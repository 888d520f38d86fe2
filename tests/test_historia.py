"""`kooperacje historia`, the history triggers (m006), erasure and the right of access."""

from __future__ import annotations

import json
import sqlite3
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kooperacje.store.db import open_db
from kooperacje.store.migrations import migrations
from tests import factories
from tests.conftest import Result, snapshot

Run = Callable[..., Result]
Query = Callable[..., list[tuple[object, ...]]]

PCPR = "Powiatowe Centrum Pomocy Rodzinie w Radomsku"
MOPS = "Miejski Ośrodek Pomocy Społecznej w Radomsku"


@pytest.fixture
def conn(db_path: Path) -> Iterator[sqlite3.Connection]:
    connection = factories.connect(db_path)
    yield connection
    connection.close()


def test_every_kind_of_record_is_recorded_when_added_edited_and_deleted(
    run: Run, query: Query, conn: sqlite3.Connection
) -> None:
    pcpr = factories.institution(conn, PCPR, skrot="PCPR", sektor="rodzina")
    mops = factories.institution(conn, MOPS, skrot="MOPS")
    person = factories.person(conn, pcpr, "Anna Nowak")
    team = factories.team(conn)
    meeting = factories.meeting(conn, team, "2019-09-25", "Muzeum Regionalne")
    factories.declaration(conn, team, pcpr, "2019-10-09")
    service = factories.service(conn, pcpr, "Poradnictwo rodzinne", "wspieranie_rodziny")
    assert run("instytucje", "edytuj", "MOPS", "--telefon", "44 715 07 95").exit_code == 0
    assert run("osoby", "edytuj", str(person), "--stanowisko", "dyrektor").exit_code == 0
    assert run("zespoly", "edytuj", str(team), "--nazwa", "PZK Miasta Radomska").exit_code == 0
    assert run("spotkania", "edytuj", str(meeting), "--tytul", "Start").exit_code == 0
    assert run("uslugi", "edytuj", str(service), "--status", "zawieszona").exit_code == 0
    assert run("deklaracje", "usun", "1", "--tak").exit_code == 0

    log = query("SELECT tabela, operacja, pole, stara, nowa FROM _zmiany ORDER BY id")
    added = {row[0] for row in log if row[1] == "dodanie"}
    assert added == {"instytucje", "osoby", "zespoly", "spotkania", "deklaracje", "uslugi"}
    edits = [row for row in log if row[1] == "zmiana"]
    assert ("instytucje", "zmiana", "telefon", None, "+48 44 715 07 95") in edits
    assert ("osoby", "zmiana", "stanowisko", None, "dyrektor") in edits
    assert ("zespoly", "zmiana", "nazwa", "PZK Radomsko", "PZK Miasta Radomska") in edits
    assert ("spotkania", "zmiana", "tytul", None, "Start") in edits
    assert ("uslugi", "zmiana", "status", "aktywna", "zawieszona") in edits
    # Bookkeeping columns are not reported as edits.
    assert not [row for row in edits if row[2] in ("zmieniono", "utworzono", "uuid")]
    deleted = [row for row in log if row[1] == "usuniecie"]
    assert [(row[0], json.loads(str(row[3]))["data"]) for row in deleted] == [
        ("deklaracje", "2019-10-09")
    ]
    assert mops


def test_historia_lists_filters_and_exports(
    run: Run, conn: sqlite3.Connection, query: Query, db_path: Path
) -> None:
    pcpr = factories.institution(conn, PCPR, skrot="PCPR", sektor="rodzina")
    factories.institution(conn, MOPS, skrot="MOPS")
    factories.service(conn, pcpr, "Poradnictwo rodzinne", "wspieranie_rodziny")
    assert run("instytucje", "edytuj", "PCPR", "--uwagi", "nowy adres").exit_code == 0
    assert run("uslugi", "edytuj", "1", "--kontakt", "pokój 12").exit_code == 0

    result = run("historia")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["Kiedy", "Co", "Zmiana", "Pole"]
    assert any("instytucja nr 1" in line and "dodano" in line and PCPR in line for line in lines)
    assert any("usługa nr 1" in line and "kontakt" in line and "pokój 12" in line for line in lines)

    only = json.loads(run("historia", "--instytucja", "MOPS", "-f", "json").stdout)
    assert [(e["tabela"], e["rekord"], e["operacja"]) for e in only] == [
        ("instytucje", 2, "dodanie")
    ]
    # An institution's history includes its services.
    of_pcpr = json.loads(run("historia", "-i", "PCPR", "-f", "json").stdout)
    assert {(e["tabela"], e["operacja"]) for e in of_pcpr} == {
        ("instytucje", "dodanie"),
        ("instytucje", "zmiana"),
        ("uslugi", "dodanie"),
        ("uslugi", "zmiana"),
    }
    service = json.loads(run("historia", "--usluga", "Poradnictwo rodzinne", "-f", "json").stdout)
    assert [(e["pole"], e["nowa"]) for e in service][1:] == [("kontakt", "pokój 12")]
    assert run("historia", "--od", "01.01.2100").stdout == (
        "Brak zapisanych zmian spełniających warunki.\n"
        f"Baza danych: {db_path}. Inną bazę wskaż opcją --baza PLIK.\n"
    )
    everything = run("historia", "--od", "2000-01-01", "-f", "csv").stdout.splitlines()
    assert everything[0] == "id,kiedy,tabela,rekord,operacja,pole,stara,nowa"
    assert len(everything) == 1 + query("SELECT count(*) FROM _zmiany")[0][0]  # type: ignore[operator]


def test_a_deleted_institution_keeps_its_history_by_number(
    run: Run, conn: sqlite3.Connection
) -> None:
    factories.institution(conn, PCPR, skrot="PCPR", sektor="rodzina")
    assert run("instytucje", "usun", "PCPR", "--tak").exit_code == 0
    found = json.loads(run("historia", "-i", "1", "-f", "json").stdout)
    assert [e["operacja"] for e in found] == ["dodanie", "usuniecie"]
    assert json.loads(found[1]["stara"])["nazwa"] == PCPR


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--od", "wczoraj"], 'niepoprawna data "wczoraj"'),
        (["--instytucja", "Nieznana"], 'nie znaleziono instytucji "Nieznana"'),
        (["--usluga", "Nieznana"], 'nie znaleziono usługi "Nieznana"'),
    ],
)
def test_historia_rejects_bad_filters(
    run: Run, conn: sqlite3.Connection, db_path: Path, args: list[str], fragment: str
) -> None:
    before = snapshot(db_path)
    result = run("historia", *args)
    assert result.exit_code == 1
    assert result.stderr.startswith("Błąd: ")
    assert fragment in result.stderr
    assert snapshot(db_path) == before


def test_erasure_leaves_only_a_note(run: Run, query: Query, conn: sqlite3.Connection) -> None:
    pcpr = factories.institution(conn, PCPR, skrot="PCPR", sektor="rodzina")
    team = factories.team(conn)
    meeting = factories.meeting(conn, team, "2019-09-25", "Muzeum Regionalne")
    assert (
        run("osoby", "dodaj", "Anna Nowak", "-i", "PCPR", "--telefon", "600 100 200").exit_code == 0
    )
    assert (
        run("spotkania", "obecnosc", str(meeting), "PCPR", "--osoba", "Anna Nowak").exit_code == 0
    )
    assert (
        run(
            "deklaracje", "dodaj", "-i", "PCPR", "-z", str(team), "-d", "2019-10-09",
            "--podpisal", "Anna Nowak",
        ).exit_code
        == 0
    )  # fmt: skip
    assert run("osoby", "edytuj", "Anna Nowak", "--email", "a.nowak@pcpr.pl").exit_code == 0

    result = run("osoby", "usun", "Anna Nowak", "--tak")
    assert result.exit_code == 0, result.stderr
    assert query("SELECT count(*) FROM osoby") == [(0,)]
    assert query("SELECT podpisal FROM deklaracje") == [(None,)]
    assert query("SELECT instytucja, osoba FROM obecnosci") == [(pcpr, None)]
    everything = str(query("SELECT * FROM _zmiany"))
    for trace in ("Anna", "Nowak", "600 100 200", "a.nowak@pcpr.pl"):
        assert trace not in everything
    notes = query("SELECT rekord, operacja, stara, nowa, kiedy FROM _zmiany WHERE tabela = 'osoby'")
    assert [row[:4] for row in notes] == [(1, "wymazanie", None, None)]
    shown = run("historia").stdout
    assert any(
        "osoba nr 1" in line and "usunięto dane osobowe" in line for line in shown.splitlines()
    )


def test_right_of_access(run: Run, conn: sqlite3.Connection, tmp_path: Path) -> None:
    factories.institution(conn, PCPR, skrot="PCPR", sektor="rodzina")
    team = factories.team(conn)
    meeting = factories.meeting(conn, team, "2019-09-25", "Muzeum Regionalne")
    assert run("osoby", "dodaj", "Anna Nowak", "-i", "PCPR", "--email", "a@pcpr.pl").exit_code == 0
    assert run("spotkania", "obecnosc", str(meeting), "PCPR", "--osoba", "1").exit_code == 0
    assert run("osoby", "edytuj", "1", "--stanowisko", "dyrektor").exit_code == 0

    result = run("osoby", "eksportuj", "Anna Nowak")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["osoba"]["imie_nazwisko"] == "Anna Nowak"
    assert data["osoba"]["email"] == "a@pcpr.pl"
    assert data["instytucja"]["nazwa"] == PCPR
    assert [m["miejsce"] for m in data["obecnosci_na_spotkaniach"]] == ["Muzeum Regionalne"]
    assert [(h["operacja"], h["pole"]) for h in data["historia_zmian"]] == [
        ("dodanie", "*"),
        ("zmiana", "stanowisko"),
    ]

    target = tmp_path / "wydanie" / "anna.json"
    result = run("osoby", "eksportuj", "1", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert json.loads(target.read_text("utf-8"))["osoba"]["id"] == 1
    assert stat.S_IMODE(target.stat().st_mode) == 0o600

    missing = run("osoby", "eksportuj", "7")
    assert missing.exit_code == 1
    assert "nie ma osoby o numerze 7" in missing.stderr


def test_migration_keeps_the_old_log_and_starts_the_triggers(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    from sqlite_utils import Database

    old = Database(conn)
    migrations.apply(old, stop_before="m006_history")
    conn.execute(
        "INSERT INTO instytucje (uuid, nazwa, sektor, gmina, utworzono, zmieniono) "
        "VALUES ('u1', 'PCPR', 'rodzina', '1012011', 'x', 'x')"
    )
    conn.executemany(
        "INSERT INTO _zmiany (tabela, rekord, pole, stara, nowa, kiedy) VALUES (?, ?, ?, ?, ?, ?)",
        [
            ("instytucje", 1, "telefon", None, "+48 44 715 07 95", "2019-10-01T10:00:00Z"),
            ("deklaracje", 3, "*", '{"id": 3}', None, "2019-10-02T10:00:00Z"),
        ],
    )
    conn.commit()
    conn.close()

    db = open_db(path)
    rows = list(db.execute("SELECT tabela, rekord, pole, operacja, kiedy FROM _zmiany ORDER BY id"))
    assert rows == [
        ("instytucje", 1, "telefon", "zmiana", "2019-10-01T10:00:00Z"),
        ("deklaracje", 3, "*", "usuniecie", "2019-10-02T10:00:00Z"),
    ]
    db.execute("UPDATE instytucje SET nazwa = 'PCPR Radomsko' WHERE id = 1")
    assert list(db.execute("SELECT pole, stara, nowa FROM _zmiany WHERE id = 3")) == [
        ("nazwa", "PCPR", "PCPR Radomsko")
    ]
    db.close()
    # A schema change is preceded by a private backup holding the old data.
    backups = list(tmp_path.glob("old.przed-migracja-*.db"))
    assert len(backups) == 1
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    copy = sqlite3.connect(backups[0])
    assert copy.execute("SELECT count(*) FROM _zmiany").fetchone() == (2,)
    assert (
        copy.execute("SELECT name FROM _sqlite_migrations WHERE name = 'm006_history'").fetchall()
        == []
    )
    copy.close()


def test_a_fresh_database_is_private_and_not_backed_up(tmp_path: Path) -> None:
    path = tmp_path / "nowa.db"
    open_db(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nowa.db"]


def test_a_name_in_several_gminas_is_narrowed_by_gmina_or_team(
    run: Run, conn: sqlite3.Connection
) -> None:
    # Two centres with the same abbreviation in two gminas.
    radomsko = factories.institution(conn, "Miejski Ośrodek Pomocy Społecznej", skrot="MOPS")
    factories.institution(conn, "Miejski Ośrodek Pomocy Społecznej", skrot="MOPS", gmina="1062011")
    team = factories.team(conn)
    factories.declaration(conn, team, radomsko, "2019-10-09")

    tie = run("historia", "-i", "MOPS")
    assert tie.exit_code == 1
    assert "jest niejednoznaczna" in tie.stderr
    assert "zawęź wybór opcją --gmina lub --zespol" in tie.stderr

    for narrowing in (["--gmina", "1062011"], ["-g", "Piotrków Trybunalski"]):
        found = json.loads(run("historia", "-i", "MOPS", *narrowing, "-f", "json").stdout)
        assert {(e["tabela"], e["rekord"]) for e in found} == {("instytucje", 2)}
    members = json.loads(run("historia", "-i", "MOPS", "--zespol", "1", "-f", "json").stdout)
    assert {(e["tabela"], e["rekord"]) for e in members} >= {("instytucje", radomsko)}
    assert ("instytucje", 2) not in {(e["tabela"], e["rekord"]) for e in members}
