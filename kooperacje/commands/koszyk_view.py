"""How a basket is shown: the table of a gmina's basket, ranked search results, and the
documented rows of CSV and JSON.

Free of Typer and Click (an import contract checks it): `kooperacje koszyk` is answered
by `koszyk_quick` before the command tree loads, with these same functions.
"""

from __future__ import annotations

from typing import Any

from kooperacje.basket.basket import Basket, BasketService
from kooperacje.output import Format, info, listing
from kooperacje.register.vocab import SERVICE_AREAS, TARGET_GROUPS
from kooperacje.text import plural

# Keys of CSV and JSON rows: stable, documented in the README.
EXPORT_KEYS = (
    "obszar",
    "obszar_nazwa",
    "instytucja",
    "instytucja_nazwa",
    "usluga",
    "nazwa",
    "grupy",
    "jak_skorzystac",
    "kryteria",
    "odplatnosc",
    "kontakt",
    "adres",
    "telefon",
    "email",
    "zasieg",
    "grupy_nazwy",
    "zasieg_nazwy",
    "opis",
    "instytucja_skrot",
    "www",
    "status",
    "wiek_od",
    "wiek_do",
    "dokumenty",
    "bezplatna",
    "miejsce",
    "miejsce_adres",
    "miejsce_kod_pocztowy",
    "miejsce_miejscowosc",
    "godziny",
    "dni",
    "kontakt_osoba",
    "kontakt_telefon",
    "kontakt_email",
    "zweryfikowano",
    "zweryfikowal",
    "uuid",
)
_TABLE_COLUMNS = [
    ("instytucja", "Instytucja"),
    ("nazwa", "Usługa"),
    ("grupy", "Dla kogo"),
    ("jak_skorzystac", "Jak skorzystać"),
]
_SEARCH_COLUMNS = [
    ("nr", "Nr"),
    ("nazwa", "Usługa"),
    ("instytucja", "Instytucja"),
    ("obszar", "Obszar"),
    ("grupy", "Dla kogo"),
]


def show_basket(found: Basket, fmt: Format) -> None:
    """A gmina's basket on standard output: by area as tables, or as CSV or JSON rows."""
    if fmt is Format.tabela:
        _print_table(found)
    else:
        listing([export_row(s) for s in found.uslugi], [(k, k) for k in EXPORT_KEYS], fmt)


def print_ranked(services: tuple[BasketService, ...], empty: str) -> None:
    """Search results as one table, best match first."""
    rows = [
        {
            "nr": s.id,
            "nazwa": s.nazwa,
            "instytucja": s.instytucja_nazwa,
            "obszar": s.obszar_nazwa,
            "grupy": ", ".join(s.grupy_nazwy) or "wszyscy",
        }
        for s in services
    ]
    listing(rows, _SEARCH_COLUMNS, Format.tabela, empty=empty)


def export_row(s: BasketService) -> dict[str, Any]:
    """A basket service as a CSV/JSON row with the documented keys."""
    return {
        **{key: getattr(s, key, None) for key in EXPORT_KEYS},
        "usluga": s.id,
        "grupy": ", ".join(s.grupy),
        "grupy_nazwy": ", ".join(s.grupy_nazwy),
        "zasieg": ", ".join(s.zasieg),
        "zasieg_nazwy": ", ".join(s.zasieg_nazwy),
    }


def _print_table(b: Basket) -> None:

    g = b.gmina
    info(f"Lokalny koszyk usług: {g.nazwa} ({g.rodzaj}, {g.kod})")
    filters = [f"obszar „{SERVICE_AREAS.label(b.obszar)}”"] if b.obszar else []
    filters += [f"grupa „{TARGET_GROUPS.label(b.grupa)}”"] if b.grupa else []
    filters += [f"wiek {b.wiek}"] if b.wiek is not None else []
    filters += ["tylko bezpłatne"] if b.bezplatne else []
    filters += [f"status {b.status}"] if b.status != "aktywna" else []
    filters += [f"wyszukiwanie „{b.szukaj}”"] if b.szukaj else []
    if filters:
        info(f"Filtr: {', '.join(filters)}.")
    if b.szukaj:
        # Search results stay in rank order: best match first, whatever the area.
        print_ranked(b.uslugi, _empty_message(b))
        return
    if not b.uslugi:
        info(_empty_message(b))
        return
    areas = b.obszary
    info(
        f"{plural(len(b.uslugi), 'usługa', 'usługi', 'usług')} w "
        f"{plural(len(areas), 'obszarze', 'obszarach', 'obszarach')}."
    )
    for area in areas:
        info("")
        info(area.obszar_nazwa[:1].upper() + area.obszar_nazwa[1:])
        rows, previous = [], None
        for s in area.uslugi:
            # The provider is named once per run of its services.
            name = s.instytucja_nazwa + (f" ({s.instytucja_skrot})" if s.instytucja_skrot else "")
            rows.append(
                {
                    "instytucja": "" if s.instytucja == previous else name,
                    "nazwa": s.nazwa,
                    "grupy": ", ".join(s.grupy_nazwy) or "wszyscy",
                    "jak_skorzystac": s.jak_skorzystac or s.kontakt or "",
                }
            )
            previous = s.instytucja
        listing(rows, _TABLE_COLUMNS, Format.tabela)


def _empty_message(b: Basket) -> str:
    g = b.gmina
    if b.filtrowany:
        return (
            "Brak aktywnych usług spełniających te warunki. Cały koszyk pokaże polecenie: "
            f"kooperacje koszyk --gmina {g.kod}"
        )
    return (
        f"Koszyk jest pusty: żadna aktywna usługa nie obejmuje gminy {g.nazwa} ani jej powiatu "
        "czy województwa. Dodaj usługę poleceniem: kooperacje uslugi dodaj NAZWA "
        f"--instytucja I --obszar A --zasieg {g.kod}"
    )
