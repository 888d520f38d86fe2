"""Finding one person's own name, e-mail and phone in text: whole values only."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kooperacje.store.personal_values import MARK, Finder, Value, phone_digits, same, words


def _finder(*values: tuple[str, str], longer: tuple[str, ...] = ()) -> Finder:
    return Finder([Value(kind, text, None) for kind, text in values], longer)


JAN = _finder(
    ("imie_nazwisko", "Jan Kowalski"),
    ("email", "jan.kowalski@pcpr.example.org"),
    ("telefon", "+48 600 100 200"),
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jan Kowalski", None),
        ("jan  KOWALSKI", None),
        ("Kontakt: Jan Kowalski, psycholog", f"Kontakt: {MARK}, psycholog"),
        ("tel. 600 100 200", f"tel. {MARK}"),
        ("tel. 600-100-200 lub 600100200", f"tel. {MARK} lub {MARK}"),
        ("+48 600 100 200", None),
        ("0048 600 100 200", None),
        ("(600) 100 200", None),
        ("pisz: jan.kowalski@pcpr.example.org.", f"pisz: {MARK}."),
        ("JAN.KOWALSKI@PCPR.EXAMPLE.ORG", None),
        # Not his: a longer number, another address, other words.
        ("1600100200", "1600100200"),
        ("600 100 2001", "600 100 2001"),
        ("xjan.kowalski@pcpr.example.org", "xjan.kowalski@pcpr.example.org"),
        ("jan.kowalski@pcpr.example.org.pl", "jan.kowalski@pcpr.example.org.pl"),
        ("Jan Kowalski-Nowak", "Jan Kowalski-Nowak"),
        ("Janusz Kowalski", "Janusz Kowalski"),
        ("Jan, Kowalski", "Jan, Kowalski"),
        ("Kowalski Jan", "Kowalski Jan"),
    ],
)
def test_whole_values_only(text: str, expected: str | None) -> None:
    assert JAN.scrub(text, None) == expected


def test_a_one_word_name_only_as_the_whole_value() -> None:
    ola = _finder(("imie_nazwisko", "Ola"))
    assert ola.scrub("Ola", 1) is None
    assert ola.scrub(" ola ", 1) is None
    for text in ("Zduńska Wola", "Szkoła", "Ola prowadzi zajęcia", "Ola Nowak"):
        assert ola.scrub(text, 1) == text


def test_inside_someone_elses_longer_name() -> None:
    jan = _finder(("imie_nazwisko", "Jan Kowalski"), longer=("Anna Jan Kowalski",))
    assert jan.scrub("Anna Jan Kowalski i Jan Kowalski", None) == f"Anna Jan Kowalski i {MARK}"


def test_a_scope_limits_where_a_value_counts() -> None:
    own = Finder([Value("imie_nazwisko", "Anna Nowak", 3)])
    assert own.scrub("Anna Nowak", 3) is None
    assert own.scrub("Anna Nowak", 4) == "Anna Nowak"
    assert own.scrub("Anna Nowak", None) == "Anna Nowak"


def test_same_values() -> None:
    assert same("telefon", "+48 44 683 36 25", "44 683-36-25")
    assert same("email", "A@B.pl", "a@b.pl ")
    assert same("imie_nazwisko", "Łukasz  Łęcki", "lukasz lecki")
    assert not same("imie_nazwisko", "Ola", "Ola Nowak")
    assert not same("telefon", "", "")
    assert phone_digits("0048 600 100 200") == "600100200"
    assert words("Anna Nowak-Lis") == ["anna", "nowak-lis"]


WORDS = st.sampled_from(["Ola", "Wola", "Szkoła", "Jana", "Kowal", "Kowalskiego", "600", "100"])


@given(parts=st.lists(st.one_of(WORDS, st.text(max_size=5)), max_size=12))
def test_text_without_the_values_is_never_changed(parts: list[str]) -> None:
    text = " ".join(parts)
    if "jan kowalski" in " ".join(words(text)) or "kowalski@" in text.casefold():
        return
    if "600100200" in "".join(ch for ch in text if ch.isdigit()):
        return
    assert JAN.scrub(text, None) == text
