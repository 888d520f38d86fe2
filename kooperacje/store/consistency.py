"""Checking that a database is whole and consistent (`baza sprawdz`): SQLite's own integrity
and foreign-key checks, then what the schema does not enforce by itself: TERYT codes,
vocabulary codes and abbreviations repeated within a gmina.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class Check:
    """One check of `baza sprawdz`: its name and what it found wrong (empty: all well)."""

    nazwa: str
    problemy: tuple[str, ...]


def _rows(db: Database, sql: str) -> list[str]:
    return [str(row["opis"]) for row in db.query(sql)]


_TERYT_CHECKS = """
    SELECT 'instytucja nr ' || id || ': nieznana gmina ' || gmina AS opis FROM instytucje
    WHERE gmina NOT IN (SELECT kod FROM teryt WHERE poziom = 'gmina')
    UNION ALL
    SELECT 'zespół nr ' || id || ': nieznana gmina ' || gmina FROM zespoly
    WHERE gmina NOT IN (SELECT kod FROM teryt WHERE poziom = 'gmina')
    UNION ALL
    SELECT 'usługa nr ' || usluga || ': nieznany kod zasięgu ' || teryt FROM uslugi_zasieg
    WHERE teryt NOT IN (SELECT kod FROM teryt)
"""
_VOCABULARY_CHECKS = """
    SELECT 'instytucja nr ' || id || ': nieznany sektor ' || sektor AS opis FROM instytucje
    WHERE sektor NOT IN (SELECT kod FROM sektory)
    UNION ALL
    SELECT 'usługa nr ' || id || ': nieznany obszar ' || obszar FROM uslugi
    WHERE obszar NOT IN (SELECT kod FROM obszary_uslug)
    UNION ALL
    SELECT 'usługa nr ' || usluga || ': nieznana grupa docelowa ' || grupa FROM uslugi_grupy
    WHERE grupa NOT IN (SELECT kod FROM grupy_docelowe)
    UNION ALL
    SELECT 'spotkanie nr ' || id || ': nieznany rodzaj ' || rodzaj FROM spotkania
    WHERE rodzaj NOT IN (SELECT kod FROM rodzaje_spotkan)
    UNION ALL
    SELECT 'deklaracja nr ' || id || ': nieznany rodzaj ' || rodzaj FROM deklaracje
    WHERE rodzaj NOT IN (SELECT kod FROM rodzaje_deklaracji)
"""


# An abbreviation must name one institution in its gmina; files written before that rule
# (or by other clients) may hold two.
_SHORT_NAME_CHECKS = """
    SELECT 'gmina ' || g.nazwa || ' (' || i.gmina || '): skrót „' || min(i.skrot)
           || '” mają instytucje nr ' || (
               -- In the order of their numbers, whichever index the grouping reads.
               SELECT group_concat(x.id, ', ') FROM (
                   SELECT id FROM instytucje
                   WHERE gmina = i.gmina AND skrot IS NOT NULL
                     AND coalesce(skrot_szukaj, pl_fold(skrot))
                         = coalesce(i.skrot_szukaj, pl_fold(i.skrot))
                   ORDER BY id) x)
           || '; nadaj im różne skróty (kooperacje instytucje edytuj NR --skrot NOWY)' AS opis
    FROM instytucje i JOIN teryt g ON g.kod = i.gmina
    WHERE i.skrot IS NOT NULL
    GROUP BY i.gmina, coalesce(i.skrot_szukaj, pl_fold(i.skrot))
    HAVING count(*) > 1
    ORDER BY i.gmina, min(i.id)
"""


def check(db: Database) -> list[Check]:
    """Integrity, foreign keys, TERYT codes, vocabulary codes and repeated abbreviations."""
    integrity = [str(row[0]) for row in db.execute("PRAGMA integrity_check").fetchall()]
    keys = [
        f"tabela {row[0]}, wiersz {row[1]}: wskazuje na nieistniejący wiersz tabeli {row[2]}"
        for row in db.execute("PRAGMA foreign_key_check").fetchall()
    ]
    return [
        Check("integralność pliku", tuple(r for r in integrity if r != "ok")),
        Check("klucze obce", tuple(keys)),
        Check("kody TERYT", tuple(_rows(db, _TERYT_CHECKS))),
        Check("kody słowników", tuple(_rows(db, _VOCABULARY_CHECKS))),
        Check("skróty instytucji w gminach", tuple(_rows(db, _SHORT_NAME_CHECKS))),
    ]
