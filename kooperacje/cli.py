"""The command tree: the root callback and the registry of its commands. Nothing else lives here.

The commands are listed, not imported: each module is imported only when its command runs
or shows its help, so `kooperacje --help` and every command start quickly.
"""

from __future__ import annotations

from typing import Annotated

import typer

from kooperacje import files
from kooperacje.commands._base import LazyCommand, new_app
from kooperacje.commands._common import State
from kooperacje.commands._habits import show_version
from kooperacje.errors import InvalidInput
from kooperacje.store.db import resolve_path


def _command(module: str, attribute: str, help_text: str) -> LazyCommand:
    return LazyCommand(f"kooperacje.commands.{module}", attribute, help_text)


# name -> where it lives and its one-line summary in the root's help (tests/test_help.py
# checks each summary against the command's own help).
COMMANDS = {
    "gminy": _command(
        "gminy", "app", "Rejestr TERYT: gminy, powiaty i województwa (stan na 1 stycznia 2026 r.)."
    ),
    "instytucje": _command(
        "instytucje",
        "app",
        "Instytucje (kooperanci): rejestracja, wyszukiwanie, zmiany i usuwanie.",
    ),
    "osoby": _command(
        "osoby",
        "app",
        "Przedstawiciele instytucji: wyłącznie służbowe dane kontaktowe pracowników "
        "(dane osobowe: można je poprawić i usunąć na żądanie).",
    ),
    "zespoly": _command(
        "zespoly",
        "app",
        "Partnerskie Zespoły Kooperacyjne (PZK): zakładanie, członkowie, dane zespołu.",
    ),
    "projekty": _command(
        "projekty",
        "app",
        "Projekty, w których działają zespoły: nazwa, program, okres, lider i partnerzy, "
        "makroregiony, uczestniczące gminy i powiaty.",
    ),
    "porozumienia": _command(
        "porozumienia",
        "app",
        "Porozumienia o współpracy: strony (instytucje i samorządy), przedmiot, projekt, status, "
        "terminy i okres obowiązywania.",
    ),
    "spotkania": _command(
        "spotkania",
        "app",
        "Spotkania zespołu (inicjujące, posiedzenia, warsztaty…) i lista obecności.",
    ),
    "deklaracje": _command(
        "deklaracje",
        "app",
        "Deklaracje przystąpienia do zespołu i wystąpienia z niego; "
        "z nich wynika skład zespołu w każdym dniu.",
    ),
    "zzk": _command(
        "zzk",
        "app",
        "Zadaniowe zespoły kooperacyjne (ZZK): kod sprawy, kategorie, delegowane instytucje "
        "i osoby, usługi, spotkania i wynik; nigdy dane osoby lub rodziny.",
    ),
    "uslugi": _command(
        "uslugi",
        "app",
        "Usługi instytucji: co oferują, komu i gdzie (zasięg), czyli lokalny koszyk usług.",
    ),
    "koszyk": _command(
        "koszyk", "koszyk", "Pokaż lokalny koszyk usług gminy według obszarów i instytucji."
    ),
    "luki": _command(
        "luki",
        "luki",
        "Pokaż luki: sektory bez członka, obszary i grupy bez usług, usługi do weryfikacji.",
    ),
    "raport": _command(
        "raport",
        "app",
        "Raporty i dokumenty do druku (Markdown, HTML albo PDF): lista obecności, deklaracje, "
        "protokół, zespół, notatka ze spotkania, lokalny koszyk usług, raport zbiorczy, strona "
        "raportów.",
    ),
    "konfiguracja": _command(
        "konfiguracja",
        "app",
        "Plik konfiguracji: domyślna baza, katalog raportów, szablony, dane organizacji.",
    ),
    "import": _command(
        "importy",
        "app",
        "Import instytucji i usług z arkuszy XLSX i plików CSV (także z Excela w Windows-1250).",
    ),
    "eksport": _command(
        "eksport",
        "app",
        "Eksport danych do plików: tabele jako CSV (dla Excela), XLSX albo JSON; "
        "koszyk usług jako pakiet HSDS 3.0.",
    ),
    "historia": _command(
        "historia",
        "historia",
        "Pokaż historię zmian: co i kiedy dodano, zmieniono lub usunięto, "
        "z dawną i nową wartością.",
    ),
    "scal": _command(
        "scal",
        "scal",
        "Scal pliki baz innych koordynatorów z tą bazą: zespoły, ich spotkania, deklaracje, "
        "ZZK, instytucje i usługi.",
    ),
    "publikuj": _command(
        "publikuj",
        "publikuj",
        "Opublikuj kopię publiczną bazy w Datasette: zespoły, instytucje i koszyki usług.",
    ),
    "baza": _command(
        "baza",
        "app",
        "Plik bazy: gdzie jest, kopie zapasowe, przywracanie z kopii i sprawdzanie spójności.",
    ),
    "uzupelnianie": _command(
        "uzupelnianie",
        "uzupelnianie",
        "Wypisz skrypt podpowiadania poleceń klawiszem Tab dla powłoki.",
    ),
    "demo": _command(
        "demo",
        "demo",
        "Zbuduj bazę demonstracyjną z prawdziwych wydarzeń z lat 2019–2020 i zapisz jej raporty.",
    ),
}

app = new_app(
    "Koordynacja Partnerskiego Zespołu Kooperacyjnego (PZK): instytucje, spotkania, "
    "deklaracje, lokalny koszyk usług i raporty.",
    name="kooperacje",
    commands=COMMANDS,
)


@app.callback()
def root(
    ctx: typer.Context,
    baza: Annotated[
        str | None,
        typer.Option(
            "--baza",
            metavar="PLIK",
            envvar="KOOPERACJE_BAZA",
            help="Plik bazy danych (domyślnie kooperacje.db w katalogu danych użytkownika); "
            "można go podać także po poleceniu.",
            show_envvar=True,
        ),
    ] = None,
    wersja: Annotated[
        bool,
        typer.Option(
            "--version",
            "--wersja",
            is_eager=True,
            expose_value=False,
            callback=show_version,
            help="Pokaż wersję programu i zakończ.",
        ),
    ] = False,
) -> None:
    """Koordynacja Partnerskiego Zespołu Kooperacyjnego (PZK).

    Przykład: kooperacje --baza moja.db instytucje lista
    """
    del wersja  # handled by its callback
    if baza is not None and not baza.strip():
        raise InvalidInput(
            "opcja --baza jest pusta. Podaj ścieżkę pliku bazy albo pomiń --baza, aby użyć "
            "bazy domyślnej."
        )
    source = ctx.get_parameter_source("baza")
    if source is not None and source.name == "ENVIRONMENT":
        baza = None  # read from the variable by store.db, which names it in its messages
    state = State(baza=baza)
    ctx.obj = state
    # No file this run writes may land on the database in use, whichever command writes it.
    ctx.with_resource(files.protecting(lambda: [resolve_path(state.baza)]))


def main() -> None:
    """Console-script entry point."""
    app()
