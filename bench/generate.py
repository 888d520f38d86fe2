"""A synthetic national database for benchmarks, built from the real territorial register.

At scale 1: a team in each of the 2,479 gminas, about 40 member institutions per team
(local ones plus the powiat-level providers of the gmina's powiat, which serve and join every
team of their powiat), 5 services each, 10 meetings per team with attendance, one
representative per institution and the declarations that make every member a member.

Deterministic: the same scale and seed give the same file, row for row. Fast: the schema comes
from the application's own migrations, the rows go in with executemany in one transaction.

Usage: python bench/generate.py --skala 0.1 --baza /tmp/kooperacje-0.1.db
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from kooperacje.text import fold

SCALES = ("0.01", "0.1", "1")
SEED = 2019
# The gmina every benchmark command asks about (the README's example): always generated.
ANCHOR = "1012011"
STAMP = "2020-01-01T00:00:00Z"
LOCAL_PER_TEAM = 38
SERVICES_PER_INSTITUTION = 5
MEETINGS_PER_TEAM = 10

# Powiat-level providers: (name prefix, short name, sector, service areas).
POWIAT_PROVIDERS = (
    (
        "Powiatowe Centrum Pomocy Rodzinie",
        "PCPR",
        "rodzina",
        ("piecza_zastepcza", "wspieranie_rodziny", "niepelnosprawnosc"),
    ),
    ("Powiatowy Urząd Pracy", "PUP", "rynek_pracy", ("bezrobocie", "reintegracja")),
    ("Komenda Powiatowa Policji", "KPP", "policja", ("wspieranie_rodziny", "pomoc_spoleczna")),
    (
        "Zespół Kuratorskiej Służby Sądowej Sądu Rejonowego",
        "ZKSS",
        "sadownictwo",
        ("reintegracja", "wspieranie_rodziny"),
    ),
    ("Szpital Powiatowy", "SP ZOZ", "zdrowie", ("zdrowie",)),
    ("Poradnia Psychologiczno-Pedagogiczna", "PPP", "edukacja", ("edukacja", "wspieranie_rodziny")),
)
SEAT_KIND = {"1": "Miejski", "2": "Gminny", "3": "Miejsko-Gminny"}
SEAT_SHORT = {"1": "MOPS", "2": "GOPS", "3": "MGOPS"}
OFFICE = {"1": "Urząd Miasta", "2": "Urząd Gminy", "3": "Urząd Miasta i Gminy"}
PATRONS = (
    "Jana Pawła II",
    "Marii Konopnickiej",
    "Henryka Sienkiewicza",
    "Adama Mickiewicza",
    "Tadeusza Kościuszki",
    "Janusza Korczaka",
    "Marii Skłodowskiej-Curie",
    "Orła Białego",
    "Kornela Makuszyńskiego",
    "Władysława Broniewskiego",
    "Juliusza Słowackiego",
)
SAINTS = (
    "św. Łukasza",
    "św. Józefa",
    "Najświętszej Maryi Panny",
    "św. Stanisława",
    "św. Małgorzaty",
    "Wszystkich Świętych",
    "św. Jadwigi Śląskiej",
)
NGO_NAMES = (
    "Pomocna Dłoń",
    "Razem Łatwiej",
    "Promyk",
    "Nadzieja",
    "Otwarte Serca",
    "Źródło",
    "Przystań",
    "Żółty Tulipan",
    "Wspólnota",
    "Świetlik",
    "Ślad",
)
# Local institutions a team is built from: (name, short, sector, areas); {n} numbers repeats.
LOCAL = (
    ("Szkoła Podstawowa nr {n} im. {patron}", "SP", "edukacja", ("edukacja",)),
    ("Przedszkole Publiczne nr {n}", None, "edukacja", ("edukacja", "polityka_prorodzinna")),
    ("Stowarzyszenie „{ngo}” nr {n}", None, "ngo", ("aktywnosc_obywatelska", "reintegracja")),
    ("Fundacja „{ngo}” – oddział {n}", None, "ngo", ("pomoc_spoleczna", "niepelnosprawnosc")),
    ("Parafia Rzymskokatolicka pw. {saint} nr {n}", None, "wyznaniowe", ("pomoc_spoleczna",)),
    ("Świetlica Środowiskowa nr {n}", None, "rodzina", ("wspieranie_rodziny",)),
    ("Ochotnicza Straż Pożarna nr {n}", "OSP", "inne", ("aktywnosc_obywatelska",)),
    ("Koło Gospodyń Wiejskich nr {n}", "KGW", "ngo", ("kultura", "aktywnosc_obywatelska")),
    ("Niepubliczny Zakład Opieki Zdrowotnej nr {n}", "NZOZ", "zdrowie", ("zdrowie",)),
    ("Klub Sportowy „Orzeł” nr {n}", None, "sport", ("sport_turystyka",)),
)
FIXED_LOCAL = (
    (
        "{kind} Ośrodek Pomocy Społecznej",
        "{ops}",
        "pomoc_spoleczna",
        ("pomoc_spoleczna", "wspieranie_rodziny", "bezrobocie"),
    ),
    ("{office}", "UG", "administracja", ("polityka_prorodzinna", "mieszkalnictwo")),
    ("Gminna Komisja Rozwiązywania Problemów Alkoholowych", "GKRPA", "zdrowie", ("zdrowie",)),
    ("Ośrodek Kultury", "OK", "kultura", ("kultura",)),
    ("Biblioteka Publiczna", "BP", "kultura", ("kultura", "edukacja")),
    (
        "Zakład Gospodarki Komunalnej i Mieszkaniowej",
        "ZGKiM",
        "komunalne",
        ("mieszkalnictwo", "srodowisko"),
    ),
    ("Środowiskowy Dom Samopomocy", "ŚDS", "pomoc_spoleczna", ("niepelnosprawnosc",)),
    ("Klub Senior+", None, "pomoc_spoleczna", ("pomoc_spoleczna", "aktywnosc_obywatelska")),
)
SERVICE_NAMES = {
    "polityka_prorodzinna": ("Karta Dużej Rodziny", "Becikowe gminne", "Szkoła rodzenia"),
    "wspieranie_rodziny": (
        "Asystent rodziny",
        "Poradnictwo rodzinne",
        "Grupa wsparcia dla rodziców",
    ),
    "piecza_zastepcza": ("Rodziny zastępcze – szkolenia", "Wsparcie rodzin zastępczych"),
    "pomoc_spoleczna": (
        "Zasiłek celowy",
        "Usługi opiekuńcze",
        "Posiłek w szkole i w domu",
        "Praca socjalna",
        "Interwencja kryzysowa",
    ),
    "zdrowie": (
        "Profilaktyka uzależnień",
        "Konsultacje psychologiczne",
        "Badania przesiewowe",
        "Terapia odwykowa",
    ),
    "niepelnosprawnosc": (
        "Turnusy rehabilitacyjne",
        "Transport osób z niepełnosprawnościami",
        "Zajęcia terapeutyczne",
    ),
    "edukacja": ("Zajęcia wyrównawcze", "Pomoc psychologiczno-pedagogiczna", "Korepetycje"),
    "bezrobocie": (
        "Staże zawodowe",
        "Szkolenia zawodowe",
        "Doradztwo zawodowe",
        "Prace społecznie użyteczne",
    ),
    "kultura": ("Warsztaty artystyczne", "Klub czytelniczy", "Zajęcia teatralne"),
    "sport_turystyka": ("Zajęcia sportowe dla dzieci", "Nordic walking dla seniorów"),
    "aktywnosc_obywatelska": ("Wolontariat", "Klub seniora", "Inicjatywy sąsiedzkie"),
    "mieszkalnictwo": ("Mieszkanie chronione", "Dodatek mieszkaniowy", "Lokale socjalne"),
    "srodowisko": ("Odbiór odpadów wielkogabarytowych", "Edukacja ekologiczna"),
    "reintegracja": (
        "Klub Integracji Społecznej",
        "Centrum Integracji Społecznej",
        "Program readaptacji",
    ),
}
GROUPS = (
    "dzieci_mlodziez",
    "rodziny",
    "seniorzy",
    "niepelnosprawnosc",
    "bezdomnosc",
    "uzaleznienia",
    "przemoc",
    "bezrobotni",
    "po_wyroku",
    "inne",
)
FIRST_NAMES = (
    "Anna",
    "Maria",
    "Katarzyna",
    "Małgorzata",
    "Agnieszka",
    "Barbara",
    "Ewa",
    "Krystyna",
    "Elżbieta",
    "Piotr",
    "Krzysztof",
    "Andrzej",
    "Tomasz",
    "Paweł",
    "Michał",
    "Łukasz",
    "Józef",
    "Grzegorz",
)
SURNAMES = (
    "Nowak",
    "Kowalczyk",
    "Wiśniewski",
    "Wójcik",
    "Kamiński",
    "Lewandowski",
    "Zieliński",
    "Szymański",
    "Woźniak",
    "Dąbrowski",
    "Kozłowski",
    "Jankowski",
    "Mazur",
    "Krawczyk",
    "Piątek",
    "Grabowski",
    "Żak",
    "Ślusarczyk",
)
POSITIONS = (
    "dyrektor",
    "kierownik",
    "pracownik socjalny",
    "specjalista",
    "koordynator",
    "pedagog",
    "prezes zarządu",
)
MEETING_KINDS = ("posiedzenie", "posiedzenie", "warsztat", "szkolenie", "posiedzenie", "inne")


@dataclass
class Counts:
    """How many rows of each table were written."""

    rows: dict[str, int] = field(default_factory=dict)

    def add(self, table: str, n: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + n


@dataclass(frozen=True)
class Gmina:
    kod: str
    nazwa: str
    rodz: str
    powiat: str


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def choose_gminas(conn: sqlite3.Connection, scale: float, rng: random.Random) -> list[Gmina]:
    """round(2,479 × scale) gminas, always including the anchor, in TERYT order."""
    rows = conn.execute(
        "SELECT kod, nazwa, rodz, powiat FROM teryt WHERE poziom = 'gmina' ORDER BY kod"
    ).fetchall()
    everyone = [Gmina(*row) for row in rows]
    wanted = max(1, round(len(everyone) * scale))
    others = [g for g in everyone if g.kod != ANCHOR]
    anchor = [g for g in everyone if g.kod == ANCHOR]
    chosen = anchor + rng.sample(others, wanted - len(anchor))
    return sorted(chosen, key=lambda g: g.kod)


class Writer:
    """Buffers rows per table and flushes them with executemany."""

    COLUMNS: ClassVar[dict[str, tuple[str, ...]]] = {
        "instytucje": (
            "id",
            "uuid",
            "nazwa",
            "skrot",
            "sektor",
            "gmina",
            "adres",
            "kod_pocztowy",
            "miejscowosc",
            "telefon",
            "email",
            "utworzono",
            "zmieniono",
            "nazwa_szukaj",
            "skrot_szukaj",
        ),
        "osoby": (
            "id",
            "uuid",
            "instytucja",
            "imie_nazwisko",
            "stanowisko",
            "telefon",
            "email",
            "utworzono",
            "zmieniono",
        ),
        "zespoly": (
            "id",
            "uuid",
            "gmina",
            "nazwa",
            "lider",
            "projekt",
            "data_utworzenia",
            "utworzono",
            "zmieniono",
        ),
        "spotkania": (
            "id",
            "uuid",
            "zespol",
            "data",
            "godzina",
            "miejsce",
            "adres",
            "rodzaj",
            "tytul",
            "opis",
            "utworzono",
            "zmieniono",
        ),
        "obecnosci": ("spotkanie", "instytucja", "osoba"),
        "deklaracje": (
            "id",
            "uuid",
            "zespol",
            "instytucja",
            "rodzaj",
            "data",
            "podpisal",
            "spotkanie",
            "utworzono",
        ),
        "uslugi": (
            "id",
            "uuid",
            "instytucja",
            "nazwa",
            "obszar",
            "opis",
            "jak_skorzystac",
            "kryteria",
            "odplatnosc",
            "kontakt",
            "status",
            "utworzono",
            "zmieniono",
        ),
        "uslugi_grupy": ("usluga", "grupa"),
        "uslugi_zasieg": ("usluga", "teryt"),
    }

    def __init__(self, conn: sqlite3.Connection, counts: Counts) -> None:
        self.conn = conn
        self.counts = counts
        self.buffers: dict[str, list[tuple[object, ...]]] = {t: [] for t in self.COLUMNS}
        self.next_id: dict[str, int] = {t: 1 for t in self.COLUMNS}

    def new_id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def add(self, table: str, *row: object) -> None:
        buffer = self.buffers[table]
        buffer.append(row)
        if len(buffer) >= 20_000:
            self.flush(table)

    def flush(self, table: str | None = None) -> None:
        for name in [table] if table else list(self.COLUMNS):
            rows = self.buffers[name]
            if not rows:
                continue
            columns = self.COLUMNS[name]
            sql = (
                f"INSERT INTO {name} ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' * len(columns))})"
            )
            self.conn.executemany(sql, rows)
            self.counts.add(name, len(rows))
            rows.clear()


def _institution(
    w: Writer,
    rng: random.Random,
    nazwa: str,
    skrot: str | None,
    sektor: str,
    gmina: Gmina,
    areas: tuple[str, ...],
    reach: str,
) -> tuple[int, int]:
    """Insert an institution with its representative and its services; (id, person id)."""
    inst = w.new_id("instytucje")
    street = rng.choice(
        (
            "ul. Kościuszki",
            "ul. Żeromskiego",
            "ul. Słoneczna",
            "pl. Wolności",
            "ul. Łąkowa",
            "ul. Szkolna",
        )
    )
    w.add(
        "instytucje",
        inst,
        _uuid(rng),
        nazwa,
        skrot,
        sektor,
        gmina.kod,
        f"{street} {rng.randint(1, 120)}",
        f"{rng.randint(10, 99)}-{rng.randint(100, 999)}",
        gmina.nazwa,
        f"+48 {rng.randint(12, 95)} {rng.randint(100, 999)} "
        f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
        f"biuro{inst}@example.pl",
        STAMP,
        STAMP,
        fold(nazwa),
        skrot and fold(skrot),
    )
    person = w.new_id("osoby")
    w.add(
        "osoby",
        person,
        _uuid(rng),
        inst,
        f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
        rng.choice(POSITIONS),
        None,
        f"kontakt{person}@example.pl",
        STAMP,
        STAMP,
    )
    for n in range(SERVICES_PER_INSTITUTION):
        area = areas[n % len(areas)]
        service = w.new_id("uslugi")
        base = rng.choice(SERVICE_NAMES[area])
        status = "aktywna" if rng.random() < 0.95 else "zawieszona"
        w.add(
            "uslugi",
            service,
            _uuid(rng),
            inst,
            f"{base} ({n + 1})",
            area,
            f"{base} dla mieszkańców: {gmina.nazwa}.",
            "Zgłoszenie osobiste lub telefoniczne.",
            None,
            rng.choice(("bezpłatna", "częściowo odpłatna", None)),
            None,
            status,
            STAMP,
            STAMP,
        )
        for group in rng.sample(GROUPS, rng.randint(1, 3)):
            w.add("uslugi_grupy", service, group)
        w.add("uslugi_zasieg", service, reach)
    return inst, person


def _day(start: dt.date, days: int) -> str:
    return (start + dt.timedelta(days=days)).isoformat()


def generate(path: Path, scale: float, seed: int = SEED) -> Counts:
    """Build the database at path (which must not exist) and return the row counts."""
    from kooperacje.store.db import open_db

    open_db(path).close()  # the schema, the register and the vocabularies
    rng = random.Random(seed)
    counts = Counts()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")  # rows are consistent by construction
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -200000")
    gminas = choose_gminas(conn, scale, rng)
    powiat_names = dict(conn.execute("SELECT kod, nazwa FROM teryt WHERE poziom = 'powiat'"))
    # One project record per project of the macroregions table; a team refers to its own.
    names = [r[0] for r in conn.execute("SELECT DISTINCT projekt FROM makroregiony ORDER BY 1")]
    for name in names:
        conn.execute(
            "INSERT INTO projekty (uuid, nazwa, utworzono, zmieniono) VALUES (?, ?, ?, ?)",
            (str(uuid.uuid5(uuid.NAMESPACE_URL, name)), name, STAMP, STAMP),
        )
    projects = {
        woj: int(pid)
        for woj, pid in conn.execute(
            "SELECT m.wojewodztwo, p.id FROM makroregiony m JOIN projekty p ON p.nazwa = m.projekt"
        )
    }
    w = Writer(conn, counts)
    with conn:
        # The providers of each powiat that has a team, seated in its first chosen gmina.
        providers: dict[str, list[tuple[int, int]]] = {}
        for g in gminas:
            if g.powiat in providers:
                continue
            providers[g.powiat] = [
                _institution(
                    w,
                    rng,
                    f"{name} – powiat {powiat_names[g.powiat]}",
                    short,
                    sector,
                    g,
                    areas,
                    g.powiat,
                )
                for name, short, sector, areas in POWIAT_PROVIDERS
            ]
        for g in gminas:
            _team(w, rng, g, providers[g.powiat], projects.get(g.kod[:2]))
        w.flush()
    conn.execute("ANALYZE")
    conn.close()
    return counts


def _local(rng: random.Random, g: Gmina) -> Iterator[tuple[str, str | None, str, tuple[str, ...]]]:
    for name, short, sector, areas in FIXED_LOCAL:
        label = name.format(kind=SEAT_KIND.get(g.rodz, "Gminny"), office=OFFICE.get(g.rodz, ""))
        yield (
            f"{label} w gminie {g.nazwa}",
            short and short.format(ops=SEAT_SHORT[g.rodz]),
            sector,
            areas,
        )
    for n in range(1, LOCAL_PER_TEAM - len(FIXED_LOCAL) + 1):
        name, short, sector, areas = rng.choice(LOCAL)
        label = name.format(
            n=n, patron=rng.choice(PATRONS), ngo=rng.choice(NGO_NAMES), saint=rng.choice(SAINTS)
        )
        yield f"{label} w gminie {g.nazwa}", short, sector, areas


def _team(
    w: Writer,
    rng: random.Random,
    g: Gmina,
    providers: list[tuple[int, int]],
    project: int | None,
) -> None:
    members = [
        _institution(w, rng, name, short, sector, g, areas, g.kod)
        for name, short, sector, areas in _local(rng, g)
    ]
    team = w.new_id("zespoly")
    start = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
    w.add(
        "zespoly",
        team,
        _uuid(rng),
        g.kod,
        f"PZK {g.nazwa} ({g.kod})",
        members[0][0],
        project,
        start.isoformat(),
        STAMP,
        STAMP,
    )
    everyone = members + providers
    meetings: list[tuple[int, str]] = []
    for n in range(MEETINGS_PER_TEAM):
        meeting = w.new_id("spotkania")
        day = _day(start, n * 35)
        kind = "inicjujace" if n == 0 else rng.choice(MEETING_KINDS)
        w.add(
            "spotkania",
            meeting,
            _uuid(rng),
            team,
            day,
            f"{rng.randint(9, 14)}:00",
            rng.choice(
                (
                    "sala konferencyjna urzędu",
                    "biblioteka publiczna",
                    "ośrodek kultury",
                    "sala ośrodka pomocy społecznej",
                )
            ),
            None,
            kind,
            f"Spotkanie nr {n + 1} zespołu",
            None,
            STAMP,
            STAMP,
        )
        meetings.append((meeting, day))
        for inst, person in rng.sample(everyone, rng.randint(12, 20)):
            w.add("obecnosci", meeting, inst, person)
    for inst, _person in everyone:
        joined = rng.randint(0, 2)  # at the first, second or third meeting
        meeting, day = meetings[joined]
        w.add(
            "deklaracje",
            w.new_id("deklaracje"),
            _uuid(rng),
            team,
            inst,
            "przystapienie",
            day,
            None,
            meeting,
            STAMP,
        )
        if rng.random() < 0.04:  # a few institutions leave later
            w.add(
                "deklaracje",
                w.new_id("deklaracje"),
                _uuid(rng),
                team,
                inst,
                "wystapienie",
                _day(dt.date.fromisoformat(day), 200),
                None,
                None,
                STAMP,
            )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--skala",
        choices=SCALES,
        required=True,
        help="1 = wszystkie 2479 gmin, 0.1 = co dziesiąta, 0.01 = co setna",
    )
    parser.add_argument("--baza", type=Path, required=True, help="plik bazy do utworzenia")
    parser.add_argument("--nadpisz", action="store_true", help="zastąp istniejący plik")
    parser.add_argument("--ziarno", type=int, default=SEED, help=f"ziarno (domyślnie {SEED})")
    args = parser.parse_args(argv)
    path: Path = args.baza
    if path.exists():
        if not args.nadpisz:
            sys.exit(f"Błąd: plik {path} już istnieje. Podaj inną ścieżkę albo --nadpisz.")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    start = time.perf_counter()
    counts = generate(path, float(args.skala), args.ziarno)
    elapsed = time.perf_counter() - start
    print(f"Baza {path} (skala {args.skala}) gotowa w {elapsed:.1f} s:")
    for table in Writer.COLUMNS:
        n = counts.rows.get(table, 0)
        print(f"  {table:<15} {n:>9,}".replace(",", " "))


if __name__ == "__main__":
    main()
