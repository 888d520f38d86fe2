"""Migration 13: meetings of several teams, and team areas beyond one gmina."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kooperacje.store.migrations._common import run

if TYPE_CHECKING:
    from sqlite_utils import Database


def migrate(db: Database) -> None:
    """Which teams a meeting belongs to, and a team's area beyond its gmina (a powiat,
    several gminas).

    A meeting whose venue is not known keeps `miejsce` empty (''): the column is NOT NULL
    since m003, and SQLite drops that constraint only by rebuilding the table, which the
    tables referring to meetings would then follow to the old copy.
    """
    run(
        db,
        """
        -- Every team whose meeting it is; spotkania.zespol stays the host team and is
        -- always listed here too (the triggers keep it so, whoever writes the meeting).
        CREATE TABLE spotkania_zespoly (
            spotkanie INTEGER NOT NULL REFERENCES spotkania(id) ON DELETE CASCADE,
            zespol INTEGER NOT NULL REFERENCES zespoly(id),
            PRIMARY KEY (spotkanie, zespol)
        );
        CREATE INDEX spotkania_zespoly_zespol ON spotkania_zespoly(zespol, spotkanie);
        INSERT INTO spotkania_zespoly (spotkanie, zespol) SELECT id, zespol FROM spotkania;
        -- The units beyond the team's own gmina that its area covers: gminas (7 digits)
        -- and powiats (4 digits), as in the rural model of a gmina with its powiat.
        CREATE TABLE zespoly_obszar (
            zespol INTEGER NOT NULL REFERENCES zespoly(id) ON DELETE CASCADE,
            teryt TEXT NOT NULL REFERENCES teryt(kod),
            PRIMARY KEY (zespol, teryt)
        );
        CREATE INDEX zespoly_obszar_teryt ON zespoly_obszar(teryt)
        """,
    )
    db.execute(
        "CREATE TRIGGER spotkania_gospodarz_ai AFTER INSERT ON spotkania BEGIN "
        "INSERT OR IGNORE INTO spotkania_zespoly (spotkanie, zespol) VALUES (NEW.id, NEW.zespol); "
        "END"
    )
    db.execute(
        "CREATE TRIGGER spotkania_gospodarz_au AFTER UPDATE OF zespol ON spotkania BEGIN "
        "DELETE FROM spotkania_zespoly WHERE spotkanie = NEW.id AND zespol = OLD.zespol; "
        "INSERT OR IGNORE INTO spotkania_zespoly (spotkanie, zespol) VALUES (NEW.id, NEW.zespol); "
        "END"
    )
