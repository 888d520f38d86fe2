"""Controlled vocabularies of DOMAIN.md: stable ASCII codes, Polish labels.

The lists live in `kooperacje/vocab_data.py`, which the schema migration also loads
into the database, so the code and the tables never disagree.
"""

from __future__ import annotations

from kooperacje.errors import InvalidInput
from kooperacje.text import fold
from kooperacje.vocab_data import VOCABULARIES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _norm(text: str) -> str:
    return fold(text).replace("-", "_").replace(" ", "_")


# Adjectives and participles agree with what they describe, so users type a value in the
# form their sentence needs: "obecna" (a representative), "obecni" (people), "zawieszone"
# (services). Each group lists the endings of one word's forms, masculine singular first.
_AGREEING_ENDINGS = (
    ("ony", "ona", "one", "eni"),  # zaproszony, zawieszona, zakończeni
    ("acy", "aca", "ace"),  # inicjujący (the ą folded to a)
    ("ny", "na", "ne", "ni"),  # obecny, aktywna, komunalne, bezrobotni
    ("wy", "wa", "we", "wi"),  # wyznaniowy
)


def inflections(word: str) -> set[str]:
    """The forms users type for a one-word value (folded), the word itself included:
    gender and number of an adjective or participle ("obecny": obecna, obecne, obecni),
    the plural of a noun ("posiedzenie": posiedzenia; "warsztat": warsztaty)."""
    word = _norm(word)
    found = {word}
    if not word.isalpha():
        return found
    for endings in _AGREEING_ENDINGS:
        ending = next((e for e in endings if word.endswith(e)), None)
        if ending is not None:
            stem = word[: -len(ending)]
            return found | {stem + other for other in endings}
    if word.endswith("ie"):  # posiedzenie, szkolenie, przystąpienie
        return found | {word[:-1] + "a"}
    if word[-1] in "kg":
        return found | {word + "i"}
    if word[-1] not in "aeiouy":  # warsztat
        return found | {word + "y"}
    return found


class Vocabulary:
    """An ordered code -> label list; `what` names it in messages ("sektor").

    A plain class, not a dataclass: the dataclasses module takes longer to import than
    `kooperacje koszyk` takes to answer. The lists are module constants, never changed.
    """

    __slots__ = ("_forms", "_labels", "inflected", "items", "table", "unknown", "what")

    def __init__(
        self,
        table: str,
        what: str,
        items: tuple[tuple[str, str], ...],
        unknown: str = "",
        *,
        inflected: bool = False,
    ) -> None:
        self.table = table
        self.what = what
        self.items = items
        self.unknown = unknown  # "nieznana grupa docelowa": the adjective agrees with the noun
        # Whether users type its values in other grammatical forms ("obecna", "posiedzenia"):
        # short values that agree with a sentence, not names of fields or groups.
        self.inflected = inflected
        self._labels = dict(items)
        self._forms: dict[str, str] | None = None

    def __repr__(self) -> str:
        return f"Vocabulary({self.table!r}, {self.what!r})"

    @property
    def codes(self) -> list[str]:
        return [code for code, _ in self.items]

    def label(self, code: str) -> str:
        return self._labels[code]

    @property
    def forms(self) -> dict[str, str]:
        """Every accepted form (normalised) -> its code: codes, labels and the inflected
        forms of one-word codes and labels. A form two values share is left out."""
        if self._forms is None:
            self._forms = self._all_forms()
        return self._forms

    def _all_forms(self) -> dict[str, str]:
        exact = {}
        for code, label in self.items:
            exact[code] = code
            exact[_norm(label)] = code
        inflected: dict[str, set[str]] = {}
        for code, label in self.items if self.inflected else ():
            for word in {code, _norm(label)}:
                if "_" not in word:
                    for form in inflections(word):
                        inflected.setdefault(form, set()).add(code)
        shared = {form for form, codes in inflected.items() if len(codes) > 1}
        return {
            form: codes.pop()
            for form, codes in inflected.items()
            if form not in shared and form not in exact
        } | exact

    def parse(self, text: str) -> str:
        """Accept a code, a label or a form of them users type ("obecna" for obecny),
        case- and diacritics-insensitive; return the code."""
        wanted = _norm(text)
        if wanted in self.forms:
            return self.forms[wanted]
        # A unique prefix of a code or label is enough: "pomoc_i" for pomoc_spoleczna.
        hits = [
            code
            for code, label in self.items
            if wanted and (_norm(label).startswith(wanted) or code.startswith(wanted))
        ]
        if len(hits) == 1:
            return hits[0]
        listing = ", ".join(
            code if fold(label) == code else f"{code} ({label})" for code, label in self.items
        )
        raise InvalidInput(f'{self.unknown}: "{text}". Dozwolone wartości: {listing}.')


_RAW = VOCABULARIES


# Meeting and declaration kinds: "posiedzenia", "warsztaty", "inicjujący", "przystąpienia".
_INFLECTED = {"rodzaje_spotkan", "rodzaje_deklaracji"}


def _load(raw: dict[str, Any]) -> dict[str, Vocabulary]:
    return {
        table: Vocabulary(
            table,
            spec["opis"],
            tuple((item["kod"], item["nazwa"]) for item in spec["pozycje"]),
            spec["nieznany"],
            inflected=table in _INFLECTED,
        )
        for table, spec in raw.items()
    }


_VOCABS = _load(_RAW)
SECTORS = _VOCABS["sektory"]
SERVICE_AREAS = _VOCABS["obszary_uslug"]
TARGET_GROUPS = _VOCABS["grupy_docelowe"]
MEETING_KINDS = _VOCABS["rodzaje_spotkan"]
DECLARATION_KINDS = _VOCABS["rodzaje_deklaracji"]
ALL = tuple(_VOCABS.values())

# Statuses are not tables of their own: the codes are their labels.
ATTENDANCE_STATUSES = Vocabulary(
    "",
    "status obecności",
    tuple((code, code) for code in ("zaproszony", "obecny", "usprawiedliwiony", "nieobecny")),
    "nieznany status obecności",
    inflected=True,
)
SERVICE_STATUSES = Vocabulary(
    "",
    "status usługi",
    (("aktywna", "aktywna"), ("zawieszona", "zawieszona"), ("zakonczona", "zakończona")),
    "nieznany status usługi",
    inflected=True,
)

# The five sectors the cooperation model names as its core, in DOMAIN.md's order.
CORE_SECTORS = tuple(item["kod"] for item in _RAW["sektory"]["pozycje"] if item["kluczowy"])
