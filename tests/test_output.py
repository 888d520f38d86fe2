"""Listings: a plain aligned table for pipes and files, rich's table on a terminal."""

from __future__ import annotations

import json

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from kooperacje import output
from kooperacje.formats import Format
from kooperacje.jsontext import json_text
from kooperacje.output import listing

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


_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
_rows = st.lists(st.dictionaries(st.text(), _scalars | st.lists(st.integers(), max_size=2)))


@given(_rows)
@example([])
@example([{}])
@example([{"a": float("nan"), "b": "ł\n\x00\u2028"}])
def test_json_listing_is_json_dumps_to_the_character(rows: list[dict[str, object]]) -> None:
    assert json_text(rows) == json.dumps(rows, ensure_ascii=False, indent=2)


def test_json_of_anything_else_is_json_dumps() -> None:
    for value in ({"a": 1}, [1, 2], [[{"a": 1}]], "x", None):
        assert json_text(value) == json.dumps(value, ensure_ascii=False, indent=2)
