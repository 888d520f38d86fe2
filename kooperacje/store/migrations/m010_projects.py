"""Migration 10: projects as records; a team's free-text project becomes one."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from kooperacje.store.migrations._common import STAMP, history_triggers, run

if TYPE_CHECKING:
    from sqlite_utils import Database


def migrate(db: Database) -> None:
    """Projects with their programme, period, leader and partners, macroregions and the
    local governments taking part; `zespoly.projekt` becomes a reference to one."""
    run(
        db,
        """
        CREATE TABLE projekty (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            nazwa TEXT NOT NULL,           -- exactly as the user typed it, never rewritten
            skrot TEXT,                    -- what commands use, e.g. "Kooperacje 3D"
            -- Programme, priority axis and measure, e.g. "Program Operacyjny Wiedza
            -- Edukacja Rozwój 2014–2020, Oś priorytetowa II, Działanie 2.5 …".
            program TEXT,
            -- The co-financing statement the project's documents must carry.
            wspolfinansowanie TEXT,
            od TEXT,                       -- ISO date the project starts
            do TEXT,                       -- ISO date it ends
            uwagi TEXT,
            utworzono TEXT NOT NULL,
            zmieniono TEXT NOT NULL
        );
        -- The leader and the partners of a project (institutions of the register).
        CREATE TABLE projekty_instytucje (
            id INTEGER PRIMARY KEY,
            projekt INTEGER NOT NULL REFERENCES projekty(id) ON DELETE CASCADE,
            instytucja INTEGER NOT NULL REFERENCES instytucje(id),
            rola TEXT NOT NULL CHECK (rola IN ('lider', 'partner')),
            opis TEXT,                     -- the role in words, e.g. "partner merytoryczny"
            UNIQUE (projekt, instytucja)
        );
        CREATE UNIQUE INDEX projekty_instytucje_lider
            ON projekty_instytucje(projekt) WHERE rola = 'lider';
        CREATE INDEX projekty_instytucje_instytucja ON projekty_instytucje(instytucja);
        CREATE TABLE projekty_makroregiony (
            projekt INTEGER NOT NULL REFERENCES projekty(id) ON DELETE CASCADE,
            makroregion TEXT NOT NULL CHECK (makroregion IN ('I', 'II', 'III')),
            PRIMARY KEY (projekt, makroregion)
        );
        -- The gminas and powiats taking part, by TERYT code.
        CREATE TABLE projekty_jst (
            projekt INTEGER NOT NULL REFERENCES projekty(id) ON DELETE CASCADE,
            teryt TEXT NOT NULL REFERENCES teryt(kod),
            PRIMARY KEY (projekt, teryt)
        );
        CREATE INDEX projekty_jst_teryt ON projekty_jst(teryt)
        """,
    )
    # Each distinct text becomes a project of that name (kept exactly as stored); a name the
    # macroregions table knows brings its macroregions along.
    texts = [
        str(row[0])
        for row in db.execute(
            "SELECT projekt, min(id) FROM zespoly WHERE trim(ifnull(projekt, '')) != '' "
            "GROUP BY projekt ORDER BY min(id)"
        ).fetchall()
    ]
    ids: dict[str, int] = {}
    for text in texts:
        cursor = db.execute(
            f"INSERT INTO projekty (uuid, nazwa, utworzono, zmieniono) "
            f"VALUES (:uuid, :nazwa, {STAMP}, {STAMP})",
            {"uuid": str(uuid.uuid4()), "nazwa": text},
        )
        assert cursor.lastrowid is not None
        ids[text] = cursor.lastrowid
        db.execute(
            "INSERT INTO projekty_makroregiony (projekt, makroregion) "
            "SELECT DISTINCT :id, makroregion FROM makroregiony WHERE projekt = :nazwa",
            {"id": ids[text], "nazwa": text},
        )
    # Swap the text column for a reference: the history triggers name every column, so
    # they are dropped first and rebuilt over the new columns at the end.
    for kind in ("dodanie", "zmiana", "usuniecie"):
        db.execute(f'DROP TRIGGER IF EXISTS "_historia_zespoly_{kind}"')
    db.execute("ALTER TABLE zespoly ADD COLUMN projekt_nr INTEGER REFERENCES projekty(id)")
    for text, project_id in ids.items():
        db.execute(
            "UPDATE zespoly SET projekt_nr = :id WHERE projekt = :nazwa",
            {"id": project_id, "nazwa": text},
        )
    db.execute("ALTER TABLE zespoly DROP COLUMN projekt")
    db.execute("ALTER TABLE zespoly RENAME COLUMN projekt_nr TO projekt")
    db.execute("CREATE INDEX zespoly_projekt ON zespoly(projekt)")
    history_triggers(db, "zespoly")
    history_triggers(db, "projekty")
