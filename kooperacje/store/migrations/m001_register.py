"""Migration 1: the territorial register (TERC) and the macroregions."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from kooperacje.store.migrations._common import data, run

if TYPE_CHECKING:
    from sqlite_utils import Database


def migrate(db: Database) -> None:
    """The territorial register (TERC) and the macroregions of the cooperation projects."""
    run(
        db,
        """
        CREATE TABLE teryt (
            kod TEXT PRIMARY KEY,          -- 2 (województwo), 4 (powiat) or 7 digits (gmina)
            poziom TEXT NOT NULL,          -- wojewodztwo, powiat, gmina, czesc_gminy
            nazwa TEXT NOT NULL,
            rodzaj TEXT NOT NULL,          -- GUS's NAZWA_DOD: gmina miejska, powiat, …
            rodz TEXT,                     -- GUS RODZ: 1 miejska, 2 wiejska, 3 miejsko-wiejska
            wojewodztwo TEXT NOT NULL REFERENCES teryt(kod),
            powiat TEXT REFERENCES teryt(kod),
            stan_na TEXT NOT NULL
        );
        CREATE INDEX teryt_powiat ON teryt(powiat);
        CREATE INDEX teryt_wojewodztwo ON teryt(wojewodztwo);
        CREATE INDEX teryt_poziom ON teryt(poziom);
        CREATE TABLE makroregiony (
            wojewodztwo TEXT PRIMARY KEY REFERENCES teryt(kod),
            makroregion TEXT NOT NULL,
            projekt TEXT NOT NULL,
            lider TEXT NOT NULL
        )
        """,
    )
    rows = []
    for rec in csv.DictReader(io.StringIO(data("terc.csv"))):
        code = rec["woj"] + rec["pow"] + rec["gmi"] + rec["rodz"]
        if not rec["pow"]:
            level = "wojewodztwo"
        elif not rec["gmi"]:
            level = "powiat"
        else:
            level = "gmina" if rec["rodz"] in ("1", "2", "3") else "czesc_gminy"
        rows.append(
            {
                "kod": code,
                "poziom": level,
                "nazwa": rec["nazwa"],
                "rodzaj": rec["nazwa_dod"],
                "rodz": rec["rodz"] or None,
                "wojewodztwo": rec["woj"],
                "powiat": rec["woj"] + rec["pow"] if rec["gmi"] else None,
                "stan_na": rec["stan_na"],
            }
        )
    db.table("teryt").insert_all(rows)
    db.table("makroregiony").insert_all(
        {
            "wojewodztwo": rec["woj"],
            "makroregion": rec["makroregion"],
            "projekt": rec["projekt"],
            "lider": rec["lider"],
        }
        for rec in csv.DictReader(io.StringIO(data("makroregiony.csv")))
    )
