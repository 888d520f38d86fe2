"""Property-based tests of the parsers of user input: dates, NIP/REGON, gminas, vocabularies."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from kooperacje.dates import parse_date, parse_time
from kooperacje.errors import Ambiguous, InvalidInput, KooperacjeError, NotFound
from kooperacje.register import teryt, validate, vocab
from kooperacje.store.db import open_db
from kooperacje.text import fold, polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


# ---- dates ------------------------------------------------------------------------------


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_every_date_round_trips_in_both_forms(day: dt.date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(day.strftime("%d.%m.%Y").rjust(10, "0")) == day
    assert parse_date(f"{day.day}.{day.month}.{day.year:04d}") == day
    assert parse_date(f" {day.day:02d}.{day.month:02d}.{day.year:04d} r.") == day


@given(
    st.integers(1000, 9999),
    st.integers(0, 99),
    st.integers(0, 99),
)
@example(2019, 2, 30)
@example(2019, 2, 29)
@example(2019, 13, 1)
@example(2019, 4, 31)
def test_impossible_dates_raise_invalid_input(year: int, month: int, day: int) -> None:
    try:
        dt.date(year, month, day)
    except ValueError:
        pass
    else:
        assume(False)
    for text in (f"{year}-{month:02d}-{day:02d}", f"{day:02d}.{month:02d}.{year}"):
        with pytest.raises(InvalidInput) as info:
            parse_date(text)
        assert "Sprawdź" in info.value.message or "Podaj" in info.value.message


@given(st.text(max_size=30))
@example("25/09/2019")
@example("2019-9-25T10:00")
@example("٢٠١٩-٠٩-٢٥")  # Arabic-Indic digits: \d matches them, dt.date must not be reached
def test_any_text_is_a_date_or_invalid_input(text: str) -> None:
    try:
        result = parse_date(text)
    except InvalidInput:
        return
    assert isinstance(result, dt.date)


@given(st.integers(0, 23), st.integers(0, 59))
def test_times_normalise(hour: int, minute: int) -> None:
    assert parse_time(f"{hour}:{minute:02d}") == f"{hour:02d}:{minute:02d}"
    assert parse_time(f"{hour:02d}.{minute:02d}") == f"{hour:02d}:{minute:02d}"


@given(st.text(max_size=10))
@example("24:00")
@example("10:60")
def test_any_text_is_a_time_or_invalid_input(text: str) -> None:
    try:
        result = parse_time(text)
    except InvalidInput:
        return
    hour, minute = result.split(":")
    assert 0 <= int(hour) < 24 and 0 <= int(minute) < 60


# ---- NIP and REGON ----------------------------------------------------------------------
# Reference implementations written from the published rules, independent of python-stdnum.

NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)
REGON9_WEIGHTS = (8, 9, 2, 3, 4, 5, 6, 7)
REGON14_WEIGHTS = (2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8)


def _weighted(number: str, weights: tuple[int, ...]) -> int:
    return sum(w * int(d) for w, d in zip(weights, number, strict=False))


def _nip_ok(number: str) -> bool:
    check = _weighted(number, NIP_WEIGHTS) % 11
    return check != 10 and int(number[9]) == check


def _regon_ok(number: str) -> bool:
    if int(number[8]) != _weighted(number, REGON9_WEIGHTS) % 11 % 10:
        return False
    return len(number) == 9 or int(number[13]) == _weighted(number, REGON14_WEIGHTS) % 11 % 10


@st.composite
def nips(draw: st.DrawFn) -> str:
    body = draw(st.text(alphabet="0123456789", min_size=9, max_size=9))
    check = _weighted(body, NIP_WEIGHTS) % 11
    assume(check != 10)  # no valid NIP has this body
    return body + str(check)


@st.composite
def regons(draw: st.DrawFn) -> str:
    body = draw(st.text(alphabet="0123456789", min_size=8, max_size=8))
    number = body + str(_weighted(body, REGON9_WEIGHTS) % 11 % 10)
    if draw(st.booleans()):  # the 14-digit REGON of a local unit
        number += draw(st.text(alphabet="0123456789", min_size=4, max_size=4))
        number += str(_weighted(number, REGON14_WEIGHTS) % 11 % 10)
    return number


def _one_digit_changed(number: str, position: int, delta: int) -> str:
    position %= len(number)
    digit = (int(number[position]) + delta) % 10
    return number[:position] + str(digit) + number[position + 1 :]


@given(nips())
def test_valid_nip_is_accepted_in_any_usual_form(number: str) -> None:
    assert validate.nip(number) == number
    dashed = f"{number[:3]}-{number[3:6]}-{number[6:8]}-{number[8:]}"
    assert validate.nip(dashed) == number
    assert validate.nip(f" PL {number} ") == number


@given(nips(), st.integers(0, 9), st.integers(1, 9))
def test_nip_with_one_digit_changed_is_rejected(number: str, position: int, delta: int) -> None:
    # Every weight is non-zero and below 11, so a single changed digit always breaks the sum.
    changed = _one_digit_changed(number, position, delta)
    with pytest.raises(InvalidInput, match="NIP"):
        validate.nip(changed)


@given(regons())
def test_valid_regon_is_accepted(number: str) -> None:
    assert _regon_ok(number)
    assert validate.regon(number) == number


@given(regons(), st.integers(0, 13), st.integers(1, 9))
def test_regon_with_one_digit_changed(number: str, position: int, delta: int) -> None:
    # REGON maps a remainder of 10 to check digit 0, so (rarely) a changed digit still
    # gives a valid number; the reference implementation decides which.
    changed = _one_digit_changed(number, position, delta)
    if _regon_ok(changed):
        assert validate.regon(changed) == changed
    else:
        with pytest.raises(InvalidInput, match="REGON"):
            validate.regon(changed)


@given(st.text(max_size=20))
def test_any_text_is_a_nip_or_invalid_input(text: str) -> None:
    for parser in (validate.nip, validate.regon):
        with contextlib.suppress(InvalidInput):
            result = parser(text)
            assert result is None or result.isdigit()


# ---- gminas -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = open_db(tmp_path_factory.mktemp("rejestr") / "rejestr.db")
    yield db
    db.conn.close()


@pytest.fixture(scope="module")
def gminas(register: Database) -> list[tuple[str, str]]:
    rows = register.execute("SELECT kod, nazwa FROM teryt WHERE poziom = 'gmina' ORDER BY kod")
    return [(str(kod), str(nazwa)) for kod, nazwa in rows.fetchall()]


def test_every_gmina_code_resolves_to_itself(
    register: Database, gminas: list[tuple[str, str]]
) -> None:
    assert len(gminas) == 2479
    for code, name in gminas:
        unit = teryt.resolve_gmina(register, code)
        assert (unit.kod, unit.nazwa, unit.poziom) == (code, name, "gmina")


def _variants(data: st.DataObject, name: str) -> str:
    """name as a user might type it: any case, maybe without Polish letters."""
    text = fold(name) if data.draw(st.booleans()) else name
    flips = data.draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(ch.upper() if up else ch.lower() for ch, up in zip(text, flips, strict=True))


# Each lookup by name scans the register, so fewer examples than the default.
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_gmina_names_resolve_unless_ambiguous(
    register: Database, gminas: list[tuple[str, str]], data: st.DataObject
) -> None:
    code, name = data.draw(st.sampled_from(gminas))
    typed = _variants(data, name)
    same_name = sorted(c for c, n in gminas if fold(n) == fold(name))
    if len(same_name) == 1:
        assert teryt.resolve_gmina(register, f"  {typed} ").kod == code
    else:
        with pytest.raises(Ambiguous) as info:
            teryt.resolve_gmina(register, typed)
        for candidate in same_name:
            assert candidate in info.value.message
        assert "Podaj kod TERYT" in info.value.message


def test_radomsko_is_ambiguous_with_kinds(register: Database) -> None:
    with pytest.raises(Ambiguous) as info:
        teryt.resolve_gmina(register, "radomsko")
    assert "1012011 (gmina miejska" in info.value.message
    assert "1012122 (gmina wiejska" in info.value.message


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("1012", InvalidInput),  # a powiat, not a gmina
        ("101201", InvalidInput),  # six digits
        ("0410034", InvalidInput),  # the town part of a gmina, not the gmina
        ("9999999", NotFound),
        ("Gmina Której Nie Ma", NotFound),
    ],
)
def test_bad_gmina_references(register: Database, text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        teryt.resolve_gmina(register, text)


@settings(max_examples=50, deadline=None)
@given(text=st.text(max_size=12))
@example(text="")
@example(text="%")
@example(text="_")
def test_any_text_is_a_gmina_or_a_polish_error(register: Database, text: str) -> None:
    try:
        unit = teryt.resolve_gmina(register, text)
    except KooperacjeError as exc:
        assert exc.message
        return
    assert unit.poziom == "gmina"


def test_areas_of_every_level(register: Database) -> None:
    assert teryt.resolve_area(register, "10").poziom == "wojewodztwo"
    assert teryt.resolve_area(register, "1012").poziom == "powiat"
    assert teryt.resolve_area(register, "1012011").nazwa == "Radomsko"
    with pytest.raises(InvalidInput):
        teryt.resolve_area(register, "101")


# ---- vocabularies -----------------------------------------------------------------------

VOCAB_ITEMS = [(v, code, label) for v in vocab.ALL for code, label in v.items]


@given(st.sampled_from(VOCAB_ITEMS), st.data())
def test_every_code_and_label_parses_in_any_case(
    item: tuple[vocab.Vocabulary, str, str], data: st.DataObject
) -> None:
    vocabulary, code, label = item
    assert vocabulary.parse(code) == code
    assert vocabulary.parse(label) == code
    assert vocabulary.parse(_variants(data, label)) == code
    assert vocabulary.parse(_variants(data, code)) == code
    assert vocabulary.parse(f" {label.upper()} ") == code


@pytest.mark.parametrize("vocabulary", vocab.ALL, ids=lambda v: v.table)
def test_unknown_value_lists_the_allowed_ones(vocabulary: vocab.Vocabulary) -> None:
    with pytest.raises(InvalidInput) as info:
        vocabulary.parse("zupełnie nieznana wartość")
    for code, label in vocabulary.items:
        # A label that only adds diacritics to the code is not repeated.
        shown = code if fold(label) == code else f"{code} ({label})"
        assert shown in info.value.message


def test_label_with_polish_letters_is_found_without_them() -> None:
    assert vocab.SECTORS.parse("sadownictwo i kuratela") == "sadownictwo"
    assert vocab.SECTORS.parse("Sądownictwo i kuratela") == "sadownictwo"
    assert vocab.TARGET_GROUPS.parse("osoby z niepelnosprawnosciami") == "niepelnosprawnosc"
    assert vocab.MEETING_KINDS.parse("spotkanie inicjujące") == "inicjujace"


# ---- text -------------------------------------------------------------------------------

POLISH_ALPHABET = "aąbcćdeęfghijklłmnńoóprsśtuwyzźż"
# The characters names of places and institutions are written with.
NAME_CHARS = POLISH_ALPHABET + POLISH_ALPHABET.upper() + "qvxQVX0123456789 -.,\"'()"
polish_words = st.text(alphabet=POLISH_ALPHABET, min_size=0, max_size=8)


def test_fold_examples() -> None:
    assert fold("Łódź") == "lodz"
    assert fold("  Zduńska   Wola ") == "zdunska wola"
    assert fold("ŻÓŁĆ") == "zolc"


@given(st.text(alphabet=NAME_CHARS, max_size=30))
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.text(alphabet=POLISH_ALPHABET + POLISH_ALPHABET.upper() + " ", max_size=20))
def test_fold_of_polish_text_is_plain_ascii(text: str) -> None:
    folded = fold(text)
    assert folded.isascii()
    assert len(folded.replace(" ", "")) == len(text.replace(" ", ""))


@given(polish_words, polish_words)
def test_polish_key_follows_the_alphabet(left: str, right: str) -> None:
    def rank(word: str) -> list[int]:
        return [POLISH_ALPHABET.index(ch) for ch in word]

    assert (polish_key(left) < polish_key(right)) == (rank(left) < rank(right))


@given(polish_words)
def test_polish_key_ignores_case_first(word: str) -> None:
    assert polish_key(word.upper())[0] == polish_key(word)[0]


def test_polish_letters_sort_after_their_base_letters() -> None:
    names = ["Żary", "Zabrze", "Źródło", "Łask", "Lubliniec", "Sopot", "Śrem", "łódź", "Łódź"]
    assert sorted(names, key=polish_key) == [
        "Lubliniec",
        "Łask",
        "Łódź",
        "łódź",
        "Sopot",
        "Śrem",
        "Zabrze",
        "Źródło",
        "Żary",
    ]
