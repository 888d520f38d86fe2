"""Where the database lives, how it is opened, and what is refused (database rules)."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kooperacje.store.db import open_db, resolve_path
from tests.conftest import Result

Run = Callable[..., Result]

LOOKUP = ("gminy", "szukaj", "1012011")
CREATE = ("baza", "utworz")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _assert_polish_error(result: Result, code: int, *fragments: str) -> None:
    assert result.exit_code == code, result
    assert result.stderr.startswith("Błąd: "), result.stderr
    for fragment in fragments:
        assert fragment in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_new_database_is_private(run: Run, db_path: Path) -> None:
    old_umask = os.umask(0)  # even a permissive umask must not open the file to others
    try:
        result = run(*CREATE)
    finally:
        os.umask(old_umask)
    assert result.exit_code == 0, result.stderr
    assert _mode(db_path) == 0o600
    # Said once, on stderr, with the full path.
    assert result.stderr == f"Utworzono nową bazę danych: {db_path}\n"
    again = run(*CREATE)
    assert again.exit_code == 0
    assert again.stderr == ""
    assert "nie utworzono nowego pliku" in again.stdout


def test_missing_directories_are_created_by_a_command_that_sets_up(
    run: Run, tmp_path: Path
) -> None:
    path = tmp_path / "dane" / "pzk" / "baza.db"
    result = run("--baza", str(path), "zespoly", "zaloz", "--gmina", "1012011")
    assert result.exit_code == 0, result.stderr
    assert _mode(path) == 0o600
    assert str(path) in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        LOOKUP,
        ("instytucje", "lista"),
        ("zespoly", "lista"),
        ("koszyk", "--gmina", "1012011"),
        ("raport", "zbiorczy"),
        ("eksport", "instytucje"),
        ("historia",),
        ("baza", "sprawdz"),
        ("import", "instytucje", "brak.csv", "--proba"),
    ],
)
def test_a_command_that_only_reads_creates_nothing(
    run: Run, tmp_path: Path, args: tuple[str, ...]
) -> None:
    path = tmp_path / "literowka" / "baza.db"
    result = run("--baza", str(path), *args)
    _assert_polish_error(result, 1, "nie ma bazy danych", str(path), "baza utworz")
    assert "(--baza)" in result.stderr
    assert "też nie istnieje" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_the_refusal_names_where_the_path_came_from(
    run: Run, tmp_path: Path, db_path: Path
) -> None:
    result = run("instytucje", "lista")
    _assert_polish_error(result, 1, str(db_path), "zmienna KOOPERACJE_BAZA")
    assert not db_path.exists()


@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_database_option_is_refused(run: Run, db_path: Path, value: str) -> None:
    result = run("--baza", value, "instytucje", "lista")
    _assert_polish_error(result, 1, "--baza jest pusta")
    assert not db_path.exists()


def test_an_empty_database_variable_is_refused(
    run: Run, db_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("KOOPERACJE_BAZA", "")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    result = run("baza", "utworz")
    _assert_polish_error(result, 1, "KOOPERACJE_BAZA jest pusta")
    assert not (tmp_path / "xdg").exists()


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("-h",),
        (),
        ("gminy",),
        ("gminy", "--help"),
        ("gminy", "szukaj", "--help"),
    ],
)
def test_help_creates_no_file(run: Run, db_path: Path, args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.exit_code in (0, 2)  # a group called bare shows its help with exit code 2
    assert "Użycie: kooperacje" in result.stdout
    assert list(db_path.parent.iterdir()) == []


def test_text_file_is_refused_and_left_alone(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "notatki.txt"
    path.write_text("Spotkanie inicjujące 25.09.2019\n", encoding="utf-8")
    result = run("--baza", str(path), *LOOKUP)
    _assert_polish_error(result, 1, "nie jest bazą danych SQLite", str(path))
    assert path.read_text(encoding="utf-8") == "Spotkanie inicjujące 25.09.2019\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notatki.txt"]


def test_directory_is_refused(run: Run, tmp_path: Path) -> None:
    result = run("--baza", str(tmp_path), *LOOKUP)
    _assert_polish_error(result, 1, "katalogiem")


@pytest.mark.parametrize(
    "args", [LOOKUP, CREATE, ("instytucje", "dodaj", "X", "-g", "1012011", "-s", "inne")]
)
def test_an_empty_file_is_not_turned_into_a_database(
    run: Run, tmp_path: Path, args: tuple[str, ...]
) -> None:
    path = tmp_path / "pusta.db"
    path.touch()
    result = run("--baza", str(path), *args)
    _assert_polish_error(result, 1, "jest pusty (0 bajtów)")
    assert path.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pusta.db"]


def _foreign(path: Path) -> bytes:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notatki (id INTEGER PRIMARY KEY, tekst TEXT)")
    conn.execute("INSERT INTO notatki (tekst) VALUES ('moje notatki')")
    conn.commit()
    conn.close()
    return path.read_bytes()


@pytest.mark.parametrize(
    "args", [LOOKUP, CREATE, ("instytucje", "dodaj", "X", "-g", "1012011", "-s", "inne")]
)
def test_a_database_of_another_program_is_never_migrated(
    run: Run, tmp_path: Path, args: tuple[str, ...]
) -> None:
    path = tmp_path / "inna.db"
    before = _foreign(path)
    result = run("--baza", str(path), *args)
    _assert_polish_error(result, 1, "innego programu", str(path))
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inna.db"]


def test_a_database_with_migrations_of_another_program_is_refused(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "inna.db"
    _foreign(path)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE _sqlite_migrations (migration_set TEXT, name TEXT, applied_at TEXT)")
    conn.execute("INSERT INTO _sqlite_migrations VALUES ('inny', 'm001', '2030-01-01')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    result = run("--baza", str(path), *CREATE)
    _assert_polish_error(result, 1, "innego programu")
    assert path.read_bytes() == before


def test_a_blank_sqlite_file_becomes_a_database_only_when_asked(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "nowa.db"
    sqlite3.connect(path).execute("VACUUM").connection.close()  # a header, no tables
    before = path.read_bytes()
    assert before.startswith(b"SQLite format 3")
    result = run("--baza", str(path), *LOOKUP)
    _assert_polish_error(result, 1, "nie ma bazy danych")
    assert path.read_bytes() == before
    assert run("--baza", str(path), *CREATE).exit_code == 0
    assert run("--baza", str(path), *LOOKUP).exit_code == 0


def test_database_from_a_newer_version_is_refused(run: Run, db_path: Path) -> None:
    open_db(db_path).conn.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('kooperacje', 'm999_z_przyszlosci', '2030-01-01 00:00:00+00:00')"
        )
    conn.close()
    before = db_path.read_bytes()
    result = run(*LOOKUP)
    _assert_polish_error(result, 1, "nowszej wersji", "Zaktualizuj")
    assert db_path.read_bytes() == before


def test_migrations_of_another_set_are_ignored(run: Run, db_path: Path) -> None:
    open_db(db_path).conn.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('inna_wtyczka', 'm001_cos', '2030-01-01 00:00:00+00:00')"
        )
    conn.close()
    assert run(*LOOKUP).exit_code == 0


def test_wal_foreign_keys_and_busy_timeout(db_path: Path) -> None:
    db = open_db(db_path)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        with pytest.raises(sqlite3.IntegrityError):
            db.execute(
                "INSERT INTO zespoly (uuid, gmina, nazwa, utworzono, zmieniono) "
                "VALUES ('u', '9999999', 'x', 't', 't')"
            )
    finally:
        db.conn.close()
    # WAL is a property of the file: a plain connection (a nightly report) sees it too.
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


def test_env_var_is_honoured(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "z_env.db"
    monkeypatch.setenv("KOOPERACJE_BAZA", str(path))
    assert run(*CREATE).exit_code == 0
    assert path.exists()


def test_option_wins_over_env_var(run: Run, tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "z_opcji.db"
    assert run("--baza", str(path), *CREATE).exit_code == 0
    assert path.exists()
    assert not db_path.exists()


def test_default_is_the_user_data_directory(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if sys.platform != "linux":
        pytest.skip("XDG_DATA_HOME is how platformdirs is redirected on Linux")
    monkeypatch.delenv("KOOPERACJE_BAZA")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    expected = tmp_path / "xdg" / "kooperacje" / "kooperacje.db"
    assert resolve_path(None) == expected
    refused = run(*LOOKUP)
    _assert_polish_error(refused, 1, str(expected), "domyślna baza")
    assert not (tmp_path / "xdg").exists()
    assert run(*CREATE).exit_code == 0
    assert _mode(expected) == 0o600


def test_unknown_command_is_a_usage_error(run: Run, db_path: Path) -> None:
    result = run("gminny")
    _assert_polish_error(result, 2, "nieznane polecenie", "gminny", "kooperacje --help")
    assert not db_path.exists()


def test_unknown_subcommand_is_a_usage_error(run: Run) -> None:
    result = run("gminy", "znajdz", "Radomsko")
    _assert_polish_error(result, 2, "nieznane polecenie", "znajdz", "kooperacje gminy --help")


def test_unknown_option_is_a_usage_error(run: Run, db_path: Path) -> None:
    result = run("gminy", "szukaj", "Radomsko", "--limt", "5")
    _assert_polish_error(result, 2, "nieznana opcja --limt", "--limit")
    assert not db_path.exists()


def test_bad_integer_is_a_polish_usage_error(run: Run) -> None:
    result = run("gminy", "szukaj", "Radomsko", "--limit", "dużo")
    _assert_polish_error(result, 2, "--limit", "liczbę całkowitą")


def test_missing_argument_is_a_usage_error(run: Run) -> None:
    result = run("gminy", "szukaj")
    _assert_polish_error(result, 2, "brak wymaganego argumentu")


def test_real_process_shows_no_traceback(tmp_path: Path) -> None:
    """The same refusal in a real process: exit 1, one Polish line, no traceback."""
    path = tmp_path / "obraz.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    env = {k: v for k, v in os.environ.items() if k != "KOOPERACJE_DEBUG"}
    proc = subprocess.run(
        [sys.executable, "-m", "kooperacje", "--baza", str(path), *LOOKUP],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("Błąd: ")
    assert "SQLite" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""
