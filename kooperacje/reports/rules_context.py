"""The context of the printed rules of a team (`regulamin.md` / `regulamin.html`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kooperacje import __version__
from kooperacje.register import teryt
from kooperacje.reports.context import Place, place
from kooperacje.teams import rules, teams
from kooperacje.text import fold

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class RulesDocument:
    """Context of `regulamin.{md,html}`: one version of a team's rules.

    `tekst` is the Markdown the coordinator wrote; the HTML template renders it with the
    `markdown` filter (raw HTML in it is escaped).
    """

    numer: int  # the version's number
    nazwa: str  # its title
    zespol: str  # the team's name
    gmina: Place
    przyjeto: str  # ISO date adopted
    spotkanie: str | None  # ISO date of the meeting that adopted it
    spotkanie_tytul: str | None
    tekst: str  # Markdown
    wersje: int  # how many versions the team has recorded
    wersja: str  # program version


def rules_document(
    db: Database,
    *,
    numer: int | None = None,
    gmina: str | None = None,
    zespol: str | None = None,
    na_dzien: dt.date | None = None,
) -> RulesDocument:
    """A version by number, or the one the team had in force on `na_dzien` (default today)."""
    found = rules.chosen(db, numer=numer, gmina=gmina, zespol=zespol, na_dzien=na_dzien)
    team = teams.get(db, found.zespol)
    count = db.execute(
        "SELECT count(*) FROM regulaminy WHERE zespol = :z", {"z": team.id}
    ).fetchone()[0]
    return RulesDocument(
        numer=found.id,
        nazwa=found.nazwa,
        zespol=team.nazwa,
        gmina=place(teryt.get_unit(db, team.gmina)),
        przyjeto=found.przyjeto,
        spotkanie=found.spotkanie_data,
        spotkanie_tytul=found.spotkanie_tytul,
        tekst=_without_title(found.tekst, found.nazwa),
        wersje=int(count),
        wersja=__version__,
    )


def _without_title(text: str, title: str) -> str:
    """The rules' Markdown without a first-level heading that repeats the title the
    document already prints above it; any other text is left exactly as written."""
    lines = text.strip().splitlines()
    if lines and lines[0].startswith("# ") and fold(lines[0][2:].strip()) == fold(title):
        return "\n".join(lines[1:]).strip()
    return text.strip()
