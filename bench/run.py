"""The benchmark: paired medians of everyday commands, imports and the whole site.

Runs alternately, in a rotating order, N rounds of each group of commands, and prints each
command's median and the median of the per-round ratios to the group's yardstick:
    0. import:     kooperacje import instytucje of 10,000 institutions of one gmina (a new
                   database each time) against sqlite-utils insert --csv of the same file,
                   and of 1,000 of them (linear growth: 10,000 take about 10 times as long)
    1. start-up:   kooperacje --help          against sqlite-utils --help (python -c pass: floor)
Then for each database given (made by bench/generate.py):
    2. the basket: kooperacje koszyk --gmina 1012011 --format json
                   against the same query by python -c with sqlite3 (the floor of a Python
                   process) and in the sqlite3 shell
    3. search:     kooperacje instytucje lista --szukaj radomsk --format json
                   against the same match in the sqlite3 shell
    4. one team report: kooperacje raport zespol --gmina 1012011 --format html
    4a. the work of 2 to 4 inside this process (start-up excluded), for comparison
    5. the whole site: a full build into an empty directory, then a rerun over the same
       data, alternately (--rundy-strony rounds); wall time, CPU time (user + system, worker
       processes included), peak memory (RSS of the largest process, and of all processes
       together, sampled), and the ratio rerun / full build; with two databases the ratio
       of their full builds; with --przed PROGRAM BAZA an earlier version's full build of
       the same scale in the same rounds, and the ratio of the two.
A benchmark, not a test: it prints figures and never fails on a threshold.

Usage, from the repository root:
    python -m bench.run --baza /tmp/kooperacje-0.1.db --baza /tmp/kooperacje-1.db
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

GMINA = "1012011"
SEARCH = "radomsk"
ALL_GMINAS = 2479

# The floor of the basket: the query basket.basket() runs, with the gmina's codes inlined.
BASKET_SQL = """
SELECT u.id, u.nazwa, u.obszar, o.nazwa AS obszar_nazwa, u.instytucja,
       i.nazwa AS instytucja_nazwa, i.skrot AS instytucja_skrot, i.sektor,
       u.opis, u.jak_skorzystac, u.kryteria, u.odplatnosc, u.kontakt,
       i.adres, i.kod_pocztowy, i.miejscowosc, i.telefon, i.email, i.www,
       (SELECT group_concat(ug.grupa, '|') FROM uslugi_grupy ug WHERE ug.usluga = u.id) AS grupy,
       (SELECT group_concat(uz.teryt, '|') FROM uslugi_zasieg uz WHERE uz.usluga = u.id) AS zasieg
FROM uslugi u
JOIN instytucje i ON i.id = u.instytucja
JOIN obszary_uslug o ON o.kod = u.obszar
WHERE u.status = 'aktywna'
  AND u.id IN (SELECT usluga FROM uslugi_zasieg WHERE teryt IN ('1012011', '1012', '10'))
ORDER BY u.obszar, i.nazwa, u.nazwa;
"""
SEARCH_SQL = f"""
SELECT i.id, i.nazwa, i.skrot, i.sektor, i.gmina FROM instytucje i
WHERE i.nazwa_szukaj LIKE '%{SEARCH}%' OR i.skrot_szukaj LIKE '%{SEARCH}%'
ORDER BY i.nazwa;
"""


def tool(name: str) -> str | None:
    """The console script installed beside this interpreter, else the one on PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def site_argv(db: Path, out: Path) -> list[str]:
    """The command that renders the whole report site of a database into out/strona."""
    kooperacje = tool("kooperacje") or "kooperacje"
    # A fixed end of period keeps the pages identical from day to day.
    period = ["--do", "2021-01-01"]
    return [kooperacje, "--baza", str(db), "raport", "strona", "-o", str(out / "strona"), *period]


def timed(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def paired(
    title: str,
    commands: dict[str, list[str]],
    rounds: int,
    setup: Callable[[], None] | None = None,
    *,
    warm: bool = True,
) -> None:
    """Run the commands alternately; print medians and ratios to the first command.
    setup, if given, runs (untimed) before each command."""
    names = list(commands)

    def one(name: str) -> float:
        if setup is not None:
            setup()
        return timed(commands[name])

    if warm:
        for name in names:  # warm the OS file cache once
            one(name)
    times: dict[str, list[float]] = {name: [] for name in names}
    for i in range(rounds):
        for name in names[i % len(names) :] + names[: i % len(names)]:
            times[name].append(one(name))
    print(
        f"\n{title} ({rounds} rund, mediana w ms; stosunek: pierwsze polecenie grupy "
        "do danego, mediana stosunków w parach)"
    )
    first = names[0]
    for name in names:
        ratio = statistics.median(t / y for t, y in zip(times[first], times[name], strict=True))
        note = "" if name == first else f"   stosunek: {ratio:6.2f}"
        print(f"  {name:<58} {statistics.median(times[name]) * 1000:8.1f}{note}")


def in_process(db: Path, rounds: int) -> None:
    """The same work without start-up: the domain functions in this process, warmed."""
    from kooperacje.basket import basket
    from kooperacje.register import institutions
    from kooperacje.reports import render as reports
    from kooperacje.store.db import open_db
    from kooperacje.teams import teams

    database = open_db(db)
    team = teams.for_gmina(database, GMINA)
    work: dict[str, Callable[[], object]] = {
        "basket.basket_for(1012011)": lambda: basket.basket_for(database, GMINA),
        f"institutions.list_(szukaj={SEARCH})": lambda: institutions.list_(database, szukaj=SEARCH),
        "institutions.resolve(pełna nazwa PUP)": lambda: institutions.resolve(
            database, "Powiatowy Urząd Pracy – powiat radomszczański"
        ),
        "reports.render_team(1012011, html)": lambda: reports.render_team(database, team, "html"),
    }
    print(f"\n4a. Praca poleceń 2–4 w procesie, bez startu ({rounds} rund, mediana w ms)")
    for name, action in work.items():
        action()
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            action()
            times.append(time.perf_counter() - start)
        print(f"  {name:<58} {statistics.median(times) * 1000:8.2f}")
    database.close()


def _tree_rss_mb(pid: int) -> float | None:
    """The resident memory of a process and all its descendants together (MB), from /proc;
    None where there is no /proc."""
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    parents: dict[int, int] = {}
    sizes: dict[int, int] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text(encoding="ascii", errors="replace")
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        parents[int(entry.name)] = int(fields.get("PPid", "0").strip() or 0)
        sizes[int(entry.name)] = int(fields.get("VmRSS", "0 kB").split()[0])
    tree, grown = {pid}, True
    while grown:
        grown = False
        for child, parent in parents.items():
            if parent in tree and child not in tree:
                tree.add(child)
                grown = True
    return sum(sizes.get(p, 0) for p in tree) / 1024


def site_once(db: Path, out: Path, argv: list[str] | None = None) -> Run:
    """Render the whole site once into out/strona: wall seconds, CPU seconds (the command and
    its worker processes), peak RSS (MB, of the largest of them) and peak RSS of all of them
    together (sampled every 50 ms; None without /proc).

    CPU time (user + system) hardly depends on what else the machine runs; wall time does.
    """
    start = time.perf_counter()
    process = subprocess.Popen(argv or site_argv(db, out), stdout=subprocess.DEVNULL)
    peak_tree: list[float] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.05):
            total = _tree_rss_mb(process.pid)
            if total is None:
                return
            peak_tree.append(total)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    stop.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"Błąd: strona bazy {db} nie powstała (kod {process.returncode}).")
    together = max(peak_tree) if peak_tree else None
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, together


Run = tuple[float, float, float, float | None]


def _medians(runs: list[Run]) -> tuple[float, float, float]:
    """Median wall time, CPU time and peak memory of the largest process."""
    return (
        statistics.median(r[0] for r in runs),
        statistics.median(r[1] for r in runs),
        statistics.median(r[2] for r in runs),
    )


def _site_line(title: str, runs: list[Run]) -> None:
    wall, cpu, peak = _medians(runs)
    together = [r[3] for r in runs if r[3] is not None]
    shown = f"{max(together):5.0f} MB" if together else "    –"
    print(
        f"  {title:<28} {wall:8.1f} s   CPU {cpu:7.1f} s   szczyt pamięci {peak:5.0f} MB "
        f"(wszystkie procesy razem {shown})"
    )


def site(
    db: Path, rounds: int, before: tuple[str, Path] | None = None
) -> tuple[float, float, float]:
    """Full builds into an empty directory alternating with reruns over the same data (and,
    given an earlier program and its database, that program's full build of the same
    scale); prints the medians and the median ratios; returns the full build's."""
    full: list[Run] = []
    again: list[Run] = []
    earlier: list[Run] = []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory(prefix="kooperacje-strona-") as out:
            full.append(site_once(db, Path(out)))
            again.append(site_once(db, Path(out)))
        if before is not None:
            program, old_db = before
            with tempfile.TemporaryDirectory(prefix="kooperacje-strona-przed-") as out:
                argv = site_argv(old_db, Path(out))
                earlier.append(site_once(old_db, Path(out), [program, *argv[1:]]))
    _site_line("pełna budowa", full)
    _site_line("ponownie, te same dane", again)
    ratio = statistics.median(a[0] / f[0] for f, a in zip(full, again, strict=True))
    cpu_ratio = statistics.median(a[1] / f[1] for f, a in zip(full, again, strict=True))
    print(f"  stosunek ponownie / pełna: czas {ratio:.3f}, CPU {cpu_ratio:.3f}")
    if earlier:
        _site_line("pełna budowa, program przed", earlier)
        ratio = statistics.median(f[0] / e[0] for f, e in zip(full, earlier, strict=True))
        cpu_ratio = statistics.median(f[1] / e[1] for f, e in zip(full, earlier, strict=True))
        print(f"  stosunek pełna / pełna przed: czas {ratio:.3f}, CPU {cpu_ratio:.3f}")
    return _medians(full)


def imports(rounds: int, rows: int, kooperacje: str, sqlite_utils: str | None) -> None:
    """Group 0: the import of a file of `rows` institutions of one gmina (and of a tenth of
    it) into a new database, against sqlite-utils insert --csv of the same file."""
    from bench import import_file

    with tempfile.TemporaryDirectory(prefix="kooperacje-import-") as tmp:
        folder = Path(tmp)
        big, small = folder / f"instytucje-{rows}.csv", folder / f"instytucje-{rows // 10}.csv"
        import_file.write(big, rows)
        import_file.write(small, rows // 10)
        empty, db, other = folder / "pusta.db", folder / "import.db", folder / "sqlite-utils.db"
        subprocess.run(
            [kooperacje, "--baza", str(empty), "baza", "utworz"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def fresh() -> None:
            shutil.copyfile(empty, db)
            other.unlink(missing_ok=True)

        commands = {
            f"kooperacje import instytucje ({rows} wierszy)": [
                kooperacje,
                "--baza",
                str(db),
                "import",
                "instytucje",
                str(big),
            ],
            f"kooperacje import instytucje ({rows // 10} wierszy)": [
                kooperacje,
                "--baza",
                str(db),
                "import",
                "instytucje",
                str(small),
            ],
        }
        if sqlite_utils:
            commands[f"sqlite-utils insert --csv ({rows} wierszy)"] = [
                sqlite_utils,
                "insert",
                str(other),
                "instytucje",
                str(big),
                "--csv",
            ]
        paired("0. Import instytucji jednej gminy", commands, rounds, fresh, warm=False)


def scale_of(db: Path) -> float:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        teams = int(conn.execute("SELECT count(*) FROM zespoly").fetchone()[0])
    finally:
        conn.close()
    return teams / ALL_GMINAS


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--baza",
        type=Path,
        action="append",
        required=True,
        help="baza z bench/generate.py (można podać kilka)",
    )
    parser.add_argument("--rundy", type=int, default=9, help="liczba rund (domyślnie 9)")
    parser.add_argument("--bez-strony", action="store_true", help="pomiń całą stronę")
    parser.add_argument(
        "--rundy-strony", type=int, default=1, help="rundy całej strony (domyślnie 1)"
    )
    parser.add_argument(
        "--przed",
        nargs=2,
        action="append",
        metavar=("PROGRAM", "BAZA"),
        help="wcześniejsza wersja (jej polecenie kooperacje i baza zbudowana jej generatorem) "
        "do porównania pełnej budowy strony; raz dla każdej --baza, w tej samej kolejności",
    )
    parser.add_argument("--bez-importu", action="store_true", help="pomiń import")
    parser.add_argument("--rundy-importu", type=int, default=3, help="rundy importu (domyślnie 3)")
    parser.add_argument(
        "--wiersze", type=int, default=10_000, help="wiersze pliku importu (domyślnie 10000)"
    )
    args = parser.parse_args(argv)
    kooperacje, sqlite_utils, shell = tool("kooperacje"), tool("sqlite-utils"), tool("sqlite3")
    if kooperacje is None:
        raise SystemExit("Błąd: nie znaleziono programu kooperacje: pip install -e .")
    print(
        f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}, "
        f"{os.cpu_count()} rdzenie, {_memory_gb():.0f} GB pamięci, "
        f"obciążenie na starcie {os.getloadavg()[0]:.1f}"
    )
    if not args.bez_importu:
        imports(args.rundy_importu, args.wiersze, kooperacje, sqlite_utils)
    startup = {"kooperacje --help": [kooperacje, "--help"]}
    if sqlite_utils:
        startup["sqlite-utils --help"] = [sqlite_utils, "--help"]
    startup["python -c pass"] = [sys.executable, "-c", "pass"]
    paired("1. Start", startup, args.rundy)
    sites: list[tuple[float, float, float, float]] = []
    earlier = [(program, Path(db)) for program, db in args.przed or []]
    if earlier and len(earlier) != len(args.baza):
        raise SystemExit("Błąd: podaj --przed tyle razy, ile --baza (w tej samej kolejności).")
    for number, db in enumerate(args.baza):
        scale = scale_of(db)
        k = [kooperacje, "--baza", str(db)]
        print(f"\n=== {db} (skala {scale:.2g})")
        basket = {
            "kooperacje koszyk --gmina 1012011 --format json": [
                *k,
                "koszyk",
                "--gmina",
                GMINA,
                "--format",
                "json",
            ]
        }
        search = {
            f"kooperacje instytucje lista --szukaj {SEARCH} --format json": [
                *k,
                "instytucje",
                "lista",
                "--szukaj",
                SEARCH,
                "--format",
                "json",
            ]
        }
        basket["python -c + sqlite3 (to samo zapytanie)"] = [
            sys.executable,
            "-c",
            "import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchall()",
            str(db),
            BASKET_SQL,
        ]
        if shell:
            basket["sqlite3 -json (to samo zapytanie)"] = [shell, "-json", str(db), BASKET_SQL]
            search["sqlite3 -json (to samo dopasowanie)"] = [shell, "-json", str(db), SEARCH_SQL]
        paired("2. Koszyk gminy", basket, args.rundy)
        paired("3. Wyszukiwanie", search, args.rundy)
        paired(
            "4. Raport zespołu",
            {
                "kooperacje raport zespol --gmina 1012011 --format html": [
                    *k,
                    "raport",
                    "zespol",
                    "--gmina",
                    GMINA,
                    "--format",
                    "html",
                ],
                "python -c pass": [sys.executable, "-c", "pass"],
            },
            args.rundy,
        )
        in_process(db, args.rundy)
        if not args.bez_strony:
            print(
                f"\n5. Cała strona ({args.rundy_strony} rund, mediany; "
                f"{' '.join(site_argv(db, Path('KATALOG')))}), "
                f"obciążenie na starcie {os.getloadavg()[0]:.1f}"
            )
            before = earlier[number] if earlier else None
            seconds, cpu, peak = site(db, args.rundy_strony, before)
            sites.append((scale, seconds, cpu, peak))
    if len(sites) >= 2:
        (s0, t0, c0, _), (s1, t1, c1, _) = sites[0], sites[-1]
        print(
            f"\nStrona: skala {s1:.2g} / skala {s0:.2g}: czas {t1 / t0:.1f}, CPU {c1 / c0:.1f} "
            f"(stosunek wielkości {s1 / s0:.1f})"
        )


def _memory_gb() -> float:
    with open("/proc/meminfo", encoding="ascii") as handle:
        kb = int(handle.readline().split()[1])
    return kb / 1024 / 1024


if __name__ == "__main__":
    main()
