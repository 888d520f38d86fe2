"""Migration 15: where a team merged from another coordinator's file came from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kooperacje.store.migrations._common import run

if TYPE_CHECKING:
    from sqlite_utils import Database


def migrate(db: Database) -> None:
    """The provenance of merged teams: the file's name and when it was merged."""
    run(
        db,
        """
        -- One row per team brought in by `kooperacje scal`: a regional centre keeps the
        -- files of many coordinators and must know whose file a team's records came from.
        -- Only the file's name is kept (a path may name a user's home directory), and the
        -- time of the last merge that changed something (a repeated merge changes nothing).
        CREATE TABLE _pochodzenie (
            zespol INTEGER PRIMARY KEY REFERENCES zespoly(id) ON DELETE CASCADE,
            plik TEXT NOT NULL,
            scalono TEXT NOT NULL
        )
        """,
    )
