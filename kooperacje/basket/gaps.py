"""What is missing (luki): sectors with no member, areas and groups with no service,
services nobody has verified for a long time."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kooperacje.basket import basket
from kooperacje.errors import InvalidInput, NotFound
from kooperacje.register import teryt
from kooperacje.register.teryt import Unit
from kooperacje.register.vocab import CORE_SECTORS, SECTORS, SERVICE_AREAS, TARGET_GROUPS
from kooperacje.teams import agreements, teams
from kooperacje.teams.agreements import Agreement
from kooperacje.teams.teams import Team
from kooperacje.text import polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database


DEFAULT_MONTHS = 12


@dataclass(frozen=True)
class Missing:
    """A vocabulary entry nobody covers; kluczowy marks the core five sectors."""

    kod: str
    nazwa: str
    kluczowy: bool = False


@dataclass(frozen=True)
class Unverified:
    """An active service of the basket whose entry was not checked recently."""

    id: int
    nazwa: str
    instytucja_nazwa: str
    zweryfikowano: str | None  # ISO date of the last check; None: never checked
    zweryfikowal: str | None


@dataclass(frozen=True)
class Gaps:
    """The gaps of a gmina's basket and, when the gmina has a team, of its membership."""

    gmina: Unit
    zespol: Team | None
    stan_na: str  # ISO date
    miesiace: int
    sektory: tuple[Missing, ...] | None  # None: the gmina has no team
    obszary: tuple[Missing, ...]
    grupy: tuple[Missing, ...]
    niezweryfikowane: tuple[Unverified, ...]  # never checked first, then the oldest check
    # The team's agreements still planned after the day they were to be signed by.
    porozumienia: tuple[Agreement, ...] = ()

    @property
    def brak_luk(self) -> bool:
        return not (
            self.sektory or self.obszary or self.grupy or self.niezweryfikowane or self.porozumienia
        )


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` months earlier (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def missing_sectors(db: Database, team: Team, day: dt.date) -> tuple[Missing, ...]:
    """Sectors with no member of the team on the day; the core five first."""
    covered = {m.sektor for m in teams.members_on(db, team.id, day)}
    gaps = [
        Missing(code, label, code in CORE_SECTORS)
        for code, label in SECTORS.items
        if code not in covered
    ]
    return tuple(sorted(gaps, key=lambda m: not m.kluczowy))


def find(
    db: Database,
    *,
    gmina: str | None = None,
    zespol: str | None = None,
    miesiace: int = DEFAULT_MONTHS,
    today: dt.date | None = None,
) -> Gaps:
    """The gaps of a gmina (given as raw input) or of a team and its gmina."""
    if (gmina is None) == (zespol is None):
        raise InvalidInput("wskaż gminę albo zespół: podaj --gmina G albo --zespol Z.")
    if miesiace < 1:
        raise InvalidInput(f"liczba miesięcy musi być dodatnia (podano {miesiace}). Podaj np. 12.")
    team: Team | None
    if zespol is not None:
        team = teams.resolve(db, zespol)
        unit = teryt.get_unit(db, team.gmina)
    else:
        unit = teryt.resolve_gmina(db, gmina or "")
        try:
            team = teams.for_gmina(db, unit.kod)
        except NotFound:
            team = None
    return for_unit(db, unit, team, miesiace=miesiace, today=today)


def for_unit(
    db: Database,
    unit: Unit,
    team: Team | None,
    *,
    miesiace: int = DEFAULT_MONTHS,
    today: dt.date | None = None,
) -> Gaps:
    """The gaps of a resolved gmina and its team (if any), as on `today`."""
    day = today or dt.date.today()
    services = basket.basket(db, unit)
    areas = {s.obszar for s in services}
    groups = {g for s in services for g in s.grupy}
    cutoff = months_before(day, miesiace).isoformat()
    stale = [
        Unverified(s.id, s.nazwa, s.instytucja_nazwa, s.zweryfikowano, s.zweryfikowal)
        for s in services
        if s.zweryfikowano is None or s.zweryfikowano < cutoff
    ]
    stale.sort(
        key=lambda u: (u.zweryfikowano is not None, u.zweryfikowano or "", polish_key(u.nazwa))
    )
    return Gaps(
        gmina=unit,
        zespol=team,
        stan_na=day.isoformat(),
        miesiace=miesiace,
        sektory=None if team is None else missing_sectors(db, team, day),
        obszary=tuple(Missing(c, n) for c, n in SERVICE_AREAS.items if c not in areas),
        # "inne" is the catch-all group: no service is missing for it.
        grupy=tuple(
            Missing(c, n) for c, n in TARGET_GROUPS.items if c not in groups and c != "inne"
        ),
        niezweryfikowane=tuple(stale),
        porozumienia=()
        if team is None
        else tuple(d.porozumienie for d in agreements.overdue(db, team, day)),
    )
