"""The iCalendar (RFC 5545) invitation to a meeting, with the definition of Polish time.

The time-zone definition (VTIMEZONE) travels with the file, so calendar programs that
trust it rather than their own zone data (those built on vobject or ical.js) place the
meeting right. It is derived from the system's zone data and written in the form every
reader understands: one STANDARD and one DAYLIGHT rule (RRULE) when the changes follow a
yearly rule, else each change as its own RDATE line. Each change starts at the local
time in force before it (summer time begins at 02:00, ends at 03:00), as RFC 5545 says.
"""

from __future__ import annotations

import calendar as gregorian
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kooperacje.dates import POLISH_TIME_ZONE, polish_datetime, polish_zone
from kooperacje.teams.meetings import Meeting, get

if TYPE_CHECKING:
    from sqlite_utils import Database

# The fields an invitation shows: an edit of any of them is a new version of the event.
_INVITATION_FIELDS = ("data", "godzina", "miejsce", "adres", "rodzaj", "tytul", "opis")
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# How many years of changes the definition covers after the meeting's year.
_YEARS_AHEAD = 10


def ics(db: Database, meeting_id: int) -> bytes:
    """The meeting as an iCalendar invitation."""
    from icalendar import Calendar, Event

    meeting = get(db, meeting_id)
    calendar = Calendar()
    calendar.add("prodid", "-//kooperacje//PZK//PL")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    # The meeting's uuid keeps the identity stable, so re-sent invitations update the entry;
    # SEQUENCE tells the calendar which version of the meeting is the newer one.
    event.add("uid", f"{meeting.uuid}@kooperacje")
    event.add("sequence", edit_count(db, meeting_id))
    day = dt.date.fromisoformat(meeting.data)
    zone = polish_zone()
    if meeting.godzina:
        start = polish_datetime(day, meeting.godzina)
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(hours=2))
        if zone is not None:
            calendar.add_component(vtimezone(zone, POLISH_TIME_ZONE, day.year - 1))
    else:
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
    event.add("dtstamp", dt.datetime.now(dt.UTC))
    event.add("summary", f"{_title(meeting)} – {meeting.zespol_nazwa}")
    place = ", ".join(x for x in (meeting.miejsce, meeting.adres) if x)
    if place:
        event.add("location", place)
    joint = f", wspólne z: {meeting.inne_zespoly}" if meeting.inne_zespoly else ""
    description = [f"Spotkanie zespołu „{meeting.zespol_nazwa}” ({meeting.rodzaj_nazwa}{joint})."]
    if meeting.opis:
        description.append(meeting.opis)
    event.add("description", "\n\n".join(description))
    calendar.add_component(event)
    return bytes(calendar.to_ical())


def _title(meeting: Meeting) -> str:
    return meeting.tytul or f"{meeting.rodzaj_nazwa[:1].upper()}{meeting.rodzaj_nazwa[1:]}"


def edit_count(db: Database, meeting_id: int) -> int:
    """The meeting's SEQUENCE: how many changes of the invitation's fields the history holds.

    Every edit adds at least one, so a later version always has a higher number (two edits
    in the same second stay apart, which counting moments would not). Only the history
    since the meeting was added counts: a deleted meeting's number may be given again.
    """
    placeholders = ", ".join(f":f{n}" for n in range(len(_INVITATION_FIELDS)))
    row = db.execute(
        f"""
        SELECT count(*) FROM _zmiany
        WHERE tabela = 'spotkania' AND rekord = :id AND operacja = 'zmiana'
          AND pole IN ({placeholders})
          AND id > ifnull((SELECT max(id) FROM _zmiany WHERE tabela = 'spotkania'
                           AND rekord = :id AND operacja = 'dodanie'), 0)
        """,
        {"id": meeting_id} | {f"f{n}": name for n, name in enumerate(_INVITATION_FIELDS)},
    ).fetchone()
    return int(row[0])


@dataclass(frozen=True)
class _Change:
    """One change of a zone's offset: when (UTC), from which offset to which."""

    at: dt.datetime  # the first moment (UTC) of the new offset
    before: dt.timedelta
    after: dt.timedelta
    name: str
    summer: bool

    @property
    def onset(self) -> dt.datetime:
        """The change as RFC 5545 dates it: local time in the offset it ends."""
        return (self.at + self.before).replace(tzinfo=None)


def _changes(zone: dt.tzinfo, start: dt.datetime, end: dt.datetime) -> Iterator[_Change]:
    """Every change of the zone's UTC offset between two UTC moments, to the second."""
    day = dt.timedelta(days=1)
    moment, offset = start, start.astimezone(zone).utcoffset()
    while moment < end:
        following = moment + day
        new = following.astimezone(zone).utcoffset()
        if new != offset:
            low, high = moment, following  # offset at low, new at high
            while high - low > dt.timedelta(seconds=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            local = high.astimezone(zone)
            assert offset is not None and new is not None
            yield _Change(high, offset, new, local.tzname() or "", bool(local.dst()))
            offset = new
        moment = following


def _yearly_rule(onsets: list[dt.datetime]) -> str | None:
    """RRULE for onsets that fall on the same weekday of the same week of the same month
    at the same time every year ("last Sunday of March, 02:00"); None when they do not."""
    first = onsets[0]
    years = [onset.year for onset in onsets]
    if years != list(range(first.year, first.year + len(onsets))):
        return None
    if any(
        (o.month, o.time(), o.weekday()) != (first.month, first.time(), first.weekday())
        for o in onsets
    ):
        return None
    weekday = _WEEKDAYS[first.weekday()]
    if all(o.day + 7 > gregorian.monthrange(o.year, o.month)[1] for o in onsets):
        return f"FREQ=YEARLY;BYMONTH={first.month};BYDAY=-1{weekday}"
    weeks = {(o.day - 1) // 7 + 1 for o in onsets}
    if len(weeks) == 1:
        return f"FREQ=YEARLY;BYMONTH={first.month};BYDAY={weeks.pop()}{weekday}"
    return None


def vtimezone(zone: dt.tzinfo, tzid: str, since_year: int) -> Any:
    """The VTIMEZONE of `zone` from 1 January of `since_year` on (an icalendar component)."""
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

    start = dt.datetime(since_year, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(since_year + 2 + _YEARS_AHEAD, 1, 1, tzinfo=dt.UTC)
    kinds: dict[tuple[dt.timedelta, dt.timedelta, str, bool], list[dt.datetime]] = {}
    for change in _changes(zone, start, end):
        key = (change.before, change.after, change.name, change.summer)
        kinds.setdefault(key, []).append(change.onset)
    definition = Timezone()
    definition.add("tzid", tzid)
    if not kinds:  # no changes: one offset all along
        local = start.astimezone(zone)
        offset = local.utcoffset() or dt.timedelta()
        kinds[(offset, offset, local.tzname() or "", False)] = [start.replace(tzinfo=None)]
    for (before, after, name, summer), onsets in kinds.items():
        part = TimezoneDaylight() if summer else TimezoneStandard()
        part.add("tzname", name)
        part.add("tzoffsetfrom", before)
        part.add("tzoffsetto", after)
        part.add("dtstart", onsets[0])
        rule = _yearly_rule(onsets) if len(onsets) > 1 else None
        if rule is not None:
            part.add("rrule", vRecur.from_ical(rule))
        else:
            # One RDATE line per date: some readers take only the first of a list.
            for onset in onsets[1:]:
                part.add("rdate", onset)
        definition.add_component(part)
    return definition
