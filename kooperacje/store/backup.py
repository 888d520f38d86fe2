"""Backups and restoring one: writing a copy, listing the copies (and those that still hold
a person), checking a file before it replaces the database, and the restore itself. The
checks of `baza sprawdz` are in consistency.py.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kooperacje.errors import DatabaseError, InvalidInput
from kooperacje.store import erasure
from kooperacje.store.db import _SQLITE_HEADER, checkpoint, copy_to, now, open_db, stamped_path

if TYPE_CHECKING:
    from sqlite_utils import Database


_COPIES = "SELECT sciezka, kiedy FROM _kopie ORDER BY id"


@dataclass(frozen=True)
class Source:
    """A database file fit to restore, and what it holds."""

    sciezka: Path
    instytucje: int
    zespoly: int
    spotkania: int
    zmieniono: str | None  # the latest change recorded in it
    # People it holds whose data was erased (in the database it would replace) since.
    wymazane: int = 0


@dataclass(frozen=True)
class Restored:
    """Where the replaced database was kept, and how many people erased since the backup
    was made were erased again in the restored one."""

    zachowana: Path | None
    ponownie_wymazane: int
    # False when the replaced database was unreadable, its erasure log with it: the
    # restored copy may hold people erased since.
    dziennik_odczytany: bool = True


@dataclass(frozen=True)
class BackupFile:
    """A backup of the database: beside it (found by its name) or written elsewhere by
    `baza kopia` (from the log). osoba: whether it holds a given person (None: unknown)."""

    sciezka: Path
    kiedy: str | None
    dostepna: bool
    osoba: bool | None = None


def backup(db: Database, db_path: Path, destination: Path | None) -> Path:
    """A consistent copy of the database (also while another process writes to it)."""
    target = destination if destination is not None else stamped_path(db_path, "kopia")
    if target.resolve() == db_path.resolve():
        raise InvalidInput("kopia nie może zastąpić samej bazy. Podaj inną ścieżkę pliku kopii.")
    copy_to(db.conn, target)
    # The write lock first (a deferred transaction that read first would fail at once if
    # another process wrote meanwhile).
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        db.execute(
            "INSERT INTO _kopie (sciezka, kiedy) VALUES (:p, :k)",
            {"p": str(target.resolve()), "k": now()},
        )
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.commit()
    return target


def database_path(db: Database) -> Path | None:
    """The file of an open database (None for one in memory)."""
    for row in db.execute("PRAGMA database_list").fetchall():
        if row[1] == "main" and row[2]:
            return Path(row[2])
    return None


def forget(db: Database, path: Path) -> int:
    """Take a backup written elsewhere off the list (it was destroyed, or the medium is
    gone): erasures stop naming it. Returns how many entries were removed."""
    wanted = path.expanduser().resolve()
    ids = [
        int(row["id"])
        for row in db.query("SELECT id, sciezka FROM _kopie")
        if Path(row["sciezka"]).resolve() == wanted
    ]
    if not ids:
        raise InvalidInput(
            f'kopii "{path}" nie ma na liście kopii zapisanych gdzie indziej. Sprawdź ścieżkę: '
            "kooperacje baza kopie."
        )
    with db.atomic():
        db.execute(
            "DELETE FROM _kopie WHERE id IN (SELECT value FROM json_each(:ids))",
            {"ids": json.dumps(ids)},
        )
    return len(ids)


def _stamp(name: str) -> str | None:
    match = re.search(r"-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z(?:-\d+)?$", name)
    if match is None:
        return None
    y, mo, d, h, mi, se = match.groups()
    return f"{y}-{mo}-{d}T{h}:{mi}:{se}Z"


def backups(db: Database) -> list[BackupFile]:
    """The backups of the database: the files beside it named like those this program makes
    (kopia, przed-migracja, przed-przywroceniem, with a time), and those `baza kopia` wrote
    elsewhere, whether or not they can be reached now; oldest first."""
    path = database_path(db)
    found: dict[Path, BackupFile] = {}
    if path is not None:
        pattern = re.compile(
            rf"{re.escape(path.stem)}\.[a-z-]+-\d{{8}}T\d{{6}}Z(?:-\d+)?{re.escape(path.suffix)}"
        )
        try:
            siblings = sorted(path.parent.iterdir())
        except OSError:
            siblings = []
        for sibling in siblings:
            if pattern.fullmatch(sibling.name) and sibling.is_file():
                found[sibling.resolve()] = BackupFile(sibling, _stamp(sibling.stem), True)
    for row in db.query("SELECT sciezka, kiedy FROM _kopie ORDER BY id"):
        logged = Path(row["sciezka"])
        key = logged.resolve()
        if key not in found:
            found[key] = BackupFile(logged, str(row["kiedy"]), logged.is_file())
    return sorted(found.values(), key=lambda b: (b.kiedy or "", str(b.sciezka)))


def _holds(path: Path, uuid: str) -> bool | None:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute("SELECT count(*) FROM osoby WHERE uuid = ?", (uuid,)).fetchone()
        return bool(row[0])
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def holding(db: Database, uuid: str) -> list[BackupFile]:
    """The backups that still hold the person with this UUID, or may (not reachable now,
    or not readable)."""
    result: list[BackupFile] = []
    for found in backups(db):
        holds = _holds(found.sciezka, uuid) if found.dostepna else None
        if holds is not False:
            result.append(BackupFile(found.sciezka, found.kiedy, found.dostepna, holds))
    return result


def _erased_since(source: sqlite3.Connection, target: Path) -> list[tuple[str, str]]:
    """The erasure log of the database at target (empty if it cannot be read), limited to
    the people the backup (source) holds."""
    logged = _read_log(target)
    if not logged:
        return []
    held = {
        str(r[0])
        for r in source.execute(
            "SELECT uuid FROM osoby WHERE uuid IN (SELECT value FROM json_each(?))",
            (json.dumps([u for u, _ in logged]),),
        )
    }
    return [(u, k) for u, k in logged if u in held]


def _read_log(target: Path) -> list[tuple[str, str]]:
    return _read_pairs(target, "SELECT uuid, kiedy FROM _wymazania ORDER BY id")


def _read_copies(target: Path) -> list[tuple[str, str]]:
    return _read_pairs(target, _COPIES)


def _has_log(target: Path) -> bool:
    return bool(_read_pairs(target, "SELECT 'x', count(*) FROM _wymazania"))


def _read_pairs(target: Path, sql: str) -> list[tuple[str, str]]:
    """Rows of a database file read without changing it; none if it cannot be read."""
    if not target.is_file():
        return []
    try:
        conn = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return [(str(r[0]), str(r[1])) for r in conn.execute(sql)]
        finally:
            conn.close()
    except sqlite3.Error:
        return []


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
        erased = _erased_since(conn, target)
    except sqlite3.DatabaseError:
        raise InvalidInput(
            f'plik "{source}" nie jest bazą programu kooperacje albo jest uszkodzony. '
            "Wybierz inną kopię."
        ) from None
    finally:
        conn.close()
    return Source(source, counts[0], counts[1], counts[2], zmieniono=latest, wymazane=len(erased))


def restore(source: Path, target: Path) -> Restored:
    """Replace the database at target with source (checked by inspect first); the replaced
    database is kept beside it. People whose data was erased in the replaced database since
    the backup was made are erased again, so a restore brings no erased person back."""
    inspect(source, target)
    kept: Path | None = None
    erased: list[tuple[str, str]] = []
    copies: list[tuple[str, str]] = []
    log_read = True
    if target.exists() and target.stat().st_size > 0:
        kept = stamped_path(target, "przed-przywroceniem")
        try:
            current = open_db(target)
        except DatabaseError:
            # A broken database cannot be copied page by page: keep the file itself, and
            # read what can still be read of its logs.
            _move_aside(target, kept)
            erased = _read_log(kept)
            copies = _read_copies(kept)
            log_read = bool(erased) or _has_log(kept)
        else:
            try:
                erased = erasure.log(current)
                copies = [(str(r[0]), str(r[1])) for r in current.execute(_COPIES).fetchall()]
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
        again = _bring_up_to_date(db, erased, copies)
    except sqlite3.Error as exc:
        raise DatabaseError(
            f'nie udało się przywrócić bazy z "{source}": {exc}. Baza sprzed próby jest '
            f'zachowana w "{kept}".'
        ) from None
    finally:
        db.close()
    restored = open_db(target)
    restored.execute("PRAGMA journal_mode = WAL")
    checkpoint(restored)
    restored.close()
    return Restored(kept, again, log_read)


def _bring_up_to_date(
    db: Database, erased: list[tuple[str, str]], copies: list[tuple[str, str]]
) -> int:
    """Bring the restored copy to the current schema (on this connection: a backup made
    before a migration would otherwise be copied once more, erased people and all), carry
    over the logs of the replaced database and erase again whom it had erased."""
    from kooperacje.store.migrations import migrations

    migrations.apply(db)
    with db.atomic():
        known = {str(r[0]) for r in db.execute("SELECT sciezka FROM _kopie")}
        db.conn.executemany(
            "INSERT INTO _kopie (sciezka, kiedy) VALUES (?, ?)",
            [c for c in copies if c[0] not in known],
        )
        db.conn.executemany("INSERT OR IGNORE INTO _wymazania (uuid, kiedy) VALUES (?, ?)", erased)
        ids = [
            int(r[0])
            for r in db.execute(
                "SELECT id FROM osoby WHERE uuid IN (SELECT value FROM json_each(:u))",
                {"u": json.dumps([u for u, _ in erased])},
            )
        ]
        erasure.erase(db, ids)
    return len(ids)


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
