"""Migration 6: the full history written by triggers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kooperacje.store.migrations._common import history_triggers

if TYPE_CHECKING:
    from sqlite_utils import Database


# The records whose every change the history keeps, and the columns it leaves out of
# field-by-field edits (bookkeeping that changes with every edit, or never changes).
HISTORY_TABLES = (
    "instytucje",
    "osoby",
    "zespoly",
    "spotkania",
    "deklaracje",
    "uslugi",
    "obecnosci",
)


def migrate(db: Database) -> None:
    """The full history: triggers record every insert, edit and deletion of the main
    records, so nothing a command (or an import, or Datasette) does goes unrecorded."""
    # What happened to the record: dodanie, zmiana, usuniecie, or wymazanie (personal
    # data erased on request; the row then only says that and when).
    db.execute("ALTER TABLE _zmiany ADD COLUMN operacja TEXT NOT NULL DEFAULT 'zmiana'")
    # Until now a deleted row was kept as field '*' with the row as JSON in `stara`.
    db.execute("UPDATE _zmiany SET operacja = 'usuniecie' WHERE pole = '*'")
    db.execute("CREATE INDEX _zmiany_kiedy ON _zmiany(kiedy)")
    for table in HISTORY_TABLES:
        history_triggers(db, table)
