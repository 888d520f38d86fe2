"""The demo data: read from the package and fed through the domain functions the commands
use, so it is validated exactly like user input. Entries refer to each other by a `klucz`
(key); the loader turns keys into record ids."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

from kooperacje.basket import service_edits
from kooperacje.errors import InvalidInput
from kooperacje.register import contacts, institutions
from kooperacje.register.institutions import Institution
from kooperacje.teams import (
    agreement_edits,
    attendance,
    declarations,
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

if TYPE_CHECKING:
    from sqlite_utils import Database


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


def load_data() -> dict[str, Any]:
    """The demo data shipped in the package."""
    text = resources.files("kooperacje").joinpath("data", "demo.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def ref(ids: dict[str, int], key: str, what: str) -> str:
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
            partners.append(ref(institution_ids, key, "instytucji") + sep + role)
        fields = {k: v for k, v in item.items() if k not in ("klucz", "lider", "partnerzy")}
        added = project_edits.add(
            db,
            **fields,
            lider=ref(institution_ids, item["lider"], "instytucji") if item.get("lider") else None,
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
                    lider=ref(institution_ids, item["lider"], "instytucji"),
                    projekt=ref(project_ids, item["projekt"], "projektu")
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
            present = [ref(institution_ids, key, "instytucji") for key in item["obecni"]]
            attendance.attend(db, meeting.id, present)
        for item in data["deklaracje"]:
            where = item.get("spotkanie")
            declarations.add(
                db,
                instytucja=ref(institution_ids, item["instytucja"], "instytucji"),
                gmina=item["gmina"],
                data=item["data"],
                rodzaj=item.get("rodzaj", "przystapienie"),
                podpisal=item.get("podpisal"),
                spotkanie=int(ref(meeting_ids, where, "spotkania")) if where else None,
            )
        for item in data.get("regulaminy", []):
            text = resources.files("kooperacje").joinpath("data", item["plik"]).read_text("utf-8")
            rules.add_text(
                db,
                team=teams.for_gmina(db, item["gmina"]),
                tekst=text,
                plik=item["plik"],
                nazwa=item.get("nazwa"),
                spotkanie=int(ref(meeting_ids, item["spotkanie"], "spotkania")),
                uwagi=item.get("uwagi"),
            )
        for item in data.get("porozumienia", []):
            agreement_edits.add(
                db,
                nazwa=item["nazwa"],
                przedmiot=item.get("przedmiot"),
                projekt=ref(project_ids, item["projekt"], "projektu")
                if item.get("projekt")
                else None,
                status=item.get("status"),
                termin_podpisania=item.get("termin"),
                uwagi=item.get("uwagi"),
                strony=[ref(institution_ids, key, "instytucji") for key in item.get("strony", [])],
                jst=item.get("jst", []),
            )
        for item in data["uslugi"]:
            fields = {k: v for k, v in item.items() if k not in ("instytucja", "biuro")}
            if "biuro" in item:
                fields["szczegoly"] = {"biuro": str(ref(office_ids, item["biuro"], "biura"))}
            service_edits.add(
                db, instytucja=ref(institution_ids, item["instytucja"], "instytucji"), **fields
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
            instytucje=[ref(ids, key, "instytucji") for key in item["instytucje"]],
            uslugi=item["uslugi"],
        ),
        uwagi=item.get("uwagi"),
    )
    for meeting in item["spotkania"]:
        present = [ref(ids, key, "instytucji") for key in meeting["obecne"]]
        task_team_meetings.record(db, str(found.id), data=meeting["data"], instytucje=present)
    if "zamkniecie" in item:
        closing = item["zamkniecie"]
        task_teams.close(db, str(found.id), data=closing["data"], wynik=closing["wynik"])


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
