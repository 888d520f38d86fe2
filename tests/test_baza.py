"""`kooperacje baza`: kopia, przywroc, sprawdz."""

from __future__ import annotations

import sqlite3
import stat
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kooperacje.store.db import open_db
from tests import factories
from tests.conftest import Result, snapshot

Run = Callable[..., Result]
Query = Callable[..., list[tuple[object, ...]]]

PCPR = "Powiatowe Centrum Pomocy Rodzinie w Radomsku"
MOPS = "Miejski Ośrodek Pomocy Społecznej w Radomsku"


@pytest.fixture
def conn(db_path: Path) -> Iterator[sqlite3.Connection]:
    connection = factories.connect(db_path)
    factories.institution(connection, PCPR, skrot="PCPR", sektor="rodzina")
    yield connection
    connection.close()


def _names(path: Path) -> list[str]:
    copy = sqlite3.connect(path)
    try:
        return [row[0] for row in copy.execute("SELECT nazwa FROM instytucje ORDER BY id")]
    finally:
        copy.close()


def test_kopia_to_a_named_file(run: Run, conn: sqlite3.Connection, tmp_path: Path) -> None:
    target = tmp_path / "kopie" / "k.db"
    result = run("baza", "kopia", str(target))
    assert result.exit_code == 0, result.stderr
    assert f"Zapisano kopię bazy w pliku {target}" in result.stdout
    assert _names(target) == [PCPR]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    # One self-contained file: no journal beside it.
    assert sorted(p.name for p in target.parent.iterdir()) == ["k.db"]
    again = run("baza", "kopia", str(target))
    assert again.exit_code == 1
    assert "już istnieje" in again.stderr


def test_kopia_default_name_beside_the_database(
    run: Run, conn: sqlite3.Connection, db_path: Path
) -> None:
    assert run("baza", "kopia").exit_code == 0
    copies = list(db_path.parent.glob("test.kopia-*.db"))
    assert len(copies) == 1
    assert _names(copies[0]) == [PCPR]


def test_kopia_while_another_connection_writes(
    run: Run, conn: sqlite3.Connection, db_path: Path, tmp_path: Path
) -> None:
    stop = threading.Event()

    def writer() -> None:
        other = sqlite3.connect(db_path, timeout=10)
        number = 0
        while not stop.is_set():
            number += 1
            with other:
                other.execute(
                    "INSERT INTO instytucje (uuid, nazwa, sektor, gmina, utworzono, zmieniono) "
                    "VALUES (?, ?, 'inne', '1012011', 'x', 'x')",
                    (f"w{number}", f"Instytucja {number}"),
                )
        other.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        results = [run("baza", "kopia", str(tmp_path / f"k{i}.db")) for i in range(3)]
    finally:
        stop.set()
        thread.join()
    assert [r.exit_code for r in results] == [0, 0, 0], [r.stderr for r in results]
    for i in range(3):
        check = sqlite3.connect(tmp_path / f"k{i}.db")
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        check.close()


def test_przywroc_keeps_the_replaced_database(
    run: Run, conn: sqlite3.Connection, db_path: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "k.db"
    assert run("baza", "kopia", str(backup)).exit_code == 0
    factories.institution(conn, MOPS, skrot="MOPS")
    conn.close()
    refused = run("baza", "przywroc", str(backup))
    assert refused.exit_code == 1
    assert "Dodaj opcję --tak" in refused.stderr
    assert _names(db_path) == [PCPR, MOPS]

    result = run("baza", "przywroc", str(backup), "--tak")
    assert result.exit_code == 0, result.stderr
    assert _names(db_path) == [PCPR]
    kept = list(db_path.parent.glob("test.przed-przywroceniem-*.db"))
    assert len(kept) == 1
    assert _names(kept[0]) == [PCPR, MOPS]
    assert stat.S_IMODE(kept[0].stat().st_mode) == 0o600
    db = open_db(db_path)
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    db.close()


def test_przywroc_over_a_broken_database(run: Run, db_path: Path, tmp_path: Path) -> None:
    good = tmp_path / "dobra.db"
    factories.connect(good).close()
    db_path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    result = run("baza", "przywroc", str(good), "--tak")
    assert result.exit_code == 0, result.stderr
    assert "Poprzednia baza jest zachowana" in result.stdout
    assert run("baza", "sprawdz").exit_code == 0


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"Nazwa;Gmina\nPCPR;1012011\n", "nie jest bazą danych SQLite"),
        (b"", "nie jest bazą danych SQLite"),
        (None, "nie ma pliku"),
    ],
)
def test_przywroc_refuses_what_is_not_a_backup(
    run: Run,
    conn: sqlite3.Connection,
    db_path: Path,
    tmp_path: Path,
    content: bytes | None,
    fragment: str,
) -> None:
    source = tmp_path / "zla.db"
    if content is not None:
        source.write_bytes(content)
    before = snapshot(db_path)
    result = run("baza", "przywroc", str(source), "--tak")
    assert result.exit_code == 1
    assert result.stderr.startswith("Błąd: ")
    assert fragment in result.stderr
    assert snapshot(db_path) == before


def test_przywroc_refuses_a_foreign_sqlite_file(
    run: Run, conn: sqlite3.Connection, db_path: Path, tmp_path: Path
) -> None:
    other = tmp_path / "inna.db"
    foreign = sqlite3.connect(other)
    foreign.execute("CREATE TABLE t (x)")
    foreign.close()
    before = snapshot(db_path)
    result = run("baza", "przywroc", str(other), "--tak")
    assert result.exit_code == 1
    assert "nie jest bazą programu kooperacje" in result.stderr
    assert snapshot(db_path) == before


def test_sprawdz_a_sound_database(run: Run, conn: sqlite3.Connection) -> None:
    result = run("baza", "sprawdz")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "integralność pliku: w porządku",
        "klucze obce: w porządku",
        "kody TERYT: w porządku",
        "kody słowników: w porządku",
        "skróty instytucji w gminach: w porządku",
        "Baza jest spójna.",
    ]


def test_sprawdz_reports_unknown_codes_and_broken_keys(run: Run, conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("UPDATE instytucje SET gmina = '1012', sektor = 'kosmos' WHERE id = 1")
    conn.execute(
        "INSERT INTO osoby (uuid, instytucja, imie_nazwisko, utworzono, zmieniono) "
        "VALUES ('x', 99, 'Jan Kowalski', 'x', 'x')"
    )
    result = run("baza", "sprawdz")
    assert result.exit_code == 1
    assert "instytucja nr 1: nieznana gmina 1012" in result.stdout
    assert "instytucja nr 1: nieznany sektor kosmos" in result.stdout
    assert "tabela osoby, wiersz 1: wskazuje na nieistniejący wiersz tabeli instytucje" in (
        result.stdout
    )
    assert "integralność pliku: w porządku" in result.stdout
    assert result.stderr.startswith("Błąd: baza ma problemy (")
