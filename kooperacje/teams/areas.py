"""A team's area beyond its own gmina: other gminas, or powiats (the rural model's gmina
with its powiat). The team's gmina is always part of its area and is not listed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kooperacje.errors import InvalidInput
from kooperacje.register import teryt
from kooperacje.store.changes import Change

if TYPE_CHECKING:
    from sqlite_utils import Database


def label(unit: teryt.Unit) -> str:
    """'gmina Kcynia (0410013)', 'powiat nakielski (0410)'."""
    if unit.poziom == "powiat":
        return f"powiat {unit.nazwa} ({unit.kod})"
    return f"gmina {unit.nazwa} ({unit.kod})"


def unit(db: Database, text: str, own_gmina: str) -> teryt.Unit:
    """A gmina or powiat of a team's area, given by TERYT code (7 or 4 digits) or a gmina's
    name; the team's own gmina is refused (it is always in the area)."""
    found = teryt.resolve_area(db, text)
    if found.poziom not in ("gmina", "powiat"):
        raise InvalidInput(
            f"{found.kod} to {found.rodzaj} {found.nazwa}. Obszar zespołu tworzą gminy i powiaty: "
            "podaj kod gminy (7 cyfr) albo powiatu (4 cyfry)."
        )
    if found.kod == own_gmina:
        raise InvalidInput(
            f"gmina {found.nazwa} ({found.kod}) jest gminą zespołu i zawsze należy do jego "
            "obszaru. W --obszar podaj inne gminy albo powiat."
        )
    return found


def change(
    db: Database,
    team_id: int,
    own_gmina: str,
    added: Sequence[str] = (),
    removed: Sequence[str] = (),
) -> list[Change]:
    """Add units to the team's area and remove others, inside the caller's transaction."""
    out: list[Change] = []
    for text in added:
        found = unit(db, text, own_gmina)
        cursor = db.execute(
            "INSERT OR IGNORE INTO zespoly_obszar (zespol, teryt) VALUES (:z, :t)",
            {"z": team_id, "t": found.kod},
        )
        if cursor.rowcount:
            out.append(Change("obszar", None, label(found)))
    for text in removed:
        found = unit(db, text, own_gmina)
        cursor = db.execute(
            "DELETE FROM zespoly_obszar WHERE zespol = :z AND teryt = :t",
            {"z": team_id, "t": found.kod},
        )
        if not cursor.rowcount:
            raise InvalidInput(
                f"{label(found)} nie należy do obszaru zespołu nr {team_id}. Obszar pokaże "
                f"polecenie: kooperacje zespoly pokaz {team_id}."
            )
        out.append(Change("obszar", label(found), None))
    return out


def labels(db: Database, codes: Sequence[str]) -> tuple[str, ...]:
    """The units of an area as a report names them, powiats first."""
    ordered = sorted(codes, key=lambda c: (len(c), c))
    return tuple(label(teryt.get_unit(db, code)) for code in ordered)
