"""The demo: a database built from the shipped demo data, with every report written beside it.

The data (`data/demo.json`) holds the events of five news notes from 2019–2020 about
partnership teams in Radomsko, Piotrków Trybunalski, Zduńska Wola, Zawiercie, Nakło nad
Notecią and Kcynia. Entries refer to each other by a `klucz` (key); the loader turns
keys into record ids and feeds every record through the same domain functions the
commands use, so the demo data is validated exactly like user input.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import json
import os
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kooperacje.basket import service_edits
from kooperacje.dates import polish_date
from kooperacje.errors import InvalidInput, KooperacjeError
from kooperacje.register import institutions, teryt
from kooperacje.reports import render as reports
from kooperacje.reports.render import md
from kooperacje.store.db import open_db
from kooperacje.teams import (
    agreement_edits,
    attendance,
    declarations,
    meetings,
    project_edits,
    teams,
)
from kooperacje.teams.meetings import Meeting
from kooperacje.teams.teams import Team
from kooperacje.text import polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database


DB_NAME = "demo.db"
DEFAULT_DIR = Path("kooperacje-demo")


@dataclass(frozen=True)
class Loaded:
    """What the loader created: counts, the teams and the meetings (in data order)."""

    instytucje: int
    deklaracje: int
    uslugi: int
    zespoly: tuple[Team, ...]
    spotkania: tuple[Meeting, ...]


@dataclass(frozen=True)
class DemoResult:
    """What `build` did: where the database and the reports are."""

    katalog: Path
    baza: Path
    przebudowano: bool  # an existing demo.db was replaced
    stan_na: dt.date
    zaladowano: Loaded
    pliki: tuple[Path, ...]  # every report written, index files included
    spis: Path  # index.html


def load_data() -> dict[str, Any]:
    """The demo data shipped in the package."""
    text = resources.files("kooperacje").joinpath("data", "demo.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _ref(ids: dict[str, int], key: str, what: str) -> str:
    try:
        return str(ids[key])
    except KeyError:
        raise InvalidInput(f'dane demonstracyjne: nieznany klucz {what} "{key}".') from None


def _projects(
    db: Database, items: list[dict[str, Any]], institution_ids: dict[str, int]
) -> dict[str, int]:
    """The projects, their leaders and partners given by institution keys."""
    ids: dict[str, int] = {}
    for item in items:
        partners = []
        for text in item.get("partnerzy", []):
            key, sep, role = text.partition(": ")
            partners.append(_ref(institution_ids, key, "instytucji") + sep + role)
        fields = {k: v for k, v in item.items() if k not in ("klucz", "lider", "partnerzy")}
        added = project_edits.add(
            db,
            **fields,
            lider=_ref(institution_ids, item["lider"], "instytucji") if item.get("lider") else None,
            partnerzy=partners,
        )
        ids[item["klucz"]] = added.projekt.id
    return ids


def populate(db: Database, data: dict[str, Any]) -> Loaded:
    """Load the demo data into an empty database, in one transaction."""

    institution_ids: dict[str, int] = {}
    meeting_ids: dict[str, int] = {}
    created_teams: list[Team] = []
    created_meetings: list[Meeting] = []
    with db.atomic():
        for item in data["instytucje"]:
            fields = {k: v for k, v in item.items() if k != "klucz"}
            institution_ids[item["klucz"]] = institutions.add(db, **fields).id
        project_ids = _projects(db, data.get("projekty", []), institution_ids)
        for item in data["zespoly"]:
            created_teams.append(
                teams.create(
                    db,
                    gmina=item["gmina"],
                    nazwa=item.get("nazwa"),
                    lider=_ref(institution_ids, item["lider"], "instytucji"),
                    projekt=_ref(project_ids, item["projekt"], "projektu")
                    if item.get("projekt")
                    else None,
                    data=item.get("data"),
                )
            )
        for item in data["spotkania"]:
            meeting = meetings.add(
                db,
                gmina=item["gmina"],
                data=item["data"],
                miejsce=item["miejsce"],
                rodzaj=item["rodzaj"],
                godzina=item.get("godzina"),
                adres=item.get("adres"),
                tytul=item.get("tytul"),
                opis=item.get("opis"),
            )
            meeting_ids[item["klucz"]] = meeting.id
            created_meetings.append(meeting)
            present = [_ref(institution_ids, key, "instytucji") for key in item["obecni"]]
            attendance.attend(db, meeting.id, present)
        for item in data["deklaracje"]:
            where = item.get("spotkanie")
            declarations.add(
                db,
                instytucja=_ref(institution_ids, item["instytucja"], "instytucji"),
                gmina=item["gmina"],
                data=item["data"],
                rodzaj=item.get("rodzaj", "przystapienie"),
                podpisal=item.get("podpisal"),
                spotkanie=int(_ref(meeting_ids, where, "spotkania")) if where else None,
            )
        for item in data.get("porozumienia", []):
            agreement_edits.add(
                db,
                nazwa=item["nazwa"],
                przedmiot=item.get("przedmiot"),
                projekt=_ref(project_ids, item["projekt"], "projektu")
                if item.get("projekt")
                else None,
                status=item.get("status"),
                termin_podpisania=item.get("termin"),
                uwagi=item.get("uwagi"),
                strony=[_ref(institution_ids, key, "instytucji") for key in item.get("strony", [])],
                jst=item.get("jst", []),
            )
        for item in data["uslugi"]:
            fields = {k: v for k, v in item.items() if k != "instytucja"}
            service_edits.add(
                db, instytucja=_ref(institution_ids, item["instytucja"], "instytucji"), **fields
            )
    return Loaded(
        instytucje=len(institution_ids),
        deklaracje=len(data["deklaracje"]),
        uslugi=len(data["uslugi"]),
        zespoly=tuple(created_teams),
        spotkania=tuple(created_meetings),
    )


def _prepare_dir(directory: Path) -> Path:
    target = directory.expanduser()
    if target.exists() and not target.is_dir():
        raise InvalidInput(
            f'"{target}" jest plikiem, a nie katalogiem. Podaj w -o katalog na pliki demonstracji.'
        )
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KooperacjeError(
            f'nie można utworzyć katalogu "{target}": {exc.strerror or exc}. '
            "Wybierz inny katalog w -o."
        ) from None
    return target


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            Path(f"{path}{suffix}").unlink()


def build(directory: Path = DEFAULT_DIR) -> DemoResult:
    """Build `demo.db` in directory from scratch and write every report beside it.

    The database is built in a temporary file and moved over `demo.db` only when
    complete, so an interrupted run never leaves a half-loaded demo behind.
    """

    target_dir = _prepare_dir(directory)
    data = load_data()
    day = dt.date.fromisoformat(data["stan_na"])
    database = target_dir / DB_NAME
    existed = database.exists()
    try:
        fd, temp_name = tempfile.mkstemp(dir=target_dir, prefix=".demo-", suffix=".db")
    except OSError as exc:
        raise KooperacjeError(
            f'nie można zapisać w katalogu "{target_dir}": {exc.strerror or exc}. '
            "Wybierz inny katalog w -o."
        ) from None
    os.close(fd)
    temp = Path(temp_name)
    try:
        db = open_db(temp)
        try:
            loaded = populate(db, data)
            # A single self-contained file: no -wal beside it once it is moved into place.
            db.execute("PRAGMA journal_mode = DELETE")
            written = _write_reports(db, target_dir, loaded, day, data["opis"])
        finally:
            db.close()
        for suffix in ("-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                Path(f"{database}{suffix}").unlink()
        os.replace(temp, database)
    except BaseException:
        _remove(temp)
        raise
    return DemoResult(
        katalog=target_dir,
        baza=database,
        przebudowano=existed,
        stan_na=day,
        zaladowano=loaded,
        pliki=tuple(written),
        spis=target_dir / "index.html",
    )


@dataclass(frozen=True)
class _Entry:
    """One team in the index, with the names of its files."""

    team: Team
    meetings: tuple[tuple[Meeting, str], ...]  # meeting and its file stem
    # Meetings of other teams its leader attended (Kcynia's centre was at Nakło's).
    guest: tuple[tuple[Meeting, str], ...]


def _write_reports(
    db: Database, directory: Path, loaded: Loaded, day: dt.date, about: str
) -> list[Path]:

    written: list[Path] = []
    present = {
        m.id: {a.instytucja for a in attendance.attendees(db, m.id)} for m in loaded.spotkania
    }
    stems = {m.id: f"spotkanie-{m.id}" for m in loaded.spotkania}

    def save(text: str, name: str) -> None:
        path = directory / name
        reports.write(text, path)
        written.append(path)

    entries: list[_Entry] = []
    for team in sorted(loaded.zespoly, key=lambda t: polish_key(t.gmina_nazwa)):
        unit = teryt.get_unit(db, team.gmina)
        for fmt in ("md", "html"):
            save(reports.render_team(db, team, fmt, na_dzien=day), f"zespol-{team.gmina}.{fmt}")
            save(reports.render_basket(db, unit, fmt, stan_na=day), f"koszyk-{team.gmina}.{fmt}")
        by_date = sorted(loaded.spotkania, key=lambda m: m.data)
        own = tuple((m, stems[m.id]) for m in by_date if m.zespol == team.id)
        for meeting, stem in own:
            for fmt in ("md", "html"):
                save(reports.render_meeting(db, meeting.id, fmt), f"{stem}.{fmt}")
        guest = tuple(
            (m, stems[m.id]) for m in by_date if m.zespol != team.id and team.lider in present[m.id]
        )
        entries.append(_Entry(team, own, guest))
    save(_index_md(entries, day, about), "index.md")
    save(_index_html(entries, day, about), "index.html")
    return written


def _meeting_label(meeting: Meeting) -> str:

    title = meeting.tytul or meeting.rodzaj_nazwa
    return f"{polish_date(meeting.data)}: {title} ({meeting.miejsce})"


def _guest_note(team: Team, meeting: Meeting) -> str:
    leader = team.lider_nazwa or "lider zespołu"
    return f"spotkanie zespołu gminy {meeting.gmina_nazwa} z udziałem: {leader}"


def _index_md(entries: list[_Entry], day: dt.date, about: str) -> str:

    lines = [
        "# Dane demonstracyjne programu kooperacje",
        "",
        md(about),
        "",
        f"Stan zespołów na {polish_date(day)}",
        "",
    ]
    for entry in entries:
        team, code = entry.team, entry.team.gmina
        lines += [
            f"## {md(team.nazwa)}",
            "",
            f"Gmina {md(team.gmina_nazwa)} ({md(team.gmina_rodzaj)}, TERYT {code})"
            + (f". Projekt: {md(team.projekt)}" if team.projekt else "")
            + ".",
            "",
            f"- [Raport zespołu](zespol-{code}.md)",
            f"- [Lokalny koszyk usług](koszyk-{code}.md)",
        ]
        lines += [f"- [{md(_meeting_label(m))}]({stem}.md)" for m, stem in entry.meetings]
        lines += [
            f"- [{md(_meeting_label(m))}]({stem}.md), {md(_guest_note(entry.team, m))}"
            for m, stem in entry.guest
        ]
        lines.append("")
    return "\n".join(lines)


_CSS = """
body { font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.5; color: #222; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
a { color: #0b5394; } .meta { color: #555; }
@media print { a { color: inherit; text-decoration: none; } }
"""


def _index_html(entries: list[_Entry], day: dt.date, about: str) -> str:

    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="pl">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Dane demonstracyjne programu kooperacje</title>",
        f"<style>{_CSS}</style></head>",
        "<body>",
        "<h1>Dane demonstracyjne programu kooperacje</h1>",
        f"<p>{esc(about)}</p>",
        f'<p class="meta">Stan zespołów na {esc(polish_date(day))}</p>',
    ]
    for entry in entries:
        team, code = entry.team, entry.team.gmina
        project = f". Projekt: {esc(team.projekt)}" if team.projekt else ""
        parts += [
            f"<h2>{esc(team.nazwa)}</h2>",
            f'<p class="meta">Gmina {esc(team.gmina_nazwa)} ({esc(team.gmina_rodzaj)}, '
            f"TERYT {esc(code)}){project}.</p>",
            "<ul>",
            f'<li><a href="zespol-{esc(code)}.html">Raport zespołu</a></li>',
            f'<li><a href="koszyk-{esc(code)}.html">Lokalny koszyk usług</a></li>',
        ]
        parts += [
            f'<li><a href="{esc(stem)}.html">{esc(_meeting_label(m))}</a></li>'
            for m, stem in entry.meetings
        ]
        parts += [
            f'<li><a href="{esc(stem)}.html">{esc(_meeting_label(m))}</a>, '
            f"{esc(_guest_note(entry.team, m))}</li>"
            for m, stem in entry.guest
        ]
        parts.append("</ul>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)
