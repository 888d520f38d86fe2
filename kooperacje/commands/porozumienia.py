"""`kooperacje porozumienia`: cooperation agreements and their parties."""

from __future__ import annotations

from dataclasses import asdict
from enum import Enum
from typing import Annotated, Any

import typer

from kooperacje.commands._base import new_app
from kooperacje.commands._common import (
    FormatOpt,
    OptGminaOpt,
    TakOpt,
    ZespolOpt,
    confirm_deletion,
    get_db,
)
from kooperacje.dates import polish_date
from kooperacje.formats import Format
from kooperacje.output import changes, info, listing, record
from kooperacje.teams import agreement_edits, agreements
from kooperacje.teams.agreements import AgreementDetails

app = new_app(
    "Porozumienia o współpracy: strony (instytucje i samorządy), przedmiot, projekt, status, "
    "terminy i okres obowiązywania."
)


class ShowFormat(str, Enum):
    """How one agreement is printed."""

    tabela = "tabela"
    json = "json"


PorozumienieArg = Annotated[str, typer.Argument(help="Porozumienie: numer albo tytuł.")]
PrzedmiotOpt = Annotated[
    str | None, typer.Option("--przedmiot", help="Przedmiot porozumienia: co strony uzgadniają.")
]
ProjektOpt = Annotated[
    str | None, typer.Option("--projekt", "-p", help="Projekt: numer, skrót albo nazwa.")
]
_STATUS_HELP = "Status: planowane, podpisane, wygasłe albo rozwiązane."
TerminOpt = Annotated[
    str | None,
    typer.Option(
        "--termin",
        help="Do kiedy ma zostać podpisane: dzień albo miesiąc (2020-02 = do końca lutego).",
    ),
]
PodpisanoOpt = Annotated[
    str | None,
    typer.Option("--data-podpisania", help="Dzień podpisania (RRRR-MM-DD albo DD.MM.RRRR)."),
]
OdOpt = Annotated[str | None, typer.Option("--od", help="Obowiązuje od (dzień albo miesiąc).")]
DoOpt = Annotated[str | None, typer.Option("--do", help="Obowiązuje do (dzień albo miesiąc).")]
OryginalOpt = Annotated[
    str | None,
    typer.Option("--oryginal", help="Gdzie jest przechowywany podpisany oryginał."),
]
UwagiOpt = Annotated[str | None, typer.Option("--uwagi", help="Dowolne uwagi.")]
StronaOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--strona",
        "-s",
        help="Strona porozumienia: instytucja (numer, nazwa, skrót); można powtarzać.",
    ),
]
JstOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--jst",
        help="Strona porozumienia: samorząd (gmina: 7 cyfr TERYT, powiat: 4, województwo: 2); "
        "można powtarzać.",
    ),
]

_LABELS = {
    "nazwa": "tytuł",
    "przedmiot": "przedmiot",
    "projekt": "projekt",
    "status": "status",
    "termin_podpisania": "termin podpisania",
    "data_podpisania": "data podpisania",
    "obowiazuje_od": "obowiązuje od",
    "obowiazuje_do": "obowiązuje do",
    "oryginal": "oryginał",
    "uwagi": "uwagi",
    "strona": "strona",
}


@app.command("dodaj")
def dodaj(
    ctx: typer.Context,
    nazwa: Annotated[str, typer.Argument(help="Tytuł porozumienia.")],
    strona: StronaOpt = None,
    jst: JstOpt = None,
    przedmiot: PrzedmiotOpt = None,
    projekt: ProjektOpt = None,
    status: Annotated[str | None, typer.Option("--status", help=_STATUS_HELP)] = None,
    termin: TerminOpt = None,
    data_podpisania: PodpisanoOpt = None,
    od: OdOpt = None,
    do: DoOpt = None,
    oryginal: OryginalOpt = None,
    uwagi: UwagiOpt = None,
) -> None:
    """Zapisz porozumienie: bez statusu jest planowane (albo podpisane, gdy ma datę podpisania).

    Przykład: kooperacje porozumienia dodaj "Porozumienie o współpracy" --jst 0410 --termin 2020-02
    """

    added = agreement_edits.add(
        get_db(ctx, create=True),
        nazwa=nazwa,
        przedmiot=przedmiot,
        projekt=projekt,
        status=status,
        termin_podpisania=termin,
        data_podpisania=data_podpisania,
        obowiazuje_od=od,
        obowiazuje_do=do,
        oryginal=oryginal,
        uwagi=uwagi,
        strony=strona or [],
        jst=jst or [],
    )
    a = added.porozumienie
    info(
        f"Dodano porozumienie nr {a.id}: {a.nazwa} ({a.status_nazwa}, stron: {len(added.strony)})."
    )


def _date(value: str | None) -> str:
    return polish_date(value) if value else ""


@app.command("lista")
def lista(
    ctx: typer.Context,
    gmina: OptGminaOpt = None,
    zespol: ZespolOpt = None,
    status: Annotated[str | None, typer.Option("--status", help=_STATUS_HELP)] = None,
    fmt: FormatOpt = Format.tabela,
) -> None:
    """Pokaż porozumienia (wszystkie albo dotyczące zespołu); zaległe są oznaczone.

    Przykład: kooperacje porozumienia lista --gmina 0410033 --status planowane
    """

    found = agreements.list_(get_db(ctx), gmina=gmina, zespol=zespol, status=status)
    if fmt is Format.tabela:
        rows = [
            {
                "id": a.id,
                "nazwa": a.nazwa,
                "status": a.status_nazwa + (" – PO TERMINIE" if a.po_terminie_dzis else ""),
                "termin": _date(a.termin_podpisania),
                "podpisano": _date(a.data_podpisania),
                "strony": a.strony,
                "projekt": a.projekt_nazwa,
            }
            for a in found
        ]
        columns = [
            ("id", "Nr"),
            ("nazwa", "Tytuł"),
            ("status", "Status"),
            ("termin", "Termin podpisania"),
            ("podpisano", "Podpisano"),
            ("strony", "Strony"),
            ("projekt", "Projekt"),
        ]
    else:
        rows = [asdict(a) for a in found]
        columns = [(name, name) for name in agreements.AgreementRow.__dataclass_fields__]
    listing(rows, columns, fmt, empty="Brak porozumień.")


@app.command("pokaz")
def pokaz(
    ctx: typer.Context,
    porozumienie: PorozumienieArg,
    fmt: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="Postać wyniku: tabela albo json.")
    ] = ShowFormat.tabela,
) -> None:
    """Pokaż porozumienie: strony, przedmiot, projekt, status, terminy, miejsce oryginału.

    Przykład: kooperacje porozumienia pokaz 1
    """

    found = agreements.details(get_db(ctx), porozumienie)
    if fmt is ShowFormat.json:
        a = found.porozumienie
        pairs: list[tuple[str, Any]] = [
            *asdict(a).items(),
            ("status_nazwa", a.status_nazwa),
            ("strony", [asdict(p) for p in found.strony]),
        ]
        record(pairs, Format.json)
    else:
        _print(found)


def _print(found: AgreementDetails) -> None:
    a = found.porozumienie
    period = " ".join(
        x
        for x in (
            f"od {polish_date(a.obowiazuje_od)}" if a.obowiazuje_od else "",
            f"do {polish_date(a.obowiazuje_do)}" if a.obowiazuje_do else "",
        )
        if x
    )
    pairs = [
        ("Numer", a.id),
        ("Status", a.status_nazwa),
        ("Przedmiot", a.przedmiot),
        ("Projekt", a.projekt_nazwa),
        ("Termin podpisania", _date(a.termin_podpisania)),
        ("Data podpisania", _date(a.data_podpisania)),
        ("Obowiązuje", period),
        ("Oryginał", a.oryginal),
        ("Uwagi", a.uwagi),
    ]
    record(pairs, Format.tabela, title=a.nazwa)
    info("Strony:" if found.strony else "Strony: nie podano")
    for p in found.strony:
        number = f"nr {p.instytucja}, gmina {p.gmina_nazwa}" if p.instytucja else p.jst
        info(f"  - {p.nazwa} ({number})")


@app.command("edytuj")
def edytuj(
    ctx: typer.Context,
    porozumienie: PorozumienieArg,
    nazwa: Annotated[str | None, typer.Option("--nazwa", help="Nowy tytuł.")] = None,
    przedmiot: PrzedmiotOpt = None,
    projekt: ProjektOpt = None,
    status: Annotated[str | None, typer.Option("--status", help=_STATUS_HELP)] = None,
    termin: TerminOpt = None,
    data_podpisania: PodpisanoOpt = None,
    od: OdOpt = None,
    do: DoOpt = None,
    oryginal: OryginalOpt = None,
    uwagi: UwagiOpt = None,
    strona: StronaOpt = None,
    bez_strony: Annotated[
        list[str] | None, typer.Option("--bez-strony", help="Usuń tę instytucję ze stron.")
    ] = None,
    jst: JstOpt = None,
    bez_jst: Annotated[
        list[str] | None, typer.Option("--bez-jst", help="Usuń ten samorząd ze stron.")
    ] = None,
) -> None:
    """Zmień porozumienie; data podpisania zmienia status planowane na podpisane.

    Przykład: kooperacje porozumienia edytuj 2 --data-podpisania 2020-02-27 --oryginal "MGOPS"
    """

    result = agreement_edits.apply_edit(
        get_db(ctx),
        porozumienie,
        fields={
            "nazwa": nazwa,
            "przedmiot": przedmiot,
            "projekt": projekt,
            "status": status,
            "termin_podpisania": termin,
            "data_podpisania": data_podpisania,
            "obowiazuje_od": od,
            "obowiazuje_do": do,
            "oryginal": oryginal,
            "uwagi": uwagi,
        },
        strony=strona or [],
        bez_stron=bez_strony or [],
        jst=jst or [],
        bez_jst=bez_jst or [],
    )
    rows = [(_LABELS[c.pole], c.stara, c.nowa) for c in result.zmiany]
    changes(f"porozumienie nr {result.porozumienie.porozumienie.id}", rows)


@app.command("usun")
def usun(ctx: typer.Context, porozumienie: PorozumienieArg, tak: TakOpt = False) -> None:
    """Usuń błędnie zapisane porozumienie wraz z listą jego stron.

    Przykład: kooperacje porozumienia usun 3 --tak
    """

    db = get_db(ctx)
    found = agreements.resolve(db, porozumienie)
    confirm_deletion(f"Usunąć porozumienie nr {found.id} ({found.nazwa})?", tak=tak)
    removed = agreement_edits.remove(db, str(found.id))
    info(f"Usunięto porozumienie nr {removed.id}: {removed.nazwa}.")
