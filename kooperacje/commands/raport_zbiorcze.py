"""`kooperacje raport strona|zbiorczy`: the reports over many teams and a period, the site
of reports (every team, meeting and basket, for publishing) and the summary of the
indicators of each team and their total.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from kooperacje import config
from kooperacje.commands._common import OutputFileOpt, get_db
from kooperacje.commands.raport_output import emit, format_value
from kooperacje.dates import parse_date
from kooperacje.errors import InvalidInput
from kooperacje.output import ProgressBar, file_text, info, stdout_is_terminal
from kooperacje.reports import documents, scopes, site

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
        emit(output, wyjscie, personal=False)


def _summary_format(fmt: SummaryFormat | None, wyjscie: Path | None) -> str:

    if fmt is SummaryFormat.csv or (
        fmt is None and wyjscie is not None and wyjscie.suffix.lower() == ".csv"
    ):
        return "csv"
    return documents.document_format(format_value(fmt), wyjscie)
