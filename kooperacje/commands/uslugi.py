"""`kooperacje uslugi`: services of institutions and where they are available."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

import typer

from kooperacje.basket import query, service_details, service_edits, services
from kooperacje.basket import service_details as sd
from kooperacje.basket.services import Service
from kooperacje.commands._base import new_app
from kooperacje.commands._common import (
    FormatOpt,
    InstytucjaOpt,
    OptGminaOpt,
    WGminieOpt,
    empty_hint,
    get_db,
)
from kooperacje.commands.koszyk_view import EXPORT_KEYS, export_row, print_ranked
from kooperacje.commands.uslugi_options import (
    AdresOpt,
    BiuroOpt,
    DlaOpt,
    DniOpt,
    DokumentyOpt,
    EmailOpt,
    GodzinyOpt,
    JakOpt,
    KodOpt,
    KontaktOpt,
    KosztOpt,
    KryteriaOpt,
    MiejsceOpt,
    MiejscowoscOpt,
    ObszarOpt,
    OdplatnoscOpt,
    OpisOpt,
    OptObszarOpt,
    OsobaOpt,
    TelefonOpt,
    WiekDoOpt,
    WiekOdOpt,
    ZasiegOpt,
    details,
)
from kooperacje.formats import Format
from kooperacje.output import info, listing, record

app = new_app("Usługi instytucji: co oferują, komu i gdzie (zasięg), czyli lokalny koszyk usług.")


UslugaArg = Annotated[str, typer.Argument(help="Usługa: numer albo jednoznaczna nazwa.")]

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
    dokumenty: DokumentyOpt = None,
    wiek_od: WiekOdOpt = None,
    wiek_do: WiekDoOpt = None,
    koszt: KosztOpt = None,
    miejsce: MiejsceOpt = None,
    adres: AdresOpt = None,
    kod_pocztowy: KodOpt = None,
    miejscowosc: MiejscowoscOpt = None,
    biuro: BiuroOpt = None,
    godziny: GodzinyOpt = None,
    dni: DniOpt = None,
    kontakt_osoba: OsobaOpt = None,
    kontakt_telefon: TelefonOpt = None,
    kontakt_email: EmailOpt = None,
    gmina: WGminieOpt = None,
) -> None:
    """Dodaj usługę instytucji do koszyka; wypisuje jej numer.

    Przykład: kooperacje uslugi dodaj "Poradnictwo rodzinne" -i PCPR -a rodziny --zasieg powiat
    """

    service = service_edits.add(
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
        szczegoly=details(locals()),
        gmina=gmina,
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
        str | None,
        typer.Option(
            "--status", help="Tylko usługi o tym statusie: aktywna, zawieszona albo zakonczona."
        ),
    ] = None,
    fmt: FormatOpt = Format.tabela,
) -> None:
    """Wypisz usługi; --gmina: dostępne w gminie (także przez zasięg powiatu i województwa).

    Przykład: kooperacje uslugi lista --gmina 1012011 --obszar pomoc_spoleczna
    """

    found = services.list_(
        get_db(ctx),
        instytucja=instytucja,
        obszar=obszar,
        gmina=gmina,
        status=status,
    )
    columns = _COLUMNS if fmt is Format.tabela else _EXPORT_COLUMNS
    rows = [_row(s, fmt) for s in found]
    empty = "Brak usług. Dodaj je poleceniem: kooperacje uslugi dodaj."
    listing(rows, columns, fmt, empty=empty_hint(ctx, empty))


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
            ("Wiek", sd.age_label(s.wiek_od, s.wiek_do)),
            ("Dokumenty", s.dokumenty),
            ("Koszt", sd.cost_text(s.bezplatna, s.odplatnosc)),
            ("Gdzie", sd.place_text(s.miejsce, s.adres, s.kod_pocztowy, s.miejscowosc)),
            ("Kiedy", sd.when_text(s.godziny, s.dni)),
            (
                "Kontakt",
                sd.contact_text(s.kontakt, s.kontakt_osoba, s.kontakt_telefon, s.kontakt_email),
            ),
            ("Status", s.status_nazwa),
            ("Zweryfikowano", sd.verified_text(s.zweryfikowano, s.zweryfikowal)),
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
    dokumenty: DokumentyOpt = None,
    wiek_od: WiekOdOpt = None,
    wiek_do: WiekDoOpt = None,
    koszt: KosztOpt = None,
    miejsce: MiejsceOpt = None,
    adres: AdresOpt = None,
    kod_pocztowy: KodOpt = None,
    miejscowosc: MiejscowoscOpt = None,
    biuro: BiuroOpt = None,
    godziny: GodzinyOpt = None,
    dni: DniOpt = None,
    kontakt_osoba: OsobaOpt = None,
    kontakt_telefon: TelefonOpt = None,
    kontakt_email: EmailOpt = None,
    status: Annotated[
        str | None,
        typer.Option("--status", help="aktywna, zawieszona albo zakonczona (poza koszykiem)."),
    ] = None,
) -> None:
    """Zmień dane usługi; --dla i --zasieg zastępują cały zbiór; pusty tekst czyści pole.

    Przykład: kooperacje uslugi edytuj 3 --status zawieszona
    """

    s = service_edits.edit(
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
        status=status,
        szczegoly=details(locals()),
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
    service_edits.remove(db, s.id)
    info(f"Usunięto usługę nr {s.id}: {s.nazwa}.")


@app.command("szukaj")
def szukaj(
    ctx: typer.Context,
    tekst: Annotated[str, typer.Argument(help="Słowa z nazwy, opisu, kryteriów lub realizatora.")],
    gmina: OptGminaOpt = None,
    fmt: FormatOpt = Format.tabela,
) -> None:
    """Szukaj aktywnych usług (bez względu na polskie znaki; początek słowa wystarczy).

    Najlepsze trafienia najpierw; --gmina: tylko z koszyka tej gminy.

    Przykład: kooperacje uslugi szukaj "osrodek psycholog" --gmina 1012011
    """

    found = query.search_rows(get_db(ctx), tekst, gmina=gmina)
    if fmt is Format.tabela:
        print_ranked(found, f'Nie znaleziono aktywnych usług pasujących do "{tekst}".')
    else:
        listing([export_row(s) for s in found], [(k, k) for k in EXPORT_KEYS], fmt)


@app.command("zweryfikuj")
def zweryfikuj(
    ctx: typer.Context,
    usluga: UslugaArg,
    data: Annotated[
        str | None,
        typer.Option("--data", "-d", help="Dzień sprawdzenia (RRRR-MM-DD); domyślnie dziś."),
    ] = None,
    kto: Annotated[str | None, typer.Option("--kto", help="Kto sprawdził usługę.")] = None,
) -> None:
    """Zapisz, że dane usługi sprawdzono z realizatorem (data i osoba).

    Przykład: kooperacje uslugi zweryfikuj 3 --data 2026-03-02 --kto "Anna Nowak"
    """

    s = service_edits.verify(get_db(ctx), usluga, data=data, kto=kto)
    when = service_details.verified_text(s.zweryfikowano, s.zweryfikowal)
    info(f"Zweryfikowano usługę nr {s.id}: {s.nazwa}, {when}.")
