"""The running header of a printed document: who issues it and under which project.

The organisation is the one named in the config file (`[organizacja]`); without it, the
leading institution of the document's team. The project line appears only for a team in
a project (or a summary of one project), with the project's co-financing statement (else
the one from the config file) and the logo images named there (printed in PDF documents).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kooperacje.register import institutions
from kooperacje.reports import render
from kooperacje.teams import projects, teams

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class DocumentHeader:
    """Context `naglowek` of the printed documents (every page of a PDF carries it)."""

    organizacja: str | None  # "Miejski Ośrodek Pomocy Społecznej w Radomsku"
    adres: str | None  # "ul. Tkacka 5, 97-500 Radomsko"
    projekt: str | None  # the project's name, as the team records it
    wspolfinansowanie: str | None  # the project's co-financing statement (config file)
    logo: tuple[Path, ...] = ()  # images at the top of every page of a PDF

    @property
    def linia(self) -> str:
        """Organisation and address in one line ("" when neither is known)."""
        return ", ".join(v for v in (self.organizacja, self.adres) if v)

    @property
    def pusty(self) -> bool:
        return not (self.linia or self.projekt or self.logo)


def _address(institution: institutions.Institution) -> str | None:
    town = " ".join(v for v in (institution.kod_pocztowy, institution.miejscowosc) if v)
    return ", ".join(v for v in (institution.adres, town) if v) or None


def document_header(
    db: Database, zespol: int | None = None, *, projekt: int | None = None
) -> DocumentHeader:
    """The header of a document of team `zespol` (or of no team: a summary or an
    agreement, which may name the number of its project).

    The co-financing statement is the project's own (`kooperacje projekty`), else the
    one in the config file."""
    settings = render.current()
    name, address = settings.organizacja_nazwa, settings.organizacja_adres
    team = teams.get(db, zespol) if zespol is not None else None
    if team is not None:
        projekt = team.projekt_id
        if name is None and address is None and team.lider is not None:
            leader = institutions.get(db, team.lider)
            name, address = leader.nazwa, _address(leader)
    project = projects.get(db, projekt) if projekt is not None else None
    return DocumentHeader(
        organizacja=name,
        adres=address,
        projekt=project.nazwa if project else None,
        wspolfinansowanie=(project.wspolfinansowanie or settings.wspolfinansowanie)
        if project
        else None,
        logo=settings.logo,
    )
