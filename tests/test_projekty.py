"""`kooperacje projekty`: projects as records; teams, reports and the migration use them."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlite_utils import Database

from kooperacje.dates import parse_period_date
from kooperacje.errors import InvalidInput
from kooperacje.store.db import open_db
from kooperacje.store.migrations import migrations
from kooperacje.teams.project_edits import parse_partner
from tests.conftest import Result, snapshot

Run = Callable[..., Result]
Query = Callable[..., list[tuple[object, ...]]]

SEED_NAME = "Kooperacje 3D – Model wielosektorowej współpracy na rzecz osób i rodzin"
PROGRAMME = "Program Operacyjny Wiedza Edukacja Rozwój 2014–2020, Oś priorytetowa II, Działanie 2.5"
STATEMENT = "Projekt współfinansowany ze środków Europejskiego Funduszu Społecznego."


def _ok(result: Result) -> Result:
    assert result.exit_code == 0, result.stderr
    return result


@pytest.fixture
def centres(run: Run) -> None:
    """ROPS Katowice 1, RCPS Łódź 2, ROPS Kraków 3, ROPS Opole 4, MOPS Radomsko 5."""
    for name, gmina, short in (
        ("Regionalny Ośrodek Polityki Społecznej Województwa Śląskiego", "2469011", "ROPS"),
        ("Regionalne Centrum Polityki Społecznej w Łodzi", "1061011", "RCPS"),
        ("Regionalny Ośrodek Polityki Społecznej w Krakowie", "1261011", "ROPS"),
        ("Regionalny Ośrodek Polityki Społecznej w Opolu", "1661011", "ROPS"),
        ("Miejski Ośrodek Pomocy Społecznej w Radomsku", "1012011", "MOPS"),
    ):
        _ok(
            run("instytucje", "dodaj", name, "-g", gmina, "-s", "pomoc_spoleczna", "--skrot", short)
        )


def _add_3d(run: Run) -> Result:
    return run(
        "projekty", "dodaj", SEED_NAME, "--skrot", "Kooperacje 3D",
        "--program", PROGRAMME, "--wspolfinansowanie", STATEMENT,
        "--od", "2018-04", "--do", "03.2021",
        "--lider", "Województwa Śląskiego",
        "--partner", "RCPS", "--partner", "w Krakowie: partner regionalny", "--partner", "4",
        "-m", "III", "--jst", "1012011", "--jst", "1012",
    )  # fmt: skip


def test_a_project_keeps_its_name_as_typed_with_everything(
    run: Run, query: Query, centres: None
) -> None:
    result = _ok(_add_3d(run))
    assert f"Dodano projekt nr 1: {SEED_NAME}." in result.stdout
    assert query("SELECT nazwa, skrot, program, wspolfinansowanie, od, do FROM projekty") == [
        (SEED_NAME, "Kooperacje 3D", PROGRAMME, STATEMENT, "2018-04-01", "2021-03-31")
    ]
    assert query("SELECT instytucja, rola, opis FROM projekty_instytucje ORDER BY instytucja") == [
        (1, "lider", None),
        (2, "partner", None),
        (3, "partner", "partner regionalny"),
        (4, "partner", None),
    ]
    assert query("SELECT makroregion FROM projekty_makroregiony") == [("III",)]
    assert query("SELECT teryt FROM projekty_jst ORDER BY teryt") == [("1012",), ("1012011",)]
    # The team refers to it by its short name; the name stays exactly as typed.
    _ok(run("zespoly", "zaloz", "--gmina", "1012011", "--projekt", "kooperacje 3d"))
    assert query("SELECT p.nazwa FROM zespoly z JOIN projekty p ON p.id = z.projekt") == [
        (SEED_NAME,)
    ]
    shown = _ok(run("projekty", "pokaz", "Kooperacje 3D"))
    for text in (SEED_NAME, "Lider:", "Województwa Śląskiego (nr 1)", "partner regionalny",
                 "radomszczański (powiat, 1012)", "Partnerski Zespół Kooperacyjny – Radomsko",
                 "od 1 kwietnia 2018 r. do 31 marca 2021 r."):  # fmt: skip
        assert text in shown.stdout
    data = json.loads(_ok(run("projekty", "pokaz", "1", "--format", "json")).stdout)
    assert data["nazwa"] == SEED_NAME
    assert [i["rola"] for i in data["instytucje"]] == ["lider", "partner", "partner", "partner"]
    assert data["zespoly"][0]["gmina"] == "1012011"


def test_list_in_three_formats(run: Run, centres: None) -> None:
    assert "Brak projektów" in _ok(run("projekty", "lista")).stdout
    _ok(_add_3d(run))
    _ok(run("projekty", "dodaj", "Kooperacja – efektywna i skuteczna"))
    table = _ok(run("projekty", "lista")).stdout
    assert table.index("Kooperacja – efektywna") < table.index("Kooperacje 3D – Model")
    rows = json.loads(_ok(run("projekty", "lista", "--format", "json")).stdout)
    assert [(r["id"], r["partnerzy"], r["zespoly"]) for r in rows] == [(2, 0, 0), (1, 3, 0)]
    assert rows[1]["lider"] == "Regionalny Ośrodek Polityki Społecznej Województwa Śląskiego"
    csv = _ok(run("projekty", "lista", "--format", "csv")).stdout.splitlines()
    assert csv[0].startswith("id,uuid,nazwa,skrot,program,wspolfinansowanie,od,do")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["   "], "nazwa projektu nie może być pusta"),
        (["2020"], "składa się z samych cyfr"),
        (["Nowy", "--skrot", "Kooperacje 3D"], "skrót „Kooperacje 3D” ma już projekt nr 1"),
        ([SEED_NAME.upper()], "nazwę „" + SEED_NAME.upper() + "” ma już projekt nr 1"),
        (["Nowy", "--od", "2021-04", "--do", "2018-03"], "koniec okresu (31 marca 2018 r.)"),
        (["Nowy", "--od", "2018-13"], 'miesiąc "2018-13" nie istnieje'),
        (["Nowy", "--do", "kiedyś"], 'niepoprawna data "kiedyś"'),
        (["Nowy", "--od", "1999-01-01"], "spoza lat 2000–2099"),
        (["Nowy", "--lider", "ROPS"], 'instytucja "ROPS" jest niejednoznaczna'),
        (["Nowy", "--partner", "Nieznany"], 'nie znaleziono instytucji "Nieznany"'),
        (["Nowy", "-m", "IV"], 'nieznany makroregion "IV"'),
        (["Nowy", "--jst", "10"], "W projekcie uczestniczą gminy i powiaty"),
        (["Nowy", "--jst", "Radomsko"], 'gmina "Radomsko" jest niejednoznaczna'),
    ],
)
def test_bad_input_is_refused_and_nothing_written(
    run: Run, db_path: Path, centres: None, args: list[str], message: str
) -> None:
    _ok(_add_3d(run))
    before = snapshot(db_path)
    result = run("projekty", "dodaj", *args)
    assert result.exit_code == 1, result
    assert result.stderr.startswith("Błąd: ")
    assert message in result.stderr, result.stderr
    assert snapshot(db_path) == before


def test_edit_fields_and_lists_with_history(run: Run, query: Query, centres: None) -> None:
    _ok(_add_3d(run))
    edit = ("projekty", "edytuj", "Kooperacje 3D", "--program", "", "--do", "2021-06-30",
            "--bez-partnera", "4", "--jst", "1062011", "--bez-jst", "1012",
            "--lider", "RCPS")  # fmt: skip
    result = _ok(run(*edit))
    assert "Zmieniono projekt nr 1:" in result.stdout
    assert "koniec: 31 marca 2021 r. → 30 czerwca 2021 r." in result.stdout
    assert "lider: Regionalny Ośrodek Polityki Społecznej Województwa Śląskiego → Regionalne" in (
        result.stdout
    )
    assert query("SELECT program, do FROM projekty") == [(None, "2021-06-30")]
    assert query("SELECT instytucja, rola FROM projekty_instytucje ORDER BY instytucja") == [
        (2, "lider"),
        (3, "partner"),
    ]
    assert query("SELECT teryt FROM projekty_jst ORDER BY teryt") == [("1012011",), ("1062011",)]
    log = query("SELECT tabela, pole, nowa FROM _zmiany WHERE tabela = 'projekty' ORDER BY id")
    assert ("projekty", "do", "2021-06-30") in log
    history = _ok(run("historia")).stdout
    assert "projekt nr 1" in history
    # Nothing to change; a partner who is not one; an end before the start.
    same = _ok(run("projekty", "edytuj", "1", "--skrot", "Kooperacje 3D"))
    assert "Nic nie zmieniono." in same.stdout
    bad = run("projekty", "edytuj", "1", "--bez-partnera", "MOPS")
    assert bad.exit_code == 1 and "nie jest partnerem projektu nr 1" in bad.stderr
    bad = run("projekty", "edytuj", "1", "--do", "2017-01")
    assert bad.exit_code == 1 and "koniec okresu" in bad.stderr


def test_remove_is_refused_while_teams_or_institutions_refer(
    run: Run, query: Query, centres: None
) -> None:
    _ok(_add_3d(run))
    _ok(run("zespoly", "zaloz", "--gmina", "1012011", "--projekt", "1"))
    refused = run("projekty", "usun", "1", "--tak")
    assert refused.exit_code == 1
    assert "należą do niego zespoły" in refused.stderr
    leader = run("instytucje", "usun", "1", "--tak")
    assert leader.exit_code == 1 and "projekty (1)" in leader.stderr
    _ok(run("zespoly", "edytuj", "1", "--projekt", ""))
    _ok(run("projekty", "usun", "Kooperacje 3D", "--tak"))
    assert query("SELECT count(*) FROM projekty_instytucje") == [(0,)]
    assert query("SELECT count(*) FROM projekty_jst") == [(0,)]


def test_team_report_site_and_summary_use_the_project(
    run: Run, tmp_path: Path, centres: None
) -> None:
    _ok(_add_3d(run))
    _ok(run("zespoly", "zaloz", "--gmina", "1012011", "--projekt", "Kooperacje 3D"))
    report = _ok(run("raport", "zespol", "--gmina", "1012011")).stdout
    assert f"**Projekt:** {SEED_NAME}" in report
    assert "**Lider projektu:** Regionalny Ośrodek Polityki Społecznej Województwa Śląskiego" in (
        report
    )
    assert f"**Współfinansowanie:** {STATEMENT}" in report
    summary = _ok(run("raport", "zbiorczy", "--projekt", "kooperacje 3d")).stdout
    assert f"# Raport zbiorczy: projekt „{SEED_NAME}”" in summary
    assert "**Partnerzy:** Regionalne Centrum Polityki Społecznej w Łodzi; Regionalny" in summary
    html = _ok(run("raport", "zbiorczy", "--projekt", "1", "--format", "html")).stdout
    assert '<th scope="row">Okres realizacji</th><td>od 1 kwietnia 2018 r.' in html
    site = tmp_path / "strona"
    _ok(run("raport", "strona", "-o", str(site), "--do", "2020-12-31"))
    page = (site / "projekty" / "kooperacje-3d.html").read_text("utf-8")
    assert SEED_NAME in page and "Lider projektu" in page


def test_migration_turns_free_text_projects_into_records(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    migrations.apply(Database(conn), stop_before="m010_projects")
    known = "Kooperacje 3D – model wielosektorowej współpracy na rzecz wsparcia osób i rodzin"
    conn.executescript(
        f"""
        INSERT INTO zespoly (id, uuid, gmina, nazwa, projekt, utworzono, zmieniono) VALUES
            (1, 'z-1', '1012011', 'PZK Radomsko', '{known}', 't', 't'),
            (2, 'z-2', '2416021', 'PZK Zawiercie', '{known}', 't', 't'),
            (3, 'z-3', '0410033', 'PZK Nakło', 'Program gminny  2020', 't', 't'),
            (4, 'z-4', '0410013', 'PZK Kcynia', NULL, 't', 't');
        """
    )
    conn.commit()
    conn.close()
    open_db(path).close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT id, nazwa FROM projekty ORDER BY id").fetchall() == [
            (1, known),
            (2, "Program gminny  2020"),
        ]
        assert conn.execute("SELECT id, nazwa, projekt FROM zespoly ORDER BY id").fetchall() == [
            (1, "PZK Radomsko", 1),
            (2, "PZK Zawiercie", 1),
            (3, "PZK Nakło", 2),
            (4, "PZK Kcynia", None),
        ]
        assert conn.execute("SELECT * FROM projekty_makroregiony").fetchall() == [(1, "III")]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # The history follows the new column.
        conn.execute("UPDATE zespoly SET projekt = 2 WHERE id = 1")
        assert conn.execute(
            "SELECT pole, stara, nowa FROM _zmiany WHERE tabela = 'zespoly' ORDER BY id DESC"
        ).fetchone() == ("projekt", "1", "2")
    finally:
        conn.close()


@given(
    year=st.integers(2000, 2099),
    month=st.integers(1, 12),
    iso=st.booleans(),
    end=st.booleans(),
)
def test_a_month_bounds_a_period(year: int, month: int, iso: bool, end: bool) -> None:
    text = f"{year}-{month:02d}" if iso else f"{month:02d}.{year}"
    day = parse_period_date(f" {text} ", end=end)
    last = calendar.monthrange(year, month)[1]
    assert day == dt.date(year, month, last if end else 1)


@given(text=st.text(max_size=30))
def test_period_dates_never_fail_but_with_a_polish_message(text: str) -> None:
    try:
        day = parse_period_date(text)
    except InvalidInput as exc:
        assert exc.message
    else:
        assert dt.date(2000, 1, 1) <= day < dt.date(2100, 1, 1)


@given(
    ref=st.text(min_size=1, max_size=20).filter(lambda s: ": " not in s and s.strip() == s),
    role=st.text(alphabet="abcćdeęfghł ", min_size=1, max_size=20).filter(lambda s: s.strip()),
)
def test_partner_and_role_split_at_the_first_colon(ref: str, role: str) -> None:
    assert parse_partner(f"{ref}: {role}") == (ref, role.strip())
    assert parse_partner(ref) == (ref, None)
