"""Shared fixtures: every test gets its own database file under tmp_path."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kooperacje.cli import app
from kooperacje.store.db import open_db

SHARED = Path(__file__).resolve().parents[2] / "shared"


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture(autouse=True)
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point KOOPERACJE_BAZA into tmp_path so no test touches a real file."""
    path = tmp_path / "test.db"
    monkeypatch.setenv("KOOPERACJE_BAZA", str(path))
    # Nor a real config file (which could name another database or templates).
    monkeypatch.setenv("KOOPERACJE_KONFIGURACJA", str(tmp_path / "kooperacje.toml"))
    monkeypatch.delenv("KOOPERACJE_DEBUG", raising=False)
    return path


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated empty database, built once: copying it is much faster than migrating."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    open_db(path).close()
    return path


@pytest.fixture
def run() -> Callable[..., Result]:
    """Invoke the CLI in-process: run("instytucje", "lista") -> Result."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        result = runner.invoke(app, list(args), input=input, prog_name="kooperacje")
        return Result(result.exit_code, result.stdout, result.stderr)

    return invoke


@pytest.fixture
def query(db_path: Path) -> Iterator[Callable[..., list[tuple[object, ...]]]]:
    """Run SQL against the test database through a fresh connection."""
    conns: list[sqlite3.Connection] = []

    def q(sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        conn = sqlite3.connect(db_path)
        conns.append(conn)
        return list(conn.execute(sql, params))

    yield q
    for conn in conns:
        conn.close()


def snapshot(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every user table's rows, to assert that a failed command changed nothing."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"'), key=repr) for t in tables}
    finally:
        conn.close()


# Tests of issue 11 whose subject is built on branch i11-files (output files, the site, the
# demo, refusing foreign or missing databases, the CSV writer, file modes, numbers too large
# for a record): they fail on this branch until that work reaches main. Each entry names
# the test and the parameters that already pass here (None: none do).
_ON_BRANCH_I11_FILES: dict[str, frozenset[str] | None] = {
    "test_a_foreign_sqlite_file_is_refused_and_left_byte_identical": None,
    "test_an_empty_file_is_not_silently_turned_into_a_database": None,
    "test_a_missing_directory_is_not_created_for_a_listing": None,
    "test_a_mistyped_file_name_is_not_created_for_a_listing": None,
    "test_an_empty_database_option_is_refused": None,
    "test_every_csv_neutralises_formulas": frozenset({"eksport-instytucje", "eksport-uslugi"}),
    "test_summary_report_csv_file_neutralises_formulas": None,
    "test_hsds_csvs_neutralise_formulas": None,
    "test_a_huge_number_gives_a_polish_message": frozenset(
        {"osoby usun BIG --tak", "osoby eksportuj BIG"}
    ),
    "test_documents_naming_staff_are_written_private": None,
    "test_an_existing_public_document_naming_staff_becomes_private": None,
    "test_site_pages_naming_staff_are_private": None,
    "test_output_onto_the_live_database_is_refused": None,
    "test_output_onto_another_sqlite_file_is_refused": None,
    "test_output_onto_a_backup_is_refused": None,
    "test_output_onto_the_live_database_by_another_name_is_refused": None,
    "test_output_onto_the_journal_files_is_refused": None,
    "test_hsds_into_the_database_directory_leaves_the_database": None,
    "test_eksport_over_an_existing_file_on_a_full_disk_keeps_the_old_file": None,
    "test_site_rerun_keeps_the_users_files": None,
    "test_site_refuses_a_directory_holding_the_database_and_its_backups": None,
    "test_site_through_a_symlink_keeps_the_symlink": None,
    "test_demo_refuses_a_directory_holding_the_users_own_demo_db": None,
    "test_demo_refuses_a_directory_holding_another_database_named_demo_db": None,
    "test_demo_refuses_a_directory_with_other_files": None,
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name not in ("test_safe_files.py", "test_safe_outputs.py"):
            continue
        name = getattr(item, "originalname", item.name)
        if name not in _ON_BRANCH_I11_FILES:
            continue
        passing = _ON_BRANCH_I11_FILES[name]
        callspec = getattr(item, "callspec", None)
        if passing is not None and callspec is not None and callspec.id in passing:
            continue
        item.add_marker(pytest.mark.xfail(strict=True, reason="files: branch i11-files"))
