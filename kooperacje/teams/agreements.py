"""Cooperation agreements (porozumienia): parties, subject, project, status and dates.

An agreement concerns a team when one of its parties is the team's gmina or powiat, or an
institution that is the team's leader or a member on the day. Adding and editing one is in
`agreement_edits`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kooperacje.errors import InvalidInput, NotFound
from kooperacje.register import teryt
from kooperacje.register.vocab import Vocabulary
from kooperacje.teams import teams
from kooperacje.teams.teams import Team
from kooperacje.text import fold, polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database

PLANNED, SIGNED = "planowane", "podpisane"
STATUSES = Vocabulary(
    "porozumienia",
    "status porozumienia",
    (
        ("planowane", "planowane"),
        ("podpisane", "podpisane"),
        ("wygasle", "wygasłe"),
        ("rozwiazane", "rozwiązane"),
    ),
    "nieznany status porozumienia",
)


@dataclass(frozen=True)
class Agreement:
    """One row of `porozumienia`, with the names a user reads."""

    id: int
    uuid: str
    nazwa: str
    przedmiot: str | None
    projekt: int | None
    projekt_nazwa: str | None
    status: str  # planowane | podpisane | wygasle | rozwiazane
    termin_podpisania: str | None  # ISO date by which it is to be signed
    data_podpisania: str | None
    obowiazuje_od: str | None
    obowiazuje_do: str | None
    oryginal: str | None  # where the signed original is kept
    uwagi: str | None

    @property
    def status_nazwa(self) -> str:
        return STATUSES.label(self.status)

    def po_terminie(self, day: dt.date) -> bool:
        """Still planned after the day by which it was to be signed."""
        return (
            self.status == PLANNED
            and self.termin_podpisania is not None
            and self.termin_podpisania < day.isoformat()
        )


@dataclass(frozen=True)
class Party:
    """A party to an agreement: an institution of the register or a local government."""

    instytucja: int | None
    jst: str | None  # TERYT code
    nazwa: str  # the institution's name, or "Gmina Radomsko (gmina miejska)", "Powiat nakielski"
    skrot: str | None
    adres: str | None  # the institution's address when known
    gmina_nazwa: str | None  # the institution's seat


@dataclass(frozen=True)
class AgreementDetails:
    """An agreement with its parties (institutions A–Z, then local governments by code)."""

    porozumienie: Agreement
    strony: tuple[Party, ...]


SELECT = """
    SELECT a.id, a.uuid, a.nazwa, a.przedmiot, a.projekt, p.nazwa AS projekt_nazwa, a.status,
           a.termin_podpisania, a.data_podpisania, a.obowiazuje_od, a.obowiazuje_do,
           a.oryginal, a.uwagi
    FROM porozumienia a
    LEFT JOIN projekty p ON p.id = a.projekt
"""


def get(db: Database, agreement_id: int) -> Agreement:
    rows = list(db.query(SELECT + " WHERE a.id = :id", {"id": agreement_id}))
    if not rows:
        raise NotFound(
            f"nie ma porozumienia o numerze {agreement_id}. "
            "Sprawdź numer poleceniem: kooperacje porozumienia lista."
        )
    return Agreement(**rows[0])


def resolve(db: Database, text: str) -> Agreement:
    """An agreement by number or by its exact title (case- and diacritics-insensitive)."""
    value = text.strip()
    if not value:
        raise InvalidInput("podaj porozumienie: jego numer albo tytuł.")
    if value.isdigit():
        return get(db, int(value))
    rows = [r for r in db.query(SELECT + " ORDER BY a.id") if fold(r["nazwa"]) == fold(value)]
    if len(rows) == 1:
        return Agreement(**rows[0])
    if rows:
        listing = ", ".join(str(r["id"]) for r in rows)
        raise InvalidInput(
            f'tytuł "{value}" mają porozumienia nr {listing}. Podaj numer porozumienia.'
        )
    raise NotFound(
        f'nie ma porozumienia "{value}". Sprawdź numer poleceniem: kooperacje porozumienia lista.'
    )


def unit_name(unit: teryt.Unit) -> str:
    """A local government as a party is named: 'Gmina Radomsko (gmina miejska)'."""
    return _unit_label(unit.poziom, unit.kod, unit.nazwa, unit.rodzaj)


def _unit_label(level: str, code: str, name: str, kind: str) -> str:
    if level == "gmina":
        return f"Gmina {name} ({kind})"
    if level == "powiat":
        # Cities with powiat rights have powiat codes 61–99.
        if int(code[2:]) >= 61:
            return f"Miasto na prawach powiatu {name}"
        return f"Powiat {name}"
    return f"Województwo {name.lower()}"


def parties(db: Database, ids: list[int]) -> dict[int, tuple[Party, ...]]:
    """The parties of each agreement (every id is a key), in two queries."""
    out: dict[int, list[Party]] = {i: [] for i in ids}
    rows = db.query(
        """
        SELECT s.porozumienie, s.instytucja, s.jst, i.nazwa, i.skrot, i.adres, i.kod_pocztowy,
               i.miejscowosc, g.nazwa AS gmina_nazwa,
               t.poziom, t.nazwa AS jst_nazwa, t.rodzaj AS jst_rodzaj
        FROM porozumienia_strony s
        LEFT JOIN instytucje i ON i.id = s.instytucja
        LEFT JOIN teryt g ON g.kod = i.gmina
        LEFT JOIN teryt t ON t.kod = s.jst
        WHERE s.porozumienie IN (SELECT value FROM json_each(:ids))
        """,
        {"ids": json.dumps(ids)},
    )
    units: list[tuple[int, str, str]] = []
    for r in rows:
        if r["instytucja"] is None:
            label = _unit_label(r["poziom"], r["jst"], r["jst_nazwa"], r["jst_rodzaj"])
            units.append((r["porozumienie"], r["jst"], label))
            continue
        town = " ".join(x for x in (r["kod_pocztowy"], r["miejscowosc"]) if x)
        address = ", ".join(x for x in (r["adres"], town) if x) or None
        out[r["porozumienie"]].append(
            Party(r["instytucja"], None, r["nazwa"], r["skrot"], address, r["gmina_nazwa"])
        )
    for agreement_id in out:
        out[agreement_id].sort(key=lambda p: (polish_key(p.nazwa), p.instytucja))
    for agreement_id, code, name in sorted(units, key=lambda u: (len(u[1]), u[1])):
        out[agreement_id].append(Party(None, code, name, None, None, None))
    return {key: tuple(value) for key, value in out.items()}


def details_of(db: Database, agreement: Agreement) -> AgreementDetails:
    return AgreementDetails(agreement, parties(db, [agreement.id])[agreement.id])


def details(db: Database, ref: str) -> AgreementDetails:
    """The agreement named by ref (number or title) with its parties."""
    return details_of(db, resolve(db, ref))


def _concerning(
    db: Database, team: Team, day: dt.date, members: list[int] | None = None
) -> list[int]:
    """Numbers of the agreements that concern the team on the day (`members`: the team's
    members on that day, when the caller knows them)."""
    if members is None:
        members = [m.instytucja for m in teams.members_on(db, team.id, day)]
    members = list(members)
    if team.lider is not None:
        members.append(team.lider)
    area = team.obszar_kody
    units = [u for u in (team.gmina, team.powiat, *area, *(c[:4] for c in area)) if u]
    rows = db.query(
        """
        SELECT DISTINCT porozumienie FROM porozumienia_strony
        WHERE jst IN (SELECT value FROM json_each(:units))
           OR instytucja IN (SELECT value FROM json_each(:members))
        ORDER BY porozumienie
        """,
        {"units": json.dumps(units), "members": json.dumps(members)},
    )
    return [int(r["porozumienie"]) for r in rows]


def _ordered(found: list[Agreement]) -> list[Agreement]:
    # By the date that matters: signed, else due, else none (last).
    return sorted(found, key=lambda a: (a.data_podpisania or a.termin_podpisania or "9999", a.id))


def for_team(
    db: Database, team: Team, day: dt.date | None = None, members: list[int] | None = None
) -> list[AgreementDetails]:
    """The agreements that concern a team, with their parties, oldest first."""
    ids = _concerning(db, team, day or dt.date.today(), members)
    found = _ordered(
        [Agreement(**r) for r in db.query(SELECT + _in_ids(), {"ids": json.dumps(ids)})]
    )
    listed = parties(db, [a.id for a in found])
    return [AgreementDetails(a, listed[a.id]) for a in found]


def _in_ids() -> str:
    return " WHERE a.id IN (SELECT value FROM json_each(:ids))"


@dataclass(frozen=True)
class AgreementRow(Agreement):
    """An agreement in a listing: how many parties, and whether it is overdue."""

    strony: int = 0
    po_terminie_dzis: bool = False


def list_(
    db: Database,
    *,
    gmina: str | None = None,
    zespol: str | None = None,
    status: str | None = None,
    today: dt.date | None = None,
) -> list[AgreementRow]:
    """Agreements, oldest first; of one team (--gmina or --zespol) or with one status."""
    day = today or dt.date.today()
    if gmina is not None or zespol is not None:
        team = teams.team_of(db, gmina=gmina, zespol=zespol)
        ids = _concerning(db, team, day)
        rows: list[dict[str, Any]] = list(db.query(SELECT + _in_ids(), {"ids": json.dumps(ids)}))
    else:
        rows = list(db.query(SELECT))
    found = [Agreement(**r) for r in rows]
    if status is not None:
        code = STATUSES.parse(status)
        found = [a for a in found if a.status == code]
    counts = {i: len(p) for i, p in parties(db, [a.id for a in found]).items()}
    return [
        AgreementRow(**vars(a), strony=counts[a.id], po_terminie_dzis=a.po_terminie(day))
        for a in _ordered(found)
    ]


def overdue(db: Database, team: Team, day: dt.date) -> list[AgreementDetails]:
    """The team's agreements still planned after the day they were to be signed by."""
    return [d for d in for_team(db, team, day) if d.porozumienie.po_terminie(day)]
