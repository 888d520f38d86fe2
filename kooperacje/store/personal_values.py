"""Finding one person's own values (name, e-mail, phone) in the text of other records.

A value is found only as a whole: the whole name as a run of whole words ("Jan Kowalski"
is not in "Jan Kowalski-Nowak", nor in "Anna Jan Kowalski" when that is another person),
a one-word name only as a field's whole value ("Ola" is never found in "Zduńska Wola",
"Szkoła" or "Ola prowadzi zajęcia"), the whole e-mail address, the whole phone number
however its digits are spaced. Never a fragment of a word.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from kooperacje.text import fold

# What an erased value leaves behind in a text that says more than the value itself.
MARK = "[dane usunięte]"

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_SEPARATOR = r"[\s\-.()/]{0,2}"
_ALNUM = re.compile(r"\w")
_MIN_PHONE_DIGITS = 7


def words(text: str) -> list[str]:
    """The folded words of a name: "Anna  Nowak-Lis" -> ["anna", "nowak-lis"]."""
    return [fold(m.group()) for m in _WORD.finditer(text)]


def phone_digits(text: str | None) -> str:
    """The digits that identify a phone number: a Polish one without +48 or 0048."""
    digits = re.sub(r"\D", "", text or "")
    if digits.startswith("0048") and len(digits) == 13:
        return digits[4:]
    if digits.startswith("48") and len(digits) == 11:
        return digits[2:]
    return digits


def same(kind: str, left: str | None, right: str | None) -> bool:
    """Whether two stored values of one kind are the same value."""
    if left is None or right is None:
        return False
    if kind == "telefon":
        return phone_digits(left) == phone_digits(right) != ""
    if kind == "email":
        return left.strip().casefold() == right.strip().casefold()
    return words(left) == words(right) != []


@dataclass(frozen=True)
class Value:
    """One of the person's values and where it counts as theirs: in records of any
    institution (scope None) or only in those of their own institution (scope = its id),
    when someone elsewhere has the same value."""

    kind: str  # imie_nazwisko, email, telefon
    text: str
    scope: int | None


def _phone_pattern(stored: str) -> re.Pattern[str] | None:
    digits = phone_digits(stored)
    if len(digits) < _MIN_PHONE_DIGITS:
        return None
    body = _SEPARATOR.join(digits)
    if re.sub(r"\D", "", stored).startswith(("48", "0048")) or len(digits) == 9:
        prefix = rf"(?:(?:\+|00)\s?48{_SEPARATOR})?"
    else:
        prefix = r"(?:\+|00)?\s?"
    return re.compile(rf"(?<![\d+]){prefix}{body}(?!\d)")


def _email_pattern(stored: str) -> re.Pattern[str] | None:
    address = stored.strip()
    if "@" not in address:
        return None
    return re.compile(rf"(?<![\w.+-]){re.escape(address)}(?![\w-]|\.\w)", re.IGNORECASE)


@dataclass(frozen=True)
class _Name:
    words: tuple[str, ...]
    # Longer names of other people that contain this one ("Ola Nowak" for "Ola"): an
    # occurrence inside one of them is that person's name, not this one.
    longer: tuple[tuple[str, ...], ...]


def _runs(tokens: list[tuple[str, int, int]], text: str, name: tuple[str, ...]) -> list[range]:
    """Spans (start, end) in text where the words of name stand one after another."""
    found: list[range] = []
    size = len(name)
    for first in range(len(tokens) - size + 1):
        window = tokens[first : first + size]
        if tuple(t[0] for t in window) != name:
            continue
        gaps = (text[a[2] : b[1]] for a, b in itertools.pairwise(window))
        if all(gap.isspace() for gap in gaps):
            found.append(range(window[0][1], window[-1][2]))
    return found


class Finder:
    """Finds and replaces one person's values in texts of records."""

    def __init__(self, values: Iterable[Value], longer_names: Iterable[str] = ()) -> None:
        self.values = tuple(values)
        self._patterns: list[tuple[Value, re.Pattern[str]]] = []
        self._names: list[tuple[Value, _Name]] = []
        longer = [tuple(words(n)) for n in longer_names]
        for value in self.values:
            if value.kind == "imie_nazwisko":
                own = tuple(words(value.text))
                if own:
                    containing = tuple(n for n in longer if len(n) > len(own) and _inside(own, n))
                    self._names.append((value, _Name(own, containing)))
                continue
            make = _phone_pattern if value.kind == "telefon" else _email_pattern
            pattern = make(value.text)
            if pattern is not None:
                self._patterns.append((value, pattern))
        quick = [pattern.pattern for _, pattern in self._patterns]
        quick += [_word_pattern(max(name.words, key=len)) for _, name in self._names]
        # One search in C for any of the values (a name by its longest word, in any case
        # and with or without diacritics): most texts of a large database are passed by here.
        self._quick = re.compile("|".join(quick), re.IGNORECASE) if quick else None

    def might_hold(self, text: str) -> bool:
        """A quick test that text could hold one of the values (no false negatives)."""
        return self._quick is not None and self._quick.search(text) is not None

    def spans(self, text: str, institution: int | None) -> list[tuple[int, int, str]]:
        """(start, end, kind) of every occurrence of the person's values that count as theirs
        in a record of the given institution (None: a record of no institution)."""
        found: list[tuple[int, int, str]] = []
        for value, pattern in self._patterns:
            if _counts(value, institution):
                found.extend((m.start(), m.end(), value.kind) for m in pattern.finditer(text))
        if self._names:
            tokens = [(fold(m.group()), m.start(), m.end()) for m in _WORD.finditer(text)]
            for value, name in self._names:
                if not _counts(value, institution):
                    continue
                if len(name.words) == 1:
                    # One word ("Ola", "Wola") is a name only as a field's whole value: in
                    # prose it is as likely a place, a word or someone else.
                    if [t[0] for t in tokens] == list(name.words):
                        found.append((tokens[0][1], tokens[0][2], value.kind))
                    continue
                shadows = [s for n in name.longer for s in _runs(tokens, text, n)]
                for span in _runs(tokens, text, name.words):
                    if not any(span.start >= s.start and span.stop <= s.stop for s in shadows):
                        found.append((span.start, span.stop, value.kind))
        found.sort()
        merged: list[tuple[int, int, str]] = []
        for start, end, kind in found:
            if merged and start < merged[-1][1]:
                last = merged[-1]
                merged[-1] = (last[0], max(last[1], end), last[2])
            else:
                merged.append((start, end, kind))
        return merged

    def scrub(self, text: str | None, institution: int | None) -> str | None:
        """text with the person's values replaced by MARK; None when nothing else was in it
        (a field that held only the value). Unchanged text when none is there."""
        if text is None or not self.might_hold(text):
            return text
        spans = self.spans(text, institution)
        if not spans:
            return text
        rest = "".join(
            text[start:end]
            for start, end in zip(
                [0] + [s[1] for s in spans], [s[0] for s in spans] + [len(text)], strict=True
            )
        )
        if not _ALNUM.search(rest):
            return None
        pieces: list[str] = []
        position = 0
        for start, end, _ in spans:
            pieces.append(text[position:start])
            pieces.append(MARK)
            position = end
        pieces.append(text[position:])
        return "".join(pieces)


@functools.cache
def _letters() -> tuple[dict[str, str], dict[str, str]]:
    """Latin letters by their folded form: single letters ("l" -> "lLłŁ...") and those that
    fold into two ("ss" -> "ßẞ", "fi" -> "ﬁ"), so that a regular expression can find a
    folded word in text as it is written."""
    single: dict[str, list[str]] = {}
    double: dict[str, list[str]] = {}
    for code in (*range(0x20, 0x250), *range(0x1E00, 0x1F00), *range(0xFB00, 0xFB07)):
        ch = chr(code)
        folded = fold(ch)
        if folded == ch or not folded:
            continue
        target = single if len(folded) == 1 else double
        target.setdefault(folded, [folded] if len(folded) == 1 else []).append(ch)
    return (
        {base: "".join(chars) for base, chars in single.items()},
        {base: "".join(chars) for base, chars in double.items()},
    )


def _word_pattern(word: str) -> str:
    """A pattern finding a folded word as written: any case, precomposed or combining
    diacritics, letters that fold into two."""
    single, double = _letters()
    marks = "[\u0300-\u036f]*"

    def letter(ch: str) -> str:
        variants = single.get(ch)
        return f"[{re.escape(variants)}]" if variants else re.escape(ch)

    parts: list[str] = []
    position = 0
    while position < len(word):
        pair = word[position : position + 2]
        if pair in double:
            plain = marks.join(letter(ch) for ch in pair)
            parts.append(f"(?:{plain}|[{re.escape(double[pair])}])")
            position += 2
        else:
            parts.append(letter(word[position]))
            position += 1
    return marks.join(parts)


def _counts(value: Value, institution: int | None) -> bool:
    return value.scope is None or value.scope == institution


def _inside(part: tuple[str, ...], whole: tuple[str, ...]) -> bool:
    size = len(part)
    return any(whole[i : i + size] == part for i in range(len(whole) - size + 1))
