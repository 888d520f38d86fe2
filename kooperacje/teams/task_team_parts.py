"""What a task team (ZZK) is made of: categories, delegated institutions and staff, basket
services used. Each part is a row of its own table, so each addition and removal is in the
history; every function here takes the id of an existing task team."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kooperacje.errors import Ambiguous, Conflict, InvalidInput, NotFound
from kooperacje.register import institutions, persons
from kooperacje.register.vocab import SERVICE_AREAS, TARGET_GROUPS
from kooperacje.text import fold, polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class Parts:
    """Parts to add to or remove from a task team, as the user typed them."""

    grupy: Sequence[str] = ()
    obszary: Sequence[str] = ()
    instytucje: Sequence[str] = ()
    osoby: Sequence[str] = ()
    uslugi: Sequence[str] = ()

    def __bool__(self) -> bool:
        return any((self.grupy, self.obszary, self.instytucje, self.osoby, self.uslugi))


@dataclass(frozen=True)
class _Resolved:
    """Parts as codes and ids; a delegated person brings their institution along."""

    grupy: tuple[str, ...] = ()
    obszary: tuple[str, ...] = ()
    instytucje: tuple[int, ...] = ()
    osoby: tuple[int, ...] = ()
    uslugi: tuple[int, ...] = ()
    instytucje_osob: dict[int, int] = field(default_factory=dict)  # person -> institution


@dataclass(frozen=True)
class Delegation:
    """A delegated institution and the staff members it delegated."""

    instytucja: int
    nazwa: str
    skrot: str | None
    sektor: str
    osoby: tuple[str, ...]  # "Anna Nowak (pedagog szkolny)"

    @property
    def etykieta(self) -> str:
        return f"{self.nazwa} ({self.skrot})" if self.skrot else self.nazwa


@dataclass(frozen=True)
class UsedService:
    """A basket service the task team used."""

    usluga: int
    nazwa: str
    instytucja_nazwa: str
    obszar_nazwa: str


@dataclass(frozen=True)
class Composition:
    """Every part of one task team, with the labels a user reads (Polish order)."""

    grupy: tuple[str, ...]
    obszary: tuple[str, ...]
    instytucje: tuple[Delegation, ...]
    uslugi: tuple[UsedService, ...]

    def labels(self) -> dict[str, str | None]:
        """Each part as one line of text, to report what an edit changed."""
        people = [p for d in self.instytucje for p in d.osoby]
        values = {
            "grupy": ", ".join(self.grupy),
            "obszary": ", ".join(self.obszary),
            "instytucje": "; ".join(d.etykieta for d in self.instytucje),
            "osoby": "; ".join(people),
            "uslugi": "; ".join(f"{u.nazwa} ({u.instytucja_nazwa})" for u in self.uslugi),
        }
        return {k: v or None for k, v in values.items()}


def _service(db: Database, text: str) -> int:
    """A service by number or unique name (the basket's own lookup is a layer above)."""
    value = text.strip()
    if value.isdigit():
        rows = list(db.query("SELECT id FROM uslugi WHERE id = :id", {"id": int(value)}))
        if not rows:
            raise NotFound(
                f"nie ma usługi o numerze {value}. Sprawdź numer poleceniem: "
                "kooperacje uslugi lista."
            )
        return int(rows[0]["id"])
    rows = list(
        db.query(
            "SELECT u.id, u.nazwa, i.nazwa AS instytucja FROM uslugi u "
            "JOIN instytucje i ON i.id = u.instytucja WHERE pl_fold(u.nazwa) = :n ORDER BY u.id",
            {"n": fold(value)},
        )
    )
    if len(rows) == 1:
        return int(rows[0]["id"])
    if not rows:
        raise NotFound(
            f'nie znaleziono usługi "{value}". Sprawdź numer poleceniem: kooperacje uslugi lista.'
        )
    listing = "; ".join(f"{r['id']}: {r['nazwa']} ({r['instytucja']})" for r in rows)
    raise Ambiguous(f'usługa "{value}" jest niejednoznaczna: {listing}. Podaj numer usługi.')


def _unique(values: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(dict.fromkeys(values))


def resolve(
    db: Database, parts: Parts, context: institutions.Context = institutions.NO_CONTEXT
) -> _Resolved:
    """Codes and ids of the parts; any unknown one is an error before anything is written.
    Institutions are looked for first in the context (the task team's PZK)."""
    people = [persons.resolve(db, p) for p in parts.osoby]
    return _Resolved(
        grupy=_unique([TARGET_GROUPS.parse(g) for g in parts.grupy]),
        obszary=_unique([SERVICE_AREAS.parse(o) for o in parts.obszary]),
        instytucje=_unique([institutions.resolve(db, i, context).id for i in parts.instytucje]),
        osoby=_unique([p.id for p in people]),
        uslugi=_unique([_service(db, u) for u in parts.uslugi]),
        instytucje_osob={p.id: p.instytucja for p in people},
    )


def attach(db: Database, zzk_id: int, parts: _Resolved) -> None:
    """Add the parts (those already there stay as they are). Inside the caller's transaction."""
    rows: list[tuple[str, str, Sequence[Any]]] = [
        ("zzk_grupy", "grupa", parts.grupy),
        ("zzk_obszary", "obszar", parts.obszary),
        (
            "zzk_instytucje",
            "instytucja",
            _unique([*parts.instytucje, *parts.instytucje_osob.values()]),
        ),
        ("zzk_osoby", "osoba", parts.osoby),
        ("zzk_uslugi", "usluga", parts.uslugi),
    ]
    for table, column, values in rows:
        for value in values:
            db.execute(
                f"INSERT OR IGNORE INTO {table} (zzk, {column}) VALUES (:z, :v)",
                {"z": zzk_id, "v": value},
            )


def detach(db: Database, zzk_id: int, parts: _Resolved) -> None:
    """Remove the parts; an institution with delegated staff or meeting attendance stays."""
    params: dict[str, Any] = {"z": zzk_id}
    for institution in parts.instytucje:
        params["i"] = institution
        # Staff removed in the same edit no longer hold the institution in the team.
        staff = [
            r["imie_nazwisko"]
            for r in db.query(
                "SELECT zo.osoba, o.imie_nazwisko FROM zzk_osoby zo "
                "JOIN osoby o ON o.id = zo.osoba WHERE zo.zzk = :z AND o.instytucja = :i",
                params,
            )
            if r["osoba"] not in parts.osoby
        ]
        if staff:
            raise Conflict(
                f"instytucja nr {institution} delegowała do tego ZZK: {', '.join(staff)}. "
                "Wycofaj najpierw te osoby (--bez-osoby) albo zostaw instytucję."
            )
        met = [
            r["data"]
            for r in db.query(
                "SELECT s.data FROM zzk_obecnosci o JOIN zzk_spotkania s ON s.id = o.spotkanie "
                "WHERE s.zzk = :z AND o.instytucja = :i ORDER BY s.data",
                params,
            )
        ]
        if met:
            raise Conflict(
                f"instytucja nr {institution} była obecna na spotkaniach tego ZZK "
                f"({', '.join(met)}). Popraw najpierw listy obecności: kooperacje zzk spotkanie "
                "… --data D z właściwymi instytucjami."
            )
    for table, column, values in (
        ("zzk_grupy", "grupa", parts.grupy),
        ("zzk_obszary", "obszar", parts.obszary),
        ("zzk_osoby", "osoba", parts.osoby),
        ("zzk_instytucje", "instytucja", parts.instytucje),
        ("zzk_uslugi", "usluga", parts.uslugi),
    ):
        for value in values:
            db.execute(
                f"DELETE FROM {table} WHERE zzk = :z AND {column} = :v", {"z": zzk_id, "v": value}
            )


def check_not_empty(db: Database, zzk_id: int) -> None:
    """A task team names at least one delegated institution."""
    count = db.execute("SELECT count(*) FROM zzk_instytucje WHERE zzk = :z", {"z": zzk_id})
    if not count.fetchone()[0]:
        raise InvalidInput(
            "ZZK musi mieć co najmniej jedną delegowaną instytucję. Podaj ją opcją --instytucja "
            "(albo wskaż pracownika opcją --osoba)."
        )


def composition(db: Database, zzk_id: int) -> Composition:
    """Every part of the task team, with labels."""
    params = {"z": zzk_id}
    groups = [
        r["nazwa"]
        for r in db.query(
            "SELECT g.nazwa FROM zzk_grupy zg JOIN grupy_docelowe g ON g.kod = zg.grupa "
            "WHERE zg.zzk = :z ORDER BY g.kolejnosc",
            params,
        )
    ]
    areas = [
        r["nazwa"]
        for r in db.query(
            "SELECT o.nazwa FROM zzk_obszary zo JOIN obszary_uslug o ON o.kod = zo.obszar "
            "WHERE zo.zzk = :z ORDER BY o.kolejnosc",
            params,
        )
    ]
    staff: dict[int, list[str]] = {}
    for r in db.query(
        "SELECT o.instytucja, o.imie_nazwisko, o.stanowisko FROM zzk_osoby zo "
        "JOIN osoby o ON o.id = zo.osoba WHERE zo.zzk = :z",
        params,
    ):
        label = r["imie_nazwisko"] + (f" ({r['stanowisko']})" if r["stanowisko"] else "")
        staff.setdefault(r["instytucja"], []).append(label)
    delegated = sorted(
        (
            Delegation(
                instytucja=r["id"],
                nazwa=r["nazwa"],
                skrot=r["skrot"],
                sektor=r["sektor"],
                osoby=tuple(sorted(staff.get(r["id"], []), key=polish_key)),
            )
            for r in db.query(
                # A delegated person moved to another institution still shows, with it.
                "SELECT i.id, i.nazwa, i.skrot, i.sektor FROM instytucje i WHERE i.id IN "
                "(SELECT instytucja FROM zzk_instytucje WHERE zzk = :z UNION "
                "SELECT o.instytucja FROM zzk_osoby zo JOIN osoby o ON o.id = zo.osoba "
                "WHERE zo.zzk = :z)",
                params,
            )
        ),
        key=lambda d: (polish_key(d.nazwa), d.instytucja),
    )
    services = sorted(
        (
            UsedService(**r)
            for r in db.query(
                "SELECT u.id AS usluga, u.nazwa, i.nazwa AS instytucja_nazwa, "
                "o.nazwa AS obszar_nazwa FROM zzk_uslugi zu JOIN uslugi u ON u.id = zu.usluga "
                "JOIN instytucje i ON i.id = u.instytucja "
                "JOIN obszary_uslug o ON o.kod = u.obszar WHERE zu.zzk = :z",
                params,
            )
        ),
        key=lambda u: (polish_key(u.nazwa), u.usluga),
    )
    return Composition(tuple(groups), tuple(areas), tuple(delegated), tuple(services))
