"""The everyday queries find their rows through indexes, not full scans of large tables.

Each domain function runs against a small generated database while the SQL it sends is
recorded; every recorded SELECT is then asked for its EXPLAIN QUERY PLAN. A full scan of a
table shows as "SCAN <table or alias>" without an index; scans of a CTE, a subquery's
result, json_each() or a covering index are fine.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlite_utils import Database

from bench import generate
from kooperacje.basket import basket, services
from kooperacje.register import institutions, teryt
from kooperacje.reports import basket_context, meeting_context, team_context
from kooperacje.store.db import open_db
from kooperacje.teams import teams

DAY = dt.date(2021, 1, 1)
# What may be scanned without an index: intermediate results, not tables.
_FINE_SCAN = re.compile(r"^SCAN (last|CONSTANT ROW|\(subquery-\d+\)|json_each)(\s|$)")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path = tmp_path_factory.mktemp("plans") / "skala-0.01.db"
    generate.generate(path, 0.01)
    database = open_db(path)
    yield database
    database.close()


def plans(db: Database, action: Callable[[], Any]) -> list[str]:
    """The plan lines of every SELECT that action() sends."""
    sent: list[tuple[str, Any]] = []
    with db.tracer(lambda sql, params: sent.append((sql, params))):
        action()
    lines: list[str] = []
    for sql, params in sent:
        if sql.lstrip().upper().startswith(("SELECT", "WITH")):
            rows = db.conn.execute("EXPLAIN QUERY PLAN " + sql, params or {})
            lines.extend(str(row[3]) for row in rows)
    assert lines, "the action sent no query"
    return lines


def full_scans(lines: list[str]) -> list[str]:
    return [
        line
        for line in lines
        if line.startswith("SCAN ") and "INDEX" not in line and not _FINE_SCAN.match(line)
    ]


def _uses(lines: list[str], index: str) -> bool:
    return any(index in line for line in lines)


def test_basket(db: Database) -> None:
    lines = plans(db, lambda: basket.basket_for(db, "1012011"))
    assert full_scans(lines) == []
    assert _uses(lines, "uslugi_zasieg_teryt_usluga")


def test_basket_of_a_gmina_given_by_name(db: Database) -> None:
    lines = plans(db, lambda: basket.basket_for(db, "KCYNIA"))
    assert full_scans(lines) == []
    assert _uses(lines, "teryt_nazwa_szukaj")


def test_services_of_a_gmina(db: Database) -> None:
    lines = plans(db, lambda: services.list_(db, gmina="1012011", obszar="zdrowie"))
    assert full_scans(lines) == []
    assert _uses(lines, "uslugi_zasieg_teryt_usluga")


def test_team_members(db: Database) -> None:
    team = teams.for_gmina(db, "1012011")
    lines = plans(db, lambda: teams.members_on(db, team.id, DAY))
    assert full_scans(lines) == []
    assert _uses(lines, "deklaracje_zespol")


def test_team_report(db: Database) -> None:
    team = teams.for_gmina(db, "1012011")
    lines = plans(db, lambda: team_context.team_report(db, team, DAY))
    assert full_scans(lines) == []
    # The team's meetings, joint ones included, are found by team through an index.
    assert _uses(lines, "spotkania_zespoly_zespol")


def test_meeting_note(db: Database) -> None:
    meeting = int(db.execute("SELECT max(id) FROM spotkania").fetchone()[0])
    lines = plans(db, lambda: meeting_context.meeting_note(db, meeting))
    assert full_scans(lines) == []
    # Attendance is read by meeting (and status) through an index, not by a scan.
    assert _uses(lines, "obecnosci_status (spotkanie=? AND status=?)") or _uses(
        lines, "obecnosci_jednoznaczne"
    )


def test_search_reads_the_narrow_index_only(db: Database) -> None:
    lines = plans(db, lambda: institutions.list_(db, szukaj="radomsk"))
    assert full_scans(lines) == []
    assert "SCAN instytucje USING COVERING INDEX instytucje_szukaj" in lines


def test_institution_by_name(db: Database) -> None:
    name = "Powiatowy Urząd Pracy – powiat radomszczański"
    found = []
    lines = plans(db, lambda: found.append(institutions.resolve(db, name.upper())))
    assert found[0].nazwa == name
    assert full_scans(lines) == []
    assert _uses(lines, "instytucje_skrot_szukaj")


def test_gmina_by_name(db: Database) -> None:
    found: list[teryt.Unit] = []
    lines = plans(db, lambda: found.append(teryt.resolve_gmina(db, "lodz")))
    assert [u.nazwa for u in found] == ["Łódź"]
    assert full_scans(lines) == []
    assert _uses(lines, "teryt_nazwa_szukaj")


def test_a_full_scan_is_caught(db: Database) -> None:
    # The check itself: a lookup by an unindexed column is reported.
    lines = plans(db, lambda: list(db.query("SELECT id FROM uslugi WHERE opis = 'x'")))
    assert full_scans(lines) == ["SCAN uslugi"]


def _selects(db: Database, action: Callable[[], Any]) -> int:
    sent: list[str] = []
    with db.tracer(lambda sql, params: sent.append(sql)):
        action()
    return sum(sql.lstrip().upper().startswith(("SELECT", "WITH")) for sql in sent)


def test_pages_send_a_few_queries_not_one_per_row(db: Database) -> None:
    # A team of about 44 members, 10 meetings and 220 services: one query per row would
    # send hundreds.
    team = teams.for_gmina(db, "1012011")
    unit = teryt.get_unit(db, "1012011")
    assert len(teams.members_on(db, team.id, DAY)) > 30
    # A fixed number per section, never one per row: 10 for the team and its basket, 3 for
    # its task teams (figures, institutions, services), 3 for its project's card, 4 for the
    # agreements that concern it (with their parties), 1 for its rules in force.
    assert _selects(db, lambda: team_context.team_report(db, team, DAY)) <= 21
    assert _selects(db, lambda: basket_context.basket_report(db, unit)) <= 6
