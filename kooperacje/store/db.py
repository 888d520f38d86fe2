"""The only place that opens a database: path, permissions, pragmas, migrations."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kooperacje import config, files
from kooperacje.errors import DatabaseError, InvalidInput

# Reader and open_reader are used from here by the commands (re-exported).
from kooperacje.store.reader import ENV_VAR, add_functions, given
from kooperacje.store.reader import Reader as Reader
from kooperacje.store.reader import kind as kind_of
from kooperacje.store.reader import open_reader as open_reader

if TYPE_CHECKING:
    from sqlite_utils import Database

_SQLITE_HEADER = files.SQLITE_HEADER


def default_path() -> Path:
    """The user's own database: the platform's user data directory."""
    from platformdirs import user_data_path

    return user_data_path("kooperacje", appauthor=False) / "kooperacje.db"


def resolve_path(option: str | None) -> Path:
    """--baza wins, then $KOOPERACJE_BAZA, then the config file, then the user data
    directory."""
    return locate(option)[0]


def locate(option: str | None) -> tuple[Path, str]:
    """The database path and where it came from (for messages: "--baza", the variable…)."""
    found = given(option)
    if found is not None:
        text, source = found
        if not text.strip() and option is not None:
            raise InvalidInput(
                "opcja --baza jest pusta. Podaj ścieżkę pliku bazy albo pomiń --baza, aby "
                "użyć bazy domyślnej."
            )
        if not text.strip():  # the variable (--baza was not given)
            raise InvalidInput(
                f"zmienna środowiskowa {ENV_VAR} jest pusta. Wpisz w nią ścieżkę pliku bazy "
                "albo ją usuń, aby użyć bazy domyślnej."
            )
        return Path(text).expanduser(), source
    configured = config.load().baza
    if configured is not None:
        return configured, f"plik konfiguracji {config.path()}"
    return default_path(), "domyślna baza w katalogu danych użytkownika"


def now() -> str:
    """UTC timestamp for the `utworzono`/`zmieniono` columns."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _check_file(path: Path) -> bool:
    """Return True if no database file is there yet; refuse what is not a database."""
    if path.is_dir():
        raise DatabaseError(f'"{path}" jest katalogiem. Podaj w --baza ścieżkę pliku bazy danych.')
    if not path.exists():
        return True
    if not path.is_file():
        raise DatabaseError(
            f'"{path}" nie jest zwykłym plikiem (to urządzenie albo potok). Podaj w --baza '
            "ścieżkę pliku bazy danych."
        )
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise files.error(exc, path, "odczytać pliku") from None
    if header == b"":
        raise DatabaseError(
            f'plik "{path}" jest pusty (0 bajtów), więc nie jest bazą danych i nie zostanie '
            "nią zastąpiony. Jeśli to kopia bazy, sprawdź, skąd pochodzi (mogła się nie "
            "skopiować); jeśli ma tu powstać nowa baza, usuń ten pusty plik albo podaj inną "
            "ścieżkę w --baza."
        )
    if header != _SQLITE_HEADER:
        raise DatabaseError(
            f'plik "{path}" nie jest bazą danych SQLite. Podaj w --baza właściwy plik '
            "albo nową ścieżkę, pod którą ma powstać nowa baza."
        )
    return False


def _missing(path: Path, source: str | None) -> DatabaseError:
    where = f" ({source})" if source else ""
    folder = "" if path.parent.is_dir() else f' Katalog "{path.parent}" też nie istnieje.'
    return DatabaseError(
        f'nie ma bazy danych "{path.absolute()}"{where}.{folder} Sprawdź ścieżkę w --baza. '
        "Nową bazę tworzy polecenie kooperacje baza utworz albo pierwsze polecenie, które zapisuje "
        "dane (kooperacje instytucje dodaj, kooperacje zespoly zaloz, kooperacje import "
        "instytucje); polecenia, które tylko czytają, żadnej bazy nie tworzą."
    )


def _create_private(path: Path) -> None:
    # The file holds staff contacts (personal data): readable by the owner only.
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, files.PRIVATE_MODE)
    except OSError as exc:
        raise files.error(exc, path, "utworzyć bazy") from None
    try:
        files.make_private(path, fd)
    finally:
        os.close(fd)


def sqlite_problem(exc: sqlite3.Error) -> str:
    """What a SQLite error means, in Polish (SQLite's own messages are English)."""
    text = str(exc).lower()
    if "full" in text:
        return "brak miejsca na dysku (albo przekroczony limit rozmiaru pliku)"
    if "readonly" in text or "read-only" in text:
        return "plik albo jego katalog jest tylko do odczytu"
    if "locked" in text or "busy" in text:
        return "baza jest zajęta przez inny proces"
    if "disk i/o" in text:
        return "błąd odczytu lub zapisu dysku"
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return "plik jest uszkodzony albo nie jest bazą danych"
    if "unable to open" in text:
        return "nie można otworzyć pliku (sprawdź ścieżkę i uprawnienia)"
    return "błąd bazy danych SQLite"


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
    process may go on writing), readable by the owner only. destination must not exist.

    The copy is made in a temporary file beside destination and renamed into place when
    complete: a full disk leaves no half-written copy behind.
    """
    if os.path.lexists(destination):
        raise DatabaseError(
            f'plik "{destination}" już istnieje. Podaj inną nazwę kopii albo usuń ten plik.'
        )
    temp: Path | None = None
    try:
        with files.atomic(destination, personal=True) as temp:
            target = sqlite3.connect(temp)
            try:
                conn.backup(target)
                # A copy is one self-contained file, whatever journal the original uses.
                target.execute("PRAGMA journal_mode = DELETE")
            finally:
                target.close()
    except sqlite3.Error as exc:
        raise DatabaseError(
            f'nie można zapisać kopii bazy w "{destination}": {sqlite_problem(exc)}. Nic nie '
            "zapisano. Sprawdź miejsce na dysku i uprawnienia katalogu."
        ) from None
    finally:
        if temp is not None:
            for suffix in files.COMPANIONS:
                Path(f"{temp}{suffix}").unlink(missing_ok=True)


def checkpoint(db: Database) -> bool:
    """Copy the write-ahead log into the database file and empty it, so erased data is left
    in neither. False when another process holds the database open and the log stays."""
    row = db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return row is None or int(row[0]) == 0


def open_db(path: Path, *, create: bool = True, source: str | None = None) -> Database:
    """Open the database at path, migrated to the current schema.

    create=False (commands that only read): a missing file, or a SQLite file with no
    tables, is refused instead of becoming a new database. A SQLite file of another
    program, an empty (0-byte) file and a database of a newer version are always refused,
    never changed. `source` says where the path came from, for the messages.
    """
    from sqlite_utils import Database

    from kooperacje.store.migrations import migration_names, migrations

    new = _check_file(path)
    if new:
        if not create:
            raise _missing(path, source)
        _create_private(path)
    try:
        conn = sqlite3.connect(path, timeout=10)
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("PRAGMA foreign_keys = ON")
        # Deleted rows are overwritten with zeros, so erased personal data stays in no free page.
        conn.execute("PRAGMA secure_delete = ON")
        kind = kind_of(conn)
        if kind == "foreign":
            conn.close()
            raise DatabaseError(
                f'plik "{path}" jest bazą SQLite innego programu, nie programu kooperacje; '
                "program go nie zmieni. Podaj w --baza plik bazy kooperacje albo nową ścieżkę, "
                "pod którą ma powstać nowa baza."
            )
        if kind == "blank" and not create:
            conn.close()
            raise _missing(path, source)
        add_functions(conn)
        # No sqlite-utils plugins: none is needed, and looking for them (importlib.metadata
        # scanning every installed package) would slow each command's start.
        db = Database(conn, execute_plugins=False)
        known = migration_names()
        applied = {m.name for m in migrations.applied(db)}
        if applied - known:
            conn.close()
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
        raise DatabaseError(
            f'nie można otworzyć bazy "{path}": {sqlite_problem(exc)}. Sprawdź, czy to plik '
            "bazy kooperacje, i uprawnienia pliku i katalogu."
        ) from None
    return db


class Queryable(Protocol):
    """What a domain function that only reads needs of a database: queries with named
    parameters, rows as dicts. Both sqlite-utils' Database and Reader provide it."""

    def query(self, sql: str, params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """The rows of a SELECT."""
        ...
