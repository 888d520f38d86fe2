"""`kooperacje instytucje`: institutions (kooperanci) of the teams."""

from __future__ import annotations

from dataclasses import asdict
from enum import Enum
from typing import Annotated, Any

import typer

from kooperacje.commands._base import new_app
from kooperacje.commands._common import (
    FormatOpt,
    GminaOpt,
    OptGminaOpt,
    TakOpt,
    confirm_deletion,
    empty_hint,
    get_db,
)
from kooperacje.commands.instytucje_kontakty import biura_app, telefony_app
from kooperacje.dates import polish_date
from kooperacje.formats import Format
from kooperacje.output import changes, info, listing, record
from kooperacje.register import institution_card, institutions
from kooperacje.register.institution_card import Details
from kooperacje.register.vocab import SECTORS

app = new_app("Instytucje (kooperanci): rejestracja, wyszukiwanie, zmiany i usuwanie.")


class ShowFormat(str, Enum):
    """How one record is printed."""

    tabela = "tabela"
    json = "json"


_SECTOR_HELP = f"Sektor: kod albo nazwa ({', '.join(SECTORS.codes)})."

InstitutionArg = Annotated[
    str, typer.Argument(help="Instytucja: numer, nazwa albo skrót (jednoznaczne).")
]
SektorOpt = Annotated[str, typer.Option("--sektor", "-s", help=_SECTOR_HELP)]
OptSektorOpt = Annotated[str | None, typer.Option("--sektor", "-s", help=_SECTOR_HELP)]
SkrotOpt = Annotated[str | None, typer.Option("--skrot", help="Skrót, np. PCPR, MOPS, KPP.")]
AdresOpt = Annotated[
    str | None, typer.Option("--adres", help="Ulica i numer, np. ul. Piastowska 12.")
]
KodOpt = Annotated[
    str | None, typer.Option("--kod-pocztowy", help="Kod pocztowy NN-NNN, np. 97-500.")
]
MiejscowoscOpt = Annotated[
    str | None, typer.Option("--miejscowosc", help="Miejscowość adresu, np. Radomsko.")
]
TelefonOpt = Annotated[
    str | None, typer.Option("--telefon", help="Telefon, np. 44 715 07 95 albo +48 44 715 07 95.")
]
EmailOpt = Annotated[str | None, typer.Option("--email", help="Adres e-mail instytucji.")]
WwwOpt = Annotated[str | None, typer.Option("--www", help="Strona internetowa, np. www.pcpr.pl.")]
NipOpt = Annotated[str | None, typer.Option("--nip", help="NIP: 10 cyfr (myślniki dozwolone).")]
RegonOpt = Annotated[str | None, typer.Option("--regon", help="REGON: 9 albo 14 cyfr.")]
UwagiOpt = Annotated[str | None, typer.Option("--uwagi", help="Dowolne uwagi.")]

# Polish labels of the fields, in the order a user reads them.
LABELS = {
    "nazwa": "Nazwa",
    "skrot": "Skrót",
    "sektor": "Sektor",
    "gmina": "Gmina",
    "adres": "Adres",
    "kod_pocztowy": "Kod pocztowy",
    "miejscowosc": "Miejscowość",
    "telefon": "Telefon",
    "email": "E-mail",
    "www": "WWW",
    "nip": "NIP",
    "regon": "REGON",
    "uwagi": "Uwagi",
}

_TABLE_COLUMNS = [
    ("id", "Nr"),
    ("nazwa", "Nazwa"),
    ("skrot", "Skrót"),
    ("sektor_nazwa", "Sektor"),
    ("gmina_nazwa", "Gmina"),
    ("telefon", "Telefon"),
    ("email", "E-mail"),
]


@app.command("dodaj")
def dodaj(
    ctx: typer.Context,
    nazwa: Annotated[str, typer.Argument(help="Pełna nazwa instytucji.")],
    gmina: GminaOpt,
    sektor: SektorOpt,
    skrot: SkrotOpt = None,
    adres: AdresOpt = None,
    kod_pocztowy: KodOpt = None,
    miejscowosc: MiejscowoscOpt = None,
    telefon: TelefonOpt = None,
    email: EmailOpt = None,
    www: WwwOpt = None,
    nip: NipOpt = None,
    regon: RegonOpt = None,
    uwagi: UwagiOpt = None,
) -> None:
    """Zarejestruj instytucję i wypisz jej numer.

    Przykład: kooperacje instytucje dodaj "PCPR w Radomsku" -g 1012011 -s rodzina --skrot PCPR
    """

    added = institutions.add(
        get_db(ctx, create=True),
        nazwa=nazwa,
        gmina=gmina,
        sektor=sektor,
        skrot=skrot,
        adres=adres,
        kod_pocztowy=kod_pocztowy,
        miejscowosc=miejscowosc,
        telefon=telefon,
        email=email,
        www=www,
        nip=nip,
        regon=regon,
        uwagi=uwagi,
    )
    info(f"Dodano instytucję nr {added.id}: {added.nazwa}.")


@app.command("lista")
def lista(
    ctx: typer.Context,
    gmina: OptGminaOpt = None,
    sektor: OptSektorOpt = None,
    szukaj: Annotated[
        str | None,
        typer.Option("--szukaj", help="Fragment nazwy lub skrótu (bez względu na ogonki)."),
    ] = None,
    fmt: FormatOpt = Format.tabela,
) -> None:
    """Wypisz instytucje w porządku alfabetycznym.

    Przykład: kooperacje instytucje lista --gmina 1012011 --szukaj pomocy
    """

    found = institutions.list_(get_db(ctx), gmina=gmina, sektor=sektor, szukaj=szukaj)
    if fmt is Format.tabela:
        columns = _TABLE_COLUMNS
    else:
        columns = [(name, name) for name in institutions.Institution.__dataclass_fields__]
    listing(
        [asdict(i) for i in found],
        columns,
        fmt,
        empty=empty_hint(ctx, "Brak instytucji spełniających warunki."),
    )


@app.command("pokaz")
def pokaz(
    ctx: typer.Context,
    instytucja: InstitutionArg,
    fmt: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="Postać wyniku: tabela albo json.")
    ] = ShowFormat.tabela,
) -> None:
    """Pokaż wszystkie dane instytucji, jej przedstawicieli, zespoły i liczbę usług.

    Przykład: kooperacje instytucje pokaz PCPR
    """

    found = institution_card.details(get_db(ctx), instytucja)
    if fmt is ShowFormat.json:
        record(_json_pairs(found), Format.json)
    else:
        _print_details(found)


def _json_pairs(found: Details) -> list[tuple[str, Any]]:
    return [
        *asdict(found.instytucja).items(),
        ("przedstawiciele", [asdict(p) for p in found.przedstawiciele]),
        ("zespoly", [asdict(t) for t in found.zespoly]),
        ("uslugi", found.uslugi),
        ("telefony", [asdict(t) for t in found.telefony]),
        ("biura", [asdict(b) for b in found.biura]),
    ]


def _print_details(found: Details) -> None:

    i = found.instytucja
    values = asdict(i) | {
        "sektor": i.sektor_nazwa,
        "gmina": f"{i.gmina_nazwa} ({i.gmina})",
    }
    pairs = [("Numer", i.id)] + [(label, values[name]) for name, label in LABELS.items()]
    teams = [f"{t.nazwa} (od {polish_date(t.od)})" for t in found.zespoly]
    pairs += [("UUID", i.uuid), ("Zespoły", "; ".join(teams) or "brak"), ("Usługi", found.uslugi)]
    if found.telefony:
        pairs.append(("Inne telefony", "; ".join(t.opis_pelny for t in found.telefony)))
    record(pairs, Format.tabela, title=i.nazwa)
    for office in found.biura:
        phone = f", tel. {office.telefon}" if office.telefon else ""
        info(f"Biuro nr {office.id}: {office.adres_pelny}{phone} – {office.nazwa}")
    info("Przedstawiciele:" if found.przedstawiciele else "Przedstawiciele: brak")
    for p in found.przedstawiciele:
        extra = ", ".join(v for v in (p.stanowisko, p.telefon, p.email) if v)
        info(f"  - {p.imie_nazwisko} (nr {p.id})" + (f": {extra}" if extra else ""))


@app.command("edytuj")
def edytuj(
    ctx: typer.Context,
    instytucja: InstitutionArg,
    nazwa: Annotated[str | None, typer.Option("--nazwa", help="Nowa pełna nazwa.")] = None,
    gmina: OptGminaOpt = None,
    sektor: OptSektorOpt = None,
    skrot: SkrotOpt = None,
    adres: AdresOpt = None,
    kod_pocztowy: KodOpt = None,
    miejscowosc: MiejscowoscOpt = None,
    telefon: TelefonOpt = None,
    email: EmailOpt = None,
    www: WwwOpt = None,
    nip: NipOpt = None,
    regon: RegonOpt = None,
    uwagi: UwagiOpt = None,
) -> None:
    """Zmień dane instytucji: tylko podane pola; pusty tekst ("") czyści pole nieobowiązkowe.

    Przykład: kooperacje instytucje edytuj PCPR --telefon "44 683 36 25" --uwagi ""
    """

    result = institutions.apply_edit(
        get_db(ctx),
        instytucja,
        nazwa=nazwa,
        gmina=gmina,
        sektor=sektor,
        skrot=skrot,
        adres=adres,
        kod_pocztowy=kod_pocztowy,
        miejscowosc=miejscowosc,
        telefon=telefon,
        email=email,
        www=www,
        nip=nip,
        regon=regon,
        uwagi=uwagi,
    )
    rows = [(LABELS[c.pole], c.stara, c.nowa) for c in result.zmiany]
    changes(f"instytucję {result.instytucja.label}", rows)


@app.command("usun")
def usun(ctx: typer.Context, instytucja: InstitutionArg, tak: TakOpt = False) -> None:
    """Usuń instytucję wraz z jej przedstawicielami (o ile nic innego od niej nie zależy).

    Przykład: kooperacje instytucje usun 3 --tak
    """

    db = get_db(ctx)
    plan = institution_card.removal_plan(db, instytucja)
    count = plan.przedstawiciele
    confirm_deletion(
        f"Usunąć instytucję {plan.instytucja.label} i jej przedstawicieli ({count})?", tak=tak
    )
    removed = institution_card.remove(db, str(plan.instytucja.id))
    info(
        f"Usunięto instytucję nr {removed.id}: {removed.nazwa}. "
        f"Razem z nią usunięto przedstawicieli: {count}."
    )


# Phones and offices beyond the main ones have commands of their own.
app.add_typer(telefony_app, name="telefony")
app.add_typer(biura_app, name="biura")
