"""Who is invited to a meeting, bulk attendance marking, and the iCalendar invitation."""

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


def ics(db: Database, meeting_id: int) -> bytes:
    """The meeting as an iCalendar (RFC 5545) invitation."""
    from icalendar import Calendar, Event

    meeting = get(db, meeting_id)
    calendar = Calendar()
    calendar.add("prodid", "-//kooperacje//PZK//PL")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    # The meeting's uuid keeps the identity stable, so re-sent invitations update the entry.
    event.add("uid", f"{meeting.uuid}@kooperacje")
    day = dt.date.fromisoformat(meeting.data)
    if meeting.godzina:
        hour, minute = (int(x) for x in meeting.godzina.split(":"))
        start = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=_warsaw())
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(hours=2))
    else:
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
    event.add("dtstamp", dt.datetime.now(dt.UTC))
    title = meeting.tytul or f"{meeting.rodzaj_nazwa[:1].upper()}{meeting.rodzaj_nazwa[1:]}"
    event.add("summary", f"{title} – {meeting.zespol_nazwa}")
    place = ", ".join(x for x in (meeting.miejsce, meeting.adres) if x)
    if place:
        event.add("location", place)
    joint = f", wspólne z: {meeting.inne_zespoly}" if meeting.inne_zespoly else ""
    description = [f"Spotkanie zespołu „{meeting.zespol_nazwa}” ({meeting.rodzaj_nazwa}{joint})."]
    if meeting.opis:
        description.append(meeting.opis)
    event.add("description", "\n\n".join(description))
    calendar.add_component(event)
    # The VTIMEZONE definition travels with the file: calendar programs need no lookup.
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _warsaw() -> dt.tzinfo | None:
    """Poland's time zone; without the system's zone data, floating local time."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo("Europe/Warsaw")
    except ZoneInfoNotFoundError:
        return None
