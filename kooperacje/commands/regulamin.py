"""`kooperacje zespoly regulamin`: the versions of a team's rules."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kooperacje.commands._base import new_app
from kooperacje.commands._common import (
    FormatOpt,
    OptGminaOpt,
    TakOpt,
    ZespolOpt,
    confirm_deletion,
    get_db,
)
from kooperacje.dates import parse_date, polish_date
from kooperacje.formats import Format
from kooperacje.output import info, listing
from kooperacje.teams import rules

regulamin_app = new_app(
    "Regulamin zespołu: kolejne wersje z datą przyjęcia (tekst z pliku Markdown)."
)

NumerArg = Annotated[
    int | None,
    typer.Argument(help="Numer wersji regulaminu (bez niego: wersja obowiązująca w zespole)."),
]


@regulamin_app.command("dodaj")
def dodaj(
    ctx: typer.Context,
    plik: Annotated[
        Path, typer.Option("--plik", "-p", help="Plik z tekstem regulaminu (Markdown, UTF-8).")
    ],
    gmina: OptGminaOpt = None,
    zespol: ZespolOpt = None,
    spotkanie: Annotated[
        int | None,
        typer.Option("--spotkanie", "-s", help="Spotkanie, na którym przyjęto regulamin."),
    ] = None,
    data: Annotated[
        str | None,
        typer.Option("--data", "-d", help="Dzień przyjęcia (bez --spotkanie); RRRR-MM-DD."),
    ] = None,
    nazwa: Annotated[
        str | None, typer.Option("--nazwa", help="Tytuł (domyślnie: Regulamin zespołu „…”).")
    ] = None,
    uwagi: Annotated[str | None, typer.Option("--uwagi", help="Dowolne uwagi.")] = None,
) -> None:
    """Zapisz nową wersję regulaminu zespołu; wcześniejsze zostają w historii.

    Przykład: kooperacje zespoly regulamin dodaj --zespol 1 --plik regulamin.md --spotkanie 4
    """

    added = rules.add(
        get_db(ctx),
        plik=plik,
        gmina=gmina,
        zespol=zespol,
        data=data,
        spotkanie=spotkanie,
        nazwa=nazwa,
        uwagi=uwagi,
    )
    info(
        f"Zapisano wersję regulaminu nr {added.id} zespołu „{added.zespol_nazwa}”, przyjętą "
        f"{polish_date(added.przyjeto)} ({len(added.tekst)} znaków)."
    )


@regulamin_app.command("lista")
def lista(
    ctx: typer.Context,
    gmina: OptGminaOpt = None,
    zespol: ZespolOpt = None,
    fmt: FormatOpt = Format.tabela,
) -> None:
    """Pokaż wersje regulaminu zespołu od najstarszej.

    Przykład: kooperacje zespoly regulamin lista --gmina 2416021
    """

    found = rules.list_(get_db(ctx), gmina=gmina, zespol=zespol)
    rows = [
        {
            "id": r.id,
            "nazwa": r.nazwa,
            "przyjeto": polish_date(r.przyjeto) if fmt is Format.tabela else r.przyjeto,
            "spotkanie": r.spotkanie,
            "plik": r.plik,
            "znakow": len(r.tekst),
        }
        for r in found
    ]
    columns = [
        ("id", "Nr"),
        ("nazwa", "Tytuł"),
        ("przyjeto", "Przyjęto"),
        ("spotkanie", "Spotkanie nr"),
        ("plik", "Plik"),
        ("znakow", "Znaków"),
    ]
    listing(rows, columns, fmt, empty="Zespół nie ma jeszcze regulaminu.")


@regulamin_app.command("pokaz")
def pokaz(
    ctx: typer.Context,
    numer: NumerArg = None,
    gmina: OptGminaOpt = None,
    zespol: ZespolOpt = None,
    na_dzien: Annotated[
        str | None,
        typer.Option("--na-dzien", help="Wersja obowiązująca w tym dniu (domyślnie dziś)."),
    ] = None,
) -> None:
    """Pokaż tekst regulaminu: wersji o numerze albo obowiązującej w zespole.

    Przykład: kooperacje zespoly regulamin pokaz --zespol 1 --na-dzien 2019-12-31
    """

    day = parse_date(na_dzien) if na_dzien is not None else None
    found = rules.chosen(get_db(ctx), numer=numer, gmina=gmina, zespol=zespol, na_dzien=day)
    info(f"{found.nazwa} (wersja nr {found.id}, przyjęta {polish_date(found.przyjeto)})")
    info("")
    info(found.tekst.rstrip("\n"))


@regulamin_app.command("usun")
def usun(
    ctx: typer.Context,
    numer: Annotated[int, typer.Argument(help="Numer wersji regulaminu.")],
    tak: TakOpt = False,
) -> None:
    """Usuń błędnie zapisaną wersję regulaminu (historia zmian ją zachowa).

    Przykład: kooperacje zespoly regulamin usun 2 --tak
    """

    db = get_db(ctx)
    found = rules.get(db, numer)
    confirm_deletion(
        f"Usunąć wersję regulaminu nr {found.id} ({found.nazwa}, {polish_date(found.przyjeto)})?",
        tak=tak,
    )
    removed = rules.remove(db, numer)
    info(f"Usunięto wersję regulaminu nr {removed.id}.")
