"""Joint meetings of several teams and teams whose area reaches beyond their gmina, driven
through the CLI: Nakło nad Notecią and Kcynia (powiat nakielski) meeting together."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import factories
from tests.conftest import Result, snapshot

Run = Callable[..., Result]
Query = Callable[..., list[tuple[object, ...]]]

NAKLO = "0410033"
KCYNIA = "0410013"


@pytest.fixture
def two_teams(db_path: Path) -> dict[str, int]:
    """Two neighbouring teams, each with its own MGOPS (same abbreviation) as a member."""
    conn = factories.connect(db_path)
    ids = {
        "mgops_n": factories.institution(
            conn, "Miejsko-Gminny Ośrodek Pomocy Społecznej w Nakle", gmina=NAKLO, skrot="MGOPS"
        ),
        "mgops_k": factories.institution(
            conn, "Miejsko-Gminny Ośrodek Pomocy Społecznej w Kcyni", gmina=KCYNIA, skrot="MGOPS"
        ),
        "pcpr": factories.institution(
            conn,
            "Powiatowe Centrum Pomocy Rodzinie w Nakle",
            gmina=NAKLO,
            skrot="PCPR",
            sektor="rodzina",
        ),
    }
    ids["naklo"] = factories.team(conn, NAKLO, "PZK Nakło nad Notecią")
    ids["kcynia"] = factories.team(conn, KCYNIA, "PZK Kcynia")
    factories.declaration(conn, ids["naklo"], ids["mgops_n"], "2020-01-10")
    factories.declaration(conn, ids["naklo"], ids["pcpr"], "2020-01-10")
    factories.declaration(conn, ids["kcynia"], ids["mgops_k"], "2020-01-12")
    conn.close()
    return ids


def _joint(run: Run) -> Result:
    return run(
        "spotkania", "dodaj", "-g", NAKLO, "-g", KCYNIA, "-d", "11.02.2020", "-r", "posiedzenie",
        "--tytul", "Spotkanie zespołów Nakła i Kcyni",
    )  # fmt: skip


def test_a_joint_meeting_belongs_to_both_teams(
    run: Run, query: Query, two_teams: dict[str, int]
) -> None:
    result = _joint(run)
    assert result.exit_code == 0, result.stderr
    assert "miejsce nie zostało podane" in result.stdout
    assert "wspólne z: PZK Kcynia" in result.stdout
    assert query("SELECT zespol FROM spotkania") == [(two_teams["naklo"],)]
    assert query("SELECT zespol FROM spotkania_zespoly ORDER BY zespol") == [
        (two_teams["naklo"],),
        (two_teams["kcynia"],),
    ]
    for gmina in (NAKLO, KCYNIA):
        listed = json.loads(run("spotkania", "lista", "-g", gmina, "-f", "json").stdout)
        assert [m["id"] for m in listed] == [1]
    report = run("raport", "zespol", "-g", KCYNIA).stdout
    assert "Spotkanie zespołów Nakła i Kcyni" in report
    assert "spotkanie wspólne z: PZK Nakło nad Notecią" in report


def test_attendance_of_a_joint_meeting_resolves_names_in_both_teams(
    run: Run, query: Query, two_teams: dict[str, int]
) -> None:
    assert _joint(run).exit_code == 0
    # "MGOPS" is the abbreviation of a member of each team: a tie within the meeting's teams.
    tied = run("spotkania", "obecnosc", "1", "MGOPS")
    assert tied.exit_code == 1
    assert "niejednoznaczna" in tied.stderr
    assert str(two_teams["mgops_n"]) in tied.stderr and str(two_teams["mgops_k"]) in tied.stderr
    # Invitations of members reach the members of both teams, each once.
    invited = run("spotkania", "zapros", "1", "--czlonkowie")
    assert invited.exit_code == 0, invited.stderr
    assert query("SELECT instytucja FROM obecnosci ORDER BY instytucja") == [
        (two_teams["mgops_n"],),
        (two_teams["mgops_k"],),
        (two_teams["pcpr"],),
    ]


def test_a_joint_meeting_counts_once_in_the_totals(
    run: Run, two_teams: dict[str, int], tmp_path: Path
) -> None:
    assert _joint(run).exit_code == 0
    out = tmp_path / "zbiorczy.csv"
    result = run("raport", "zbiorczy", "--do", "2020-12-31", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(out.read_text("utf-8-sig").splitlines(), delimiter=";"))
    column = rows[0].index("Spotkania w okresie")
    per_team = {row[1]: row[column] for row in rows[1:] if row[1]}
    assert per_team == {NAKLO: "1", KCYNIA: "1"}
    assert [row[column] for row in rows[1:] if row[0].startswith("Razem")] == ["1"]


def test_joining_and_leaving_a_meeting(
    run: Run, query: Query, db_path: Path, two_teams: dict[str, int]
) -> None:
    conn = factories.connect(db_path)
    factories.meeting(conn, two_teams["naklo"], "2020-02-11", "Przystań")
    conn.close()
    joined = run("spotkania", "edytuj", "1", "--zespol", "PZK Kcynia")
    assert joined.exit_code == 0, joined.stderr
    assert "zespół: (puste) → PZK Kcynia" in joined.stdout
    assert len(query("SELECT * FROM spotkania_zespoly")) == 2
    before = snapshot(db_path)
    host = run("spotkania", "edytuj", "1", "--bez-zespolu", "PZK Nakło nad Notecią")
    assert host.exit_code == 1
    assert "jest gospodarzem spotkania nr 1" in host.stderr
    assert snapshot(db_path) == before
    left = run("spotkania", "edytuj", "1", "--bez-zespolu", "PZK Kcynia")
    assert left.exit_code == 0, left.stderr
    assert query("SELECT zespol FROM spotkania_zespoly") == [(two_teams["naklo"],)]
    again = run("spotkania", "edytuj", "1", "--bez-zespolu", "PZK Kcynia")
    assert again.exit_code == 1
    assert "nie jest spotkaniem zespołu „PZK Kcynia”" in again.stderr


def test_removing_a_joint_meeting_removes_it_from_every_team(
    run: Run, query: Query, two_teams: dict[str, int]
) -> None:
    assert _joint(run).exit_code == 0
    assert run("spotkania", "usun", "1", "--tak").exit_code == 0
    assert query("SELECT count(*) FROM spotkania_zespoly") == [(0,)]
    assert json.loads(run("spotkania", "lista", "-g", KCYNIA, "-f", "json").stdout) == []


def test_the_site_writes_a_joint_meeting_once_and_links_both_teams(
    run: Run, two_teams: dict[str, int], tmp_path: Path
) -> None:
    assert _joint(run).exit_code == 0
    site = tmp_path / "strona"
    result = run("raport", "strona", "-o", str(site), "--do", "2020-12-31")
    assert result.exit_code == 0, result.stderr
    page = (site / "spotkania" / "1.html").read_text("utf-8")
    assert f"zespoly/{NAKLO}" in page and f"zespoly/{KCYNIA}" in page
    for gmina in (NAKLO, KCYNIA):
        assert "spotkania/1" in (site / "zespoly" / f"{gmina}.html").read_text("utf-8")


def test_a_team_area_reaches_its_powiat(run: Run, query: Query, db_path: Path) -> None:
    # The rural model: a gmina and its powiat form one team.
    result = run("zespoly", "zaloz", "--gmina", KCYNIA, "--obszar", "0410")
    assert result.exit_code == 0, result.stderr
    assert query("SELECT teryt FROM zespoly_obszar") == [("0410",)]
    shown = run("zespoly", "pokaz", "1").stdout
    assert "Obszar poza gminą:  powiat nakielski (0410)" in shown
    # A gmina of that powiat without a team of its own finds the team through its area.
    listed = run("spotkania", "dodaj", "-g", "0410023", "-d", "2020-03-02", "-r", "posiedzenie")
    assert listed.exit_code == 0, listed.stderr
    assert query("SELECT zespol FROM spotkania") == [(1,)]
    before = snapshot(db_path)
    own = run("zespoly", "edytuj", "1", "--obszar", KCYNIA)
    assert own.exit_code == 1
    assert "jest gminą zespołu" in own.stderr
    wrong = run("zespoly", "edytuj", "1", "--bez-obszaru", "0410033")
    assert wrong.exit_code == 1
    assert "nie należy do obszaru zespołu" in wrong.stderr
    assert snapshot(db_path) == before
