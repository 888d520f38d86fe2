"""The Datasette metadata of the public copy: Polish titles and descriptions of every table
and column, `nazwa` as the label of references, the search tables declared (Datasette finds
no stand-alone FTS table by itself, and would silently ignore `_search=`), and the canned
queries a resident needs. Written for Datasette 0.65 (`--metadata`; the 1.0 alphas read
canned queries from another file)."""

from __future__ import annotations

from typing import Any

from kooperacje.reports.public_copy import SEARCH, TASK_TEAMS

_VOCABULARY = {"kod": "Kod (stały, bez polskich znaków).", "nazwa": "Nazwa.",
               "kolejnosc": "Kolejność na listach."}  # fmt: skip
_STAMPS = {
    "id": "Numer rekordu.",
    "uuid": "Stały identyfikator (UUID), ten sam w plikach wszystkich koordynatorów.",
    "utworzono": "Kiedy wpis utworzono (UTC).",
    "zmieniono": "Kiedy wpis ostatnio zmieniono (UTC).",
}

# table -> (title, description, {column: description})
TABLES: dict[str, tuple[str, str, dict[str, str]]] = {
    "teryt": ("Rejestr TERYT", "Województwa, powiaty i gminy (rejestr TERC GUS).", {
        "kod": "Kod TERYT: 2 cyfry województwo, 4 powiat, 7 gmina.",
        "poziom": "Poziom: wojewodztwo, powiat, gmina albo czesc_gminy.",
        "nazwa": "Nazwa jednostki.",
        "rodzaj": "Rodzaj jednostki według GUS, np. gmina miejska.",
        "rodz": "Rodzaj gminy: 1 miejska, 2 wiejska, 3 miejsko-wiejska.",
        "wojewodztwo": "Kod województwa.",
        "powiat": "Kod powiatu (dla gmin).",
        "stan_na": "Data stanu rejestru.",
        "nazwa_szukaj": "Nazwa małymi literami bez polskich znaków (do wyszukiwania).",
    }),
    "makroregiony": ("Makroregiony", "Województwa w makroregionach projektów modelu kooperacji.", {
        "wojewodztwo": "Kod województwa.",
        "makroregion": "Makroregion (I, II, III).",
        "projekt": "Projekt realizowany w makroregionie.",
        "lider": "Lider projektu.",
    }),
    "sektory": ("Sektory", "Sektory (obszary kooperacji) instytucji.", {
        **_VOCABULARY, "kluczowy": "Jeden z pięciu kluczowych sektorów modelu (1 = tak).",
    }),
    "obszary_uslug": ("Obszary usług", "Obszary usług społecznych (14 obszarów ustawy).",
                      dict(_VOCABULARY)),
    "grupy_docelowe": ("Grupy docelowe", "Dla kogo są usługi.", dict(_VOCABULARY)),
    "rodzaje_spotkan": ("Rodzaje spotkań", "Rodzaje spotkań zespołów.", dict(_VOCABULARY)),
    "rodzaje_deklaracji": ("Rodzaje deklaracji", "Przystąpienie do zespołu albo wystąpienie.",
                           dict(_VOCABULARY)),
    "instytucje": ("Instytucje", "Instytucje (kooperanci) z danymi kontaktowymi instytucji.", {
        **_STAMPS,
        "nazwa": "Pełna nazwa instytucji.",
        "skrot": "Skrót, np. MOPS, PCPR, PUP.",
        "sektor": "Sektor instytucji.",
        "gmina": "Gmina siedziby (kod TERYT).",
        "adres": "Ulica i numer.",
        "kod_pocztowy": "Kod pocztowy.",
        "miejscowosc": "Miejscowość.",
        "telefon": "Telefon instytucji.",
        "email": "Adres e-mail instytucji.",
        "www": "Strona internetowa.",
        "nip": "NIP.",
        "regon": "REGON.",
    }),
    "zespoly": ("Zespoły (PZK)", "Partnerskie Zespoły Kooperacyjne: jeden na gminę.", {
        **_STAMPS,
        "gmina": "Gmina zespołu (kod TERYT).",
        "nazwa": "Nazwa zespołu.",
        "lider": "Instytucja wiodąca.",
        "projekt": "Projekt, w którym powstał zespół.",
        "data_utworzenia": "Data utworzenia zespołu.",
        "misja": "Misja zespołu: po co działa.",
    }),
    "zespoly_obszar": ("Obszar zespołów poza gminą", "Gminy i powiaty, w których zespół "
                       "działa poza swoją gminą (np. gmina z powiatem).", {
        "zespol": "Zespół.", "teryt": "Gmina albo powiat (kod TERYT).",
    }),
    "spotkania_zespoly": ("Zespoły na spotkaniach", "Które zespoły uczestniczyły w spotkaniu "
                          "(wspólne spotkania kilku zespołów).", {
        "spotkanie": "Spotkanie.", "zespol": "Zespół.",
    }),
    "instytucje_biura": ("Biura instytucji", "Biura instytucji poza siedzibą.", {
        "id": _STAMPS["id"],
        "uuid": _STAMPS["uuid"],
        "instytucja": "Instytucja.",
        "nazwa": "Co jest w biurze, np. piecza zastępcza.",
        "adres": "Ulica i numer.",
        "kod_pocztowy": "Kod pocztowy.",
        "miejscowosc": "Miejscowość.",
        "telefon": "Telefon biura.",
    }),
    "projekty": ("Projekty", "Projekty, w których działają zespoły.", {
        "id": _STAMPS["id"],
        "uuid": _STAMPS["uuid"],
        "nazwa": "Pełna nazwa projektu.",
        "skrot": "Krótka nazwa, np. Kooperacje 3D.",
        "program": "Program, oś priorytetowa i działanie.",
        "wspolfinansowanie": "Zdanie o współfinansowaniu.",
        "od": "Początek projektu.",
        "do": "Koniec projektu.",
    }),
    "projekty_instytucje": ("Lider i partnerzy projektów", "Instytucje prowadzące projekty.", {
        "id": _STAMPS["id"],
        "projekt": "Projekt.",
        "instytucja": "Instytucja.",
        "rola": "lider albo partner.",
        "opis": "Rola słowami, np. partner merytoryczny.",
    }),
    "projekty_makroregiony": ("Makroregiony projektów", "Makroregiony, w których działa "
                              "projekt.", {
        "projekt": "Projekt.", "makroregion": "Makroregion (I, II, III).",
    }),
    "projekty_jst": ("Samorządy w projektach", "Gminy i powiaty uczestniczące w projekcie.", {
        "projekt": "Projekt.", "teryt": "Gmina albo powiat (kod TERYT).",
    }),
    "porozumienia": ("Porozumienia", "Porozumienia o współpracy instytucji i samorządów.", {
        "id": _STAMPS["id"],
        "uuid": _STAMPS["uuid"],
        "nazwa": "Tytuł porozumienia.",
        "przedmiot": "Co strony uzgadniają.",
        "projekt": "Projekt.",
        "status": "planowane, podpisane, wygasle albo rozwiazane.",
        "termin_podpisania": "Do kiedy ma zostać podpisane.",
        "data_podpisania": "Dzień podpisania.",
        "obowiazuje_od": "Obowiązuje od.",
        "obowiazuje_do": "Obowiązuje do.",
    }),
    "porozumienia_strony": ("Strony porozumień", "Instytucje i samorządy, które są stronami "
                            "porozumienia.", {
        "id": _STAMPS["id"],
        "porozumienie": "Porozumienie.",
        "instytucja": "Instytucja (gdy stroną jest instytucja).",
        "jst": "Samorząd: gmina, powiat albo województwo (kod TERYT).",
    }),
    "spotkania": ("Spotkania", "Spotkania zespołów: kiedy, gdzie i jakie.", {
        "id": _STAMPS["id"],
        "uuid": _STAMPS["uuid"],
        "zespol": "Zespół.",
        "data": "Data spotkania.",
        "godzina": "Godzina rozpoczęcia.",
        "miejsce": "Miejsce spotkania.",
        "adres": "Adres miejsca.",
        "rodzaj": "Rodzaj spotkania.",
        "tytul": "Tytuł spotkania.",
    }),
    "obecnosci": ("Obecność instytucji", "Które instytucje były na spotkaniu (bez osób).", {
        "id": _STAMPS["id"],
        "spotkanie": "Spotkanie.",
        "instytucja": "Instytucja.",
        "status": "zaproszony, obecny, usprawiedliwiony albo nieobecny.",
    }),
    "deklaracje": ("Deklaracje", "Deklaracje przystąpienia do zespołu i wystąpienia z niego.", {
        "id": _STAMPS["id"],
        "uuid": _STAMPS["uuid"],
        "zespol": "Zespół.",
        "instytucja": "Instytucja, która złożyła deklarację.",
        "rodzaj": "Przystąpienie albo wystąpienie.",
        "data": "Data deklaracji.",
        "spotkanie": "Spotkanie, na którym ją podpisano.",
    }),
    "uslugi": ("Usługi", "Usługi instytucji: lokalne koszyki usług gmin.", {
        **_STAMPS,
        "instytucja": "Instytucja, która prowadzi usługę.",
        "nazwa": "Nazwa usługi.",
        "obszar": "Obszar usług.",
        "opis": "Na czym polega usługa.",
        "jak_skorzystac": "Jak skorzystać z usługi.",
        "kryteria": "Kto może skorzystać.",
        "odplatnosc": "Opis kosztu.",
        "kontakt": "Kontakt do instytucji w sprawie usługi.",
        "status": "aktywna, zawieszona albo zakonczona.",
        "dokumenty": "Potrzebne dokumenty.",
        "wiek_od": "Od jakiego wieku.",
        "wiek_do": "Do jakiego wieku.",
        "bezplatna": "1 bezpłatna, 0 odpłatna, puste: nie podano.",
        "miejsce": "Gdzie: siedziba, adres, online albo telefon.",
        "adres": "Adres, gdy usługa jest poza siedzibą.",
        "kod_pocztowy": "Kod pocztowy tego adresu.",
        "miejscowosc": "Miejscowość tego adresu.",
        "godziny": "Godziny.",
        "dni": "Dni tygodnia (pn, wt, sr, cz, pt, so, nd).",
        "zweryfikowano": "Kiedy ostatnio sprawdzono wpis z instytucją.",
        "biuro": "Biuro instytucji, w którym prowadzona jest usługa.",
    }),
    "uslugi_grupy": ("Grupy docelowe usług", "Dla kogo jest każda usługa.", {
        "usluga": "Usługa.", "grupa": "Grupa docelowa.",
    }),
    "uslugi_zasieg": ("Zasięg usług", "Gdzie usługa jest dostępna: gminy, powiaty, województwa.", {
        "usluga": "Usługa.", "teryt": "Gmina, powiat albo województwo (kod TERYT).",
    }),
    "spotkania_uslugi": ("Usługi przedstawione na spotkaniach", "Usługi, które instytucje "
                         "przedstawiły na spotkaniu zespołu.", {
        "spotkanie": "Spotkanie.", "usluga": "Usługa.",
    }),
    TASK_TEAMS: ("Zadaniowe zespoły kooperacyjne (liczby)", "Liczby ZZK każdego zespołu od "
                 "początku; liczby mniejsze niż 3 są ukryte („mniej niż 3”, „ukryte”).", {
        "zespol": "Zespół.",
        "otwarte": "ZZK otwarte.",
        "osoby": "W tym dotyczące osoby.",
        "rodziny": "W tym dotyczące rodziny.",
        "zamkniete": "ZZK zamknięte.",
        "cel_osiagniety": "W tym z osiągniętym celem.",
        "przerwane": "W tym przerwane.",
        "w_toku": "ZZK w toku.",
        "spotkania": "Spotkania ZZK.",
    }),
}  # fmt: skip


def _fold_sql(expression: str) -> str:
    """SQL folding a Polish text like the tool does (lower case, no diacritics), for the
    canned queries (Datasette has no function of the tool's)."""
    pairs = (("ą", "a"), ("ć", "c"), ("ę", "e"), ("ł", "l"), ("ń", "n"), ("ó", "o"),
             ("ś", "s"), ("ź", "z"), ("ż", "z"))  # fmt: skip
    out = expression
    for letter, plain in pairs:
        out = f"replace(replace({out}, '{letter.upper()}', '{plain}'), '{letter}', '{plain}')"
    return f"lower(trim({out}))"


BASKET = f"""
WITH g AS (
  SELECT kod, nazwa, powiat, wojewodztwo FROM teryt
  WHERE poziom = 'gmina' AND (kod = trim(:gmina) OR nazwa_szukaj = {_fold_sql(":gmina")})
)
SELECT g.kod AS gmina, g.nazwa AS gmina_nazwa, o.nazwa AS obszar, i.nazwa AS instytucja,
       u.id AS usluga_nr, u.nazwa AS usluga, u.opis, u.kryteria, u.jak_skorzystac,
       u.godziny, u.kontakt, i.telefon, i.email
FROM g
JOIN uslugi_zasieg z ON z.teryt IN (g.kod, g.powiat, g.wojewodztwo)
JOIN uslugi u ON u.id = z.usluga AND u.status = 'aktywna'
JOIN instytucje i ON i.id = u.instytucja
JOIN obszary_uslug o ON o.kod = u.obszar
ORDER BY g.kod, o.kolejnosc, i.nazwa, u.nazwa
""".strip()

BY_GROUP = f"""
SELECT gr.nazwa AS grupa, u.id AS usluga_nr, u.nazwa AS usluga, i.nazwa AS instytucja,
       o.nazwa AS obszar, u.opis, u.jak_skorzystac, u.kontakt
FROM grupy_docelowe gr
JOIN uslugi_grupy ug ON ug.grupa = gr.kod
JOIN uslugi u ON u.id = ug.usluga AND u.status = 'aktywna'
JOIN instytucje i ON i.id = u.instytucja
JOIN obszary_uslug o ON o.kod = u.obszar
WHERE gr.kod = trim(:grupa) OR {_fold_sql("gr.nazwa")} = {_fold_sql(":grupa")}
ORDER BY o.kolejnosc, i.nazwa, u.nazwa
""".strip()

MEMBERS = """
WITH last AS (
  SELECT d.zespol, d.instytucja, d.rodzaj, d.data,
         row_number() OVER (PARTITION BY d.zespol, d.instytucja
                            ORDER BY d.data DESC, d.id DESC) AS n
  FROM deklaracje d WHERE d.data <= date('now')
)
SELECT z.nazwa AS zespol, t.nazwa AS gmina, z.gmina AS kod_teryt, i.nazwa AS instytucja,
       s.nazwa AS sektor, last.data AS czlonek_od
FROM last
JOIN zespoly z ON z.id = last.zespol
JOIN teryt t ON t.kod = z.gmina
JOIN instytucje i ON i.id = last.instytucja
JOIN sektory s ON s.kod = i.sektor
WHERE last.n = 1 AND last.rodzaj = 'przystapienie'
ORDER BY t.nazwa, z.gmina, s.kolejnosc, i.nazwa
""".strip()

QUERIES = {
    "koszyk_gminy": {
        "title": "Lokalny koszyk usług gminy",
        "description": "Aktywne usługi dostępne w gminie (także powiatowe i wojewódzkie). "
        "Podaj kod TERYT gminy (np. 1012011) albo jej nazwę; wielkość liter i polskie "
        "znaki nie mają znaczenia.",
        "sql": BASKET,
    },
    "uslugi_dla_grupy": {
        "title": "Usługi dla grupy",
        "description": "Aktywne usługi dla grupy docelowej: podaj kod (np. seniorzy) albo "
        "nazwę grupy.",
        "sql": BY_GROUP,
    },
    "zespoly_i_czlonkowie": {
        "title": "Zespoły i ich członkowie",
        "description": "Każdy zespół (PZK) i instytucje, które dziś są jego członkami.",
        "sql": MEMBERS,
    },
}


def metadata(database: str, columns: dict[str, list[str]]) -> dict[str, Any]:
    """The metadata for the public copy served as `database` (its file name's stem);
    columns: the columns of each table of the copy."""
    tables: dict[str, Any] = {}
    for table, table_columns in columns.items():
        if table not in TABLES:
            tables[table] = {"hidden": True}
            continue
        title, description, described = TABLES[table]
        entry: dict[str, Any] = {
            "title": title,
            "description": description,
            "columns": {c: described[c] for c in table_columns if c in described},
        }
        if "nazwa" in table_columns:
            entry["label_column"] = "nazwa"
        if table in SEARCH:
            entry["fts_table"] = SEARCH[table][0]
            entry["fts_pk"] = "id"
        tables[table] = entry
    return {
        "title": "Kooperacje: zespoły i koszyki usług",
        "description": "Partnerskie Zespoły Kooperacyjne, ich instytucje i lokalne koszyki "
        "usług. Kopia publiczna: bez danych osobowych.",
        "databases": {
            database: {
                "title": "Zespoły i koszyki usług",
                "description": "Wyszukiwanie działa z polskimi znakami i bez nich "
                "(„łódź” i „lodz”).",
                "tables": tables,
                "queries": QUERIES,
            }
        },
    }
