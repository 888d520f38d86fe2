"""Hostile input through every command that takes input: no traceback, exit 0, 1 or 2,
a Polish message, and on refusal the database unchanged."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories
from tests.conftest import Result, snapshot

Run = Callable[..., Result]

HOSTILE = [
    "",
    "   ",
    "x" * 10_000,
    "Nazwa\x00z bajtem NUL",
    "\u202eanzcilbuP\u202c",  # right-to-left override
    "'; DROP TABLE instytucje; --",
    "1 OR 1=1",
    "<script>alert('x')</script>",
    '=HYPERLINK("http://zly.example";"x")',
    "@SUM(A1:A9)",
    "+48 000",
    "-1",
    "\udcff\udcfe",  # invalid UTF-8 in argv, as Python passes it on
    "..",
    "%s%n{0}",
]

# {x} is replaced by the hostile value.
COMMANDS = [
    ["instytucje", "dodaj", "{x}", "-g", "1012011", "-s", "inne"],
    ["instytucje", "dodaj", "Nowa", "-g", "{x}", "-s", "inne"],
    ["instytucje", "dodaj", "Nowa", "-g", "1012011", "-s", "{x}"],
    ["instytucje", "dodaj", "Nowa", "-g", "1012011", "-s", "inne", "--nip", "{x}"],
    ["instytucje", "dodaj", "Nowa", "-g", "1012011", "-s", "inne", "--email", "{x}"],
    ["instytucje", "dodaj", "Nowa", "-g", "1012011", "-s", "inne", "--www", "{x}"],
    ["instytucje", "lista", "--gmina", "{x}"],
    ["instytucje", "pokaz", "{x}"],
    ["instytucje", "edytuj", "PCPR", "--nazwa", "{x}"],
    ["instytucje", "usun", "{x}", "--tak"],
    ["osoby", "dodaj", "{x}", "-i", "PCPR"],
    ["osoby", "dodaj", "Anna Kowalska", "-i", "{x}", "--telefon", "600 100 200"],
    ["osoby", "edytuj", "Anna Nowak", "--telefon", "{x}"],
    ["osoby", "eksportuj", "{x}"],
    ["osoby", "usun", "{x}", "--tak"],
    ["gminy", "szukaj", "{x}"],
    ["zespoly", "dodaj", "-g", "{x}"],
    ["spotkania", "dodaj", "-g", "1012011", "-d", "{x}", "-m", "Sala", "-r", "posiedzenie"],
    ["spotkania", "dodaj", "-g", "1012011", "-d", "2019-10-09", "-m", "{x}", "-r", "inne"],
    ["deklaracje", "dodaj", "-i", "{x}", "-g", "1012011", "-d", "2019-10-09"],
    ["uslugi", "dodaj", "{x}", "-i", "PCPR", "-a", "kultura"],
    ["uslugi", "dodaj", "Usługa", "-i", "PCPR", "-a", "kultura", "--zasieg", "{x}"],
    ["koszyk", "-g", "{x}"],
    ["historia", "--instytucja", "{x}"],
    ["historia", "--od", "{x}"],
    ["eksport", "instytucje", "-o", "{x}"],
    ["import", "instytucje", "{x}"],
    ["import", "instytucje", "plik.csv", "--mapowanie", "{x}"],
    ["baza", "kopia", "{x}"],
    ["baza", "przywroc", "{x}", "--tak"],
]


@pytest.fixture(autouse=True)
def work_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Relative paths among the values (for -o, kopia…) land in a scratch directory."""
    folder = tmp_path / "praca"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with an institution, a person and a team to aim the commands at."""
    path = tmp_path_factory.mktemp("hostile") / "prepared.db"
    conn = factories.connect(path)
    pcpr = factories.institution(conn, "Powiatowe Centrum Pomocy Rodzinie", skrot="PCPR")
    factories.person(conn, pcpr, "Anna Nowak")
    factories.team(conn)
    conn.close()
    return path


@pytest.fixture(scope="module")
def prepared_rows(prepared: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the prepared database: each test starts from a copy of it."""
    return snapshot(prepared)


def _check(result: Result, path: Path, before: dict[str, list[tuple[object, ...]]]) -> None:
    shown = result.stdout + result.stderr
    assert "Traceback" not in shown
    assert result.exit_code in (0, 1, 2), shown
    if result.exit_code:
        assert result.stderr.startswith("Błąd: "), shown
        assert "nieoczekiwany błąd" not in shown
        assert snapshot(path) == before
    conn = sqlite3.connect(path)
    try:
        # Nothing was executed as SQL: the register and the tables are all there.
        assert conn.execute("SELECT count(*) FROM teryt").fetchone() == (4360,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c).replace("{x}", "X"))
def test_hostile_arguments(
    run: Run,
    db_path: Path,
    prepared: Path,
    prepared_rows: dict[str, list[tuple[object, ...]]],
    tmp_path: Path,
    command: list[str],
) -> None:
    Path("plik.csv").write_text("Nazwa;Gmina;Sektor\nA;1012011;inne\n", "utf-8")
    for value in HOSTILE:
        shutil.copyfile(prepared, db_path)
        args = [part.replace("{x}", value) for part in command]
        _check(run(*args), db_path, prepared_rows)


HOSTILE_FILES = {
    "pusty": b"",
    "nie-arkusz": b"\x7fELF\x02\x01\x01\x00\x00\x00binary",
    "html": b"<html><body><script>alert(1)</script></body></html>",
    "zly-utf8": b"Nazwa;Gmina;Sektor\n\xc3\x28\xa0\xa1;1012011;inne\n",
    "bom-i-zly-utf8": b"\xef\xbb\xbfNazwa;Gmina;Sektor\n\xc3\x28;1012011;inne\n",
    "udawany-zip": b"PK\x03\x04" + b"\x00" * 64,
    "formuly": b"Nazwa;Gmina;Sektor\n=cmd|' /C calc'!A0;1012011;inne\n",
    "same-naglowki": b"Nazwa;Gmina;Sektor\n",
    "nul": b"Nazwa;Gmina\x00;Sektor\n",
    "dlugi-wiersz": ("Nazwa;Gmina;Sektor\n" + "x" * 100_000 + ";1012011;inne\n").encode(),
    "sqlite-obcy": b"SQLite format 3\x00" + b"\x00" * 200,
}


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_hostile_files(
    run: Run,
    db_path: Path,
    prepared: Path,
    prepared_rows: dict[str, list[tuple[object, ...]]],
    tmp_path: Path,
    name: str,
) -> None:
    path = tmp_path / f"{name}.csv"
    path.write_bytes(HOSTILE_FILES[name])
    for command in (
        ["import", "instytucje", str(path)],
        ["import", "uslugi", str(path)],
        ["import", "instytucje", str(path), "--proba"],
        ["baza", "przywroc", str(path), "--tak"],
        ["--baza", str(path), "instytucje", "lista"],
    ):
        shutil.copyfile(prepared, db_path)
        result = run(*command)
        _check(result, db_path, prepared_rows)
        if command[0] != "--baza" or HOSTILE_FILES[name]:
            # Read, never changed (an empty file given as --baza becomes a new database).
            assert path.read_bytes() == HOSTILE_FILES[name]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.text(max_size=300), sector=st.sampled_from(["inne", "kosmos", ""]))
def test_any_text_as_an_institution(
    run: Run,
    db_path: Path,
    prepared: Path,
    prepared_rows: dict[str, list[tuple[object, ...]]],
    name: str,
    sector: str,
) -> None:
    shutil.copyfile(prepared, db_path)
    result = run("instytucje", "dodaj", name, "-g", "1012011", "-s", sector)
    _check(result, db_path, prepared_rows)
    if result.exit_code == 0:
        conn = sqlite3.connect(db_path)
        stored = conn.execute("SELECT nazwa FROM instytucje ORDER BY id DESC LIMIT 1").fetchone()
        conn.close()
        assert isinstance(stored[0], str)
        assert stored[0].strip()
