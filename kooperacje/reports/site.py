"""The report site: every report of every team in one directory, safe to run from cron.

The site owns only the pages it wrote (listed in its manifest, with digests) and shares
the directory with anything else (a `.git`, `robots.txt`, `CNAME`, the user's files). The
pages are written into a work directory inside the target and moved into place only when
all are complete, so a failed run leaves the previous site as it was (see `build`). A lock
file inside the directory keeps two runs apart. Pages are rendered and written one at a
time (nothing holds the whole site in memory) and each page costs a fixed number of
queries, so the run is linear in the number of teams and meetings. The same data gives
byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kooperacje import __version__, files
from kooperacje.register import teryt
from kooperacje.reports import (
    basket_context,
    charts,
    indicators,
    meeting_context,
    scopes,
    site_directory,
    team_context,
    timeline,
)
from kooperacje.reports import render as reports
from kooperacje.reports.filters import md
from kooperacje.reports.task_team_report import TaskTeamSection
from kooperacje.teams import projects, teams
from kooperacje.text import fold, polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database

FORMATS = ("html", "md")

Progress = Callable[[int, int, str], None]  # (pages done, pages in all, what is being done)


@dataclass(frozen=True)
class Link:
    """A page of the site as another page names it; `sciezka` is relative to the root and
    has no extension (".html" or ".md" is added for the format of the linking page)."""

    nazwa: str
    sciezka: str


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
) -> SiteResult:
    """Write the whole site into `target`, replacing the pages of an earlier run there and
    leaving every other file of the directory alone (see site_directory.update)."""
    start, end = scopes.period(od, do)
    target = target.expanduser().absolute()

    def render(work: Path) -> dict[str, str]:
        writer = _Writer(db, work, start, end, progress)
        writer.run()
        return writer.digests

    pages = site_directory.update(target, render)
    return SiteResult(katalog=target, pliki=len(pages))


class _Writer:
    """Renders and writes the pages of one run, one page at a time."""

    def __init__(
        self, db: Database, root: Path, od: str | None, do: str, progress: Progress | None
    ) -> None:
        self.db, self.root, self.od, self.do = db, root, od, do
        self.progress = progress
        self.done = 0
        self.total = 0
        self.digests: dict[str, str] = {}  # page file (relative, with "/") -> SHA-256

    def _step(self, what: str) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total, what)

    def _write(self, page: str, fmt: str, text: str) -> None:
        name = f"{page}.{fmt}"
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        # The pages name staff (attendance, contacts): readable by the owner only.
        fd = os.open(
            path,
            os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
            files.PRIVATE_MODE,
        )
        try:
            files.make_private(path, fd)
            files.write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        self.digests[name] = hashlib.sha256(data).hexdigest()

    def run(self) -> None:

        db = self.db
        teams = _teams(db)
        meetings = _meeting_count(db, self.do)
        everything = indicators.summary(db, scopes.ALL, self.od, self.do, odnosniki="")
        voivodeships = sorted(
            {(f.wojewodztwo_kod, f.wojewodztwo) for f in everything.zespoly},
            key=lambda v: polish_key(v[1]),
        )
        macroregions = sorted({f.makroregion for f in everything.zespoly if f.makroregion})
        projects = _project_slugs(_projects(db))
        self.total = (
            1 + 2 * len(teams) + meetings + len(voivodeships) + len(macroregions) + len(projects)
        )
        index = SiteIndex(
            podsumowanie=everything,
            wojewodztwa=tuple(Link(name, f"wojewodztwa/{code}") for code, name in voivodeships),
            makroregiony=tuple(Link(f"makroregion {m}", f"makroregiony/{m}") for m in macroregions),
            projekty=tuple(Link(p.nazwa, f"projekty/{s}") for p, s in projects),
            wersja=__version__,
        )
        for fmt in FORMATS:
            self._write("index", fmt, reports.render("strona", fmt, index))
        self._step("spis zespołów")
        for code, name in voivodeships:
            self._summary(
                scopes.Scope("wojewodztwo", code, f"województwo {name}"),
                f"wojewodztwa/{code}",
            )
        for m in macroregions:
            self._summary(scopes.Scope("makroregion", m, f"makroregion {m}"), f"makroregiony/{m}")
        for project, s in projects:
            self._summary(scopes.project_scope(project), f"projekty/{s}")
        for team_id, gmina in teams:
            self._team(team_id, gmina)

    def _summary(self, scope: scopes.Scope, page: str) -> None:

        data = indicators.summary(self.db, scope, self.od, self.do, odnosniki="../")
        for fmt in FORMATS:
            shown = reports.with_charts(self.db, data) if fmt == "html" else data
            self._write(page, fmt, _with_nav(reports.render("zbiorczy", fmt, shown), fmt, ()))
        self._step(scope.nazwa)

    def _team(self, team_id: int, gmina: str) -> None:

        db = self.db
        day = dt.date.fromisoformat(self.do)
        start = dt.date.fromisoformat(self.od) if self.od else None
        context = team_context.team_report(db, teams.get(db, team_id), day, od=start)
        # The team's meetings, joint ones included; a meeting's page is written once, with
        # its host team's pages, and links back to every team of the meeting.
        own = list(
            db.query(
                "SELECT s.id, s.data, s.zespol AS gospodarz, "
                "(SELECT json_group_array(json_array(z.gmina, g.nazwa)) FROM spotkania_zespoly x "
                " JOIN zespoly z ON z.id = x.zespol JOIN teryt g ON g.kod = z.gmina "
                " WHERE x.spotkanie = s.id) AS gminy "
                "FROM spotkania_zespoly t JOIN spotkania s ON s.id = t.spotkanie "
                "WHERE t.zespol = :z AND s.data <= :do "
                "ORDER BY s.data, coalesce(s.godzina, ''), s.id",
                {"z": team_id, "do": self.do},
            )
        )
        links = (
            Link("Koszyk usług gminy", f"koszyki/{gmina}"),
            *(Link(f"Spotkanie {_short_date(m['data'])}", f"spotkania/{m['id']}") for m in own),
        )
        charts = self._team_charts(team_id, own, context.zzk)
        for fmt in FORMATS:
            page = _with_nav(reports.render("zespol", fmt, context), fmt, links)
            if fmt == "html" and charts:
                section = reports.render("wykresy", "html", charts)
                page = page.replace("</main>", section + "</main>", 1)
            self._write(f"zespoly/{gmina}", fmt, page)
        self._step(context.zespol.nazwa)
        basket = basket_context.basket_report(db, teryt.get_unit(db, gmina))
        back = (Link("Raport zespołu", f"zespoly/{gmina}"),)
        for fmt in FORMATS:
            page = reports.render("koszyk", fmt, basket)
            self._write(f"koszyki/{gmina}", fmt, _with_nav(page, fmt, back))
        self._step(f"koszyk: {basket.gmina.nazwa}")
        for m in own:
            if m["gospodarz"] != team_id:
                continue
            note = meeting_context.meeting_note(db, m["id"])
            # The host's report first; a joint meeting links to its other teams' reports too.
            teams_back = tuple(
                Link(
                    "Raport zespołu" if code == gmina else f"Raport zespołu: {name}",
                    f"zespoly/{code}",
                )
                for code, name in sorted(json.loads(m["gminy"]), key=lambda c: (c[0] != gmina, c))
            )
            for fmt in FORMATS:
                page = reports.render("spotkanie", fmt, note)
                self._write(f"spotkania/{m['id']}", fmt, _with_nav(page, fmt, teams_back))
            self._step(f"spotkanie {m['id']}")

    def _team_charts(
        self, team_id: int, own: list[dict[str, Any]], zzk: TaskTeamSection | None = None
    ) -> tuple[Any, ...]:

        members = timeline.member_timeline(self.db, [team_id], self.od, self.do)
        out = []
        if members.get(team_id):
            out.append(
                charts.members_over_time(
                    "wykres-czlonkowie", {"członkowie": members[team_id]}, "Członkowie w czasie"
                )
            )
        held: dict[str, int] = {}
        for m in own:
            if self.od is None or m["data"] >= self.od:
                held[m["data"][:7]] = held.get(m["data"][:7], 0) + 1
        if held:
            out.append(
                charts.meetings_per_month(
                    "wykres-spotkania", timeline.month_range(held), "Spotkania w miesiącach"
                )
            )
        if zzk is not None:
            title = "Zadaniowe zespoły kooperacyjne"
            drawn = charts.task_team_outcomes("wykres-zzk", zzk.liczby, title)
            out += [drawn] if drawn is not None else []
        return tuple(out)


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


def _short_date(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def nav(fmt: str, up: str, links: tuple[Link, ...]) -> str:
    """The navigation line at the top of a page below the root (`up` is "../")."""
    from markupsafe import escape

    items = [Link("Strona główna", "index"), *links]
    if fmt == "html":
        anchors = " · ".join(
            f'<a href="{up}{link.sciezka}.html">{escape(link.nazwa)}</a>' for link in items
        )
        return f'<nav class="strona" aria-label="Nawigacja strony raportów">{anchors}</nav>\n'

    return " · ".join(f"[{md(link.nazwa)}]({up}{link.sciezka}.md)" for link in items) + "\n\n"


def _with_nav(page: str, fmt: str, links: tuple[Link, ...]) -> str:
    """A rendered report with the site's navigation placed at the top of its body."""
    line = nav(fmt, "../", links)
    if fmt == "md":
        return line + page
    return page.replace("<body>\n", "<body>\n" + line, 1)
