"""What the report templates share: the header of a place and rows of people.

Each report's context has a module of its own (`team_context`, `basket_context`,
`meeting_context`): documented frozen dataclasses and their builders. Templates never see
the database. Every query runs in those builders, one per report section (never one per
row), and every list comes out in its final order: vocabulary order for sectors and service
areas, Polish alphabetical order for names, dates ascending. Dates stay ISO strings;
templates print them in words with the `slownie` filter.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kooperacje.register.teryt import Unit
from kooperacje.teams import projects
from kooperacje.teams.projects import ProjectDetails
from kooperacje.text import polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class Place:
    """A gmina as a report's header names it."""

    kod: str  # TERYT code, 7 digits
    nazwa: str  # "Radomsko"
    rodzaj: str  # "gmina miejska"
    powiat: str | None  # "powiat radomszczański" or "miasto na prawach powiatu Łódź"
    wojewodztwo: str  # "łódzkie"


@dataclass(frozen=True)
class ProjectCard:
    """A project as a report describes it (the team report, a project's summary)."""

    nazwa: str  # exactly as typed
    skrot: str | None
    program: str | None  # programme, priority axis, measure
    wspolfinansowanie: str | None  # the co-financing statement documents must carry
    od: str | None  # ISO date
    do: str | None  # ISO date
    lider: str | None  # name of the leading institution
    partnerzy: tuple[str, ...]  # partners' names, "(role)" added when described
    makroregiony: tuple[str, ...]  # "I", "II", "III"


def project_card_of(db: Database, project_id: int) -> ProjectCard:
    """The card of a project (three queries: what a report's header needs)."""
    project = projects.get(db, project_id)
    listed = projects.institutions_of(db, project_id)
    regions = projects.macroregions_of(db, project_id)
    return project_card(projects.ProjectDetails(project, listed, regions, (), ()))


def project_card(details: ProjectDetails) -> ProjectCard:
    """The card of a project."""
    p = details.projekt
    lead = details.lider
    return ProjectCard(
        nazwa=p.nazwa,
        skrot=p.skrot,
        program=p.program,
        wspolfinansowanie=p.wspolfinansowanie,
        od=p.od,
        do=p.do,
        lider=lead.nazwa if lead else None,
        partnerzy=tuple(i.nazwa + (f" ({i.opis})" if i.opis else "") for i in details.partnerzy),
        makroregiony=details.makroregiony,
    )


@dataclass(frozen=True)
class PersonRow:
    """A representative of an institution (staff work contact: name and position only)."""

    imie_nazwisko: str
    stanowisko: str | None


def _powiat_label(unit: Unit) -> str | None:
    if not unit.powiat or not unit.powiat_kod:
        return None
    # Cities with powiat rights have powiat codes 61-99.
    if int(unit.powiat_kod[2:]) >= 61:
        return f"miasto na prawach powiatu {unit.powiat}"
    return f"powiat {unit.powiat}"


def place(unit: Unit) -> Place:
    """The header fields of a gmina."""
    return Place(
        kod=unit.kod,
        nazwa=unit.nazwa,
        rodzaj=unit.rodzaj,
        powiat=_powiat_label(unit),
        wojewodztwo=unit.wojewodztwo,
    )


def _ids(values: Iterable[int]) -> str:
    # A list of ids as one JSON parameter, read in SQL with json_each(): one query.
    return json.dumps(sorted(set(values)))


def person_rows(rows: Iterable[dict[str, Any]]) -> tuple[PersonRow, ...]:
    people = {(r["imie_nazwisko"], r["stanowisko"]) for r in rows if r["imie_nazwisko"]}
    return tuple(
        PersonRow(name, position)
        for name, position in sorted(people, key=lambda p: (polish_key(p[0]), p[1] or ""))
    )


def representatives(db: Database, ids: Sequence[int]) -> dict[int, tuple[PersonRow, ...]]:
    rows = db.query(
        """
        SELECT instytucja, imie_nazwisko, stanowisko FROM osoby
        WHERE instytucja IN (SELECT value FROM json_each(:ids))
        """,
        {"ids": _ids(ids)},
    )
    by_institution: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_institution.setdefault(row["instytucja"], []).append(row)
    return {key: person_rows(value) for key, value in by_institution.items()}
