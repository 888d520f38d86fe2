"""`kooperacje eksport`: data exported to files in open formats."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kooperacje.commands._base import new_app
from kooperacje.commands._common import GminaOpt, get_db
from kooperacje.output import info

app = new_app("Eksport danych do plików w otwartych formatach.")


@app.command("hsds")
def hsds(
    ctx: typer.Context,
    gmina: GminaOpt,
    katalog: Annotated[
        Path,
        typer.Option(
            "--wyjscie", "-o", metavar="KATALOG", help="Katalog na pliki CSV i datapackage.json."
        ),
    ],
) -> None:
    """Zapisz koszyk usług gminy jako pakiet danych HSDS 3.0 (Open Referral): CSV + opis.

    Przykład: kooperacje eksport hsds --gmina 1012011 -o koszyk-hsds
    """
    from kooperacje import hsds as export

    done = export.export(get_db(ctx), gmina, katalog)
    info(f"Zapisano pakiet HSDS 3.0: {done.katalog.resolve()}")
    info(", ".join(f"{name}: {count}" for name, count in done.liczby.items()) + ".")
