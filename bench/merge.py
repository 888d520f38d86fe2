"""A regional centre merges its coordinators' files: N one-team files at the density of the
national benchmark database (bench/generate.py: about 44 member institutions, 220 services,
10 meetings with attendance per team), merged with `kooperacje scal` into a new database
(a national database would already have a team in every gmina: a file's team for a
gmina that has another team is refused).

Prints the wall time and the peak memory (maximum resident set of the `kooperacje scal`
process; for the second run, the largest of both) of the merge, and of merging the same
files again (which changes nothing). No threshold: figures only.

Usage: python -m bench.merge --pliki 100
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import generate


def _template(workdir: Path) -> Path:
    """An empty database of this version, without history triggers: the files are built
    by copying rows, and a coordinator's history is not what the merge reads."""
    from kooperacje.store.db import open_db

    path = workdir / "szablon.db"
    open_db(path).close()
    conn = sqlite3.connect(path)
    with conn:
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '_historia_%'"
        ).fetchall():
            conn.execute(f'DROP TRIGGER "{name}"')
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    return path


# (table, which rows of the source belong to the team's file), in the order of their keys.
_PARTS = (
    ("zespoly", "id = :team"),
    ("spotkania", "zespol = :team"),
    ("deklaracje", "zespol = :team"),
    ("obecnosci", "spotkanie IN (SELECT id FROM main.spotkania)"),
    ("spotkania_uslugi", "spotkanie IN (SELECT id FROM main.spotkania)"),
    ("instytucje", "id IN (SELECT instytucja FROM main.deklaracje)"),
    ("osoby", "instytucja IN (SELECT id FROM main.instytucje)"),
    ("uslugi", "instytucja IN (SELECT id FROM main.instytucje)"),
    ("uslugi_grupy", "usluga IN (SELECT id FROM main.uslugi)"),
    ("uslugi_zasieg", "usluga IN (SELECT id FROM main.uslugi)"),
)


def split(source: Path, workdir: Path) -> list[Path]:
    """One file per team of source: the team, its meetings and declarations, and the
    institutions that declared (with their staff and services), as its coordinator's."""
    template = _template(workdir)
    conn = sqlite3.connect(source)
    teams = [int(r[0]) for r in conn.execute("SELECT id FROM zespoly ORDER BY id")]
    conn.close()
    paths = []
    for team in teams:
        path = workdir / f"zespol-{team}.db"
        shutil.copyfile(template, path)
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("ATTACH DATABASE ? AS src", (str(source),))
        with conn:
            for table, where in _PARTS:
                conn.execute(
                    f"INSERT INTO main.{table} SELECT * FROM src.{table} WHERE {where}",
                    {"team": team},
                )
        conn.execute("DETACH DATABASE src")
        conn.close()
        paths.append(path)
    return paths


def _source(workdir: Path, files: int) -> Path:
    """A national-density database with `files` teams."""
    path = workdir / "zrodlo.db"
    generate.generate(path, files / 2479)
    return path


def _run(target: Path, paths: list[Path]) -> tuple[float, float, int]:
    """(seconds, peak resident MB, records changed) of `kooperacje --baza target scal …`."""
    import resource

    command = [sys.executable, "-m", "kooperacje", "--baza", str(target), "scal"]
    command += [str(p) for p in paths] + ["--format", "json"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(done.stderr)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    report = json.loads(done.stdout)
    changed = sum(
        sum(f[k].values()) for f in report["pliki"] for k in ("dodane", "zmienione", "usuniete")
    )
    # ru_maxrss is the largest child so far (KB on Linux).
    return elapsed, max(peak, before) / 1024, changed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pliki", type=int, default=100, help="liczba plików (zespołów)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kooperacje-bench-scal-") as work:
        workdir = Path(work)
        start = time.perf_counter()
        paths = split(_source(workdir, args.pliki), workdir)
        size = sum(p.stat().st_size for p in paths) / len(paths) / 1e6
        print(f"{len(paths)} plików zespołów (średnio {size:.2f} MB) gotowych w "
              f"{time.perf_counter() - start:.1f} s")  # fmt: skip
        target = workdir / "cel.db"
        subprocess.run(
            [sys.executable, "-m", "kooperacje", "--baza", str(target), "baza", "utworz"],
            check=True, capture_output=True,
        )  # fmt: skip
        for label in ("scal", "scal ponownie"):
            seconds, peak, changed = _run(target, paths)
            print(f"{label} ({len(paths)} plików): {seconds:.1f} s, szczyt pamięci "
                  f"{peak:.0f} MB, zmienione rekordy: {changed}")  # fmt: skip
        conn = sqlite3.connect(target)
        teams = conn.execute("SELECT count(*) FROM zespoly").fetchone()[0]
        institutions = conn.execute("SELECT count(*) FROM instytucje").fetchone()[0]
        services = conn.execute("SELECT count(*) FROM uslugi").fetchone()[0]
        conn.close()
        print(f"W bazie: zespoły {teams}, instytucje {institutions}, usługi {services}, "
              f"plik {target.stat().st_size / 1e6:.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
