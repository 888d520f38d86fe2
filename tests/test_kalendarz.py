"""The calendar invitation read by independent parsers, through its own time-zone definition.

vobject (and ical.js) trust the VTIMEZONE in the file rather than their own zone data, so
the definition must be right: these tests read the start of a meeting through it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from kooperacje.teams import ics
from tests import factories
from tests.conftest import Result, snapshot

Run = Callable[..., Result]
Query = Callable[..., list[tuple[object, ...]]]
WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.fixture
def team(db_path: Path) -> int:
    conn = factories.connect(db_path)
    team_id = factories.team(conn, "1012011", "PZK Radomsko")
    conn.close()
    return team_id


def _add(run: Run, data: str, godzina: str, miejsce: str = "Galeria Muzeum") -> Result:
    return run(
        "spotkania", "dodaj", "--gmina", "1012011", "--data", data, "--godzina", godzina,
        "--rodzaj", "posiedzenie", "--miejsce", miejsce,
    )  # fmt: skip


def _ics(run: Run, meeting: int = 1) -> str:
    result = run("spotkania", "ics", str(meeting))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _vobject_start(text: str) -> dt.datetime:
    import vobject

    calendar = vobject.readOne(text)
    start: dt.datetime = calendar.vevent.dtstart.value
    return start.astimezone(dt.UTC)


def _icalendar_start(text: str) -> dt.datetime:
    """The start through the file's own VTIMEZONE (not icalendar's zone database)."""
    from icalendar import Calendar

    calendar = Calendar.from_ical(text)
    definition: Any = calendar.walk("VTIMEZONE")[0]
    zone = definition.to_tz()
    start = calendar.walk("VEVENT")[0].decoded("dtstart")
    return start.replace(tzinfo=zone).astimezone(dt.UTC)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("data", "godzina", "utc"),
    [
        ("2019-09-25", "10:00", dt.datetime(2019, 9, 25, 8, 0, tzinfo=dt.UTC)),  # summer
        ("2020-02-11", "10:00", dt.datetime(2020, 2, 11, 9, 0, tzinfo=dt.UTC)),  # winter
        ("2020-03-29", "03:00", dt.datetime(2020, 3, 29, 1, 0, tzinfo=dt.UTC)),  # first summer
        ("2020-03-29", "01:59", dt.datetime(2020, 3, 29, 0, 59, tzinfo=dt.UTC)),  # last winter
        ("2020-10-25", "03:00", dt.datetime(2020, 10, 25, 2, 0, tzinfo=dt.UTC)),  # first winter
        # Twice that night: the first occurrence (summer time), as RFC 5545 reads it.
        ("2020-10-25", "02:30", dt.datetime(2020, 10, 25, 0, 30, tzinfo=dt.UTC)),
    ],
)
def test_start_in_utc_through_the_files_own_time_zone(
    run: Run, team: int, data: str, godzina: str, utc: dt.datetime
) -> None:
    assert _add(run, data, godzina).exit_code == 0
    text = _ics(run)
    assert _vobject_start(text) == utc
    assert _icalendar_start(text) == utc


def test_time_zone_definition_has_yearly_rules_starting_at_local_time_before_the_change(
    run: Run, team: int
) -> None:
    from icalendar import Calendar

    assert _add(run, "2020-02-11", "10:00").exit_code == 0
    text = _ics(run)
    zone: Any = Calendar.from_ical(text).walk("VTIMEZONE")[0]
    assert str(zone["tzid"]) == "Europe/Warsaw"
    (summer,) = zone.walk("DAYLIGHT")
    (winter,) = zone.walk("STANDARD")
    # Summer time begins at 02:00 winter time, ends at 03:00 summer time.
    assert summer.decoded("dtstart") == dt.datetime(2019, 3, 31, 2, 0)
    assert summer["tzoffsetfrom"].td == dt.timedelta(hours=1)
    assert summer["tzoffsetto"].td == dt.timedelta(hours=2)
    assert winter.decoded("dtstart") == dt.datetime(2019, 10, 27, 3, 0)
    assert winter["tzoffsetfrom"].td == dt.timedelta(hours=2)
    assert winter["tzoffsetto"].td == dt.timedelta(hours=1)
    assert summer["rrule"].to_ical() == b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"
    assert winter["rrule"].to_ical() == b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"
    assert "RDATE" not in text and "COMMENT" not in text


def test_every_hour_of_three_years_reads_as_the_zone_data_says(run: Run, team: int) -> None:
    """The definition in the file agrees with zoneinfo at every hour of 2019-2021."""
    import vobject

    assert _add(run, "2020-02-11", "10:00").exit_code == 0
    zone = vobject.readOne(_ics(run)).vtimezone.gettzinfo()
    moment = dt.datetime(2019, 1, 1)
    while moment < dt.datetime(2022, 1, 1):
        if (
            moment.replace(tzinfo=WARSAW).astimezone(dt.UTC).astimezone(WARSAW).replace(tzinfo=None)
            == moment
        ):  # skip the hour the clocks jump over
            expected = moment.replace(tzinfo=WARSAW).utcoffset()
            assert moment.replace(tzinfo=zone).utcoffset() == expected, moment
        moment += dt.timedelta(hours=1)


def test_changes_that_follow_no_yearly_rule_are_separate_rdate_lines() -> None:
    """Before 1996 summer time in Poland ended in September, and in 1988-1995 the clocks
    changed at another hour: no single rule, so each change gets its own RDATE line."""
    import vobject
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//test//PL")
    calendar.add("version", "2.0")
    calendar.add_component(ics.vtimezone(WARSAW, "Europe/Warsaw", 1985))
    text = calendar.to_ical().decode()
    rdates = [line for line in text.splitlines() if line.startswith("RDATE")]
    assert rdates and all("," not in line for line in rdates)
    zone = vobject.readOne(text).vtimezone.gettzinfo()
    for moment in (dt.datetime(1990, 9, 29, 12), dt.datetime(1990, 10, 10, 12)):
        assert moment.replace(tzinfo=zone).utcoffset() == moment.replace(tzinfo=WARSAW).utcoffset()


def test_zone_without_changes_has_one_standard_observance() -> None:
    zone: Any = ics.vtimezone(ZoneInfo("Asia/Tokyo"), "Asia/Tokyo", 2019)
    assert [part.name for part in zone.subcomponents] == ["STANDARD"]
    assert zone.subcomponents[0]["tzoffsetto"].td == dt.timedelta(hours=9)


def test_no_english_in_the_file(run: Run, team: int) -> None:
    assert _add(run, "2019-09-25", "10:00").exit_code == 0
    text = _ics(run)
    for word in ("This", "timezone", "only works", "COMMENT"):
        assert word not in text
    assert "PRODID:-//kooperacje//PZK//PL" in text


def test_sequence_counts_the_edits_of_what_the_invitation_shows(
    run: Run, team: int, query: Query
) -> None:
    from icalendar import Calendar

    def sequence() -> int:
        event: Any = Calendar.from_ical(_ics(run)).walk("VEVENT")[0]
        return int(event["sequence"])

    assert _add(run, "2019-09-25", "10:00").exit_code == 0
    assert sequence() == 0
    assert run("spotkania", "edytuj", "1", "--godzina", "11:00").exit_code == 0
    assert sequence() == 1
    # Each changed field is one recorded change: the number only grows.
    assert (
        run("spotkania", "edytuj", "1", "--miejsce", "MOPS", "--adres", "ul. Tkacka 5").exit_code
        == 0
    )
    assert sequence() == 3
    assert run("spotkania", "edytuj", "1", "--godzina", "12:00").exit_code == 0
    assert sequence() == 4
    # Decisions are not in the invitation: no new version.
    assert run("spotkania", "edytuj", "1", "--ustalenia", "Powołano grupę.").exit_code == 0
    assert sequence() == 4
    # Nothing changed: no new version either.
    assert run("spotkania", "edytuj", "1", "--godzina", "12:00").exit_code == 0
    assert sequence() == 4
    assert query(
        "SELECT count(*) FROM _zmiany WHERE tabela = 'spotkania' AND operacja = 'zmiana'"
    ) == [(5,)]


def test_sequence_ignores_the_history_of_a_deleted_meeting_with_the_same_number(
    run: Run, team: int
) -> None:
    from icalendar import Calendar

    assert _add(run, "2019-09-25", "10:00").exit_code == 0
    assert run("spotkania", "edytuj", "1", "--godzina", "11:00").exit_code == 0
    assert run("spotkania", "usun", "1", "--tak").exit_code == 0
    assert _add(run, "2019-10-09", "10:00").exit_code == 0
    event: Any = Calendar.from_ical(_ics(run)).walk("VEVENT")[0]
    assert int(event["sequence"]) == 0


def test_a_time_the_clocks_skip_is_refused_on_add(run: Run, team: int, db_path: Path) -> None:
    before = snapshot(db_path)
    result = _add(run, "2020-03-29", "02:30")
    assert result.exit_code == 1
    assert "godzina 02:30 nie istnieje 29 marca 2020 r." in result.stderr
    assert "czasu letniego" in result.stderr
    assert snapshot(db_path) == before


def test_a_time_the_clocks_skip_is_refused_on_edit(run: Run, team: int, db_path: Path) -> None:
    assert _add(run, "2020-03-22", "02:30").exit_code == 0
    before = snapshot(db_path)
    # The date alone makes the kept time one that does not exist.
    result = run("spotkania", "edytuj", "1", "--data", "29.03.2020")
    assert result.exit_code == 1
    assert "nie istnieje 29 marca 2020 r." in result.stderr
    assert snapshot(db_path) == before


def test_a_time_that_occurs_twice_is_accepted(run: Run, team: int, query: Query) -> None:
    result = _add(run, "2019-10-27", "02:30")
    assert result.exit_code == 0, result.stderr
    assert query("SELECT data, godzina FROM spotkania") == [("2019-10-27", "02:30")]
