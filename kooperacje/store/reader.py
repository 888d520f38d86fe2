"""A database opened for reading only, with nothing but sqlite3.

Commands that only read (the basket above all) answer in a fraction of a second; importing
sqlite-utils, pathlib or typing would take longer than the answer. `db` opens databases for
everything else, and explains what this module only declines.
"""

from __future__ import annotations

import os
import sqlite3
import stat

from kooperacje.store.schema import MIGRATIONS
from kooperacje.text import fold, polish_key

# Not `from typing import TYPE_CHECKING`: see output.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

ENV_VAR = "KOOPERACJE_BAZA"


def given(option: str | None) -> tuple[str, str] | None:
    """The database path as given, by --baza or else $KOOPERACJE_BAZA, and where it came
    from ("--baza", "zmienna KOOPERACJE_BAZA"); None when neither is set."""
    if option is not None:
        return option, "--baza"
    env = os.environ.get(ENV_VAR)
    if env is not None:
        return env, f"zmienna {ENV_VAR}"
    return None


def pl_collate(left: str, right: str) -> int:
    """The `pl` collation: Polish alphabetical order."""
    a, b = polish_key(left), polish_key(right)
    return (a > b) - (a < b)


def pl_fold(value: object) -> str | None:
    """The `pl_fold()` SQL function: text without case and Polish diacritics."""
    return None if value is None else fold(str(value))


def add_functions(conn: sqlite3.Connection) -> None:
    """The collation and function every query of the program may use."""
    conn.create_function("pl_fold", 1, pl_fold, deterministic=True)
    conn.create_collation("pl", pl_collate)


def kind(conn: sqlite3.Connection) -> str:
    """ "blank" (no tables yet), "ours" (a kooperacje database) or "foreign"."""
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    if not names:
        return "blank"
    if "_sqlite_migrations" not in names:
        return "foreign"
    ours = conn.execute(
        "SELECT count(*) FROM _sqlite_migrations WHERE migration_set = 'kooperacje'"
    ).fetchone()[0]
    return "ours" if ours else "foreign"


class Reader:
    """A database opened for reading only, without sqlite-utils (which takes longer to
    import than a basket takes to compute): see open_reader."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def query(self, sql: str, params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """The rows of a SELECT, as sqlite-utils' Database.query gives them."""
        cursor = self.conn.execute(sql, params or {})
        keys = [column[0] for column in cursor.description]
        for row in cursor:
            yield dict(zip(keys, row, strict=True))

    def close(self) -> None:
        self.conn.close()


def open_reader(path: str | os.PathLike[str]) -> Reader | None:
    """The database at path for a command that only reads, when it is a kooperacje
    database with every migration of this version applied; None otherwise (missing, not a
    regular file, not SQLite, blank, foreign, older or newer: db.open_db then says what is
    wrong, or migrates it). Never creates or changes a file."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        # Opened as open_db opens it (the same locking and write-ahead log handling); the
        # commands given a Reader only read.
        conn = sqlite3.connect(path, timeout=10)
    except (OSError, ValueError, sqlite3.Error):
        return None
    try:
        conn.execute("PRAGMA busy_timeout = 10000")
        if kind(conn) != "ours":
            conn.close()
            return None
        applied = {
            row[0]
            for row in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = 'kooperacje'"
            )
        }
    except sqlite3.Error:
        conn.close()
        return None
    if applied != set(MIGRATIONS):
        conn.close()
        return None
    add_functions(conn)
    return Reader(conn)
