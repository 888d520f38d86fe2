"""`kooperacje raport`: Markdown and HTML reports of a team, a meeting and a basket.

The report modules (dataclasses, Jinja) load only when a report is asked for,
so `kooperacje --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kooperacje.commands._base import new_app
from kooperacje.commands._common import (
    BasketStatus,
    BezplatneOpt,
    GminaOpt,
    OptGminaOpt,
    OutputFileOpt,
    StatusOpt,
    SzukajOpt,
    WiekOpt,
    ZespolOpt,
    get_db,
)
from kooperacje.output import ReportFormat, info

app = new_app(
    "Raporty do druku i publikacji (Markdown albo HTML): zespół, notatka ze spotkania, "
    "lokalny koszyk usług."
)

FormatOpt = Annotated[
    ReportFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="Postać raportu: md (Markdown) albo html. Domyślnie: według rozszerzenia pliku "
        "z -o, a na ekranie md.",
    ),
]
NaDzienOpt = Annotated[
    str | None,
    typer.Option(
        "--na-dzien", help="Stan zespołu na ten dzień (RRRR-MM-DD albo DD.MM.RRRR); domyślnie dziś."
    ),
]
ObszarOpt = Annotated[
    str | None,
    typer.Option("--obszar", "-a", help="Tylko usługi tego obszaru (kod albo nazwa obszaru)."),
]
DlaOpt = Annotated[
    str | None,
    typer.Option("--dla", help="Tylko usługi dla tej grupy docelowej (kod albo nazwa grupy)."),
]


def _emit(text: str, wyjscie: Path | None) -> None:
    """The report on stdout, or written atomically to the file, saying where."""
    from kooperacje import reports

    if wyjscie is None:
        info(text.rstrip("\n"))
        return
    reports.write(text, wyjscie)
    info(f"Zapisano raport: {wyjscie.expanduser().resolve()}")


def _value(fmt: ReportFormat | None) -> str | None:
    return fmt.value if fmt is not None else None


@app.command("zespol")
def zespol(
    ctx: typer.Context,
    gmina: OptGminaOpt = None,
    zespol: ZespolOpt = None,
    fmt: FormatOpt = None,
    wyjscie: OutputFileOpt = None,
    na_dzien: NaDzienOpt = None,
) -> None:
    """Raport zespołu: członkowie według sektorów, luki, deklaracje, spotkania, koszyk.

    Przykład: kooperacje raport zespol --gmina 1012011 --format html -o raport.html
    """
    from kooperacje import reports, teams
    from kooperacje.dates import parse_date

    kind = reports.infer_format(_value(fmt), wyjscie)
    day = parse_date(na_dzien) if na_dzien is not None else None
    db = get_db(ctx)
    team = teams.team_of(db, gmina=gmina, zespol=zespol)
    _emit(reports.render_team(db, team, kind, na_dzien=day), wyjscie)


@app.command("spotkanie")
def spotkanie(
    ctx: typer.Context,
    numer: Annotated[
        int, typer.Argument(help="Numer spotkania (zob. kooperacje spotkania lista).")
    ],
    fmt: FormatOpt = None,
    wyjscie: OutputFileOpt = None,
) -> None:
    """Notatka ze spotkania: data, miejsce, rodzaj, obecni według sektorów, podsumowanie.

    Przykład: kooperacje raport spotkanie 1 --format md -o notatka.md
    """
    from kooperacje import reports

    kind = reports.infer_format(_value(fmt), wyjscie)
    _emit(reports.render_meeting(get_db(ctx), numer, kind), wyjscie)


@app.command("koszyk")
def koszyk(
    ctx: typer.Context,
    gmina: GminaOpt,
    fmt: FormatOpt = None,
    wyjscie: OutputFileOpt = None,
    obszar: ObszarOpt = None,
    dla: DlaOpt = None,
    wiek: WiekOpt = None,
    bezplatne: BezplatneOpt = False,
    status: StatusOpt = BasketStatus.aktywna,
    szukaj: SzukajOpt = None,
) -> None:
    """Lokalny koszyk usług gminy do druku: spis treści, usługi według obszarów, indeks.

    Przykład: kooperacje raport koszyk --gmina 1012011 --format html -o koszyk.html
    """
    from kooperacje import reports, teryt

    kind = reports.infer_format(_value(fmt), wyjscie)
    db = get_db(ctx)
    unit = teryt.resolve_gmina(db, gmina)
    text = reports.render_basket(
        db,
        unit,
        kind,
        obszar=obszar,
        grupa=dla,
        wiek=wiek,
        bezplatne=bezplatne,
        status=status.value,
        szukaj=szukaj,
    )
    _emit(text, wyjscie)


MeetingArg = Annotated[
    int, typer.Argument(help="Numer spotkania (zob. kooperacje spotkania lista).")
]


@app.command("lista-obecnosci")
def lista_obecnosci(
    ctx: typer.Context, numer: MeetingArg, fmt: FormatOpt = None, wyjscie: OutputFileOpt = None
) -> None:
    """Lista obecności do podpisu: zaproszeni z przedstawicielami i puste wiersze na gości.

    Przykład: kooperacje raport lista-obecnosci 1 -o lista.html
    """
    from kooperacje import meeting_documents, reports

    kind = reports.infer_format(_value(fmt), wyjscie)
    sheet = meeting_documents.attendance_sheet(get_db(ctx), numer)
    _emit(reports.render("lista-obecnosci", kind, sheet), wyjscie)


@app.command("deklaracja")
def deklaracja(
    ctx: typer.Context,
    instytucja: Annotated[
        str | None,
        typer.Option("--instytucja", "-i", help="Instytucja: numer, nazwa albo skrót."),
    ] = None,
    gmina: OptGminaOpt = None,
    zespol: ZespolOpt = None,
    spotkanie: Annotated[
        int | None,
        typer.Option("--spotkanie", "-s", help="Spotkanie, na którym deklaracja będzie podpisana."),
    ] = None,
    wszyscy_zaproszeni: Annotated[
        bool,
        typer.Option(
            "--wszyscy-zaproszeni",
            help="Po jednej deklaracji (na osobnej stronie) dla każdej zaproszonej na spotkanie "
            "instytucji, która nie jest jeszcze członkiem zespołu.",
        ),
    ] = False,
    fmt: FormatOpt = None,
    wyjscie: OutputFileOpt = None,
) -> None:
    """Wypełniona deklaracja przystąpienia do zespołu, do podpisu.

    Przykład: kooperacje raport deklaracja --wszyscy-zaproszeni --spotkanie 1 -o deklaracje.html
    """
    from kooperacje import meeting_documents, reports

    kind = reports.infer_format(_value(fmt), wyjscie)
    forms = meeting_documents.declarations(
        get_db(ctx),
        instytucja=instytucja,
        gmina=gmina,
        zespol=zespol,
        spotkanie=spotkanie,
        wszyscy_zaproszeni=wszyscy_zaproszeni,
    )
    _emit(reports.render("deklaracja", kind, forms), wyjscie)


@app.command("protokol")
def protokol(
    ctx: typer.Context, numer: MeetingArg, fmt: FormatOpt = None, wyjscie: OutputFileOpt = None
) -> None:
    """Protokół ze spotkania: obecni według sektorów, przebieg, ustalenia, deklaracje, usługi.

    Przykład: kooperacje raport protokol 1 -o protokol.html
    """
    from kooperacje import meeting_documents, reports

    kind = reports.infer_format(_value(fmt), wyjscie)
    _emit(reports.render("protokol", kind, meeting_documents.minutes(get_db(ctx), numer)), wyjscie)
