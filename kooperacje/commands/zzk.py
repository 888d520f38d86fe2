"""`kooperacje zzk`: task teams (Zadaniowe Zespoły Kooperacyjne) of a PZK, never their clients."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import typer

from kooperacje.commands._base import new_app
from kooperacje.commands._common import (
    DateOpt,
    FormatOpt,
    OptDateOpt,
    OptGminaOpt,
    TakOpt,
    ZespolOpt,
    confirm_deletion,
    get_db,
)
from kooperacje.dates import polish_date
from kooperacje.formats import Format
from kooperacje.output import changes, info, listing, record
from kooperacje.teams import task_team_figures, task_team_meetings, task_teams
from kooperacje.teams.task_team_parts import Parts
from kooperacje.teams.task_teams import TaskTeamDetails

app = new_app(
    "Zadaniowe zespoły kooperacyjne (ZZK): kod sprawy, kategorie, delegowane instytucje "
    "i osoby, usługi, spotkania i wynik; nigdy dane osoby lub rodziny."
)


class ShowFormat(str, Enum):
    """How one task team is printed."""

    tabela = "tabela"
    json = "json"


ZzkArg = Annotated[str, typer.Argument(help="ZZK: numer albo kod, np. ZZK/2020/03.")]
Many = list[str] | None
KategoriaOpt = Annotated[
    str, typer.Option("--kategoria", "-k", help="Kogo dotyczy: osoba albo rodzina.")
]
_UWAGI_HELP = (
    "Uwaga wyłącznie o samej współpracy instytucji (np. „szybka wymiana informacji MOPS "
    "i PCPR”). Nic o osobie lub rodzinie: imiona i nazwiska, PESEL, adresy, telefony "
    "i e-maile są odrzucane."
)
GrupaOpt = Annotated[
    list[str] | None,
    typer.Option("--grupa", help="Grupa docelowa ze słownika (opcję można powtarzać)."),
]
ObszarOpt = Annotated[
    list[str] | None,
    typer.Option("--obszar", help="Obszar usług ze słownika (opcję można powtarzać)."),
]
InstytucjeOpt = Annotated[
    list[str] | None,
    typer.Option("--instytucja", "-i", help="Instytucja delegująca pracownika (powtarzalna)."),
]
OsobyOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--osoba", help="Delegowany pracownik z rejestru osób: numer albo imię i nazwisko."
    ),
]
UslugiOpt = Annotated[
    list[str] | None,
    typer.Option("--usluga", "-u", help="Wykorzystana usługa koszyka: numer albo nazwa."),
]

_COLUMNS = [
    ("id", "Nr"),
    ("kod", "Kod"),
    ("zespol_nazwa", "Zespół"),
    ("kategoria_nazwa", "Dotyczy"),
    ("data_otwarcia", "Otwarty"),
    ("data_zamkniecia", "Zamknięty"),
    ("wynik_nazwa", "Wynik"),
    ("instytucji", "Instytucje"),
    ("spotkan", "Spotkania"),
]
_DATA_COLUMNS = [
    *_COLUMNS[:2],
    ("zespol", "Nr zespołu"),
    ("zespol_nazwa", "Zespół"),
    ("gmina", "Kod TERYT"),
    ("kategoria", "Kategoria"),
    ("data_otwarcia", "Otwarty"),
    ("data_zamkniecia", "Zamknięty"),
    ("wynik", "Wynik"),
    ("instytucji", "Instytucje"),
    ("spotkan", "Spotkania"),
    ("uwagi", "Uwagi"),
]


def _parts(grupa: Any, obszar: Any, instytucja: Any, osoba: Any, usluga: Any) -> Parts:
    return Parts(grupa or (), obszar or (), instytucja or (), osoba or (), usluga or ())


@app.command("dodaj")
def dodaj(
    ctx: typer.Context,
    data: DateOpt,
    kategoria: KategoriaOpt,
    gmina: OptGminaOpt = None,
    zespol: ZespolOpt = None,
    grupa: GrupaOpt = None,
    obszar: ObszarOpt = None,
    instytucja: InstytucjeOpt = None,
    osoba: OsobyOpt = None,
    usluga: UslugiOpt = None,
    uwagi: Annotated[str | None, typer.Option("--uwagi", help=_UWAGI_HELP)] = None,
) -> None:
    """Otwórz ZZK zespołu; program nada mu kod sprawy (np. ZZK/2020/03).

    Przykład: kooperacje zzk dodaj -g 1012011 -d 2020-03-02 -k rodzina -i MOPS --grupa rodziny
    """

    found = task_teams.add(
        get_db(ctx),
        gmina=gmina,
        zespol=zespol,
        data=data,
        kategoria=kategoria,
        czesci=_parts(grupa, obszar, instytucja, osoba, usluga),
        uwagi=uwagi,
    )
    info(
        f"Otwarto {found.kod} (nr {found.id}) w zespole „{found.zespol_nazwa}”: "
        f"{found.kategoria_nazwa}, otwarty {polish_date(found.data_otwarcia)}"
    )


@app.command("lista")
def lista(
    ctx: typer.Context,
    gmina: OptGminaOpt = None,
    zespol: ZespolOpt = None,
    od: Annotated[
        str | None, typer.Option("--od", help="ZZK działające od dnia: RRRR-MM-DD albo DD.MM.RRRR.")
    ] = None,
    do: Annotated[
        str | None, typer.Option("--do", help="ZZK działające do dnia: RRRR-MM-DD albo DD.MM.RRRR.")
    ] = None,
    wynik: Annotated[
        str | None,
        typer.Option(
            "--wynik", "-w", help="Tylko z tym wynikiem: w_toku, cel_osiagniety, przerwany."
        ),
    ] = None,
    fmt: FormatOpt = Format.tabela,
) -> None:
    """Pokaż ZZK działające w okresie i ich wskaźniki (dokładne liczby, tylko dla Ciebie).

    Przykład: kooperacje zzk lista --gmina 1012011 --od 2020-01-01 --do 2020-12-31
    """

    found = task_team_figures.overview(
        get_db(ctx), gmina=gmina, zespol=zespol, od=od, do=do, wynik=wynik
    )
    columns = _COLUMNS if fmt is Format.tabela else _DATA_COLUMNS
    listing([vars(z) for z in found.zzk], columns, fmt, empty="Brak ZZK spełniających warunki.")
    if fmt is Format.tabela:
        info(found.opis)


@app.command("pokaz")
def pokaz(
    ctx: typer.Context,
    zzk: ZzkArg,
    fmt: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="Postać wyniku: tabela albo json.")
    ] = ShowFormat.tabela,
) -> None:
    """Pokaż ZZK: kategorie, instytucje i osoby, usługi, spotkania, wynik.

    Przykład: kooperacje zzk pokaz ZZK/2020/03
    """

    found = task_teams.details(get_db(ctx), zzk)
    if fmt is ShowFormat.json:
        record(_json(found), Format.json)
        return
    record(_pairs(found), Format.tabela, title=f"{found.zzk.kod} (nr {found.zzk.id})")


def _pairs(found: TaskTeamDetails) -> list[tuple[str, Any]]:
    z, s = found.zzk, found.sklad
    closed = f"{polish_date(z.data_zamkniecia)}" if z.data_zamkniecia else None
    return [
        ("Zespół", z.zespol_nazwa),
        ("Dotyczy", z.kategoria_nazwa),
        ("Grupy docelowe", ", ".join(s.grupy)),
        ("Obszary usług", ", ".join(s.obszary)),
        ("Otwarty", polish_date(z.data_otwarcia)),
        ("Zamknięty", closed),
        ("Wynik", z.wynik_nazwa),
        *(
            (f"Instytucja {n}", d.etykieta + (f": {', '.join(d.osoby)}" if d.osoby else ""))
            for n, d in enumerate(s.instytucje, start=1)
        ),
        *(
            (f"Usługa {n}", f"{u.nazwa} ({u.instytucja_nazwa}; {u.obszar_nazwa})")
            for n, u in enumerate(s.uslugi, start=1)
        ),
        *(
            (f"Spotkanie {n}", f"{polish_date(day)}: {', '.join(names)}")
            for n, (day, names) in enumerate(found.spotkania, start=1)
        ),
        ("Uwagi", z.uwagi),
    ]


def _json(found: TaskTeamDetails) -> list[tuple[str, Any]]:
    from dataclasses import asdict

    return [
        *vars(found.zzk).items(),
        ("grupy", list(found.sklad.grupy)),
        ("obszary", list(found.sklad.obszary)),
        ("instytucje", [asdict(d) for d in found.sklad.instytucje]),
        ("uslugi", [asdict(u) for u in found.sklad.uslugi]),
        ("spotkania", [{"data": d, "obecne": list(n)} for d, n in found.spotkania]),
    ]


@app.command("edytuj")
def edytuj(
    ctx: typer.Context,
    zzk: ZzkArg,
    data: OptDateOpt = None,
    kategoria: Annotated[
        str | None, typer.Option("--kategoria", "-k", help="Kogo dotyczy: osoba albo rodzina.")
    ] = None,
    uwagi: Annotated[
        str | None, typer.Option("--uwagi", help=_UWAGI_HELP + ' Pusty tekst ("") ją usuwa.')
    ] = None,
    grupa: GrupaOpt = None,
    obszar: ObszarOpt = None,
    instytucja: InstytucjeOpt = None,
    osoba: OsobyOpt = None,
    usluga: UslugiOpt = None,
    bez_grupy: Annotated[Many, typer.Option("--bez-grupy", help="Usuń grupę docelową.")] = None,
    bez_obszaru: Annotated[Many, typer.Option("--bez-obszaru", help="Usuń obszar usług.")] = None,
    bez_instytucji: Annotated[
        Many, typer.Option("--bez-instytucji", help="Usuń delegowaną instytucję.")
    ] = None,
    bez_osoby: Annotated[Many, typer.Option("--bez-osoby", help="Usuń delegowaną osobę.")] = None,
    bez_uslugi: Annotated[Many, typer.Option("--bez-uslugi", help="Usuń usługę.")] = None,
) -> None:
    """Zmień ZZK: datę otwarcia, kategorię, uwagę; dodaj albo usuń części (--bez-…).

    Przykład: kooperacje zzk edytuj ZZK/2020/03 --usluga 4 --osoba "Anna Nowak" --bez-grupy seniorzy
    """

    result = task_teams.apply_edit(
        get_db(ctx),
        zzk,
        data=data,
        kategoria=kategoria,
        uwagi=uwagi,
        dodaj=_parts(grupa, obszar, instytucja, osoba, usluga),
        usun=_parts(bez_grupy, bez_obszaru, bez_instytucji, bez_osoby, bez_uslugi),
    )
    rows = [(task_teams.label(c.pole), c.stara, c.nowa) for c in result.zmiany]
    changes(result.zzk.etykieta, rows)


@app.command("spotkanie")
def spotkanie(
    ctx: typer.Context,
    zzk: ZzkArg,
    data: DateOpt,
    instytucje: Annotated[
        list[str] | None,
        typer.Argument(help="Obecne instytucje (domyślnie: wszystkie delegowane)."),
    ] = None,
    usun: Annotated[
        bool, typer.Option("--usun", help="Usuń błędnie zapisane spotkanie z tego dnia.")
    ] = False,
) -> None:
    """Zapisz spotkanie ZZK i obecne instytucje; ponowny zapis tego dnia poprawia obecność.

    Przykład: kooperacje zzk spotkanie ZZK/2020/03 --data 2020-03-09 MOPS PCPR KPP
    """

    db = get_db(ctx)
    if usun:
        found = task_team_meetings.remove(db, zzk, data=data)
        info(f"Usunięto spotkanie {found.kod} z dnia {data}; spotkań: {found.spotkan}.")
        return
    done = task_team_meetings.record(db, zzk, data=data, instytucje=instytucje or [])
    info(f"Spotkanie {done.zzk.kod}, {polish_date(done.data)}: {'; '.join(done.obecne)}.")
    if done.nowo_delegowane:
        info(f"Dodano do instytucji delegowanych: {'; '.join(done.nowo_delegowane)}.")


@app.command("zamknij")
def zamknij(
    ctx: typer.Context,
    zzk: ZzkArg,
    data: OptDateOpt = None,
    wynik: Annotated[
        str | None, typer.Option("--wynik", "-w", help="Wynik: cel_osiagniety albo przerwany.")
    ] = None,
    cofnij: Annotated[
        bool, typer.Option("--cofnij", help="Cofnij zamknięcie: ZZK znów jest w toku.")
    ] = False,
) -> None:
    """Zamknij ZZK z datą i wynikiem (cel osiągnięty albo przerwany) albo cofnij zamknięcie.

    Przykład: kooperacje zzk zamknij ZZK/2020/03 --data 2020-06-30 --wynik cel_osiagniety
    """

    db = get_db(ctx)
    if cofnij:
        result = task_teams.reopen(db, zzk, data=data, wynik=wynik)
    else:
        result = task_teams.close(db, zzk, data=data, wynik=wynik)
    rows = [(task_teams.label(c.pole), c.stara, c.nowa) for c in result.zmiany]
    changes(result.zzk.etykieta, rows)


@app.command("usun")
def usun(ctx: typer.Context, zzk: ZzkArg, tak: TakOpt = False) -> None:
    """Usuń błędnie zapisany ZZK z jego częściami i spotkaniami.

    Przykład: kooperacje zzk usun ZZK/2020/03 --tak
    """

    db = get_db(ctx)
    found = task_teams.resolve(db, zzk)
    confirm_deletion(
        f"Usunąć {found.kod} (nr {found.id}, zespół „{found.zespol_nazwa}”) z jego "
        f"instytucjami, usługami i spotkaniami ({found.spotkan})?",
        tak=tak,
    )
    removed = task_teams.remove(db, str(found.id))
    info(f"Usunięto {removed.kod} (nr {removed.id}).")
