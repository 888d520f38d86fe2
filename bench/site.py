"""Every team report and every team's basket, rendered in one process, page by page.

This stands in for the nightly site until `kooperacje raport strona` exists: it renders
with the application's own functions (reports.render_team, reports.render_basket) and
writes each page as soon as it is rendered, fetching the teams a page of ids at a time,
so memory stays flat however many teams the file holds.

Usage: python -m bench.site --baza /tmp/kooperacje-0.1.db -o /tmp/strona [--format html]
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from kooperacje import reports, teams, teryt
from kooperacje.db import open_db

PAGE = 200  # team ids fetched per query
# A fixed day, so the pages of one database are the same whenever they are rendered.
DAY = dt.date(2021, 1, 1)


def team_ids(db: Database) -> Iterator[int]:
    """Every team id, in order, PAGE at a time (keyset pagination: no OFFSET rescans)."""
    last = 0
    while True:
        page = [
            row["id"]
            for row in db.query(
                "SELECT id FROM zespoly WHERE id > :last ORDER BY id LIMIT :n",
                {"last": last, "n": PAGE},
            )
        ]
        if not page:
            return
        yield from page
        last = page[-1]


def render_site(db: Database, out: Path, fmt: str = "html", day: dt.date = DAY) -> int:
    """Write zespol-<gmina>.<fmt> and koszyk-<gmina>.<fmt> for every team; the page count."""
    out.mkdir(parents=True, exist_ok=True)
    pages = 0
    for team_id in team_ids(db):
        team = teams.get(db, team_id)
        text = reports.render_team(db, team, fmt, na_dzien=day)
        reports.write(text, out / f"zespol-{team.gmina}.{fmt}")
        unit = teryt.get_unit(db, team.gmina)
        reports.write(reports.render_basket(db, unit, fmt), out / f"koszyk-{team.gmina}.{fmt}")
        pages += 2
    return pages


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--baza", type=Path, required=True, help="plik bazy")
    parser.add_argument("-o", "--wyjscie", type=Path, required=True, help="katalog stron")
    parser.add_argument("--format", choices=reports.FORMATS, default="html")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    db = open_db(args.baza)
    pages = render_site(db, args.wyjscie, args.format)
    db.close()
    print(f"{pages} stron w {args.wyjscie} w {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
