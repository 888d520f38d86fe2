"""`kooperacje gminy`: the territorial register."""

from __future__ import annotations

from typing import Annotated

import typer

from kooperacje.commands._base import new_app
from kooperacje.commands._common import FormatOpt, get_db
from kooperacje.formats import Format
from kooperacje.output import listing
from kooperacje.register import teryt

app = new_app("Rejestr TERYT: gminy, powiaty i województwa (stan na 1 stycznia 2026 r.).")

_COLUMNS = [
    ("kod", "Kod TERYT"),
    ("nazwa", "Nazwa"),
    ("rodzaj", "Rodzaj"),
    ("powiat", "Powiat"),
    ("wojewodztwo", "Województwo"),
]


@app.command("szukaj")
def szukaj(
    ctx: typer.Context,
    tekst: Annotated[
        str,
        typer.Argument(
            help="Fragment nazwy (bez względu na znaki diakrytyczne) albo początek kodu TERYT."
        ),
    ],
    limit: Annotated[int, typer.Option("--limit", "-n", help="Najwięcej wyników.")] = 50,
    fmt: FormatOpt = Format.tabela,
) -> None:
    """Wyszukaj jednostkę w rejestrze TERYT.

    Przykład: kooperacje gminy szukaj lodz
    """

    units = teryt.search(get_db(ctx), tekst, limit=limit)
    rows = [
        {
            "kod": u.kod,
            "nazwa": u.nazwa,
            "rodzaj": u.rodzaj,
            "powiat": u.powiat or "",
            "wojewodztwo": u.wojewodztwo,
        }
        for u in units
    ]
    listing(rows, _COLUMNS, fmt, empty=f'Nie znaleziono jednostek pasujących do "{tekst}".')
