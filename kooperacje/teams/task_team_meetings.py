"""Meetings of a task team (ZZK): a date and the institutions that took part."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kooperacje.dates import parse_event_date, polish_date
from kooperacje.errors import Conflict, InvalidInput, NotFound
from kooperacje.register import institutions
from kooperacje.store.db import now
from kooperacje.teams import task_teams, teams
from kooperacje.teams.task_teams import TaskTeam
from kooperacje.text import polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class TaskTeamMeeting:
    """A meeting as recorded: who took part, and who joined the task team through it."""

    zzk: TaskTeam
    data: str  # ISO date
    obecne: tuple[str, ...]  # names of the institutions present, Polish order
    nowo_delegowane: tuple[str, ...]  # present, not delegated before: added to the team


def record(db: Database, ref: str, *, data: str, instytucje: list[str]) -> TaskTeamMeeting:
    """Record a meeting (or correct the attendance of one already recorded on that day).

    Without institutions, every delegated institution took part. An institution present
    but not yet delegated becomes one of the task team's institutions.
    """
    found = task_teams.resolve(db, ref)
    day = parse_event_date(data).isoformat()
    if day < found.data_otwarcia:
        raise InvalidInput(
            f"spotkanie ({polish_date(day)}) nie może odbyć się przed otwarciem {found.kod} "
            f"({polish_date(found.data_otwarcia)}). Sprawdź datę."
        )
    if found.data_zamkniecia and day > found.data_zamkniecia:
        raise Conflict(
            f"{found.kod} zamknięto {polish_date(found.data_zamkniecia)}, przed tym spotkaniem. "
            f"Jeśli ZZK nadal działa, otwórz go: kooperacje zzk zamknij {found.id} --cofnij."
        )
    params = {"z": found.id}
    delegated = {
        int(r["instytucja"])
        for r in db.query("SELECT instytucja FROM zzk_instytucje WHERE zzk = :z", params)
    }
    context = teams.context_of(teams.get(db, found.zespol))
    present = list(dict.fromkeys(institutions.resolve(db, i, context).id for i in instytucje))
    if not present:
        present = sorted(delegated)
    added = [i for i in present if i not in delegated]
    with db.atomic():
        for institution in added:
            db.execute(
                "INSERT INTO zzk_instytucje (zzk, instytucja) VALUES (:z, :i)",
                {"z": found.id, "i": institution},
            )
        db.execute(
            "INSERT OR IGNORE INTO zzk_spotkania (zzk, data, utworzono) VALUES (:z, :d, :t)",
            {"z": found.id, "d": day, "t": now()},
        )
        meeting = db.execute(
            "SELECT id FROM zzk_spotkania WHERE zzk = :z AND data = :d", {"z": found.id, "d": day}
        ).fetchone()[0]
        db.execute(
            "DELETE FROM zzk_obecnosci WHERE spotkanie = :s AND instytucja NOT IN "
            "(SELECT value FROM json_each(:ids))",
            {"s": meeting, "ids": _json(present)},
        )
        for institution in present:
            db.execute(
                "INSERT OR IGNORE INTO zzk_obecnosci (spotkanie, instytucja) VALUES (:s, :i)",
                {"s": meeting, "i": institution},
            )
    names = {i: institutions.get(db, i).nazwa for i in present}
    return TaskTeamMeeting(
        zzk=task_teams.get(db, found.id),
        data=day,
        obecne=tuple(sorted(names.values(), key=polish_key)),
        nowo_delegowane=tuple(sorted((names[i] for i in added), key=polish_key)),
    )


def remove(db: Database, ref: str, *, data: str) -> TaskTeam:
    """Delete the meeting of that day recorded by mistake (with its attendance)."""
    found = task_teams.resolve(db, ref)
    day = parse_event_date(data).isoformat()
    with db.atomic():
        gone = db.execute(
            "DELETE FROM zzk_spotkania WHERE zzk = :z AND data = :d", {"z": found.id, "d": day}
        ).rowcount
    if not gone:
        raise NotFound(
            f"{found.kod} nie ma spotkania {polish_date(day)}. Daty spotkań pokaże: "
            f"kooperacje zzk pokaz {found.id}."
        )
    return task_teams.get(db, found.id)


def _json(values: list[int]) -> str:
    import json

    return json.dumps(values)
