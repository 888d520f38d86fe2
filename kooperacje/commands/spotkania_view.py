"""How meetings are shown: the columns of the list (on screen, and every field with its
codes in CSV and JSON), one meeting with the institutions present by sector, and the
institutions (with their people) whose attendance a command recorded.
"""

from __future__ import annotations

from typing import Any

from kooperacje.dates import polish_date
from kooperacje.formats import Format
from kooperacje.output import info, listing, record
from kooperacje.teams.attendance import Attendee, MeetingDetails

LIST_COLUMNS = [
    ("id", "Nr"),
    ("data", "Data"),
    ("godzina", "Godz."),
    ("gmina_nazwa", "Gmina"),
    ("rodzaj_nazwa", "Rodzaj"),
    ("miejsce", "Miejsce"),
    ("tytul", "Tytuł"),
    ("obecnych", "Instytucji obecnych"),
]
# CSV and JSON carry every field, with codes, for scripts and spreadsheets.
DATA_COLUMNS = [
    ("id", "Nr"),
    ("data", "Data"),
    ("godzina", "Godzina"),
    ("zespol", "Nr zespołu"),
    ("zespol_nazwa", "Zespół"),
    ("inne_zespoly", "Wspólne z"),
    ("gmina", "Kod TERYT"),
    ("gmina_nazwa", "Gmina"),
    ("rodzaj", "Rodzaj (kod)"),
    ("rodzaj_nazwa", "Rodzaj"),
    ("miejsce", "Miejsce"),
    ("adres", "Adres"),
    ("tytul", "Tytuł"),
    ("opis", "Opis"),
    ("ustalenia", "Ustalenia"),
    ("nastepne", "Następne spotkanie"),
    ("obecnych", "Instytucji obecnych"),
]


def attendee_names(rows: list[Attendee], statuses: bool = False) -> str:
    """The institutions (with the person, and the status if asked), for a one-line answer."""
    names = []
    for row in rows:
        person = f" – {row.osoba_nazwa}" if row.osoba_nazwa else ""
        status = f" ({row.status})" if statuses else ""
        names.append(f"{row.instytucja_nazwa}{person}{status}")
    return "; ".join(names)


def details_json(found: MeetingDetails) -> list[tuple[str, Any]]:
    """The meeting's fields and the attendance rows, for `pokaz --format json`."""
    pairs = list(vars(found.spotkanie).items())
    return [*pairs, ("obecni", [vars(a) for a in found.obecni])]


def print_details(found: MeetingDetails) -> None:
    """The meeting, then the institutions present by sector (the sector named once)."""

    m = found.spotkanie
    when = polish_date(m.data) + (f", godz. {m.godzina}" if m.godzina else "")
    pairs = [
        ("Numer", m.id),
        ("Zespół", m.zespol_nazwa),
        ("Wspólne z", m.inne_zespoly),
        ("Data", when),
        ("Rodzaj", m.rodzaj_nazwa),
        ("Miejsce", m.miejsce_opis),
        ("Adres", m.adres),
        ("Opis", m.opis),
        ("Ustalenia", m.ustalenia),
        ("Następne spotkanie", m.nastepne),
    ]
    record(pairs, Format.tabela, title=m.tytul or f"Spotkanie nr {m.id}")
    info("")
    rows: list[dict[str, Any]] = []
    previous = None
    for a in found.obecni:
        rows.append(
            {
                "sektor": a.sektor_nazwa if a.sektor != previous else "",
                "instytucja": a.instytucja_nazwa + (f" ({a.skrot})" if a.skrot else ""),
                "osoba": ", ".join(x for x in (a.osoba_nazwa, a.stanowisko) if x),
            }
        )
        previous = a.sektor
    columns = [("sektor", "Sektor"), ("instytucja", "Instytucja"), ("osoba", "Osoba")]
    count = len({a.instytucja for a in found.obecni})
    title = f"Obecne instytucje: {count}"
    listing(rows, columns, Format.tabela, title=title, empty="Nie zapisano jeszcze obecności.")
