"""A team's rules (regulamin) as dated versions, and its mission sentence."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kooperacje.errors import InvalidInput
from kooperacje.teams.rules import MAX_BYTES, read_text
from tests.conftest import Result, snapshot

Run = Callable[..., Result]
Query = Callable[..., list[tuple[object, ...]]]

ZAWIERCIE = "2416021"
RULES = (
    "# Regulamin\n\n## § 1. Członkostwo\n\nCzłonkiem jest instytucja, która złożyła deklarację.\n"
)


def _ok(result: Result) -> Result:
    assert result.exit_code == 0, result.stderr
    return result


@pytest.fixture
def team(run: Run, tmp_path: Path) -> Path:
    """Zawiercie's team (nr 1) with two meetings (nr 1 and 2); the rules file."""
    _ok(run("zespoly", "zaloz", "-g", ZAWIERCIE, "--misja", "Razem szybciej pomagamy rodzinom."))
    _ok(run("zespoly", "zaloz", "-g", "1012011"))
    _ok(run("spotkania", "dodaj", "-g", ZAWIERCIE, "-d", "2019-09-27", "-m", "Hotel Zawiercie",
            "-r", "inicjujace", "--tytul", "Inauguracja"))  # fmt: skip
    _ok(run("spotkania", "dodaj", "-g", ZAWIERCIE, "-d", "2020-03-02", "-m", "MOPS",
            "-r", "posiedzenie"))  # fmt: skip
    _ok(run("spotkania", "dodaj", "-g", "1012011", "-d", "2020-03-03", "-m", "Muzeum",
            "-r", "posiedzenie"))  # fmt: skip
    path = tmp_path / "regulamin.md"
    path.write_bytes(b"\xef\xbb\xbf" + RULES.replace("\n", "\r\n").encode("utf-8"))
    return path


def test_versions_adopted_at_meetings_and_the_one_in_force(
    run: Run, query: Query, team: Path, tmp_path: Path
) -> None:
    added = _ok(
        run("zespoly", "regulamin", "dodaj", "-g", ZAWIERCIE, "--plik", str(team), "-s", "1")
    )
    assert "Zapisano wersję regulaminu nr 1" in added.stdout
    assert "przyjętą 27 września 2019 r." in added.stdout
    second = tmp_path / "zmiana.md"
    second.write_text(RULES + "\n## § 2. Spotkania\n\nRaz na kwartał.\n", "utf-8")
    _ok(run("zespoly", "regulamin", "dodaj", "--zespol", "1", "--plik", str(second),
            "--data", "2020-03-02", "--nazwa", "Regulamin po zmianach"))  # fmt: skip
    assert query("SELECT id, przyjeto, spotkanie, plik, substr(tekst, 1, 11) FROM regulaminy") == [
        (1, "2019-09-27", 1, "regulamin.md", "# Regulamin"),
        (2, "2020-03-02", None, "zmiana.md", "# Regulamin"),
    ]
    assert "\r" not in str(query("SELECT tekst FROM regulaminy WHERE id = 1")[0][0])
    old = _ok(run("zespoly", "regulamin", "pokaz", "-g", ZAWIERCIE, "--na-dzien", "2020-01-01"))
    assert "(wersja nr 1, przyjęta 27 września 2019 r.)" in old.stdout
    assert "§ 2" not in old.stdout
    assert "§ 2. Spotkania" in _ok(run("zespoly", "regulamin", "pokaz", "-g", ZAWIERCIE)).stdout
    listed = json.loads(_ok(run("zespoly", "regulamin", "lista", "-z", "1", "-f", "json")).stdout)
    assert [(r["id"], r["przyjeto"], r["spotkanie"]) for r in listed] == [
        (1, "2019-09-27", 1),
        (2, "2020-03-02", None),
    ]
    report = _ok(run("raport", "zespol", "-g", ZAWIERCIE, "--na-dzien", "2020-01-01")).stdout
    assert "- **Misja:** Razem szybciej pomagamy rodzinom." in report
    assert "(wersja nr 1, przyjęta 27 września 2019 r.)" in report
    assert "regulamin nr 2" in _ok(run("historia")).stdout


def test_printed_rules_escape_html_in_the_text(run: Run, team: Path, tmp_path: Path) -> None:
    team.write_text(RULES + "\n<script>alert(1)</script>\n\n[link](javascript:alert(1))\n", "utf-8")
    _ok(run("zespoly", "regulamin", "dodaj", "-g", ZAWIERCIE, "--plik", str(team), "-s", "1"))
    out = tmp_path / "regulamin.html"
    _ok(run("raport", "regulamin", "-g", ZAWIERCIE, "-o", str(out)))
    html = out.read_text("utf-8")
    assert "<h2>§ 1. Członkostwo</h2>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert "na spotkaniu 27 września 2019 r. („Inauguracja”)" in html
    text = _ok(run("raport", "regulamin", "--numer", "1")).stdout
    assert text.startswith("# Regulamin zespołu „Partnerski Zespół Kooperacyjny – Zawiercie")
    assert "## § 1. Członkostwo" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-g", ZAWIERCIE, "--plik", "brak.md", "-s", "1"], 'nie ma pliku "'),
        (["-g", ZAWIERCIE, "--plik", ".", "-s", "1"], "jest katalogiem"),
        (["-g", ZAWIERCIE, "--plik", "{empty}", "-s", "1"], "jest pusty"),
        (["-g", ZAWIERCIE, "--plik", "{latin2}", "-s", "1"], "nie jest tekstem UTF-8"),
        (["-g", ZAWIERCIE, "--plik", "{big}", "-s", "1"], "za dużo jak na regulamin"),
        (["-g", ZAWIERCIE, "--plik", "{ok}"], "podaj, kiedy przyjęto regulamin"),
        (["-g", ZAWIERCIE, "--plik", "{ok}", "-s", "3"], "nie jest spotkaniem zespołu"),
        (["-g", ZAWIERCIE, "--plik", "{ok}", "-s", "1", "-d", "2019-09-28"],
         "odbyło się 27 września 2019 r., a podana data przyjęcia to 28 września 2019 r."),
        (["-g", ZAWIERCIE, "--plik", "{ok}", "-s", "9"], "nie ma spotkania o numerze 9"),
        (["--plik", "{ok}", "-s", "1"], "wskaż zespół"),
    ],
)  # fmt: skip
def test_bad_rules_are_refused_and_nothing_written(
    run: Run, db_path: Path, team: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "pusty.md").write_text("  \n\n", "utf-8")
    (tmp_path / "latin2.md").write_bytes("Regulamin zespołu".encode("iso-8859-2"))
    (tmp_path / "duzy.md").write_text("x" * (MAX_BYTES + 10), "utf-8")
    files = {"{empty}": "pusty.md", "{latin2}": "latin2.md", "{big}": "duzy.md"}
    files["{ok}"] = team.name
    args = [str(tmp_path / files.get(a, a)) if a in files or a.endswith(".md") else a for a in args]
    args = [str(tmp_path) if a == "." else a for a in args]
    before = snapshot(db_path)
    result = run("zespoly", "regulamin", "dodaj", *args)
    assert result.exit_code == 1, result
    assert message in result.stderr, result.stderr
    assert snapshot(db_path) == before


def test_one_version_a_day_and_removal(run: Run, query: Query, team: Path) -> None:
    _ok(run("zespoly", "regulamin", "dodaj", "-g", ZAWIERCIE, "--plik", str(team), "-s", "1"))
    again = run("zespoly", "regulamin", "dodaj", "-g", ZAWIERCIE, "--plik", str(team),
                "-d", "2019-09-27")  # fmt: skip
    assert again.exit_code == 1
    assert "ma już wersję regulaminu nr 1 przyjętą 27 września 2019 r." in again.stderr
    _ok(run("zespoly", "regulamin", "usun", "1", "--tak"))
    assert query("SELECT count(*) FROM regulaminy") == [(0,)]
    missing = run("raport", "regulamin", "-g", ZAWIERCIE)
    assert missing.exit_code == 1 and "nie ma regulaminu" in missing.stderr


@pytest.mark.parametrize(
    ("mission", "message"),
    [
        ("Pierwsze zdanie.\nDrugie zdanie.", "jedno zdanie w jednym wierszu"),
        ("x" * 401, "misja zespołu jest za długa (401 znaków"),
    ],
)
def test_mission_is_one_sentence(
    run: Run, db_path: Path, team: Path, mission: str, message: str
) -> None:
    before = snapshot(db_path)
    result = run("zespoly", "edytuj", "1", "--misja", mission)
    assert result.exit_code == 1 and message in result.stderr
    assert snapshot(db_path) == before


def test_mission_edit_and_clear(run: Run, query: Query, team: Path) -> None:
    edit = _ok(run("zespoly", "edytuj", "1", "--misja", "Nowa misja zespołu."))
    assert "misja: Razem szybciej pomagamy rodzinom. → Nowa misja zespołu." in edit.stdout
    assert "Misja:" in _ok(run("zespoly", "pokaz", "1")).stdout
    _ok(run("zespoly", "edytuj", "1", "--misja", ""))
    assert query("SELECT misja FROM zespoly WHERE id = 1") == [(None,)]
    assert "**Misja:**" not in _ok(run("raport", "zespol", "-z", "1")).stdout


def test_migration_adds_rules_and_keeps_teams(tmp_path: Path) -> None:
    from sqlite_utils import Database

    from kooperacje.store.db import open_db
    from kooperacje.store.migrations import migrations

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    migrations.apply(Database(conn), stop_before="m012_rules")
    conn.execute(
        "INSERT INTO zespoly (id, uuid, gmina, nazwa, utworzono, zmieniono) "
        "VALUES (1, 'z', '2416021', 'PZK Zawiercie', 't', 't')"
    )
    conn.commit()
    conn.close()
    open_db(path).close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT id, nazwa, misja FROM zespoly").fetchall() == [
            (1, "PZK Zawiercie", None)
        ]
        conn.execute("UPDATE zespoly SET misja = 'M' WHERE id = 1")
        assert conn.execute(
            "SELECT pole, nowa FROM _zmiany WHERE tabela = 'zespoly' ORDER BY id DESC"
        ).fetchone() == ("misja", "M")
    finally:
        conn.close()


@given(data=st.binary(max_size=300))
def test_any_bytes_are_read_or_refused_in_polish(tmp_path_factory: pytest.TempPathFactory,
                                                 data: bytes) -> None:  # fmt: skip
    path = tmp_path_factory.mktemp("regulamin") / "r.md"
    path.write_bytes(data)
    try:
        text = read_text(path)
    except InvalidInput as exc:
        assert exc.message
    else:
        assert text.endswith("\n") and text.strip() and "\x00" not in text and "\r" not in text


def test_a_version_number_and_a_team_together_are_refused(
    run: Run, db_path: Path, team: Path
) -> None:
    before = snapshot(db_path)
    result = run("raport", "regulamin", "--numer", "1", "-g", ZAWIERCIE)
    assert result.exit_code == 1
    assert "nie jedno i drugie" in result.stderr
    assert snapshot(db_path) == before
