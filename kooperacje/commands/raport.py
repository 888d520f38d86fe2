"""`kooperacje raport`: reports and printable documents in Markdown, HTML and PDF.

Jinja, Babel, Typst and the chart library load only when a report is rendered, so the
help of `kooperacje raport` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kooperacje.commands._base import new_app
from kooperacje.commands._common import (
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
from kooperacje.commands.raport_output import emit, format_value
from kooperacje.commands.raport_szablony import szablony_app
from kooperacje.commands.raport_zbiorcze import strona, zbiorczy
from kooperacje.dates import parse_date
from kooperacje.formats import DocumentFormat, ReportFormat
from kooperacje.register import teryt
from kooperacje.reports import documents, rules_context, user_templates
from kooperacje.reports import render as reports
from kooperacje.teams import teams

app = new_app(
    "Raporty i dokumenty do druku (Markdown, HTML albo PDF): lista obecności, deklaracje, "
    "protokół, zespół, notatka ze spotkania, lokalny koszyk usług, raport zbiorczy, strona "
    "raportów."
)


@app.callback()
def raport(
    ctx: typer.Context,
    szablony: Annotated[
        Path | None,
        typer.Option(
            "--szablony",
            metavar="KATALOG",
            help="Katalog własnych szablonów: każdy z nich zastępuje domyślny o tej samej "
            "nazwie (domyślnie: szablony z pliku konfiguracji).",
        ),
    ] = None,
) -> None:
    """Raporty i dokumenty do druku (Markdown, HTML albo PDF).

    Dokumenty PDF mają na każdej stronie nagłówek z nazwą i adresem organizacji (sekcja
    [organizacja] pliku konfiguracji, a bez niej: lider zespołu), nazwą projektu zespołu
    z formułą o współfinansowaniu (wspolfinansowanie) i logotypami (logo), a w stopce
    „Strona N z M” i datę wydruku.

    Przykład: kooperacje raport --szablony moje-szablony zespol --gmina 1012011
    """

    ctx.with_resource(reports.settings(user_templates.settings(szablony)))


app.add_typer(szablony_app, name="szablony")


FormatOpt = Annotated[
    ReportFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="Postać raportu: md (Markdown) albo html. Domyślnie: według rozszerzenia pliku "
        "z -o, a na ekranie md.",
    ),
]
DocFormatOpt = Annotated[
    DocumentFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="Postać dokumentu: md (Markdown), html albo pdf (gotowy do druku, tylko z -o). "
        "Domyślnie: według rozszerzenia pliku z -o, a na ekranie md.",
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


@app.command("zespol")
def zespol(
    ctx: typer.Context,
    gmina: OptGminaOpt = None,
    zespol: ZespolOpt = None,
    fmt: DocFormatOpt = None,
    wyjscie: OutputFileOpt = None,
    na_dzien: NaDzienOpt = None,
) -> None:
    """Raport zespołu: członkowie według sektorów, luki, deklaracje, spotkania, koszyk.

    Przykład: kooperacje raport zespol --gmina 1012011 -o raport.pdf
    """

    kind = documents.document_format(format_value(fmt), wyjscie)
    day = parse_date(na_dzien) if na_dzien is not None else None
    db = get_db(ctx)
    team = teams.team_of(db, gmina=gmina, zespol=zespol)
    emit(documents.team_report(db, team, kind, na_dzien=day), wyjscie)


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

    kind = reports.infer_format(format_value(fmt), wyjscie)
    emit(reports.render_meeting(get_db(ctx), numer, kind), wyjscie)


@app.command("koszyk")
def koszyk(
    ctx: typer.Context,
    gmina: GminaOpt,
    fmt: DocFormatOpt = None,
    wyjscie: OutputFileOpt = None,
    obszar: ObszarOpt = None,
    dla: DlaOpt = None,
    wiek: WiekOpt = None,
    bezplatne: BezplatneOpt = False,
    status: StatusOpt = "aktywna",
    szukaj: SzukajOpt = None,
) -> None:
    """Lokalny koszyk usług gminy do druku: spis treści, usługi według obszarów, indeks.

    W PDF spis treści i indeks realizatorów podają numery stron.

    Przykład: kooperacje raport koszyk --gmina 1012011 -o koszyk.pdf
    """

    kind = documents.document_format(format_value(fmt), wyjscie)
    db = get_db(ctx)
    unit = teryt.resolve_gmina(db, gmina)
    text = documents.basket(
        db,
        unit,
        kind,
        obszar=obszar,
        grupa=dla,
        wiek=wiek,
        bezplatne=bezplatne,
        status=status,
        szukaj=szukaj,
    )
    emit(text, wyjscie)


MeetingArg = Annotated[
    int, typer.Argument(help="Numer spotkania (zob. kooperacje spotkania lista).")
]


@app.command("lista-obecnosci")
def lista_obecnosci(
    ctx: typer.Context, numer: MeetingArg, fmt: DocFormatOpt = None, wyjscie: OutputFileOpt = None
) -> None:
    """Lista obecności do podpisu: zaproszeni z przedstawicielami i puste wiersze na gości.

    Kończy się miejscem na liczbę obecnych i podpis osoby, która sporządziła listę.

    Przykład: kooperacje raport lista-obecnosci 1 -o lista.pdf
    """

    kind = documents.document_format(format_value(fmt), wyjscie)
    emit(documents.attendance_sheet(get_db(ctx), numer, kind), wyjscie)


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
    fmt: DocFormatOpt = None,
    wyjscie: OutputFileOpt = None,
) -> None:
    """Wypełniona deklaracja przystąpienia do zespołu, do podpisu.

    Każda deklaracja ma numer D/rok/zespół/instytucja, np. D/2019/1/0009: rok spotkania
    z --spotkanie (bez niego: rok wydruku), numer zespołu i numer instytucji; ponowny
    wydruk dostaje ten sam numer. W PDF każda deklaracja zajmuje osobną stronę.

    Przykład: kooperacje raport deklaracja --wszyscy-zaproszeni --spotkanie 1 -o deklaracje.pdf
    """

    kind = documents.document_format(format_value(fmt), wyjscie)
    output = documents.declarations(
        get_db(ctx),
        kind,
        instytucja=instytucja,
        gmina=gmina,
        zespol=zespol,
        spotkanie=spotkanie,
        wszyscy_zaproszeni=wszyscy_zaproszeni,
    )
    emit(output, wyjscie)


@app.command("protokol")
def protokol(
    ctx: typer.Context, numer: MeetingArg, fmt: DocFormatOpt = None, wyjscie: OutputFileOpt = None
) -> None:
    """Protokół ze spotkania: obecni według sektorów, nieobecni, przebieg, ustalenia,
    deklaracje, usługi.

    Ustalenia wpisane w osobnych wierszach albo numerowane („1. … 2. …”) drukują się jako
    lista numerowana; sekcje, w których nic nie zapisano, są pomijane.

    Przykład: kooperacje raport protokol 1 -o protokol.pdf
    """

    kind = documents.document_format(format_value(fmt), wyjscie)
    emit(documents.minutes(get_db(ctx), numer, kind), wyjscie)


@app.command("porozumienie")
def porozumienie(
    ctx: typer.Context,
    numer: Annotated[str, typer.Argument(help="Porozumienie: numer albo tytuł.")],
    fmt: DocFormatOpt = None,
    wyjscie: OutputFileOpt = None,
    na_dzien: NaDzienOpt = None,
) -> None:
    """Porozumienie o współpracy do druku: strony, przedmiot, projekt, terminy, podpisy.

    Przykład: kooperacje raport porozumienie 1 -o porozumienie.pdf
    """

    kind = documents.document_format(format_value(fmt), wyjscie)
    day = parse_date(na_dzien) if na_dzien is not None else None
    emit(documents.agreement(get_db(ctx), numer, kind, stan_na=day), wyjscie)


@app.command("regulamin")
def regulamin(
    ctx: typer.Context,
    gmina: OptGminaOpt = None,
    zespol: ZespolOpt = None,
    numer: Annotated[
        int | None,
        typer.Option(
            "--numer", "-n", help="Numer wersji regulaminu (bez niego: wersja obowiązująca)."
        ),
    ] = None,
    fmt: FormatOpt = None,
    wyjscie: OutputFileOpt = None,
    na_dzien: NaDzienOpt = None,
) -> None:
    """Regulamin zespołu do druku: wersja obowiązująca w danym dniu albo wskazana numerem.

    Przykład: kooperacje raport regulamin --gmina 2416021 -o regulamin.html
    """

    kind = reports.infer_format(format_value(fmt), wyjscie)
    day = parse_date(na_dzien) if na_dzien is not None else None
    document = rules_context.rules_document(
        get_db(ctx), numer=numer, gmina=gmina, zespol=zespol, na_dzien=day
    )
    emit(reports.render("regulamin", kind, document), wyjscie)


# The reports over many teams live in their own module; they are commands of this group.
app.command("strona")(strona)
app.command("zbiorczy")(zbiorczy)
