"""A spreadsheet of N institutions of one gmina, as a coordinator would import it.

Every row is a new institution with a unique name, a valid NIP and REGON, a phone number,
an e-mail and a web address, so an import exercises every check and every lookup.

Usage: python bench/import_file.py --wiersze 10000 --plik /tmp/instytucje.csv
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

GMINA = "1012011"
SECTORS = ("pomoc_spoleczna", "edukacja", "zdrowie", "ngo", "kultura", "sport", "rodzina")
KINDS = (
    "Stowarzyszenie Pomocy",
    "Fundacja Wspierania",
    "Klub Sportowy",
    "Szkoła Podstawowa nr",
    "Świetlica Środowiskowa",
    "Poradnia Zdrowia Psychicznego",
    "Ośrodek Kultury",
)


def _nip(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(1, 9), *(rng.randint(0, 9) for _ in range(8))]
        check = sum(w * d for w, d in zip((6, 5, 7, 2, 3, 4, 5, 6, 7), digits, strict=True)) % 11
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def _regon(rng: random.Random) -> str:
    digits = [rng.randint(0, 9) for _ in range(8)]
    check = sum(w * d for w, d in zip((8, 9, 2, 3, 4, 5, 6, 7), digits, strict=True)) % 11
    return "".join(map(str, digits)) + str(check % 10)


def write(path: Path, rows: int, seed: int = 2019) -> None:
    """Write the file: `rows` institutions of gmina 1012011 with unique names and numbers."""
    rng = random.Random(seed)
    nips: set[str] = set()
    regons: set[str] = set()
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["Nazwa", "Gmina", "Sektor", "Telefon", "E-mail", "WWW", "NIP", "REGON"])
        for n in range(1, rows + 1):
            nip = _nip(rng)
            while nip in nips:
                nip = _nip(rng)
            regon = _regon(rng)
            while regon in regons:
                regon = _regon(rng)
            nips.add(nip)
            regons.add(regon)
            kind = KINDS[n % len(KINDS)]
            out.writerow(
                [
                    f"{kind} {n} „Łączy nas Radomsko”",
                    GMINA,
                    SECTORS[n % len(SECTORS)],
                    f"44 {rng.randint(600, 799)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                    f"biuro{n}@przyklad.pl",
                    f"https://www.przyklad{n}.pl",
                    nip,
                    regon,
                ]
            )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--wiersze", type=int, default=10_000, help="liczba instytucji")
    parser.add_argument("--plik", type=Path, required=True, help="plik CSV do zapisania")
    args = parser.parse_args(argv)
    write(args.plik, args.wiersze)


if __name__ == "__main__":
    main()
