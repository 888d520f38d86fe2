"""The one CSV writer: formulas neutralised whatever delimiter a spreadsheet guesses, and the
dialect Excel in Poland opens (BOM, `;`, decimal comma)."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kooperacje.spreadsheet import (
    DELIMITERS,
    TRIGGERS,
    csv_bytes,
    csv_text,
    neutralise,
    restore,
)

SKIPPED = " \u00a0\n\"'"
# Text with many of the characters that matter here, and any other text too.
TRICKY = st.text(alphabet=st.sampled_from("=+-@\t\r,;|' \"\n\u00a0a1(.)!＝"), max_size=25)
ANY_TEXT = st.one_of(TRICKY, st.text(max_size=40))


def is_number(text: str) -> bool:
    """A number or a list of phone numbers: a sign and a digit first, and no letter."""
    body = text.strip(SKIPPED)
    return bool(re.fullmatch(r"[+-][0-9][0-9 .,;()/+'-]*", body))


def evaluable(cell: str) -> bool:
    """Whether a spreadsheet could run the cell as a formula: after leading spaces and
    quotes it starts with a trigger, and it is not a plain number or phone number. A cell
    that starts with an apostrophe is text."""
    if cell.startswith("'"):
        return False
    body = cell.lstrip(SKIPPED)
    return body[:1] in TRIGGERS and not is_number(body)


@given(ANY_TEXT)
def test_restore_gives_back_exactly_what_was_neutralised(text: str) -> None:
    assert restore(neutralise(text)) == text


@given(ANY_TEXT)
def test_no_delimiter_a_spreadsheet_guesses_uncovers_a_formula(text: str) -> None:
    safe = neutralise(text)
    assert not evaluable(safe)
    for delimiter in DELIMITERS:
        for piece in safe.split(delimiter)[1:]:
            assert not evaluable(piece), (delimiter, piece)


@given(st.text(alphabet=st.characters(blacklist_characters="=+-@\t\r＝＋－＠"), max_size=40))
def test_text_without_triggers_is_left_alone(text: str) -> None:
    assert neutralise(text) == text


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        (
            '=HYPERLINK("http://zly.example";"Kliknij")',
            '\'=HYPERLINK("http://zly.example";"Kliknij")',
        ),
        ("@SUM(1;2)", "'@SUM(1;2)"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("\t=1", "'\t'=1"),  # a tab also splits cells
        ("\r=1", "'\r=1"),
        ("  =1", "'  =1"),
        ('"=1"', '\'"=1"'),
        ("'=1", "''=1"),
        ("＝1+1", "'＝1+1"),
        ("Radomsko; =cmd", "Radomsko;' =cmd"),
        ("a,=1", "a,'=1"),
        ("a|@x", "a|'@x"),
        ("- punkt pierwszy", "'- punkt pierwszy"),
        # Numbers and phone numbers: nothing to run, no apostrophe to show.
        ("+48 44 715 07 95", "+48 44 715 07 95"),
        ("+48 (44) 715-07-95", "+48 (44) 715-07-95"),
        ("-5", "-5"),
        ("tel. 44 683 25 52, +48 600 100 200", "tel. 44 683 25 52, +48 600 100 200"),
        ("ul. Tkacka 5, 97-500 Radomsko", "ul. Tkacka 5, 97-500 Radomsko"),
        ("8:00-16:00", "8:00-16:00"),
        ("", ""),
    ],
)
def test_examples(cell: str, safe: str) -> None:
    assert neutralise(cell) == safe
    assert restore(safe) == cell


def test_polish_excel_file() -> None:
    data = csv_bytes([["Zespół", "Średnio"], ["=PZK", 0.2], ["Łódź", Decimal("2.50")], ["x", None]])
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text == "Zespół;Średnio\r\n'=PZK;0,2\r\nŁódź;2,50\r\nx;\r\n"
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1] == ["'=PZK", "0,2"]


def test_plain_csv_for_scripts() -> None:
    text = csv_text([["a", "b"], ["=1", 0.5], [True, 3]], excel=False)
    assert text == "a,b\n'=1,0.5\ntak,3\n"
