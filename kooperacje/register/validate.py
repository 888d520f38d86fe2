"""Validation of contact and registry data with the field's libraries (offline)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from kooperacje.errors import InvalidInput

_POSTAL = re.compile(r"^\d{2}-\d{3}$")


def clean(value: str | None) -> str | None:
    """Strip whitespace; an empty value means 'not given'. Control characters are refused."""
    if value is None:
        return None
    text = value.strip()
    if any(ord(ch) < 32 and ch not in "\t\n" for ch in text) or "\x7f" in text:
        raise InvalidInput("wartość zawiera znaki sterujące. Wpisz sam tekst.")
    return text or None


def required(value: str, what: str) -> str:
    """A required text: non-empty after stripping."""
    text = clean(value)
    if not text:
        raise InvalidInput(f"{what} nie może być puste. Wpisz {what}.")
    if len(text) > 500:
        raise InvalidInput(f"{what} jest za długie ({len(text)} znaków, najwyżej 500). Skróć je.")
    return text


def nip(value: str | None) -> str | None:
    """NIP with a valid checksum, stored as 10 digits."""
    text = clean(value)
    if text is None:
        return None
    from stdnum.pl import nip as stdnip

    digits = stdnip.compact(text)
    if not stdnip.is_valid(digits):
        raise InvalidInput(
            f'niepoprawny NIP "{text}": NIP ma 10 cyfr i zgodną sumę kontrolną. '
            "Sprawdź numer na pieczątce lub w rejestrze."
        )
    return str(digits)


def regon(value: str | None) -> str | None:
    """REGON (9 or 14 digits) with a valid checksum."""
    text = clean(value)
    if text is None:
        return None
    from stdnum.pl import regon as stdregon

    digits = stdregon.compact(text)
    if not stdregon.is_valid(digits):
        raise InvalidInput(
            f'niepoprawny REGON "{text}": REGON ma 9 lub 14 cyfr i zgodną sumę kontrolną.'
        )
    return str(digits)


def phone(value: str | None) -> str | None:
    """A Polish (or international) phone number, normalised: +48 44 715 07 95."""
    text = clean(value)
    if text is None:
        return None
    import phonenumbers

    try:
        number = phonenumbers.parse(text, "PL")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise InvalidInput(
            f'niepoprawny numer telefonu "{text}". Podaj 9 cyfr numeru krajowego, '
            "np. 44 715 07 95, albo numer z kodem kraju, np. +48 44 715 07 95."
        )
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


def email(value: str | None) -> str | None:
    """E-mail address checked for syntax only (no network)."""
    text = clean(value)
    if text is None:
        return None
    from email_validator import EmailNotValidError, validate_email

    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        raise InvalidInput(
            f'niepoprawny adres e-mail "{text}". Podaj adres w postaci nazwa@domena.pl.'
        ) from None
    return str(result.normalized)


def www(value: str | None) -> str | None:
    """A web address; `https://` is added when missing."""
    text = clean(value)
    if text is None:
        return None
    url = text if "://" in text else f"https://{text}"
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or "." not in host or " " in url:
        raise InvalidInput(
            f'niepoprawny adres strony "{text}". Podaj adres w postaci www.przyklad.pl '
            "lub https://przyklad.pl."
        )
    return url


def postal_code(value: str | None) -> str | None:
    """Polish postal code NN-NNN."""
    text = clean(value)
    if text is None:
        return None
    if not _POSTAL.match(text):
        raise InvalidInput(
            f'niepoprawny kod pocztowy "{text}". Podaj go w postaci NN-NNN, np. 97-500.'
        )
    return text
