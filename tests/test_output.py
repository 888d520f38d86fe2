"""Listings: a plain aligned table for pipes and files, rich's table on a terminal."""

from __future__ import annotations

import pytest

from kooperacje import output
from kooperacje.output import Format, listing

COLUMNS = [("id", "Nr"), ("nazwa", "Nazwa"), ("skrot", "Skrót")]
ROWS = [
    {"id": 1, "nazwa": "Miejski Ośrodek Pomocy Społecznej", "skrot": "MOPS"},
    {"id": 12, "nazwa": "Klub\nSportowy", "skrot": None},
]


def test_plain_table_when_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    listing(ROWS, COLUMNS, Format.tabela, title="Instytucje: 2")
    assert capsys.readouterr().out.splitlines() == [
        "Instytucje: 2",
        "Nr  Nazwa                              Skrót",
        "--  ---------------------------------  -----",
        "1   Miejski Ośrodek Pomocy Społecznej  MOPS",
        "12  Klub Sportowy",
    ]


def test_no_rich_for_a_pipe(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The test process has imported rich long ago: check the path taken instead.
    def fail(*args: object) -> None:
        raise AssertionError("rich table drawn for a pipe")

    monkeypatch.setattr(output, "_rich_table", fail)
    listing(ROWS, COLUMNS, Format.tabela)
    assert "MOPS" in capsys.readouterr().out


def test_rich_table_on_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output, "_stdout_is_terminal", lambda: True)
    listing(ROWS, COLUMNS, Format.tabela, title="Instytucje: 2")
    out = capsys.readouterr().out
    assert "Instytucje: 2" in out and "Miejski Ośrodek Pomocy Społecznej" in out
    assert "---" not in out  # rich's own rule, not the plain table's


def test_empty_listing_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    listing([], COLUMNS, Format.tabela, empty="Brak instytucji.")
    assert capsys.readouterr().out == "Brak instytucji.\n"
