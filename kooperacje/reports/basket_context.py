"""The context of the printed basket of a gmina (and of the basket section of a team report)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kooperacje import __version__
from kooperacje.basket import basket
from kooperacje.basket import service_details as sd
from kooperacje.basket.basket import BasketService
from kooperacje.register.teryt import Unit
from kooperacje.register.vocab import SERVICE_AREAS, TARGET_GROUPS
from kooperacje.reports.context import Place, place
from kooperacje.text import polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class ServiceEntry:
    """A service of the basket under its provider."""

    nazwa: str
    opis: str | None
    dla: tuple[str, ...]  # target-group labels, vocabulary order
    kryteria: str | None
    jak_skorzystac: str | None
    odplatnosc: str | None
    kontakt: str | None
    zasieg: tuple[str, ...]  # readable reach: "powiat radomszczański (1012)"
    wiek: str | None = None  # "13–18 lat"
    dokumenty: str | None = None
    koszt: str | None = None  # "bezpłatna", "odpłatna: 20 zł", or the older description
    gdzie: str | None = None  # where the service is given, in words
    kiedy: str | None = None  # days and opening hours
    zweryfikowano: str | None = None  # ISO date of the last check
    id: int = 0


@dataclass(frozen=True)
class Provider:
    """An institution offering services in one service area of a basket."""

    nazwa: str
    skrot: str | None
    adres: str | None  # "ul. Tkacka 5, 97-500 Radomsko"
    telefon: str | None
    email: str | None
    www: str | None  # as entered; only http(s) addresses become links
    uslugi: tuple[ServiceEntry, ...]

    @property
    def www_link(self) -> str | None:
        """The address for an `href`, or None when it is not a web address."""
        if self.www and self.www.lower().startswith(("http://", "https://")):
            return self.www
        return None


@dataclass(frozen=True)
class AreaGroup:
    """One service area of a basket, providers in Polish alphabetical order."""

    kod: str
    nazwa: str
    dostawcy: tuple[Provider, ...]

    @property
    def liczba_uslug(self) -> int:
        return sum(len(p.uslugi) for p in self.dostawcy)


@dataclass(frozen=True)
class BasketReport:
    """Context of `koszyk.md` / `koszyk.html`: the printable basket of a gmina."""

    gmina: Place
    zespol: str | None  # name of the gmina's team, if it has one
    obszar: str | None  # label of the area filter, if any
    grupa: str | None  # label of the target-group filter, if any
    obszary: tuple[AreaGroup, ...]  # areas with services only, vocabulary order
    wersja: str
    stan_na: str = ""  # ISO date the catalogue was made on
    filtry: tuple[str, ...] = ()  # every filter in words: "wiek 70 lat", "tylko bezpłatne"
    indeks: tuple[IndexEntry, ...] = ()  # providers in Polish order

    @property
    def liczba_uslug(self) -> int:
        return sum(a.liczba_uslug for a in self.obszary)


@dataclass(frozen=True)
class IndexEntry:
    """A provider in the index of a printable basket, with the sections it appears in."""

    nazwa: str
    skrot: str | None
    obszary: tuple[tuple[int, str, str], ...]  # (section number, area code, area label)


def _service(s: BasketService) -> ServiceEntry:
    where = (
        s.adres
        if s.miejsce == "siedziba"
        else sd.place_text(
            s.miejsce, s.miejsce_adres, s.miejsce_kod_pocztowy, s.miejsce_miejscowosc
        )
    )
    return ServiceEntry(
        nazwa=s.nazwa,
        opis=s.opis,
        dla=s.grupy_nazwy,
        kryteria=s.kryteria,
        jak_skorzystac=s.jak_skorzystac,
        odplatnosc=s.odplatnosc,
        kontakt=sd.contact_text(s.kontakt, s.kontakt_osoba, s.kontakt_telefon, s.kontakt_email),
        zasieg=s.zasieg_nazwy,
        wiek=sd.age_label(s.wiek_od, s.wiek_do),
        dokumenty=s.dokumenty,
        koszt=sd.cost_text(s.bezplatna, s.odplatnosc),
        gdzie=where,
        kiedy=sd.when_text(s.godziny, s.dni),
        zweryfikowano=s.zweryfikowano,
        id=s.id,
    )


def provider_index(areas: Sequence[AreaGroup]) -> tuple[IndexEntry, ...]:
    """Every provider of the basket once, in Polish order, with its sections."""
    found: dict[tuple[str, str | None], list[tuple[int, str, str]]] = {}
    for number, area in enumerate(areas, start=1):
        for provider in area.dostawcy:
            found.setdefault((provider.nazwa, provider.skrot), []).append(
                (number, area.kod, area.nazwa)
            )
    return tuple(
        IndexEntry(name, short, tuple(sections))
        for (name, short), sections in sorted(found.items(), key=lambda i: polish_key(i[0][0]))
    )


def group_basket(services: Sequence[BasketService]) -> tuple[AreaGroup, ...]:
    """Services grouped by area (vocabulary order), then provider (Polish order)."""
    areas: list[AreaGroup] = []
    for code, label in SERVICE_AREAS.items:
        in_area = [s for s in services if s.obszar == code]
        if not in_area:
            continue
        providers: dict[int, list[BasketService]] = {}
        for s in in_area:
            providers.setdefault(s.instytucja, []).append(s)
        ordered = sorted(
            providers.values(),
            key=lambda group: (polish_key(group[0].instytucja_nazwa), group[0].instytucja),
        )
        areas.append(
            AreaGroup(
                kod=code,
                nazwa=label,
                dostawcy=tuple(
                    Provider(
                        nazwa=group[0].instytucja_nazwa,
                        skrot=group[0].instytucja_skrot,
                        adres=group[0].adres,
                        telefon=group[0].telefon,
                        email=group[0].email,
                        www=group[0].www,
                        uslugi=tuple(
                            _service(s) for s in sorted(group, key=lambda s: polish_key(s.nazwa))
                        ),
                    )
                    for group in ordered
                ),
            )
        )
    return tuple(areas)


def basket_report(
    db: Database,
    unit: Unit,
    *,
    obszar: str | None = None,
    grupa: str | None = None,
    wiek: int | None = None,
    bezplatne: bool = False,
    status: str | None = None,
    szukaj: str | None = None,
    stan_na: dt.date | None = None,
) -> BasketReport:
    """The printable basket of a gmina; the filters of `kooperacje koszyk` as raw input."""
    found = basket.basket_for(
        db,
        unit.kod,
        obszar,
        grupa,
        wiek=wiek,
        bezplatne=bezplatne,
        status=status,
        szukaj=szukaj,
    )
    team = list(db.query("SELECT nazwa FROM zespoly WHERE gmina = :g", {"g": unit.kod}))
    filters = [f"wiek {found.wiek} lat"] if found.wiek is not None else []
    filters += ["tylko bezpłatne"] if found.bezplatne else []
    filters += ["usługi zawieszone"] if found.status == "zawieszona" else []
    filters += [f"wyszukiwanie „{found.szukaj}”"] if found.szukaj else []
    areas = group_basket(found.uslugi)
    return BasketReport(
        gmina=place(unit),
        zespol=team[0]["nazwa"] if team else None,
        obszar=SERVICE_AREAS.label(found.obszar) if found.obszar else None,
        grupa=TARGET_GROUPS.label(found.grupa) if found.grupa else None,
        obszary=areas,
        wersja=__version__,
        stan_na=(stan_na or dt.date.today()).isoformat(),
        filtry=tuple(filters),
        indeks=provider_index(areas),
    )
