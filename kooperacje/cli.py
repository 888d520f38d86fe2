"""The command tree: the root callback and the sub-apps. Nothing else lives here."""

from __future__ import annotations

from typing import Annotated

import typer

from kooperacje.commands import (
    deklaracje,
    demo,
    gminy,
    instytucje,
    koszyk,
    osoby,
    raport,
    spotkania,
    uslugi,
    zespoly,
)
from kooperacje.commands._base import new_app
from kooperacje.commands._common import State

app = new_app(
    "Koordynacja Partnerskiego Zespołu Kooperacyjnego (PZK): instytucje, spotkania, "
    "deklaracje, lokalny koszyk usług i raporty.",
    name="kooperacje",
)


@app.callback()
def root(
    ctx: typer.Context,
    baza: Annotated[
        str | None,
        typer.Option(
            "--baza",
            metavar="PLIK",
            envvar="KOOPERACJE_BAZA",
            help="Plik bazy danych (domyślnie kooperacje.db w katalogu danych użytkownika).",
            show_envvar=True,
        ),
    ] = None,
) -> None:
    """Koordynacja Partnerskiego Zespołu Kooperacyjnego (PZK).

    Przykład: kooperacje --baza moja.db instytucje lista
    """
    ctx.obj = State(baza=baza)


app.add_typer(gminy.app, name="gminy")
app.add_typer(instytucje.app, name="instytucje")
app.add_typer(osoby.app, name="osoby")
app.add_typer(zespoly.app, name="zespoly")
app.add_typer(spotkania.app, name="spotkania")
app.add_typer(deklaracje.app, name="deklaracje")
app.add_typer(uslugi.app, name="uslugi")
app.command("koszyk")(koszyk.koszyk)
app.add_typer(raport.app, name="raport")
app.command("demo")(demo.demo)


def main() -> None:
    """Console-script entry point."""
    app()
