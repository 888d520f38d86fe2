"""`kooperacje osoby`: representatives of institutions (staff work contacts only)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from kooperacje import files
from kooperacje.commands._base import new_app
from kooperacje.commands._common import (
    FormatOpt,
    InstytucjaOpt,
    OptGminaOpt,
    TakOpt,
    WGminieOpt,
    confirm_deletion,
    empty_hint,
    get_db,
)
from kooperacje.formats import Format
from kooperacje.output import changes, info, listing
from kooperacje.register import personal_data, persons

app = new_app(
    "Przedstawiciele instytucji: wyłącznie służbowe dane kontaktowe pracowników "
    "(dane osobowe: można je poprawić i usunąć na żądanie)."
)

PersonArg = Annotated[str, typer.Argument(help="Osoba: numer albo jednoznaczne imię i nazwisko.")]
ErasedArg = Annotated[
    str, typer.Argument(help="Osoba: numer, UUID albo pełne imię i nazwisko (nie fragment).")
]
StanowiskoOpt = Annotated[
    str | None, typer.Option("--stanowisko", help="Stanowisko, np. kierownik działu.")
]
TelefonOpt = Annotated[
    str | None, typer.Option("--telefon", help="Telefon służbowy, np. 44 715 07 95.")
]
EmailOpt = Annotated[str | None, typer.Option("--email", help="Służbowy adres e-mail.")]
OptInstytucjaOpt = Annotated[
    str | None,
    typer.Option("--instytucja", "-i", help="Instytucja: numer, nazwa albo skrót (jednoznaczne)."),
]

LABELS = {
    "imie_nazwisko": "Imię i nazwisko",
    "stanowisko": "Stanowisko",
    "telefon": "Telefon",
    "email": "E-mail",
    "instytucja": "Instytucja",
}

_TABLE_COLUMNS = [
    ("id", "Nr"),
    ("imie_nazwisko", "Imię i nazwisko"),
    ("stanowisko", "Stanowisko"),
    ("instytucja_nazwa", "Instytucja"),
    ("telefon", "Telefon"),
    ("email", "E-mail"),
]


@app.command("dodaj")
def dodaj(
    ctx: typer.Context,
    imie_nazwisko: Annotated[str, typer.Argument(help='Imię i nazwisko, np. "Anna Nowak".')],
    instytucja: InstytucjaOpt,
    stanowisko: StanowiskoOpt = None,
    telefon: TelefonOpt = None,
    email: EmailOpt = None,
    gmina: WGminieOpt = None,
) -> None:
    """Zapisz przedstawiciela instytucji (służbowe dane kontaktowe).

    Przykład: kooperacje osoby dodaj "Anna Nowak" -i PCPR --gmina 1012011 --stanowisko dyrektor
    """

    added = persons.add(
        get_db(ctx),
        imie_nazwisko=imie_nazwisko,
        instytucja=instytucja,
        stanowisko=stanowisko,
        telefon=telefon,
        email=email,
        gmina=gmina,
    )
    info(f"Dodano osobę nr {added.id}: {added.imie_nazwisko} ({added.instytucja_nazwa}).")


@app.command("lista")
def lista(
    ctx: typer.Context,
    instytucja: OptInstytucjaOpt = None,
    gmina: OptGminaOpt = None,
    fmt: FormatOpt = Format.tabela,
) -> None:
    """Wypisz przedstawicieli instytucji w porządku alfabetycznym nazwisk.

    Przykład: kooperacje osoby lista --gmina 1012011
    """

    found = persons.list_(get_db(ctx), instytucja=instytucja, gmina=gmina)
    if fmt is Format.tabela:
        columns = _TABLE_COLUMNS
    else:
        columns = [(name, name) for name in persons.Person.__dataclass_fields__]
    listing(
        [asdict(p) for p in found],
        columns,
        fmt,
        empty=empty_hint(ctx, "Brak osób spełniających warunki."),
    )


@app.command("edytuj")
def edytuj(
    ctx: typer.Context,
    osoba: PersonArg,
    imie_nazwisko: Annotated[
        str | None, typer.Option("--imie-nazwisko", help="Poprawione imię i nazwisko.")
    ] = None,
    stanowisko: StanowiskoOpt = None,
    telefon: TelefonOpt = None,
    email: EmailOpt = None,
    instytucja: OptInstytucjaOpt = None,
) -> None:
    """Popraw dane osoby: tylko podane pola; pusty tekst ("") czyści pole nieobowiązkowe.

    Przykład: kooperacje osoby edytuj "Anna Nowak" --stanowisko "zastępca dyrektora"
    """

    result = persons.apply_edit(
        get_db(ctx),
        osoba,
        imie_nazwisko=imie_nazwisko,
        stanowisko=stanowisko,
        telefon=telefon,
        email=email,
        instytucja=instytucja,
    )
    rows = [(LABELS[c.pole], c.stara, c.nowa) for c in result.zmiany]
    changes(f"dane osoby {result.osoba.label}", rows)


@app.command("usun")
def usun(ctx: typer.Context, osoba: ErasedArg, tak: TakOpt = False) -> None:
    """Usuń wszystkie dane osoby: wpis, listy obecności, podpisy, kontakty usług, historię.

    Osobę wskaż numerem, UUID albo pełnym imieniem i nazwiskiem (nigdy fragmentem).

    Przykład: kooperacje osoby usun 4 --tak
    """

    db = get_db(ctx)
    plan = persons.erasure_plan(db, osoba)
    who = plan.osoba
    confirm_deletion(
        f"Usunąć wszystkie dane osoby nr {who.id}: {who.imie_nazwisko}"
        f"{f', {who.stanowisko}' if who.stanowisko else ''}, {who.instytucja_nazwa}? "
        f"Znikną też z list obecności ({plan.obecnosci}), innych wpisów ({plan.rekordy}) "
        f"i historii zmian.",
        tak=tak,
    )
    done = persons.remove(db, who.id)
    info(
        f"Usunięto dane osoby nr {who.id}: {who.imie_nazwisko} (także z list obecności, "
        "deklaracji, usług i z historii zmian)."
    )
    if not done.wyczyszczono_dziennik:
        info(
            "Uwaga: inny program ma otwartą bazę, więc usunięte dane mogą jeszcze być w pliku "
            "-wal obok bazy. Zamknij go i uruchom dowolne polecenie kooperacje."
        )
    if done.kopie:
        info("Kopie bazy sprzed usunięcia nadal zawierają dane tej osoby (albo mogą zawierać):")
        for copy in done.kopie:
            state = "" if copy.dostepna else " (niedostępna: sprawdź nośnik)"
            info(f"  {copy.sciezka}{state}")
        info(
            "Zniszcz te kopie albo zastąp je nowymi (kooperacje baza kopia). Przywrócenie "
            "takiej kopii (kooperacje baza przywroc) usunie tę osobę ponownie."
        )


@app.command("eksportuj")
def eksportuj(
    ctx: typer.Context,
    osoba: ErasedArg,
    wyjscie: Annotated[
        Path | None,
        typer.Option("--wyjscie", "-o", help="Plik JSON do zapisania (domyślnie: ekran)."),
    ] = None,
) -> None:
    """Wydaj wszystko, co baza przechowuje o osobie (prawo dostępu, RODO art. 15), jako JSON.

    Przykład: kooperacje osoby eksportuj "Anna Nowak" -o anna-nowak.json
    """
    import json

    data = personal_data.access(get_db(ctx), osoba)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if wyjscie is None:
        typer.echo(text, nl=False)
        return

    written = files.write_text(wyjscie, text, personal=True)
    info(f"Zapisano dane osoby nr {data['osoba']['id']} w pliku {written}.")
