"""Projects behind the teams: name as typed, programme, period, leader and partners,
macroregions, the local governments taking part, and the teams. Adding and editing one is in
`project_edits`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kooperacje.errors import Ambiguous, InvalidInput, NotFound
from kooperacje.text import fold, polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class Project:
    """One row of `projekty`."""

    id: int
    uuid: str
    nazwa: str  # exactly as typed
    skrot: str | None
    program: str | None
    wspolfinansowanie: str | None  # the statement the project's documents carry
    od: str | None  # ISO date
    do: str | None  # ISO date
    uwagi: str | None

    @property
    def label(self) -> str:
        """'„Kooperacje 3D – …” (Kooperacje 3D, nr 1)'."""
        short = f"{self.skrot}, " if self.skrot else ""
        return f"„{self.nazwa}” ({short}nr {self.id})"


@dataclass(frozen=True)
class ProjectInstitution:
    """The leader or a partner of a project."""

    instytucja: int
    nazwa: str
    skrot: str | None
    gmina: str
    gmina_nazwa: str
    rola: str  # lider | partner
    opis: str | None  # the role in words


@dataclass(frozen=True)
class Unit:
    """A gmina or powiat taking part in a project."""

    kod: str
    nazwa: str
    rodzaj: str  # "gmina miejska", "powiat"…


@dataclass(frozen=True)
class ProjectTeam:
    """A team of the project."""

    id: int
    nazwa: str
    gmina: str
    gmina_nazwa: str


@dataclass(frozen=True)
class ProjectDetails:
    """A project with everything attached to it."""

    projekt: Project
    instytucje: tuple[ProjectInstitution, ...]  # the leader first, then partners A–Z
    makroregiony: tuple[str, ...]  # "I", "II", "III"
    jst: tuple[Unit, ...]  # powiats, then gminas, by code
    zespoly: tuple[ProjectTeam, ...]

    @property
    def lider(self) -> ProjectInstitution | None:
        return next((i for i in self.instytucje if i.rola == "lider"), None)

    @property
    def partnerzy(self) -> tuple[ProjectInstitution, ...]:
        return tuple(i for i in self.instytucje if i.rola == "partner")


@dataclass(frozen=True)
class ProjectSummary(Project):
    """A project with the figures of `projekty lista`."""

    lider: str | None  # the leader's name
    partnerzy: int
    zespoly: int


SELECT = """
    SELECT p.id, p.uuid, p.nazwa, p.skrot, p.program, p.wspolfinansowanie, p.od, p.do, p.uwagi
    FROM projekty p
"""


def get(db: Database, project_id: int) -> Project:
    rows = list(db.query(SELECT + " WHERE p.id = :id", {"id": project_id}))
    if not rows:
        raise NotFound(
            f"nie ma projektu o numerze {project_id}. "
            "Sprawdź numer poleceniem: kooperacje projekty lista."
        )
    return Project(**rows[0])


def _key(text: str) -> str:
    # Dashes typed as "-", "–" or "—" are the same to a reader.
    return " ".join(fold(text).replace("–", "-").replace("—", "-").split())


def resolve(db: Database, text: str) -> Project:
    """A project by number, short name, full name or a unique beginning of the name
    (case- and diacritics-insensitive)."""
    value = text.strip()
    if not value:
        raise InvalidInput("podaj projekt: jego numer, skrót albo nazwę.")
    if value.isdigit():
        return get(db, int(value))
    projects = [Project(**r) for r in db.query(SELECT + " ORDER BY p.id")]
    key = _key(value)
    found = [p for p in projects if p.skrot and _key(p.skrot) == key]
    found = found or [p for p in projects if _key(p.nazwa) == key]
    if not found and len(key) >= 4:
        found = [p for p in projects if _key(p.nazwa).startswith(key)]
    if len(found) == 1:
        return found[0]
    if found:
        listing = "; ".join(f"{p.id}: {p.nazwa}" for p in found)
        raise Ambiguous(
            f'projekt "{value}" jest niejednoznaczny: {listing}. Podaj numer albo skrót projektu.'
        )
    raise NotFound(
        f'nie ma projektu "{value}". Dodaj go poleceniem: kooperacje projekty dodaj '
        f'"PEŁNA NAZWA" --skrot "{value}" (lista projektów: kooperacje projekty lista).'
    )


def list_(db: Database) -> list[ProjectSummary]:
    """Every project with its leader and numbers of partners and teams, by name."""
    rows = db.query(
        """
        SELECT p.id, p.uuid, p.nazwa, p.skrot, p.program, p.wspolfinansowanie, p.od, p.do,
               p.uwagi,
               (SELECT i.nazwa FROM projekty_instytucje pi JOIN instytucje i ON i.id = pi.instytucja
                 WHERE pi.projekt = p.id AND pi.rola = 'lider') AS lider,
               (SELECT count(*) FROM projekty_instytucje pi
                 WHERE pi.projekt = p.id AND pi.rola = 'partner') AS partnerzy,
               (SELECT count(*) FROM zespoly z WHERE z.projekt = p.id) AS zespoly
        FROM projekty p
        """
    )
    return sorted((ProjectSummary(**r) for r in rows), key=lambda p: (polish_key(p.nazwa), p.id))


def institutions_of(db: Database, project_id: int) -> tuple[ProjectInstitution, ...]:
    rows = db.query(
        """
        SELECT pi.instytucja, i.nazwa, i.skrot, i.gmina, g.nazwa AS gmina_nazwa, pi.rola, pi.opis
        FROM projekty_instytucje pi
        JOIN instytucje i ON i.id = pi.instytucja
        JOIN teryt g ON g.kod = i.gmina
        WHERE pi.projekt = :p
        """,
        {"p": project_id},
    )
    return tuple(
        sorted(
            (ProjectInstitution(**r) for r in rows),
            key=lambda i: (i.rola != "lider", polish_key(i.nazwa), i.instytucja),
        )
    )


def macroregions_of(db: Database, project_id: int) -> tuple[str, ...]:
    return tuple(
        str(r["makroregion"])
        for r in db.query(
            "SELECT makroregion FROM projekty_makroregiony WHERE projekt = :p "
            "ORDER BY length(makroregion), makroregion",
            {"p": project_id},
        )
    )


def details_of(db: Database, project: Project) -> ProjectDetails:
    """The project with its institutions, macroregions, local governments and teams."""
    params = {"p": project.id}
    regions = macroregions_of(db, project.id)
    units = tuple(
        Unit(**r)
        for r in db.query(
            "SELECT t.kod, t.nazwa, t.rodzaj FROM projekty_jst j JOIN teryt t ON t.kod = j.teryt "
            "WHERE j.projekt = :p ORDER BY length(t.kod), t.kod",
            params,
        )
    )
    teams = sorted(
        (
            ProjectTeam(**r)
            for r in db.query(
                "SELECT z.id, z.nazwa, z.gmina, g.nazwa AS gmina_nazwa FROM zespoly z "
                "JOIN teryt g ON g.kod = z.gmina WHERE z.projekt = :p",
                params,
            )
        ),
        key=lambda t: (polish_key(t.gmina_nazwa), t.gmina),
    )
    return ProjectDetails(project, institutions_of(db, project.id), regions, units, tuple(teams))


def details(db: Database, ref: str) -> ProjectDetails:
    """The project named by ref (number, short name or name), with what is attached to it."""
    return details_of(db, resolve(db, ref))


def of_teams(db: Database, team_ids: list[int]) -> dict[int, ProjectDetails]:
    """The project of each of these teams that has one."""
    rows = db.query(
        "SELECT id, projekt FROM zespoly WHERE projekt IS NOT NULL "
        "AND id IN (SELECT value FROM json_each(:ids))",
        {"ids": json.dumps(team_ids)},
    )
    cache: dict[int, ProjectDetails] = {}
    out: dict[int, ProjectDetails] = {}
    for row in rows:
        project_id = int(row["projekt"])
        if project_id not in cache:
            cache[project_id] = details_of(db, get(db, project_id))
        out[int(row["id"])] = cache[project_id]
    return out
