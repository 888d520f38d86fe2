"""Text that could identify a person: what a task team's remark must not contain.

The database never holds data about the persons and families the institutions help
(DOMAIN.md). The one free-text field of a task team, a remark about the cooperation
itself, is screened before it is stored: a PESEL number (python-stdnum), a phone number
(phonenumbers), an e-mail address, a street address (ul./al./os./pl. and a number) or a
first name followed by a capitalised word ("Anna Nowak", "Jana Kowalskiego") is refused.
A screen cannot prove that a text is anonymous; it stops the usual slips.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from kooperacje.errors import InvalidInput
from kooperacje.register import validate
from kooperacje.text import fold

MAX_LENGTH = 500

_UPPER = "A-ZĄĆĘŁŃÓŚŹŻ"
_LOWER = "a-ząćęłńóśźż"
# Eleven digits, possibly grouped with spaces or dashes, not inside a longer number.
_ELEVEN_DIGITS = re.compile(r"(?<![\d])(?:\d[ -]?){10}\d(?![\d])")
_PESEL_WORD = re.compile(r"pesel\W{0,5}\d(?:[\d -]*\d)?", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
# ul./al./os./pl. (or the words) and a capitalised street name, then a number: a street
# address. Not after a letter, dot, @ or slash, so "mops.pl." is no square; a number that
# is the start of a date ("12.03.2020") is no house number, an acronym ("plac MOPS") no street.
_ADDRESS = re.compile(
    r"(?<![\w.@/])"
    r"(?i:(?:ul|al|os|pl)\.|(?:ulica|ulicy|ulicę|ulicą|aleja|alei|aleję|aleją|osiedle|"
    r"osiedlu|osiedla|plac|placu)\b)"
    rf"\s*(?:\d{{1,3}}\s+)?[{_UPPER}][{_LOWER}][\w'’.-]*\s+(?:[{_UPPER}][\w'’.-]*\s+){{0,3}}"
    r"\d+(?![\d.]*\.\d)"
)
_DATE_OR_CODE = re.compile(
    r"(?<![\d.])(?:\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4})(?![\d.])"
    r"|ZZK/\d{4}/\d+",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# Words after which a name belongs to a patron, a saint or a church, not to a client:
# "Szkoła Podstawowa im. Marii Konopnickiej", "parafia pw. św. Stanisława Kostki".
_PATRON_WORDS = frozenset(
    {
        "im",
        "imienia",
        "sw",
        "swietego",
        "swietej",
        "swietych",
        "bl",
        "blogoslawionego",
        "blogoslawionej",
        "najswietszej",
        "pw",
    }
)


@dataclass(frozen=True)
class Finding:
    """A fragment of text that could identify a person, and what it looks like."""

    rodzaj: str  # "numer PESEL", "numer telefonu", "adres e-mail", "adres", "imię i nazwisko"
    fragment: str


def _case_forms(name: str) -> set[str]:
    """The folded name with its usual Polish case endings: anna -> anny, annie, anne…"""
    n = fold(name)
    forms = {n}
    if n.endswith("a"):
        stem = n[:-1]
        forms |= {stem + e for e in ("y", "i", "ie", "e", "a", "o")}
        # Consonant changes before -e: Kinga -> Kindze, Agnieszka -> Agnieszce,
        # Marta -> Marcie, Jadwiga -> Jadwidze, Barbara -> Barbarze.
        for end, replacement in (("g", "dze"), ("k", "ce"), ("t", "cie"), ("d", "dzie")):
            if stem.endswith(end):
                forms.add(stem[: -len(end)] + replacement)
        if stem.endswith("r"):
            forms.add(stem + "ze")
        return forms
    if n.endswith(("y", "i")):  # Jerzy -> Jerzego, Antoni -> Antoniego
        stem = n[:-1] if n.endswith("y") else n
        return forms | {stem + e for e in ("ego", "emu", "m", "ym")}
    stems = {n}
    if n.endswith(("ek", "el")):  # Marek -> Marka, Paweł -> Pawła
        stems.add(n[:-2] + n[-1])
    for stem in stems:
        forms |= {stem + e for e in ("a", "owi", "em", "ie", "u")}
    for end, replacement in (("r", "rze"), ("t", "cie"), ("d", "dzie"), ("l", "le")):
        if n.endswith(end):
            forms.add(n[: -len(end)] + replacement)
    return forms


@functools.cache
def name_forms() -> frozenset[str]:
    """Every folded form of the first names in data/imiona.txt."""
    path = Path(__file__).parents[1] / "data" / "imiona.txt"
    names = [
        line.strip()
        for line in path.read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return frozenset(form for name in names for form in _case_forms(name))


def _capitalised(word: str) -> bool:
    return len(word) >= 2 and word[0].isupper()


def _names(text: str) -> list[Finding]:
    """A first name next to a capitalised word, either order ("Anna Nowak", "Nowak Anna")."""
    forms = name_forms()
    words = list(_WORD.finditer(text))
    found: list[Finding] = []
    for i in range(len(words) - 1):
        first, second = words[i], words[i + 1]
        if text[first.end() : second.start()].strip():
            continue  # only whitespace between the two words
        a, b = first.group(), second.group()
        if not (_capitalised(a) and _capitalised(b)):
            continue
        if i > 0 and fold(words[i - 1].group()) in _PATRON_WORDS:
            continue
        if fold(a) in _PATRON_WORDS:
            continue
        # An acronym next to a name is an institution ("Anna z MOPS" is fine anyway).
        if (b.isupper() and not a.isupper()) or (a.isupper() and not b.isupper()):
            continue
        if fold(a) in forms or fold(b) in forms:
            found.append(Finding("imię i nazwisko", f"{a} {b}"))
    return found


def _phones(text: str) -> list[Finding]:
    import phonenumbers

    # Dates and case codes are blanked first: "12.03.2020 3 spotkania" is no phone number.
    masked = _DATE_OR_CODE.sub(lambda m: " " * len(m.group()), text)
    return [
        Finding("numer telefonu", match.raw_string)
        for match in phonenumbers.PhoneNumberMatcher(masked, "PL")
    ]


def _pesels(text: str) -> list[Finding]:
    from stdnum.pl import pesel

    # Any number after the word PESEL, whatever its checksum; any valid PESEL anywhere.
    found = [Finding("numer PESEL", m.group()) for m in _PESEL_WORD.finditer(text)]
    found += [
        Finding("numer PESEL", m.group())
        for m in _ELEVEN_DIGITS.finditer(text)
        if pesel.is_valid(re.sub(r"[ -]", "", m.group()))
        and not any(m.group() in f.fragment for f in found)
    ]
    return found


def findings(text: str) -> list[Finding]:
    """Everything in text that could identify a person, in the order of the checks."""
    found = _pesels(text)
    found += [Finding("adres e-mail", m.group()) for m in _EMAIL.finditer(text)]
    found += [Finding("adres", m.group()) for m in _ADDRESS.finditer(text)]
    # Phone numbers last: the digits of a PESEL would be reported twice.
    found += [f for f in _phones(text) if not any(f.fragment in g.fragment for g in found)]
    found += _names(text)
    return found


def check_remark(value: str | None) -> str | None:
    """The remark as it may be stored (None: no remark), or InvalidInput saying why not."""
    text = validate.clean(value)
    if text is None:
        return None
    if len(text) > MAX_LENGTH:
        raise InvalidInput(
            f"uwaga jest za długa ({len(text)} znaków, najwyżej {MAX_LENGTH}). Skróć ją."
        )
    found = findings(text)
    if not found:
        return text
    what = "; ".join(f"{f.rodzaj}: „{f.fragment}”" for f in found[:3])
    raise InvalidInput(
        f"uwaga zawiera coś, co może wskazać konkretną osobę ({what}). Baza nie może "
        "przechowywać danych osób ani rodzin, którym pomaga zespół, a uwaga do ZZK może "
        "dotyczyć wyłącznie samej współpracy instytucji, np. „sprawna wymiana informacji "
        "między MOPS a PCPR”. Nie wpisuj też imion, nazwisk ani telefonów pracowników: "
        "instytucje i osoby delegowane wskazuje się opcjami --instytucja i --osoba. "
        "Usuń ten fragment i spróbuj ponownie."
    )
