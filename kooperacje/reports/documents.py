"""The printable documents in Markdown, HTML or PDF: the attendance sheet, declarations,
minutes, the printed basket, the team report and the summary report.

Each function builds the document's context, the running header (`header.py`) and
renders it: Markdown and HTML through Jinja (`render.py`), PDF through Typst (`pdf.py`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kooperacje import files
from kooperacje.dates import polish_date
from kooperacje.errors import InvalidInput
from kooperacje.register.teryt import Unit
from kooperacje.reports import (
    agreement_context,
    basket_context,
    indicators,
    meeting_documents,
    pdf,
    render,
    scopes,
    team_context,
)
from kooperacje.reports.header import document_header
from kooperacje.teams.teams import Team

if TYPE_CHECKING:
    from sqlite_utils import Database

FORMATS = ("md", "html", "pdf")
# A document as text (Markdown, HTML) or as the bytes of a PDF.
Rendered = str | bytes


def document_format(fmt: str | None, path: Path | None) -> str:
    """md, html or pdf: as asked, else from the suffix of -o, else Markdown on screen."""
    if fmt is None and path is not None and path.suffix.lower() == ".pdf":
        fmt = "pdf"
    if fmt is not None and fmt.strip().lower() == "pdf":
        if path is None:
            raise InvalidInput(
                "dokumentu PDF nie da się wypisać na ekran. Podaj plik w -o, np. -o dokument.pdf."
            )
        return "pdf"
    try:
        return render.infer_format(fmt, path)
    except InvalidInput:
        raise InvalidInput(
            f'nie wiadomo, w jakim formacie zapisać "{path}". Podaj --format md, html albo '
            "pdf, albo nadaj plikowi rozszerzenie .md, .html lub .pdf."
        ) from None


def write(output: Rendered, path: Path, *, personal: bool = True) -> Path:
    """Write a rendered document through the guarded writer (a temporary file beside the
    target, then a rename); personal=True (documents naming staff): readable by the owner
    only. Returns the path written."""
    if isinstance(output, str):
        return files.write_text(path, output, personal=personal)
    return files.write_bytes(path, output, personal=personal)


def _produce(
    db: Database,
    name: str,
    fmt: str,
    raport: Any,
    *,
    tytul: str,
    zespol: int | None = None,
    projekt: int | None = None,
    wygenerowano: dt.date | None = None,
) -> Rendered:
    naglowek = document_header(db, zespol, projekt=projekt)
    if fmt == "pdf":
        return pdf.render_pdf(name, raport, naglowek, tytul=tytul, wygenerowano=wygenerowano)
    return render.render(name, fmt, raport, naglowek=naglowek)


def attendance_sheet(
    db: Database, meeting_id: int, fmt: str, *, wygenerowano: dt.date | None = None
) -> Rendered:
    """The attendance sheet of a meeting, to be signed."""
    sheet = meeting_documents.attendance_sheet(db, meeting_id)
    s = sheet.spotkanie
    title = f"Lista obecności: {s.zespol_nazwa}, {polish_date(s.data)}"
    return _produce(
        db, "lista-obecnosci", fmt, sheet, tytul=title, zespol=s.zespol, wygenerowano=wygenerowano
    )


def declarations(
    db: Database,
    fmt: str,
    *,
    instytucja: str | None = None,
    gmina: str | None = None,
    zespol: str | None = None,
    spotkanie: int | None = None,
    wszyscy_zaproszeni: bool = False,
    wygenerowano: dt.date | None = None,
) -> Rendered:
    """Declarations of accession: one for an institution, or one per invited non-member."""
    forms = meeting_documents.declarations(
        db,
        instytucja=instytucja,
        gmina=gmina,
        zespol=zespol,
        spotkanie=spotkanie,
        wszyscy_zaproszeni=wszyscy_zaproszeni,
    )
    team = forms.deklaracje[0].zespol
    title = f"Deklaracja przystąpienia do zespołu „{team.nazwa}”"
    if len(forms.deklaracje) > 1:
        title = f"Deklaracje przystąpienia do zespołu „{team.nazwa}”"
    return _produce(
        db, "deklaracja", fmt, forms, tytul=title, zespol=team.id, wygenerowano=wygenerowano
    )


def minutes(
    db: Database, meeting_id: int, fmt: str, *, wygenerowano: dt.date | None = None
) -> Rendered:
    """The minutes of a meeting."""
    context = meeting_documents.minutes(db, meeting_id)
    s = context.spotkanie
    title = f"Protokół ze spotkania: {s.zespol_nazwa}, {polish_date(s.data)}"
    return _produce(
        db, "protokol", fmt, context, tytul=title, zespol=s.zespol, wygenerowano=wygenerowano
    )


def team_report(
    db: Database,
    team: Team,
    fmt: str,
    *,
    na_dzien: dt.date | None = None,
    wygenerowano: dt.date | None = None,
) -> Rendered:
    """The team report as it stood on `na_dzien` (default: today)."""
    context = team_context.team_report(db, team, na_dzien)
    title = f"{team.nazwa}: raport zespołu, stan na {polish_date(context.stan_na)}"
    return _produce(
        db, "zespol", fmt, context, tytul=title, zespol=team.id, wygenerowano=wygenerowano
    )


def basket(
    db: Database,
    unit: Unit,
    fmt: str,
    *,
    obszar: str | None = None,
    grupa: str | None = None,
    wiek: int | None = None,
    bezplatne: bool = False,
    status: str | None = None,
    szukaj: str | None = None,
    stan_na: dt.date | None = None,
) -> Rendered:
    """The printed basket of a gmina, with the filters of `kooperacje koszyk` (raw input)."""
    context = basket_context.basket_report(
        db,
        unit,
        obszar=obszar,
        grupa=grupa,
        wiek=wiek,
        bezplatne=bezplatne,
        status=status,
        szukaj=szukaj,
        stan_na=stan_na,
    )
    teams = list(db.query("SELECT id FROM zespoly WHERE gmina = :g", {"g": unit.kod}))
    title = f"Lokalny koszyk usług: {unit.nazwa} ({unit.rodzaj})"
    return _produce(
        db,
        "koszyk",
        fmt,
        context,
        tytul=title,
        zespol=teams[0]["id"] if teams else None,
        wygenerowano=stan_na,
    )


def summary(
    db: Database,
    scope: scopes.Scope,
    fmt: str,
    *,
    od: dt.date | None = None,
    do: dt.date | None = None,
) -> Rendered:
    """The summary report of the teams in scope: md, html, csv or pdf."""
    if fmt not in ("html", "pdf"):
        return render.render_summary(db, scope, fmt, od=od, do=do)
    start, end = scopes.period(od, do)
    data = indicators.summary(db, scope, start, end)
    if fmt == "html":
        data = render.with_charts(db, data)
    title = f"Raport zbiorczy: {scope.nazwa}"
    project = int(scope.wartosc or 0) if scope.rodzaj == "projekt" else None
    return _produce(db, "zbiorczy", fmt, data, tytul=title, projekt=project)


def agreement(
    db: Database,
    ref: str,
    fmt: str,
    *,
    stan_na: dt.date | None = None,
    wygenerowano: dt.date | None = None,
) -> Rendered:
    """A cooperation agreement, ready to sign (its status described as on `stan_na`)."""
    context = agreement_context.agreement_document(db, ref, stan_na=stan_na)
    return _produce(
        db,
        "porozumienie",
        fmt,
        context,
        tytul=context.nazwa,
        projekt=context.projekt_numer,
        wygenerowano=wygenerowano,
    )
