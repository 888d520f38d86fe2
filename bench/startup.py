"""Start-up benchmark: is `kooperacje` as quick to answer as `sqlite-utils --help`?

Runs, alternately and in a rotating order, N rounds of:
    kooperacje --help
    kooperacje instytucje lista          (on a small temporary database)
    sqlite-utils --help                  (the yardstick the issue names)
    python -c pass                       (the interpreter's own start-up: the floor)
and prints the median of each, the median of the per-round ratios kooperacje / sqlite-utils,
and the same medians above the floor. A benchmark, not a test: it never fails on a threshold.

Usage: python bench/startup.py [--rounds 15]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

INSTITUTIONS = [
    ("Miejski Ośrodek Pomocy Społecznej w Radomsku", "MOPS", "pomoc_spoleczna"),
    ("Powiatowe Centrum Pomocy Rodzinie w Radomsku", "PCPR", "rodzina"),
    ("Powiatowy Urząd Pracy w Radomsku", "PUP", "rynek_pracy"),
    ("Komenda Powiatowa Policji w Radomsku", "KPP", "policja"),
]


def _tool(name: str) -> str:
    """The console script installed beside this interpreter, else the one on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"Nie znaleziono programu {name}: zainstaluj pakiet (pip install .).")
    return found


def _run(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def _prepare(kooperacje: str, env: dict[str, str]) -> None:
    """A small database: the register plus a few institutions (and migrations already run)."""
    for nazwa, skrot, sektor in INSTITUTIONS:
        options = ["--gmina", "1012011", "--sektor", sektor, "--skrot", skrot]
        subprocess.run(
            [kooperacje, "instytucje", "dodaj", nazwa, *options],
            env=env,
            stdout=subprocess.DEVNULL,
            check=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="liczba rund (domyślnie 15)")
    rounds = parser.parse_args().rounds

    kooperacje, sqlite_utils = _tool("kooperacje"), _tool("sqlite-utils")
    with tempfile.TemporaryDirectory(prefix="kooperacje-bench-") as tmp:
        env = os.environ | {"KOOPERACJE_BAZA": str(Path(tmp) / "bench.db"), "COLUMNS": "80"}
        _prepare(kooperacje, env)
        commands = {
            "kooperacje --help": [kooperacje, "--help"],
            "kooperacje instytucje lista": [kooperacje, "instytucje", "lista"],
            "sqlite-utils --help": [sqlite_utils, "--help"],
            "python -c pass": [sys.executable, "-c", "pass"],
        }
        names = list(commands)
        for name in names:  # warm the OS file cache once
            _run(commands[name], env)
        times: dict[str, list[float]] = {name: [] for name in names}
        for i in range(rounds):
            order = names[i % len(names) :] + names[: i % len(names)]
            for name in order:
                times[name].append(_run(commands[name], env))

    floor = times["python -c pass"]
    yardstick = times["sqlite-utils --help"]
    print(f"{rounds} rund, Python {sys.version.split()[0]}, mediana w ms (ponad python -c pass):")
    for name in names:
        above = [t - f for t, f in zip(times[name], floor, strict=True)]
        print(
            f"  {name:<30} {statistics.median(times[name]) * 1000:7.1f}"
            f"   ({statistics.median(above) * 1000:6.1f})"
        )
    print("Stosunek do sqlite-utils --help (mediana stosunków w parach; < 1 znaczy szybciej):")
    for name in ("kooperacje --help", "kooperacje instytucje lista"):
        ratio = statistics.median(t / s for t, s in zip(times[name], yardstick, strict=True))
        net = statistics.median(
            (t - f) / (s - f) for t, s, f in zip(times[name], yardstick, floor, strict=True)
        )
        print(f"  {name:<30} {ratio:5.2f}   (ponad próg: {net:5.2f})")


if __name__ == "__main__":
    main()
