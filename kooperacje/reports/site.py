"""The report site: every report of every team in one directory, safe to run from cron.

The site is written into a temporary directory beside the target and swapped in only when
complete, so a failed run leaves the previous site as it was. A lock file beside the target
keeps two runs apart. Pages are rendered and written one at a time (nothing holds the whole
site in memory) and each page costs a fixed number of queries, so the run is linear in
the number of teams and meetings. The same data gives byte-identical files.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kooperacje import __version__
from kooperacje.errors import Conflict, InvalidInput, KooperacjeError
from kooperacje.register import teryt
from kooperacje.reports import (
    basket_context,
    charts,
    indicators,
    meeting_context,
    scopes,
    team_context,
    timeline,
)
from kooperacje.reports import render as reports
from kooperacje.reports.render import md
from kooperacje.teams import projects, teams
from kooperacje.text import fold, polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database

# A file every site contains: a directory holding it may be replaced by a new site.
MARKER = ".kooperacje-strona"
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


def _lock_path(target: Path) -> Path:
    return target.parent / f".{target.name}.lock"


@contextlib.contextmanager
def locked(target: Path) -> Iterator[None]:
    """Hold the lock of the site at target, or fail at once if another run holds it.

    The lock is an flock on a file beside the target: the system releases it when the
    process ends, however it ends, so a killed run never leaves a stale lock behind.
    """
    import fcntl

    path = _lock_path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a")
    except OSError as exc:
        raise KooperacjeError(
            f'nie można utworzyć pliku blokady "{path}": {exc.strerror or exc}. '
            "Sprawdź uprawnienia katalogu albo wybierz inny katalog w -o."
        ) from None
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise Conflict(
                f'strona raportów w katalogu "{target}" jest właśnie tworzona przez inne '
                f'uruchomienie programu (blokada: "{path}"). Poczekaj, aż się zakończy, '
                "i uruchom polecenie ponownie."
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _check_target(target: Path) -> None:
    if not target.exists():
        return
    if not target.is_dir():
        raise InvalidInput(f'"{target}" jest plikiem. Podaj w -o katalog na stronę raportów.')
    if (target / MARKER).is_file() or not any(target.iterdir()):
        return
    raise Conflict(
        f'katalog "{target}" nie jest pusty i nie zawiera strony raportów programu kooperacje; '
        "strona zastąpiłaby jego zawartość. Podaj w -o nowy albo pusty katalog."
    )


def _dir_mode() -> int:
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o777 & ~umask


def _swap(new: Path, target: Path) -> None:
    """Put the finished site in place of the old one; on failure the old one stays."""
    old: Path | None = None
    if target.exists():
        old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.stara-"))
        os.rename(target, old / "strona")
    try:
        os.rename(new, target)
    except OSError:
        if old is not None:
            os.rename(old / "strona", target)
            shutil.rmtree(old, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _leftovers(target: Path) -> None:
    # Directories of runs that were killed before they could clean up (we hold the lock).
    for prefix in (f".{target.name}.nowa-", f".{target.name}.stara-"):
        for path in target.parent.glob(prefix + "*"):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)


def build(
    db: Database,
    target: Path,
    *,
    od: dt.date | None = None,
    do: dt.date | None = None,
    progress: Progress | None = None,
) -> SiteResult:
    """Write the whole site into `target` (replacing a previous site there)."""
    start, end = scopes.period(od, do)
    target = target.expanduser().absolute()
    with locked(target):
        _check_target(target)
        _leftovers(target)
        try:
            work = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.nowa-"))
        except OSError as exc:
            raise KooperacjeError(
                f'nie można zapisać w katalogu "{target.parent}": {exc.strerror or exc}. '
                "Wybierz inny katalog w -o."
            ) from None
        try:
            os.chmod(work, _dir_mode())
            written = _Writer(db, work, start, end, progress).run()
            _swap(work, target)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
    return SiteResult(katalog=target, pliki=written)


class _Writer:
    """Renders and writes the pages of one run, one page at a time."""

    def __init__(
        self, db: Database, root: Path, od: str | None, do: str, progress: Progress | None
    ) -> None:
        self.db, self.root, self.od, self.do = db, root, od, do
        self.progress = progress
        self.done = 0
        self.total = 0
        self.files = 0

    def _step(self, what: str) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total, what)

    def _write(self, page: str, fmt: str, text: str) -> None:
        path = self.root / f"{page}.{fmt}"
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.parent != self.root:
            os.chmod(path.parent, _dir_mode())
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        self.files += 1

    def run(self) -> int:

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
        (self.root / MARKER).write_text("Strona raportów programu kooperacje.\n", "utf-8")
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
        return self.files

    def _summary(self, scope: scopes.Scope, page: str) -> None:

        data = indicators.summary(self.db, scope, self.od, self.do, odnosniki="../")
        for fmt in FORMATS:
            shown = reports.with_charts(self.db, data) if fmt == "html" else data
            self._write(page, fmt, _with_nav(reports.render("zbiorczy", fmt, shown), fmt, ()))
        self._step(scope.nazwa)

    def _team(self, team_id: int, gmina: str) -> None:

        db = self.db
        day = dt.date.fromisoformat(self.do)
        context = team_context.team_report(db, teams.get(db, team_id), day)
        own = list(
            db.query(
                "SELECT id, data FROM spotkania WHERE zespol = :z AND data <= :do "
                "ORDER BY data, coalesce(godzina, ''), id",
                {"z": team_id, "do": self.do},
            )
        )
        links = (
            Link("Koszyk usług gminy", f"koszyki/{gmina}"),
            *(Link(f"Spotkanie {_short_date(m['data'])}", f"spotkania/{m['id']}") for m in own),
        )
        charts = self._team_charts(team_id, own)
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
            note = meeting_context.meeting_note(db, m["id"])
            for fmt in FORMATS:
                page = reports.render("spotkanie", fmt, note)
                self._write(f"spotkania/{m['id']}", fmt, _with_nav(page, fmt, back))
            self._step(f"spotkanie {m['id']}")

    def _team_charts(self, team_id: int, own: list[dict[str, Any]]) -> tuple[Any, ...]:

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
