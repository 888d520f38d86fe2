"""Migration 9: task teams (Zadaniowe Zespoły Kooperacyjne, ZZK).

A task team is recorded by what the partnership did, never by whom it helped: a case code
the tool generates, categories, the institutions and staff delegated, the basket services
used, its meetings and its outcome. No column holds anything about the person or family.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kooperacje.store.migrations._common import history_triggers, run

if TYPE_CHECKING:
    from sqlite_utils import Database

# Copied here (not read from the application) so this migration never changes.
_CATEGORIES = (("osoba", "osoba"), ("rodzina", "rodzina"))
_OUTCOMES = (
    ("w_toku", "w toku"),
    ("cel_osiagniety", "cel osiągnięty"),
    ("przerwany", "przerwany"),
)
_HISTORY = (
    "zzk",
    "zzk_grupy",
    "zzk_obszary",
    "zzk_instytucje",
    "zzk_osoby",
    "zzk_uslugi",
    "zzk_spotkania",
    "zzk_obecnosci",
)


def migrate(db: Database) -> None:
    """Task teams with their categories, delegations, services used, meetings and outcome."""
    run(
        db,
        """
        -- Whom a task team concerns, as a category only: one person or one family.
        CREATE TABLE kategorie_zzk (
            kod TEXT PRIMARY KEY, nazwa TEXT NOT NULL, kolejnosc INTEGER NOT NULL
        );
        CREATE TABLE wyniki_zzk (
            kod TEXT PRIMARY KEY, nazwa TEXT NOT NULL, kolejnosc INTEGER NOT NULL
        );
        CREATE TABLE zzk (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            zespol INTEGER NOT NULL REFERENCES zespoly(id),
            -- The case code the tool gives, "ZZK/2020/03": year of opening and the next
            -- number of the team in that year. Never typed by a user, never derived from
            -- anything about the person or family; unique within the team.
            nazwa TEXT NOT NULL,
            rok INTEGER NOT NULL,
            numer INTEGER NOT NULL CHECK (numer > 0),
            kategoria TEXT NOT NULL REFERENCES kategorie_zzk(kod),
            data_otwarcia TEXT NOT NULL,
            data_zamkniecia TEXT,
            wynik TEXT NOT NULL DEFAULT 'w_toku' REFERENCES wyniki_zzk(kod),
            -- The only free text: a remark about the cooperation itself, screened for
            -- anything that identifies a person before it is stored.
            uwagi TEXT,
            utworzono TEXT NOT NULL,
            zmieniono TEXT NOT NULL,
            UNIQUE (zespol, rok, numer),
            UNIQUE (zespol, nazwa),
            -- Open (w toku) exactly while there is no closing date.
            CHECK ((wynik = 'w_toku') = (data_zamkniecia IS NULL)),
            CHECK (data_zamkniecia IS NULL OR data_zamkniecia >= data_otwarcia)
        );
        CREATE INDEX zzk_data_otwarcia ON zzk(data_otwarcia);
        CREATE INDEX zzk_data_zamkniecia ON zzk(data_zamkniecia);
        -- Target groups and service areas of the case, from the vocabularies.
        CREATE TABLE zzk_grupy (
            id INTEGER PRIMARY KEY,
            zzk INTEGER NOT NULL REFERENCES zzk(id) ON DELETE CASCADE,
            grupa TEXT NOT NULL REFERENCES grupy_docelowe(kod),
            UNIQUE (zzk, grupa)
        );
        CREATE TABLE zzk_obszary (
            id INTEGER PRIMARY KEY,
            zzk INTEGER NOT NULL REFERENCES zzk(id) ON DELETE CASCADE,
            obszar TEXT NOT NULL REFERENCES obszary_uslug(kod),
            UNIQUE (zzk, obszar)
        );
        -- Institutions that delegated staff; deleting an institution is refused while
        -- a task team names it (it would change the published figures).
        CREATE TABLE zzk_instytucje (
            id INTEGER PRIMARY KEY,
            zzk INTEGER NOT NULL REFERENCES zzk(id) ON DELETE CASCADE,
            instytucja INTEGER NOT NULL REFERENCES instytucje(id),
            UNIQUE (zzk, instytucja)
        );
        CREATE INDEX zzk_instytucje_instytucja ON zzk_instytucje(instytucja);
        -- Delegated staff members (persons of the register). Erasing a person's data
        -- deletes these rows with the person.
        CREATE TABLE zzk_osoby (
            id INTEGER PRIMARY KEY,
            zzk INTEGER NOT NULL REFERENCES zzk(id) ON DELETE CASCADE,
            osoba INTEGER NOT NULL REFERENCES osoby(id) ON DELETE CASCADE,
            UNIQUE (zzk, osoba)
        );
        CREATE INDEX zzk_osoby_osoba ON zzk_osoby(osoba);
        -- Basket services the case used; a service deleted as a mistake goes with it.
        CREATE TABLE zzk_uslugi (
            id INTEGER PRIMARY KEY,
            zzk INTEGER NOT NULL REFERENCES zzk(id) ON DELETE CASCADE,
            usluga INTEGER NOT NULL REFERENCES uslugi(id) ON DELETE CASCADE,
            UNIQUE (zzk, usluga)
        );
        CREATE INDEX zzk_uslugi_usluga ON zzk_uslugi(usluga);
        -- Meetings of the task team: a date each, and which institutions took part.
        CREATE TABLE zzk_spotkania (
            id INTEGER PRIMARY KEY,
            zzk INTEGER NOT NULL REFERENCES zzk(id) ON DELETE CASCADE,
            data TEXT NOT NULL,
            utworzono TEXT NOT NULL,
            UNIQUE (zzk, data)
        );
        CREATE INDEX zzk_spotkania_data ON zzk_spotkania(data);
        CREATE TABLE zzk_obecnosci (
            id INTEGER PRIMARY KEY,
            spotkanie INTEGER NOT NULL REFERENCES zzk_spotkania(id) ON DELETE CASCADE,
            instytucja INTEGER NOT NULL REFERENCES instytucje(id),
            UNIQUE (spotkanie, instytucja)
        );
        CREATE INDEX zzk_obecnosci_instytucja ON zzk_obecnosci(instytucja)
        """,
    )
    for table, items in (("kategorie_zzk", _CATEGORIES), ("wyniki_zzk", _OUTCOMES)):
        db.table(table).insert_all(
            {"kod": code, "nazwa": label, "kolejnosc": order}
            for order, (code, label) in enumerate(items, start=1)
        )
    for table in _HISTORY:
        history_triggers(db, table)
