"""What reaches the terminal: control characters from the data shown as escapes (never
sent raw), rich's markup never read from data, JSON exact, and numbers too large for any
record refused in Polish."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import factories
from tests.conftest import Result, snapshot

Run = Callable[..., Result]

CLEAR = "\x1b[2J"  # clears the screen
TITLE = "\x1b]0;przejęty terminal\x07"  # retitles the window
NAME = f"Zła{CLEAR}{TITLE} instytucja [/] [bold]x"
NOTE = "uwaga\x9b31m\u202edesrever\r\x00koniec"
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\x00", "\r")


@pytest.fixture
def database(db_path: Path) -> Path:
    conn = factories.connect(db_path)
    mops = factories.institution(conn, NAME, skrot="ZŁA", uwagi=NOTE)
    factories.person(conn, mops, f"Anna{CLEAR}Nowak")
    team = factories.team(conn, nazwa=f"PZK{CLEAR}")
    factories.meeting(conn, team, "2019-09-25", f"Sala{CLEAR}")
    conn.close()
    return db_path


def _clean(text: str) -> None:
    for char in RAW:
        assert char not in text, repr(text)


@pytest.fixture(params=[False, True], ids=["potok", "terminal"])
def terminal(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    on: bool = request.param
    monkeypatch.setattr("kooperacje.output._stdout_is_terminal", lambda: on)
    return on


FILE_DATA = {
    ("instytucje", "lista", "--format", "csv"),
    ("eksport", "instytucje"),
    ("spotkania", "ics", "1"),
}


@pytest.mark.parametrize(
    "args",
    [
        ("instytucje", "lista"),
        ("instytucje", "pokaz", "1"),
        ("instytucje", "lista", "--format", "csv"),
        ("osoby", "lista"),
        ("zespoly", "lista"),
        ("zespoly", "pokaz", "1"),
        ("spotkania", "lista"),
        ("spotkania", "pokaz", "1"),
        ("raport", "spotkanie", "1"),
        ("raport", "zespol", "-z", "1"),
        ("historia",),
        ("eksport", "instytucje"),
        ("spotkania", "ics", "1"),
    ],
)
def test_data_never_reaches_a_terminal_raw(
    run: Run, database: Path, terminal: bool, args: tuple[str, ...]
) -> None:
    result = run(*args)
    assert result.exit_code == 0, result
    shown = result.stdout + result.stderr
    if terminal or args not in FILE_DATA:
        _clean(shown)
        assert "\\x1b" in shown
    # Into a pipe, a file's text (a CSV, a calendar) stays exact: see the tests below.


def test_rich_markup_in_data_is_text(run: Run, database: Path, terminal: bool) -> None:
    result = run("instytucje", "lista")
    assert result.exit_code == 0, result
    # (a narrow table may fold the cell: each piece of markup is still there as text)
    assert "[/]" in result.stdout and "[bold]" in result.stdout


def test_json_stays_exact(run: Run, database: Path, terminal: bool) -> None:
    result = run("instytucje", "lista", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["nazwa"] == NAME
    record = json.loads(run("instytucje", "pokaz", "1", "--format", "json").stdout)
    assert record["nazwa"] == NAME


def test_csv_into_a_pipe_stays_exact(run: Run, database: Path) -> None:
    result = run("instytucje", "lista", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert rows[0]["nazwa"] == NAME
    assert rows[0]["uwagi"] == NOTE


def test_errors_that_repeat_the_input_are_escaped(run: Run, database: Path) -> None:
    result = run("instytucje", "pokaz", f"Nieznana{CLEAR}")
    assert result.exit_code == 1
    assert result.stderr.startswith("Błąd: ")
    _clean(result.stderr)
    assert "\\x1b[2J" in result.stderr


def test_an_imported_name_is_escaped_in_the_import_report(
    run: Run, database: Path, tmp_path: Path
) -> None:
    source = tmp_path / "wrogi.csv"
    source.write_text(f"Nazwa;Gmina;Sektor\nNowa{CLEAR};1012011;inne\n", "utf-8")
    result = run("import", "instytucje", str(source), "--proba")
    assert result.exit_code == 0, result
    _clean(result.stdout + result.stderr)
    assert "Nowa\\x1b[2J" in result.stdout


HUGE = "99999999999999999999999"
NUMBERED = [
    ("instytucje", "pokaz", HUGE),
    ("instytucje", "edytuj", HUGE, "--uwagi", "x"),
    ("instytucje", "usun", HUGE, "--tak"),
    ("osoby", "edytuj", HUGE, "--telefon", "600 100 200"),
    ("osoby", "usun", HUGE, "--tak"),
    ("osoby", "eksportuj", HUGE),
    ("osoby", "dodaj", "Jan Nowak", "-i", HUGE),
    ("zespoly", "pokaz", HUGE),
    ("zespoly", "edytuj", HUGE, "--nazwa", "x"),
    ("spotkania", "pokaz", HUGE),
    ("spotkania", "edytuj", HUGE, "--tytul", "x"),
    ("spotkania", "usun", HUGE, "--tak"),
    ("spotkania", "obecnosc", HUGE, "1"),
    ("spotkania", "zapros", HUGE, "--czlonkowie"),
    ("spotkania", "ics", HUGE),
    ("spotkania", "lista", "--zespol", HUGE),
    ("deklaracje", "dodaj", "-i", "1", "-z", HUGE, "-d", "2019-10-09"),
    ("deklaracje", "dodaj", "-i", "1", "-g", "1012011", "-d", "2019-10-09", "-s", HUGE),
    ("deklaracje", "usun", HUGE, "--tak"),
    ("uslugi", "pokaz", HUGE),
    ("uslugi", "edytuj", HUGE, "--opis", "x"),
    ("uslugi", "usun", HUGE, "--tak"),
    ("uslugi", "zweryfikuj", HUGE),
    ("uslugi", "dodaj", "Usługa", "-i", HUGE, "-a", "kultura"),
    ("raport", "spotkanie", HUGE),
    ("raport", "lista-obecnosci", HUGE),
    ("raport", "protokol", HUGE),
    ("raport", "deklaracja", "--spotkanie", HUGE, "--wszyscy-zaproszeni"),
    ("raport", "zespol", "-z", HUGE),
    ("historia", "--instytucja", HUGE),
    ("historia", "--usluga", HUGE),
    ("zespoly", "pokaz", "²³"),
    ("instytucje", "pokaz", "¹"),
]


@pytest.mark.parametrize("args", NUMBERED, ids=lambda a: " ".join(a[:2]))
def test_a_number_too_large_for_any_record(run: Run, database: Path, args: tuple[str, ...]) -> None:
    before = snapshot(database)
    result = run(*args)
    assert result.exit_code in (1, 2), result
    assert result.stderr.startswith("Błąd: "), result.stderr
    for english in ("nieoczekiwany", "Error", "int too large", "invalid literal"):
        assert english not in result.stderr
    assert snapshot(database) == before
    conn = sqlite3.connect(database)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
