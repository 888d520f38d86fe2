"""Polish text helpers: diacritics-insensitive matching and Polish alphabetical order."""

from __future__ import annotations

import functools
import unicodedata

# Letters that NFKD does not decompose into a base letter plus a combining mark.
_EXTRA_FOLD = str.maketrans({"ł": "l", "Ł": "l", "ß": "ss", "æ": "ae", "ø": "o", "đ": "d"})

# The Polish alphabet; letters outside it sort after their closest base letter.
_ALPHABET = "aąbcćdeęfghijklłmnńoóprsśtuvwxyzźż"
_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}


def fold(text: str) -> str:
    """Lower-case, strip diacritics (ł included) and squeeze whitespace: "Łódź " -> "lodz"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLD))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


@functools.lru_cache(maxsize=16_384)
def polish_key(text: str) -> tuple[tuple[int, ...], str]:
    """Sort key following the Polish alphabet (Ł after L, Ś after S, Ż after Ź).

    Case is ignored on the first level and breaks ties on the second, so
    "łask" and "Łask" sit together. Cached: a report sorts the same names many times.
    """
    ranks = _CHAR_RANKS
    primary = tuple(
        [
            ranks[ch] if ch in ranks else _char_rank(ch)
            for ch in unicodedata.normalize("NFC", text).casefold()
        ]
    )
    return primary, text


# Primary weight of each character met so far: the key is built by table look-ups.
_CHAR_RANKS: dict[str, int] = {}


def _char_rank(ch: str) -> int:
    rank = _RANK.get(ch)
    if rank is not None:
        value = 100 + rank * 2
    elif ch.isdigit():
        value = 10 + int(ch) if ch.isascii() else 20
    elif ch.isalpha():
        base = fold(ch)[:1]
        value = 100 + _RANK.get(base, len(_ALPHABET)) * 2 + 1
    elif ch.isspace():
        value = 1
    else:
        value = 2
    _CHAR_RANKS[ch] = value
    return value


def plural(count: int, one: str, few: str, many: str) -> str:
    """'1 wiersz', '3 wiersze', '5 wierszy': the Polish noun form for a count."""
    if count == 1:
        return f"{count} {one}"
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return f"{count} {few}"
    return f"{count} {many}"


def clip(text: str, limit: int = 80) -> str:
    """text from a file, cut for a one-line message: line breaks and other whitespace as
    spaces, at most limit characters ('…' marks a cut). Control characters stay: the output
    shows them escaped (output.printable), never raw."""
    head = text[: limit + 1]
    shown = "".join(" " if ch.isspace() else ch for ch in head[:limit])
    return shown + "…" if len(head) > limit else shown
