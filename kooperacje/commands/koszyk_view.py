"""How a basket is shown: the table of a gmina's basket, ranked search results, and the
documented rows of CSV and JSON.

Free of Typer and Click (an import contract checks it): `kooperacje koszyk` is answered
by `koszyk_quick` before the command tree loads, with these same functions.
"""

from __future__ import annotations

from kooperacje.output import info, listing
from kooperacje.register.vocab import SERVICE_AREAS, TARGET_GROUPS
from kooperacje.text import plural

# Not `from typing import TYPE_CHECKING`: see output.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from kooperacje.basket.query import Request

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


def show_basket(asked: Request, services: Sequence[Mapping[str, Any]], fmt: str) -> None:
    """A gmina's basket (the rows of basket.query) on standard output: by area as tables, or
    as CSV or JSON rows. fmt: a formats.Format, or its value."""
    if fmt == "tabela":
        _print_table(asked, services)
    else:
        listing([export_row(s) for s in services], [(k, k) for k in EXPORT_KEYS], fmt)


def print_ranked(services: Sequence[Mapping[str, Any]], empty: str) -> None:
    """Search results (rows of basket.query) as one table, best match first."""
    rows = [
        {
            "nr": s["id"],
            "nazwa": s["nazwa"],
            "instytucja": s["instytucja_nazwa"],
            "obszar": s["obszar_nazwa"],
            "grupy": ", ".join(s["grupy_nazwy"]) or "wszyscy",
        }
        for s in services
    ]
    listing(rows, _SEARCH_COLUMNS, "tabela", empty=empty)


def export_row(s: Mapping[str, Any]) -> dict[str, Any]:
    """A basket service (a row of basket.query) as a CSV/JSON row with the documented keys."""
    return {
        **{key: s.get(key) for key in EXPORT_KEYS},
        "usluga": s["id"],
        "grupy": ", ".join(s["grupy"]),
        "grupy_nazwy": ", ".join(s["grupy_nazwy"]),
        "zasieg": ", ".join(s["zasieg"]),
        "zasieg_nazwy": ", ".join(s["zasieg_nazwy"]),
    }


def _by_area(services: Sequence[Mapping[str, Any]]) -> list[list[Mapping[str, Any]]]:
    """The services in sections by area, in the vocabulary's order of areas; within an
    area they keep their order (provider order)."""
    found: dict[str, list[Mapping[str, Any]]] = {}
    for service in services:
        found.setdefault(service["obszar"], []).append(service)
    return [items for code in SERVICE_AREAS.codes if (items := found.get(code))]


def _print_table(b: Request, services: Sequence[Mapping[str, Any]]) -> None:
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
        print_ranked(services, _empty_message(b))
        return
    if not services:
        info(_empty_message(b))
        return
    areas = _by_area(services)
    info(
        f"{plural(len(services), 'usługa', 'usługi', 'usług')} w "
        f"{plural(len(areas), 'obszarze', 'obszarach', 'obszarach')}."
    )
    for area in areas:
        info("")
        name = area[0]["obszar_nazwa"]
        info(name[:1].upper() + name[1:])
        rows, previous = [], None
        for s in area:
            # The provider is named once per run of its services.
            short = s["instytucja_skrot"]
            provider = s["instytucja_nazwa"] + (f" ({short})" if short else "")
            rows.append(
                {
                    "instytucja": "" if s["instytucja"] == previous else provider,
                    "nazwa": s["nazwa"],
                    "grupy": ", ".join(s["grupy_nazwy"]) or "wszyscy",
                    "jak_skorzystac": s["jak_skorzystac"] or s["kontakt"] or "",
                }
            )
            previous = s["instytucja"]
        listing(rows, _TABLE_COLUMNS, "tabela")


def _empty_message(b: Request) -> str:
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
