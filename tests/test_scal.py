"""`kooperacje scal`: two coordinators' files, built through the CLI, merged into one."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from kooperacje.store.migrations import migrations
from tests.conftest import Result, snapshot

Run = Callable[..., Result]
NIP_PCPR = "526-025-09-95"
NAKLO = "0410033"
PCPR = "Powiatowe Centrum Pomocy Rodzinie w Radomsku"
PROJECT = "Kooperacje 3D – Model wielosektorowej współpracy na rzecz osób i rodzin"


def _ok(result: Result) -> Result:
    assert result.exit_code == 0, result.stderr
    return result


def _in(run: Run, path: Path, *args: str) -> Result:
    return _ok(run("--baza", str(path), *args))


def _stamp(path: Path, table: str, name: str, when: str) -> None:
    """Put a record's last change at a known time (edits within one second tie)."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(f"UPDATE {table} SET zmieniono = ? WHERE nazwa = ?", (when, name))
    conn.close()


@pytest.fixture
def coordinator_a(run: Run, tmp_path: Path) -> Path:
    """Radomsko (gmina miejska, łódzkie): MOPS, the powiat's PCPR, a meeting, a service."""
    path = tmp_path / "radomsko.db"
    _in(run, path, "baza", "utworz")
    _in(run, path, "instytucje", "dodaj", "Miejski Ośrodek Pomocy Społecznej w Radomsku",
        "-g", "1012011", "-s", "pomoc_spoleczna", "--skrot", "MOPS")  # fmt: skip
    _in(run, path, "instytucje", "dodaj", PCPR, "-g", "1012011", "-s", "rodzina",
        "--skrot", "PCPR", "--nip", NIP_PCPR)  # fmt: skip
    _in(run, path, "zespoly", "zaloz", "--gmina", "1012011", "--data", "2019-09-25")
    _in(run, path, "osoby", "dodaj", "Anna Nowak", "--instytucja", "MOPS",
        "--email", "anna.nowak@mops.radomsko.pl")  # fmt: skip
    _in(run, path, "spotkania", "dodaj", "--gmina", "1012011", "--data", "2019-09-25",
        "--rodzaj", "inicjujace", "--miejsce", "Muzeum Regionalne w Radomsku")  # fmt: skip
    _in(run, path, "spotkania", "obecnosc", "1", "MOPS", "PCPR")
    _in(run, path, "spotkania", "obecnosc", "1", "MOPS", "--osoba", "Anna Nowak")
    _in(run, path, "deklaracje", "dodaj", "--instytucja", "MOPS", "--gmina", "1012011",
        "--data", "2019-09-25", "--spotkanie", "1")  # fmt: skip
    _in(run, path, "deklaracje", "dodaj", "--instytucja", "PCPR", "--gmina", "1012011",
        "--data", "2019-10-09")  # fmt: skip
    _in(run, path, "uslugi", "dodaj", "Poradnictwo rodzinne", "--instytucja", "PCPR",
        "--obszar", "wspieranie_rodziny", "--dla", "rodziny", "--zasieg", "powiat")  # fmt: skip
    _in(run, path, "instytucje", "edytuj", "PCPR", "--telefon", "44 715 07 95")
    _stamp(path, "instytucje", PCPR, "2020-01-10T10:00:00Z")
    return path


@pytest.fixture
def coordinator_b(run: Run, tmp_path: Path) -> Path:
    """Radomsko (gmina wiejska, łódzkie) and Nakło nad Notecią (kujawsko-pomorskie); the
    same PCPR registered separately, its phone changed later than in file A."""
    path = tmp_path / "gminy-b.db"
    _in(run, path, "baza", "utworz")
    _in(run, path, "instytucje", "dodaj", "Gminny Ośrodek Pomocy Społecznej w Radomsku",
        "-g", "1012122", "-s", "pomoc_spoleczna", "--skrot", "GOPS")  # fmt: skip
    _in(run, path, "instytucje", "dodaj", PCPR, "-g", "1012011", "-s", "rodzina",
        "--skrot", "PCPR", "--nip", NIP_PCPR)  # fmt: skip
    _in(run, path, "instytucje", "dodaj", "Ośrodek Pomocy Społecznej w Nakle nad Notecią",
        "-g", NAKLO, "-s", "pomoc_spoleczna", "--skrot", "MGOPS")  # fmt: skip
    _in(run, path, "zespoly", "zaloz", "--gmina", "1012122", "--data", "2019-10-01")
    _in(run, path, "zespoly", "zaloz", "--gmina", NAKLO, "--data", "2020-02-11")
    for who, gmina in (("GOPS", "1012122"), ("PCPR", "1012122"), ("MGOPS", NAKLO)):
        _in(run, path, "deklaracje", "dodaj", "--instytucja", who, "--gmina", gmina,
            "--data", "2020-02-11")  # fmt: skip
    _in(run, path, "instytucje", "edytuj", "PCPR", "--telefon", "44 683 36 25")
    _stamp(path, "instytucje", PCPR, "2020-03-01T09:00:00Z")
    return path


def _merge(run: Run, *paths: Path, extra: tuple[str, ...] = ()) -> dict[str, object]:
    result = _ok(run("scal", *map(str, paths), "--format", "json", *extra))
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def test_two_files_merge_into_one(
    run: Run, query: Callable[..., list[tuple[object, ...]]],
    coordinator_a: Path, coordinator_b: Path,
) -> None:  # fmt: skip
    report = _merge(run, coordinator_a, coordinator_b)
    files = report["pliki"]
    assert isinstance(files, list)
    assert [f["plik"] for f in files] == ["radomsko.db", "gminy-b.db"]
    assert sorted(query("SELECT gmina FROM zespoly")) == [("0410033",), ("1012011",), ("1012122",)]
    # The PCPR of the powiat is one institution, with the newer phone (file B's).
    assert query("SELECT telefon FROM instytucje WHERE nip = '5260250995'") == [
        ("+48 44 683 36 25",)
    ]
    assert query("SELECT count(*) FROM instytucje") == [(4,)]
    pcpr = query("SELECT id FROM instytucje WHERE nip = '5260250995'")[0][0]
    # Both teams' declarations point at it, and its service from file A stays.
    assert sorted(query(
        "SELECT z.gmina FROM deklaracje d JOIN zespoly z ON z.id = d.zespol "
        "WHERE d.instytucja = ?", (pcpr,),
    )) == [("1012011",), ("1012122",)]  # fmt: skip
    assert query("SELECT nazwa FROM uslugi WHERE instytucja = ?", (pcpr,)) == [
        ("Poradnictwo rodzinne",)
    ]
    assert query(
        "SELECT count(*) FROM obecnosci o JOIN osoby p ON p.id = o.osoba "
        "WHERE p.imie_nazwisko = 'Anna Nowak'"
    ) == [(1,)]
    # The conflict is in the report of file B: the PCPR's phone, file B's version kept.
    assert files[0]["konflikty"] == []
    assert files[1]["konflikty"] == [
        {
            "tabela": "instytucje",
            "rekord": PCPR,
            "pola": ["telefon"],
            "zmieniono_w_bazie": "2020-01-10T10:00:00Z",
            "zmieniono_w_pliku": "2020-03-01T09:00:00Z",
            "wygrywa": "plik",
        }
    ]
    assert files[1]["dodane"]["zespoly"] == 2
    assert files[1]["zmienione"] == {"instytucje": 1}
    # Each team remembers its file.
    origins = "SELECT z.gmina, p.plik FROM _pochodzenie p JOIN zespoly z ON z.id = p.zespol"
    assert sorted(query(origins)) == [
        ("0410033", "gminy-b.db"), ("1012011", "radomsko.db"), ("1012122", "gminy-b.db"),
    ]  # fmt: skip
    shown = _ok(run("zespoly", "pokaz", "1012011"))
    assert "Scalono z pliku:" in shown.stdout and "radomsko.db" in shown.stdout


def test_merging_again_changes_nothing(
    run: Run, db_path: Path, query: Callable[..., list[tuple[object, ...]]],
    coordinator_a: Path, coordinator_b: Path,
) -> None:  # fmt: skip
    _merge(run, coordinator_a, coordinator_b)
    before = snapshot(db_path)
    report = _merge(run, coordinator_a, coordinator_b)
    files = report["pliki"]
    assert isinstance(files, list)
    for found in files:
        assert found["dodane"] == found["zmienione"] == found["usuniete"] == {}
    assert snapshot(db_path) == before
    text = _ok(run("scal", str(coordinator_a)))
    assert "Bez zmian" in text.stdout


def test_the_older_change_loses_and_is_listed(
    run: Run, query: Callable[..., list[tuple[object, ...]]],
    coordinator_a: Path, coordinator_b: Path,
) -> None:  # fmt: skip
    report = _merge(run, coordinator_b, coordinator_a)
    files = report["pliki"]
    assert isinstance(files, list)
    assert [c["wygrywa"] for c in files[1]["konflikty"]] == ["baza"]
    assert query("SELECT telefon FROM instytucje WHERE nip = '5260250995'") == [
        ("+48 44 683 36 25",)
    ]
    table = _ok(run("scal", str(coordinator_a), str(coordinator_b), "--proba"))
    assert "Rozbieżności (1): wygrywa nowsza zmiana." in table.stdout
    assert "instytucja: Powiatowe Centrum Pomocy Rodzinie w Radomsku" in table.stdout


def test_the_file_replaces_what_the_target_holds_for_its_teams(
    run: Run, query: Callable[..., list[tuple[object, ...]]], coordinator_a: Path
) -> None:
    _merge(run, coordinator_a)
    _in(run, coordinator_a, "deklaracje", "usun", "1", "--tak")
    _in(run, coordinator_a, "spotkania", "usun", "1", "--tak")
    _in(run, coordinator_a, "spotkania", "dodaj", "--gmina", "1012011", "--data", "2019-10-09",
        "--rodzaj", "posiedzenie", "--miejsce", "MOPS Radomsko")  # fmt: skip
    report = _merge(run, coordinator_a)
    files = report["pliki"]
    assert isinstance(files, list)
    assert files[0]["usuniete"] == {"spotkania": 1, "deklaracje": 1}
    assert query("SELECT data, miejsce FROM spotkania") == [("2019-10-09", "MOPS Radomsko")]
    assert query("SELECT count(*) FROM obecnosci") == [(0,)]


def test_trial_run_writes_nothing(
    run: Run, db_path: Path, coordinator_a: Path, coordinator_b: Path
) -> None:
    _ok(run("baza", "utworz"))
    before = db_path.read_bytes()
    report = _merge(run, coordinator_a, coordinator_b, extra=("--proba",))
    assert report["proba"] is True
    files = report["pliki"]
    assert isinstance(files, list)
    assert files[0]["dodane"]["zespoly"] == 1
    assert db_path.read_bytes() == before
    text = _ok(run("scal", str(coordinator_a), "--proba"))
    assert "Próba: niczego nie zapisano." in text.stdout
    assert db_path.read_bytes() == before


def _damaged(source: Path, tmp_path: Path) -> Path:
    path = tmp_path / "uszkodzony.db"
    data = bytearray(source.read_bytes())
    page = 4096
    for start in range(page * 2, min(len(data), page * 40), page):
        data[start + 8 : start + 200] = b"\xff" * 192
    path.write_bytes(bytes(data))
    return path


def _foreign(tmp_path: Path) -> Path:
    path = tmp_path / "inny.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE faktury (id INTEGER PRIMARY KEY, kwota REAL)")
    conn.commit()
    conn.close()
    return path


def _newer(source: Path, tmp_path: Path) -> Path:
    path = tmp_path / "nowsza.db"
    shutil.copyfile(source, path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('kooperacje', 'm999_future', '2030-01-01')"
        )
    conn.close()
    return path


@pytest.mark.parametrize(
    ("make", "words"),
    [
        ("damaged", ["uszkodzony.db", "uszkodzony"]),
        ("foreign", ["inny.db", "innego programu"]),
        ("newer", ["nowsza.db", "nowszej wersji"]),
        ("empty", ["pusty.db", "pusty (0 bajtów)"]),
        ("text", ["notatka.db", "nie jest bazą danych SQLite"]),
        ("directory", ["katalog", "jest katalogiem"]),
        ("missing", ["brak.db", "nie istnieje"]),
        ("live", ["test.db", "nie można scalić bazy z nią samą"]),
        ("link", ["dowiazanie.db", "nie można scalić bazy z nią samą"]),
    ],
)
def test_a_bad_file_leaves_the_target_byte_identical(
    run: Run, db_path: Path, tmp_path: Path, coordinator_a: Path, coordinator_b: Path,
    make: str, words: list[str],
) -> None:  # fmt: skip
    _merge(run, coordinator_a)
    before = db_path.read_bytes()
    bad = {
        "damaged": lambda: _damaged(coordinator_b, tmp_path),
        "foreign": lambda: _foreign(tmp_path),
        "newer": lambda: _newer(coordinator_b, tmp_path),
        "empty": lambda: _write(tmp_path / "pusty.db", b""),
        "text": lambda: _write(tmp_path / "notatka.db", "zespół;gmina\n".encode()),
        "directory": lambda: _directory(tmp_path / "katalog"),
        "missing": lambda: tmp_path / "brak.db",
        "live": lambda: db_path,
        "link": lambda: _link(tmp_path / "dowiazanie.db", db_path),
    }[make]()
    incoming = bad.read_bytes() if bad.is_file() else None
    # A good file with it: the whole merge is refused.
    result = run("scal", str(coordinator_b), str(bad))
    assert result.exit_code == 1, result.stdout
    assert result.stderr.startswith("Błąd: ")
    for word in words:
        assert word in result.stderr
    assert "Traceback" not in result.stderr
    assert db_path.read_bytes() == before
    if incoming is not None:
        assert bad.read_bytes() == incoming
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(("-wal", "-journal", "-shm"))]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _directory(path: Path) -> Path:
    path.mkdir()
    return path


def _link(path: Path, to: Path) -> Path:
    os.symlink(to, path)
    return path


def test_a_bad_file_creates_no_new_database(run: Run, db_path: Path, tmp_path: Path) -> None:
    result = run("scal", str(_foreign(tmp_path)))
    assert result.exit_code == 1
    assert "innego programu" in result.stderr
    assert not db_path.exists()


def test_another_team_of_the_same_gmina_is_refused(
    run: Run, db_path: Path, tmp_path: Path, coordinator_a: Path
) -> None:
    _merge(run, coordinator_a)
    before = db_path.read_bytes()
    other = tmp_path / "drugi.db"
    _in(run, other, "zespoly", "zaloz", "--gmina", "1012011", "--data", "2020-01-01")
    result = run("scal", str(other))
    assert result.exit_code == 1
    assert "drugi.db" in result.stderr and "gmina ma jeden zespół" in result.stderr
    assert db_path.read_bytes() == before


def test_a_nip_another_institution_has_is_named_and_nothing_merged(
    run: Run, db_path: Path, coordinator_a: Path
) -> None:
    _merge(run, coordinator_a)
    _ok(run("instytucje", "dodaj", "Fundacja Inna", "-g", "1012011", "-s", "ngo",
            "--nip", "7721796412"))  # fmt: skip
    # Later, in the coordinator's file, MOPS is given the NIP the foundation has here.
    _in(run, coordinator_a, "instytucje", "edytuj", "MOPS", "--nip", "7721796412")
    _stamp(coordinator_a, "instytucje", "Miejski Ośrodek Pomocy Społecznej w Radomsku",
           "2030-01-01T00:00:00Z")  # fmt: skip
    before = snapshot(db_path)
    result = run("scal", str(coordinator_a))
    assert result.exit_code == 1
    assert result.stderr.count("Błąd:") == 1
    for part in ("radomsko.db", "Miejski Ośrodek Pomocy Społecznej w Radomsku",
                 "NIP 7721796412", "Fundacja Inna", "Nic nie scalono"):  # fmt: skip
        assert part in result.stderr, part
    assert "Traceback" not in result.stderr
    assert snapshot(db_path) == before


def test_an_older_file_is_migrated_in_a_copy_and_left_as_it_was(
    run: Run, tmp_path: Path, query: Callable[..., list[tuple[object, ...]]]
) -> None:
    from sqlite_utils import Database

    old = tmp_path / "stara.db"
    db = Database(old)
    migrations.apply(db, stop_before="m015_merge_provenance")
    db.execute(
        "INSERT INTO instytucje (uuid, nazwa, sektor, gmina, utworzono, zmieniono) VALUES "
        "('b5f0d3d6-0000-4000-8000-000000000001', 'Stary Ośrodek', 'inne', '1012011', "
        "'2019-01-01T00:00:00Z', '2019-01-01T00:00:00Z')"
    )
    db.conn.commit()
    db.close()
    before = old.read_bytes()
    _merge(run, old)
    assert query("SELECT nazwa, nazwa_szukaj FROM instytucje") == [
        ("Stary Ośrodek", "stary osrodek")
    ]
    assert old.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("stara")) == ["stara.db"]


def test_a_merge_never_brings_back_an_erased_person(
    run: Run, query: Callable[..., list[tuple[object, ...]]], coordinator_a: Path
) -> None:
    _merge(run, coordinator_a)
    _ok(run("osoby", "usun", "Anna Nowak", "--tak"))
    history = query("SELECT count(*) FROM _zmiany")
    report = _merge(run, coordinator_a)
    assert query("SELECT count(*) FROM osoby") == [(0,)]
    assert query("SELECT count(*) FROM _zmiany") == history
    files = report["pliki"]
    assert isinstance(files, list)
    assert files[0]["dodane"] == {}
    raw = Path(str(query("PRAGMA database_list")[0][2])).read_bytes()
    assert b"anna.nowak@mops" not in raw


def test_a_person_erased_in_the_file_is_erased_here(
    run: Run, query: Callable[..., list[tuple[object, ...]]], coordinator_a: Path
) -> None:
    _merge(run, coordinator_a)
    assert query("SELECT count(*) FROM osoby") == [(1,)]
    _in(run, coordinator_a, "osoby", "usun", "Anna Nowak", "--tak")
    report = _merge(run, coordinator_a)
    files = report["pliki"]
    assert isinstance(files, list)
    assert files[0]["wymazane_osoby"] == 1
    assert query("SELECT count(*) FROM osoby") == [(0,)]
    assert query("SELECT count(*) FROM _wymazania") == [(1,)]


def test_many_files_at_once(run: Run, tmp_path: Path, coordinator_a: Path) -> None:
    copies = []
    for number in range(60):
        copy = tmp_path / f"kopia-{number}.db"
        shutil.copyfile(coordinator_a, copy)
        copies.append(copy)
    report = _merge(run, *copies)
    files = report["pliki"]
    assert isinstance(files, list)
    assert len(files) == 60
    assert all(f["dodane"] == {} for f in files[1:])


def test_no_files_is_a_usage_error(run: Run) -> None:
    result = run("scal")
    assert result.exit_code == 2


def test_partnership_records_are_carried(
    run: Run, db_path: Path, tmp_path: Path, query: Callable[..., list[tuple[object, ...]]],
    coordinator_a: Path, coordinator_b: Path,
) -> None:  # fmt: skip
    """Projects, agreements, team rules, joint meetings and further phones: the same
    project and phone entered in both files are one record after the merge."""
    rules = tmp_path / "regulamin.md"
    rules.write_text("# Regulamin\n\nZespół spotyka się raz na kwartał.\n", "utf-8")
    for path in (coordinator_a, coordinator_b):
        _in(run, path, "projekty", "dodaj", PROJECT, "--skrot", "Kooperacje 3D",
            "--makroregion", "III")  # fmt: skip
        _in(run, path, "instytucje", "telefony", "dodaj", "PCPR", "514 717 195",
            "--opis", "komórka")  # fmt: skip
    _in(run, coordinator_a, "porozumienia", "dodaj", "Porozumienie o współpracy",
        "--strona", "MOPS", "--strona", "PCPR", "--projekt", "Kooperacje 3D")  # fmt: skip
    _in(run, coordinator_a, "zespoly", "regulamin", "dodaj", "--plik", str(rules),
        "--gmina", "1012011", "--data", "2019-10-09")  # fmt: skip
    _in(run, coordinator_b, "spotkania", "dodaj", "--zespol", "1012122", "--zespol", NAKLO,
        "--data", "2020-02-11", "--rodzaj", "posiedzenie", "--miejsce", "Urząd Gminy")  # fmt: skip
    _merge(run, coordinator_a, coordinator_b)
    assert query("SELECT skrot FROM projekty") == [("Kooperacje 3D",)]
    assert query("SELECT count(*) FROM projekty_makroregiony") == [(1,)]
    assert query(
        "SELECT p.nazwa, count(s.id) FROM porozumienia p JOIN porozumienia_strony s "
        "ON s.porozumienie = p.id GROUP BY p.id"
    ) == [("Porozumienie o współpracy", 2)]
    assert query(
        "SELECT z.gmina, r.przyjeto FROM regulaminy r JOIN zespoly z ON z.id = r.zespol"
    ) == [("1012011", "2019-10-09")]
    assert query("SELECT numer FROM instytucje_telefony") == [("+48 514 717 195",)]
    assert sorted(query(
        "SELECT z.gmina FROM spotkania_zespoly sz JOIN zespoly z ON z.id = sz.zespol"
    )) == [(NAKLO,), ("1012011",), ("1012122",)]  # fmt: skip
    # The joint meeting of file B's two teams is one meeting.
    assert query("SELECT count(*) FROM spotkania WHERE data = '2020-02-11'") == [(1,)]
    before = snapshot(db_path)
    report = _merge(run, coordinator_a, coordinator_b)
    files = report["pliki"]
    assert isinstance(files, list)
    assert all(f["dodane"] == f["zmienione"] == f["usuniete"] == {} for f in files)
    assert snapshot(db_path) == before
