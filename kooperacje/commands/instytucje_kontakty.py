"""`kooperacje instytucje telefony|biura`: an institution's further phones and offices."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer

from kooperacje.commands._base import new_app
from kooperacje.commands._common import (
    FormatOpt,
    OptGminaOpt,
    TakOpt,
    confirm_deletion,
    empty_hint,
    get_db,
)
from kooperacje.formats import Format
from kooperacje.output import changes, info, listing
from kooperacje.register import contacts, institutions

telefony_app = new_app("Dodatkowe telefony instytucji (poza głównym), każdy z opisem.")
biura_app = new_app("Biura instytucji poza siedzibą: adres i co się w nich mieści.")

InstitutionArg = Annotated[
    str, typer.Argument(help="Instytucja: numer, nazwa albo skrót (z --gmina: w tej gminie).")
]
NumerArg = Annotated[str, typer.Argument(help="Numer telefonu, np. 514 717 195.")]
BiuroArg = Annotated[int, typer.Argument(help="Numer biura (z polecenia: instytucje biura lista).")]
OpisTelOpt = Annotated[
    str | None, typer.Option("--opis", help='Do czego służy numer, np. "sekretariat", "komórka".')
]
OpisBiuraOpt = Annotated[
    str | None,
    typer.Option("--opis", help='Co mieści się w biurze, np. "piecza zastępcza".'),
]
AdresOpt = Annotated[str | None, typer.Option("--adres", help="Ulica i numer biura.")]
KodOpt = Annotated[
    str | None, typer.Option("--kod-pocztowy", help="Kod pocztowy NN-NNN (domyślnie: siedziby).")
]
MiejscowoscOpt = Annotated[
    str | None, typer.Option("--miejscowosc", help="Miejscowość (domyślnie: siedziby).")
]
TelefonOpt = Annotated[str | None, typer.Option("--telefon", help="Telefon biura.")]


def _institution(ctx: typer.Context, ref: str, gmina: str | None) -> institutions.Institution:
    db = get_db(ctx)
    return institutions.resolve(db, ref, institutions.gmina_context(db, gmina))


@telefony_app.command("dodaj")
def telefon_dodaj(
    ctx: typer.Context,
    instytucja: InstitutionArg,
    numer: NumerArg,
    opis: OpisTelOpt = None,
    gmina: OptGminaOpt = None,
) -> None:
    """Dodaj instytucji kolejny telefon (główny ustawia: instytucje edytuj --telefon).

    Przykład: kooperacje instytucje telefony dodaj PCPR "514 717 195" --opis komórka -g 1012011
    """

    institution = _institution(ctx, instytucja, gmina)
    phone = contacts.add_phone(get_db(ctx), institution, numer, opis)
    info(f"Dodano telefon {phone.opis_pelny} instytucji nr {institution.id}: {institution.nazwa}.")


@telefony_app.command("usun")
def telefon_usun(
    ctx: typer.Context, instytucja: InstitutionArg, numer: NumerArg, gmina: OptGminaOpt = None
) -> None:
    """Usuń dodatkowy telefon instytucji.

    Przykład: kooperacje instytucje telefony usun PCPR "514 717 195" -g 1012011
    """

    institution = _institution(ctx, instytucja, gmina)
    phone = contacts.remove_phone(get_db(ctx), institution, numer)
    info(f"Usunięto telefon {phone.opis_pelny} instytucji nr {institution.id}.")


@telefony_app.command("lista")
def telefon_lista(
    ctx: typer.Context,
    instytucja: InstitutionArg,
    gmina: OptGminaOpt = None,
    fmt: FormatOpt = Format.tabela,
) -> None:
    """Wypisz telefony instytucji: główny i dodatkowe.

    Przykład: kooperacje instytucje telefony lista PCPR -g 1012011
    """

    institution = _institution(ctx, instytucja, gmina)
    rows: list[dict[str, str | None]] = []
    if institution.telefon:
        rows.append({"numer": institution.telefon, "opis": "główny"})
    rows += [
        {"numer": p.numer, "opis": p.opis} for p in contacts.phones_of(get_db(ctx), institution.id)
    ]
    listing(
        rows,
        [("numer", "Telefon"), ("opis", "Opis")],
        fmt,
        empty=f"Instytucja „{institution.nazwa}” nie ma telefonów. Dodaj: "
        f'kooperacje instytucje telefony dodaj {institution.id} "NUMER".',
    )


@biura_app.command("dodaj")
def biuro_dodaj(
    ctx: typer.Context,
    instytucja: InstitutionArg,
    opis: OpisBiuraOpt = None,
    adres: AdresOpt = None,
    kod_pocztowy: KodOpt = None,
    miejscowosc: MiejscowoscOpt = None,
    telefon: TelefonOpt = None,
    gmina: OptGminaOpt = None,
) -> None:
    """Dodaj biuro instytucji poza siedzibą; usługa może się w nim odbywać (uslugi --biuro).

    Przykład: kooperacje instytucje biura dodaj PCPR --adres "ul. Piastowska 21" --opis piecza
    """

    institution = _institution(ctx, instytucja, gmina)
    office = contacts.add_office(
        get_db(ctx),
        institution,
        nazwa=opis or "",
        adres=adres or "",
        kod_pocztowy=kod_pocztowy,
        miejscowosc=miejscowosc,
        telefon=telefon,
    )
    info(f"Dodano biuro nr {office.id} instytucji „{institution.nazwa}”: {office.adres_pelny}.")


@biura_app.command("lista")
def biuro_lista(
    ctx: typer.Context,
    instytucja: Annotated[
        str | None, typer.Argument(help="Instytucja (bez niej: biura wszystkich instytucji).")
    ] = None,
    gmina: OptGminaOpt = None,
    fmt: FormatOpt = Format.tabela,
) -> None:
    """Wypisz biura instytucji (albo wszystkich instytucji).

    Przykład: kooperacje instytucje biura lista PCPR -g 1012011
    """

    db = get_db(ctx)
    institution = _institution(ctx, instytucja, gmina) if instytucja is not None else None
    offices = contacts.list_offices(db, institution)
    rows = [asdict(o) | {"adres_pelny": o.adres_pelny} for o in offices]
    columns = [("id", "Nr"), ("instytucja_nazwa", "Instytucja"), ("nazwa", "Co mieści")]
    columns += [("adres_pelny", "Adres"), ("telefon", "Telefon")]
    if fmt is not Format.tabela:
        columns = [(k, k) for k in ("id", "uuid", "instytucja", "instytucja_nazwa", "nazwa")]
        columns += [(k, k) for k in ("adres", "kod_pocztowy", "miejscowosc", "telefon")]
    listing(
        rows,
        columns,
        fmt,
        empty=empty_hint(
            ctx,
            "Brak biur. Dodaj biuro: kooperacje instytucje biura dodaj INSTYTUCJA "
            '--adres "ULICA" --opis "CO SIĘ MIEŚCI"',
        ),
    )


@biura_app.command("edytuj")
def biuro_edytuj(
    ctx: typer.Context,
    biuro: BiuroArg,
    opis: OpisBiuraOpt = None,
    adres: AdresOpt = None,
    kod_pocztowy: KodOpt = None,
    miejscowosc: MiejscowoscOpt = None,
    telefon: TelefonOpt = None,
) -> None:
    """Zmień dane biura (pusta wartość "" usuwa kod pocztowy, miejscowość albo telefon).

    Przykład: kooperacje instytucje biura edytuj 1 --telefon "44 683 48 00"
    """

    office, changed = contacts.edit_office(
        get_db(ctx),
        biuro,
        nazwa=opis,
        adres=adres,
        kod_pocztowy=kod_pocztowy,
        miejscowosc=miejscowosc,
        telefon=telefon,
    )
    labels = {"nazwa": "co mieści", "adres": "adres", "kod_pocztowy": "kod pocztowy"}
    labels |= {"miejscowosc": "miejscowość", "telefon": "telefon"}
    changes(f"biuro nr {office.id}", [(labels[c.pole], c.stara, c.nowa) for c in changed])


@biura_app.command("usun")
def biuro_usun(ctx: typer.Context, biuro: BiuroArg, tak: TakOpt = False) -> None:
    """Usuń biuro, w którym nie odbywa się żadna usługa.

    Przykład: kooperacje instytucje biura usun 1 --tak
    """

    db = get_db(ctx)
    office = contacts.get_office(db, biuro)
    confirm_deletion(f"Usunąć biuro nr {office.id} ({office.adres_pelny})?", tak=tak)
    removed = contacts.remove_office(db, biuro)
    info(f"Usunięto biuro nr {removed.id}: {removed.adres_pelny}.")
