"""The directory fields of a service (after HSDS 3.0): for whom, cost, where, when, contact.

Parsers of user input return the column values of `uslugi`; labels are for readers.
"""

from __future__ import annotations

from typing import Any

from kooperacje.dates import polish_date
from kooperacje.errors import InvalidInput
from kooperacje.register import validate
from kooperacje.text import fold

# Where a service is given.
PLACES = {
    "siedziba": "w siedzibie realizatora",
    "adres": "pod innym adresem",
    "online": "online",
    "telefon": "przez telefon",
}

# Days of the week: code -> label; the order is the week's.
DAYS = {
    "pn": "poniedziałek",
    "wt": "wtorek",
    "sr": "środa",
    "cz": "czwartek",
    "pt": "piątek",
    "so": "sobota",
    "nd": "niedziela",
}
# iCalendar day codes, as HSDS schedules use them.
ICAL_DAYS = dict(zip(DAYS, ("MO", "TU", "WE", "TH", "FR", "SA", "SU"), strict=True))
_DAY_WORDS = {
    **{code: code for code in DAYS},
    **{fold(label): code for code, label in DAYS.items()},
    "pon": "pn",
    "wto": "wt",
    "sro": "sr",
    "czw": "cz",
    "pia": "pt",
    "sob": "so",
    "nie": "nd",
    "ndz": "nd",
}

MAX_AGE = 150


def parse_days(text: str) -> str | None:
    """'pn-pt', 'pn, śr, pt' or 'poniedziałek,środa' -> 'pn,wt,sr,cz,pt' / 'pn,sr,pt'.

    An empty text clears the days (None).
    """
    order = list(DAYS)
    chosen: set[str] = set()
    for part in filter(None, (p.strip() for p in text.replace(";", ",").split(","))):
        ends = [fold(end).strip().rstrip(".") for end in part.split("-")]
        codes = [_DAY_WORDS.get(end) for end in ends]
        if len(ends) > 2 or any(code is None for code in codes):
            raise InvalidInput(
                f'nieznany dzień tygodnia w "{text}". Podaj dni skrótami pn, wt, sr, cz, pt, '
                "so, nd (lub pełnymi nazwami), rozdzielone przecinkami; zakres: pn-pt."
            )
        start, end = order.index(str(codes[0])), order.index(str(codes[-1]))
        if end < start:
            raise InvalidInput(
                f'odwrócony zakres dni "{part}". Podaj zakres od wcześniejszego dnia, np. pn-pt.'
            )
        chosen.update(order[start : end + 1])
    return ",".join(code for code in order if code in chosen) or None


def days_label(codes: str | None) -> str | None:
    """'pn,wt,sr' -> 'poniedziałek, wtorek, środa'."""
    if not codes:
        return None
    return ", ".join(DAYS[c] for c in codes.split(",") if c in DAYS)


def parse_place(text: str) -> str:
    """A place code from its code or label."""
    wanted = fold(text)
    for code, label in PLACES.items():
        if wanted in (code, fold(label)):
            return code
    raise InvalidInput(
        f'nieznane miejsce usługi "{text}". Dozwolone wartości: siedziba (w siedzibie '
        "realizatora), adres (pod innym adresem, podanym w --adres), online, telefon."
    )


def parse_cost(text: str) -> int | None:
    """'bezplatna' -> 1, 'odplatna' -> 0; an empty text clears it (None)."""
    word = fold(text)
    if not word:
        return None
    if word.startswith(("bezplatn", "nieodplatn")):
        return 1
    if word.startswith(("odplatn", "platn")):
        return 0
    raise InvalidInput(f'nieznany koszt usługi "{text}". Podaj bezplatna albo odplatna.')


def infer_cost(description: str | None) -> int | None:
    """Free or paid, read from a description of the cost when it says so plainly."""
    word = fold(description or "")
    if "bezplatn" in word or "nieodplatn" in word:
        return 1
    return 0 if "platn" in word else None


def cost_label(free: int | None) -> str | None:
    return None if free is None else ("bezpłatna" if free else "odpłatna")


def _age(value: int, what: str) -> int | None:
    """A bound in years; -1 clears it."""
    if value == -1:
        return None
    if value < 0:
        raise InvalidInput(f"{what} nie może być ujemny. Podaj liczbę lat od 0 do {MAX_AGE}.")
    if value > MAX_AGE:
        raise InvalidInput(f"{what} {value} jest nieprawdopodobny. Podaj liczbę lat do {MAX_AGE}.")
    return value


def check_ages(low: int | None, high: int | None) -> None:
    """Refuse a range whose ends are the wrong way round."""
    if low is not None and high is not None and low > high:
        raise InvalidInput(
            f"wiek od ({low}) jest większy niż wiek do ({high}). Popraw zakres wieku."
        )


def parse(
    *,
    dokumenty: str | None = None,
    wiek_od: int | None = None,
    wiek_do: int | None = None,
    koszt: str | None = None,
    miejsce: str | None = None,
    adres: str | None = None,
    kod_pocztowy: str | None = None,
    miejscowosc: str | None = None,
    godziny: str | None = None,
    dni: str | None = None,
    kontakt_osoba: str | None = None,
    kontakt_telefon: str | None = None,
    kontakt_email: str | None = None,
) -> dict[str, Any]:
    """Validate the given directory fields; only given ones are in the result.

    An address given without --miejsce means the service is given at that address.
    Ages of -1 clear the bound (the CLI has no other way to say "none").
    """
    columns: dict[str, Any] = {}
    if dokumenty is not None:
        columns["dokumenty"] = validate.clean(dokumenty)
    if wiek_od is not None:
        columns["wiek_od"] = _age(wiek_od, "wiek od")
    if wiek_do is not None:
        columns["wiek_do"] = _age(wiek_do, "wiek do")
    if koszt is not None:
        columns["bezplatna"] = parse_cost(koszt)
    if adres is not None:
        columns["adres"] = validate.clean(adres)
    if kod_pocztowy is not None:
        columns["kod_pocztowy"] = validate.postal_code(kod_pocztowy)
    if miejscowosc is not None:
        columns["miejscowosc"] = validate.clean(miejscowosc)
    if miejsce is not None:
        columns["miejsce"] = parse_place(miejsce)
    elif columns.get("adres"):
        columns["miejsce"] = "adres"
    if godziny is not None:
        columns["godziny"] = validate.clean(godziny)
    if dni is not None:
        columns["dni"] = parse_days(dni)
    if kontakt_osoba is not None:
        columns["kontakt_osoba"] = validate.clean(kontakt_osoba)
    if kontakt_telefon is not None:
        columns["kontakt_telefon"] = validate.phone(kontakt_telefon)
    if kontakt_email is not None:
        columns["kontakt_email"] = validate.email(kontakt_email)
    return columns


def check_place(miejsce: str, adres: str | None, miejscowosc: str | None) -> None:
    """A service 'pod innym adresem' needs that address."""
    if miejsce == "adres" and not (adres and miejscowosc):
        raise InvalidInput(
            "usługa świadczona pod innym adresem wymaga adresu i miejscowości. Podaj --adres "
            "i --miejscowosc albo wybierz inne --miejsce (siedziba, online, telefon)."
        )


def age_label(low: int | None, high: int | None) -> str | None:
    """'od 18 lat', 'do 17 lat', '6–18 lat'; None without bounds."""
    if low is None and high is None:
        return None
    if low is None:
        return f"do {high} lat"
    if high is None:
        return f"od {low} lat"
    return f"{low}–{high} lat"


def cost_text(free: int | None, description: str | None) -> str | None:
    """'bezpłatna', 'odpłatna: 20 zł za godzinę', or the description alone."""
    label = cost_label(free)
    if description and infer_cost(description) == free:
        return description
    if label and description:
        return f"{label}: {description}"
    return label or description


def place_text(
    place: str, adres: str | None, kod_pocztowy: str | None, miejscowosc: str | None
) -> str:
    """Where the service is given, in words."""
    if place == "adres":
        town = " ".join(filter(None, (kod_pocztowy, miejscowosc)))
        return ", ".join(filter(None, (adres, town)))
    return PLACES[place]


def when_text(hours: str | None, days: str | None) -> str | None:
    """Opening hours with the days, when known."""
    return "; ".join(filter(None, (days_label(days), hours))) or None


def contact_text(
    free_text: str | None, person: str | None, phone: str | None, email: str | None
) -> str | None:
    """One line of contact: person, phone, e-mail, then the older free text."""
    parts = [person, f"tel. {phone}" if phone else None, email, free_text]
    return ", ".join(p for p in parts if p) or None


def verified_text(day: str | None, who: str | None) -> str:
    """'9 października 2025 r. (Anna Kowalska)' or 'nigdy'."""
    if not day:
        return "nigdy"

    return polish_date(day) + (f" ({who})" if who else "")
