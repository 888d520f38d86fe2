"""Property-based tests of the parsers of a service's directory fields and of search text."""

from __future__ import annotations

import sqlite3

from hypothesis import given
from hypothesis import strategies as st

from kooperacje.basket import service_details
from kooperacje.basket.query import fts_query
from kooperacje.errors import InvalidInput

DAYS = list(service_details.DAYS)


@given(st.sets(st.sampled_from(DAYS), min_size=1), st.booleans(), st.booleans())
def test_days_round_trip_as_codes_or_labels(chosen: set[str], labels: bool, upper: bool) -> None:
    words = [service_details.DAYS[d] if labels else d for d in DAYS if d in chosen]
    text = ", ".join(w.upper() if upper else w for w in words)
    assert service_details.parse_days(text) == ",".join(d for d in DAYS if d in chosen)


@given(st.integers(0, 6), st.integers(0, 6))
def test_day_ranges_cover_every_day_between(start: int, end: int) -> None:
    text = f"{DAYS[start]}-{DAYS[end]}"
    if start > end:
        try:
            service_details.parse_days(text)
        except InvalidInput as exc:
            assert "odwrócony zakres" in str(exc)
        else:
            raise AssertionError("a reversed range must be refused")
    else:
        assert service_details.parse_days(text) == ",".join(DAYS[start : end + 1])


@given(st.text(max_size=30))
def test_days_parser_returns_codes_or_a_polish_error(text: str) -> None:
    try:
        result = service_details.parse_days(text)
    except InvalidInput as exc:
        assert "dzień tygodnia" in str(exc) or "zakres dni" in str(exc)
    else:
        assert result is None or set(result.split(",")) <= set(DAYS)


_FTS = sqlite3.connect(":memory:")
_FTS.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'unicode61 remove_diacritics 2')")
_FTS.execute("INSERT INTO t VALUES ('Ośrodek Pomocy Społecznej w Łodzi')")


@given(st.text(max_size=40))
def test_any_search_text_is_a_valid_fts_query_or_a_polish_error(text: str) -> None:
    try:
        query = fts_query(text)
    except InvalidInput as exc:
        assert "nie zawiera słów" in str(exc)
        return
    # Never an FTS5 syntax error, whatever the user typed (quotes, OR, NEAR, *, -…).
    _FTS.execute("SELECT rowid FROM t WHERE t MATCH ?", (query,)).fetchall()


@given(st.sampled_from(["Łodzi", "łodzi", "LODZI", "lodz", "Ośrodek", "OSRODEK", "społ", "pomoc"]))
def test_folded_words_find_the_polish_text(word: str) -> None:
    # Stored as the triggers of m004 store it (ł folded); the query folds the rest.
    _FTS.execute("DELETE FROM t")
    _FTS.execute(
        "INSERT INTO t VALUES (replace(replace(?, 'ł', 'l'), 'Ł', 'L'))",
        ("Ośrodek Pomocy Społecznej w Łodzi",),
    )
    assert _FTS.execute("SELECT rowid FROM t WHERE t MATCH ?", (fts_query(word),)).fetchall()
