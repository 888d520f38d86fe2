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
import hashlib
import html
import json
import os
import sqlite3
import uuid
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kooperacje import files
from kooperacje.basket import service_edits
from kooperacje.dates import polish_date
from kooperacje.errors import Conflict, InvalidInput
from kooperacje.register import contacts, institutions, teryt
from kooperacje.register.institutions import Institution
from kooperacje.reports import documents
from kooperacje.reports import render as reports
from kooperacje.reports.filters import md
from kooperacje.store.db import open_db
from kooperacje.teams import (
    agreement_edits,
    attendance,
    declarations,
    meeting_teams,
    meetings,
    project_edits,
    rules,
    task_team_meetings,
    task_teams,
    teams,
)
from kooperacje.teams.meetings import Meeting
from kooperacje.teams.task_team_parts import Parts
from kooperacje.teams.teams import Team
from kooperacje.text import polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database


DB_NAME = "demo.db"
# The list of the demo's files: a directory holding it holds an earlier demo.
MANIFEST = "kooperacje-demo.json"
DEFAULT_DIR = Path("kooperacje-demo")


@dataclass(frozen=True)
class Loaded:
    """What the loader created: counts, the teams and the meetings (in data order)."""

    instytucje: int
    deklaracje: int
    uslugi: int
    zespoly: tuple[Team, ...]
    spotkania: tuple[Meeting, ...]
    zzk: int = 0  # illustrative task teams
    klucze_spotkan: tuple[tuple[str, int], ...] = ()  # (key in the data, meeting id)


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
    # The meeting whose documents are printed as PDF, and those files.
    spotkanie_dokumentow: Meeting | None = None
    dokumenty: tuple[Path, ...] = ()


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
        office_ids: dict[str, int] = {}
        for item in data["instytucje"]:
            fields = {k: v for k, v in item.items() if k not in ("klucz", "telefony", "biura")}
            added = institutions.add(db, **fields)
            institution_ids[item["klucz"]] = added.id
            office_ids |= _contacts(db, added, item)
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
                    misja=item.get("misja"),
                )
            )
        for item in data["spotkania"]:
            meeting = meetings.add(
                db,
                gmina=item["gmina"],
                data=item["data"],
                miejsce=item.get("miejsce"),
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
        for item in data.get("regulaminy", []):
            text = resources.files("kooperacje").joinpath("data", item["plik"]).read_text("utf-8")
            rules.add_text(
                db,
                team=teams.for_gmina(db, item["gmina"]),
                tekst=text,
                plik=item["plik"],
                nazwa=item.get("nazwa"),
                spotkanie=int(_ref(meeting_ids, item["spotkanie"], "spotkania")),
                uwagi=item.get("uwagi"),
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
            fields = {k: v for k, v in item.items() if k not in ("instytucja", "biuro")}
            if "biuro" in item:
                fields["szczegoly"] = {"biuro": str(_ref(office_ids, item["biuro"], "biura"))}
            service_edits.add(
                db, instytucja=_ref(institution_ids, item["instytucja"], "instytucji"), **fields
            )
        for item in data.get("zzk", []):
            _task_team(db, item, institution_ids)
    return Loaded(
        instytucje=len(institution_ids),
        deklaracje=len(data["deklaracje"]),
        uslugi=len(data["uslugi"]),
        zespoly=tuple(created_teams),
        spotkania=tuple(created_meetings),
        zzk=len(data.get("zzk", [])),
        klucze_spotkan=tuple(meeting_ids.items()),
    )


def _task_team(db: Database, item: dict[str, Any], ids: dict[str, int]) -> None:
    """An illustrative task team: opened, its meetings, and its closing if it has one."""
    found = task_teams.add(
        db,
        gmina=item["gmina"],
        data=item["data"],
        kategoria=item["kategoria"],
        czesci=Parts(
            grupy=item["grupy"],
            obszary=item["obszary"],
            instytucje=[_ref(ids, key, "instytucji") for key in item["instytucje"]],
            uslugi=item["uslugi"],
        ),
        uwagi=item.get("uwagi"),
    )
    for meeting in item["spotkania"]:
        present = [_ref(ids, key, "instytucji") for key in meeting["obecne"]]
        task_team_meetings.record(db, str(found.id), data=meeting["data"], instytucje=present)
    if "zamkniecie" in item:
        closing = item["zamkniecie"]
        task_teams.close(db, str(found.id), data=closing["data"], wynik=closing["wynik"])


def _manifest(target: Path) -> dict[str, Any] | None:
    """The manifest of an earlier demo in target (None when there is none)."""
    path = target / MANIFEST
    if not path.is_file():
        return None
    try:
        found = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        found = None
    if not isinstance(found, dict) or found.get("program") != "kooperacje demo":
        raise Conflict(
            f'plik "{path}" nie jest spisem plików demonstracji programu kooperacje; katalog '
            "nie zostanie zmieniony. Podaj w -o nowy albo pusty katalog."
        )
    return found


def _prepare_dir(directory: Path) -> tuple[Path, dict[str, Any] | None]:
    """The demo's directory and its earlier manifest: refuses a directory that holds
    anything but an earlier demo."""
    target = directory.expanduser()
    if target.exists() and not target.is_dir():
        raise InvalidInput(
            f'"{target}" jest plikiem, a nie katalogiem. Podaj w -o katalog na pliki demonstracji.'
        )
    if files.is_live_database(target / DB_NAME):
        raise Conflict(
            f"baza danych, z której korzysta program (--baza albo KOOPERACJE_BAZA), to "
            f'"{target / DB_NAME}"; demo jej nie zastąpi. Uruchom demo bez --baza i bez '
            "KOOPERACJE_BAZA albo podaj w -o inny katalog."
        )
    manifest = _manifest(target) if target.is_dir() else None
    if manifest is None and target.is_dir() and any(target.iterdir()):
        raise Conflict(
            f'katalog "{target}" nie jest pusty, a nie ma w nim danych demonstracyjnych '
            f"programu (brak spisu {MANIFEST}). Demo zapisuje tylko do nowego albo pustego "
            "katalogu albo do katalogu wcześniejszego demo, żeby nie zastąpić niczyich plików. "
            "Podaj w -o inny katalog (demo z wcześniejszej wersji programu usuń najpierw sam)."
        )
    if manifest is not None:
        _check_own_files(target, manifest)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise files.error(exc, target, "utworzyć katalogu") from None
    return target, manifest


def _is_demo_database(path: Path, identities: list[str]) -> bool:
    """Whether path is a database an earlier demo built (it holds that demo's first
    institution, by UUID): a database of the user's under the same name is not."""
    if not files.is_sqlite(path):
        return False
    try:
        # immutable: only read the file; never create -wal or -shm beside someone's database.
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            marks = ",".join("?" * len(identities)) or "NULL"
            row = conn.execute(
                f"SELECT count(*) FROM instytucje WHERE uuid IN ({marks})", identities
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return bool(row[0])


def _check_own_files(target: Path, manifest: dict[str, Any]) -> None:
    database = target / DB_NAME
    if os.path.lexists(database) and not _is_demo_database(
        database, list(manifest.get("baza", []))
    ):
        raise Conflict(
            f'plik "{database}" nie jest bazą zbudowaną przez demo, więc nie zostanie zastąpiony '
            "(może to być Twoja baza). Przenieś go albo podaj w -o inny katalog."
        )


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            Path(f"{path}{suffix}").unlink()


def _write_manifest(target: Path, identities: list[str], names: dict[str, str]) -> None:
    manifest = {"program": "kooperacje demo", "baza": identities, "pliki": names}
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    files.write_text(target / MANIFEST, text, personal=False)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build(directory: Path = DEFAULT_DIR) -> DemoResult:
    """Build `demo.db` in directory from scratch and write every report beside it.

    Only a new or empty directory, or one holding an earlier demo (its manifest,
    `kooperacje-demo.json`, lists the demo's files), is written to; there the demo
    replaces its own files and leaves every other file alone. The manifest always lists
    every file the demo may have written (it is updated before and after them), so after
    an interrupted run the directory is still recognised. The database is built in a
    temporary file and moved over `demo.db` only when complete.
    """

    target_dir, earlier = _prepare_dir(directory)
    old_ids = list(earlier.get("baza", [])) if earlier else []
    old_files = dict(earlier.get("pliki", {})) if earlier else {}
    if earlier is None:
        _write_manifest(target_dir, [], {})  # from here on the directory is the demo's
    for leftover in target_dir.glob(".demo-*.db*"):
        _remove(leftover)  # of a run that was killed
    data = load_data()
    day = dt.date.fromisoformat(data["stan_na"])
    database = target_dir / DB_NAME
    existed = database.exists()
    temp = target_dir / f".demo-{uuid.uuid4().hex}.db"
    try:
        db = open_db(temp, create=True)
        try:
            loaded = populate(db, data)
            # A single self-contained file: no -wal beside it once it is moved into place.
            db.execute("PRAGMA journal_mode = DELETE")
            identity = str(db.execute("SELECT uuid FROM instytucje ORDER BY id").fetchone()[0])
            about = " ".join(t for t in (data["opis"], data.get("_zzk")) if t)
            printed = _print_documents(db, loaded, day, data["dokumenty"])
            pages = _render_reports(db, loaded, day, about, printed)
        finally:
            db.close()
        for name in [*pages, *printed.tresc]:
            if os.path.lexists(target_dir / name) and name not in old_files:
                raise Conflict(
                    f'w katalogu demo jest plik "{target_dir / name}", którego demo nie '
                    "zapisało; nie zostanie zastąpiony. Przenieś go albo podaj w -o inny katalog."
                )
        encoded = {name: text.encode("utf-8") for name, text in pages.items()} | printed.tresc
        digests = {name: _digest(data) for name, data in encoded.items()}
        # Old and new together while files are replaced: a crash leaves a known demo.
        _write_manifest(target_dir, [*old_ids, identity], {**old_files, **digests})
        written = []
        for name, content in encoded.items():
            # Public news notes, not a register: the reports need no private mode.
            written.append(files.write_bytes(target_dir / name, content, personal=False))
        for suffix in ("-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                Path(f"{database}{suffix}").unlink()
        os.replace(temp, database)
        files.fsync_directory(target_dir)
        digests[DB_NAME] = _digest(database.read_bytes())
        _write_manifest(target_dir, [identity], digests)
    except OSError as exc:
        _remove(temp)
        raise files.error(exc, target_dir, "zapisać demonstracji w katalogu") from None
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
        spotkanie_dokumentow=printed.spotkanie,
        dokumenty=tuple(target_dir / name for _, name in printed.pliki),
    )


@dataclass(frozen=True)
class _Printed:
    """The meeting whose documents the demo prints as PDF, and the files: (label, name)."""

    spotkanie: Meeting
    pliki: tuple[tuple[str, str], ...]
    tresc: dict[str, bytes]  # the PDF of each file name


def _print_documents(db: Database, loaded: Loaded, day: dt.date, spec: dict[str, Any]) -> _Printed:
    """The attendance sheet, declarations and minutes of one meeting as PDF, dated with
    the demo's "stan na" (so every run writes the same bytes), under the project's
    co-financing statement from the demo data."""

    meeting_id = int(_ref(dict(loaded.klucze_spotkan), spec["spotkanie"], "spotkania"))
    meeting = next(m for m in loaded.spotkania if m.id == meeting_id)
    stem = f"spotkanie-{meeting_id}"
    printed: list[tuple[str, str]] = []
    content: dict[str, bytes] = {}
    with reports.settings(reports.Settings(wspolfinansowanie=spec.get("wspolfinansowanie"))):
        for label, name, output in (
            (
                "Lista obecności",
                f"{stem}-lista-obecnosci.pdf",
                documents.attendance_sheet(db, meeting_id, "pdf", wygenerowano=day),
            ),
            (
                "Deklaracje przystąpienia",
                f"{stem}-deklaracje.pdf",
                documents.declarations(
                    db, "pdf", spotkanie=meeting_id, wszyscy_zaproszeni=True, wygenerowano=day
                ),
            ),
            (
                "Protokół",
                f"{stem}-protokol.pdf",
                documents.minutes(db, meeting_id, "pdf", wygenerowano=day),
            ),
        ):
            assert isinstance(output, bytes)
            content[name] = output
            printed.append((label, name))
    return _Printed(meeting, tuple(printed), content)


@dataclass(frozen=True)
class _Entry:
    """One team in the index, with the names of its files."""

    team: Team
    meetings: tuple[tuple[Meeting, str], ...]  # meeting and its file stem
    # Meetings of other teams its leader attended (Kcynia's centre was at Nakło's).
    guest: tuple[tuple[Meeting, str], ...]
    pdf: tuple[tuple[str, str], ...] = ()  # documents printed as PDF: (label, file name)


def _render_reports(
    db: Database, loaded: Loaded, day: dt.date, about: str, printed: _Printed
) -> dict[str, str]:
    """Every report of the demo, by file name (a few hundred kilobytes in all)."""

    pages: dict[str, str] = {}
    present = {
        m.id: {a.instytucja for a in attendance.attendees(db, m.id)} for m in loaded.spotkania
    }
    stems = {m.id: f"spotkanie-{m.id}" for m in loaded.spotkania}
    # A joint meeting is each of its teams' own.
    owners = {m.id: set(meeting_teams.team_ids(db, m.id)) for m in loaded.spotkania}
    entries: list[_Entry] = []
    for team in sorted(loaded.zespoly, key=lambda t: polish_key(t.gmina_nazwa)):
        unit = teryt.get_unit(db, team.gmina)
        for fmt in ("md", "html"):
            pages[f"zespol-{team.gmina}.{fmt}"] = reports.render_team(db, team, fmt, na_dzien=day)
            pages[f"koszyk-{team.gmina}.{fmt}"] = reports.render_basket(db, unit, fmt, stan_na=day)
        by_date = sorted(loaded.spotkania, key=lambda m: m.data)
        own = tuple((m, stems[m.id]) for m in by_date if team.id in owners[m.id])
        for meeting, stem in own:
            for fmt in ("md", "html"):
                pages[f"{stem}.{fmt}"] = reports.render_meeting(db, meeting.id, fmt)
        guest = tuple(
            (m, stems[m.id])
            for m in by_date
            if team.id not in owners[m.id] and team.lider in present[m.id]
        )
        pdf = tuple(
            (f"{label} (PDF): {_meeting_label(printed.spotkanie)}", name)
            for label, name in printed.pliki
            if printed.spotkanie.zespol == team.id
        )
        entries.append(_Entry(team, own, guest, pdf))
    pages["index.md"] = _index_md(entries, day, about)
    pages["index.html"] = _index_html(entries, day, about)
    return pages


def _contacts(db: Database, institution: Institution, item: dict[str, Any]) -> dict[str, int]:
    """An institution's further phones and its offices; the offices' numbers by key."""
    for phone in item.get("telefony", []):
        contacts.add_phone(db, institution, phone["numer"], phone.get("opis"))
    return {
        office["klucz"]: contacts.add_office(
            db, institution, **{k: v for k, v in office.items() if k != "klucz"}
        ).id
        for office in item.get("biura", [])
    }


def _meeting_label(meeting: Meeting) -> str:

    title = meeting.tytul or meeting.rodzaj_nazwa
    joint = f"; spotkanie wspólne z: {meeting.inne_zespoly}" if meeting.inne_zespoly else ""
    return f"{polish_date(meeting.data)}: {title} ({meeting.miejsce_opis}{joint})"


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
        lines += [f"- [{md(label)}]({name})" for label, name in entry.pdf]
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
        parts += [f'<li><a href="{esc(name)}">{esc(label)}</a></li>' for label, name in entry.pdf]
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
