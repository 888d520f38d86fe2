"""The files a merge reads: checked, and copied before anything opens them.

Another coordinator's file is never opened in place: its bytes (and its write-ahead log, if
one lies beside it) are copied into a private temporary directory, and only the copy is
opened, checked, brought to the current schema and cleared of the people erased here. So
the merge leaves no journal, log or migration backup beside someone else's file, and a
file that turns out to be damaged or foreign has changed nothing anywhere.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kooperacje import files
from kooperacje.errors import DatabaseError, InvalidInput, KooperacjeError
from kooperacje.store import erasure
from kooperacje.store.db import open_db, sqlite_problem
from kooperacje.store.migrations import migration_names

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class Source:
    """A checked incoming file: its name as given, and its private working copy."""

    plik: Path
    kopia: Path
    wymazane: tuple[str, ...]  # UUIDs of people erased in it


def _refuse(path: Path, why: str, what: str = "Nic nie scalono.") -> InvalidInput:
    return InvalidInput(f'plik "{path}" {why} {what}')


def check_path(path: Path, target: Path) -> None:
    """Refuse what cannot be an incoming database, before any byte of it is copied."""
    if files.same_file(path, target) or files.is_live_database(path):
        raise _refuse(
            path,
            "to baza, do której scalasz; nie można scalić bazy z nią samą.",
            "Podaj pliki innych koordynatorów (kopie z polecenia kooperacje baza kopia).",
        )
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise _refuse(path, "nie istnieje.", "Sprawdź ścieżkę. Nic nie scalono.") from None
    except OSError as exc:
        raise files.error(exc, path, "odczytać pliku") from None
    if stat.S_ISDIR(info.st_mode):
        raise _refuse(path, "jest katalogiem.", "Podaj pliki baz danych. Nic nie scalono.")
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(path, "nie jest zwykłym plikiem (to urządzenie albo potok).")
    if info.st_size == 0:
        raise _refuse(path, "jest pusty (0 bajtów), więc nie jest bazą danych.")
    if not files.is_sqlite(path):
        raise _refuse(path, "nie jest bazą danych SQLite.")


def _copy(path: Path, workdir: Path, number: int) -> Path:
    copy = workdir / f"plik-{number}.db"
    try:
        shutil.copyfile(path, copy)
        wal = Path(f"{path}-wal")
        if wal.is_file() and wal.stat().st_size:
            shutil.copyfile(wal, Path(f"{copy}-wal"))
    except OSError as exc:
        raise files.error(exc, path, "odczytać pliku") from None
    return copy


def _inspect(path: Path, copy: Path) -> None:
    """The copy is a whole kooperacje database this version can read."""
    try:
        conn = sqlite3.connect(copy)
    except sqlite3.Error as exc:
        raise _refuse(path, f"nie daje się otworzyć: {sqlite_problem(exc)}.") from None
    try:
        check = [str(r[0]) for r in conn.execute("PRAGMA quick_check").fetchall()]
        if check != ["ok"]:
            raise _refuse(path, "jest uszkodzony (sprawdzenie spójności SQLite nie przeszło).")
        tables = {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master")}
        names: set[str] = set()
        if "_sqlite_migrations" in tables:
            names = {
                str(r[0])
                for r in conn.execute(
                    "SELECT name FROM _sqlite_migrations WHERE migration_set = 'kooperacje'"
                )
            }
    except sqlite3.DatabaseError as exc:
        raise _refuse(path, f"nie daje się odczytać: {sqlite_problem(exc)}.") from None
    finally:
        conn.close()
    if "m003_core" not in names:
        raise _refuse(path, "jest bazą SQLite innego programu, nie programu kooperacje.")
    if names - migration_names():
        raise _refuse(
            path,
            "pochodzi z nowszej wersji programu kooperacje.",
            "Zaktualizuj program (pip install -U kooperacje) i scal ponownie. Nic nie scalono.",
        )


def prepare(path: Path, target: Path, workdir: Path, number: int) -> Source:
    """Check the file, copy it into workdir and bring the copy to the current schema."""
    check_path(path, target)
    copy = _copy(path, workdir, number)
    _inspect(path, copy)
    try:
        db = open_db(copy, create=False)
    except KooperacjeError:
        raise _refuse(path, "nie daje się przenieść do bieżącej wersji programu.") from None
    try:
        erased = tuple(str(r[0]) for r in db.execute("SELECT uuid FROM _wymazania").fetchall())
    finally:
        db.close()
    return Source(path, copy, erased)


def open_copy(source: Source, erased: set[str]) -> Database:
    """The working copy, with the people erased here (or in any file merged) erased in it
    too, so no merged record carries their data. The times of the records' last changes are
    kept: erasing here is not a newer edit that would win over the target's."""
    try:
        db = open_db(source.kopia, create=False)
    except DatabaseError:
        raise _refuse(source.plik, "nie daje się odczytać.") from None
    rows = db.execute("SELECT id, uuid FROM osoby").fetchall()
    ids = [int(r[0]) for r in rows if str(r[1]) in erased]
    if not ids:
        return db
    stamped = [
        str(r[0])
        for r in db.execute(
            "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c "
            "WHERE m.type = 'table' AND c.name = 'zmieniono'"
        ).fetchall()
    ]
    kept = {t: db.execute(f'SELECT id, zmieniono FROM "{t}"').fetchall() for t in stamped}
    with db.atomic():
        erasure.erase(db, ids)
        for table, stamps in kept.items():
            db.conn.executemany(
                f'UPDATE "{table}" SET zmieniono = ? WHERE id = ? AND zmieniono IS NOT ?',
                [(s, i, s) for i, s in stamps],
            )
    return db


def discard(source: Source) -> None:
    """Remove the working copy and its companions."""
    for suffix in ("", *files.COMPANIONS):
        with contextlib.suppress(OSError):
            Path(f"{source.kopia}{suffix}").unlink()
