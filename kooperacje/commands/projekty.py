"""`kooperacje projekty`: the projects behind the teams."""

from __future__ import annotations

from dataclasses import asdict
from enum import Enum
from typing import Annotated, Any

import typer

from kooperacje.commands._base import new_app
from kooperacje.commands._common import FormatOpt, TakOpt, confirm_deletion, get_db
from kooperacje.dates import polish_date
from kooperacje.formats import Format
from kooperacje.output import changes, info, listing, record
from kooperacje.teams import project_edits, projects
from kooperacje.teams.projects import ProjectDetails

app = new_app(
    "Projekty, w których działają zespoły: nazwa, program, okres, lider i partnerzy, "
    "makroregiony, uczestniczące gminy i powiaty."
)


class ShowFormat(str, Enum):
    """How one project is printed."""

    tabela = "tabela"
    json = "json"


ProjektArg = Annotated[str, typer.Argument(help="Projekt: numer, skrót albo nazwa.")]
SkrotOpt = Annotated[
    str | None,
    typer.Option("--skrot", "-s", help="Krótka nazwa do poleceń, np. „Kooperacje 3D”."),
]
ProgramOpt = Annotated[
    str | None,
    typer.Option("--program", help="Program, oś priorytetowa i działanie, z którego finansowanie."),
]
WspolOpt = Annotated[
    str | None,
    typer.Option(
        "--wspolfinansowanie",
        help="Zdanie o współfinansowaniu, które muszą nosić dokumenty projektu.",
    ),
]
OdOpt = Annotated[
    str | None,
    typer.Option("--od", help="Początek projektu: dzień albo miesiąc (2018-04, 04.2018)."),
]
DoOpt = Annotated[
    str | None,
    typer.Option("--do", help="Koniec projektu: dzień albo miesiąc (miesiąc: jego ostatni dzień)."),
]
UwagiOpt = Annotated[str | None, typer.Option("--uwagi", help="Dowolne uwagi.")]
LiderOpt = Annotated[
    str | None,
    typer.Option("--lider", "-l", help="Lider projektu: instytucja (numer, nazwa, skrót)."),
]
PartnerOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--partner",
        help='Partner projektu: instytucja, po dwukropku opcjonalnie rola, np. "UMK: partner '
        'naukowy"; opcję można powtarzać.',
    ),
]
MakroOpt = Annotated[
    list[str] | None,
    typer.Option("--makroregion", "-m", help="Makroregion I, II albo III; można powtarzać."),
]
JstOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--jst",
        help="Uczestnicząca gmina (kod TERYT 7 cyfr) albo powiat (4 cyfry); można powtarzać.",
    ),
]

_LABELS = {
    "nazwa": "nazwa",
    "skrot": "skrót",
    "program": "program",
    "wspolfinansowanie": "współfinansowanie",
    "od": "początek",
    "do": "koniec",
    "uwagi": "uwagi",
    "lider": "lider",
    "partner": "partner",
    "makroregion": "makroregion",
    "jednostka": "gmina lub powiat",
}


@app.command("dodaj")
def dodaj(
    ctx: typer.Context,
    nazwa: Annotated[str, typer.Argument(help="Pełna nazwa projektu (zapisana tak, jak podana).")],
    skrot: SkrotOpt = None,
    program: ProgramOpt = None,
    wspolfinansowanie: WspolOpt = None,
    od: OdOpt = None,
    do: DoOpt = None,
    lider: LiderOpt = None,
    partner: PartnerOpt = None,
    makroregion: MakroOpt = None,
    jst: JstOpt = None,
    uwagi: UwagiOpt = None,
) -> None:
    """Zapisz projekt: nazwa dokładnie taka, jak podana, oraz jego dane.

    Lider i partnerzy to instytucje z rejestru; partnerowi można dopisać rolę po dwukropku.

    Przykład: kooperacje projekty dodaj "Kooperacja – efektywna i skuteczna" --skrot KES -m II
    """

    added = project_edits.add(
        get_db(ctx, create=True),
        nazwa=nazwa,
        skrot=skrot,
        program=program,
        wspolfinansowanie=wspolfinansowanie,
        od=od,
        do=do,
        uwagi=uwagi,
        lider=lider,
        partnerzy=partner or [],
        makroregiony=makroregion or [],
        jst=jst or [],
    )
    info(f"Dodano projekt nr {added.projekt.id}: {added.projekt.nazwa}.")


def _period(od: str | None, do: str | None) -> str:
    start = f"od {polish_date(od)}" if od else ""
    end = f"do {polish_date(do)}" if do else ""
    return " ".join(x for x in (start, end) if x)


@app.command("lista")
def lista(ctx: typer.Context, fmt: FormatOpt = Format.tabela) -> None:
    """Pokaż projekty z liderem, liczbą partnerów i zespołów.

    Przykład: kooperacje projekty lista --format csv
    """

    found = projects.list_(get_db(ctx))
    rows = [asdict(p) | {"okres": _period(p.od, p.do)} for p in found]
    if fmt is Format.tabela:
        columns = [
            ("id", "Nr"),
            ("skrot", "Skrót"),
            ("nazwa", "Nazwa"),
            ("okres", "Okres"),
            ("lider", "Lider"),
            ("partnerzy", "Partnerzy"),
            ("zespoly", "Zespoły"),
        ]
    else:
        columns = [(name, name) for name in projects.ProjectSummary.__dataclass_fields__]
    empty = 'Brak projektów. Dodaj pierwszy: kooperacje projekty dodaj "NAZWA" --skrot SKRÓT.'
    listing(rows, columns, fmt, empty=empty)


@app.command("pokaz")
def pokaz(
    ctx: typer.Context,
    projekt: ProjektArg,
    fmt: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="Postać wyniku: tabela albo json.")
    ] = ShowFormat.tabela,
) -> None:
    """Pokaż projekt: program, okres, lidera i partnerów, makroregiony, gminy, zespoły.

    Przykład: kooperacje projekty pokaz "Kooperacje 3D"
    """

    found = projects.details(get_db(ctx), projekt)
    if fmt is ShowFormat.json:
        record(_json(found), Format.json)
    else:
        _print(found)


def _json(found: ProjectDetails) -> list[tuple[str, Any]]:
    return [
        *asdict(found.projekt).items(),
        ("instytucje", [asdict(i) for i in found.instytucje]),
        ("makroregiony", list(found.makroregiony)),
        ("jst", [asdict(u) for u in found.jst]),
        ("zespoly", [asdict(t) for t in found.zespoly]),
    ]


def _print(found: ProjectDetails) -> None:
    p = found.projekt
    lead = found.lider
    pairs = [
        ("Numer", p.id),
        ("Skrót", p.skrot),
        ("Program", p.program),
        ("Współfinansowanie", p.wspolfinansowanie),
        ("Okres", _period(p.od, p.do)),
        ("Lider", f"{lead.nazwa} (nr {lead.instytucja})" if lead else "nie wskazano"),
        ("Makroregiony", ", ".join(found.makroregiony)),
        ("Uwagi", p.uwagi),
    ]
    record(pairs, Format.tabela, title=p.nazwa)
    info("Partnerzy:" if found.partnerzy else "Partnerzy: brak")
    for i in found.partnerzy:
        role = f" – {i.opis}" if i.opis else ""
        info(f"  - {i.nazwa} (nr {i.instytucja}, gmina {i.gmina_nazwa}){role}")
    info("Gminy i powiaty:" if found.jst else "Gminy i powiaty: nie podano")
    for u in found.jst:
        info(f"  - {u.nazwa} ({u.rodzaj}, {u.kod})")
    info("Zespoły:" if found.zespoly else "Zespoły: brak")
    for t in found.zespoly:
        info(f"  - {t.nazwa} (nr {t.id}, gmina {t.gmina_nazwa}, {t.gmina})")


@app.command("edytuj")
def edytuj(
    ctx: typer.Context,
    projekt: ProjektArg,
    nazwa: Annotated[str | None, typer.Option("--nazwa", help="Nowa pełna nazwa.")] = None,
    skrot: SkrotOpt = None,
    program: ProgramOpt = None,
    wspolfinansowanie: WspolOpt = None,
    od: OdOpt = None,
    do: DoOpt = None,
    uwagi: UwagiOpt = None,
    lider: LiderOpt = None,
    partner: PartnerOpt = None,
    bez_partnera: Annotated[
        list[str] | None, typer.Option("--bez-partnera", help="Usuń tego partnera z projektu.")
    ] = None,
    makroregion: MakroOpt = None,
    bez_makroregionu: Annotated[
        list[str] | None, typer.Option("--bez-makroregionu", help="Usuń ten makroregion.")
    ] = None,
    jst: JstOpt = None,
    bez_jst: Annotated[
        list[str] | None, typer.Option("--bez-jst", help="Usuń tę gminę albo ten powiat.")
    ] = None,
) -> None:
    """Zmień dane projektu; pusta wartość "" czyści pole, --partner i --jst dopisują.

    Przykład: kooperacje projekty edytuj 1 --skrot "Kooperacje 3D" --partner "ROPS w Opolu"
    """

    result = project_edits.apply_edit(
        get_db(ctx),
        projekt,
        fields={
            "nazwa": nazwa,
            "skrot": skrot,
            "program": program,
            "wspolfinansowanie": wspolfinansowanie,
            "od": od,
            "do": do,
            "uwagi": uwagi,
        },
        lider=lider,
        partnerzy=partner or [],
        bez_partnerow=bez_partnera or [],
        makroregiony=makroregion or [],
        bez_makroregionow=bez_makroregionu or [],
        jst=jst or [],
        bez_jst=bez_jst or [],
    )
    rows = [(_LABELS[c.pole], c.stara, c.nowa) for c in result.zmiany]
    changes(f"projekt nr {result.projekt.projekt.id}", rows)


@app.command("usun")
def usun(ctx: typer.Context, projekt: ProjektArg, tak: TakOpt = False) -> None:
    """Usuń projekt, do którego nie należy żaden zespół ani porozumienie.

    Przykład: kooperacje projekty usun 2 --tak
    """

    db = get_db(ctx)
    found = projects.resolve(db, projekt)
    confirm_deletion(f"Usunąć projekt {found.label}?", tak=tak)
    removed = project_edits.remove(db, str(found.id))
    info(f"Usunięto projekt nr {removed.id}: {removed.nazwa}.")
