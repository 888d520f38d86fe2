"""The demo's pages: every report of the demo database, the documents of one meeting as
PDF, and the index that links them."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kooperacje.dates import polish_date
from kooperacje.register import teryt
from kooperacje.reports import documents
from kooperacje.reports import render as reports
from kooperacje.reports.filters import md
from kooperacje.teams import (
    attendance,
    meeting_teams,
)
from kooperacje.teams.meetings import Meeting
from kooperacje.teams.teams import Team
from kooperacje.text import polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database


from kooperacje.demo.data import Loaded, ref


@dataclass(frozen=True)
class _Printed:
    """The meeting whose documents the demo prints as PDF, and the files: (label, name)."""

    spotkanie: Meeting
    pliki: tuple[tuple[str, str], ...]
    tresc: dict[str, bytes]  # the PDF of each file name


def print_documents(db: Database, loaded: Loaded, day: dt.date, spec: dict[str, Any]) -> _Printed:
    """The attendance sheet, declarations and minutes of one meeting as PDF, dated with
    the demo's "stan na" (so every run writes the same bytes), under the project's
    co-financing statement from the demo data."""

    meeting_id = int(ref(dict(loaded.klucze_spotkan), spec["spotkanie"], "spotkania"))
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


def render_reports(
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
