"""The report site: every report of every team in one directory, safe to run from cron.

The site owns only the pages it wrote (listed in its manifest, with digests) and shares
the directory with anything else (a `.git`, `robots.txt`, `CNAME`, the user's files). The
pages are written into a work directory inside the target and moved into place only when
all are complete, so a failed run leaves the previous site as it was (see `build`). A lock
file inside the directory keeps two runs apart. Pages are rendered and written one at a
time (nothing holds the whole site in memory) and each page costs a fixed number of
queries, so the run is linear in the number of teams and meetings. The same data gives
byte-identical files.

A run renders only the pages whose data changed since the last run (site_pages), and a
page whose bytes are unchanged is left alone, time stamp included; the pages of teams are
rendered by several processes when there are many.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kooperacje import __version__
from kooperacje.errors import KooperacjeError
from kooperacje.reports import charts, indicators, scopes, site_directory, site_pages, timeline
from kooperacje.reports import render as reports
from kooperacje.reports.site_directory import Page
from kooperacje.reports.site_pages import FORMATS, Link, Pages, nav, with_nav
from kooperacje.teams import projects
from kooperacje.text import fold, polish_key

if TYPE_CHECKING:
    import datetime as dt

    from sqlite_utils import Database

__all__ = ["FORMATS", "Link", "SiteIndex", "SiteResult", "build", "nav", "slug"]

Progress = Callable[[int, int, str], None]  # (pages done, pages in all, what is being done)

# Fewer teams than this are rendered in this process: starting processes would cost more.
PARALLEL_FROM = 24
# Teams handed to a process at a time (small enough for an even share and a live progress bar).
CHUNK = 16


@dataclass(frozen=True)
class SiteIndex:
    """Context of `strona.html` / `strona.md`, the site's index page."""

    podsumowanie: indicators.Summary  # every team, links relative to the root ("")
    wojewodztwa: tuple[Link, ...]
    makroregiony: tuple[Link, ...]
    projekty: tuple[Link, ...]
    wersja: str


@dataclass(frozen=True)
class SiteResult:
    """What a run wrote."""

    katalog: Path
    pliki: int


def slug(text: str) -> str:
    """An ASCII file name for a project: "Kooperacje 3D – …" -> "kooperacje-3d"."""
    out = ""
    for word in re.findall(r"[a-z0-9]+", fold(text)):
        if out and len(out) + 1 + len(word) > 60:
            break
        out = f"{out}-{word}" if out else word[:60]
    return out or "projekt"


def build(
    db: Database,
    target: Path,
    *,
    od: dt.date | None = None,
    do: dt.date | None = None,
    progress: Progress | None = None,
    od_nowa: bool = False,
    procesy: int | None = None,
) -> SiteResult:
    """Write the whole site into `target`, replacing the pages of an earlier run there and
    leaving every other file of the directory alone (see site_directory.update).

    Only pages whose data changed are rendered (od_nowa=True: every page); `procesy` is the
    number of processes for the pages of teams (None: one per core, one for a small site).
    """
    start, end = scopes.period(od, do)
    target = target.expanduser().absolute()
    salt = site_pages.salt(reports.current())

    def render(work: Path, previous: site_directory.Previous) -> site_directory.Rendered:
        fingerprint = _fingerprint(db, salt, start, end)
        if previous.complete and fingerprint is not None and previous.dane == fingerprint:
            # The same data, program and settings as the last run, whose pages are all
            # there as it wrote them: the site is that one, nothing to render.
            return site_directory.Rendered(dict(previous.pages), fingerprint)
        writer = _Writer(db, work, start, end, progress, previous.pages, salt)
        writer.run(procesy)
        return site_directory.Rendered(writer.out.pages, fingerprint)

    pages = site_directory.update(target, render, anew=od_nowa)
    return SiteResult(katalog=target, pliki=len(pages))


class _Writer:
    """Renders and writes the pages of one run, one page at a time."""

    def __init__(
        self,
        db: Database,
        root: Path,
        od: str | None,
        do: str,
        progress: Progress | None,
        intact: Mapping[str, Page],
        salt: str,
    ) -> None:
        self.db, self.root, self.od, self.do = db, root, od, do
        self.progress = progress
        self.done = 0
        self.total = 0
        self.settings = reports.current()
        self.salt = salt
        self.intact = intact
        self.out = Pages(root, self.salt, intact)

    def _step(self, what: str) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total, what)

    def run(self, procesy: int | None) -> None:
        db = self.db
        teams = _teams(db)
        workers = _workers(procesy, len(teams), self.db)
        if workers > 1:
            # The processes start on the teams while this one renders the rest.
            self._teams_in_pool(teams, workers, meanwhile=lambda: self._shared(len(teams)))
            return
        self._shared(len(teams))
        for team_id, gmina in teams:
            for what in site_pages.team_pages(db, self.out, team_id, gmina, self.od, self.do):
                self._step(what)

    def _shared(self, teams: int) -> None:
        """The pages that are not one team's: the index and the summaries of voivodeships,
        macroregions and projects (and the count of all pages, for the progress bar)."""
        db = self.db
        meetings = _meeting_count(db, self.do)
        everything = indicators.summary(db, scopes.ALL, self.od, self.do, odnosniki="")
        voivodeships = sorted(
            {(f.wojewodztwo_kod, f.wojewodztwo) for f in everything.zespoly},
            key=lambda v: polish_key(v[1]),
        )
        macroregions = sorted({f.makroregion for f in everything.zespoly if f.makroregion})
        projects = _project_slugs(_projects(db))
        summaries = len(voivodeships) + len(macroregions) + len(projects)
        self.total = 1 + 2 * teams + meetings + summaries
        index = SiteIndex(
            podsumowanie=everything,
            wojewodztwa=tuple(Link(name, f"wojewodztwa/{code}") for code, name in voivodeships),
            makroregiony=tuple(Link(f"makroregion {m}", f"makroregiony/{m}") for m in macroregions),
            projekty=tuple(Link(p.nazwa, f"projekty/{s}") for p, s in projects),
            wersja=__version__,
        )
        for fmt in FORMATS:
            self.out.emit(
                "index",
                fmt,
                ("strona", index),
                functools.partial(reports.render, "strona", fmt, index),
            )
        self._step("spis zespołów")
        for code, name in voivodeships:
            self._summary(
                scopes.Scope("wojewodztwo", code, f"województwo {name}"), f"wojewodztwa/{code}"
            )
        for m in macroregions:
            self._summary(scopes.Scope("makroregion", m, f"makroregion {m}"), f"makroregiony/{m}")
        for project, s in projects:
            self._summary(scopes.project_scope(project), f"projekty/{s}")

    def _teams_in_pool(
        self, teams: list[tuple[int, str]], workers: int, meanwhile: Callable[[], None]
    ) -> None:
        # Imported here: only a large site needs them (and they load the platform's
        # process machinery).
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed
        from concurrent.futures.process import BrokenProcessPool

        database = _database_file(self.db)
        assert database is not None
        meetings: dict[int, list[int]] = {}
        for row in self.db.query("SELECT id, zespol FROM spotkania ORDER BY id"):
            meetings.setdefault(row["zespol"], []).append(row["id"])
        jobs = []
        for first in range(0, len(teams), CHUNK):
            chunk = tuple(teams[first : first + CHUNK])
            jobs.append(
                site_pages.TeamJob(
                    database=database,
                    root=str(self.root),
                    salt=self.salt,
                    settings=self.settings,
                    od=self.od,
                    do=self.do,
                    teams=chunk,
                    intact=_pages_of(self.intact, chunk, meetings),
                )
            )
        # Spawned, not forked: the same on every system, and no copy of this process's
        # open database connection in the workers.
        context = multiprocessing.get_context("spawn")
        try:
            with ProcessPoolExecutor(
                max_workers=workers,
                mp_context=context,
                initializer=site_pages.watch_parent,
                initargs=(os.getpid(),),
            ) as pool:
                futures = [pool.submit(site_pages.run_job, job) for job in jobs]
                try:
                    meanwhile()
                except BaseException:
                    # Failed (or interrupted) here: the teams' pages are of no use now.
                    pool.shutdown(wait=True, cancel_futures=True)
                    raise
                for future in as_completed(futures):
                    pages, done = future.result()
                    self.out.pages.update(pages)
                    for what in done:
                        self._step(what)
        except BrokenProcessPool:
            raise KooperacjeError(
                "proces tworzący strony zespołów zakończył się nagle (np. z braku pamięci); "
                "strona nie została zmieniona. Uruchom polecenie ponownie, np. z --procesy 1."
            ) from None

    def _summary(self, scope: scopes.Scope, page: str) -> None:

        data = indicators.summary(self.db, scope, self.od, self.do, odnosniki="../")
        members = timeline.member_timeline(self.db, [f.id for f in data.zespoly], data.od, data.do)

        def make(fmt: str) -> str:
            shown = data
            if fmt == "html":
                # Drawn for this page only: a summary's charts (a row per team) are large
                # and never shared, so they are not kept.
                shown = dataclasses.replace(data, wykresy=charts.summary_charts(data, members))
            return with_nav(reports.render("zbiorczy", fmt, shown), fmt, ())

        for fmt in FORMATS:
            extra = (members,) if fmt == "html" else ()
            self.out.emit(page, fmt, ("zbiorczy", data, *extra), functools.partial(make, fmt))
        self._step(scope.nazwa)


def _fingerprint(db: Database, salt: str, od: str | None, do: str) -> str | None:
    """A digest of everything the site is built from: the database's bytes, the program,
    the settings, the period and today's date (a basket is dated the day it is drawn up).

    The write-ahead log is first copied into the database file (as SQLite itself does
    when the last connection closes); identical bytes hold identical data. None (no
    fingerprint, so no shortcut) when that could not be done or the database is no file.
    """
    import datetime as dt

    path = _database_file(db)
    if path is None:
        return None
    busy, frames, copied = db.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    if busy or frames != copied:
        return None
    try:
        with open(path, "rb") as handle:
            data = hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None
    parts = (salt, od or "", do, dt.date.today().isoformat(), data)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _workers(procesy: int | None, teams: int, db: Database) -> int:
    """How many processes render the pages of teams: as asked, else one per core for a
    site large enough to gain from it; one when the database is not a file."""
    if _database_file(db) is None:
        return 1
    if procesy is not None:
        return max(1, min(procesy, teams))
    if teams < PARALLEL_FROM:
        return 1
    return max(1, min(os.cpu_count() or 1, teams))


def _database_file(db: Database) -> str | None:
    rows = db.conn.execute("PRAGMA database_list").fetchall()
    path = next((str(row[2]) for row in rows if row[1] == "main"), "")
    return path or None


def _pages_of(
    intact: Mapping[str, Page], chunk: tuple[tuple[int, str], ...], meetings: dict[int, list[int]]
) -> dict[str, Page]:
    """The intact pages a chunk of teams may keep: their reports, baskets and meetings."""
    names = []
    for team_id, gmina in chunk:
        names += [f"zespoly/{gmina}", f"koszyki/{gmina}"]
        names += [f"spotkania/{m}" for m in meetings.get(team_id, [])]
    found = (f"{name}.{fmt}" for name in names for fmt in FORMATS)
    return {name: intact[name] for name in found if name in intact}


def _teams(db: Database) -> list[tuple[int, str]]:
    return [(r["id"], r["gmina"]) for r in db.query("SELECT id, gmina FROM zespoly ORDER BY id")]


def _meeting_count(db: Database, do: str) -> int:
    rows = db.query("SELECT count(*) AS n FROM spotkania WHERE data <= :do", {"do": do})
    return int(next(iter(rows))["n"])


def _projects(db: Database) -> list[projects.Project]:
    """The projects with at least one team, in Polish order of their names."""
    rows = db.query(projects.SELECT + " WHERE p.id IN (SELECT projekt FROM zespoly) ORDER BY p.id")
    return sorted((projects.Project(**r) for r in rows), key=lambda p: (polish_key(p.nazwa), p.id))


def _project_slugs(found: Iterable[projects.Project]) -> list[tuple[projects.Project, str]]:
    """Each project with a file name of its own, from its short name or name (a number
    added when two would clash)."""
    out: list[tuple[projects.Project, str]] = []
    used: set[str] = set()
    for project in found:
        base = candidate = slug(project.skrot or project.nazwa)
        n = 2
        while candidate in used:
            candidate, n = f"{base}-{n}", n + 1
        used.add(candidate)
        out.append((project, candidate))
    return out
