"""`kooperacje scal`: bring other coordinators' database files into this one."""

from __future__ import annotations

from dataclasses import asdict
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from kooperacje.commands._common import db_path, get_db
from kooperacje.exchange import merge
from kooperacje.exchange.merge import FileResult
from kooperacje.formats import Format
from kooperacje.output import info, listing, record
from kooperacje.store.history import TABLE_LABELS


class ReportFormat(str, Enum):
    """How the merge report is printed."""

    tabela = "tabela"
    json = "json"


def scal(
    ctx: typer.Context,
    pliki: Annotated[
        list[Path],
        typer.Argument(help="Pliki baz innych koordynatorów (np. kopie z kooperacje baza kopia)."),
    ],
    proba: Annotated[
        bool,
        typer.Option("--proba", help="Pokaż, co by się zmieniło, niczego nie zapisując."),
    ] = False,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Postać raportu: tabela albo json.")
    ] = ReportFormat.tabela,
) -> None:
    """Scal pliki baz innych koordynatorów z tą bazą: zespoły, ich spotkania, deklaracje,
    ZZK, instytucje i usługi.

    Zespół należy do swojego koordynatora: plik zastępuje to, co baza ma o jego zespołach.
    Wspólne instytucje (np. PCPR całego powiatu) nie są podwajane; gdy pliki różnią się
    co do wspólnego rekordu, wygrywa nowsza zmiana, a rozbieżność jest w raporcie. Całość
    to jedna transakcja: zły plik niczego nie zmienia. Ponowne scalenie tego samego pliku
    niczego nie zmienia.

    Przykład: kooperacje scal radomsko.db naklo.db --proba
    """

    # A trial creates no database; a merge may start a regional centre's new one.
    result = merge.merge(lambda: get_db(ctx, create=not proba), db_path(ctx), pliki, trial=proba)
    if fmt is ReportFormat.json:
        record(list(asdict(result).items()), Format.json)
        return
    for found in result.pliki:
        _print_file(found)
    if result.proba:
        info("Próba: niczego nie zapisano.")


# Parts of records the history does not name on their own.
_PARTS = {
    "uslugi_grupy": "grupa docelowa usługi",
    "uslugi_zasieg": "zasięg usługi",
    "spotkania_uslugi": "usługa przedstawiona na spotkaniu",
}


def _label(table: str) -> str:
    return TABLE_LABELS.get(table) or _PARTS.get(table, table)


def _print_file(found: FileResult) -> None:
    teams = ", ".join(found.zespoly) or "brak zespołów"
    info(f"Plik {found.plik} (zespoły: {teams})")
    if not found.zmian:
        info("  Bez zmian: baza ma już wszystko z tego pliku.")
    # In the order the merge carries them: teams and institutions before their parts.
    tables = list(dict.fromkeys([*found.dodane, *found.zmienione, *found.usuniete]))
    rows: list[dict[str, Any]] = [
        {
            "tabela": _label(t),
            "dodane": found.dodane.get(t, 0),
            "zmienione": found.zmienione.get(t, 0),
            "usuniete": found.usuniete.get(t, 0),
        }
        for t in tables
    ]
    if rows:
        columns = [
            ("tabela", "Rekordy"),
            ("dodane", "Dodane"),
            ("zmienione", "Zmienione"),
            ("usuniete", "Usunięte"),
        ]
        listing(rows, columns, Format.tabela)
    if found.wymazane_osoby:
        info(
            f"  Usunięto dane osób ({found.wymazane_osoby}), które koordynator tego pliku "
            "usunął na żądanie."
        )
    if found.konflikty:
        info(f"  Rozbieżności ({len(found.konflikty)}): wygrywa nowsza zmiana.")
        conflicts = [
            {
                "rekord": f"{_label(c.tabela)}: {c.rekord}",
                "pola": ", ".join(c.pola),
                "baza": c.zmieniono_w_bazie,
                "plik": c.zmieniono_w_pliku,
                "wygrywa": "plik" if c.wygrywa == "plik" else "baza",
            }
            for c in found.konflikty
        ]
        columns = [
            ("rekord", "Rekord"),
            ("pola", "Różne pola"),
            ("baza", "Zmiana w bazie"),
            ("plik", "Zmiana w pliku"),
            ("wygrywa", "Zostaje wersja z"),
        ]
        listing(conflicts, columns, Format.tabela)
