"""Services of the basket: what a service is, finding one, listing them, labels of reach."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kooperacje.basket.terms import parse_status, reach_labels, sort_groups
from kooperacje.errors import Ambiguous, InvalidInput, NotFound
from kooperacje.register import institutions, teryt
from kooperacje.register.vocab import SERVICE_AREAS, SERVICE_STATUSES, TARGET_GROUPS
from kooperacje.text import fold, polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database


# Status of a service: only active services enter a basket.
STATUSES = dict(SERVICE_STATUSES.items)


# Words accepted in --zasieg for the provider's own units.
OWN_UNITS = ("gmina", "powiat", "wojewodztwo")


# Optional free-text fields, in the order a user reads them.
TEXT_FIELDS = ("opis", "jak_skorzystac", "kryteria", "odplatnosc", "kontakt")


@dataclass(frozen=True)
class Service:
    """One service with the labels a user reads."""

    id: int
    uuid: str
    nazwa: str
    instytucja: int
    instytucja_nazwa: str
    obszar: str
    obszar_nazwa: str
    opis: str | None
    jak_skorzystac: str | None
    kryteria: str | None
    odplatnosc: str | None
    kontakt: str | None
    status: str
    grupy: tuple[str, ...]  # target-group codes, in vocabulary order
    zasieg: tuple[str, ...]  # TERYT codes of the reach, sorted
    instytucja_skrot: str | None
    grupy_nazwy: tuple[str, ...]  # labels of grupy
    zasieg_nazwy: tuple[str, ...]  # "powiat radomszczański (1012)", same order as zasieg
    status_nazwa: str
    utworzono: str
    zmieniono: str
    dokumenty: str | None = None
    wiek_od: int | None = None
    wiek_do: int | None = None
    bezplatna: int | None = None  # 1 bezpłatna, 0 odpłatna, None not stated
    miejsce: str = "siedziba"
    adres: str | None = None
    kod_pocztowy: str | None = None
    miejscowosc: str | None = None
    godziny: str | None = None
    dni: str | None = None  # "pn,wt,sr"
    kontakt_osoba: str | None = None
    kontakt_telefon: str | None = None
    kontakt_email: str | None = None
    zweryfikowano: str | None = None
    zweryfikowal: str | None = None
    biuro: int | None = None  # the provider's office it is given at (its address is adres)


_SELECT = """
    SELECT u.id, u.uuid, u.nazwa, u.instytucja, i.nazwa AS instytucja_nazwa, u.obszar,
           o.nazwa AS obszar_nazwa, u.opis, u.jak_skorzystac, u.kryteria, u.odplatnosc,
           u.kontakt, u.status, i.skrot AS instytucja_skrot, u.utworzono, u.zmieniono,
           u.dokumenty, u.wiek_od, u.wiek_do, u.bezplatna, u.miejsce, u.adres,
           u.kod_pocztowy, u.miejscowosc, u.godziny, u.dni, u.kontakt_osoba,
           u.kontakt_telefon, u.kontakt_email, u.zweryfikowano, u.zweryfikowal, u.biuro,
           (SELECT group_concat(ug.grupa, '|') FROM uslugi_grupy ug
             WHERE ug.usluga = u.id) AS grupy,
           (SELECT group_concat(uz.teryt, '|') FROM uslugi_zasieg uz
             WHERE uz.usluga = u.id) AS zasieg
    FROM uslugi u
    JOIN instytucje i ON i.id = u.instytucja
    JOIN obszary_uslug o ON o.kod = u.obszar
"""


# A service name: the stored folded name (m016) through an index, else (a row written or
# renamed by another client) folded here; two index searches, never a fold of every row.
SAME_NAME = """u.id IN (
    SELECT id FROM uslugi WHERE nazwa_szukaj = :n
    UNION ALL
    SELECT id FROM uslugi WHERE nazwa_szukaj IS NULL AND pl_fold(nazwa) = :n)"""
# The same for the services of one provider (:i), through the index (instytucja, nazwa_szukaj).
SAME_NAME_OF_PROVIDER = """u.id IN (
    SELECT id FROM uslugi WHERE instytucja = :i AND nazwa_szukaj = :n
    UNION ALL
    SELECT id FROM uslugi
    WHERE instytucja = :i AND nazwa_szukaj IS NULL AND pl_fold(nazwa) = :n)"""


def _services(db: Database, where: str, params: dict[str, Any]) -> list[Service]:
    rows = list(db.query(_SELECT + where, params))
    split = [
        (
            row,
            sort_groups(filter(None, (row.pop("grupy") or "").split("|"))),
            tuple(sorted(filter(None, (row.pop("zasieg") or "").split("|")))),
        )
        for row in rows
    ]
    labels = reach_labels(db, (code for _, _, reach in split for code in reach))
    return [
        Service(
            **row,
            grupy=groups,
            zasieg=reach,
            grupy_nazwy=tuple(TARGET_GROUPS.label(g) for g in groups),
            zasieg_nazwy=tuple(labels.get(code, code) for code in reach),
            status_nazwa=STATUSES.get(row["status"], row["status"]),
        )
        for row, groups, reach in split
    ]


def get(db: Database, service_id: int) -> Service:
    """The service with this id."""
    found = _services(db, " WHERE u.id = :id", {"id": service_id})
    if not found:
        raise NotFound(
            f"nie ma usługi o numerze {service_id}. "
            "Sprawdź numer poleceniem: kooperacje uslugi lista."
        )
    return found[0]


def resolve(db: Database, ref: int | str) -> Service:
    """A service by id, or by unique name (case- and diacritics-insensitive)."""
    if isinstance(ref, int):
        return get(db, ref)
    value = ref.strip()
    if value.isdigit():
        return get(db, int(value))
    if not value:
        raise InvalidInput("podaj numer albo nazwę usługi, np. kooperacje uslugi pokaz 1.")
    found = _services(db, " WHERE " + SAME_NAME, {"n": fold(value)})
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFound(
            f'nie znaleziono usługi "{value}". Sprawdź numer poleceniem: kooperacje uslugi lista.'
        )
    listing = "; ".join(f"{s.id}: {s.nazwa} ({s.instytucja_nazwa})" for s in _ordered(found))
    raise Ambiguous(f'usługa "{value}" jest niejednoznaczna: {listing}. Podaj numer usługi.')


def _ordered(found: Iterable[Service]) -> list[Service]:
    return sorted(found, key=lambda s: (polish_key(s.instytucja_nazwa), polish_key(s.nazwa), s.id))


def list_(
    db: Database,
    *,
    instytucja: str | None = None,
    obszar: str | None = None,
    gmina: str | None = None,
    status: str | None = None,
) -> list[Service]:
    """Services, optionally of one provider, of one area, of any status, or available in
    a gmina (reach covering it directly, through its powiat or its voivodeship).

    Ordered by provider, then service name (Polish alphabetical order).
    """
    params: dict[str, Any] = {
        "instytucja": None if instytucja is None else institutions.resolve(db, instytucja).id,
        "obszar": None if obszar is None else SERVICE_AREAS.parse(obszar),
        "status": None if status is None else parse_status(status),
        "gmina": None,
        "powiat": None,
        "woj": None,
    }
    if gmina is not None:
        unit = teryt.resolve_gmina(db, gmina)
        params |= {"gmina": unit.kod, "powiat": unit.powiat_kod, "woj": unit.wojewodztwo_kod}
    # Only the conditions asked for: "(:x IS NULL OR …)" would keep SQLite from using the
    # indexes, and a listing of one gmina would read every service of the country.
    conditions = {
        "instytucja": "u.instytucja = :instytucja",
        "obszar": "u.obszar = :obszar",
        "status": "u.status = :status",
        "gmina": "u.id IN (SELECT usluga FROM uslugi_zasieg "
        "WHERE teryt IN (:gmina, :powiat, :woj))",
    }
    where = [sql for name, sql in conditions.items() if params[name] is not None]
    return _ordered(_services(db, " WHERE " + (" AND ".join(where) or "1 = 1"), params))
