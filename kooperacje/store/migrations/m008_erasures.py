"""Migration 8: the log of erasures and of backups, which hold no personal data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kooperacje.store.migrations._common import run

if TYPE_CHECKING:
    from sqlite_utils import Database


def migrate(db: Database) -> None:
    """Which people were erased and when (by UUID only), and where backups were written."""
    run(
        db,
        """
        -- One row per person whose data was erased on request: the UUID and the time, nothing
        -- else. Restoring an older backup erases these people again, so a restore never
        -- brings an erased person back.
        CREATE TABLE _wymazania (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            kiedy TEXT NOT NULL
        );
        -- Backups written by `baza kopia` to a path of the user's choice (a pen drive, a
        -- network share): an erasure lists them, since they still hold the erased data.
        -- Backups beside the database are found by their names and need no row here.
        CREATE TABLE _kopie (
            id INTEGER PRIMARY KEY,
            sciezka TEXT NOT NULL,
            kiedy TEXT NOT NULL
        )
        """,
    )
