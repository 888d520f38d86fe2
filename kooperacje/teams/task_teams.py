"""Task teams (Zadaniowe Zespoły Kooperacyjne, ZZK): the worker and client levels of
cooperation, recorded by what the partnership did and never by whom it helped.

A task team belongs to a PZK and gets a case code the tool generates ("ZZK/2020/03": the
year it opened and the team's next number in that year). Whom it concerns is only a
category (a person or a family, target groups, service areas). Its parts (delegated
institutions and staff, services used) live in `task_team_parts`, its meetings in
`task_team_meetings`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kooperacje.dates import parse_date, parse_event_date, parse_range, polish_date
from kooperacje.errors import Ambiguous, Conflict, InvalidInput, NotFound
from kooperacje.register.vocab import Vocabulary
from kooperacje.store.changes import Change, update
from kooperacje.store.db import now
from kooperacje.teams import identifying_text, task_team_parts, teams
from kooperacje.teams.task_team_parts import Composition, Parts

if TYPE_CHECKING:
    from sqlite_utils import Database

# The same rows as the tables of migration m009.
CATEGORIES = Vocabulary(
    "kategorie_zzk", "kategoria", (("osoba", "osoba"), ("rodzina", "rodzina")), "nieznana kategoria"
)
OUTCOMES = Vocabulary(
    "wyniki_zzk",
    "wynik",
    (("w_toku", "w toku"), ("cel_osiagniety", "cel osiągnięty"), ("przerwany", "przerwany")),
    "nieznany wynik",
)
OPEN = "w_toku"


@dataclass(frozen=True)
class TaskTeam:
    """One task team, with the names a user reads."""

    id: int
    uuid: str
    kod: str  # "ZZK/2020/03"
    zespol: int
    zespol_nazwa: str
    gmina: str
    gmina_nazwa: str
    kategoria: str
    kategoria_nazwa: str
    data_otwarcia: str
    data_zamkniecia: str | None
    wynik: str
    wynik_nazwa: str
    uwagi: str | None
    spotkan: int  # meetings recorded
    instytucji: int  # delegated institutions

    @property
    def etykieta(self) -> str:
        return f"{self.kod} (nr {self.id})"


@dataclass(frozen=True)
class TaskTeamDetails:
    """A task team with every part and its meetings (oldest first)."""

    zzk: TaskTeam
    sklad: Composition
    spotkania: tuple[tuple[str, tuple[str, ...]], ...]  # (ISO date, institutions present)


@dataclass(frozen=True)
class TaskTeamEdit:
    """The result of an edit: the task team as it is now and what changed."""

    zzk: TaskTeam
    zmiany: tuple[Change, ...]


SELECT = """
    SELECT k.id, k.uuid, k.nazwa AS kod, k.zespol, z.nazwa AS zespol_nazwa, z.gmina,
           g.nazwa AS gmina_nazwa, k.kategoria, c.nazwa AS kategoria_nazwa, k.data_otwarcia,
           k.data_zamkniecia, k.wynik, w.nazwa AS wynik_nazwa, k.uwagi,
           (SELECT count(*) FROM zzk_spotkania s WHERE s.zzk = k.id) AS spotkan,
           (SELECT count(*) FROM zzk_instytucje i WHERE i.zzk = k.id) AS instytucji
    FROM zzk k
    JOIN zespoly z ON z.id = k.zespol
    JOIN teryt g ON g.kod = z.gmina
    JOIN kategorie_zzk c ON c.kod = k.kategoria
    JOIN wyniki_zzk w ON w.kod = k.wynik
"""
_ORDER = " ORDER BY k.data_otwarcia, k.zespol, k.rok, k.numer"


def get(db: Database, zzk_id: int) -> TaskTeam:
    rows = list(db.query(SELECT + " WHERE k.id = :id", {"id": zzk_id}))
    if not rows:
        raise NotFound(
            f"nie ma ZZK o numerze {zzk_id}. Sprawdź numer poleceniem: kooperacje zzk lista."
        )
    return TaskTeam(**rows[0])


def resolve(db: Database, text: str) -> TaskTeam:
    """A task team by number or by its case code ("ZZK/2020/03", any case)."""
    value = text.strip()
    if value.isdigit():
        return get(db, int(value))
    rows = list(db.query(SELECT + " WHERE upper(k.nazwa) = :k" + _ORDER, {"k": value.upper()}))
    if len(rows) == 1:
        return TaskTeam(**rows[0])
    if not rows:
        raise NotFound(
            f'nie ma ZZK "{value}". Podaj numer albo kod ZZK (np. ZZK/2020/03) z listy: '
            "kooperacje zzk lista."
        )
    listing = "; ".join(f"nr {r['id']} ({r['zespol_nazwa']})" for r in rows)
    raise Ambiguous(f"kod {value.upper()} mają ZZK kilku zespołów: {listing}. Podaj numer ZZK.")


def list_(
    db: Database,
    *,
    gmina: str | None = None,
    zespol: str | None = None,
    od: str | None = None,
    do: str | None = None,
    wynik: str | None = None,
) -> list[TaskTeam]:
    """Task teams at work within the dates (opened by `do`, not closed before `od`)."""
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if gmina is not None or zespol is not None:
        params["z"] = teams.team_of(db, gmina=gmina, zespol=zespol).id
        clauses.append("k.zespol = :z")
    start, end = parse_range(od, do)
    if start:
        params["od"] = start.isoformat()
        clauses.append("(k.data_zamkniecia IS NULL OR k.data_zamkniecia >= :od)")
    if end:
        params["do"] = end.isoformat()
        clauses.append("k.data_otwarcia <= :do")
    if wynik is not None:
        params["w"] = OUTCOMES.parse(wynik)
        clauses.append("k.wynik = :w")
    where = " WHERE " + " AND ".join(clauses) if clauses else ""
    return [TaskTeam(**r) for r in db.query(SELECT + where + _ORDER, params)]


def details(db: Database, ref: str) -> TaskTeamDetails:
    """The task team with its parts and meetings."""
    found = resolve(db, ref)
    present: dict[str, list[str]] = {}
    for r in db.query(
        "SELECT s.data, coalesce(i.skrot, i.nazwa) AS nazwa FROM zzk_spotkania s "
        "LEFT JOIN zzk_obecnosci o ON o.spotkanie = s.id "
        "LEFT JOIN instytucje i ON i.id = o.instytucja WHERE s.zzk = :z ORDER BY s.data",
        {"z": found.id},
    ):
        names = present.setdefault(r["data"], [])
        if r["nazwa"] is not None:
            names.append(r["nazwa"])
    return TaskTeamDetails(
        zzk=found,
        sklad=task_team_parts.composition(db, found.id),
        spotkania=tuple((day, tuple(sorted(names))) for day, names in present.items()),
    )


def _check_opening(team: teams.Team, opened: dt.date) -> None:
    if team.data_utworzenia and opened.isoformat() < team.data_utworzenia:
        raise InvalidInput(
            f"ZZK nie może powstać ({polish_date(opened)}) przed utworzeniem zespołu "
            f"„{team.nazwa}” ({polish_date(team.data_utworzenia)}). Sprawdź datę w --data."
        )


def add(
    db: Database,
    *,
    gmina: str | None = None,
    zespol: str | None = None,
    data: str,
    kategoria: str,
    czesci: Parts = Parts(),
    uwagi: str | None = None,
) -> TaskTeam:
    """Open a task team of a PZK under the next case code of its year."""
    team = teams.team_of(db, gmina=gmina, zespol=zespol)
    opened = parse_event_date(data)
    _check_opening(team, opened)
    row: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "zespol": team.id,
        "rok": opened.year,
        "kategoria": CATEGORIES.parse(kategoria),
        "data_otwarcia": opened.isoformat(),
        "wynik": OPEN,
        "uwagi": identifying_text.check_remark(uwagi),
        "utworzono": now(),
        "zmieniono": now(),
    }
    parts = task_team_parts.resolve(db, czesci, teams.context_of(team))
    with db.atomic():
        number = db.execute(
            "SELECT coalesce(max(numer), 0) + 1 FROM zzk WHERE zespol = :z AND rok = :r",
            {"z": team.id, "r": opened.year},
        ).fetchone()[0]
        row |= {"numer": number, "nazwa": f"ZZK/{opened.year}/{number:02d}"}
        zzk_id = db.table("zzk").insert(row).last_rowid
        assert zzk_id is not None
        task_team_parts.attach(db, zzk_id, parts)
        task_team_parts.check_not_empty(db, zzk_id)
    return get(db, zzk_id)


_LABELS = {
    "data_otwarcia": "data otwarcia",
    "kategoria": "kategoria",
    "uwagi": "uwagi",
    "grupy": "grupy docelowe",
    "obszary": "obszary usług",
    "instytucje": "instytucje",
    "osoby": "osoby delegowane",
    "uslugi": "usługi",
    "data_zamkniecia": "data zamknięcia",
    "wynik": "wynik",
}


def label(field: str) -> str:
    """The Polish name of a field an edit may change."""
    return _LABELS[field]


def apply_edit(
    db: Database,
    ref: str,
    *,
    data: str | None = None,
    kategoria: str | None = None,
    uwagi: str | None = None,
    dodaj: Parts = Parts(),
    usun: Parts = Parts(),
) -> TaskTeamEdit:
    """Change the opening date, category or remark ("" clears it); add and remove parts."""
    found = resolve(db, ref)
    values: dict[str, Any] = {}
    if data is not None:
        opened = parse_event_date(data)
        if opened.year != int(found.kod.split("/")[1]):
            raise InvalidInput(
                f"kod {found.kod} zawiera rok otwarcia, więc data otwarcia musi pozostać "
                f"w tym roku. Jeśli rok jest błędny, usuń ZZK (kooperacje zzk usun {found.id}) "
                "i dodaj go ponownie z właściwą datą."
            )
        _check_opening(teams.get(db, found.zespol), opened)
        first = db.execute("SELECT min(data) FROM zzk_spotkania WHERE zzk = :z", {"z": found.id})
        earliest = first.fetchone()[0]
        if earliest is not None and opened.isoformat() > earliest:
            raise Conflict(
                f"ZZK miał spotkanie {polish_date(earliest)}, przed nową datą otwarcia. "
                "Sprawdź datę albo popraw spotkania (kooperacje zzk spotkanie)."
            )
        if found.data_zamkniecia and opened.isoformat() > found.data_zamkniecia:
            raise Conflict(
                f"ZZK zamknięto {polish_date(found.data_zamkniecia)}, przed nową datą otwarcia. "
                "Sprawdź datę."
            )
        values["data_otwarcia"] = opened.isoformat()
    if kategoria is not None:
        values["kategoria"] = CATEGORIES.parse(kategoria)
    if uwagi is not None:
        values["uwagi"] = identifying_text.check_remark(uwagi)
    if not values and not dodaj and not usun:
        raise InvalidInput(
            "nie podano nic do zmiany. Podaj co najmniej jedną z opcji: --data, --kategoria, "
            "--uwagi, --grupa, --obszar, --instytucja, --osoba, --usluga (albo ich wersje --bez-…)."
        )
    context = teams.context_of(teams.get(db, found.zespol))
    added = task_team_parts.resolve(db, dodaj, context)
    removed = task_team_parts.resolve(db, usun, context)
    before = task_team_parts.composition(db, found.id).labels()
    with db.atomic():
        changed = update(db, "zzk", found.id, values) if values else {}
        task_team_parts.detach(db, found.id, removed)
        task_team_parts.attach(db, found.id, added)
        task_team_parts.check_not_empty(db, found.id)
    after = task_team_parts.composition(db, found.id).labels()

    def shown(name: str, value: Any) -> str | None:
        if value is None:
            return None
        return CATEGORIES.label(value) if name == "kategoria" else str(value)

    zmiany = [
        Change(name, shown(name, getattr(found, name)), shown(name, changed[name]))
        for name in ("data_otwarcia", "kategoria", "uwagi")
        if name in changed
    ]
    zmiany += [
        Change(name, before[name], after[name]) for name in before if before[name] != after[name]
    ]
    return TaskTeamEdit(zzk=get(db, found.id), zmiany=tuple(zmiany))


def close(db: Database, ref: str, *, data: str | None, wynik: str | None) -> TaskTeamEdit:
    """Close the task team with an outcome (cel osiągnięty or przerwany) on a day."""
    found = resolve(db, ref)
    if data is None or wynik is None:
        raise InvalidInput(
            "zamykając ZZK podaj datę i wynik: --data RRRR-MM-DD --wynik cel_osiagniety "
            "(albo przerwany); zamknięcie cofa opcja --cofnij."
        )
    outcome = OUTCOMES.parse(wynik)
    if outcome == OPEN:
        raise InvalidInput(
            "wynik „w toku” oznacza ZZK otwarty. Zamykając podaj --wynik cel_osiagniety albo "
            f"przerwany; aby otworzyć ZZK ponownie, użyj: kooperacje zzk zamknij {found.id} "
            "--cofnij."
        )
    day = parse_date(data)
    if day > dt.date.today():
        raise InvalidInput(
            f"data zamknięcia {day.isoformat()} jest w przyszłości. Wynik zapisuje się po "
            "zakończeniu pracy ZZK."
        )
    if day.isoformat() < found.data_otwarcia:
        raise InvalidInput(
            f"data zamknięcia ({polish_date(day)}) jest wcześniejsza niż data otwarcia ZZK "
            f"({polish_date(found.data_otwarcia)}). Sprawdź datę."
        )
    last = db.execute("SELECT max(data) FROM zzk_spotkania WHERE zzk = :z", {"z": found.id})
    latest = last.fetchone()[0]
    if latest is not None and day.isoformat() < latest:
        raise Conflict(
            f"ZZK miał spotkanie {polish_date(latest)}, po podanej dacie zamknięcia. Sprawdź datę."
        )
    return _set_state(db, found, {"data_zamkniecia": day.isoformat(), "wynik": outcome})


def reopen(
    db: Database, ref: str, *, data: str | None = None, wynik: str | None = None
) -> TaskTeamEdit:
    """Undo the closing: the task team is in progress again (w toku)."""
    if data is not None or wynik is not None:
        raise InvalidInput("--cofnij nie przyjmuje --data ani --wynik: podaj samo --cofnij.")
    found = resolve(db, ref)
    if found.wynik == OPEN:
        raise Conflict(f"{found.kod} nie jest zamknięty: jego wynik to „w toku”.")
    return _set_state(db, found, {"data_zamkniecia": None, "wynik": OPEN})


def _set_state(db: Database, found: TaskTeam, values: dict[str, Any]) -> TaskTeamEdit:
    changed = update(db, "zzk", found.id, values)
    zmiany = tuple(
        Change(
            name,
            OUTCOMES.label(getattr(found, name)) if name == "wynik" else getattr(found, name),
            OUTCOMES.label(changed[name]) if name == "wynik" else changed[name],
        )
        for name in ("data_zamkniecia", "wynik")
        if name in changed
    )
    return TaskTeamEdit(zzk=get(db, found.id), zmiany=zmiany)


def remove(db: Database, ref: str) -> TaskTeam:
    """Delete a task team recorded by mistake, with its parts and meetings."""
    found = resolve(db, ref)
    # The foreign keys delete the parts and meetings; the history triggers keep them all.
    with db.atomic():
        db.execute("DELETE FROM zzk WHERE id = :id", {"id": found.id})
    return found
