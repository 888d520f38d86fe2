"""The local basket of services of a gmina (lokalny koszyk usług)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kooperacje import teryt
from kooperacje.services import reach_labels, sort_groups
from kooperacje.text import polish_key
from kooperacje.vocab import SERVICE_AREAS, TARGET_GROUPS

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlite_utils import Database

    from kooperacje.teryt import Unit


@dataclass(frozen=True)
class BasketService:
    """A service as it appears in a gmina's basket."""

    id: int
    nazwa: str
    obszar: str
    obszar_nazwa: str
    instytucja: int
    instytucja_nazwa: str
    instytucja_skrot: str | None
    sektor: str
    opis: str | None
    jak_skorzystac: str | None
    kryteria: str | None
    odplatnosc: str | None
    kontakt: str | None
    adres: str | None
    telefon: str | None
    email: str | None
    grupy: tuple[str, ...]  # target-group codes
    grupy_nazwy: tuple[str, ...]  # their labels
    zasieg: tuple[str, ...]  # TERYT codes of the reach
    zasieg_nazwy: tuple[str, ...] = ()  # "powiat radomszczański (1012)", same order as zasieg
    www: str | None = None


@dataclass(frozen=True)
class Area:
    """One section of a basket: the services of one service area, grouped by provider."""

    obszar: str
    obszar_nazwa: str
    uslugi: tuple[BasketService, ...]


@dataclass(frozen=True)
class Basket:
    """The basket of a gmina, with the filters it was asked with (codes, or None)."""

    gmina: Unit
    obszar: str | None
    grupa: str | None
    uslugi: tuple[BasketService, ...]

    @property
    def obszary(self) -> list[Area]:
        """The services split by area, in the vocabulary's order of areas."""
        return by_area(self.uslugi)


def by_area(services: Sequence[BasketService]) -> list[Area]:
    """Consecutive services of one area as sections (services come ordered by area)."""
    sections: list[Area] = []
    for service in services:
        if sections and sections[-1].obszar == service.obszar:
            last = sections[-1]
            sections[-1] = Area(last.obszar, last.obszar_nazwa, (*last.uslugi, service))
        else:
            sections.append(Area(service.obszar, service.obszar_nazwa, (service,)))
    return sections


def _with_address(row: dict[str, Any]) -> dict[str, Any]:
    """The row with one address line: 'ul. Tkacka 5, 97-500 Radomsko'."""
    rest = {k: v for k, v in row.items() if k not in ("kod_pocztowy", "miejscowosc")}
    town = " ".join(filter(None, (row["kod_pocztowy"], row["miejscowosc"])))
    return rest | {"adres": ", ".join(filter(None, (row["adres"], town))) or None}


def basket_for(
    db: Database, gmina: str, obszar: str | None = None, grupa: str | None = None
) -> Basket:
    """The basket of a gmina given as raw user input (code or name; area and group as
    codes or labels)."""
    unit = teryt.resolve_gmina(db, gmina)
    area = None if obszar is None else SERVICE_AREAS.parse(obszar)
    group = None if grupa is None else TARGET_GROUPS.parse(grupa)
    return Basket(unit, area, group, tuple(basket(db, unit, obszar=area, grupa=group)))


def basket(
    db: Database, gmina: Unit, obszar: str | None = None, grupa: str | None = None
) -> list[BasketService]:
    """Every active service whose reach covers the gmina directly, through its powiat
    or through its voivodeship; ordered by service area, then provider, then name.

    obszar and grupa are vocabulary codes.
    """
    params: dict[str, Any] = {
        "gmina": gmina.kod,
        "powiat": gmina.powiat_kod or "",
        "woj": gmina.wojewodztwo_kod,
        "obszar": obszar,
        "grupa": grupa,
    }
    rows = list(
        db.query(
            """
            SELECT u.id, u.nazwa, u.obszar, o.nazwa AS obszar_nazwa, u.instytucja,
                   i.nazwa AS instytucja_nazwa, i.skrot AS instytucja_skrot, i.sektor,
                   u.opis, u.jak_skorzystac, u.kryteria, u.odplatnosc, u.kontakt,
                   i.adres, i.kod_pocztowy, i.miejscowosc,
                   i.telefon, i.email, i.www,
                   (SELECT group_concat(ug.grupa, '|') FROM uslugi_grupy ug
                     WHERE ug.usluga = u.id) AS grupy,
                   (SELECT group_concat(uz.teryt, '|') FROM uslugi_zasieg uz
                     WHERE uz.usluga = u.id) AS zasieg
            FROM uslugi u
            JOIN instytucje i ON i.id = u.instytucja
            JOIN obszary_uslug o ON o.kod = u.obszar
            WHERE u.status = 'aktywna'
              AND u.id IN (SELECT usluga FROM uslugi_zasieg
                           WHERE teryt IN (:gmina, :powiat, :woj))
              AND (:obszar IS NULL OR u.obszar = :obszar)
              AND (:grupa IS NULL OR EXISTS (SELECT 1 FROM uslugi_grupy g
                                             WHERE g.usluga = u.id AND g.grupa = :grupa))
            """,
            params,
        )
    )
    split = [
        (
            row,
            sort_groups(filter(None, (row.pop("grupy") or "").split("|"))),
            tuple(sorted(filter(None, (row.pop("zasieg") or "").split("|")))),
        )
        for row in rows
    ]
    labels = reach_labels(db, (code for _, _, reach in split for code in reach))
    services = [
        BasketService(
            **_with_address(row),
            grupy=groups,
            grupy_nazwy=tuple(TARGET_GROUPS.label(g) for g in groups),
            zasieg=reach,
            zasieg_nazwy=tuple(labels.get(code, code) for code in reach),
        )
        for row, groups, reach in split
    ]
    order = {code: n for n, code in enumerate(SERVICE_AREAS.codes)}
    return sorted(
        services,
        key=lambda s: (
            order[s.obszar],
            polish_key(s.instytucja_nazwa),
            s.instytucja,  # two providers of the same name stay apart
            polish_key(s.nazwa),
            s.id,
        ),
    )
