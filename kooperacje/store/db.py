"""The only place that opens a database: path, permissions, pragmas, migrations."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from kooperacje import config
from kooperacje.errors import DatabaseError
from kooperacje.text import fold, polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database

ENV_VAR = "KOOPERACJE_BAZA"
_SQLITE_HEADER = b"SQLite format 3\x00"


def default_path() -> Path:
    """The user's own database: the platform's user data directory."""
    from platformdirs import user_data_path

    return user_data_path("kooperacje", appauthor=False) / "kooperacje.db"


def resolve_path(option: str | None) -> Path:
    """--baza wins, then $KOOPERACJE_BAZA, then the config file, then the user data
    directory."""
    if option:
        return Path(option).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()

    return config.load().baza or default_path()


def now() -> str:
    """UTC timestamp for the `utworzono`/`zmieniono` columns."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _check_file(path: Path) -> bool:
    """Return True if a database must be created; refuse files that are not SQLite."""
    if path.is_dir():
        raise DatabaseError(f'"{path}" jest katalogiem. Podaj w --baza ścieżkę pliku bazy danych.')
    if not path.exists():
        return True
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise DatabaseError(f'nie można odczytać pliku "{path}": {exc.strerror}.') from None
    if header == b"":
        return True
    if header != _SQLITE_HEADER:
        raise DatabaseError(
            f'plik "{path}" nie jest bazą danych SQLite. Podaj w --baza właściwy plik '
            "albo nową ścieżkę, pod którą zostanie utworzona pusta baza."
        )
    return False


def _create_private(path: Path) -> None:
    # The file holds staff contacts (personal data): readable by the owner only.
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    except OSError as exc:
        raise DatabaseError(
            f'nie można utworzyć bazy "{path}": {exc.strerror}. Wybierz inną ścieżkę w --baza.'
        ) from None
    os.close(fd)
    os.chmod(path, 0o600)


def _pl_collate(left: str, right: str) -> int:
    a, b = polish_key(left), polish_key(right)
    return (a > b) - (a < b)


def _pl_fold(value: object) -> str | None:
    return None if value is None else fold(str(value))


def stamped_path(path: Path, label: str) -> Path:
    """A new file beside path: `kooperacje.kopia-20260101T120000Z.db` for label 'kopia'."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.stem}.{label}-{stamp}{path.suffix}")
    number = 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem}.{label}-{stamp}-{number}{path.suffix}")
    return candidate


def copy_to(conn: sqlite3.Connection, destination: Path) -> None:
    """A consistent copy of the open database (SQLite's online backup API, so another
    process may go on writing), readable by the owner only. destination must not exist."""
    if destination.exists():
        raise DatabaseError(
            f'plik "{destination}" już istnieje. Podaj inną nazwę kopii albo usuń ten plik.'
        )
    _create_private(destination)
    try:
        target = sqlite3.connect(destination)
        try:
            conn.backup(target)
            # A copy is one self-contained file, whatever journal the original uses.
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
    except sqlite3.Error as exc:
        destination.unlink(missing_ok=True)
        raise DatabaseError(
            f'nie można zapisać kopii bazy w "{destination}": {exc}. Sprawdź miejsce na dysku '
            "i uprawnienia katalogu."
        ) from None
    os.chmod(destination, 0o600)


def checkpoint(db: Database) -> bool:
    """Copy the write-ahead log into the database file and empty it, so erased data is left
    in neither. False when another process holds the database open and the log stays."""
    row = db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return row is None or int(row[0]) == 0


def open_db(path: Path) -> Database:
    """Open (creating if needed) the database at path, migrated to the current schema."""
    from sqlite_utils import Database

    from kooperacje.store.migrations import migration_names, migrations

    new = _check_file(path)
    if new:
        _create_private(path)
    try:
        conn = sqlite3.connect(path, timeout=10)
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("PRAGMA foreign_keys = ON")
        # Deleted rows are overwritten with zeros, so erased personal data stays in no free page.
        conn.execute("PRAGMA secure_delete = ON")
        conn.create_function("pl_fold", 1, _pl_fold, deterministic=True)
        conn.create_collation("pl", _pl_collate)
        # No sqlite-utils plugins: none is needed, and looking for them (importlib.metadata
        # scanning every installed package) would slow each command's start.
        db = Database(conn, execute_plugins=False)
        known = migration_names()
        applied = {m.name for m in migrations.applied(db)}
        if applied - known:
            raise DatabaseError(
                f'baza "{path}" pochodzi z nowszej wersji programu kooperacje. '
                "Zaktualizuj program (pip install -U kooperacje), zanim jej użyjesz."
            )
        if migrations.pending(db):
            if applied:
                # A schema change is the riskiest moment in a file's life: keep it as it was.
                copy_to(conn, stamped_path(path, "przed-migracja"))
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            migrations.apply(db)
    except sqlite3.DatabaseError as exc:
        text = str(exc)
        if "readonly" in text or "read-only" in text:
            raise DatabaseError(
                f'baza "{path}" jest tylko do odczytu. Sprawdź uprawnienia pliku i katalogu.'
            ) from None
        raise DatabaseError(
            f'nie można otworzyć bazy "{path}": {text}. Sprawdź, czy to plik bazy kooperacje.'
        ) from None
    return db
