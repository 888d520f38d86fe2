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

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kooperacje import __version__, files
from kooperacje.errors import Conflict, InvalidInput
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
from kooperacje.teams import teams
from kooperacje.text import fold, polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database

# The site's files in its directory: the manifest of its pages (and of a run under way),
# the lock, and the work directories of runs. Every other file there is the user's.
MANIFEST = ".kooperacje-strona.json"
PENDING = ".kooperacje-strona.nowa.json"
LOCK = ".kooperacje-strona.lock"
STAGING = ".kooperacje-strona.praca-"
# What a site of an earlier version held instead of a manifest (it owned the whole folder).
LEGACY_MARKER = ".kooperacje-strona"
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


@contextlib.contextmanager
def locked(target: Path) -> Iterator[None]:
    """Hold the lock of the site at target, or fail at once if another run holds it.

    The lock (the filelock library: flock on POSIX, msvcrt on Windows) is a file inside
    the site's directory, so a mount point or a symbolic link as the target works; the
    system releases it when the process ends, however it ends.
    """
    from filelock import FileLock, Timeout

    path = target / LOCK
    try:
        target.mkdir(parents=True, exist_ok=True)
        lock = FileLock(path, timeout=0)
        lock.acquire()
    except Timeout:
        raise Conflict(
            f'strona raportów w katalogu "{target}" jest właśnie tworzona przez inne '
            f'uruchomienie programu (blokada: "{path}"). Poczekaj, aż się zakończy, '
            "i uruchom polecenie ponownie."
        ) from None
    except OSError as exc:
        raise files.error(exc, target, "utworzyć katalogu strony ani blokady w") from None
    try:
        yield
    finally:
        lock.release()


def _check_target(target: Path) -> None:
    if os.path.lexists(target) and not target.is_dir():
        raise InvalidInput(f'"{target}" jest plikiem. Podaj w -o katalog na stronę raportów.')


def _databases(target: Path) -> list[Path]:
    """Every SQLite database anywhere in the directory tree (by header, not name)."""
    found = []
    for folder, dirs, names in os.walk(target):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if files.is_sqlite(path):
                found.append(path)
    return found


def _refuse_databases(target: Path) -> None:
    found = _databases(target)
    if found:
        shown = ", ".join(f'"{p}"' for p in found[:5])
        raise Conflict(
            f"w katalogu strony jest baza danych ({shown}); strona jest przeznaczona do "
            "publikacji, a baza zawiera dane osobowe, więc nic nie zapisano. Przenieś bazę "
            "poza ten katalog albo podaj w -o inny katalog."
        )


def _digest(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


@dataclass(frozen=True)
class _Owned:
    """What the directory already holds of the site: each page (relative POSIX path) with
    the digests it may have (the last complete run's, and an interrupted run's)."""

    pages: dict[str, frozenset[str]]
    legacy: bool  # a site of an earlier version, which owned the whole directory

    def owns(self, target: Path, page: str) -> bool:
        path = target / page
        if path.is_symlink() or not path.is_file():
            return False
        if self.legacy:
            return True
        return _digest(path) in self.pages.get(page, frozenset())


def _read_manifest(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        data = None
    if not isinstance(data, dict) or data.get("program") != "kooperacje strona":
        raise Conflict(
            f'plik "{path}" nie jest spisem plików strony raportów programu kooperacje; nic '
            "nie zapisano. Usuń go albo podaj w -o inny katalog."
        )
    pages = data.get("pliki", {})
    return {str(k): str(v) for k, v in pages.items()} if isinstance(pages, dict) else {}


def _owned(target: Path) -> _Owned:
    pages: dict[str, set[str]] = {}
    for name in (MANIFEST, PENDING):
        for page, digest in _read_manifest(target / name).items():
            pages.setdefault(page, set()).add(digest)
    legacy = not pages and (target / LEGACY_MARKER).is_file()
    return _Owned({k: frozenset(v) for k, v in pages.items()}, legacy)


def _write_manifest(path: Path, pages: dict[str, str]) -> None:
    data = {"program": "kooperacje strona", "wersja": __version__, "pliki": pages}
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    files.write_text(path, text, personal=False)


def _clashes(target: Path, pages: Iterable[str], owned: _Owned) -> list[str]:
    """Pages of the new site that would replace something the site does not own."""
    out = []
    for page in pages:
        parts = page.split("/")
        folder = target
        blocked = False
        for part in parts[:-1]:
            folder = folder / part
            if folder.is_symlink() or (os.path.lexists(folder) and not folder.is_dir()):
                blocked = True
                break
        path = target / page
        if blocked or (os.path.lexists(path) and not owned.owns(target, page)):
            out.append(page)
    return out


def _leftovers(target: Path) -> None:
    # Work directories of runs that were killed before they could clean up (we hold the lock).
    for path in target.glob(STAGING + "*"):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)


def _remove_stale(target: Path, stale: Iterable[str], owned: _Owned) -> None:
    """Remove pages an earlier run wrote and this one no longer does (unchanged ones only),
    and the folders they leave empty."""
    folders: set[Path] = set()
    for page in stale:
        if owned.owns(target, page):
            with contextlib.suppress(OSError):
                (target / page).unlink()
                folders.update((target / page).parents)
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        if folder != target and target in folder.parents:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty


def _install(stage: Path, target: Path, pages: dict[str, str]) -> None:
    """Move each new page over the old one (a rename: never half a page, never none)."""
    for page, digest in sorted(pages.items()):
        path = target / page
        if _digest(path) == digest:
            continue  # unchanged: keep the file, its time and its inode (rsync, caches)
        path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(stage / page, path)
    files.fsync_directory(target)


def _tidy(target: Path) -> None:
    """After a failed first run, nothing of the site stays (not even its lock file)."""
    if not (target / MANIFEST).exists() and not (target / PENDING).exists():
        with contextlib.suppress(OSError):
            (target / LOCK).unlink()


def _run(
    db: Database, target: Path, start: str | None, end: str, progress: Progress | None
) -> dict[str, str]:
    _refuse_databases(target)
    _leftovers(target)
    owned = _owned(target)
    try:
        stage = Path(tempfile.mkdtemp(dir=target, prefix=STAGING))
    except OSError as exc:
        raise files.error(exc, target, "zapisać w katalogu") from None
    try:
        writer = _Writer(db, stage, start, end, progress)
        writer.run()
        pages = writer.digests
        clashes = _clashes(target, pages, owned)
        if clashes:
            shown = ", ".join(f'"{target / page}"' for page in clashes[:5])
            raise Conflict(
                f"strona raportów zastąpiłaby pliki, których nie zapisała albo które "
                f"zmieniono po jej zapisaniu: {shown}"
                + (f" i {len(clashes) - 5} innych" if len(clashes) > 5 else "")
                + ". Nic nie zmieniono. Przenieś te pliki albo podaj w -o inny katalog."
            )
        _write_manifest(target / PENDING, pages)
        _install(stage, target, pages)
        _remove_stale(target, set(owned.pages) - set(pages), owned)
        os.replace(target / PENDING, target / MANIFEST)
        files.fsync_directory(target)
        if owned.legacy:
            (target / LEGACY_MARKER).unlink(missing_ok=True)
    except OSError as exc:
        raise files.error(exc, target, "zapisać strony raportów w katalogu") from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return pages


def build(
    db: Database,
    target: Path,
    *,
    od: dt.date | None = None,
    do: dt.date | None = None,
    progress: Progress | None = None,
) -> SiteResult:
    """Write the whole site into `target`, replacing the pages of an earlier run there and
    leaving every other file of the directory alone.

    The directory's manifest (`.kooperacje-strona.json`) lists the pages the site wrote,
    with their SHA-256 digests: only those are replaced or removed, and a page changed
    since by someone else is not. The new pages are written into a work directory inside
    the target first; then a manifest of the new pages is written beside the old one, the
    pages are renamed over the old ones one by one, pages no longer produced are removed,
    and the new manifest replaces the old one last. A run that dies at any point leaves
    every page whole (old or new), and the next run finishes the job.
    """
    start, end = scopes.period(od, do)
    target = target.expanduser().absolute()
    _check_target(target)
    if target.is_dir():
        _refuse_databases(target)
    made = not os.path.lexists(target)
    try:
        with locked(target):
            try:
                pages = _run(db, target, start, end, progress)
            except BaseException:
                _tidy(target)
                raise
    except BaseException:
        if made:
            with contextlib.suppress(OSError):
                target.rmdir()  # only when nothing is in it
        raise
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
        projects = _project_slugs(f.projekt for f in everything.zespoly if f.projekt)
        self.total = (
            1 + 2 * len(teams) + meetings + len(voivodeships) + len(macroregions) + len(projects)
        )
        index = SiteIndex(
            podsumowanie=everything,
            wojewodztwa=tuple(Link(name, f"wojewodztwa/{code}") for code, name in voivodeships),
            makroregiony=tuple(Link(f"makroregion {m}", f"makroregiony/{m}") for m in macroregions),
            projekty=tuple(Link(name, f"projekty/{s}") for name, s in projects),
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
        for name, s in projects:
            self._summary(scopes.Scope("projekt", name, f"projekt „{name}”"), f"projekty/{s}")
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


def _project_slugs(names: Iterable[str]) -> list[tuple[str, str]]:
    """Each project with a file name of its own (a number added when two would clash)."""
    out: list[tuple[str, str]] = []
    used: set[str] = set()
    for name in sorted(set(names), key=polish_key):
        base = candidate = slug(name)
        n = 2
        while candidate in used:
            candidate, n = f"{base}-{n}", n + 1
        used.add(candidate)
        out.append((name, candidate))
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
