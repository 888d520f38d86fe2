"""Migration 11: cooperation agreements (porozumienia) and their parties."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kooperacje.store.migrations._common import history_triggers, run

if TYPE_CHECKING:
    from sqlite_utils import Database


def migrate(db: Database) -> None:
    """Agreements binding institutions and local governments to a project or to each other."""
    run(
        db,
        """
        CREATE TABLE porozumienia (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            nazwa TEXT NOT NULL,           -- its title, e.g. "Porozumienie o współpracy …"
            przedmiot TEXT,                -- what the parties agree to do
            projekt INTEGER REFERENCES projekty(id),
            status TEXT NOT NULL DEFAULT 'planowane'
                CHECK (status IN ('planowane', 'podpisane', 'wygasle', 'rozwiazane')),
            -- The day by which it is to be signed: a planned agreement past it is a gap.
            termin_podpisania TEXT,
            data_podpisania TEXT,
            obowiazuje_od TEXT,            -- the period it is valid, ISO dates
            obowiazuje_do TEXT,
            oryginal TEXT,                 -- where the signed original is kept
            uwagi TEXT,
            utworzono TEXT NOT NULL,
            zmieniono TEXT NOT NULL
        );
        CREATE INDEX porozumienia_projekt ON porozumienia(projekt);
        CREATE INDEX porozumienia_status ON porozumienia(status, termin_podpisania);
        -- A party is an institution of the register or a local government (gmina, powiat,
        -- voivodeship by TERYT code): exactly one of the two.
        CREATE TABLE porozumienia_strony (
            id INTEGER PRIMARY KEY,
            porozumienie INTEGER NOT NULL REFERENCES porozumienia(id) ON DELETE CASCADE,
            instytucja INTEGER REFERENCES instytucje(id),
            jst TEXT REFERENCES teryt(kod),
            CHECK ((instytucja IS NULL) != (jst IS NULL))
        );
        CREATE UNIQUE INDEX porozumienia_strony_instytucja
            ON porozumienia_strony(porozumienie, instytucja) WHERE instytucja IS NOT NULL;
        CREATE UNIQUE INDEX porozumienia_strony_jst
            ON porozumienia_strony(porozumienie, jst) WHERE jst IS NOT NULL;
        CREATE INDEX porozumienia_strony_porozumienie ON porozumienia_strony(porozumienie);
        CREATE INDEX porozumienia_strony_instytucja_i ON porozumienia_strony(instytucja);
        CREATE INDEX porozumienia_strony_jst_i ON porozumienia_strony(jst)
        """,
    )
    history_triggers(db, "porozumienia")
