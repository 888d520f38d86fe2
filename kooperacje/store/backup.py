"""Backups, restoring one, and checking that a database is whole and consistent."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kooperacje.errors import DatabaseError, InvalidInput
from kooperacje.store.db import _SQLITE_HEADER, copy_to, open_db, stamped_path

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class Source:
    """A database file fit to restore, and what it holds."""

    sciezka: Path
    instytucje: int
    zespoly: int
    spotkania: int
    zmieniono: str | None  # the latest change recorded in it


@dataclass(frozen=True)
class Check:
    """One check of `baza sprawdz`: its name and what it found wrong (empty: all well)."""

    nazwa: str
    problemy: tuple[str, ...]


def backup(db: Database, db_path: Path, destination: Path | None) -> Path:
    """A consistent copy of the database (also while another process writes to it)."""
    target = destination if destination is not None else stamped_path(db_path, "kopia")
    if target.resolve() == db_path.resolve():
        raise InvalidInput("kopia nie może zastąpić samej bazy. Podaj inną ścieżkę pliku kopii.")
    copy_to(db.conn, target)
    return target


def inspect(source: Path, target: Path) -> Source:
    """Check that source is a whole kooperacje database that this version can open."""
    from kooperacje.store.migrations import migration_names

    if source.resolve() == target.resolve():
        raise InvalidInput("plik do przywrócenia jest samą bazą. Podaj plik kopii.")
    if not source.is_file():
        raise InvalidInput(f'nie ma pliku "{source}". Podaj ścieżkę pliku kopii bazy.')
    try:
        with source.open("rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise InvalidInput(f'nie można odczytać pliku "{source}": {exc.strerror}.') from None
    if header != _SQLITE_HEADER:
        raise InvalidInput(f'plik "{source}" nie jest bazą danych SQLite. Podaj plik kopii bazy.')
    conn = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise InvalidInput(f'plik "{source}" jest uszkodzony. Wybierz inną kopię.')
        names = {
            row[0]
            for row in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = 'kooperacje'"
            )
        }
        if "m003_core" not in names:
            raise sqlite3.DatabaseError("no core schema")
        if names - migration_names():
            raise InvalidInput(
                f'kopia "{source}" pochodzi z nowszej wersji programu kooperacje. '
                "Zaktualizuj program, zanim ją przywrócisz."
            )
        counts = [
            int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in ("instytucje", "zespoly", "spotkania")
        ]
        latest = conn.execute("SELECT max(kiedy) FROM _zmiany").fetchone()[0]
    except sqlite3.DatabaseError:
        raise InvalidInput(
            f'plik "{source}" nie jest bazą programu kooperacje albo jest uszkodzony. '
            "Wybierz inną kopię."
        ) from None
    finally:
        conn.close()
    return Source(source, counts[0], counts[1], counts[2], zmieniono=latest)


def restore(source: Path, target: Path) -> Path | None:
    """Replace the database at target with source (checked by inspect first); the replaced
    database is kept beside it. Returns where it was kept (None if there was none)."""
    inspect(source, target)
    kept: Path | None = None
    if target.exists() and target.stat().st_size > 0:
        kept = stamped_path(target, "przed-przywroceniem")
        try:
            current = open_db(target)
        except DatabaseError:
            # A broken database cannot be copied page by page: keep the file itself.
            _move_aside(target, kept)
        else:
            try:
                copy_to(current.conn, kept)
            finally:
                current.close()
    db = open_db(target)
    try:
        source_conn = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        try:
            # Page by page into the open database: readers never see half a file.
            source_conn.backup(db.conn)
        finally:
            source_conn.close()
    except sqlite3.Error as exc:
        raise DatabaseError(
            f'nie udało się przywrócić bazy z "{source}": {exc}. Baza sprzed próby jest '
            f'zachowana w "{kept}".'
        ) from None
    finally:
        db.close()
    restored = open_db(target)  # an older copy is brought to the current schema
    restored.execute("PRAGMA journal_mode = WAL")
    restored.close()
    return kept


def _move_aside(path: Path, kept: Path) -> None:
    try:
        path.rename(kept)
        for suffix in ("-wal", "-shm"):
            companion = path.with_name(path.name + suffix)
            if companion.exists():
                companion.rename(kept.with_name(kept.name + suffix))
    except OSError as exc:
        raise DatabaseError(
            f'nie można odłożyć uszkodzonej bazy "{path}": {exc.strerror}. Sprawdź uprawnienia '
            "katalogu."
        ) from None


def _rows(db: Database, sql: str) -> list[str]:
    return [str(row["opis"]) for row in db.query(sql)]


_TERYT_CHECKS = """
    SELECT 'instytucja nr ' || id || ': nieznana gmina ' || gmina AS opis FROM instytucje
    WHERE gmina NOT IN (SELECT kod FROM teryt WHERE poziom = 'gmina')
    UNION ALL
    SELECT 'zespół nr ' || id || ': nieznana gmina ' || gmina FROM zespoly
    WHERE gmina NOT IN (SELECT kod FROM teryt WHERE poziom = 'gmina')
    UNION ALL
    SELECT 'usługa nr ' || usluga || ': nieznany kod zasięgu ' || teryt FROM uslugi_zasieg
    WHERE teryt NOT IN (SELECT kod FROM teryt)
"""
_VOCABULARY_CHECKS = """
    SELECT 'instytucja nr ' || id || ': nieznany sektor ' || sektor AS opis FROM instytucje
    WHERE sektor NOT IN (SELECT kod FROM sektory)
    UNION ALL
    SELECT 'usługa nr ' || id || ': nieznany obszar ' || obszar FROM uslugi
    WHERE obszar NOT IN (SELECT kod FROM obszary_uslug)
    UNION ALL
    SELECT 'usługa nr ' || usluga || ': nieznana grupa docelowa ' || grupa FROM uslugi_grupy
    WHERE grupa NOT IN (SELECT kod FROM grupy_docelowe)
    UNION ALL
    SELECT 'spotkanie nr ' || id || ': nieznany rodzaj ' || rodzaj FROM spotkania
    WHERE rodzaj NOT IN (SELECT kod FROM rodzaje_spotkan)
    UNION ALL
    SELECT 'deklaracja nr ' || id || ': nieznany rodzaj ' || rodzaj FROM deklaracje
    WHERE rodzaj NOT IN (SELECT kod FROM rodzaje_deklaracji)
"""


# An abbreviation must name one institution in its gmina; files written before that rule
# (or by other clients) may hold two.
_SHORT_NAME_CHECKS = """
    SELECT 'gmina ' || g.nazwa || ' (' || i.gmina || '): skrót „' || min(i.skrot)
           || '” mają instytucje nr ' || group_concat(i.id, ', ')
           || '; nadaj im różne skróty (kooperacje instytucje edytuj NR --skrot NOWY)' AS opis
    FROM instytucje i JOIN teryt g ON g.kod = i.gmina
    WHERE i.skrot IS NOT NULL
    GROUP BY i.gmina, coalesce(i.skrot_szukaj, pl_fold(i.skrot))
    HAVING count(*) > 1
    ORDER BY i.gmina, min(i.id)
"""


def check(db: Database) -> list[Check]:
    """Integrity, foreign keys, TERYT codes, vocabulary codes and repeated abbreviations."""
    integrity = [str(row[0]) for row in db.execute("PRAGMA integrity_check").fetchall()]
    keys = [
        f"tabela {row[0]}, wiersz {row[1]}: wskazuje na nieistniejący wiersz tabeli {row[2]}"
        for row in db.execute("PRAGMA foreign_key_check").fetchall()
    ]
    return [
        Check("integralność pliku", tuple(r for r in integrity if r != "ok")),
        Check("klucze obce", tuple(keys)),
        Check("kody TERYT", tuple(_rows(db, _TERYT_CHECKS))),
        Check("kody słowników", tuple(_rows(db, _VOCABULARY_CHECKS))),
        Check("skróty instytucji w gminach", tuple(_rows(db, _SHORT_NAME_CHECKS))),
    ]
