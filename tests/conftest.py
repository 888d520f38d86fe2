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
