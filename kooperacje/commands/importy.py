"""`kooperacje import`: institutions and services from XLSX or CSV spreadsheets."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kooperacje import files
from kooperacje.commands._base import new_app
from kooperacje.commands._common import get_db
from kooperacje.errors import InvalidInput, KooperacjeError
from kooperacje.exchange import imports
from kooperacje.exchange.imports import Result
from kooperacje.output import info

app = new_app(
    "Import instytucji i usług z arkuszy XLSX i plików CSV (także z Excela w Windows-1250)."
)

FileArg = Annotated[Path, typer.Argument(help="Plik XLSX albo CSV z wierszem nagłówków.")]
ArkuszOpt = Annotated[
    str | None, typer.Option("--arkusz", help="Arkusz pliku XLSX (domyślnie pierwszy).")
]
MapowanieOpt = Annotated[
    str | None,
    typer.Option(
        "--mapowanie",
        help='Nietypowe nagłówki: "Kolumna=pole", kolejne po przecinku, '
        'np. "Nazwa placówki=nazwa,Tel.=telefon".',
    ),
]
ProbaOpt = Annotated[
    bool,
    typer.Option("--proba", help="Tylko pokaż, co zostałoby dodane, zmienione albo odrzucone."),
]
PominOpt = Annotated[
    bool,
    typer.Option(
        "--pomin-bledne",
        help="Zapisz poprawne wiersze, a odrzucone z powodami zapisz w osobnym pliku CSV.",
    ),
]
OdrzuconeOpt = Annotated[
    Path | None,
    typer.Option(
        "--odrzucone",
        help="Plik na odrzucone wiersze (domyślnie obok importowanego: NAZWA.odrzucone.csv).",
    ),
]

_ACTIONS = {
    "dodanie": "dodanie",
    "zmiana": "zmiana",
    "bez_zmian": "bez zmian",
    "odrzucenie": "odrzucony",
}


def _report(result: Result, proba: bool) -> None:
    for row in result.wiersze:
        line = f"wiersz {row.wiersz}: {_ACTIONS[row.akcja]}"
        if row.nazwa:
            line += f" – {row.nazwa}"
        if row.pola:
            line += f" (pola: {', '.join(row.pola)})"
        if row.powod:
            line += f": {row.powod}"
        info(line)
    if result.pominiete_kolumny:
        info("Pominięte kolumny: " + ", ".join(result.pominiete_kolumny) + ".")
    counts = (
        f"dodanie: {result.count('dodanie')}, zmiana: {result.count('zmiana')}, "
        f"bez zmian: {result.count('bez_zmian')}, odrzucone: {result.count('odrzucenie')}"
    )
    info(("Próba, nic nie zapisano. " if proba else "") + f"Wiersze: {counts}.")


def _check_rejects_target(target: Path, source: Path) -> None:
    written = files.check_target(target)
    if files.same_file(written, source):
        raise InvalidInput(
            f'plik na odrzucone wiersze "{target}" to sam importowany plik; zapis zniszczyłby '
            "go. Nic nie zaimportowano. Podaj w --odrzucone inną nazwę pliku."
        )


def _import(
    ctx: typer.Context,
    kind: str,
    plik: Path,
    arkusz: str | None,
    mapowanie: str | None,
    proba: bool,
    pomin_bledne: bool,
    odrzucone: Path | None,
) -> None:

    if proba and pomin_bledne:
        raise InvalidInput("opcje --proba i --pomin-bledne wykluczają się. Wybierz jedną.")
    target = odrzucone or (plik.with_name(f"{plik.stem}.odrzucone.csv") if plik.name else plik)
    if pomin_bledne:
        # Refused before anything is imported: a bad target must not leave a half-done job.
        _check_rejects_target(target, plik)
    result = imports.run(
        get_db(ctx, create=not proba),
        kind,
        plik,
        arkusz=arkusz,
        mapowanie=mapowanie,
        proba=proba,
        pomin_bledne=pomin_bledne,
    )
    _report(result, proba)
    rejected = result.count("odrzucenie")
    if rejected and pomin_bledne:
        try:
            # The rows may hold staff contacts: a private file.
            written = files.write_bytes(target, imports.rejected_csv(result), personal=True)
        except KooperacjeError as exc:
            raise KooperacjeError(
                f"poprawne wiersze zapisano w bazie, ale odrzuconych nie: {exc.message}"
            ) from None
        info(f"Odrzucone wiersze z powodami zapisano w pliku {written}.")
    elif rejected and not proba:
        raise InvalidInput(
            f"odrzucono wiersze ({rejected}), więc nic nie zapisano. Popraw je i zaimportuj "
            "plik ponownie albo dodaj --pomin-bledne, aby zapisać tylko poprawne."
        )


@app.command("instytucje")
def instytucje(
    ctx: typer.Context,
    plik: FileArg,
    arkusz: ArkuszOpt = None,
    mapowanie: MapowanieOpt = None,
    proba: ProbaOpt = False,
    pomin_bledne: PominOpt = False,
    odrzucone: OdrzuconeOpt = None,
) -> None:
    """Zaimportuj instytucje; istniejące rozpoznaje po NIP, REGON albo nazwie i gminie.

    Ponowny import tego samego pliku niczego nie zmienia.

    Przykład: kooperacje import instytucje kooperanci.xlsx --proba
    """
    _import(ctx, "instytucje", plik, arkusz, mapowanie, proba, pomin_bledne, odrzucone)


@app.command("uslugi")
def uslugi(
    ctx: typer.Context,
    plik: FileArg,
    arkusz: ArkuszOpt = None,
    mapowanie: MapowanieOpt = None,
    proba: ProbaOpt = False,
    pomin_bledne: PominOpt = False,
    odrzucone: OdrzuconeOpt = None,
) -> None:
    """Zaimportuj usługi; istniejące rozpoznaje po instytucji i nazwie usługi.

    Przykład: kooperacje import uslugi koszyk.csv --pomin-bledne
    """
    _import(ctx, "uslugi", plik, arkusz, mapowanie, proba, pomin_bledne, odrzucone)
