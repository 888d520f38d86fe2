"""Migration 12: a team's mission and its rules (regulamin) as dated versions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kooperacje.store.migrations._common import history_triggers, run

if TYPE_CHECKING:
    from sqlite_utils import Database


def migrate(db: Database) -> None:
    """The team's mission sentence; the versions of its rules, each adopted on a day."""
    run(
        db,
        """
        -- What the team is for, in one sentence (printed on the team report).
        ALTER TABLE zespoly ADD COLUMN misja TEXT;
        -- Each version of a team's rules is a row: nothing is overwritten, and the version
        -- in force on a day is the latest adopted on or before it.
        CREATE TABLE regulaminy (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            zespol INTEGER NOT NULL REFERENCES zespoly(id),
            nazwa TEXT NOT NULL,           -- its title, e.g. "Regulamin Partnerskiego Zespołu …"
            tekst TEXT NOT NULL,           -- Markdown, as read from the user's file
            przyjeto TEXT NOT NULL,        -- ISO date it was adopted
            spotkanie INTEGER REFERENCES spotkania(id),  -- the meeting that adopted it
            plik TEXT,                     -- the name of the file it was read from
            uwagi TEXT,
            utworzono TEXT NOT NULL,
            zmieniono TEXT NOT NULL
        );
        CREATE INDEX regulaminy_zespol ON regulaminy(zespol, przyjeto);
        CREATE INDEX regulaminy_spotkanie ON regulaminy(spotkanie)
        """,
    )
    history_triggers(db, "zespoly")  # the new column is kept in the history too
    history_triggers(db, "regulaminy")
