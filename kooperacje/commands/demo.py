"""`kooperacje demo`: a demonstration database and its reports, apart from the user's own."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated

import typer

from kooperacje.dates import polish_date
from kooperacje.demo import build
from kooperacje.output import info


def demo(
    wyjscie: Annotated[
        Path,
        typer.Option(
            "--wyjscie",
            "-o",
            metavar="KATALOG",
            help="Nowy albo pusty katalog na bazę demo.db i raporty (albo katalog "
            "wcześniejszego demo).",
        ),
    ] = Path("kooperacje-demo"),
) -> None:
    """Zbuduj bazę demonstracyjną z prawdziwych wydarzeń z lat 2019–2020 i zapisz jej raporty.

    Baza demo.db powstaje w podanym katalogu zawsze od nowa; Twoja własna baza
    (--baza, KOOPERACJE_BAZA) pozostaje nietknięta. Demo pisze tylko do nowego albo pustego
    katalogu albo do katalogu wcześniejszego demo (spis jego plików: kooperacje-demo.json)
    i zastępuje tylko swoje pliki.

    Przykład: kooperacje demo -o kooperacje-demo
    """

    result = build(wyjscie)
    loaded = result.zaladowano
    info(
        f"Zbudowano bazę demonstracyjną {result.baza}: zespoły: {len(loaded.zespoly)}, "
        f"instytucje: {loaded.instytucje}, spotkania: {len(loaded.spotkania)}, "
        f"deklaracje: {loaded.deklaracje}, usługi: {loaded.uslugi}."
    )
    if result.przebudowano:
        info("Poprzednia baza demo.db w tym katalogu została zastąpiona nową, zbudowaną od zera.")
    info(
        f"Raporty zespołów, koszyki usług i notatki ze spotkań (Markdown i HTML, stan na "
        f"{polish_date(result.stan_na)}; plików: {len(result.pliki)}) są w katalogu "
        f"{result.katalog}. Zacznij od spisu treści: {result.spis}"
    )
    if result.spotkanie_dokumentow is not None and result.dokumenty:
        meeting = result.spotkanie_dokumentow
        info(
            f"Dokumenty spotkania z {polish_date(meeting.data)} ({meeting.gmina_nazwa}) gotowe "
            "do druku (PDF): lista obecności, deklaracje przystąpienia i protokół:"
        )
        for path in result.dokumenty:
            info(f"  {path}")
    info("Twoja własna baza danych nie została zmieniona.")
    info("")
    info("Jak dalej przeglądać dane demonstracyjne:")
    baza = shlex.quote(str(result.baza))
    for command in (
        "zespoly lista",
        "zespoly pokaz 1012011",
        "koszyk --gmina 1012011",
        "spotkania lista --gmina 1012011",
        "zzk lista --gmina 1012011",
        "raport zespol --gmina 1012011 --format html -o raport-radomsko.html",
        *(
            [f"raport protokol {result.spotkanie_dokumentow.id} -o protokol.pdf"]
            if result.spotkanie_dokumentow is not None
            else []
        ),
    ):
        info(f"  kooperacje --baza {baza} {command}")
