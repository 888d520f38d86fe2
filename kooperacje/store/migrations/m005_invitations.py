"""Migration 5: invitations, attendance statuses, decisions, services presented."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kooperacje.store.migrations._common import run

if TYPE_CHECKING:
    from sqlite_utils import Database


def migrate(db: Database) -> None:
    """Invitations and attendance statuses, decisions and next meeting, services presented."""
    run(
        db,
        """
        -- One row per invited or attending institution (and person): every row recorded
        -- before invitations existed was an attendance mark, hence the default.
        ALTER TABLE obecnosci ADD COLUMN status TEXT NOT NULL DEFAULT 'obecny'
            CHECK (status IN ('zaproszony', 'obecny', 'usprawiedliwiony', 'nieobecny'));
        CREATE INDEX obecnosci_status ON obecnosci(spotkanie, status);
        -- What the team agreed on, for the minutes (opis stays the summary).
        ALTER TABLE spotkania ADD COLUMN ustalenia TEXT;
        -- Date (and free text) of the next meeting when agreed, for the minutes.
        ALTER TABLE spotkania ADD COLUMN nastepne TEXT;
        -- Services an institution presented at a meeting (they are in the basket anyway).
        CREATE TABLE spotkania_uslugi (
            spotkanie INTEGER NOT NULL REFERENCES spotkania(id) ON DELETE CASCADE,
            usluga INTEGER NOT NULL REFERENCES uslugi(id) ON DELETE CASCADE,
            PRIMARY KEY (spotkanie, usluga)
        );
        CREATE INDEX spotkania_uslugi_usluga ON spotkania_uslugi(usluga)
        """,
    )
