"""`kooperacje zespoly`: founding teams, listing them, members on a day, edits."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import factories
from tests.conftest import Result, snapshot

Run = Callable[..., Result]
Query = Callable[..., list[tuple[object, ...]]]

KOOPERACJE_3D = "Kooperacje 3D – model wielosektorowej współpracy na rzecz wsparcia osób i rodzin"
KOOPERACJA_II = "Kooperacja – efektywna i skuteczna"


@pytest.fixture
def inst(db_path: Path) -> dict[str, int]:
    """Institutions of Radomsko, inserted directly."""
    conn = factories.connect(db_path)
    ids = {
        "mops": factories.institution(
            conn, "Miejski Ośrodek Pomocy Społecznej w Radomsku", skrot="MOPS"
        ),
        "pcpr": factories.institution(
            conn, "Powiatowe Centrum Pomocy Rodzinie w Radomsku", skrot="PCPR", sektor="rodzina"
        ),
        "kpp": factories.institution(
            conn, "Komenda Powiatowa Policji w Radomsku", skrot="KPP", sektor="policja"
        ),
        "sp": factories.institution(conn, "Szkoła Podstawowa nr 1", sektor="edukacja"),
        "lo": factories.institution(conn, "Liceum Ogólnokształcące", sektor="edukacja"),
        "ckziu": factories.institution(conn, "Ćwiczeniowe Centrum Kształcenia", sektor="edukacja"),
    }
    conn.close()
    return ids


def test_found_with_default_name(run: Run, query: Query) -> None:
    result = run("zespoly", "zaloz", "--gmina", "1012011")
    assert result.exit_code == 0, result.stderr
    assert "Założono zespół nr 1" in result.stdout
    assert "Partnerski Zespół Kooperacyjny – Radomsko (gmina miejska)" in result.stdout
    rows = query("SELECT gmina, nazwa, lider, projekt, data_utworzenia, length(uuid) FROM zespoly")
    assert rows == [
        (
            "1012011",
            "Partnerski Zespół Kooperacyjny – Radomsko (gmina miejska)",
            None,
            None,
            None,
            36,
        )
    ]


def test_default_names_tell_the_two_radomskos_apart(run: Run, query: Query) -> None:
    assert run("zespoly", "zaloz", "--gmina", "1012011").exit_code == 0
    assert run("zespoly", "zaloz", "--gmina", "1012122").exit_code == 0
    names = [r[0] for r in query("SELECT nazwa FROM zespoly ORDER BY gmina")]
    assert names == [
        "Partnerski Zespół Kooperacyjny – Radomsko (gmina miejska)",
        "Partnerski Zespół Kooperacyjny – Radomsko (gmina wiejska)",
    ]


def test_found_with_all_options(run: Run, query: Query, inst: dict[str, int]) -> None:
    added = run("projekty", "dodaj", KOOPERACJE_3D, "--skrot", "Kooperacje 3D")
    assert added.exit_code == 0, added.stderr
    result = run(
        "zespoly",
        "zaloz",
        "--gmina",
        "1012011",
        "--nazwa",
        "PZK Radomsko",
        "--lider",
        "mops",
        "--projekt",
        "kooperacje 3d",
        "--data",
        "25.09.2019",
    )
    assert result.exit_code == 0, result.stderr
    assert query(
        "SELECT z.nazwa, z.lider, p.nazwa, z.data_utworzenia FROM zespoly z "
        "JOIN projekty p ON p.id = z.projekt"
    ) == [("PZK Radomsko", inst["mops"], KOOPERACJE_3D, "2019-09-25")]


@pytest.mark.parametrize(
    "given",
    ["2", "KOOPERACJA", "Kooperacja - efektywna i skuteczna", "kooperacja – efektywna"],
)
def test_project_by_number_short_name_or_name(run: Run, query: Query, given: str) -> None:
    assert run("projekty", "dodaj", KOOPERACJE_3D, "--skrot", "Kooperacje 3D").exit_code == 0
    assert run("projekty", "dodaj", KOOPERACJA_II, "--skrot", "Kooperacja").exit_code == 0
    result = run("zespoly", "zaloz", "--gmina", "0410033", "--projekt", given)
    assert result.exit_code == 0, result.stderr
    assert query("SELECT projekt FROM zespoly") == [(2,)]


def test_unknown_project_says_how_to_add_it(run: Run, db_path: Path) -> None:
    assert run("projekty", "dodaj", KOOPERACJA_II).exit_code == 0
    before = snapshot(db_path)
    result = run("zespoly", "zaloz", "--gmina", "1012011", "--projekt", "Program gminny 2020")
    assert result.exit_code == 1
    assert result.stderr.startswith('Błąd: nie ma projektu "Program gminny 2020"')
    assert 'kooperacje projekty dodaj "PEŁNA NAZWA" --skrot "Program gminny 2020"' in result.stderr
    assert snapshot(db_path) == before


def test_project_prefix_of_two_projects_is_ambiguous(run: Run, db_path: Path) -> None:
    assert run("projekty", "dodaj", KOOPERACJE_3D).exit_code == 0
    assert run("projekty", "dodaj", KOOPERACJA_II).exit_code == 0
    before = snapshot(db_path)
    result = run("zespoly", "zaloz", "--gmina", "1012011", "--projekt", "koop")
    assert result.exit_code == 1
    assert result.stderr.startswith('Błąd: projekt "koop" jest niejednoznaczny')
    assert "2: Kooperacja – efektywna i skuteczna" in result.stderr
    assert snapshot(db_path) == before


def test_ambiguous_gmina_lists_both_kinds(run: Run, db_path: Path) -> None:
    factories.connect(db_path).close()
    before = snapshot(db_path)
    result = run("zespoly", "zaloz", "--gmina", "Radomsko")
    assert result.exit_code == 1
    assert 'Błąd: gmina "Radomsko" jest niejednoznaczna' in result.stderr
    assert "1012011 (gmina miejska" in result.stderr
    assert "1012122 (gmina wiejska" in result.stderr
    assert snapshot(db_path) == before


def test_second_team_of_a_gmina_is_refused(run: Run, db_path: Path) -> None:
    assert (
        run("zespoly", "zaloz", "--gmina", "Zawiercie", "--nazwa", "PZK Zawiercie").exit_code == 0
    )
    before = snapshot(db_path)
    result = run("zespoly", "zaloz", "--gmina", "2416021")
    assert result.exit_code == 1
    assert "Błąd: gmina Zawiercie (2416021, gmina miejska) ma już zespół" in result.stderr
    assert "„PZK Zawiercie” (nr 1)" in result.stderr
    assert snapshot(db_path) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--gmina", "Atlantyda"], 'nie znaleziono gminy "Atlantyda"'),
        (["--gmina", "1012"], "kod gminy ma 7 cyfr"),
        (["--gmina", "1012011", "--data", "2019-02-30"], "nie istnieje w kalendarzu"),
        (["--gmina", "1012011", "--data", "1999-12-31"], "zbyt wczesna"),
        (["--gmina", "1012011", "--data", "2099-01-01"], "ponad rok po dzisiejszej"),
        (["--gmina", "1012011", "--lider", "Nieznana"], 'nie znaleziono instytucji "Nieznana"'),
        (["--gmina", "1012011", "--nazwa", "2024"], "składa się z samych cyfr"),
    ],
)
def test_found_errors_change_nothing(
    run: Run, db_path: Path, inst: dict[str, int], args: list[str], message: str
) -> None:
    before = snapshot(db_path)
    result = run("zespoly", "zaloz", *args)
    assert result.exit_code == 1
    assert result.stderr.startswith("Błąd: ")
    assert message in result.stderr
    assert snapshot(db_path) == before


def test_name_of_another_team_is_refused(run: Run, db_path: Path) -> None:
    assert run("zespoly", "zaloz", "--gmina", "1012011", "--nazwa", "PZK Radomsko").exit_code == 0
    before = snapshot(db_path)
    result = run("zespoly", "zaloz", "--gmina", "1012122", "--nazwa", "pzk radomsko")
    assert result.exit_code == 1
    assert "nosi już zespół nr 1" in result.stderr
    assert snapshot(db_path) == before


def test_found_without_gmina_is_a_usage_error(run: Run) -> None:
    result = run("zespoly", "zaloz")
    assert result.exit_code == 2
    assert "Błąd: brak wymaganej opcji --gmina" in result.stderr


# --- lista ---------------------------------------------------------------------------------


def test_list_in_polish_order_with_counts(run: Run, db_path: Path, inst: dict[str, int]) -> None:
    conn = factories.connect(db_path)
    radomsko = factories.team(conn, "1012011", "PZK Radomsko", projekt=KOOPERACJE_3D)
    for code, name in [
        ("2416021", "PZK Zawiercie"),
        ("1003023", "PZK Łask"),
        ("2407011", "PZK Lubliniec"),
        ("0811021", "PZK Żary"),
        ("1019011", "PZK Zduńska Wola"),
    ]:
        factories.team(conn, code, name)
    factories.declaration(conn, radomsko, inst["mops"], "2019-09-25")
    factories.declaration(conn, radomsko, inst["pcpr"], "2019-10-09")
    factories.declaration(conn, radomsko, inst["kpp"], "2019-10-09")
    factories.declaration(conn, radomsko, inst["kpp"], "2020-01-15", "wystapienie")
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    factories.declaration(conn, radomsko, inst["sp"], tomorrow)  # not yet a member today
    factories.meeting(conn, radomsko, "2019-09-25", "Muzeum Regionalne")
    factories.meeting(conn, radomsko, "2019-11-05", "MOPS", "posiedzenie")
    conn.close()
    result = run("zespoly", "lista", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["nazwa"] for r in rows] == [
        "PZK Lubliniec",
        "PZK Łask",
        "PZK Radomsko",
        "PZK Zawiercie",
        "PZK Zduńska Wola",
        "PZK Żary",
    ]
    first = rows[2]
    assert first["gmina"] == "1012011"
    assert first["gmina_nazwa"] == "Radomsko (gmina miejska)"
    assert (first["czlonkowie"], first["spotkania"], first["projekt"]) == (2, 2, KOOPERACJE_3D)
    assert (rows[0]["czlonkowie"], rows[0]["spotkania"]) == (0, 0)


def test_list_csv_and_empty(run: Run, db_path: Path) -> None:
    assert run("baza", "utworz").exit_code == 0
    result = run("zespoly", "lista")
    assert result.exit_code == 0
    assert "Brak zespołów" in result.stdout
    conn = factories.connect(db_path)
    factories.team(conn, "1012011", "PZK Radomsko")
    conn.close()
    result = run("zespoly", "lista", "--format", "csv")
    lines = result.stdout.splitlines()
    assert lines[0] == "id,nazwa,gmina,gmina_nazwa,czlonkowie,spotkania,projekt"
    assert lines[1] == "1,PZK Radomsko,1012011,Radomsko (gmina miejska),0,0,"


# --- pokaz ---------------------------------------------------------------------------------


@pytest.fixture
def radomsko(db_path: Path, inst: dict[str, int]) -> int:
    """The Radomsko team with a history of declarations."""
    conn = factories.connect(db_path)
    team = factories.team(
        conn, "1012011", "PZK Radomsko", lider=inst["mops"], data_utworzenia="2019-09-25"
    )
    factories.declaration(conn, team, inst["mops"], "2019-09-25")
    factories.declaration(conn, team, inst["sp"], "2019-09-25")
    factories.declaration(conn, team, inst["lo"], "2019-09-25")
    factories.declaration(conn, team, inst["ckziu"], "2019-09-25")
    factories.declaration(conn, team, inst["pcpr"], "2019-10-09")
    factories.declaration(conn, team, inst["kpp"], "2019-10-01")
    factories.declaration(conn, team, inst["kpp"], "2020-02-01", "wystapienie")
    factories.meeting(conn, team, "2019-09-25", "Muzeum Regionalne")
    conn.close()
    return team


def _show(run: Run, *args: str) -> dict[str, object]:
    result = run("zespoly", "pokaz", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def _member_names(data: dict[str, object]) -> list[str]:
    members = data["czlonkowie"]
    assert isinstance(members, list)
    return [m["nazwa"] for m in members]


def test_show_pcpr_member_from_the_day_of_its_declaration(run: Run, radomsko: int) -> None:
    on_day = _member_names(_show(run, "1012011", "--na-dzien", "2019-10-09"))
    day_before = _member_names(_show(run, "1012011", "--na-dzien", "08.10.2019"))
    assert "Powiatowe Centrum Pomocy Rodzinie w Radomsku" in on_day
    assert "Powiatowe Centrum Pomocy Rodzinie w Radomsku" not in day_before


def test_show_groups_by_sector_in_vocabulary_then_polish_order(run: Run, radomsko: int) -> None:
    data = _show(run, "PZK Radomsko", "--na-dzien", "2019-12-31")
    members = data["czlonkowie"]
    assert isinstance(members, list)
    assert [(m["sektor"], m["nazwa"]) for m in members] == [
        ("pomoc_spoleczna", "Miejski Ośrodek Pomocy Społecznej w Radomsku"),
        ("rodzina", "Powiatowe Centrum Pomocy Rodzinie w Radomsku"),
        ("edukacja", "Ćwiczeniowe Centrum Kształcenia"),
        ("edukacja", "Liceum Ogólnokształcące"),
        ("edukacja", "Szkoła Podstawowa nr 1"),
        ("policja", "Komenda Powiatowa Policji w Radomsku"),
    ]
    assert members[1]["od"] == "2019-10-09"
    gaps = data["sektory_bez_czlonkow"]
    assert isinstance(gaps, list)
    codes = [g["sektor"] for g in gaps]
    assert codes[:3] == ["rynek_pracy", "zdrowie", "sadownictwo"]
    assert {g["sektor"] for g in gaps if g["kluczowy"]} == {"zdrowie", "sadownictwo"}
    assert data["na_dzien"] == "2019-12-31"
    assert data["spotkania"] == 1


def test_show_after_leaving(run: Run, radomsko: int) -> None:
    data = _show(run, str(radomsko), "--na-dzien", "2020-02-01")
    assert "Komenda Powiatowa Policji w Radomsku" not in _member_names(data)
    gaps = data["sektory_bez_czlonkow"]
    assert isinstance(gaps, list)
    assert {
        "sektor": "policja",
        "sektor_nazwa": "policja i bezpieczeństwo publiczne",
        "kluczowy": True,
    } in gaps


def test_show_table_in_polish(run: Run, radomsko: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # no wrapping inside table cells
    result = run("zespoly", "pokaz", "1012011", "--na-dzien", "2019-10-09")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "PZK Radomsko" in out
    assert "Radomsko (1012011, gmina miejska)" in out
    assert "Data utworzenia:" in out and "25 września 2019 r." in out
    assert "Członkowie w dniu 9 października 2019 r.: 6" in out
    assert "Liczba spotkań:     1" in out
    pcpr = next(line for line in out.splitlines() if "Powiatowe Centrum" in line)
    assert "wspieranie rodziny i piecza zastępcza" in pcpr
    assert "PCPR" in pcpr and "9 października 2019 r." in pcpr
    assert "Sektory bez członków:" in out
    assert "ochrona zdrowia (w tym zdrowie psychiczne i uzależnienia) (kluczowy)" in out
    assert "  - rynek pracy\n" in out
    assert out.index("Miejski Ośrodek") < out.index("Powiatowe Centrum") < out.index("Komenda")


def test_show_before_any_declaration(run: Run, radomsko: int) -> None:
    result = run("zespoly", "pokaz", "1012011", "--na-dzien", "2019-01-01")
    assert result.exit_code == 0
    assert "W dniu 1 stycznia 2019 r. zespół nie ma członków" in result.stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["99"], 1, "nie ma zespołu o numerze 99"),
        (["1012122"], 1, "nie ma jeszcze zespołu"),
        (["Radomsko"], 1, "jest niejednoznaczna"),
        (["1", "--na-dzien", "31.02.2020"], 1, "nie istnieje w kalendarzu"),
        (["1", "--format", "csv"], 2, "Dozwolone wartości: tabela, json"),
    ],
)
def test_show_errors(
    run: Run, db_path: Path, radomsko: int, args: list[str], code: int, message: str
) -> None:
    before = snapshot(db_path)
    result = run("zespoly", "pokaz", *args)
    assert result.exit_code == code
    assert result.stderr.startswith("Błąd: ")
    assert message in result.stderr
    assert snapshot(db_path) == before


# --- edytuj --------------------------------------------------------------------------------


def test_edit_is_logged(run: Run, query: Query, radomsko: int, inst: dict[str, int]) -> None:
    assert run("projekty", "dodaj", KOOPERACJE_3D, "--skrot", "Kooperacje 3D").exit_code == 0
    result = run(
        "zespoly", "edytuj", "PZK Radomsko", "--nazwa", "PZK Miasta Radomska",
        "--lider", "PCPR", "--projekt", "kooperacje 3d", "--data", "2019-09-26",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "Zmieniono zespół nr 1 (PZK Miasta Radomska)" in result.stdout
    assert "instytucja wiodąca: Miejski Ośrodek Pomocy Społecznej w Radomsku (MOPS" in result.stdout
    assert query("SELECT nazwa, lider, projekt, data_utworzenia FROM zespoly") == [
        ("PZK Miasta Radomska", inst["pcpr"], 1, "2019-09-26")
    ]
    log = query(
        "SELECT tabela, rekord, pole, stara, nowa FROM _zmiany "
        "WHERE operacja = 'zmiana' ORDER BY id"
    )
    assert ("zespoly", radomsko, "nazwa", "PZK Radomsko", "PZK Miasta Radomska") in log
    assert ("zespoly", radomsko, "lider", str(inst["mops"]), str(inst["pcpr"])) in log
    assert ("zespoly", radomsko, "data_utworzenia", "2019-09-25", "2019-09-26") in log
    assert len(log) == 4


def test_edit_empty_value_clears_and_same_value_changes_nothing(
    run: Run, query: Query, radomsko: int
) -> None:
    result = run("zespoly", "edytuj", "1", "--lider", "")
    assert result.exit_code == 0
    assert query("SELECT lider FROM zespoly") == [(None,)]
    result = run("zespoly", "edytuj", "1", "--nazwa", "PZK Radomsko")
    assert result.exit_code == 0
    assert "Nic nie zmieniono." in result.stdout
    assert query("SELECT count(*) FROM _zmiany WHERE operacja = 'zmiana'") == [(1,)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["1"], "nie podano nic do zmiany"),
        (["1", "--lider", "Nieznana"], 'nie znaleziono instytucji "Nieznana"'),
        (["1", "--nazwa", "  "], "nazwa zespołu nie może być pusta"),
        (["1", "--data", "2019-13-01"], "nie istnieje w kalendarzu"),
        (["7", "--nazwa", "X"], "nie ma zespołu o numerze 7"),
    ],
)
def test_edit_errors_change_nothing(
    run: Run, db_path: Path, radomsko: int, args: list[str], message: str
) -> None:
    before = snapshot(db_path)
    result = run("zespoly", "edytuj", *args)
    assert result.exit_code == 1
    assert result.stderr.startswith("Błąd: ")
    assert message in result.stderr
    assert snapshot(db_path) == before
