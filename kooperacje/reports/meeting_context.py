"""The context of a meeting note (notatka ze spotkania): who came, grouped by sector."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kooperacje import __version__
from kooperacje.errors import NotFound
from kooperacje.register import teryt
from kooperacje.register.vocab import CORE_SECTORS, SECTORS
from kooperacje.reports.context import PersonRow, Place, person_rows, place
from kooperacje.reports.team_context import DeclarationRow, declaration_rows
from kooperacje.teams.meetings import UNKNOWN_PLACE
from kooperacje.text import polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class AttendeeRow:
    """An institution present at a meeting and who represented it, when known."""

    nazwa: str
    skrot: str | None
    osoby: tuple[PersonRow, ...]


@dataclass(frozen=True)
class AttendeeSector:
    """The institutions of one sector present at a meeting."""

    kod: str
    nazwa: str
    kluczowy: bool
    instytucje: tuple[AttendeeRow, ...]


@dataclass(frozen=True)
class MeetingNote:
    """Context of `spotkanie.md` / `spotkanie.html`: the note of one meeting."""

    id: int
    tytul: str  # the meeting's title, or its kind when it has none
    data: str  # ISO date
    godzina: str | None
    miejsce: str  # the venue, or that it was not recorded
    adres: str | None
    rodzaj_nazwa: str
    zespol: str  # team name
    gmina: Place
    obecni: tuple[AttendeeSector, ...]  # sectors in DOMAIN.md order, present ones only
    deklaracje: tuple[DeclarationRow, ...]  # signed at this meeting
    opis: str | None  # summary as entered
    wersja: str
    wspolne: str | None = None  # a joint meeting: the other teams' names

    @property
    def liczba_instytucji(self) -> int:
        return sum(len(s.instytucje) for s in self.obecni)


def meeting_note(db: Database, meeting_id: int) -> MeetingNote:
    """The note of one meeting: where, when, who came (by sector), what was signed."""
    rows = list(
        db.query(
            """
            SELECT s.id, s.data, s.godzina, s.miejsce, s.adres, s.tytul, s.opis,
                   r.nazwa AS rodzaj_nazwa, z.nazwa AS zespol, z.gmina,
                   (SELECT group_concat(nazwa, '; ') FROM (
                        SELECT z2.nazwa FROM spotkania_zespoly sz
                        JOIN zespoly z2 ON z2.id = sz.zespol
                        WHERE sz.spotkanie = s.id AND sz.zespol != s.zespol
                        ORDER BY z2.nazwa COLLATE pl)) AS wspolne
            FROM spotkania s
            JOIN rodzaje_spotkan r ON r.kod = s.rodzaj
            JOIN zespoly z ON z.id = s.zespol
            WHERE s.id = :id
            """,
            {"id": meeting_id},
        )
    )
    if not rows:
        raise NotFound(
            f"nie ma spotkania o numerze {meeting_id}. "
            "Sprawdź numer poleceniem: kooperacje spotkania lista."
        )
    meeting = rows[0]
    present = db.query(
        """
        SELECT o.instytucja, i.nazwa, i.skrot, i.sektor, p.imie_nazwisko, p.stanowisko
        FROM obecnosci o
        JOIN instytucje i ON i.id = o.instytucja
        LEFT JOIN osoby p ON p.id = o.osoba
        WHERE o.spotkanie = :id AND o.status = 'obecny'
        """,
        {"id": meeting_id},
    )
    by_institution: dict[int, list[dict[str, Any]]] = {}
    for row in present:
        by_institution.setdefault(row["instytucja"], []).append(row)
    attendees = sorted(
        by_institution.values(),
        key=lambda group: (polish_key(group[0]["nazwa"]), group[0]["instytucja"]),
    )
    sectors = tuple(
        AttendeeSector(
            kod=code,
            nazwa=label,
            kluczowy=code in CORE_SECTORS,
            instytucje=tuple(
                AttendeeRow(nazwa=g[0]["nazwa"], skrot=g[0]["skrot"], osoby=person_rows(g))
                for g in attendees
                if g[0]["sektor"] == code
            ),
        )
        for code, label in SECTORS.items
    )
    return MeetingNote(
        id=meeting["id"],
        tytul=meeting["tytul"] or meeting["rodzaj_nazwa"][:1].upper() + meeting["rodzaj_nazwa"][1:],
        data=meeting["data"],
        godzina=meeting["godzina"],
        miejsce=meeting["miejsce"] or UNKNOWN_PLACE,
        adres=meeting["adres"],
        rodzaj_nazwa=meeting["rodzaj_nazwa"],
        zespol=meeting["zespol"],
        gmina=place(teryt.get_unit(db, meeting["gmina"])),
        obecni=tuple(s for s in sectors if s.instytucje),
        deklaracje=declaration_rows(db, spotkanie=meeting_id),
        opis=meeting["opis"],
        wersja=__version__,
        wspolne=meeting["wspolne"],
    )
