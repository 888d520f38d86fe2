"""Search and filter benchmark of the basket: prints figures, never fails on a threshold.

Builds a temporary database with one provider per gmina of a few voivodeships and a few
services each (gmina-, powiat- and voivodeship-level reach), then times, over N rounds:
    the basket of one gmina                       basket.basket(db, unit)
    the basket with --szukaj                      basket.basket(db, unit, szukaj=…)
    a search in every basket (uslugi szukaj)      basket.search(db, …)
    the gaps of a gmina                           gaps.for_unit(…)

Usage: python bench/search.py [--rounds 20] [--voivodeships 10 12 24]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from kooperacje.basket import basket, gaps, query
from kooperacje.register import teryt
from kooperacje.store.db import open_db

AREAS = ("pomoc_spoleczna", "wspieranie_rodziny", "zdrowie", "bezrobocie", "kultura")
NAMES = (
    "Praca socjalna i poradnictwo",
    "Konsultacje psychologiczne dla rodzin",
    "Pośrednictwo pracy",
    "Zajęcia dla seniorów w Łodzi",
    "Świetlica środowiskowa",
)


def build(path: Path, voivodeships: list[str]) -> int:
    db = open_db(path)
    stamp = "2026-01-01T00:00:00Z"
    gminas = list(
        db.query(
            "SELECT kod, powiat, wojewodztwo FROM teryt WHERE poziom = 'gmina' "
            "AND wojewodztwo IN (SELECT value FROM json_each(:w))",
            {"w": json.dumps(voivodeships)},
        )
    )
    count = 0
    with db.atomic():
        for g in gminas:
            cur = db.execute(
                "INSERT INTO instytucje (uuid, nazwa, sektor, gmina, utworzono, zmieniono) "
                "VALUES (:u, :n, 'pomoc_spoleczna', :g, :s, :s)",
                {
                    "u": str(uuid.uuid4()),
                    "n": f"Ośrodek Pomocy Społecznej {g['kod']}",
                    "g": g["kod"],
                    "s": stamp,
                },
            )
            provider = cur.lastrowid
            for n, (name, area) in enumerate(zip(NAMES, AREAS, strict=True)):
                reach = (g["kod"], g["powiat"], g["wojewodztwo"])[n % 3]
                cur = db.execute(
                    "INSERT INTO uslugi (uuid, instytucja, nazwa, obszar, opis, wiek_od, "
                    "utworzono, zmieniono) VALUES (:u, :i, :n, :a, :o, :w, :s, :s)",
                    {
                        "u": str(uuid.uuid4()),
                        "i": provider,
                        "n": name,
                        "a": area,
                        "o": "Wsparcie mieszkańców gminy",
                        "w": 18 if n == 3 else None,
                        "s": stamp,
                    },
                )
                db.execute(
                    "INSERT INTO uslugi_zasieg (usluga, teryt) VALUES (:u, :t)",
                    {"u": cur.lastrowid, "t": reach},
                )
                count += 1
    db.close()
    return count


def timed(rounds: int, action: object) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--voivodeships", nargs="+", default=["10", "12", "24"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        services = build(path, args.voivodeships)
        db = open_db(path)
        first = next(
            iter(
                db.query(
                    "SELECT min(u.teryt) AS kod FROM uslugi_zasieg u WHERE length(u.teryt) = 7"
                )
            )
        )["kod"]
        unit = teryt.get_unit(db, "1012011" if "10" in args.voivodeships else first)
        size = len(basket.basket(db, unit))
        print(f"services: {services}; basket of {unit.nazwa} ({unit.kod}): {size}")
        figures = {
            "basket": timed(args.rounds, lambda: basket.basket(db, unit)),
            "basket --szukaj psycholog": timed(
                args.rounds, lambda: basket.basket(db, unit, szukaj="psycholog")
            ),
            "uslugi szukaj lodz (all)": timed(args.rounds, lambda: query.search_rows(db, "lodz")),
            "luki": timed(args.rounds, lambda: gaps.for_unit(db, unit, None)),
        }
        for name, ms in figures.items():
            print(f"{name:30} median {ms:8.1f} ms")
        db.close()


if __name__ == "__main__":
    main()
