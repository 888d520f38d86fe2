"""`kooperacje koszyk`: the local basket of services of a gmina."""

from __future__ import annotations

from typing import Annotated

import typer

from kooperacje.basket.query import request, request_rows
from kooperacje.commands._common import (
    BezplatneOpt,
    FormatOpt,
    GminaOpt,
    StatusOpt,
    SzukajOpt,
    WiekOpt,
    get_reader,
)
from kooperacje.commands.koszyk_view import show_basket
from kooperacje.formats import Format


def koszyk(
    ctx: typer.Context,
    gmina: GminaOpt,
    obszar: Annotated[
        str | None, typer.Option("--obszar", "-a", help="Tylko ten obszar usług (kod lub nazwa).")
    ] = None,
    dla: Annotated[
        str | None, typer.Option("--dla", help="Tylko usługi dla tej grupy (kod lub nazwa).")
    ] = None,
    wiek: WiekOpt = None,
    bezplatne: BezplatneOpt = False,
    status: StatusOpt = "aktywna",
    szukaj: SzukajOpt = None,
    fmt: FormatOpt = Format.tabela,
) -> None:
    """Pokaż lokalny koszyk usług gminy według obszarów i instytucji.

    Obejmuje aktywne usługi, których zasięg obejmuje gminę, jej powiat lub województwo.

    Przykład: kooperacje koszyk --gmina 1012011 --dla seniorzy --wiek 70 --szukaj opieka
    """

    db = get_reader(ctx)
    asked = request(
        db, gmina, obszar, dla, wiek=wiek, bezplatne=bezplatne, status=status, szukaj=szukaj
    )
    show_basket(asked, request_rows(db, asked), fmt)
