"""`kooperacje eksport`: whole tables as CSV, XLSX or JSON, and the basket as HSDS 3.0."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from kooperacje import files
from kooperacje.commands._base import new_app
from kooperacje.commands._common import GminaOpt, get_db
from kooperacje.errors import InvalidInput
from kooperacje.exchange import exports
from kooperacje.exchange import hsds as export
from kooperacje.exchange.exports import ExportFormat
from kooperacje.output import file_bytes, info
from kooperacje.text import plural

app = new_app(
    "Eksport danych do plików: tabele jako CSV (dla Excela), XLSX albo JSON; "
    "koszyk usług jako pakiet HSDS 3.0."
)

ExportFormatOpt = Annotated[
    ExportFormat,
    typer.Option(
        "--format",
        "-f",
        help="csv (UTF-8 z BOM, średniki: otwiera się w polskim Excelu), xlsx albo json.",
    ),
]
ExportFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--wyjscie", "-o", help="Plik do zapisania (dla xlsx wymagany; inaczej domyślnie ekran)."
    ),
]

_WHAT = {
    "instytucje": "instytucje",
    "telefony": "dodatkowe telefony instytucji (główny jest w eksporcie instytucji)",
    "biura": "biura instytucji (adresy poza siedzibą)",
    "osoby": "przedstawicieli instytucji (dane osobowe)",
    "zespoly": "zespoły (PZK)",
    "spotkania": "spotkania",
    "deklaracje": "deklaracje",
    "uslugi": "usługi z grupami docelowymi i zasięgiem",
    "zzk": "zadaniowe zespoły kooperacyjne (ZZK) z ich instytucjami, usługami i spotkaniami",
}


def _export(ctx: typer.Context, name: str, fmt: ExportFormat, wyjscie: Path | None) -> None:
    if wyjscie is None and fmt is ExportFormat.xlsx:
        raise InvalidInput("plik XLSX trzeba zapisać do pliku. Dodaj opcję -o PLIK.xlsx.")
    data = exports.table(get_db(ctx), name)
    content = exports.render(data, fmt)
    if wyjscie is None:
        file_bytes(content)
        return
    # Whole tables of the register: kept private like the database they come from.
    written = files.write_bytes(wyjscie, content, personal=True)

    rows = plural(len(data.wiersze), "wiersz", "wiersze", "wierszy")
    info(f"Zapisano {rows} w pliku {written}.")


def _command(name: str) -> Callable[..., None]:
    def command(
        ctx: typer.Context, fmt: ExportFormatOpt = ExportFormat.csv, wyjscie: ExportFileOpt = None
    ) -> None:
        _export(ctx, name, fmt, wyjscie)

    command.__name__ = name
    command.__doc__ = (
        f"Wyeksportuj {_WHAT[name]}.\n\nPrzykład: kooperacje eksport {name} -f xlsx -o {name}.xlsx"
    )
    return command


for _name in _WHAT:
    app.command(_name)(_command(_name))


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

    done = export.export(get_db(ctx), gmina, katalog)

    info(f"Zapisano pakiet HSDS 3.0: {done.katalog.resolve()}")
    info(", ".join(f"{name}: {count}" for name, count in done.liczby.items()) + ".")
