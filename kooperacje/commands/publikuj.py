"""`kooperacje publikuj`: the public copy served with Datasette (optional extra)."""

from __future__ import annotations

import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from kooperacje.commands._common import get_db
from kooperacje.errors import InvalidInput
from kooperacje.output import info, notice
from kooperacje.reports import publish

LOCAL = "127.0.0.1"


def publikuj(
    ctx: typer.Context,
    port: Annotated[
        int, typer.Option("--port", "-p", help="Port serwera (1–65535), np. 8001.")
    ] = 8001,
    host: Annotated[
        str,
        typer.Option(
            "--host", help="Adres, na którym słucha serwer (domyślnie tylko ten komputer)."
        ),
    ] = LOCAL,
    katalog: Annotated[
        Path | None,
        typer.Option(
            "--katalog",
            help="Zapisz kopię publiczną i metadane w tym katalogu, bez uruchamiania serwera "
            "(np. dla datasette publish).",
        ),
    ] = None,
) -> None:
    """Opublikuj kopię publiczną bazy w Datasette: zespoły, instytucje i koszyki usług.

    Bez danych osobowych (jak kooperacje baza publiczna), z polskimi opisami tabel,
    wyszukiwaniem z polskimi znakami i bez nich oraz gotowymi zapytaniami (koszyk gminy,
    usługi dla grupy, zespoły i członkowie). Wymaga: pip install 'kooperacje[publikacja]'.

    Przykład: kooperacje publikuj --port 8001
    """

    if not 1 <= port <= 65535:
        raise InvalidInput(f"port {port} jest poza zakresem 1–65535. Podaj np. --port 8001.")
    if katalog is not None:
        site = publish.prepare(get_db(ctx), katalog)
        info(f"Zapisano kopię publiczną {site.kopia.plik} i metadane {site.metadane}.")
        info("Uruchomienie: datasette " + shlex.join(publish.command(site, LOCAL, port)[3:]))
        return
    publish.require_datasette()
    with tempfile.TemporaryDirectory(prefix="kooperacje-publikuj-") as work:
        site = publish.prepare(get_db(ctx), Path(work))
        if host != LOCAL:
            notice(f"Uwaga: serwer będzie dostępny w sieci pod adresem {host}.")
        info(f"Datasette: http://{host}:{port}/ (Ctrl-C kończy).")
        try:
            subprocess.run(publish.command(site, host, port), check=False)
        except KeyboardInterrupt:
            info("Zakończono publikację.")
