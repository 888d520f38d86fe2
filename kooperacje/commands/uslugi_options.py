"""The options that describe a service, shared by `uslugi dodaj` and `uslugi edytuj` (the
area also by `uslugi lista`): what it is, for whom and where it is available, and the
directory details (documents, age, cost, place, hours and days, contact), with the function
that collects the details a command was given.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

ObszarOpt = Annotated[
    str, typer.Option("--obszar", "-a", help="Obszar usługi: kod albo nazwa, np. pomoc_spoleczna.")
]
OptObszarOpt = Annotated[
    str | None,
    typer.Option("--obszar", "-a", help="Obszar usługi: kod albo nazwa, np. pomoc_spoleczna."),
]
DlaOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--dla", help="Grupa docelowa: kod albo nazwa (opcję można powtórzyć), np. seniorzy."
    ),
]
ZasiegOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--zasieg",
        help="Gdzie dostępna: kod TERYT województwa (2 cyfry), powiatu (4) lub gminy (7) "
        "albo słowo gmina, powiat, wojewodztwo (jednostka siedziby instytucji); opcję można "
        "powtórzyć. Domyślnie: gmina siedziby instytucji.",
    ),
]
OpisOpt = Annotated[str | None, typer.Option("--opis", help="Na czym polega usługa.")]
JakOpt = Annotated[
    str | None, typer.Option("--jak-skorzystac", help="Jak skorzystać: gdzie się zgłosić, kiedy.")
]
KryteriaOpt = Annotated[str | None, typer.Option("--kryteria", help="Kto może skorzystać.")]
OdplatnoscOpt = Annotated[
    str | None, typer.Option("--odplatnosc", help="Odpłatność, np. bezpłatna.")
]
KontaktOpt = Annotated[str | None, typer.Option("--kontakt", help="Kontakt w sprawie usługi.")]
DokumentyOpt = Annotated[
    str | None, typer.Option("--dokumenty", help="Wymagane dokumenty, np. dowód osobisty.")
]
WiekOdOpt = Annotated[
    int | None,
    typer.Option("--wiek-od", help="Najniższy wiek korzystającego w latach (-1 usuwa granicę)."),
]
WiekDoOpt = Annotated[
    int | None,
    typer.Option("--wiek-do", help="Najwyższy wiek korzystającego w latach (-1 usuwa granicę)."),
]
KosztOpt = Annotated[
    str | None,
    typer.Option("--koszt", help="Koszt: bezplatna albo odplatna (opis w --odplatnosc)."),
]
MiejsceOpt = Annotated[
    str | None,
    typer.Option(
        "--miejsce",
        help="Gdzie: siedziba (realizatora, domyślnie), adres (inny, z --adres), online, telefon.",
    ),
]
AdresOpt = Annotated[
    str | None, typer.Option("--adres", help="Inny adres świadczenia usługi, np. ul. Reymonta 3.")
]
KodOpt = Annotated[
    str | None, typer.Option("--kod-pocztowy", help="Kod pocztowy innego adresu (NN-NNN).")
]
MiejscowoscOpt = Annotated[
    str | None, typer.Option("--miejscowosc", help="Miejscowość innego adresu.")
]
BiuroOpt = Annotated[
    str | None,
    typer.Option(
        "--biuro",
        help="Numer biura realizatora, w którym odbywa się usługa (instytucje biura lista); "
        '"" – z powrotem w siedzibie.',
    ),
]
GodzinyOpt = Annotated[
    str | None, typer.Option("--godziny", help="Kiedy: godziny przyjęć, np. pn–pt 8:00–15:00.")
]
DniOpt = Annotated[
    str | None, typer.Option("--dni", help="Dni tygodnia, np. pn-pt albo pn,sr,pt (pusty: brak).")
]
OsobaOpt = Annotated[
    str | None, typer.Option("--kontakt-osoba", help="Osoba do kontaktu w sprawie usługi.")
]
TelefonOpt = Annotated[
    str | None, typer.Option("--kontakt-telefon", help="Telefon w sprawie usługi.")
]
EmailOpt = Annotated[str | None, typer.Option("--kontakt-email", help="E-mail w sprawie usługi.")]

_DETAIL_OPTIONS = (
    "dokumenty",
    "wiek_od",
    "wiek_do",
    "koszt",
    "miejsce",
    "adres",
    "kod_pocztowy",
    "miejscowosc",
    "biuro",
    "godziny",
    "dni",
    "kontakt_osoba",
    "kontakt_telefon",
    "kontakt_email",
)


def details(options: dict[str, Any]) -> dict[str, Any]:
    """The directory options that were given, for services.add/edit."""
    return {name: options[name] for name in _DETAIL_OPTIONS if options[name] is not None}
