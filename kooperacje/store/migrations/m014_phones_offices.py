"""Migration 14: an institution's further phones and offices; a service at one office."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kooperacje.store.migrations._common import history_triggers, run

if TYPE_CHECKING:
    from sqlite_utils import Database


def migrate(db: Database) -> None:
    """Phones beyond the main one (`instytucje.telefon`), each with an optional label;
    offices beyond the seat (`instytucje.adres`), each saying what is there; a service given
    at the provider's premises may name the office (HSDS: its location)."""
    run(
        db,
        """
        CREATE TABLE instytucje_telefony (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            instytucja INTEGER NOT NULL REFERENCES instytucje(id),
            numer TEXT NOT NULL,           -- normalised, e.g. +48 514 717 195
            opis TEXT,                     -- what it is for, e.g. "sekretariat", "komórka"
            utworzono TEXT NOT NULL,
            UNIQUE (instytucja, numer)
        );
        CREATE TABLE instytucje_biura (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            instytucja INTEGER NOT NULL REFERENCES instytucje(id),
            nazwa TEXT NOT NULL,           -- what is there, e.g. "piecza zastępcza"
            adres TEXT NOT NULL,           -- street and number
            kod_pocztowy TEXT,
            miejscowosc TEXT,
            telefon TEXT,
            utworzono TEXT NOT NULL,
            zmieniono TEXT NOT NULL
        );
        CREATE INDEX instytucje_biura_instytucja ON instytucje_biura(instytucja);
        ALTER TABLE uslugi ADD COLUMN biuro INTEGER REFERENCES instytucje_biura(id);
        CREATE INDEX uslugi_biuro ON uslugi(biuro) WHERE biuro IS NOT NULL
        """,
    )
    history_triggers(db, "instytucje_telefony")
    history_triggers(db, "instytucje_biura")
    history_triggers(db, "uslugi")  # the new column is kept in the history too
