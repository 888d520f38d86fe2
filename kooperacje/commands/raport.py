"""`kooperacje raport`: reports and printable documents in Markdown, HTML and PDF.

Jinja, Babel, Typst and the chart library load only when a report is rendered, so the
help of `kooperacje raport` stays fast.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from kooperacje import config
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
from kooperacje.commands.raport_szablony import szablony_app
from kooperacje.dates import parse_date
from kooperacje.errors import InvalidInput
from kooperacje.formats import DocumentFormat, ReportFormat
from kooperacje.output import ProgressBar, file_text, info, stdout_is_terminal
from kooperacje.register import teryt
from kooperacje.reports import documents, rules_context, scopes, site, user_templates
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


def _emit(output: documents.Rendered, wyjscie: Path | None, *, personal: bool = True) -> None:
    """The report on stdout, or written atomically to the file, saying where.

    personal: the report names staff (all but the summary), so its file is private.
    """

    if wyjscie is None:
        text = output if isinstance(output, str) else output.decode("utf-8", "replace")
        info(text.rstrip("\n"))
        return
    written = documents.write(output, wyjscie, personal=personal)
    info(f"Zapisano raport: {written}")


def _value(fmt: Enum | None) -> str | None:
    return str(fmt.value) if fmt is not None else None


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

    kind = documents.document_format(_value(fmt), wyjscie)
    day = parse_date(na_dzien) if na_dzien is not None else None
    db = get_db(ctx)
    team = teams.team_of(db, gmina=gmina, zespol=zespol)
    _emit(documents.team_report(db, team, kind, na_dzien=day), wyjscie)


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

    kind = reports.infer_format(_value(fmt), wyjscie)
    _emit(reports.render_meeting(get_db(ctx), numer, kind), wyjscie)


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

    kind = documents.document_format(_value(fmt), wyjscie)
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
    _emit(text, wyjscie)


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

    kind = documents.document_format(_value(fmt), wyjscie)
    _emit(documents.attendance_sheet(get_db(ctx), numer, kind), wyjscie)


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

    kind = documents.document_format(_value(fmt), wyjscie)
    output = documents.declarations(
        get_db(ctx),
        kind,
        instytucja=instytucja,
        gmina=gmina,
        zespol=zespol,
        spotkanie=spotkanie,
        wszyscy_zaproszeni=wszyscy_zaproszeni,
    )
    _emit(output, wyjscie)


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

    kind = documents.document_format(_value(fmt), wyjscie)
    _emit(documents.minutes(get_db(ctx), numer, kind), wyjscie)


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

    kind = documents.document_format(_value(fmt), wyjscie)
    day = parse_date(na_dzien) if na_dzien is not None else None
    _emit(documents.agreement(get_db(ctx), numer, kind, stan_na=day), wyjscie)


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

    kind = reports.infer_format(_value(fmt), wyjscie)
    day = parse_date(na_dzien) if na_dzien is not None else None
    document = rules_context.rules_document(
        get_db(ctx), numer=numer, gmina=gmina, zespol=zespol, na_dzien=day
    )
    _emit(reports.render("regulamin", kind, document), wyjscie)


OdOpt = Annotated[
    str | None,
    typer.Option(
        "--od", help="Początek okresu (RRRR-MM-DD albo DD.MM.RRRR); domyślnie: od początku."
    ),
]
DoOpt = Annotated[
    str | None,
    typer.Option("--do", help="Koniec okresu i dzień stanu zespołów; domyślnie: dziś."),
]


def _period(od: str | None, do: str | None) -> tuple[dt.date | None, dt.date | None]:

    return (
        parse_date(od) if od is not None else None,
        parse_date(do) if do is not None else None,
    )


@app.command("strona")
def strona(
    ctx: typer.Context,
    wyjscie: Annotated[
        Path | None,
        typer.Option(
            "--wyjscie",
            "-o",
            metavar="KATALOG",
            help="Katalog strony; program zmienia w nim tylko pliki, które sam zapisał "
            "(inne, np. .git czy robots.txt, zostają). Domyślnie katalog_raportow z pliku "
            "konfiguracji.",
        ),
    ] = None,
    od: OdOpt = None,
    do: DoOpt = None,
    cicho: Annotated[
        bool, typer.Option("--cicho", "-q", help="Nic nie wypisuj (poza błędami).")
    ] = False,
    od_nowa: Annotated[
        bool,
        typer.Option(
            "--od-nowa",
            help="Utwórz każdą stronę od nowa, także te, których dane się nie zmieniły.",
        ),
    ] = False,
    procesy: Annotated[
        int | None,
        typer.Option(
            "--procesy",
            min=1,
            metavar="N",
            help="Liczba procesów tworzących strony zespołów; domyślnie: po jednym na rdzeń "
            "procesora (jeden dla małej strony).",
        ),
    ] = None,
) -> None:
    """Strona raportów: spis zespołów, zespoły, spotkania, koszyki i raporty zbiorcze.

    Wszystko w HTML i Markdown, z odnośnikami działającymi bez serwera. Nadaje się do
    crona: nowe strony zastępują poprzednie dopiero po udanym zapisie wszystkich, inne pliki
    katalogu zostają nietknięte, a gdy wyjście nie jest terminalem, nic nie wypisuje.
    Katalogu z bazą danych nie użyje (strona jest do publikacji). Tworzy tylko strony,
    których dane się zmieniły; plik strony bez zmian zostaje nietknięty (z datą modyfikacji),
    a strony usuniętych zespołów i spotkań znikają.

    Przykład: kooperacje raport strona -o /srv/raporty --od 2026-01-01
    """

    start, end = _period(od, do)
    target = _site_dir(wyjscie)
    db = get_db(ctx)
    if cicho or not stdout_is_terminal():
        site.build(db, target, od=start, do=end, od_nowa=od_nowa, procesy=procesy)
        return
    with ProgressBar("Strona raportów") as bar:
        result = site.build(
            db, target, od=start, do=end, progress=bar.update, od_nowa=od_nowa, procesy=procesy
        )
    info(f"Zapisano stronę raportów ({result.pliki} plików): {result.katalog / 'index.html'}")


def _site_dir(wyjscie: Path | None) -> Path:

    if wyjscie is not None:
        return wyjscie
    configured = config.load().katalog_raportow
    if configured is None:
        raise InvalidInput(
            "nie podano katalogu strony. Podaj -o KATALOG albo wpisz katalog_raportow "
            f"w pliku konfiguracji ({config.path()})."
        )
    return configured


class SummaryFormat(str, Enum):
    """How the summary is written."""

    md = "md"
    html = "html"
    csv = "csv"
    pdf = "pdf"


@app.command("zbiorczy")
def zbiorczy(
    ctx: typer.Context,
    wojewodztwo: Annotated[
        str | None,
        typer.Option("--wojewodztwo", "-w", help="Tylko zespoły województwa (kod albo nazwa)."),
    ] = None,
    makroregion: Annotated[
        str | None,
        typer.Option("--makroregion", "-m", help="Tylko zespoły makroregionu (I, II albo III)."),
    ] = None,
    projekt: Annotated[
        str | None, typer.Option("--projekt", "-p", help="Tylko zespoły projektu (nazwa).")
    ] = None,
    od: OdOpt = None,
    do: DoOpt = None,
    fmt: Annotated[
        SummaryFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="md, html, csv albo pdf (tylko z -o). Domyślnie: według rozszerzenia pliku "
            "z -o, a na ekranie md.",
        ),
    ] = None,
    wyjscie: OutputFileOpt = None,
) -> None:
    """Raport zbiorczy: wskaźniki każdego zespołu za okres i ich suma.

    Członkowie na koniec okresu, przystąpienia i wystąpienia, sektory (z 16 i z pięciu
    kluczowych), spotkania, średnia frekwencja, deklaracje, aktywne usługi.

    Przykład: kooperacje raport zbiorczy --wojewodztwo lodzkie --od 2019-01-01 --format csv
    """

    start, end = _period(od, do)
    kind = _summary_format(fmt, wyjscie)
    db = get_db(ctx)
    scope = scopes.scope(db, wojewodztwo=wojewodztwo, makroregion=makroregion, projekt=projekt)
    output = documents.summary(db, scope, kind, od=start, do=end)
    if kind == "csv" and wyjscie is None and isinstance(output, str):
        file_text(output)
    else:
        _emit(output, wyjscie, personal=False)


def _summary_format(fmt: SummaryFormat | None, wyjscie: Path | None) -> str:

    if fmt is SummaryFormat.csv or (
        fmt is None and wyjscie is not None and wyjscie.suffix.lower() == ".csv"
    ):
        return "csv"
    return documents.document_format(_value(fmt), wyjscie)
