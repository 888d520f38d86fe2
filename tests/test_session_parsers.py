"""Property-based tests of the forgiving parsers used at the registration table."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kooperacje.errors import InvalidInput
from kooperacje.register.vocab import SECTORS, SERVICE_AREAS, Vocabulary
from kooperacje.teams.attendance import STATUSES, parse_status
from kooperacje.teams.session import match_term
from kooperacje.text import fold


@given(st.text(max_size=30))
def test_any_text_is_a_status_or_a_polish_error(text: str) -> None:
    try:
        assert parse_status(text) in STATUSES
    except InvalidInput as exc:
        assert "nieznany status obecności" in exc.message


@given(st.sampled_from(STATUSES), st.booleans())
def test_statuses_in_any_case(status: str, upper: bool) -> None:
    assert parse_status(status.upper() if upper else status) == status


@given(st.text(max_size=40), st.sampled_from([SECTORS, SERVICE_AREAS]))
def test_any_text_matches_a_code_or_nothing(text: str, vocabulary: Vocabulary) -> None:
    found = match_term(vocabulary, text)
    assert found is None or found in vocabulary.codes


@given(st.sampled_from(SERVICE_AREAS.items), st.booleans(), st.integers(min_value=0))
def test_labels_with_one_typo_still_match(item: tuple[str, str], upper: bool, seed: int) -> None:
    code, label = item
    text = fold(label)
    if len(text) > 8:
        # Drop one letter: the kind of typo made in a hurry at the table.
        cut = 1 + seed % (len(text) - 2)
        text = text[:cut] + text[cut + 1 :]
    assert match_term(SERVICE_AREAS, text.upper() if upper else text) == code
