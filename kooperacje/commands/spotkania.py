"""`kooperacje spotkania`: meetings of a team and the attendance list."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from kooperacje import files
from kooperacje.commands._base import new_app
from kooperacje.commands._common import (
    DateOpt,
    FormatOpt,
    OptDateOpt,
    OptGminaOpt,
    TakOpt,
    ZespolOpt,
    confirm_deletion,
    empty_hint,
    get_db,
)
from kooperacje.commands.prowadz import prowadz
from kooperacje.commands.spotkania_view import (
    DATA_COLUMNS,
    LIST_COLUMNS,
    attendee_names,
    details_json,
    print_details,
)
from kooperacje.dates import polish_date
from kooperacje.formats import Format
from kooperacje.output import changes, file_bytes, info, listing, record
from kooperacje.register.vocab import MEETING_KINDS
from kooperacje.teams import attendance, ics, invitations, meetings

app = new_app("Spotkania zespołu (inicjujące, posiedzenia, warsztaty…) i lista obecności.")


class ShowFormat(str, Enum):
    """How one meeting is printed."""

    tabela = "tabela"
    json = "json"


SpotkanieArg = Annotated[int, typer.Argument(help="Numer spotkania (z polecenia lista).")]
_KIND_HELP = f"Rodzaj spotkania: kod albo nazwa ({', '.join(MEETING_KINDS.codes)})."
GodzinaOpt = Annotated[
    str | None, typer.Option("--godzina", help="Godzina rozpoczęcia GG:MM, np. 10:00.")
]
AdresOpt = Annotated[str | None, typer.Option("--adres", help="Adres miejsca spotkania.")]
TytulOpt = Annotated[str | None, typer.Option("--tytul", help="Tytuł spotkania.")]
OpisOpt = Annotated[str | None, typer.Option("--opis", help="Krótkie podsumowanie spotkania.")]
UstaleniaOpt = Annotated[
    str | None, typer.Option("--ustalenia", help="Ustalenia (decyzje) spotkania, do protokołu.")
]
NastepneOpt = Annotated[
    str | None,
    typer.Option("--nastepne", help="Następne spotkanie: termin i miejsce, jeśli ustalono."),
]
_PLACE_HELP = "Miejsce spotkania, np. Muzeum Regionalne w Radomsku."


@app.command("dodaj")
def dodaj(
    ctx: typer.Context,
    data: DateOpt,
    rodzaj: Annotated[str, typer.Option("--rodzaj", "-r", help=_KIND_HELP)],
    miejsce: Annotated[
        str | None,
        typer.Option("--miejsce", "-m", help=_PLACE_HELP + " Można pominąć, gdy nieznane."),
    ] = None,
    gmina: Annotated[
        list[str] | None,
        typer.Option(
            "--gmina",
            "-g",
            help="Gmina zespołu (kod TERYT albo nazwa); powtórzona: wspólne spotkanie zespołów.",
        ),
    ] = None,
    zespol: Annotated[
        list[str] | None,
        typer.Option(
            "--zespol",
            "-z",
            help="Zespół: numer, nazwa albo gmina; powtórzony: wspólne spotkanie zespołów "
            "(pierwszy jest gospodarzem).",
        ),
    ] = None,
    godzina: GodzinaOpt = None,
    adres: AdresOpt = None,
    tytul: TytulOpt = None,
    opis: OpisOpt = None,
) -> None:
    """Zapisz spotkanie zespołu albo wspólne spotkanie kilku zespołów.

    Spotkanie wspólne pojawia się w raportach, na stronach i we wskaźnikach każdego
    z zespołów, a w sumach liczy się raz.

    Przykład: kooperacje spotkania dodaj -g 0410033 -g 0410013 -d 11.02.2020 -r posiedzenie
    """

    meeting = meetings.add(
        get_db(ctx),
        gmina=gmina,
        zespol=zespol,
        data=data,
        miejsce=miejsce,
        rodzaj=rodzaj,
        godzina=godzina,
        adres=adres,
        tytul=tytul,
        opis=opis,
    )

    joint = f"; wspólne z: {meeting.inne_zespoly}" if meeting.inne_zespoly else ""
    info(
        f"Zapisano spotkanie nr {meeting.id}: {meeting.rodzaj_nazwa}, "
        f"{polish_date(meeting.data)}, "
        f"{meeting.miejsce_opis} (zespół „{meeting.zespol_nazwa}”{joint})."
    )


@app.command("obecnosc")
def obecnosc(
    ctx: typer.Context,
    spotkanie: SpotkanieArg,
    instytucje: Annotated[
        list[str] | None, typer.Argument(help="Instytucje: numery, nazwy albo skróty.")
    ] = None,
    osoba: Annotated[
        str | None,
        typer.Option("--osoba", "-o", help="Kto przyszedł (numer albo imię i nazwisko)."),
    ] = None,
    status: Annotated[
        str,
        typer.Option(
            "--status",
            "-s",
            help="Status: obecny (domyślnie), usprawiedliwiony, nieobecny albo zaproszony.",
        ),
    ] = "obecny",
    wszyscy_zaproszeni: Annotated[
        bool,
        typer.Option(
            "--wszyscy-zaproszeni",
            help="Oznacz jako obecne wszystkie zaproszone instytucje (potem popraw wyjątki).",
        ),
    ] = False,
    usun: Annotated[
        bool, typer.Option("--usun", help="Wycofaj błędnie zapisaną obecność.")
    ] = False,
) -> None:
    """Zapisz obecność instytucji (i osoby) na spotkaniu; ponowny zapis niczego nie psuje.

    Przykład: kooperacje spotkania obecnosc 1 MOPS PCPR KPP
    """

    db = get_db(ctx)
    if wszyscy_zaproszeni:
        count = invitations.mark_all_invited(db, spotkanie)
        info(f"Oznaczono jako obecne zaproszone instytucje: {count}.")
        if not instytucje:
            return
    if usun:
        removed = attendance.unattend(db, spotkanie, instytucje or [], osoba)
        info(f"Wycofano obecność na spotkaniu nr {spotkanie}: {attendee_names(removed)}.")
        return
    marked = attendance.attend(db, spotkanie, instytucje or [], osoba, status)
    if all(m.status == "obecny" for m in marked):
        info(f"Obecni na spotkaniu nr {spotkanie}: {attendee_names(marked)}.")
    else:
        info(f"Zapisano na spotkaniu nr {spotkanie}: {attendee_names(marked, statuses=True)}.")


@app.command("zapros")
def zapros(
    ctx: typer.Context,
    spotkanie: SpotkanieArg,
    instytucje: Annotated[
        list[str] | None,
        typer.Option("--instytucje", "-i", help="Zaproś tę instytucję (opcję można powtarzać)."),
    ] = None,
    czlonkowie: Annotated[
        bool, typer.Option("--czlonkowie", help="Zaproś członków zespołu w dniu spotkania.")
    ] = False,
    gmina: Annotated[
        str | None,
        typer.Option("--gmina", "-g", help="Zaproś instytucje z siedzibą w tej gminie."),
    ] = None,
) -> None:
    """Zapisz, kogo zaproszono na spotkanie; zaproszeni już wcześniej zostają bez zmian.

    Przykład: kooperacje spotkania zapros 1 --czlonkowie
    """

    done = invitations.invite(
        get_db(ctx), spotkanie, instytucje=instytucje, czlonkowie=czlonkowie, gmina=gmina
    )
    if done.zaproszone:
        info(f"Zaproszono na spotkanie nr {spotkanie}: {'; '.join(done.zaproszone)}.")
    if done.juz_na_liscie:
        info(f"Już na liście spotkania nr {spotkanie}: {'; '.join(done.juz_na_liscie)}.")


@app.command("ics")
def ics_(
    ctx: typer.Context,
    spotkanie: SpotkanieArg,
    wyjscie: Annotated[
        Path | None,
        typer.Option("--wyjscie", "-o", metavar="PLIK", help="Zapisz do pliku (.ics)."),
    ] = None,
) -> None:
    """Zaproszenie do kalendarza (iCalendar, .ics): data, godzina, miejsce i opis.

    Przykład: kooperacje spotkania ics 1 -o spotkanie.ics
    """
    data = ics.ics(get_db(ctx), spotkanie)
    if wyjscie is None:
        file_bytes(data)
        return
    # The invitation names the meeting's people: a private file.
    written = files.write_bytes(wyjscie, data, personal=True)
    info(f"Zapisano zaproszenie: {written}")


@app.command("lista")
def lista(
    ctx: typer.Context,
    gmina: OptGminaOpt = None,
    zespol: ZespolOpt = None,
    od: Annotated[
        str | None, typer.Option("--od", help="Od dnia (włącznie): RRRR-MM-DD albo DD.MM.RRRR.")
    ] = None,
    do: Annotated[
        str | None, typer.Option("--do", help="Do dnia (włącznie): RRRR-MM-DD albo DD.MM.RRRR.")
    ] = None,
    fmt: FormatOpt = Format.tabela,
) -> None:
    """Pokaż spotkania od najstarszego, z liczbą obecnych instytucji.

    Przykład: kooperacje spotkania lista --gmina 1012011 --od 2019-01-01
    """

    found = meetings.list_(get_db(ctx), gmina=gmina, zespol=zespol, od=od, do=do)
    columns = LIST_COLUMNS if fmt is Format.tabela else DATA_COLUMNS
    listing([vars(m) for m in found], columns, fmt, empty=empty_hint(ctx, "Brak spotkań."))


@app.command("pokaz")
def pokaz(
    ctx: typer.Context,
    spotkanie: SpotkanieArg,
    fmt: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="Postać wyniku: tabela albo json.")
    ] = ShowFormat.tabela,
) -> None:
    """Pokaż spotkanie i obecne instytucje według sektorów.

    Przykład: kooperacje spotkania pokaz 1
    """

    found = attendance.details(get_db(ctx), spotkanie)
    if fmt is ShowFormat.json:
        record(details_json(found), Format.json)
    else:
        print_details(found)


@app.command("edytuj")
def edytuj(
    ctx: typer.Context,
    spotkanie: SpotkanieArg,
    data: OptDateOpt = None,
    godzina: GodzinaOpt = None,
    miejsce: Annotated[str | None, typer.Option("--miejsce", "-m", help=_PLACE_HELP)] = None,
    adres: AdresOpt = None,
    rodzaj: Annotated[str | None, typer.Option("--rodzaj", "-r", help=_KIND_HELP)] = None,
    tytul: TytulOpt = None,
    opis: OpisOpt = None,
    ustalenia: UstaleniaOpt = None,
    nastepne: NastepneOpt = None,
    zespol: Annotated[
        list[str] | None,
        typer.Option("--zespol", "-z", help="Dołącz zespół do spotkania (spotkanie wspólne)."),
    ] = None,
    bez_zespolu: Annotated[
        list[str] | None,
        typer.Option("--bez-zespolu", help="Odłącz zespół od spotkania (nie gospodarza)."),
    ] = None,
) -> None:
    """Zmień dane spotkania (pusta wartość "" usuwa miejsce, godzinę, adres, tytuł, opis…).

    Przykład: kooperacje spotkania edytuj 1 --godzina 11:00 --tytul "Spotkanie inicjujące"
    """

    result = meetings.apply_edit(
        get_db(ctx),
        spotkanie,
        data=data,
        godzina=godzina,
        miejsce=miejsce,
        adres=adres,
        rodzaj=rodzaj,
        tytul=tytul,
        opis=opis,
        ustalenia=ustalenia,
        nastepne=nastepne,
        zespoly=zespol or [],
        bez_zespolow=bez_zespolu or [],
    )
    rows = [(_LABELS[c.pole], c.stara, c.nowa) for c in result.zmiany]
    changes(f"spotkanie nr {result.spotkanie.id}", rows)


_LABELS = {
    "data": "data",
    "godzina": "godzina",
    "miejsce": "miejsce",
    "adres": "adres",
    "rodzaj": "rodzaj",
    "tytul": "tytuł",
    "opis": "opis",
    "ustalenia": "ustalenia",
    "nastepne": "następne spotkanie",
    "zespol": "zespół",
}


@app.command("usun")
def usun(ctx: typer.Context, spotkanie: SpotkanieArg, tak: TakOpt = False) -> None:
    """Usuń błędnie zapisane spotkanie wraz z listą obecności.

    Przykład: kooperacje spotkania usun 2 --tak
    """

    db = get_db(ctx)
    found = meetings.get(db, spotkanie)
    confirm_deletion(
        f"Usunąć spotkanie nr {found.id} ({found.rodzaj_nazwa}, {found.data}, "
        f"{found.miejsce_opis}) i jego listę obecności ({found.obecnych} instytucji)?",
        tak=tak,
    )
    removed = meetings.remove(db, spotkanie)
    info(f"Usunięto spotkanie nr {removed.id} ({removed.data}, {removed.miejsce_opis}).")


# The session dialogue lives in its own module; it is a command of this group.
app.command("prowadz")(prowadz)
