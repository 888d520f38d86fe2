"""`kooperacje spotkania`: meetings, attendance, listing, details, edits, removal."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import factories
from tests.conftest import Result, snapshot

Run = Callable[..., Result]
Query = Callable[..., list[tuple[object, ...]]]

MUZEUM = "Galeria Muzeum Regionalnego w Radomsku"


@pytest.fixture
def world(db_path: Path) -> dict[str, int]:
    """Two teams, institutions of three sectors and their staff, inserted directly."""
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
        "zoz": factories.institution(
            conn, "Szpital Powiatowy w Radomsku", skrot="SP ZOZ", sektor="zdrowie"
        ),
        "caritas": factories.institution(conn, "Caritas", sektor="ngo"),
        "aktywni": factories.institution(conn, "Stowarzyszenie Aktywni", sektor="ngo"),
    }
    ids["nowak"] = factories.person(conn, ids["mops"], "Anna Nowak", stanowisko="kierownik działu")
    ids["lis"] = factories.person(conn, ids["mops"], "Piotr Lis")
    ids["kot"] = factories.person(conn, ids["kpp"], "Jan Kot")
    ids["team"] = factories.team(conn, "1012011", "PZK Radomsko")
    ids["rural"] = factories.team(conn, "1012122", "PZK Gminy Radomsko")
    conn.close()
    return ids


@pytest.fixture
def meeting(world: dict[str, int], db_path: Path) -> int:
    conn = factories.connect(db_path)
    meeting_id = factories.meeting(
        conn, world["team"], "2019-09-25", MUZEUM, godzina="10:00", tytul="Inicjacja PZK"
    )
    conn.close()
    return meeting_id


def test_add_meeting(run: Run, query: Query, world: dict[str, int]) -> None:
    result = run(
        "spotkania", "dodaj", "--gmina", "1012011", "--data", "25.09.2019", "--godzina", "9.30",
        "--miejsce", MUZEUM, "--adres", "ul. Narutowicza 2, 97-500 Radomsko",
        "--rodzaj", "spotkanie inicjujące", "--tytul", "Spotkanie inicjujące PZK",
        "--opis", "Przedstawienie modelu kooperacji.",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "Zapisano spotkanie nr 1: spotkanie inicjujące, 25 września 2019 r." in result.stdout
    rows = query(
        "SELECT zespol, data, godzina, miejsce, adres, rodzaj, tytul, opis, length(uuid) "
        "FROM spotkania"
    )
    assert rows == [
        (
            world["team"], "2019-09-25", "09:30", MUZEUM, "ul. Narutowicza 2, 97-500 Radomsko",
            "inicjujace", "Spotkanie inicjujące PZK", "Przedstawienie modelu kooperacji.", 36,
        )
    ]  # fmt: skip


def test_add_by_team_minimal(run: Run, query: Query, world: dict[str, int]) -> None:
    result = run(
        "spotkania", "dodaj", "--zespol", "PZK Gminy Radomsko", "--data", "2019-11-05",
        "--miejsce", "Urząd Gminy", "--rodzaj", "posiedzenie",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert query("SELECT zespol, godzina, adres, rodzaj FROM spotkania") == [
        (world["rural"], None, None, "posiedzenie")
    ]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--gmina", "Radomsko"], 1, "1012122 (gmina wiejska"),
        (["--gmina", "2416021"], 1, "nie ma jeszcze zespołu"),
        ([], 1, "podaj --gmina G albo --zespol Z"),
        (["--gmina", "1012011", "--zespol", "9"], 1, "nie ma zespołu o numerze 9"),
        (["--gmina", "1012011", "--godzina", "25:00"], 1, 'niepoprawna godzina "25:00"'),
        (["--gmina", "1012011", "--rodzaj", "bal"], 1, 'nieznany rodzaj spotkania: "bal"'),
        (["--gmina", "1012011", "--miejsce", "x" * 501], 1, "miejsce spotkania jest za długie"),
        (["--gmina", "1012011", "--data", "2019-02-29"], 1, "nie istnieje w kalendarzu"),
        (["--gmina", "1012011", "--data", "1990-01-01"], 1, "zbyt wczesna"),
    ],
)
def test_add_errors_change_nothing(
    run: Run, db_path: Path, world: dict[str, int], args: list[str], code: int, message: str
) -> None:
    defaults = {"--data": "2019-09-25", "--miejsce": "Urząd", "--rodzaj": "posiedzenie"}
    given = dict(zip(args[::2], args[1::2], strict=True))
    full = [*args] + [x for k, v in defaults.items() if k not in given for x in (k, v)]
    before = snapshot(db_path)
    result = run("spotkania", "dodaj", *full)
    assert result.exit_code == code
    assert result.stderr.startswith("Błąd: ")
    assert message in result.stderr
    assert snapshot(db_path) == before


def test_a_meeting_whose_venue_is_unknown(
    run: Run, query: Query, world: dict[str, int], tmp_path: Path
) -> None:
    result = run(
        "spotkania", "dodaj", "--gmina", "1012011", "--data", "2019-09-25", "--rodzaj", "inne"
    )
    assert result.exit_code == 0, result.stderr
    assert "2019 r., miejsce nie zostało podane (zespół" in result.stdout
    assert query("SELECT miejsce FROM spotkania") == [("",)]
    note = run("raport", "spotkanie", "1").stdout
    assert "- **Miejsce:** miejsce nie zostało podane" in note
    shown = run("spotkania", "pokaz", "1").stdout.splitlines()
    assert [line.split(":", 1)[1].strip() for line in shown if line.startswith("Miejsce:")] == [
        "miejsce nie zostało podane"
    ]
    listed = run("spotkania", "lista", "-f", "json").stdout
    assert '"miejsce": null' in listed
    for document in ("protokol", "lista-obecnosci", "zespol"):
        args = ["-g", "1012011"] if document == "zespol" else ["1"]
        out = tmp_path / f"{document}.pdf"
        assert run("raport", document, *args, "-o", str(out)).exit_code == 0
    # A venue given later replaces "unknown"; "" makes it unknown again.
    assert run("spotkania", "edytuj", "1", "--miejsce", "Urząd").exit_code == 0
    assert query("SELECT miejsce FROM spotkania") == [("Urząd",)]
    cleared = run("spotkania", "edytuj", "1", "--miejsce", "")
    assert "miejsce: Urząd → (puste)" in cleared.stdout
    ics = run("spotkania", "ics", "1").stdout
    assert "LOCATION" not in ics


def test_same_meeting_twice_is_refused(run: Run, db_path: Path, meeting: int) -> None:
    before = snapshot(db_path)
    result = run(
        "spotkania", "dodaj", "--gmina", "1012011", "--data", "2019-09-25", "--godzina", "10:00",
        "--miejsce", MUZEUM.upper(), "--rodzaj", "inicjujace",
    )  # fmt: skip
    assert result.exit_code == 1
    assert f"zespół ma już spotkanie nr {meeting}" in result.stderr
    assert snapshot(db_path) == before
    # Another hour the same day is another meeting.
    result = run(
        "spotkania", "dodaj", "--gmina", "1012011", "--data", "2019-09-25", "--godzina", "13:00",
        "--miejsce", MUZEUM, "--rodzaj", "warsztat",
    )  # fmt: skip
    assert result.exit_code == 0


# --- obecnosc ------------------------------------------------------------------------------


def _attendance(query: Query) -> list[tuple[object, ...]]:
    return query("SELECT spotkanie, instytucja, osoba FROM obecnosci ORDER BY instytucja, osoba")


def test_attendance_twice_is_harmless(
    run: Run, query: Query, world: dict[str, int], meeting: int
) -> None:
    result = run("spotkania", "obecnosc", str(meeting), "MOPS", "pcpr", "3")
    assert result.exit_code == 0, result.stderr
    assert "Obecni na spotkaniu nr 1" in result.stdout
    assert "Komenda Powiatowa Policji w Radomsku" in result.stdout
    first = _attendance(query)
    assert first == [(1, world["mops"], None), (1, world["pcpr"], None), (1, world["kpp"], None)]
    assert run("spotkania", "obecnosc", "1", "MOPS", "MOPS", "KPP").exit_code == 0
    assert _attendance(query) == first


def test_attendance_with_person(
    run: Run, query: Query, world: dict[str, int], meeting: int
) -> None:
    assert run("spotkania", "obecnosc", "1", "MOPS").exit_code == 0
    result = run("spotkania", "obecnosc", "1", "MOPS", "--osoba", "anna nowak")
    assert result.exit_code == 0, result.stderr
    assert "Miejski Ośrodek Pomocy Społecznej w Radomsku – Anna Nowak" in result.stdout
    # The anonymous mark became Anna Nowak's; a second person is added beside her.
    assert _attendance(query) == [(1, world["mops"], world["nowak"])]
    assert run("spotkania", "obecnosc", "1", "MOPS", "--osoba", str(world["lis"])).exit_code == 0
    assert run("spotkania", "obecnosc", "1", "MOPS", "--osoba", "Lis").exit_code == 0
    assert run("spotkania", "obecnosc", "1", "MOPS").exit_code == 0
    assert _attendance(query) == [
        (1, world["mops"], world["nowak"]),
        (1, world["mops"], world["lis"]),
    ]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["9", "MOPS"], 1, "nie ma spotkania o numerze 9"),
        (["1", "MOPS", "Nieznana"], 1, 'nie znaleziono instytucji "Nieznana"'),
        (["1", "MOPS", "KPP", "--osoba", "Anna Nowak"], 1, "tylko przy jednej instytucji"),
        (["1", "KPP", "--osoba", "Anna Nowak"], 1, "nie jest przedstawicielem instytucji"),
        (["1", "MOPS", "--osoba", "Jan Kot"], 1, "nie jest przedstawicielem instytucji"),
        (["1", "MOPS", "--osoba", "Ewa Zając"], 1, 'nie znaleziono osoby "Ewa Zając"'),
        (["1", "MOPS", "--osoba", "99"], 1, "nie ma osoby o numerze 99"),
        (["1"], 1, "podaj co najmniej jedną instytucję"),
        (["1", "MOPS", "--status", "spóźniony"], 1, 'nieznany status obecności: "spóźniony"'),
        (["jeden", "MOPS"], 2, "podaj liczbę całkowitą"),
    ],
)
def test_attendance_errors_change_nothing(
    run: Run, db_path: Path, meeting: int, args: list[str], code: int, message: str
) -> None:
    before = snapshot(db_path)
    result = run("spotkania", "obecnosc", *args)
    assert result.exit_code == code
    assert result.stderr.startswith("Błąd: ")
    assert message in result.stderr
    assert snapshot(db_path) == before


def test_withdraw_attendance(run: Run, query: Query, world: dict[str, int], meeting: int) -> None:
    assert run("spotkania", "obecnosc", "1", "MOPS", "--osoba", "Anna Nowak").exit_code == 0
    assert run("spotkania", "obecnosc", "1", "KPP").exit_code == 0
    result = run("spotkania", "obecnosc", "1", "MOPS", "--osoba", "Anna Nowak", "--usun")
    assert result.exit_code == 0, result.stderr
    assert "Wycofano obecność na spotkaniu nr 1" in result.stdout
    # MOPS still came; who came from it is no longer recorded.
    assert _attendance(query) == [(1, world["mops"], None), (1, world["kpp"], None)]
    assert run("spotkania", "obecnosc", "1", "KPP", "--usun").exit_code == 0
    assert _attendance(query) == [(1, world["mops"], None)]
    log = query("SELECT tabela, pole FROM _zmiany WHERE operacja = 'usuniecie'")
    assert log == [("obecnosci", "*"), ("obecnosci", "*")]


def test_withdraw_unrecorded_attendance(run: Run, db_path: Path, meeting: int) -> None:
    before = snapshot(db_path)
    result = run("spotkania", "obecnosc", "1", "PCPR", "--usun")
    assert result.exit_code == 1
    assert "nie ma zapisanej obecności na spotkaniu nr 1" in result.stderr
    assert snapshot(db_path) == before


# --- lista ---------------------------------------------------------------------------------


@pytest.fixture
def calendar(db_path: Path, world: dict[str, int]) -> None:
    conn = factories.connect(db_path)
    factories.meeting(conn, world["team"], "2019-11-05", "MOPS", "posiedzenie", godzina="12:00")
    factories.meeting(conn, world["team"], "2019-09-25", MUZEUM, tytul="Inicjacja")
    factories.meeting(conn, world["rural"], "2019-10-01", "Urząd Gminy")
    factories.meeting(conn, world["team"], "2019-11-05", "Starostwo", "warsztat", godzina="09:00")
    conn.close()


def _listed(run: Run, *args: str) -> list[tuple[object, ...]]:
    result = run("spotkania", "lista", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return [(r["id"], r["data"], r["gmina"]) for r in json.loads(result.stdout)]


def test_list_chronological_and_filtered(run: Run, calendar: None) -> None:
    assert _listed(run) == [
        (2, "2019-09-25", "1012011"),
        (3, "2019-10-01", "1012122"),
        (4, "2019-11-05", "1012011"),
        (1, "2019-11-05", "1012011"),
    ]
    assert [r[0] for r in _listed(run, "--gmina", "1012011")] == [2, 4, 1]
    assert [r[0] for r in _listed(run, "--zespol", "PZK Gminy Radomsko")] == [3]
    assert [r[0] for r in _listed(run, "--od", "2019-10-01", "--do", "04.11.2019")] == [3]
    assert [r[0] for r in _listed(run, "--od", "2019-11-05")] == [4, 1]


def test_list_table_and_csv(run: Run, calendar: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # no wrapping inside table cells
    result = run("spotkania", "lista", "--gmina", "1012011")
    assert result.exit_code == 0
    assert "Inicjacja" in result.stdout and "posiedzenie" in result.stdout
    lines = run("spotkania", "lista", "--format", "csv").stdout.splitlines()
    assert lines[0].startswith(
        "id,data,godzina,zespol,zespol_nazwa,inne_zespoly,gmina,gmina_nazwa,rodzaj,"
    )
    assert lines[1].startswith("2,2019-09-25,,1,PZK Radomsko,,1012011,Radomsko,inicjujace,")
    result = run("spotkania", "lista", "--od", "2030-01-01")
    assert "Brak spotkań." in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--od", "2019-12-01", "--do", "2019-01-01"], "Zamień wartości --od i --do"),
        (["--od", "1.13.2019"], "nie istnieje w kalendarzu"),
        (["--gmina", "Radomsko"], "niejednoznaczna"),
    ],
)
def test_list_errors(
    run: Run, db_path: Path, calendar: None, args: list[str], message: str
) -> None:
    before = snapshot(db_path)
    result = run("spotkania", "lista", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert snapshot(db_path) == before


# --- pokaz ---------------------------------------------------------------------------------


def test_show_groups_attendees_by_sector(
    run: Run, world: dict[str, int], meeting: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # no wrapping inside table cells
    args = ["Stowarzyszenie Aktywni", "Caritas", "KPP", "SP ZOZ", "PCPR"]
    assert run("spotkania", "obecnosc", "1", *args).exit_code == 0
    assert run("spotkania", "obecnosc", "1", "MOPS", "--osoba", "Anna Nowak").exit_code == 0
    result = run("spotkania", "pokaz", "1")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Inicjacja PZK" in out
    assert "25 września 2019 r., godz. 10:00" in out
    assert "Obecne instytucje: 6" in out
    assert "Anna Nowak, kierownik działu" in out
    order = ["Miejski", "Powiatowe", "Szpital", "Komenda", "Caritas", "Stowarzyszenie"]
    positions = [out.index(name) for name in order]
    assert positions == sorted(positions)
    data = json.loads(run("spotkania", "pokaz", "1", "--format", "json").stdout)
    assert (data["data"], data["godzina"], data["rodzaj"]) == ("2019-09-25", "10:00", "inicjujace")
    assert [a["sektor"] for a in data["obecni"]] == [
        "pomoc_spoleczna", "rodzina", "zdrowie", "policja", "ngo", "ngo",
    ]  # fmt: skip
    assert data["obecni"][0]["osoba_nazwa"] == "Anna Nowak"


def test_show_errors(run: Run, db_path: Path, meeting: int) -> None:
    before = snapshot(db_path)
    result = run("spotkania", "pokaz", "2")
    assert result.exit_code == 1
    assert "Błąd: nie ma spotkania o numerze 2" in result.stderr
    result = run("spotkania", "pokaz", "1", "--format", "csv")
    assert result.exit_code == 2
    assert snapshot(db_path) == before


def test_show_without_attendance(run: Run, meeting: int) -> None:
    result = run("spotkania", "pokaz", "1")
    assert result.exit_code == 0
    assert "Nie zapisano jeszcze obecności." in result.stdout


# --- edytuj --------------------------------------------------------------------------------


def test_edit_is_logged(run: Run, query: Query, meeting: int) -> None:
    result = run(
        "spotkania", "edytuj", "1", "--godzina", "11:00", "--rodzaj", "warsztat",
        "--tytul", "", "--opis", "Omówiono diagnozę.",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "Zmieniono spotkanie nr 1" in result.stdout
    assert "rodzaj: spotkanie inicjujące → warsztat" in result.stdout
    assert query("SELECT godzina, rodzaj, tytul, opis FROM spotkania") == [
        ("11:00", "warsztat", None, "Omówiono diagnozę.")
    ]
    log = query(
        "SELECT tabela, rekord, pole, stara, nowa FROM _zmiany "
        "WHERE operacja = 'zmiana' ORDER BY id"
    )
    assert ("spotkania", 1, "godzina", "10:00", "11:00") in log
    assert ("spotkania", 1, "tytul", "Inicjacja PZK", None) in log
    assert len(log) == 4


def test_edit_date_cannot_move_after_signed_declarations(
    run: Run, db_path: Path, world: dict[str, int], meeting: int
) -> None:
    conn = factories.connect(db_path)
    factories.declaration(conn, world["team"], world["mops"], "2019-09-25", spotkanie=meeting)
    conn.close()
    before = snapshot(db_path)
    result = run("spotkania", "edytuj", "1", "--data", "2019-09-26")
    assert result.exit_code == 1
    assert "podpisano deklaracje z wcześniejszą datą: nr 1 (25 września 2019 r.)" in result.stderr
    assert snapshot(db_path) == before
    assert run("spotkania", "edytuj", "1", "--data", "2019-09-24").exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["1"], "nie podano nic do zmiany"),
        (["1", "--godzina", "7"], 'niepoprawna godzina "7"'),
        (["1", "--rodzaj", "xyz"], "nieznany rodzaj spotkania"),
        (["3", "--tytul", "X"], "nie ma spotkania o numerze 3"),
    ],
)
def test_edit_errors_change_nothing(
    run: Run, db_path: Path, meeting: int, args: list[str], message: str
) -> None:
    before = snapshot(db_path)
    result = run("spotkania", "edytuj", *args)
    assert result.exit_code == 1
    assert result.stderr.startswith("Błąd: ")
    assert message in result.stderr
    assert snapshot(db_path) == before


# --- usun ----------------------------------------------------------------------------------


def test_remove_with_attendance(
    run: Run, query: Query, world: dict[str, int], meeting: int
) -> None:
    assert run("spotkania", "obecnosc", "1", "MOPS", "KPP").exit_code == 0
    result = run("spotkania", "usun", "1", "--tak")
    assert result.exit_code == 0, result.stderr
    assert "Usunięto spotkanie nr 1" in result.stdout
    assert query("SELECT count(*) FROM spotkania") == [(0,)]
    assert query("SELECT count(*) FROM obecnosci") == [(0,)]
    log = query(
        "SELECT tabela, rekord, pole, stara FROM _zmiany WHERE operacja = 'usuniecie' ORDER BY id"
    )
    assert [row[:3] for row in log] == [
        ("obecnosci", 1, "*"),
        ("obecnosci", 2, "*"),
        ("spotkania", 1, "*"),
    ]
    assert json.loads(str(log[2][3]))["miejsce"] == MUZEUM
    assert [json.loads(str(row[3]))["instytucja"] for row in log[:2]] == [
        world["mops"],
        world["kpp"],
    ]


def test_remove_refused_while_declarations_point_to_it(
    run: Run, db_path: Path, world: dict[str, int], meeting: int
) -> None:
    conn = factories.connect(db_path)
    factories.declaration(conn, world["team"], world["pcpr"], "2019-10-09", spotkanie=meeting)
    conn.close()
    before = snapshot(db_path)
    result = run("spotkania", "usun", "1", "--tak")
    assert result.exit_code == 1
    assert "wskazują na nie deklaracje nr 1 (Powiatowe Centrum" in result.stderr
    assert snapshot(db_path) == before


def test_remove_asks_first(
    run: Run, db_path: Path, query: Query, meeting: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kooperacje.commands._common.stdin_is_terminal", lambda: True)
    before = snapshot(db_path)
    result = run("spotkania", "usun", "1", input="n\n")
    assert result.exit_code == 1
    assert "Usunąć spotkanie nr 1" in result.stdout
    assert snapshot(db_path) == before
    assert run("spotkania", "usun", "1", input="y\n").exit_code == 0
    assert query("SELECT count(*) FROM spotkania") == [(0,)]


def test_remove_unknown(run: Run, db_path: Path, meeting: int) -> None:
    before = snapshot(db_path)
    result = run("spotkania", "usun", "8", "--tak")
    assert result.exit_code == 1
    assert "Błąd: nie ma spotkania o numerze 8" in result.stderr
    assert snapshot(db_path) == before
