"""The local basket of services of a gmina (lokalny koszyk usług), as objects for reports
and exports; the query and its rows are in `query`."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kooperacje.basket import query
from kooperacje.register.teryt import Unit

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kooperacje.store.db import Queryable


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
    uuid: str = ""
    instytucja_uuid: str = ""
    status: str = "aktywna"
    dokumenty: str | None = None
    wiek_od: int | None = None
    wiek_do: int | None = None
    bezplatna: int | None = None  # 1 bezpłatna, 0 odpłatna, None not stated
    miejsce: str = "siedziba"
    # The service's own address when miejsce is 'adres' (adres above is the provider's).
    miejsce_adres: str | None = None
    miejsce_kod_pocztowy: str | None = None
    miejsce_miejscowosc: str | None = None
    godziny: str | None = None
    dni: str | None = None
    kontakt_osoba: str | None = None
    kontakt_telefon: str | None = None
    kontakt_email: str | None = None
    zweryfikowano: str | None = None
    zweryfikowal: str | None = None
    zmieniono: str = ""
    trafnosc: float | None = None  # bm25 rank of a search: lower is better
    biuro: int | None = None  # the provider's office it is given at (address in miejsce_*)


@dataclass(frozen=True)
class Basket:
    """The basket of a gmina, with the filters it was asked with (codes, or None)."""

    gmina: Unit
    obszar: str | None
    grupa: str | None
    uslugi: tuple[BasketService, ...]
    wiek: int | None = None
    bezplatne: bool = False
    status: str = "aktywna"
    szukaj: str | None = None


def basket_for(
    db: Queryable,
    gmina: str,
    obszar: str | None = None,
    grupa: str | None = None,
    *,
    wiek: int | None = None,
    bezplatne: bool = False,
    status: str | None = None,
    szukaj: str | None = None,
) -> Basket:
    """The basket of a gmina given as raw user input (code or name; area, group and
    status as codes or labels)."""
    asked = query.request(
        db, gmina, obszar, grupa, wiek=wiek, bezplatne=bezplatne, status=status, szukaj=szukaj
    )
    found = basket(
        db,
        asked.gmina,
        obszar=asked.obszar,
        grupa=asked.grupa,
        wiek=asked.wiek,
        bezplatne=asked.bezplatne,
        status=asked.status,
        szukaj=asked.szukaj,
    )
    return Basket(
        asked.gmina,
        asked.obszar,
        asked.grupa,
        tuple(found),
        asked.wiek,
        asked.bezplatne,
        asked.status,
        asked.szukaj,
    )


# Baskets already computed inside `remembered()`, by their arguments.
_REMEMBERED: ContextVar[dict[tuple[Any, ...], list[BasketService]] | None] = ContextVar(
    "kooperacje_koszyki", default=None
)


@contextlib.contextmanager
def remembered() -> Iterator[None]:
    """Inside the block, a basket asked for again (same gmina, same filters) is not computed
    again: the pages of one team of the report site need it three times (team report, gaps,
    basket report), and it is the costliest query of each."""
    token = _REMEMBERED.set({})
    try:
        yield
    finally:
        _REMEMBERED.reset(token)


def basket(
    db: Queryable,
    gmina: Unit | None,
    obszar: str | None = None,
    grupa: str | None = None,
    *,
    wiek: int | None = None,
    bezplatne: bool = False,
    status: str | Sequence[str] = "aktywna",
    szukaj: str | None = None,
) -> list[BasketService]:
    """The services of query.rows (which see) as objects."""
    statuses = [status] if isinstance(status, str) else list(status)
    memo = _REMEMBERED.get()
    key = (gmina, obszar, grupa, wiek, bezplatne, tuple(statuses), szukaj)
    if memo is not None and key in memo:
        return list(memo[key])
    found = [
        BasketService(**row)
        for row in query.rows(
            db,
            gmina,
            obszar,
            grupa,
            wiek=wiek,
            bezplatne=bezplatne,
            statuses=statuses,
            szukaj=szukaj,
        )
    ]
    if memo is not None:
        memo[key] = list(found)
    return found
