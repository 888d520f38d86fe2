"""The controlled vocabularies of DOMAIN.md, as data: stable ASCII codes, Polish labels.

register/vocab.py reads them, and migration 2 loads them into the database, so the code and
the tables never disagree. A Python module rather than a JSON file: it loads from its
compiled form without the json module (a noticeable part of a short command's start-up).
A change to a list of a released version needs a migration that makes the same change in
the tables.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

VOCABULARIES: dict[str, dict[str, Any]] = {
    "sektory": {
        "opis": "sektor",
        "pozycje": [
            {"kod": "pomoc_spoleczna", "nazwa": "pomoc i integracja społeczna", "kluczowy": True},
            {"kod": "rodzina", "nazwa": "wspieranie rodziny i piecza zastępcza", "kluczowy": False},
            {"kod": "rynek_pracy", "nazwa": "rynek pracy", "kluczowy": False},
            {"kod": "edukacja", "nazwa": "edukacja", "kluczowy": True},
            {
                "kod": "zdrowie",
                "nazwa": "ochrona zdrowia (w tym zdrowie psychiczne i uzależnienia)",
                "kluczowy": True,
            },
            {"kod": "sadownictwo", "nazwa": "sądownictwo i kuratela", "kluczowy": True},
            {"kod": "policja", "nazwa": "policja i bezpieczeństwo publiczne", "kluczowy": True},
            {
                "kod": "ngo",
                "nazwa": "organizacje pozarządowe i ekonomia społeczna",
                "kluczowy": False,
            },
            {"kod": "kultura", "nazwa": "kultura", "kluczowy": False},
            {"kod": "sport", "nazwa": "sport i rekreacja", "kluczowy": False},
            {"kod": "mieszkalnictwo", "nazwa": "mieszkalnictwo", "kluczowy": False},
            {"kod": "administracja", "nazwa": "administracja samorządowa", "kluczowy": False},
            {"kod": "ubezpieczenia", "nazwa": "ubezpieczenia społeczne", "kluczowy": False},
            {"kod": "wyznaniowe", "nazwa": "kościoły i związki wyznaniowe", "kluczowy": False},
            {"kod": "komunalne", "nazwa": "usługi komunalne", "kluczowy": False},
            {"kod": "inne", "nazwa": "inne", "kluczowy": False},
        ],
        "nieznany": "nieznany sektor",
    },
    "obszary_uslug": {
        "opis": "obszar usług",
        "pozycje": [
            {"kod": "polityka_prorodzinna", "nazwa": "polityka prorodzinna"},
            {"kod": "wspieranie_rodziny", "nazwa": "wspieranie rodziny"},
            {"kod": "piecza_zastepcza", "nazwa": "piecza zastępcza"},
            {"kod": "pomoc_spoleczna", "nazwa": "pomoc społeczna"},
            {"kod": "zdrowie", "nazwa": "promocja i ochrona zdrowia"},
            {"kod": "niepelnosprawnosc", "nazwa": "wspieranie osób niepełnosprawnych"},
            {"kod": "edukacja", "nazwa": "edukacja publiczna"},
            {"kod": "bezrobocie", "nazwa": "przeciwdziałanie bezrobociu"},
            {"kod": "kultura", "nazwa": "kultura"},
            {"kod": "sport_turystyka", "nazwa": "kultura fizyczna i turystyka"},
            {"kod": "aktywnosc_obywatelska", "nazwa": "pobudzanie aktywności obywatelskiej"},
            {"kod": "mieszkalnictwo", "nazwa": "mieszkalnictwo"},
            {"kod": "srodowisko", "nazwa": "ochrona środowiska"},
            {"kod": "reintegracja", "nazwa": "reintegracja zawodowa i społeczna"},
        ],
        "nieznany": "nieznany obszar usług",
    },
    "grupy_docelowe": {
        "opis": "grupa docelowa",
        "pozycje": [
            {"kod": "dzieci_mlodziez", "nazwa": "dzieci i młodzież"},
            {"kod": "rodziny", "nazwa": "rodziny"},
            {"kod": "seniorzy", "nazwa": "seniorzy"},
            {"kod": "niepelnosprawnosc", "nazwa": "osoby z niepełnosprawnościami"},
            {"kod": "bezdomnosc", "nazwa": "osoby w kryzysie bezdomności"},
            {"kod": "uzaleznienia", "nazwa": "osoby uzależnione i ich rodziny"},
            {"kod": "przemoc", "nazwa": "osoby doznające przemocy"},
            {"kod": "bezrobotni", "nazwa": "osoby bezrobotne"},
            {"kod": "po_wyroku", "nazwa": "osoby opuszczające zakłady karne"},
            {"kod": "inne", "nazwa": "inne"},
        ],
        "nieznany": "nieznana grupa docelowa",
    },
    "rodzaje_spotkan": {
        "opis": "rodzaj spotkania",
        "pozycje": [
            {"kod": "inicjujace", "nazwa": "spotkanie inicjujące"},
            {"kod": "posiedzenie", "nazwa": "posiedzenie"},
            {"kod": "warsztat", "nazwa": "warsztat"},
            {"kod": "szkolenie", "nazwa": "szkolenie"},
            {"kod": "inne", "nazwa": "inne"},
        ],
        "nieznany": "nieznany rodzaj spotkania",
    },
    "rodzaje_deklaracji": {
        "opis": "rodzaj deklaracji",
        "pozycje": [
            {"kod": "przystapienie", "nazwa": "przystąpienie"},
            {"kod": "wystapienie", "nazwa": "wystąpienie"},
        ],
        "nieznany": "nieznany rodzaj deklaracji",
    },
}
