"""`kooperacje historia`: every recorded change of the records."""

from __future__ import annotations

from typing import Annotated

import typer

from kooperacje.basket import record_history
from kooperacje.commands._common import FormatOpt, empty_hint, get_db
from kooperacje.dates import parse_date, polish_date
from kooperacje.formats import Format
from kooperacje.output import listing

_TABLE_COLUMNS = [
    ("kiedy_opis", "Kiedy"),
    ("co", "Co"),
    ("operacja_opis", "Zmiana"),
    ("pole_opis", "Pole"),
    ("stara_opis", "Było"),
    ("nowa_opis", "Jest"),
]
_DATA_COLUMNS = [
    (name, name)
    for name in ("id", "kiedy", "tabela", "rekord", "operacja", "pole", "stara", "nowa")
]


def historia(
    ctx: typer.Context,
    instytucja: Annotated[
        str | None,
        typer.Option(
            "--instytucja",
            "-i",
            help="Tylko ta instytucja (numer, nazwa albo skrót) z jej osobami, usługami "
            "i deklaracjami.",
        ),
    ] = None,
    usluga: Annotated[
        str | None, typer.Option("--usluga", "-u", help="Tylko ta usługa (numer albo nazwa).")
    ] = None,
    od: Annotated[
        str | None,
        typer.Option("--od", help="Tylko zmiany od tego dnia: RRRR-MM-DD albo DD.MM.RRRR."),
    ] = None,
    gmina: Annotated[
        str | None,
        typer.Option(
            "--gmina",
            "-g",
            help="Szukaj instytucji z --instytucja najpierw w tej gminie (kod TERYT albo "
            "nazwa), gdy ta sama nazwa jest w kilku gminach.",
        ),
    ] = None,
    zespol: Annotated[
        str | None,
        typer.Option(
            "--zespol",
            "-z",
            help="Szukaj instytucji z --instytucja najpierw wśród członków tego zespołu.",
        ),
    ] = None,
    fmt: FormatOpt = Format.tabela,
) -> None:
    """Pokaż historię zmian: co i kiedy dodano, zmieniono lub usunięto, z dawną i nową wartością.

    Przykład: kooperacje historia --instytucja PCPR --od 2019-10-01
    """

    day = parse_date(od) if od is not None else None
    found = record_history.entries(
        get_db(ctx), instytucja=instytucja, usluga=usluga, od=day, gmina=gmina, zespol=zespol
    )
    if fmt is not Format.tabela:
        listing([vars(e) for e in found], _DATA_COLUMNS, fmt)
        return
    rows = [
        {
            "kiedy_opis": f"{polish_date(e.kiedy[:10])} {e.kiedy[11:16]}",
            "co": e.co,
            "operacja_opis": e.operacja_opis,
            "pole_opis": e.pole_opis,
            "stara_opis": e.summary(e.stara),
            "nowa_opis": e.summary(e.nowa),
        }
        for e in found
    ]
    listing(
        rows,
        _TABLE_COLUMNS,
        fmt,
        empty=empty_hint(ctx, "Brak zapisanych zmian spełniających warunki."),
    )
