"""Institutions (kooperanci): register, find, edit, remove."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kooperacje.errors import Ambiguous, NotFound
from kooperacje.text import fold, polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class Institution:
    """One row of `instytucje`, with the labels a user reads."""

    id: int
    uuid: str
    nazwa: str
    skrot: str | None
    sektor: str
    sektor_nazwa: str
    gmina: str
    gmina_nazwa: str
    adres: str | None
    kod_pocztowy: str | None
    miejscowosc: str | None
    telefon: str | None
    email: str | None
    www: str | None
    nip: str | None
    regon: str | None
    uwagi: str | None

    @property
    def label(self) -> str:
        """'Powiatowe Centrum Pomocy Rodzinie w Radomsku (PCPR, nr 3)'."""
        short = f"{self.skrot}, " if self.skrot else ""
        return f"{self.nazwa} ({short}nr {self.id})"


SELECT = """
    SELECT i.id, i.uuid, i.nazwa, i.skrot, i.sektor, s.nazwa AS sektor_nazwa,
           i.gmina, g.nazwa AS gmina_nazwa, i.adres, i.kod_pocztowy, i.miejscowosc,
           i.telefon, i.email, i.www, i.nip, i.regon, i.uwagi
    FROM instytucje i
    JOIN sektory s ON s.kod = i.sektor
    JOIN teryt g ON g.kod = i.gmina
"""


def from_row(row: dict[str, Any]) -> Institution:
    return Institution(**row)


def get(db: Database, institution_id: int) -> Institution:
    """The institution with this id."""
    rows = list(db.query(SELECT + " WHERE i.id = :id", {"id": institution_id}))
    if not rows:
        raise NotFound(
            f"nie ma instytucji o numerze {institution_id}. "
            "Sprawdź numer poleceniem: kooperacje instytucje lista."
        )
    return from_row(rows[0])


def resolve(db: Database, text: str) -> Institution:
    """An institution by id, or by unique name or short name (case/diacritics-insensitive)."""
    value = text.strip()
    if value.isdigit():
        return get(db, int(value))
    folded = fold(value)
    rows = list(
        db.query(SELECT + " WHERE pl_fold(i.nazwa) = :n OR pl_fold(i.skrot) = :n", {"n": folded})
    )
    if not rows:
        # A unique fragment of the name is enough ("pcpr radom").
        rows = list(
            db.query(
                SELECT + " WHERE pl_fold(i.nazwa) LIKE :p OR pl_fold(i.skrot) LIKE :p",
                {"p": "%" + folded + "%"},
            )
        )
    found = sorted((from_row(r) for r in rows), key=lambda i: polish_key(i.nazwa))
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFound(
            f'nie znaleziono instytucji "{value}". Sprawdź nazwę poleceniem: '
            f'kooperacje instytucje lista --szukaj "{value}".'
        )
    listing = "; ".join(f"{i.id}: {i.nazwa} ({i.gmina_nazwa})" for i in found[:10])
    more = f" i {len(found) - 10} innych" if len(found) > 10 else ""
    raise Ambiguous(
        f'instytucja "{value}" jest niejednoznaczna: {listing}{more}. Podaj numer instytucji.'
    )
