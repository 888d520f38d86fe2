"""Invitations, attendance statuses, decisions and the iCalendar invitation of a meeting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import factories
from tests.conftest import Result, snapshot

Run = Callable[..., Result]
Query = Callable[..., list[tuple[object, ...]]]


@pytest.fixture
def world(db_path: Path) -> dict[str, int]:
    conn = factories.connect(db_path)
    ids = {
        "mops": factories.institution(conn, "Miejski Ośrodek Pomocy Społecznej", skrot="MOPS"),
        "kpp": factories.institution(
            conn, "Komenda Powiatowa Policji", skrot="KPP", sektor="policja"
        ),
        "ppp": factories.institution(
            conn, "Poradnia Psychologiczno-Pedagogiczna", skrot="PPP", sektor="edukacja"
        ),
        "obcy": factories.institution(conn, "Urząd Gminy Radomsko", gmina="1012122"),
    }
    ids["team"] = factories.team(conn, "1012011", "PZK Radomsko")
    factories.declaration(conn, ids["team"], ids["mops"], "2019-09-01")
    factories.declaration(conn, ids["team"], ids["kpp"], "2019-09-01")
    ids["meeting"] = factories.meeting(
        conn,
        ids["team"],
        "2019-10-09",
        "Sala konferencyjna MOPS",
        godzina="10:00",
        adres="ul. Tysiąclecia 7, Radomsko",
        tytul="Posiedzenie PZK",
        opis="Plan pracy na rok 2020.",
    )
    conn.close()
    return ids


def _statuses(query: Query) -> list[tuple[object, ...]]:
    return query(
        "SELECT i.skrot, o.status FROM obecnosci o JOIN instytucje i ON i.id = o.instytucja "
        "ORDER BY i.skrot"
    )


def test_invite_members_then_gmina_then_named(
    run: Run, query: Query, world: dict[str, int]
) -> None:
    result = run("spotkania", "zapros", "1", "--czlonkowie")
    assert result.exit_code == 0, result.stderr
    assert "Zaproszono na spotkanie nr 1: Komenda Powiatowa Policji; Miejski" in result.stdout
    assert _statuses(query) == [("KPP", "zaproszony"), ("MOPS", "zaproszony")]

    result = run("spotkania", "zapros", "1", "--gmina", "1012011")
    assert result.exit_code == 0, result.stderr
    assert "Zaproszono na spotkanie nr 1: Poradnia Psychologiczno-Pedagogiczna." in result.stdout
    assert "Już na liście spotkania nr 1: Komenda" in result.stdout

    result = run("spotkania", "zapros", "1", "-i", "Urząd Gminy Radomsko", "-i", "MOPS")
    assert result.exit_code == 0, result.stderr
    assert [r[1] for r in _statuses(query)] == ["zaproszony"] * 4
    # Invited is not present: the meeting still counts nobody.
    assert "Nie zapisano jeszcze obecności." in run("spotkania", "pokaz", "1").stdout


def test_bulk_marking_then_exceptions_twice_is_harmless(
    run: Run, query: Query, world: dict[str, int]
) -> None:
    assert run("spotkania", "zapros", "1", "--gmina", "1012011").exit_code == 0
    for _ in range(2):
        result = run("spotkania", "obecnosc", "1", "--wszyscy-zaproszeni")
        assert result.exit_code == 0, result.stderr
        result = run("spotkania", "obecnosc", "1", "PPP", "--status", "Usprawiedliwiony")
        assert result.exit_code == 0, result.stderr
        assert "Poradnia Psychologiczno-Pedagogiczna (usprawiedliwiony)" in result.stdout
    assert _statuses(query) == [("KPP", "obecny"), ("MOPS", "obecny"), ("PPP", "usprawiedliwiony")]
    result = run("spotkania", "obecnosc", "1", "KPP", "--status", "nieobecny")
    assert result.exit_code == 0, result.stderr
    assert _statuses(query)[0] == ("KPP", "nieobecny")
    shown = run("spotkania", "pokaz", "1").stdout
    assert "Obecne instytucje: 1" in shown


def test_invitation_becomes_the_persons_attendance(
    run: Run, query: Query, db_path: Path, world: dict[str, int]
) -> None:
    conn = factories.connect(db_path)
    factories.person(conn, world["mops"], "Anna Nowak")
    conn.close()
    assert run("spotkania", "zapros", "1", "-i", "MOPS").exit_code == 0
    result = run("spotkania", "obecnosc", "1", "MOPS", "--osoba", "Anna Nowak")
    assert result.exit_code == 0, result.stderr
    assert query("SELECT osoba, status FROM obecnosci") == [(1, "obecny")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["1"], "wskaż, kogo zaprosić"),
        (["1", "--czlonkowie", "--gmina", "1012011"], "wskaż, kogo zaprosić"),
        (["1", "-i", "nieistniejąca"], "nieistniejąca"),
        (["7", "--czlonkowie"], "nie ma spotkania o numerze 7"),
    ],
)
def test_invite_errors_change_nothing(
    run: Run, db_path: Path, world: dict[str, int], args: list[str], message: str
) -> None:
    before = snapshot(db_path)
    result = run("spotkania", "zapros", *args)
    assert result.exit_code == 1
    assert result.stderr.startswith("Błąd: ")
    assert message in result.stderr
    assert snapshot(db_path) == before


def test_decisions_and_next_meeting(run: Run, query: Query, world: dict[str, int]) -> None:
    result = run(
        "spotkania", "edytuj", "1", "--ustalenia", "Powołano grupę roboczą.",
        "--nastepne", "13 listopada 2019 r., PCPR",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "ustalenia: (puste) → Powołano grupę roboczą." in result.stdout
    assert query("SELECT ustalenia, nastepne FROM spotkania") == [
        ("Powołano grupę roboczą.", "13 listopada 2019 r., PCPR")
    ]
    assert query(
        "SELECT pole FROM _zmiany WHERE tabela = 'spotkania' AND operacja = 'zmiana' ORDER BY id"
    ) == [
        ("ustalenia",),
        ("nastepne",),
    ]
    assert run("spotkania", "edytuj", "1", "--ustalenia", "").exit_code == 0
    assert query("SELECT ustalenia FROM spotkania") == [(None,)]


def test_ics_file_is_a_valid_calendar(run: Run, tmp_path: Path, world: dict[str, int]) -> None:
    from icalendar import Calendar

    target = tmp_path / "zaproszenie.ics"
    result = run("spotkania", "ics", "1", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    calendar = Calendar.from_ical(target.read_bytes())
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    start = event.decoded("dtstart")
    assert start.replace(tzinfo=None) == dt.datetime(2019, 10, 9, 10, 0)
    assert start.utcoffset() == dt.timedelta(hours=2)  # summer time in Poland
    assert b"BEGIN:VTIMEZONE" in target.read_bytes()
    assert str(event["location"]) == "Sala konferencyjna MOPS, ul. Tysiąclecia 7, Radomsko"
    assert str(event["summary"]) == "Posiedzenie PZK – PZK Radomsko"
    assert "Plan pracy na rok 2020." in str(event["description"])
    assert str(event["uid"]).endswith("@kooperacje")
    raw = target.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and b"VERSION:2.0" in raw


def test_ics_without_time_is_an_all_day_event(
    run: Run, db_path: Path, world: dict[str, int]
) -> None:
    from icalendar import Calendar

    conn = factories.connect(db_path)
    factories.meeting(conn, world["team"], "2019-11-13", "PCPR")
    conn.close()
    result = run("spotkania", "ics", "2")
    assert result.exit_code == 0, result.stderr
    event = Calendar.from_ical(result.stdout).walk("VEVENT")[0]
    assert event.decoded("dtstart") == dt.date(2019, 11, 13)
    assert str(event["summary"]) == "Spotkanie inicjujące – PZK Radomsko"
