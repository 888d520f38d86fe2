"""The command tree: the root callback and the sub-apps. Nothing else lives here."""

from __future__ import annotations

from typing import Annotated

import typer

from kooperacje.commands import gminy
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


def main() -> None:
    """Console-script entry point."""
    app()
