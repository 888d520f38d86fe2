"""`kooperacje gminy szukaj`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Result

Run = Callable[..., Result]


@pytest.fixture(autouse=True)
def database(run: Run, db_path: Path) -> Path:
    """The register lives in the database: a lookup needs one (and never creates it)."""
    assert run("baza", "utworz").exit_code == 0
    return db_path


def test_search_is_diacritics_insensitive(run: Run) -> None:
    result = run("gminy", "szukaj", "lodz", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert rows[0]["nazwa"] == "Łódź"
    assert {"1061011", "1061"} <= {r["kod"] for r in rows}


def test_search_by_code_prefix(run: Run) -> None:
    result = run("gminy", "szukaj", "101201", "--format", "csv")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "kod,nazwa,rodzaj,powiat,wojewodztwo"
    assert "1012011,Radomsko,gmina miejska,radomszczański,łódzkie" in lines


def test_search_shows_both_kinds_of_radomsko(run: Run) -> None:
    result = run("gminy", "szukaj", "Radomsko", "--format", "json")
    kinds = {r["kod"]: r["rodzaj"] for r in json.loads(result.stdout)}
    assert kinds["1012011"] == "gmina miejska"
    assert kinds["1012122"] == "gmina wiejska"


def test_empty_text_is_an_error(run: Run) -> None:
    result = run("gminy", "szukaj", "  ")
    assert result.exit_code == 1
    assert result.stderr.startswith("Błąd: ")


def test_bad_format_is_a_usage_error(run: Run) -> None:
    result = run("gminy", "szukaj", "lodz", "--format", "xml")
    assert result.exit_code == 2
    assert "Błąd: niepoprawna wartość" in result.stderr
    assert "tabela, csv, json" in result.stderr
