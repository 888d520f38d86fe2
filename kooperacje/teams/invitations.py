"""Who is invited to a meeting and bulk attendance marking (the invitation file: ics.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kooperacje.errors import InvalidInput
from kooperacje.register import institutions
from kooperacje.teams import meeting_teams, teams
from kooperacje.teams.attendance import INVITED, PRESENT, mark
from kooperacje.teams.meetings import Meeting, context_of, get

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class Invitation:
    """The outcome of `zapros`: newly invited, and those already on the list."""

    spotkanie: Meeting
    zaproszone: tuple[str, ...]  # institution names, newly invited
    juz_na_liscie: tuple[str, ...]  # already invited or with another status


def _chosen(
    db: Database, meeting: Meeting, refs: list[str], czlonkowie: bool, gmina: str | None
) -> list[institutions.Institution]:
    given = sum((bool(refs), czlonkowie, gmina is not None))
    if given != 1:
        raise InvalidInput(
            "wskaż, kogo zaprosić: podaj --instytucje I …, --czlonkowie albo --gmina G "
            "(jedno z nich)."
        )
    if refs:
        where = context_of(db, meeting)
        found: dict[int, institutions.Institution] = {}
        for ref in refs:
            institution = institutions.resolve(db, ref, where)
            found.setdefault(institution.id, institution)
        return list(found.values())
    if czlonkowie:
        day = dt.date.fromisoformat(meeting.data)
        members = [
            m
            for team_id in meeting_teams.team_ids(db, meeting.id)
            for m in teams.members_on(db, team_id, day)
        ]
        if not members:
            raise InvalidInput(
                f"zespół „{meeting.zespol_nazwa}” nie ma członków w dniu spotkania. "
                "Zaproś instytucje poleceniem: kooperacje spotkania zapros "
                f"{meeting.id} --gmina {meeting.gmina}."
            )
        return [institutions.get(db, i) for i in dict.fromkeys(m.instytucja for m in members)]
    found_in_gmina = institutions.list_(db, gmina=gmina)
    if not found_in_gmina:
        raise InvalidInput(
            f'w gminie "{gmina}" nie ma zapisanych instytucji. Dodaj je poleceniem: '
            "kooperacje instytucje dodaj."
        )
    return found_in_gmina


def invite(
    db: Database,
    meeting_id: int,
    *,
    instytucje: list[str] | None = None,
    czlonkowie: bool = False,
    gmina: str | None = None,
) -> Invitation:
    """Put institutions on the invitation list; those already on it keep their status."""
    meeting = get(db, meeting_id)
    chosen = _chosen(db, meeting, list(instytucje or []), czlonkowie, gmina)
    listed = {
        r["instytucja"]
        for r in db.query(
            "SELECT DISTINCT instytucja FROM obecnosci WHERE spotkanie = :s", {"s": meeting_id}
        )
    }
    new = [i for i in chosen if i.id not in listed]
    with db.atomic():
        for institution in new:
            mark(db, meeting_id, institution.id, None, INVITED)
    return Invitation(
        spotkanie=get(db, meeting_id),
        zaproszone=tuple(i.nazwa for i in new),
        juz_na_liscie=tuple(i.nazwa for i in chosen if i.id in listed),
    )


def mark_all_invited(db: Database, meeting_id: int) -> int:
    """Mark every still-invited institution present; returns how many changed."""
    get(db, meeting_id)
    with db.atomic():
        cursor = db.execute(
            "UPDATE obecnosci SET status = :p WHERE spotkanie = :s AND status = :z",
            {"p": PRESENT, "s": meeting_id, "z": INVITED},
        )
    return int(cursor.rowcount)
