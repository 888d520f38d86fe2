"""Dates as users type them and as Polish documents print them."""

from __future__ import annotations

import datetime as dt
import functools
import re

from kooperacje.errors import InvalidInput

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_PL = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s*r\.?)?$")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")


def parse_date(text: str) -> dt.date:
    """Parse `2019-09-25` or `25.09.2019`; anything else is an InvalidInput."""
    value = text.strip()
    match = _ISO.match(value)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _PL.match(value)
        if not match:
            raise InvalidInput(
                f'niepoprawna data "{text}". Podaj datę jako RRRR-MM-DD (np. 2019-09-25) '
                "albo DD.MM.RRRR (np. 25.09.2019)."
            )
        day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise InvalidInput(
            f'data "{text}" nie istnieje w kalendarzu. Sprawdź dzień i miesiąc.'
        ) from None


def parse_time(text: str) -> str:
    """Parse `HH:MM` (or `HH.MM`) and return it normalised as `HH:MM`."""
    match = _TIME.match(text.strip())
    if match:
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour < 24 and minute < 60:
            return f"{hour:02d}:{minute:02d}"
    raise InvalidInput(f'niepoprawna godzina "{text}". Podaj ją jako GG:MM, np. 10:00.')


@functools.lru_cache(maxsize=4096)
def polish_date(value: dt.date | str) -> str:
    """'9 października 2019 r.': the form Polish documents use."""
    from babel.dates import format_date

    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{format_date(day, 'd MMMM y', locale='pl_PL')} r."


# Cooperation teams date from the 2000s; a year 1919 or 2091 is a typing slip.
EARLIEST_EVENT = dt.date(2000, 1, 1)


def parse_event_date(text: str, *, today: dt.date | None = None) -> dt.date:
    """Parse the date of a team's event (declaration, meeting, founding).

    Accepts what parse_date accepts, from 2000-01-01 up to one year after today.
    """
    day = parse_date(text)
    if day < EARLIEST_EVENT:
        raise InvalidInput(
            f'data "{text.strip()}" jest zbyt wczesna: przyjmowane są daty od 1 stycznia 2000 r. '
            "Sprawdź rok."
        )
    now = today or dt.date.today()
    try:
        limit = now.replace(year=now.year + 1)
    except ValueError:  # 29 February
        limit = now.replace(year=now.year + 1, day=28)
    if day > limit:
        raise InvalidInput(
            f'data "{text.strip()}" wypada ponad rok po dzisiejszej ({now.isoformat()}). '
            "Sprawdź rok."
        )
    return day


_MONTH_ISO = re.compile(r"^(\d{4})-(\d{1,2})$")
_MONTH_PL = re.compile(r"^(\d{1,2})\.(\d{4})$")


def parse_period_date(text: str, *, end: bool = False) -> dt.date:
    """A date bounding a period (a project's, an agreement's): a day as parse_date reads
    it, or a month (`2018-04`, `04.2018`) meaning its first day, or with end its last day.

    Years 2000–2099 only: such periods are planned years ahead, but not decades.
    """
    value = text.strip()
    match = _MONTH_ISO.match(value)
    month_year = (int(match.group(2)), int(match.group(1))) if match else None
    match = _MONTH_PL.match(value)
    if match:
        month_year = (int(match.group(1)), int(match.group(2)))
    if month_year is not None:
        month, year = month_year
        if not 1 <= month <= 12 or not 2000 <= year <= 2099:
            raise InvalidInput(
                f'miesiąc "{text.strip()}" nie istnieje albo jest spoza lat 2000–2099. '
                "Podaj np. 2018-04."
            )
        day = dt.date(year, month, 1)
        if end:
            following = dt.date(year + month // 12, month % 12 + 1, 1)
            day = following - dt.timedelta(days=1)
    elif _ISO.match(value) or _PL.match(value):
        # Written as a day: parse_date says what is wrong with it (31 February...).
        day = parse_date(value)
    else:
        raise InvalidInput(
            f'niepoprawna data "{text.strip()}". Podaj dzień (RRRR-MM-DD albo DD.MM.RRRR) '
            "albo miesiąc (RRRR-MM albo MM.RRRR), np. 2018-04."
        )
    if not EARLIEST_EVENT <= day < dt.date(2100, 1, 1):
        raise InvalidInput(f'data "{text.strip()}" jest spoza lat 2000–2099. Sprawdź rok.')
    return day


def parse_range(od: str | None, do: str | None) -> tuple[dt.date | None, dt.date | None]:
    """The dates of --od and --do (either may be missing), refused when the end comes first."""
    start = parse_date(od) if od is not None else None
    end = parse_date(do) if do is not None else None
    if start and end and start > end:
        raise InvalidInput(
            f"data początkowa ({start.isoformat()}) jest późniejsza niż końcowa "
            f"({end.isoformat()}). Zamień wartości --od i --do."
        )
    return start, end


def check_period(start: str | None, end: str | None) -> None:
    """Refuse a period (ISO dates, either may be missing) that ends before it starts."""
    if start is not None and end is not None and end < start:
        raise InvalidInput(
            f"koniec okresu ({polish_date(end)}) jest wcześniejszy niż jego początek "
            f"({polish_date(start)}). Popraw daty --od i --do."
        )


# Meetings happen in Poland: their times are Polish wall-clock times.
POLISH_TIME_ZONE = "Europe/Warsaw"


def polish_zone() -> dt.tzinfo | None:
    """Poland's time zone; None when the system has no time-zone data (then times float)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(POLISH_TIME_ZONE)
    except ZoneInfoNotFoundError:
        return None


def polish_datetime(day: dt.date, time: str) -> dt.datetime:
    """The moment `time` (HH:MM) on `day` in Poland, aware of the time zone.

    A time the clocks skip when summer time begins (02:00-02:59 on the last Sunday of
    March) does not exist and is refused. A time that occurs twice when it ends (02:00-02:59
    on the last Sunday of October) means its first occurrence, still in summer time, as
    iCalendar (RFC 5545, 3.3.5) reads it.
    """
    hour, minute = (int(part) for part in time.split(":"))
    naive = dt.datetime(day.year, day.month, day.day, hour, minute)
    zone = polish_zone()
    if zone is None:
        return naive
    aware = naive.replace(tzinfo=zone, fold=0)
    # A skipped time does not survive the round trip through UTC.
    if aware.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise InvalidInput(
            f"godzina {time} nie istnieje {polish_date(day)}: tej nocy zegary przestawia się "
            "z 2:00 na 3:00 (początek czasu letniego). Podaj godzinę przed 2:00 albo od 3:00."
        )
    return aware
