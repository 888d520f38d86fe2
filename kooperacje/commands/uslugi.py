"""`kooperacje uslugi`: services of institutions and where they are available."""

from __future__ import annotations

from dataclasses import asdict
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kooperacje.commands._base import new_app
from kooperacje.commands._common import FormatOpt, InstytucjaOpt, OptGminaOpt, get_db
from kooperacje.output import Format, info, listing, record

if TYPE_CHECKING:
    from kooperacje.services import Service

app = new_app("Usługi instytucji: co oferują, komu i gdzie (zasięg), czyli lokalny koszyk usług.")


class Status(str, Enum):
    """Status of a service."""

    aktywna = "aktywna"
    zawieszona = "zawieszona"
    zakonczona = "zakonczona"


UslugaArg = Annotated[str, typer.Argument(help="Usługa: numer albo jednoznaczna nazwa.")]
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

_COLUMNS = [
    ("id", "Nr"),
    ("nazwa", "Usługa"),
    ("instytucja_nazwa", "Instytucja"),
    ("obszar_nazwa", "Obszar"),
    ("grupy_nazwy", "Dla kogo"),
    ("zasieg", "Zasięg"),
    ("status_nazwa", "Status"),
]
_EXPORT_COLUMNS = [
    ("id", "id"),
    ("nazwa", "nazwa"),
    ("instytucja", "instytucja"),
    ("instytucja_nazwa", "instytucja_nazwa"),
    ("obszar", "obszar"),
    ("obszar_nazwa", "obszar_nazwa"),
    ("grupy", "grupy"),
    ("zasieg", "zasieg"),
    ("status", "status"),
]


@app.command("dodaj")
def dodaj(
    ctx: typer.Context,
    nazwa: Annotated[str, typer.Argument(help="Nazwa usługi.")],
    instytucja: InstytucjaOpt,
    obszar: ObszarOpt,
    dla: DlaOpt = None,
    zasieg: ZasiegOpt = None,
    opis: OpisOpt = None,
    jak_skorzystac: JakOpt = None,
    kryteria: KryteriaOpt = None,
    odplatnosc: OdplatnoscOpt = None,
    kontakt: KontaktOpt = None,
) -> None:
    """Dodaj usługę instytucji do koszyka; wypisuje jej numer.

    Przykład: kooperacje uslugi dodaj "Poradnictwo rodzinne" -i PCPR -a rodziny --zasieg powiat
    """
    from kooperacje import services

    service = services.add(
        get_db(ctx),
        nazwa=nazwa,
        instytucja=instytucja,
        obszar=obszar,
        dla=dla or [],
        zasieg=zasieg or [],
        opis=opis,
        jak_skorzystac=jak_skorzystac,
        kryteria=kryteria,
        odplatnosc=odplatnosc,
        kontakt=kontakt,
    )
    info(f"Dodano usługę nr {service.id}: {service.nazwa} ({service.instytucja_nazwa}).")
    info(f"Zasięg: {', '.join(service.zasieg_nazwy)}.")


@app.command("lista")
def lista(
    ctx: typer.Context,
    instytucja: Annotated[
        str | None,
        typer.Option("--instytucja", "-i", help="Tylko usługi tej instytucji (numer lub nazwa)."),
    ] = None,
    obszar: OptObszarOpt = None,
    gmina: OptGminaOpt = None,
    status: Annotated[
        Status | None, typer.Option("--status", help="Tylko usługi o tym statusie.")
    ] = None,
    fmt: FormatOpt = Format.tabela,
) -> None:
    """Wypisz usługi; --gmina: dostępne w gminie (także przez zasięg powiatu i województwa).

    Przykład: kooperacje uslugi lista --gmina 1012011 --obszar pomoc_spoleczna
    """
    from kooperacje import services

    found = services.list_(
        get_db(ctx),
        instytucja=instytucja,
        obszar=obszar,
        gmina=gmina,
        status=status.value if status else None,
    )
    columns = _COLUMNS if fmt is Format.tabela else _EXPORT_COLUMNS
    rows = [_row(s, fmt) for s in found]
    listing(rows, columns, fmt, empty="Brak usług. Dodaj je poleceniem: kooperacje uslugi dodaj.")


def _row(service: Service, fmt: Format) -> dict[str, Any]:
    row = asdict(service)
    if fmt is Format.tabela:
        row["zasieg"] = service.zasieg_nazwy
    return {k: ", ".join(v) if isinstance(v, tuple) else v for k, v in row.items()}


@app.command("pokaz")
def pokaz(ctx: typer.Context, usluga: UslugaArg, fmt: FormatOpt = Format.tabela) -> None:
    """Pokaż wszystkie dane usługi.

    Przykład: kooperacje uslugi pokaz 3
    """
    from kooperacje import services

    s = services.resolve(get_db(ctx), usluga)
    if fmt is not Format.tabela:
        record([(k, v) for k, v in _row(s, fmt).items()], fmt)
        return
    short = f" ({s.instytucja_skrot})" if s.instytucja_skrot else ""
    record(
        [
            ("Numer", s.id),
            ("Instytucja", f"{s.instytucja_nazwa}{short}, nr {s.instytucja}"),
            ("Obszar", s.obszar_nazwa),
            ("Dla kogo", s.grupy_nazwy or "wszyscy (nie wskazano grup)"),
            ("Zasięg", s.zasieg_nazwy),
            ("Opis", s.opis),
            ("Jak skorzystać", s.jak_skorzystac),
            ("Kryteria", s.kryteria),
            ("Odpłatność", s.odplatnosc),
            ("Kontakt", s.kontakt),
            ("Status", s.status_nazwa),
            ("Zmieniono", s.zmieniono),
        ],
        fmt,
        title=s.nazwa,
    )


@app.command("edytuj")
def edytuj(
    ctx: typer.Context,
    usluga: UslugaArg,
    nazwa: Annotated[str | None, typer.Option("--nazwa", help="Nowa nazwa usługi.")] = None,
    instytucja: Annotated[
        str | None, typer.Option("--instytucja", "-i", help="Inna instytucja (numer lub nazwa).")
    ] = None,
    obszar: OptObszarOpt = None,
    dla: DlaOpt = None,
    zasieg: ZasiegOpt = None,
    opis: OpisOpt = None,
    jak_skorzystac: JakOpt = None,
    kryteria: KryteriaOpt = None,
    odplatnosc: OdplatnoscOpt = None,
    kontakt: KontaktOpt = None,
    status: Annotated[
        Status | None,
        typer.Option("--status", help="aktywna, zawieszona albo zakonczona (poza koszykiem)."),
    ] = None,
) -> None:
    """Zmień dane usługi; --dla i --zasieg zastępują cały zbiór; pusty tekst czyści pole.

    Przykład: kooperacje uslugi edytuj 3 --status zawieszona
    """
    from kooperacje import services

    s = services.edit(
        get_db(ctx),
        usluga,
        nazwa=nazwa,
        instytucja=instytucja,
        obszar=obszar,
        dla=dla,
        zasieg=zasieg,
        opis=opis,
        jak_skorzystac=jak_skorzystac,
        kryteria=kryteria,
        odplatnosc=odplatnosc,
        kontakt=kontakt,
        status=status.value if status else None,
    )
    info(f"Zapisano usługę nr {s.id}: {s.nazwa} ({s.status_nazwa}).")


@app.command("usun")
def usun(
    ctx: typer.Context,
    usluga: UslugaArg,
    tak: Annotated[bool, typer.Option("--tak", help="Usuń bez pytania o potwierdzenie.")] = False,
) -> None:
    """Usuń usługę (z jej grupami docelowymi i zasięgiem).

    Przykład: kooperacje uslugi usun 3 --tak
    """
    from kooperacje import services

    db = get_db(ctx)
    s = services.resolve(db, usluga)
    if not tak:
        answer = typer.prompt(
            f"Usunąć usługę nr {s.id} „{s.nazwa}” ({s.instytucja_nazwa})? [t/N]",
            default="",
            show_default=False,
        )
        if answer.strip().lower() not in ("t", "tak", "y"):
            raise typer.Abort()
    services.remove(db, s.id)
    info(f"Usunięto usługę nr {s.id}: {s.nazwa}.")
