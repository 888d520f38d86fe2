"""`kooperacje zespoly`: the PZK of a gmina and its members."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import typer

from kooperacje.commands._base import new_app
from kooperacje.commands._common import FormatOpt, GminaOpt, OptDateOpt, empty_hint, get_db
from kooperacje.commands.regulamin import regulamin_app
from kooperacje.dates import polish_date
from kooperacje.formats import Format
from kooperacje.output import changes, info, listing, record
from kooperacje.teams import roster, teams
from kooperacje.teams.roster import Roster, SectorMembers
from kooperacje.teams.teams import Member, Team


class ShowFormat(str, Enum):
    """How one team is printed."""

    tabela = "tabela"
    json = "json"


app = new_app("Partnerskie Zespoły Kooperacyjne (PZK): zakładanie, członkowie, dane zespołu.")

ZespolArg = Annotated[str, typer.Argument(help="Zespół: numer, nazwa albo gmina zespołu.")]
NazwaOpt = Annotated[str | None, typer.Option("--nazwa", "-n", help="Nazwa zespołu.")]
LiderOpt = Annotated[
    str | None,
    typer.Option("--lider", "-l", help="Instytucja wiodąca: numer, nazwa albo skrót."),
]
ProjektOpt = Annotated[
    str | None,
    typer.Option(
        "--projekt",
        "-p",
        help="Projekt zespołu: numer albo skrót (kooperacje projekty lista; nowy projekt "
        "dodaje kooperacje projekty dodaj).",
    ),
]


ObszarOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--obszar",
        help="Obszar zespołu poza jego gminą: inna gmina (kod TERYT 7 cyfr) albo powiat "
        "(4 cyfry); można powtarzać.",
    ),
]
MisjaOpt = Annotated[
    str | None,
    typer.Option("--misja", help="Misja zespołu w jednym zdaniu (drukowana w raporcie zespołu)."),
]


def _team_pairs(team: Team, *, polish: bool) -> list[tuple[str, Any]]:

    founded = team.data_utworzenia
    if founded and polish:
        founded = polish_date(founded)
    return [
        ("Numer", team.id),
        ("Nazwa", team.nazwa),
        ("Gmina", f"{team.gmina_nazwa} ({team.gmina}, {team.gmina_rodzaj})"),
        ("Instytucja wiodąca", team.lider_nazwa),
        ("Projekt", team.projekt),
        ("Data utworzenia", founded),
        ("Misja", team.misja),
        ("Obszar poza gminą", ", ".join(team.obszar_kody)),
        ("Scalono z pliku", _provenance(team, polish=polish)),
    ]


def _provenance(team: Team, *, polish: bool) -> str | None:
    if team.zrodlo is None:
        return None
    when = team.scalono or ""
    if polish and when:
        when = f"{polish_date(when[:10])}, {when[11:16]} UTC"
    return f"{team.zrodlo} ({when})" if polish else f"{team.zrodlo} {when}".strip()


@app.command("zaloz")
def zaloz(
    ctx: typer.Context,
    gmina: GminaOpt,
    nazwa: NazwaOpt = None,
    lider: LiderOpt = None,
    projekt: ProjektOpt = None,
    data: OptDateOpt = None,
    misja: MisjaOpt = None,
    obszar: ObszarOpt = None,
) -> None:
    """Załóż zespół (PZK) gminy; gmina może mieć tylko jeden zespół.

    Obszar zespołu to jego gmina, a także (z --obszar) inne gminy albo powiat, jak w modelu
    wiejskim, gdzie gmina i powiat tworzą jeden zespół.

    Przykład: kooperacje zespoly zaloz --gmina 1012011 --projekt "Kooperacje 3D" --data 2019-09-25
    """

    team = teams.create(
        get_db(ctx, create=True),
        gmina=gmina,
        nazwa=nazwa,
        lider=lider,
        projekt=projekt,
        data=data,
        misja=misja,
        obszar=obszar or [],
    )
    info(f"Założono zespół nr {team.id}: {team.nazwa}")


@app.command("lista")
def lista(ctx: typer.Context, fmt: FormatOpt = Format.tabela) -> None:
    """Pokaż wszystkie zespoły z liczbą członków (na dziś) i spotkań.

    Przykład: kooperacje zespoly lista --format csv
    """

    rows = [
        {
            "id": t.id,
            "nazwa": t.nazwa,
            "gmina": t.gmina,
            "gmina_nazwa": f"{t.gmina_nazwa} ({t.gmina_rodzaj})",
            "czlonkowie": t.czlonkowie,
            "spotkania": t.spotkania,
            "projekt": t.projekt,
        }
        for t in roster.list_(get_db(ctx))
    ]
    columns = [
        ("id", "Nr"),
        ("nazwa", "Nazwa"),
        ("gmina", "Kod TERYT"),
        ("gmina_nazwa", "Gmina"),
        ("czlonkowie", "Członkowie"),
        ("spotkania", "Spotkania"),
        ("projekt", "Projekt"),
    ]
    empty = "Brak zespołów. Załóż pierwszy: kooperacje zespoly zaloz --gmina KOD_TERYT."
    listing(rows, columns, fmt, empty=empty_hint(ctx, empty))


@app.command("pokaz")
def pokaz(
    ctx: typer.Context,
    zespol: ZespolArg,
    na_dzien: Annotated[
        str | None,
        typer.Option(
            "--na-dzien",
            help="Skład zespołu w tym dniu: RRRR-MM-DD albo DD.MM.RRRR (domyślnie dziś).",
        ),
    ] = None,
    fmt: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="Postać wyniku: tabela albo json.")
    ] = ShowFormat.tabela,
) -> None:
    """Pokaż dane zespołu i jego członków w danym dniu, według sektorów.

    Przykład: kooperacje zespoly pokaz 1012011 --na-dzien 2019-10-09
    """

    found = roster.show(get_db(ctx), zespol, na_dzien=na_dzien)
    if fmt is ShowFormat.json:
        record(_roster_json(found), Format.json)
    else:
        _print_roster(found)


def _roster_json(roster: Roster) -> list[tuple[str, Any]]:
    team = roster.zespol
    return [
        ("id", team.id),
        ("uuid", team.uuid),
        ("nazwa", team.nazwa),
        ("gmina", team.gmina),
        ("gmina_nazwa", team.gmina_nazwa),
        ("gmina_rodzaj", team.gmina_rodzaj),
        ("lider", team.lider),
        ("lider_nazwa", team.lider_nazwa),
        ("projekt", team.projekt),
        ("data_utworzenia", team.data_utworzenia),
        ("misja", team.misja),
        ("obszar", list(team.obszar_kody)),
        ("scalono_z_pliku", team.zrodlo),
        ("scalono", team.scalono),
        ("na_dzien", roster.dzien.isoformat()),
        ("spotkania", roster.spotkania),
        (
            "czlonkowie",
            [_member_row(g, m, polish=False) for g in roster.obsadzone for m in g.czlonkowie],
        ),
        (
            "sektory_bez_czlonkow",
            [
                {"sektor": g.sektor, "sektor_nazwa": g.sektor_nazwa, "kluczowy": g.kluczowy}
                for g in roster.braki
            ],
        ),
    ]


_MEMBER_COLUMNS = [
    ("sektor_nazwa", "Sektor"),
    ("nazwa", "Instytucja"),
    ("skrot", "Skrót"),
    ("od", "Członek od"),
]


def _member_row(group: SectorMembers, member: Member, *, polish: bool) -> dict[str, Any]:

    return {
        "sektor": group.sektor,
        "sektor_nazwa": group.sektor_nazwa,
        "instytucja": member.instytucja,
        "nazwa": member.nazwa,
        "skrot": member.skrot,
        "od": polish_date(member.od) if polish else member.od,
    }


def _print_roster(roster: Roster) -> None:

    pairs = [
        *[p for p in _team_pairs(roster.zespol, polish=True) if p[0] != "Obszar poza gminą"],
        ("Obszar poza gminą", ", ".join(roster.obszar)),
        ("Liczba spotkań", roster.spotkania),
    ]
    record(pairs, Format.tabela, title=roster.zespol.nazwa)
    info("")
    day = polish_date(roster.dzien)
    rows: list[dict[str, Any]] = []
    for group in roster.obsadzone:
        for n, member in enumerate(group.czlonkowie):
            row = _member_row(group, member, polish=True)
            row["sektor_nazwa"] = group.sektor_nazwa if n == 0 else ""
            rows.append(row)
    listing(
        rows,
        _MEMBER_COLUMNS,
        Format.tabela,
        title=f"Członkowie w dniu {day}: {len(roster.czlonkowie)}",
        empty=f"W dniu {day} zespół nie ma członków (brak deklaracji przystąpienia).",
    )
    gaps = [g.sektor_nazwa + (" (kluczowy)" if g.kluczowy else "") for g in roster.braki]
    if gaps:
        info("")
        info("Sektory bez członków:")
        for gap in gaps:
            info(f"  - {gap}")


@app.command("edytuj")
def edytuj(
    ctx: typer.Context,
    zespol: ZespolArg,
    nazwa: NazwaOpt = None,
    lider: LiderOpt = None,
    projekt: ProjektOpt = None,
    data: OptDateOpt = None,
    misja: MisjaOpt = None,
    obszar: ObszarOpt = None,
    bez_obszaru: Annotated[
        list[str] | None,
        typer.Option("--bez-obszaru", help="Usuń gminę albo powiat z obszaru zespołu."),
    ] = None,
) -> None:
    """Zmień dane zespołu (pusta wartość "" usuwa lidera, projekt albo datę).

    Przykład: kooperacje zespoly edytuj 1 --lider MOPS --data 25.09.2019
    """

    result = teams.apply_edit(
        get_db(ctx),
        zespol,
        nazwa=nazwa,
        lider=lider,
        projekt=projekt,
        data=data,
        misja=misja,
        obszar=obszar or [],
        bez_obszaru=bez_obszaru or [],
    )
    rows = [(_LABELS[c.pole], c.stara, c.nowa) for c in result.zmiany]
    changes(f"zespół nr {result.zespol.id} ({result.zespol.nazwa})", rows)


_LABELS = {
    "nazwa": "nazwa",
    "lider": "instytucja wiodąca",
    "projekt": "projekt",
    "data_utworzenia": "data utworzenia",
    "misja": "misja",
    "obszar": "obszar",
}


# The versions of the team's rules are a group of this one.
app.add_typer(regulamin_app, name="regulamin")
