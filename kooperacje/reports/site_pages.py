"""The pages of the report site: rendered only when what they are built from changed, the
pages of teams in several processes, charts drawn once per distinct data.

Each page has a source digest: a SHA-256 of everything its bytes depend on (the context
dataclass the template receives, the navigation links, the data of its charts, the format,
and a salt of the program's code, its templates and the report settings). A page whose
source digest is the one recorded with an intact page of the directory is kept as it is,
without rendering or writing it; any other page is rendered and written into the work
directory. Rendering is a function of the source, so the site is byte-identical to one
rendered from scratch.

The team pages (report, basket, meeting notes) are independent, so a full build hands
chunks of teams to a pool of processes (spawned, so it works alike on Windows); each opens
the database itself and writes its pages into the work directory.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import json
import os
import pickle
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kooperacje import __version__, files
from kooperacje.basket import basket
from kooperacje.register import teryt
from kooperacje.reports import (
    basket_context,
    charts,
    meeting_context,
    team_context,
    timeline,
)
from kooperacje.reports import render as reports
from kooperacje.reports.filters import md
from kooperacje.reports.site_directory import Page
from kooperacje.reports.task_team_report import TaskTeamSection
from kooperacje.teams import teams

if TYPE_CHECKING:
    from sqlite_utils import Database

FORMATS = ("html", "md")


@dataclass(frozen=True)
class Link:
    """A page of the site as another page names it; `sciezka` is relative to the root and
    has no extension (".html" or ".md" is added for the format of the linking page)."""

    nazwa: str
    sciezka: str


def salt(settings: reports.Settings) -> str:
    """What every page depends on besides its data: the program (its code and version),
    the templates (the package's and the user's override) and the report settings."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parents[1]
    folders = [package, reports.templates_dir()]
    if settings.szablony is not None:
        folders.append(settings.szablony.resolve())
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if path.suffix in (".py", ".html", ".md", ".typ", ".json", ".txt", ".csv"):
                digest.update(str(path.relative_to(folder)).encode() + b"\0")
                digest.update(path.read_bytes())
    digest.update(pickle.dumps(settings, protocol=5))
    return digest.hexdigest()


def _pickled(value: Any) -> bytes:
    """The value's bytes, which depend only on what it holds: without pickle's memo, an
    object referenced twice is written twice, so whether two equal values happen to be one
    object (a cache hit in one process, not in another) changes nothing."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True  # no memo (the contexts hold no cycles)
    pickler.dump(value)
    return buffer.getvalue()


def source(salt_: str, fmt: str, parts: Sequence[Any], pickled: Callable[[Any], bytes]) -> str:
    """The source digest of a page in format fmt built from parts (dataclasses, tuples,
    plain values), each turned into bytes by pickled."""
    digest = hashlib.sha256(salt_.encode() + b"\0" + fmt.encode() + b"\0")
    for part in parts:
        data = pickled(part)
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


# Charts already drawn in this process, by a digest of their function and data, least
# recently used first. Shared charts (meetings per month, the same figures) recur within a
# few teams; a team's own chart never does, so a few hundred are enough.
_CHARTS: dict[str, Any] = {}
CHARTS_KEPT = 256
_MISSING = object()


def drawn(draw: Callable[..., Any], *args: Any) -> Any:
    """draw(*args), drawn once per distinct data in a process (SVG drawing is costly and
    many teams share the same chart data, e.g. meetings per month)."""
    key = hashlib.sha256(_pickled((draw.__qualname__, args))).hexdigest()
    found = _CHARTS.pop(key, _MISSING)
    if found is _MISSING:
        found = draw(*args)
        if len(_CHARTS) >= CHARTS_KEPT:
            del _CHARTS[next(iter(_CHARTS))]  # the longest unused: bounded memory
    _CHARTS[key] = found  # now the most recently used
    return found


class Pages:
    """Writes the pages of one run (or one chunk of it) into the work directory root."""

    def __init__(self, root: Path, salt_: str, intact: Mapping[str, Page]) -> None:
        self.root, self.salt, self.intact = root, salt_, intact
        self.pages: dict[str, Page] = {}
        # The bytes of the parts of the last pages: a page's HTML and Markdown share most
        # parts (the same objects), pickled once. Held here, so an id is never reused.
        self._recent: dict[int, tuple[Any, bytes]] = {}

    def emit(self, page: str, fmt: str, parts: tuple[Any, ...], make: Callable[[], str]) -> None:
        """The page `page.fmt`, built from parts: kept if an intact page has the same
        source, else rendered by make() and written."""
        name = f"{page}.{fmt}"
        digest = source(self.salt, fmt, parts, self._pickled_part)
        known = self.intact.get(name)
        if known is not None and known.source == digest:
            self.pages[name] = known
            return
        self.pages[name] = Page(self._write(name, make()), digest)

    def _pickled_part(self, part: Any) -> bytes:
        known = self._recent.get(id(part))
        if known is not None and known[0] is part:
            return known[1]
        if len(self._recent) >= 16:
            self._recent.clear()
        data = _pickled(part)
        self._recent[id(part)] = (part, data)
        return data

    def _write(self, name: str, text: str) -> str:
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
            files.write_all(fd, data)  # flushed to the disk with the others before install
        finally:
            os.close(fd)
        return hashlib.sha256(data).hexdigest()


def team_pages(
    db: Database, out: Pages, team_id: int, gmina: str, od: str | None, do: str
) -> list[str]:
    """Write the report, the basket and the meeting notes of one team; returns what was
    done, one item per step of the progress bar."""
    with basket.remembered():
        return _team_pages(db, out, team_id, gmina, od, do)


def _team_pages(
    db: Database, out: Pages, team_id: int, gmina: str, od: str | None, do: str
) -> list[str]:
    day = dt.date.fromisoformat(do)
    start = dt.date.fromisoformat(od) if od else None
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
            {"z": team_id, "do": do},
        )
    )
    links = (
        Link("Koszyk usług gminy", f"koszyki/{gmina}"),
        *(Link(f"Spotkanie {short_date(m['data'])}", f"spotkania/{m['id']}") for m in own),
    )
    members = timeline.member_timeline(db, [team_id], od, do).get(team_id)
    held: dict[str, int] = {}
    for m in own:
        if od is None or m["data"] >= od:
            held[m["data"][:7]] = held.get(m["data"][:7], 0) + 1
    chart_data = (members, sorted(held.items()), context.zzk)

    def team_page(fmt: str) -> Callable[[], str]:
        def make() -> str:
            page = with_nav(reports.render("zespol", fmt, context), fmt, links)
            drawn_charts = _team_charts(members, held, context.zzk) if fmt == "html" else ()
            if drawn_charts:
                section = reports.render("wykresy", "html", drawn_charts)
                page = page.replace("</main>", section + "</main>", 1)
            return page

        return make

    for fmt in FORMATS:
        extra = chart_data if fmt == "html" else ()
        out.emit(f"zespoly/{gmina}", fmt, ("zespol", context, links, *extra), team_page(fmt))
    done = [context.zespol.nazwa]
    basket_page = basket_context.basket_report(db, teryt.get_unit(db, gmina))
    back = (Link("Raport zespołu", f"zespoly/{gmina}"),)
    for fmt in FORMATS:
        out.emit(
            f"koszyki/{gmina}",
            fmt,
            ("koszyk", basket_page, back),
            functools.partial(page_with_nav, "koszyk", fmt, basket_page, back),
        )
    done.append(f"koszyk: {basket_page.gmina.nazwa}")
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
            out.emit(
                f"spotkania/{m['id']}",
                fmt,
                ("spotkanie", note, teams_back),
                functools.partial(page_with_nav, "spotkanie", fmt, note, teams_back),
            )
        done.append(f"spotkanie {m['id']}")
    return done


def _team_charts(
    members: Sequence[tuple[str, int]] | None,
    held: dict[str, int],
    zzk: TaskTeamSection | None,
) -> tuple[Any, ...]:
    out = []
    if members:
        title = "Członkowie w czasie"
        out.append(
            drawn(charts.members_over_time, "wykres-czlonkowie", {"członkowie": members}, title)
        )
    if held:
        months = timeline.month_range(held)
        out.append(
            drawn(charts.meetings_per_month, "wykres-spotkania", months, "Spotkania w miesiącach")
        )
    if zzk is not None:
        title = "Zadaniowe zespoły kooperacyjne"
        chart = drawn(charts.task_team_outcomes, "wykres-zzk", zzk.liczby, title)
        out += [chart] if chart is not None else []
    return tuple(out)


@dataclass(frozen=True)
class TeamJob:
    """A chunk of teams for a process of the pool (plain values only: it is pickled)."""

    database: str
    root: str
    salt: str
    settings: reports.Settings
    od: str | None
    do: str
    teams: tuple[tuple[int, str], ...]
    intact: dict[str, Page]


def watch_parent(parent: int) -> None:
    """In a process of the pool: end it when the command that started it is gone (killed
    by cron's time limit or the system), instead of waiting for work forever."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, name="kooperacje-watch-parent", daemon=True).start()


def run_job(job: TeamJob) -> tuple[dict[str, Page], list[str]]:
    """Write the pages of a chunk of teams (in a process of the pool); returns the pages
    and the steps done."""
    from kooperacje.store.db import open_db

    db = open_db(Path(job.database), create=False)
    try:
        with reports.settings(job.settings):
            out = Pages(Path(job.root), job.salt, job.intact)
            done: list[str] = []
            for team_id, gmina in job.teams:
                done += team_pages(db, out, team_id, gmina, job.od, job.do)
    finally:
        db.close()
    return out.pages, done


def short_date(iso: str) -> str:
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


def page_with_nav(name: str, fmt: str, context: Any, links: tuple[Link, ...]) -> str:
    """Template `name` rendered with context, with the site's navigation (links)."""
    return with_nav(reports.render(name, fmt, context), fmt, links)


def with_nav(page: str, fmt: str, links: tuple[Link, ...]) -> str:
    """A rendered report with the site's navigation placed at the top of its body."""
    line = nav(fmt, "../", links)
    if fmt == "md":
        return line + page
    return page.replace("<body>\n", "<body>\n" + line, 1)
