"""Migration 3: institutions, their staff, teams, meetings, declarations, services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kooperacje.store.migrations._common import run

if TYPE_CHECKING:
    from sqlite_utils import Database


def migrate(db: Database) -> None:
    """Institutions, their staff, teams, meetings, declarations and services."""
    run(
        db,
        """
        CREATE TABLE instytucje (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,     -- stable identity when files of two coordinators merge
            nazwa TEXT NOT NULL,
            skrot TEXT,
            sektor TEXT NOT NULL REFERENCES sektory(kod),
            gmina TEXT NOT NULL REFERENCES teryt(kod),  -- seat of the institution
            adres TEXT,
            kod_pocztowy TEXT,
            miejscowosc TEXT,
            telefon TEXT,                  -- normalised international form, e.g. +48 44 715 07 95
            email TEXT,
            www TEXT,
            nip TEXT,
            regon TEXT,
            uwagi TEXT,
            utworzono TEXT NOT NULL,
            zmieniono TEXT NOT NULL
        );
        CREATE UNIQUE INDEX instytucje_nip ON instytucje(nip) WHERE nip IS NOT NULL;
        CREATE UNIQUE INDEX instytucje_regon ON instytucje(regon) WHERE regon IS NOT NULL;
        CREATE INDEX instytucje_gmina ON instytucje(gmina);
        CREATE INDEX instytucje_sektor ON instytucje(sektor);
        CREATE TABLE osoby (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            instytucja INTEGER NOT NULL REFERENCES instytucje(id) ON DELETE CASCADE,
            imie_nazwisko TEXT NOT NULL,
            stanowisko TEXT,
            telefon TEXT,
            email TEXT,
            utworzono TEXT NOT NULL,
            zmieniono TEXT NOT NULL
        );
        CREATE INDEX osoby_instytucja ON osoby(instytucja);
        CREATE TABLE zespoly (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            gmina TEXT NOT NULL UNIQUE REFERENCES teryt(kod),  -- one PZK per gmina
            nazwa TEXT NOT NULL,
            lider INTEGER REFERENCES instytucje(id),
            projekt TEXT,
            data_utworzenia TEXT,
            utworzono TEXT NOT NULL,
            zmieniono TEXT NOT NULL
        );
        CREATE INDEX zespoly_lider ON zespoly(lider);
        CREATE TABLE spotkania (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            zespol INTEGER NOT NULL REFERENCES zespoly(id),
            data TEXT NOT NULL,
            godzina TEXT,
            miejsce TEXT NOT NULL,
            adres TEXT,
            rodzaj TEXT NOT NULL REFERENCES rodzaje_spotkan(kod),
            tytul TEXT,
            opis TEXT,
            utworzono TEXT NOT NULL,
            zmieniono TEXT NOT NULL
        );
        CREATE INDEX spotkania_zespol_data ON spotkania(zespol, data);
        CREATE INDEX spotkania_data ON spotkania(data);
        CREATE TABLE obecnosci (
            id INTEGER PRIMARY KEY,
            spotkanie INTEGER NOT NULL REFERENCES spotkania(id) ON DELETE CASCADE,
            instytucja INTEGER NOT NULL REFERENCES instytucje(id),
            osoba INTEGER REFERENCES osoby(id) ON DELETE SET NULL  -- who came, when known
        );
        CREATE UNIQUE INDEX obecnosci_jednoznaczne
            ON obecnosci(spotkanie, instytucja, ifnull(osoba, 0));
        CREATE INDEX obecnosci_instytucja ON obecnosci(instytucja);
        CREATE INDEX obecnosci_osoba ON obecnosci(osoba);
        CREATE TABLE deklaracje (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            zespol INTEGER NOT NULL REFERENCES zespoly(id),
            instytucja INTEGER NOT NULL REFERENCES instytucje(id),
            rodzaj TEXT NOT NULL REFERENCES rodzaje_deklaracji(kod),
            data TEXT NOT NULL,
            podpisal TEXT,                 -- who signed, as written on the paper
            spotkanie INTEGER REFERENCES spotkania(id),  -- the meeting where it was signed
            uwagi TEXT,
            utworzono TEXT NOT NULL
        );
        CREATE INDEX deklaracje_zespol ON deklaracje(zespol, instytucja, data);
        CREATE INDEX deklaracje_instytucja ON deklaracje(instytucja);
        CREATE INDEX deklaracje_spotkanie ON deklaracje(spotkanie);
        CREATE TABLE uslugi (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            instytucja INTEGER NOT NULL REFERENCES instytucje(id),
            nazwa TEXT NOT NULL,
            obszar TEXT NOT NULL REFERENCES obszary_uslug(kod),
            opis TEXT,
            jak_skorzystac TEXT,
            kryteria TEXT,
            odplatnosc TEXT,
            kontakt TEXT,
            status TEXT NOT NULL DEFAULT 'aktywna'
                CHECK (status IN ('aktywna', 'zawieszona', 'zakonczona')),
            utworzono TEXT NOT NULL,
            zmieniono TEXT NOT NULL
        );
        CREATE INDEX uslugi_instytucja ON uslugi(instytucja);
        CREATE INDEX uslugi_obszar ON uslugi(obszar);
        CREATE TABLE uslugi_grupy (
            usluga INTEGER NOT NULL REFERENCES uslugi(id) ON DELETE CASCADE,
            grupa TEXT NOT NULL REFERENCES grupy_docelowe(kod),
            PRIMARY KEY (usluga, grupa)
        );
        CREATE INDEX uslugi_grupy_grupa ON uslugi_grupy(grupa);
        -- Where a service is available: TERYT codes of gminas, powiats or voivodeships.
        CREATE TABLE uslugi_zasieg (
            usluga INTEGER NOT NULL REFERENCES uslugi(id) ON DELETE CASCADE,
            teryt TEXT NOT NULL REFERENCES teryt(kod),
            PRIMARY KEY (usluga, teryt)
        );
        CREATE INDEX uslugi_zasieg_teryt ON uslugi_zasieg(teryt);
        -- Every edit, so nothing is overwritten silently.
        CREATE TABLE _zmiany (
            id INTEGER PRIMARY KEY,
            tabela TEXT NOT NULL,
            rekord INTEGER NOT NULL,
            pole TEXT NOT NULL,
            stara TEXT,
            nowa TEXT,
            kiedy TEXT NOT NULL
        );
        CREATE INDEX _zmiany_rekord ON _zmiany(tabela, rekord)
        """,
    )
