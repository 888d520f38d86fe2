"""`osoby usun` and `osoby eksportuj`: erasure by exact identity, by structure, and the
right of access that lists the same traces; backups before an erasure and restoring them."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories
from tests.conftest import Result, snapshot

Run = Callable[..., Result]
Query = Callable[..., list[tuple[object, ...]]]

PCPR = "Powiatowe Centrum Pomocy Rodzinie w Radomsku"
MOPS = "Miejski Ośrodek Pomocy Społecznej w Zduńskiej Woli"
SWITCHBOARD = "+48 44 683 36 25"
MARK = "[dane usunięte]"


@pytest.fixture
def conn(template: Path, db_path: Path) -> Iterator[sqlite3.Connection]:
    """PCPR (1, with a switchboard phone) and MOPS (2); a team and a meeting in Zduńska Wola."""
    shutil.copy(template, db_path)
    connection = factories.connect(db_path)
    factories.institution(
        connection, PCPR, skrot="PCPR", sektor="rodzina", telefon=SWITCHBOARD,
        email="sekretariat@pcpr.example.org",
    )  # fmt: skip
    factories.institution(
        connection, MOPS, skrot="MOPS", gmina="1019011", uwagi="Szkoła z oddziałem w Woli"
    )
    team = factories.team(connection, "1019011", "PZK Zduńska Wola")
    factories.meeting(connection, team, "2019-09-26", "Szkoła Podstawowa nr 2, Zduńska Wola")
    yield connection
    connection.close()


def _ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def _fails(result: Result, *fragments: str) -> None:
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stderr.startswith("Błąd: "), result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def _history(query: Query) -> list[tuple[object, ...]]:
    return query("SELECT id, tabela, rekord, pole, stara, nowa, kiedy, operacja FROM _zmiany")


# ---- who is erased -------------------------------------------------------------------------


def test_a_name_shared_by_two_people_lists_them_and_erases_nobody(
    run: Run, db_path: Path, conn: sqlite3.Connection
) -> None:
    factories.person(conn, 1, "Anna Nowak", stanowisko="psycholog")
    factories.person(conn, 2, "Anna Nowak")
    before = snapshot(db_path)
    _fails(
        run("osoby", "usun", "anna nowak", "--tak"),
        "nosi kilka osób", f"1: Anna Nowak ({PCPR})", f"2: Anna Nowak ({MOPS})", "numer osoby",
    )  # fmt: skip
    assert snapshot(db_path) == before


def test_erasure_by_uuid_and_the_confirmation_says_who(
    run: Run, query: Query, conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    factories.person(conn, 1, "Anna Nowak", stanowisko="psycholog")
    factories.person(conn, 2, "Jan Kowalski")
    (uuid,) = query("SELECT uuid FROM osoby WHERE id = 1")[0]
    monkeypatch.setattr("kooperacje.commands._common.stdin_is_terminal", lambda: True)
    declined = run("osoby", "usun", str(uuid).upper(), input="n\n")
    assert f"Usunąć wszystkie dane osoby nr 1: Anna Nowak, psycholog, {PCPR}?" in declined.stdout
    assert query("SELECT count(*) FROM osoby") == [(2,)]
    _ok(run("osoby", "usun", str(uuid), input="y\n"))
    assert query("SELECT imie_nazwisko FROM osoby") == [("Jan Kowalski",)]
    _fails(run("osoby", "usun", str(uuid), "--tak"), "nie ma osoby o UUID")


# ---- what is erased, and what is not -------------------------------------------------------


def test_a_one_word_name_is_erased_only_where_it_is_a_whole_value(
    run: Run, query: Query, conn: sqlite3.Connection
) -> None:
    factories.person(conn, 2, "Ola", email="ola@mops.example.org")
    factories.person(conn, 2, "Ola Nowak")
    ola = factories.service(
        conn, 2, "Świetlica", "wspieranie_rodziny", kontakt_osoba="Ola",
        zweryfikowal="Ola", kontakt="Ola, ola@mops.example.org",
        opis="Zajęcia prowadzi Ola w szkole w Zduńskiej Woli",
    )  # fmt: skip
    other = factories.service(
        conn, 2, "Poradnictwo", "pomoc_spoleczna", kontakt_osoba="Ola Nowak",
        opis="Kontakt: Ola Nowak",
    )  # fmt: skip
    factories.declaration(conn, 1, 2, "2019-10-01", podpisal="Ola")
    before = _history(query)

    _ok(run("osoby", "usun", "Ola", "--tak"))
    assert query(
        "SELECT kontakt_osoba, zweryfikowal, kontakt, opis FROM uslugi WHERE id = ?", (ola,)
    ) == [(None, None, f"Ola, {MARK}", "Zajęcia prowadzi Ola w szkole w Zduńskiej Woli")]
    assert query("SELECT kontakt_osoba, opis FROM uslugi WHERE id = ?", (other,)) == [
        ("Ola Nowak", "Kontakt: Ola Nowak")
    ]
    assert query("SELECT podpisal FROM deklaracje") == [(None,)]
    after = _history(query)
    # The institution, the meeting, the team and Ola Nowak's records keep their history.
    untouched = [
        row
        for row in before
        if row[1] in ("instytucje", "spotkania", "zespoly")
        or (row[1] == "osoby" and row[2] == 2)
        or (row[1] == "uslugi" and row[2] == other)
    ]
    assert [row for row in untouched if row not in after] == []


def test_the_switchboard_phone_stays_the_institutions(
    run: Run, query: Query, conn: sqlite3.Connection
) -> None:
    factories.person(conn, 1, "Ewa Lis", telefon=SWITCHBOARD, email="ewa.lis@pcpr.example.org")
    service = factories.service(
        conn, 1, "Informacja", "piecza_zastepcza", kontakt_telefon=SWITCHBOARD,
        kontakt_osoba="Ewa Lis", opis="Sekretariat, tel. 44 683-36-25, Ewa Lis",
    )  # fmt: skip
    institution = query("SELECT * FROM instytucje WHERE id = 1")
    _ok(run("osoby", "usun", "Ewa Lis", "--tak"))
    found = query(
        "SELECT kontakt_telefon, kontakt_osoba, opis FROM uslugi WHERE id = ?", (service,)
    )
    assert found == [(SWITCHBOARD, None, f"Sekretariat, tel. 44 683-36-25, {MARK}")]
    assert query("SELECT * FROM instytucje WHERE id = 1") == institution


def test_namesakes_keep_what_is_theirs(run: Run, query: Query, conn: sqlite3.Connection) -> None:
    """Two Anna Nowak: a name in a record of the other's institution is the other's."""
    factories.person(conn, 1, "Anna Nowak")
    factories.person(conn, 2, "Anna Nowak")
    pcpr = factories.service(conn, 1, "A", "pomoc_spoleczna", kontakt_osoba="Anna Nowak")
    mops = factories.service(conn, 2, "B", "pomoc_spoleczna", kontakt_osoba="Anna Nowak")
    _ok(run("osoby", "usun", "1", "--tak"))
    assert query("SELECT id, kontakt_osoba FROM uslugi ORDER BY id") == [
        (pcpr, None),
        (mops, "Anna Nowak"),
    ]


def test_former_contacts_are_erased_too(run: Run, query: Query, conn: sqlite3.Connection) -> None:
    _ok(run("osoby", "dodaj", "Jan Kowalski", "-i", "PCPR", "--email", "jan@stary.example.org"))
    factories.service(
        conn, 1, "Poradnictwo", "pomoc_spoleczna", kontakt_email="jan@stary.example.org"
    )
    _ok(run("osoby", "edytuj", "1", "--email", "jan@nowy.example.org", "--telefon", "600 100 200"))
    _ok(run("osoby", "usun", "Jan Kowalski", "--tak"))
    assert query("SELECT kontakt_email FROM uslugi") == [(None,)]
    dump = str(query("SELECT * FROM _zmiany"))
    for trace in ("stary.example.org", "nowy.example.org", "600 100 200", "Kowalski"):
        assert trace not in dump


def test_the_log_holds_the_uuid_and_time_only(
    run: Run, query: Query, conn: sqlite3.Connection
) -> None:
    factories.person(conn, 1, "Anna Nowak")
    factories.person(conn, 1, "Jan Kowalski")
    (uuid,) = query("SELECT uuid FROM osoby WHERE id = 1")[0]
    _ok(run("osoby", "usun", "1", "--tak"))
    rows = query("SELECT * FROM _wymazania")
    assert [(r[1]) for r in rows] == [uuid]
    assert "Nowak" not in str(rows)
    # Deleting an institution erases its staff: they are logged too.
    factories.institution(conn, "Fundacja Razem", skrot="FR", sektor="ngo")
    factories.person(conn, 3, "Ewa Lis")
    _ok(run("instytucje", "usun", "FR", "--tak"))
    assert query("SELECT count(*) FROM _wymazania") == [(2,)]
    assert "Ewa Lis" not in str(query("SELECT * FROM _zmiany"))


# ---- the right of access lists the same ----------------------------------------------------


def test_right_of_access_lists_services_history_and_no_one_else(
    run: Run, conn: sqlite3.Connection
) -> None:
    factories.person(conn, 1, "Jan Kowalski", email="jan@pcpr.example.org")
    factories.person(conn, 1, "Anna Nowak")
    factories.service(
        conn, 1, "Poradnictwo", "pomoc_spoleczna", kontakt_osoba="Jan Kowalski",
        opis="Prowadzą Jan Kowalski i Anna Nowak",
    )  # fmt: skip
    factories.service(conn, 1, "Inna", "pomoc_spoleczna", kontakt_osoba="Anna Nowak")
    data = json.loads(_ok(run("osoby", "eksportuj", "Jan Kowalski")).stdout)
    assert [(s["nazwa"], sorted(s["pola"])) for s in data["uslugi"]] == [
        ("Poradnictwo", ["kontakt_osoba", "opis"])
    ]
    entries = data["historia_innych_wpisow"]
    assert [(e["tabela"], e["operacja"]) for e in entries] == [("uslugi", "dodanie")]
    assert {d["pole"] for d in entries[0]["dane"]} == {"kontakt_osoba", "opis"}
    # The other service (only Anna's) is not in Jan's document.
    assert "Inna" not in json.dumps(data, ensure_ascii=False)
    _fails(run("osoby", "eksportuj", "kowalski"), "nie ma osoby o imieniu i nazwisku")


# ---- backups ------------------------------------------------------------------------------


def test_backups_holding_the_person_are_named(
    run: Run, conn: sqlite3.Connection, db_path: Path, tmp_path: Path
) -> None:
    factories.person(conn, 1, "Anna Nowak")
    pendrive = tmp_path / "pendrive"
    pendrive.mkdir()
    _ok(run("baza", "kopia", str(pendrive / "przed.db")))
    _ok(run("baza", "kopia"))
    listed = json.loads(_ok(run("baza", "kopie", "-f", "json")).stdout)
    assert [Path(b["sciezka"]).parent for b in listed] == [pendrive, db_path.parent]
    assert all(b["dostepna"] for b in listed)
    # Unplugged: still named, as not reachable now.
    (pendrive / "przed.db").rename(tmp_path / "gdzie-indziej.db")
    factories.person(conn, 1, "Jan Kowalski")
    result = _ok(run("osoby", "usun", "Jan Kowalski", "--tak"))
    # Jan was added after both backups: none holds him, except the unreachable one may.
    assert "przed.db (niedostępna" in result.stdout
    assert "kopia-" not in result.stdout
    result = _ok(run("osoby", "usun", "Anna Nowak", "--tak"))
    assert "kopia-" in result.stdout
    assert "Zniszcz te kopie albo zastąp je nowymi" in result.stdout


def test_restoring_an_older_backup_warns_and_erases_again(
    run: Run, query: Query, conn: sqlite3.Connection, db_path: Path, tmp_path: Path
) -> None:
    factories.person(conn, 1, "Anna Nowak", email="anna@pcpr.example.org")
    factories.service(conn, 1, "Poradnictwo", "pomoc_spoleczna", kontakt_osoba="Anna Nowak")
    backup = tmp_path / "kopia.db"
    _ok(run("baza", "kopia", str(backup)))
    conn.close()
    _ok(run("osoby", "usun", "Anna Nowak", "--tak"))
    result = _ok(run("baza", "przywroc", str(backup), "--tak"))
    assert "kopia zawiera dane osób (1), które usunięto na żądanie" in result.stdout
    assert "Ponownie usunięto dane osób (1)" in result.stdout
    assert query("SELECT count(*) FROM osoby") == [(0,)]
    assert query("SELECT kontakt_osoba FROM uslugi") == [(None,)]
    assert len(query("SELECT * FROM _wymazania")) == 1
    assert "anna@pcpr" not in str(query("SELECT * FROM _zmiany"))
    assert b"anna@pcpr" not in db_path.read_bytes()
    # The restore made no copy of the backup on the way (it would hold Anna again).
    assert sorted(p.name for p in db_path.parent.glob("test.*.db")) == [
        next(p.name for p in db_path.parent.glob("test.przed-przywroceniem-*.db"))
    ]
    # A second restore of the same backup erases her again: the log came along.
    _ok(run("baza", "przywroc", str(backup), "--tak"))
    assert query("SELECT count(*) FROM osoby") == [(0,)]


def test_restoring_a_backup_without_erasures_says_nothing_of_them(
    run: Run, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    factories.person(conn, 1, "Anna Nowak")
    backup = tmp_path / "kopia.db"
    _ok(run("baza", "kopia", str(backup)))
    result = _ok(run("baza", "przywroc", str(backup), "--tak"))
    assert "usunięto" not in result.stdout.lower()


# ---- property: erasing one person touches only their data ------------------------------

TOKENS = ["Ola", "Wola", "Szkoła", "Anna", "Nowak", "Jan", "Kowal", "Kowalski"]
NOISE = ["Zduńska Wola", "Szkoła Podstawowa", "Sekretariat", "Wola Zadybska, szkoła", None]


@dataclass(frozen=True)
class Someone:
    name: str
    institution: int
    phone: str | None
    email: str | None


@dataclass(frozen=True)
class World:
    people: list[Someone]
    # Each service's institution and contact: a person (by index) or a text naming no one.
    services: list[tuple[int, int | str | None]]
    victim: int


@st.composite
def worlds(draw: st.DrawFn) -> World:
    count = draw(st.integers(min_value=2, max_value=4))
    names = draw(
        st.lists(
            st.lists(st.sampled_from(TOKENS), min_size=1, max_size=2).map(" ".join),
            min_size=count,
            max_size=count,
            unique=True,
        )
    )
    people = [
        Someone(
            name,
            draw(st.sampled_from([1, 2])),
            draw(st.sampled_from([SWITCHBOARD, f"+48 600 100 {100 + i}", None])),
            draw(st.sampled_from([f"osoba{i}@example.org", None])),
        )
        for i, name in enumerate(names)
    ]
    contact = st.one_of(st.integers(min_value=0, max_value=count - 1), st.sampled_from(NOISE))
    services = draw(st.lists(st.tuples(st.sampled_from([1, 2]), contact), min_size=1, max_size=4))
    return World(people, services, draw(st.integers(min_value=0, max_value=count - 1)))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=worlds())
def test_erasing_a_random_person_changes_nothing_of_anyone_else(
    run: Run, template: Path, db_path: Path, world: World
) -> None:
    for suffix in ("", "-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    shutil.copy(template, db_path)
    conn = factories.connect(db_path)
    factories.institution(conn, PCPR, skrot="PCPR", sektor="rodzina", telefon=SWITCHBOARD)
    factories.institution(conn, MOPS, skrot="MOPS", gmina="1019011", uwagi="Zduńska Wola")
    # Every word a name is made of, as prose: no one's data, whoever is erased.
    team = factories.team(conn, "1019011", "PZK Zduńska Wola")
    factories.meeting(conn, team, "2019-09-26", "Szkoła", opis=", ".join(TOKENS))
    ids = []
    for someone in world.people:
        contacts = {"telefon": someone.phone, "email": someone.email}
        given = {key: value for key, value in contacts.items() if value}
        ids.append(factories.person(conn, someone.institution, someone.name, **given))
    mine: set[int] = set()
    for number, (institution, contact) in enumerate(world.services):
        name = f"Usługa {number}"
        if isinstance(contact, int):
            who = world.people[contact]
            service = factories.service(
                conn, institution, name, "pomoc_spoleczna", kontakt_osoba=who.name,
                kontakt_telefon=who.phone, kontakt_email=who.email,
            )  # fmt: skip
        else:
            service = factories.service(
                conn, institution, name, "pomoc_spoleczna", kontakt_osoba=contact, opis=contact
            )
        if contact == world.victim:
            mine.add(service)
    conn.close()
    victim = ids[world.victim]
    check = sqlite3.connect(db_path)
    before = check.execute("SELECT * FROM _zmiany").fetchall()
    others = check.execute("SELECT * FROM osoby WHERE id != ?", (victim,)).fetchall()
    check.close()

    _ok(run("osoby", "usun", str(victim), "--tak"))

    check = sqlite3.connect(db_path)
    after = set(check.execute("SELECT * FROM _zmiany").fetchall())
    assert check.execute("SELECT * FROM osoby").fetchall() == others
    check.close()
    for row in before:
        table, record = row[1], row[2]
        if (table == "osoby" and record == victim) or (table == "uslugi" and record in mine):
            continue
        assert row in after, row
    email = world.people[world.victim].email
    if email:
        assert email not in str(after)


def test_a_destroyed_backup_can_be_taken_off_the_list(
    run: Run, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    factories.person(conn, 1, "Anna Nowak")
    backup = tmp_path / "pendrive" / "kopia.db"
    _ok(run("baza", "kopia", str(backup)))
    backup.unlink()
    _fails(run("baza", "kopie", "--zapomnij", str(tmp_path / "inna.db")), "nie ma na liście")
    _ok(run("baza", "kopie", "--zapomnij", str(backup)))
    assert json.loads(_ok(run("baza", "kopie", "-f", "json")).stdout) == []
    assert "kopia.db" not in _ok(run("osoby", "usun", "1", "--tak")).stdout


def test_restoring_over_an_unreadable_database_warns_of_erasures(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    good = tmp_path / "dobra.db"
    factories.connect(good).close()
    db_path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    result = _ok(run("baza", "przywroc", str(good), "--tak"))
    assert "nie wiadomo, czyje dane usunięto" in result.stdout


def test_a_task_teams_remark_written_by_another_program_is_reached(
    run: Run, query: Query, conn: sqlite3.Connection
) -> None:
    """The remark is screened for names when the tool writes it; Datasette does not."""
    factories.person(conn, 2, "Anna Nowak")
    conn.execute(
        "INSERT INTO zzk (uuid, zespol, nazwa, rok, numer, kategoria, data_otwarcia, uwagi, "
        "utworzono, zmieniono) VALUES ('z1', 1, 'ZZK/2020/01', 2020, 1, 'rodzina', "
        "'2020-02-01', 'Koordynuje Anna Nowak z MOPS', 'x', 'x')"
    )
    data = json.loads(_ok(run("osoby", "eksportuj", "1")).stdout)
    assert [z["nazwa"] for z in data["zespoly_zadaniowe"]] == ["ZZK/2020/01"]
    _ok(run("osoby", "usun", "1", "--tak"))
    assert query("SELECT uwagi FROM zzk") == [(f"Koordynuje {MARK} z MOPS",)]
    assert "Nowak" not in str(query("SELECT * FROM _zmiany"))
