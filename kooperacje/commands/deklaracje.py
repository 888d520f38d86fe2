"""`kooperacje deklaracje`: dated declarations of accession to and withdrawal from a team."""

from __future__ import annotations

from typing import Annotated

import typer

from kooperacje.commands._base import new_app
from kooperacje.commands._common import (
    DateOpt,
    FormatOpt,
    InstytucjaOpt,
    OptGminaOpt,
    TakOpt,
    ZespolOpt,
    confirm_deletion,
    empty_hint,
    get_db,
)
from kooperacje.dates import polish_date
from kooperacje.formats import Format
from kooperacje.output import info, listing
from kooperacje.teams import declarations

app = new_app(
    "Deklaracje przystąpienia do zespołu i wystąpienia z niego; "
    "z nich wynika skład zespołu w każdym dniu."
)

_COLUMNS = [
    ("id", "Nr"),
    ("data", "Data"),
    ("rodzaj_nazwa", "Rodzaj"),
    ("instytucja_nazwa", "Instytucja"),
    ("instytucja_skrot", "Skrót"),
    ("sektor_nazwa", "Sektor"),
    ("zespol_nazwa", "Zespół"),
    ("podpisal", "Podpisał(a)"),
    ("spotkanie", "Spotkanie"),
]
# CSV and JSON carry the codes and numbers too, for scripts and spreadsheets.
_DATA_COLUMNS = [
    ("id", "Nr"),
    ("data", "Data"),
    ("rodzaj", "Rodzaj (kod)"),
    ("rodzaj_nazwa", "Rodzaj"),
    ("zespol", "Nr zespołu"),
    ("zespol_nazwa", "Zespół"),
    ("instytucja", "Nr instytucji"),
    ("instytucja_nazwa", "Instytucja"),
    ("instytucja_skrot", "Skrót"),
    ("sektor", "Sektor (kod)"),
    ("sektor_nazwa", "Sektor"),
    ("podpisal", "Podpisał(a)"),
    ("spotkanie", "Spotkanie"),
]


@app.command("dodaj")
def dodaj(
    ctx: typer.Context,
    instytucja: InstytucjaOpt,
    data: DateOpt,
    gmina: OptGminaOpt = None,
    zespol: ZespolOpt = None,
    rodzaj: Annotated[
        str,
        typer.Option("--rodzaj", "-r", help="Rodzaj deklaracji: przystapienie albo wystapienie."),
    ] = "przystapienie",
    podpisal: Annotated[
        str | None,
        typer.Option("--podpisal", help="Kto podpisał deklarację (jak na dokumencie)."),
    ] = None,
    spotkanie: Annotated[
        int | None,
        typer.Option("--spotkanie", "-s", help="Numer spotkania, na którym ją podpisano."),
    ] = None,
) -> None:
    """Zapisz deklarację instytucji (przystąpienie albo wystąpienie) z jej datą.

    Przykład: kooperacje deklaracje dodaj --instytucja PCPR --gmina 1012011 --data 2019-10-09
    """

    declaration = declarations.add(
        get_db(ctx),
        instytucja=instytucja,
        gmina=gmina,
        zespol=zespol,
        data=data,
        rodzaj=rodzaj,
        podpisal=podpisal,
        spotkanie=spotkanie,
    )

    info(
        f"Zapisano deklarację nr {declaration.id} z dnia {polish_date(declaration.data)}: "
        f"{declaration.instytucja_nazwa} – {declaration.rodzaj_nazwa}, "
        f"zespół „{declaration.zespol_nazwa}”."
    )


@app.command("lista")
def lista(
    ctx: typer.Context,
    gmina: OptGminaOpt = None,
    zespol: ZespolOpt = None,
    fmt: FormatOpt = Format.tabela,
) -> None:
    """Pokaż deklaracje (jednego zespołu albo wszystkie) od najstarszej.

    Przykład: kooperacje deklaracje lista --gmina 1012011
    """

    found = declarations.list_(get_db(ctx), gmina=gmina, zespol=zespol)
    if fmt is Format.tabela:
        # A table of one team's declarations need not repeat the team in every row.
        one_team = gmina is not None or zespol is not None
        columns = [c for c in _COLUMNS if not (one_team and c[0] == "zespol_nazwa")]
    else:
        columns = _DATA_COLUMNS
    listing([vars(d) for d in found], columns, fmt, empty=empty_hint(ctx, "Brak deklaracji."))


@app.command("usun")
def usun(
    ctx: typer.Context,
    numer: Annotated[int, typer.Argument(help="Numer deklaracji (z polecenia lista).")],
    tak: TakOpt = False,
) -> None:
    """Usuń błędnie zapisaną deklarację (usunięty wpis zostaje w dzienniku zmian).

    Przykład: kooperacje deklaracje usun 3 --tak
    """

    db = get_db(ctx)
    found = declarations.get(db, numer)
    confirm_deletion(
        f"Usunąć deklarację nr {found.id} ({found.instytucja_nazwa}, {found.rodzaj_nazwa}, "
        f"{found.data})?",
        tak=tak,
    )
    removed = declarations.remove(db, numer)
    info(f"Usunięto deklarację nr {removed.id} ({removed.instytucja_nazwa}, {removed.data}).")
