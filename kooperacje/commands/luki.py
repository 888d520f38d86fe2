"""`kooperacje luki`: what is missing in a team and in its gmina's basket."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from kooperacje.basket import gaps
from kooperacje.basket.gaps import Gaps
from kooperacje.basket.service_details import verified_text
from kooperacje.commands._common import FormatOpt, OptGminaOpt, ZespolOpt, get_db
from kooperacje.dates import polish_date
from kooperacje.formats import Format
from kooperacje.output import info, listing

_COLUMNS = [("rodzaj", "Rodzaj"), ("kod", "Kod"), ("nazwa", "Nazwa"), ("uwagi", "Uwagi")]


def luki(
    ctx: typer.Context,
    gmina: OptGminaOpt = None,
    zespol: ZespolOpt = None,
    miesiace: Annotated[
        int,
        typer.Option("--miesiace", "-m", help="Usługa wymaga weryfikacji po tylu miesiącach."),
    ] = 12,
    fmt: FormatOpt = Format.tabela,
) -> None:
    """Pokaż luki: sektory bez członka, obszary i grupy bez usług, usługi do weryfikacji.

    Także porozumienia zespołu, które po terminie wciąż nie są podpisane.

    Przykład: kooperacje luki --gmina 1012011 --miesiace 6
    """

    found = gaps.find(get_db(ctx), gmina=gmina, zespol=zespol, miesiace=miesiace)
    if fmt is not Format.tabela:
        listing(_rows(found), _COLUMNS, fmt)
        return
    _print(found)


def _rows(g: Gaps) -> list[dict[str, Any]]:

    rows: list[dict[str, Any]] = [
        {"rodzaj": "sektor", "kod": s.kod, "nazwa": s.nazwa, "uwagi": "kluczowy" * s.kluczowy}
        for s in g.sektory or ()
    ]
    rows += [{"rodzaj": "obszar", "kod": a.kod, "nazwa": a.nazwa, "uwagi": ""} for a in g.obszary]
    rows += [{"rodzaj": "grupa", "kod": a.kod, "nazwa": a.nazwa, "uwagi": ""} for a in g.grupy]
    rows += [
        {
            "rodzaj": "weryfikacja",
            "kod": u.id,
            "nazwa": f"{u.nazwa} ({u.instytucja_nazwa})",
            "uwagi": verified_text(u.zweryfikowano, u.zweryfikowal),
        }
        for u in g.niezweryfikowane
    ]
    rows += [
        {
            "rodzaj": "porozumienie",
            "kod": a.id,
            "nazwa": a.nazwa,
            "uwagi": f"termin podpisania: {a.termin_podpisania}",
        }
        for a in g.porozumienia
    ]
    return rows


def _print(g: Gaps) -> None:

    unit = g.gmina
    who = f"zespół {g.zespol.nazwa}, " if g.zespol else ""
    info(f"Luki: {who}{unit.nazwa} ({unit.rodzaj}, {unit.kod})")
    info("")
    if g.sektory is None:
        info(
            "Sektory: gmina nie ma zespołu, więc nie ma czyich członków sprawdzić. "
            f"Załóż go poleceniem: kooperacje zespoly zaloz --gmina {unit.kod}."
        )
    else:
        info(f"Sektory bez członka zespołu ({len(g.sektory)}):")
        for s in g.sektory:
            info(f"  - {s.nazwa}" + (" (★ sektor kluczowy)" if s.kluczowy else ""))
    info(f"Obszary usług bez aktywnej usługi w koszyku ({len(g.obszary)}):")
    for a in g.obszary:
        info(f"  - {a.nazwa}")
    info(f"Grupy docelowe bez aktywnej usługi ({len(g.grupy)}):")
    for a in g.grupy:
        info(f"  - {a.nazwa}")
    info(f"Usługi niezweryfikowane od ponad {g.miesiace} mies. ({len(g.niezweryfikowane)}):")
    for u in g.niezweryfikowane:
        checked = verified_text(u.zweryfikowano, u.zweryfikowal)
        info(f"  - nr {u.id}: {u.nazwa} ({u.instytucja_nazwa}); weryfikacja: {checked}")
    if g.niezweryfikowane:
        info("Zapisz sprawdzenie poleceniem: kooperacje uslugi zweryfikuj NR --kto OSOBA")
    if g.sektory is not None:
        info(f"Porozumienia niepodpisane w terminie ({len(g.porozumienia)}):")
        for agreement in g.porozumienia:
            due = polish_date(agreement.termin_podpisania or g.stan_na)
            info(f"  - nr {agreement.id}: {agreement.nazwa}; miało zostać podpisane do {due}")
        if g.porozumienia:
            info("Zapisz podpisanie: kooperacje porozumienia edytuj NR --data-podpisania DATA")
