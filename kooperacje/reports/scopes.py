"""Which teams a summary covers (all, a voivodeship, a macroregion, a project) and when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kooperacje.errors import InvalidInput, NotFound
from kooperacje.teams import projects
from kooperacje.text import fold

if TYPE_CHECKING:
    from sqlite_utils import Database

MACROREGIONS = ("I", "II", "III")
_ROMAN = {"1": "I", "2": "II", "3": "III"}


@dataclass(frozen=True)
class Scope:
    """Which teams a summary covers: all, or those of one voivodeship, macroregion or project."""

    rodzaj: str  # wszystkie | wojewodztwo | makroregion | projekt
    wartosc: str | None  # voivodeship code, macroregion numeral or project number
    nazwa: str  # "województwo łódzkie", "makroregion III", "projekt „Kooperacje 3D…”"


ALL = Scope("wszystkie", None, "wszystkie zespoły")


def period(od: dt.date | None, do: dt.date | None) -> tuple[str | None, str]:
    """The period as ISO strings; the end defaults to today and may not precede the start."""
    end = do or dt.date.today()
    if od is not None and od > end:
        raise InvalidInput(
            f"początek okresu ({od.isoformat()}) jest późniejszy niż jego koniec "
            f"({end.isoformat()}). Popraw --od albo --do."
        )
    return (od.isoformat() if od else None), end.isoformat()


def scope(
    db: Database,
    *,
    wojewodztwo: str | None = None,
    makroregion: str | None = None,
    projekt: str | None = None,
) -> Scope:
    """The scope chosen by at most one of the three options."""
    given = [v for v in (wojewodztwo, makroregion, projekt) if v is not None]
    if len(given) > 1:
        raise InvalidInput(
            "podaj tylko jedno z: --wojewodztwo, --makroregion, --projekt (albo żadne: "
            "wszystkie zespoły)."
        )
    if wojewodztwo is not None:
        code, name = voivodeship(db, wojewodztwo)
        return Scope("wojewodztwo", code, f"województwo {name}")
    if makroregion is not None:
        value = makroregion.strip().upper()
        value = _ROMAN.get(value, value)
        if value not in MACROREGIONS:
            raise InvalidInput(f'nieznany makroregion "{makroregion}". Podaj I, II albo III.')
        return Scope("makroregion", value, f"makroregion {value}")
    if projekt is not None:
        return project_scope(projects.resolve(db, projekt))
    return ALL


def project_scope(project: projects.Project) -> Scope:
    """The teams of one project (the scope's value is the project's number)."""
    return Scope("projekt", str(project.id), f"projekt „{project.nazwa}”")


def voivodeship(db: Database, text: str) -> tuple[str, str]:
    """A voivodeship by 2-digit TERYT code or name ("lodzkie", "Łódzkie"): (code, name)."""
    value = text.strip()
    rows = list(
        db.query(
            "SELECT kod, nazwa FROM teryt WHERE poziom = 'wojewodztwo' "
            "AND (kod = :v OR pl_fold(nazwa) = :f OR pl_fold('województwo ' || nazwa) = :f)",
            {"v": value.zfill(2) if value.isdigit() else value, "f": fold(value)},
        )
    )
    if not rows:
        raise NotFound(
            f'nie ma województwa "{text}". Podaj 2-cyfrowy kod TERYT (np. 10) '
            "albo nazwę (np. łódzkie)."
        )
    # GUS writes voivodeship names in capitals; documents use lower case.
    return str(rows[0]["kod"]), str(rows[0]["nazwa"]).lower()
