"""`kooperacje deklaracje`: dated declarations, and membership that follows from them."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kooperacje.store.db import open_db
from kooperacje.teams import teams
from tests import factories
from tests.conftest import Result, snapshot

Run = Callable[..., Result]
Query = Callable[..., list[tuple[object, ...]]]
Members = Callable[[str], set[str]]

PCPR = "Powiatowe Centrum Pomocy Rodzinie w Radomsku"


@pytest.fixture
def world(db_path: Path) -> dict[str, int]:
    """Two teams (Radomsko town and rural gmina) and institutions, inserted directly."""
    conn = factories.connect(db_path)
    ids = {
        "mops": factories.institution(
            conn, "Miejski Ośrodek Pomocy Społecznej w Radomsku", skrot="MOPS"
        ),
        "pcpr": factories.institution(conn, PCPR, skrot="PCPR", sektor="rodzina"),
        "kpp": factories.institution(
            conn, "Komenda Powiatowa Policji w Radomsku", skrot="KPP", sektor="policja"
        ),
        "gops": factories.institution(
            conn, "Gminny Ośrodek Pomocy Społecznej w Radomsku", gmina="1012122", skrot="GOPS"
        ),
    }
    ids["team"] = factories.team(conn, "1012011", "PZK Radomsko", data_utworzenia="2019-09-25")
    ids["rural"] = factories.team(conn, "1012122", "PZK Gminy Radomsko")
    ids["meeting"] = factories.meeting(conn, ids["team"], "2019-09-25", "Muzeum Regionalne")
    ids["rural_meeting"] = factories.meeting(conn, ids["rural"], "2019-09-20", "Urząd Gminy")
    conn.close()
    return ids


@pytest.fixture
def members(db_path: Path, world: dict[str, int]) -> Iterator[Members]:
    """Short names of the Radomsko team's members on a day, read through teams.members_on."""
    dbs = []

    def on(day: str) -> set[str]:
        db = open_db(db_path)
        dbs.append(db)
        return {
            m.skrot or m.nazwa
            for m in teams.members_on(db, world["team"], dt.date.fromisoformat(day))
        }

    yield on
    for db in dbs:
        db.close()


def declare(run: Run, who: str, day: str, kind: str = "przystapienie", *extra: str) -> Result:
    return run(
        "deklaracje", "dodaj", "--instytucja", who, "--gmina", "1012011", "--data", day,
        "--rodzaj", kind, *extra,
    )  # fmt: skip


def test_pcpr_joins_on_9_october_2019(run: Run, query: Query, members: Members) -> None:
    result = run(
        "deklaracje", "dodaj", "--instytucja", "PCPR", "--gmina", "1012011",
        "--data", "2019-10-09", "--podpisal", "Dyrektor PCPR", "--spotkanie", "1",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "Zapisano deklarację nr 1 z dnia 9 października 2019 r." in result.stdout
    assert PCPR in result.stdout
    rows = query(
        "SELECT zespol, instytucja, rodzaj, data, podpisal, spotkanie, length(uuid), utworzono "
        "FROM deklaracje"
    )
    assert rows[0][:7] == (1, 2, "przystapienie", "2019-10-09", "Dyrektor PCPR", 1, 36)
    assert rows[0][7]
    assert "PCPR" in members("2019-10-09")
    assert "PCPR" not in members("2019-10-08")


def test_team_chosen_by_zespol(run: Run, query: Query, world: dict[str, int]) -> None:
    for ref, who in [("1", "MOPS"), ("pzk radomsko", "KPP"), ("1012011", "PCPR")]:
        result = run(
            "deklaracje", "dodaj", "--instytucja", who, "--zespol", ref, "--data", "25.09.2019"
        )
        assert result.exit_code == 0, result.stderr
    assert query("SELECT DISTINCT zespol, data FROM deklaracje") == [(world["team"], "2019-09-25")]


def test_join_leave_rejoin(run: Run, members: Members) -> None:
    assert declare(run, "KPP", "2019-10-01").exit_code == 0
    assert declare(run, "KPP", "2020-03-31", "wystąpienie").exit_code == 0
    assert declare(run, "KPP", "2021-01-15").exit_code == 0
    assert "KPP" not in members("2019-09-30")
    assert "KPP" in members("2019-10-01")
    assert "KPP" in members("2020-03-30")
    assert "KPP" not in members("2020-03-31")
    assert "KPP" not in members("2021-01-14")
    assert "KPP" in members("2021-01-15")


def test_same_day_declarations_count_in_recorded_order(run: Run, members: Members) -> None:
    assert declare(run, "MOPS", "2019-09-25").exit_code == 0
    assert declare(run, "MOPS", "2019-09-25", "wystapienie").exit_code == 0
    assert "MOPS" not in members("2019-09-25")
    assert declare(run, "MOPS", "2019-09-25").exit_code == 0
    assert "MOPS" in members("2019-09-25")
    assert "MOPS" not in members("2019-09-24")


def test_declaration_before_the_team_was_formed_is_allowed(run: Run, members: Members) -> None:
    assert declare(run, "MOPS", "2019-06-01").exit_code == 0
    assert "MOPS" in members("2019-06-01")


def test_date_within_the_coming_year_is_allowed(
    run: Run, query: Query, world: dict[str, int]
) -> None:
    soon = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    assert declare(run, "MOPS", soon).exit_code == 0
    assert query("SELECT data FROM deklaracje") == [(soon,)]


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        ([("PCPR", "2019-10-09", "przystapienie")], ["PCPR", "2019-11-01"],
         f"„{PCPR}” (nr 2) jest już członkiem zespołu „PZK Radomsko” w dniu 1 listopada 2019 r."),
        ([], ["KPP", "2019-11-01", "wystapienie"],
         "nie jest członkiem zespołu „PZK Radomsko” w dniu 1 listopada 2019 r. "
         "(brak wcześniejszej deklaracji przystąpienia), więc nie może z niego wystąpić"),
        ([("KPP", "2019-10-01", "przystapienie"), ("KPP", "2019-12-01", "wystapienie")],
         ["KPP", "2020-01-01", "wystapienie"],
         "ostatnia deklaracja przed tym dniem to wystąpienie nr 2"),
        # A backdated leave would be followed by the recorded leave of 2020.
        ([("KPP", "2019-10-01", "przystapienie"), ("KPP", "2020-05-01", "wystapienie")],
         ["KPP", "2019-12-01", "wystapienie"], "poprzedzałaby późniejszą deklarację nr 2"),
        # A backdated join before an existing join.
        ([("KPP", "2019-10-01", "przystapienie")], ["KPP", "2019-09-01"],
         "poprzedzałaby późniejszą deklarację nr 1"),
    ],
)  # fmt: skip
def test_membership_rules(
    run: Run,
    db_path: Path,
    world: dict[str, int],
    setup: list[tuple[str, str, str]],
    args: list[str],
    message: str,
) -> None:
    for who, day, kind in setup:
        assert declare(run, who, day, kind).exit_code == 0
    before = snapshot(db_path)
    result = declare(run, *args)
    assert result.exit_code == 1
    assert result.stderr.startswith("Błąd: ")
    assert message in result.stderr
    assert snapshot(db_path) == before


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--instytucja", "MOPS", "--data", "2019-10-09"], 1, "podaj --gmina G albo --zespol Z"),
        (["--instytucja", "MOPS", "--gmina", "1012011", "--zespol", "1", "--data", "2019-10-09"],
         1, "podaj --gmina G albo --zespol Z"),
        (["--instytucja", "MOPS", "--gmina", "Radomsko", "--data", "2019-10-09"], 1,
         "1012011 (gmina miejska"),
        (["--instytucja", "MOPS", "--gmina", "2416021", "--data", "2019-10-09"], 1,
         "nie ma jeszcze zespołu. Załóż go poleceniem: kooperacje zespoly zaloz --gmina 2416021"),
        (["--instytucja", "Nieznana", "--gmina", "1012011", "--data", "2019-10-09"], 1,
         'nie znaleziono instytucji "Nieznana"'),
        (["--instytucja", "Radomsku", "--gmina", "1012011", "--data", "2019-10-09"], 1,
         "jest niejednoznaczna"),
        (["--instytucja", "MOPS", "--gmina", "1012011", "--data", "2019-02-30"], 1,
         "nie istnieje w kalendarzu"),
        (["--instytucja", "MOPS", "--gmina", "1012011", "--data", "wczoraj"], 1,
         'niepoprawna data "wczoraj"'),
        (["--instytucja", "MOPS", "--gmina", "1012011", "--data", "1999-12-31"], 1, "zbyt wczesna"),
        (["--instytucja", "MOPS", "--gmina", "1012011", "--data", "2099-01-01"], 1,
         "ponad rok po dzisiejszej"),
        (["--instytucja", "MOPS", "--gmina", "1012011", "--data", "2019-10-09", "--rodzaj", "x"],
         1, 'nieznany rodzaj deklaracji: "x"'),
        (["--instytucja", "MOPS", "--gmina", "1012011", "--data", "2019-10-09",
          "--spotkanie", "99"], 1, "nie ma spotkania o numerze 99"),
        (["--instytucja", "MOPS", "--gmina", "1012011", "--data", "2019-10-09",
          "--spotkanie", "2"], 1, "należy do zespołu „PZK Gminy Radomsko”"),
        (["--instytucja", "MOPS", "--gmina", "1012011", "--data", "2019-09-24",
          "--spotkanie", "1"], 1, "później niż data deklaracji"),
        (["--instytucja", "MOPS", "--gmina", "1012011", "--spotkanie", "x", "--data",
          "2019-10-09"], 2, "podaj liczbę całkowitą"),
        (["--instytucja", "MOPS", "--gmina", "1012011"], 2, "brak wymaganej opcji --data"),
        (["--gmina", "1012011", "--data", "2019-10-09"], 2, "brak wymaganej opcji --instytucja"),
    ],
)  # fmt: skip
def test_add_errors_change_nothing(
    run: Run, db_path: Path, world: dict[str, int], args: list[str], code: int, message: str
) -> None:
    before = snapshot(db_path)
    result = run("deklaracje", "dodaj", *args)
    assert result.exit_code == code
    assert result.stderr.startswith("Błąd: ")
    assert message in result.stderr
    assert snapshot(db_path) == before


def test_kind_by_label(run: Run, query: Query, world: dict[str, int]) -> None:
    assert declare(run, "KPP", "2019-10-01", "Przystąpienie").exit_code == 0
    assert declare(run, "KPP", "2019-10-02", "WYSTĄPIENIE").exit_code == 0
    assert query("SELECT rodzaj FROM deklaracje ORDER BY id") == [
        ("przystapienie",),
        ("wystapienie",),
    ]


# --- lista ---------------------------------------------------------------------------------


def test_list_is_chronological(run: Run, world: dict[str, int]) -> None:
    assert declare(run, "PCPR", "2019-10-09").exit_code == 0
    assert declare(run, "MOPS", "2019-09-25").exit_code == 0
    assert declare(run, "KPP", "2019-10-09").exit_code == 0
    assert declare(run, "PCPR", "2020-02-01", "wystapienie").exit_code == 0
    result = run(
        "deklaracje", "dodaj", "--instytucja", "GOPS", "--gmina", "1012122", "--data", "2019-09-01"
    )
    assert result.exit_code == 0
    result = run("deklaracje", "lista", "--gmina", "1012011", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["id"], r["data"], r["instytucja_skrot"], r["rodzaj"]) for r in rows] == [
        (2, "2019-09-25", "MOPS", "przystapienie"),
        (1, "2019-10-09", "PCPR", "przystapienie"),
        (3, "2019-10-09", "KPP", "przystapienie"),
        (4, "2020-02-01", "PCPR", "wystapienie"),
    ]
    everything = json.loads(run("deklaracje", "lista", "--format", "json").stdout)
    assert [r["id"] for r in everything] == [5, 2, 1, 3, 4]
    assert everything[0]["zespol_nazwa"] == "PZK Gminy Radomsko"


def test_list_columns_and_empty(run: Run, world: dict[str, int]) -> None:
    result = run("deklaracje", "lista", "--zespol", "1")
    assert result.exit_code == 0
    assert "Brak deklaracji." in result.stdout
    assert declare(run, "PCPR", "2019-10-09").exit_code == 0
    lines = run("deklaracje", "lista", "--zespol", "1", "--format", "csv").stdout.splitlines()
    assert lines[0] == (
        "id,data,rodzaj,rodzaj_nazwa,zespol,zespol_nazwa,instytucja,instytucja_nazwa,"
        "instytucja_skrot,sektor,sektor_nazwa,podpisal,spotkanie"
    )
    assert lines[1] == (
        f"1,2019-10-09,przystapienie,przystąpienie,1,PZK Radomsko,2,{PCPR},PCPR,rodzina,"
        "wspieranie rodziny i piecza zastępcza,,"
    )
    table = run("deklaracje", "lista", "--zespol", "1").stdout
    assert "Zespół" not in table and "Rodzaj" in table


def test_list_errors(run: Run, db_path: Path, world: dict[str, int]) -> None:
    before = snapshot(db_path)
    result = run("deklaracje", "lista", "--gmina", "Radomsko")
    assert result.exit_code == 1
    assert "niejednoznaczna" in result.stderr
    result = run("deklaracje", "lista", "--zespol", "42")
    assert result.exit_code == 1
    assert "nie ma zespołu o numerze 42" in result.stderr
    assert snapshot(db_path) == before


# --- usun ----------------------------------------------------------------------------------


def test_remove_logs_the_deleted_row(run: Run, query: Query, members: Members) -> None:
    assert (
        declare(run, "PCPR", "2019-10-09", "przystapienie", "--podpisal", "J. Kowalska").exit_code
        == 0
    )
    result = run("deklaracje", "usun", "1", "--tak")
    assert result.exit_code == 0, result.stderr
    assert "Usunięto deklarację nr 1" in result.stdout
    assert query("SELECT count(*) FROM deklaracje") == [(0,)]
    log = query(
        "SELECT tabela, rekord, pole, stara, nowa FROM _zmiany WHERE operacja = 'usuniecie'"
    )
    assert [row[:3] for row in log] == [("deklaracje", 1, "*")]
    old = json.loads(str(log[0][3]))
    assert (old["instytucja"], old["data"], old["podpisal"]) == (2, "2019-10-09", "J. Kowalska")
    assert log[0][4] is None
    assert "PCPR" not in members("2019-10-09")


def test_remove_asks_first(
    run: Run, db_path: Path, query: Query, world: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kooperacje.commands._common.stdin_is_terminal", lambda: True)
    assert declare(run, "PCPR", "2019-10-09").exit_code == 0
    before = snapshot(db_path)
    result = run("deklaracje", "usun", "1", input="n\n")
    assert result.exit_code == 1
    assert "Usunąć deklarację nr 1" in result.stdout
    assert snapshot(db_path) == before
    result = run("deklaracje", "usun", "1", input="y\n")
    assert result.exit_code == 0
    assert query("SELECT count(*) FROM deklaracje") == [(0,)]


def test_remove_without_terminal_needs_tak(run: Run, db_path: Path, world: dict[str, int]) -> None:
    assert declare(run, "PCPR", "2019-10-09").exit_code == 0
    before = snapshot(db_path)
    result = run("deklaracje", "usun", "1")
    assert result.exit_code == 1
    assert "Dodaj opcję --tak" in result.stderr
    assert snapshot(db_path) == before


@pytest.mark.parametrize(
    ("setup", "target", "message"),
    [
        ([("KPP", "2019-10-01", "przystapienie"), ("KPP", "2019-12-01", "wystapienie")], "1",
         "wystąpienie nr 2 z dnia 1 grudnia 2019 r. dotyczyłoby instytucji, która nie była"),
        ([("KPP", "2019-10-01", "przystapienie"), ("KPP", "2019-12-01", "wystapienie"),
          ("KPP", "2020-01-01", "przystapienie")], "2",
         "deklaracje nr 1 i nr 3 (przystąpienie) następowałyby po sobie"),
    ],
)  # fmt: skip
def test_remove_keeps_history_consistent(
    run: Run,
    db_path: Path,
    world: dict[str, int],
    setup: list[tuple[str, str, str]],
    target: str,
    message: str,
) -> None:
    for who, day, kind in setup:
        assert declare(run, who, day, kind).exit_code == 0
    before = snapshot(db_path)
    result = run("deklaracje", "usun", target, "--tak")
    assert result.exit_code == 1
    assert message in result.stderr
    assert snapshot(db_path) == before


def test_remove_errors(run: Run, db_path: Path, world: dict[str, int]) -> None:
    before = snapshot(db_path)
    result = run("deklaracje", "usun", "5", "--tak")
    assert result.exit_code == 1
    assert "Błąd: nie ma deklaracji o numerze 5" in result.stderr
    result = run("deklaracje", "usun", "piąta", "--tak")
    assert result.exit_code == 2
    assert snapshot(db_path) == before
