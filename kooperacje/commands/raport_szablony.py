"""`kooperacje raport szablony`: the default report templates, copied out to be changed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kooperacje.commands._base import new_app
from kooperacje.output import info
from kooperacje.reports import user_templates

szablony_app = new_app("Szablony raportów do własnych zmian.")


@szablony_app.command("eksportuj")
def eksportuj(
    katalog: Annotated[Path, typer.Argument(help="Katalog, do którego skopiować szablony.")],
    nadpisz: Annotated[
        bool, typer.Option("--nadpisz", help="Zastąp pliki o tych samych nazwach.")
    ] = False,
) -> None:
    """Skopiuj domyślne szablony raportów do katalogu, by je zmienić.

    Zmieniony szablon zastępuje domyślny, gdy katalog poda się w --szablony albo
    w ustawieniu szablony pliku konfiguracji.

    Przykład: kooperacje raport szablony eksportuj ~/szablony-pzk
    """

    result = user_templates.export(katalog, overwrite=nadpisz)
    info(f"Skopiowano szablony ({len(result.pliki)}) do katalogu {result.katalog}.")
    info(f"Użycie: kooperacje raport --szablony {result.katalog} zespol --gmina KOD")
