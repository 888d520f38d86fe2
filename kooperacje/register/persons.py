"""Representatives of institutions: staff work contacts only (personal data under GDPR)."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kooperacje.errors import Ambiguous, Conflict, InvalidInput, NotFound
from kooperacje.register import institutions, teryt, validate
from kooperacje.store import backup, changes, erasure
from kooperacje.store.changes import Change
from kooperacje.store.db import checkpoint, now
from kooperacje.text import fold, polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class Person:
    """A representative of an institution."""

    id: int
    uuid: str
    imie_nazwisko: str
    stanowisko: str | None
    telefon: str | None
    email: str | None
    instytucja: int
    instytucja_nazwa: str

    @property
    def label(self) -> str:
        """'Anna Nowak (nr 4, Powiatowe Centrum Pomocy Rodzinie w Radomsku)'."""
        return f"{self.imie_nazwisko} (nr {self.id}, {self.instytucja_nazwa})"


@dataclass(frozen=True)
class PersonEdit:
    """The result of an edit: the person as they are now and what changed."""

    osoba: Person
    zmiany: tuple[Change, ...]


SELECT = """
    SELECT o.id, o.uuid, o.imie_nazwisko, o.stanowisko, o.telefon, o.email,
           o.instytucja, i.nazwa AS instytucja_nazwa
    FROM osoby o
    JOIN instytucje i ON i.id = o.instytucja
"""

FIELDS = ("imie_nazwisko", "stanowisko", "telefon", "email", "instytucja")


def _person(row: dict[str, Any]) -> Person:
    return Person(**row)


def sort_key(person: Person) -> tuple[Any, ...]:
    """Polish lists of people go by surname (the last word), then the full name."""
    words = person.imie_nazwisko.split()
    return (polish_key(words[-1] if words else ""), polish_key(person.imie_nazwisko), person.id)


def _sorted(people: Iterable[Person]) -> list[Person]:
    return sorted(people, key=sort_key)


def get(db: Database, person_id: int) -> Person:
    """The person with this id."""
    rows = list(db.query(SELECT + " WHERE o.id = :id", {"id": person_id}))
    if not rows:
        raise NotFound(
            f"nie ma osoby o numerze {person_id}. Sprawdź numer poleceniem: kooperacje osoby lista."
        )
    return _person(rows[0])


def resolve(db: Database, text: str) -> Person:
    """A person by id or by unique name (case/diacritics-insensitive; a unique fragment of
    the name is enough)."""
    value = text.strip()
    if not value:
        raise InvalidInput("podaj osobę: jej numer albo imię i nazwisko.")
    if value.isdigit():
        return get(db, int(value))
    folded = fold(value)
    rows = list(db.query(SELECT + " WHERE pl_fold(o.imie_nazwisko) = :n", {"n": folded}))
    if not rows:
        rows = list(
            db.query(SELECT + " WHERE pl_fold(o.imie_nazwisko) LIKE :p", {"p": f"%{folded}%"})
        )
    found = _sorted(_person(r) for r in rows)
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFound(
            f'nie znaleziono osoby "{value}". Sprawdź poleceniem: kooperacje osoby lista.'
        )
    listing = "; ".join(f"{p.id}: {p.imie_nazwisko} ({p.instytucja_nazwa})" for p in found[:10])
    more = f" i {len(found) - 10} innych" if len(found) > 10 else ""
    raise Ambiguous(f'osoba "{value}" jest niejednoznaczna: {listing}{more}. Podaj numer osoby.')


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
_MAX_ID = 2**63 - 1


def _candidates(people: Iterable[Person]) -> str:
    found = _sorted(people)
    listing = "; ".join(f"{p.id}: {p.imie_nazwisko} ({p.instytucja_nazwa})" for p in found[:10])
    more = f" i {len(found) - 10} innych" if len(found) > 10 else ""
    return listing + more


def resolve_exact(db: Database, text: str) -> Person:
    """A person by number, UUID or whole name (case/diacritics-insensitive), never by a
    fragment: for erasure and the right of access, where the wrong person must never be
    picked. A name that several people share is refused with their numbers."""
    value = text.strip()
    if not value:
        raise InvalidInput("podaj osobę: jej numer, UUID albo pełne imię i nazwisko.")
    if value.isdigit():
        if int(value) > _MAX_ID:
            raise NotFound(
                f"nie ma osoby o numerze {value}. Sprawdź numer poleceniem: kooperacje osoby lista."
            )
        return get(db, int(value))
    if _UUID.fullmatch(value):
        rows = list(db.query(SELECT + " WHERE o.uuid = :u", {"u": value.lower()}))
        if not rows:
            raise NotFound(f"nie ma osoby o UUID {value}. Sprawdź: kooperacje osoby lista -f json.")
        return _person(rows[0])
    folded = fold(value)
    found = [
        _person(r) for r in db.query(SELECT + " WHERE pl_fold(o.imie_nazwisko) = :n", {"n": folded})
    ]
    if len(found) == 1:
        return found[0]
    if found:
        raise Ambiguous(
            f'osobę "{value}" nosi kilka osób: {_candidates(found)}. Podaj numer osoby.'
        )
    similar = (
        [
            _person(r)
            for r in db.query(
                SELECT + " WHERE pl_fold(o.imie_nazwisko) LIKE :p", {"p": f"%{_like(folded)}%"}
            )
        ]
        if len(folded) >= 3
        else []
    )
    hint = f" Podobne: {_candidates(similar)}." if similar else ""
    raise NotFound(
        f'nie ma osoby o imieniu i nazwisku "{value}".{hint} Podaj numer osoby, jej UUID '
        "albo pełne imię i nazwisko (kooperacje osoby lista)."
    )


def _like(text: str) -> str:
    return text.replace("%", "").replace("_", "")


def _name(value: str) -> str:
    text = validate.clean(value)
    if not text:
        raise InvalidInput('imię i nazwisko nie mogą być puste. Podaj je, np. "Anna Nowak".')
    if len(text) > 200:
        raise InvalidInput(
            f"imię i nazwisko są za długie ({len(text)} znaków, najwyżej 200). Skróć je."
        )
    if not any(ch.isalpha() for ch in text):
        raise InvalidInput(f'"{text}" nie wygląda na imię i nazwisko. Podaj je literami.')
    return text


def _position(value: str | None) -> str | None:
    text = validate.clean(value)
    if text is not None and len(text) > 200:
        raise InvalidInput(
            f"nazwa stanowiska jest za długa ({len(text)} znaków, najwyżej 200). Skróć ją."
        )
    return text


def _validated(
    db: Database,
    fields: dict[str, str | None],
    where: institutions.Context = institutions.NO_CONTEXT,
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, raw in fields.items():
        if name not in FIELDS:
            raise TypeError(f"unknown person field: {name}")
        if raw is None:
            continue
        if name == "imie_nazwisko":
            values[name] = _name(raw)
        elif name == "instytucja":
            values[name] = institutions.resolve(db, raw, where).id
        elif name == "stanowisko":
            values[name] = _position(raw)
        elif name == "telefon":
            values[name] = validate.phone(raw)
        else:
            values[name] = validate.email(raw)
    return values


def _check_unique(db: Database, name: str, institution_id: int, own_id: int | None) -> None:
    rows = list(
        db.query(
            SELECT + " WHERE o.instytucja = :i AND pl_fold(o.imie_nazwisko) = :n AND o.id != :own",
            {"i": institution_id, "n": fold(name), "own": -1 if own_id is None else own_id},
        )
    )
    if rows:
        other = _person(rows[0])
        raise Conflict(
            f"osoba {other.label} jest już zapisana jako przedstawiciel tej instytucji. "
            f"Zmiany wprowadź poleceniem: kooperacje osoby edytuj {other.id}."
        )


def add(
    db: Database,
    *,
    imie_nazwisko: str,
    instytucja: str,
    stanowisko: str | None = None,
    telefon: str | None = None,
    email: str | None = None,
    gmina: str | None = None,
) -> Person:
    """Record a representative of an institution (given by id, name or short name, looked
    for first in `gmina` when given)."""

    values = _validated(
        db,
        {
            "imie_nazwisko": imie_nazwisko,
            "instytucja": instytucja,
            "stanowisko": stanowisko,
            "telefon": telefon,
            "email": email,
        },
        institutions.gmina_context(db, gmina),
    )
    _check_unique(db, values["imie_nazwisko"], values["instytucja"], None)
    stamp = now()
    row = {
        "uuid": str(uuid.uuid4()),
        "stanowisko": None,
        "telefon": None,
        "email": None,
        **values,
        "utworzono": stamp,
        "zmieniono": stamp,
    }
    new_id = db.table("osoby").insert(row).last_rowid
    assert new_id is not None
    return get(db, new_id)


def list_(db: Database, *, instytucja: str | None = None, gmina: str | None = None) -> list[Person]:
    """Representatives, by surname; optionally of one institution or of the institutions
    seated in one gmina."""

    where = ["1 = 1"]
    params: dict[str, Any] = {}
    if instytucja is not None:
        context = institutions.gmina_context(db, gmina)
        params["i"] = institutions.resolve(db, instytucja, context).id
        where.append("o.instytucja = :i")
    if gmina is not None:
        params["g"] = teryt.resolve_gmina(db, gmina).kod
        where.append("i.gmina = :g")
    return _sorted(_person(r) for r in db.query(SELECT + " WHERE " + " AND ".join(where), params))


def for_institutions(db: Database, ids: list[int]) -> dict[int, list[Person]]:
    """Representatives of each given institution (every id is a key), in one query."""
    result: dict[int, list[Person]] = {i: [] for i in ids}
    rows = db.query(
        SELECT + " WHERE o.instytucja IN (SELECT value FROM json_each(:ids))",
        {"ids": json.dumps(ids)},
    )
    for person in _sorted(_person(r) for r in rows):
        result[person.instytucja].append(person)
    return result


def _display(db: Database, field: str, value: Any) -> str | None:
    if value is None:
        return None
    if field == "instytucja":
        return institutions.get(db, int(value)).label
    return str(value)


def apply_edit(db: Database, ref: str, **fields: str | None) -> PersonEdit:
    """Change the given fields (raw input; None leaves a field, "" clears an optional one);
    every change is logged in `_zmiany`."""

    person = resolve(db, ref)
    # Moved to another institution: one of the same gmina is looked for first.
    seat = institutions.get(db, person.instytucja).gmina
    values = _validated(db, fields, institutions.gmina_context(db, seat))
    if not values:
        return PersonEdit(osoba=person, zmiany=())
    current = {name: getattr(person, name) for name in FIELDS}
    merged = current | values
    _check_unique(db, merged["imie_nazwisko"], merged["instytucja"], person.id)
    changed = changes.update(db, "osoby", person.id, values)
    return PersonEdit(
        osoba=get(db, person.id) if changed else person,
        zmiany=tuple(
            Change(name, _display(db, name, current[name]), _display(db, name, changed[name]))
            for name in FIELDS
            if name in changed
        ),
    )


def edit(db: Database, ref: str, **fields: str | None) -> Person:
    """Change the given fields (see apply_edit); returns the person as they are now."""
    return apply_edit(db, ref, **fields).osoba


def erase(db: Database, ids: list[int]) -> None:
    """Delete people and every trace of their personal data (store.erasure): attendance
    rows keep the institution but lose the person, services and declarations lose their
    name and contacts, and the history keeps only a note that an erasure took place."""
    erasure.erase(db, ids)


@dataclass(frozen=True)
class ErasurePlan:
    """Who would be erased and how many records besides their own hold their data."""

    osoba: Person
    obecnosci: int
    rekordy: int
    wpisy_historii: int


@dataclass(frozen=True)
class Erased:
    """A finished erasure: who, the backups that still hold them (or may), and whether the
    write-ahead log could be emptied (another process may hold the database open)."""

    osoba: Person
    kopie: tuple[backup.BackupFile, ...]
    wyczyszczono_dziennik: bool


def erasure_plan(db: Database, ref: str) -> ErasurePlan:
    """The person given exactly (see resolve_exact) and what erasing them touches."""
    person = resolve_exact(db, ref)
    subject = erasure.person(db, person.id)
    assert subject is not None
    found = erasure.traces(db, subject)
    return ErasurePlan(
        person,
        len(found.obecnosci),
        len({(t.tabela, t.rekord) for t in found.pola}),
        len(found.historia),
    )


def remove(db: Database, person_id: int) -> Erased:
    """Delete a representative and erase their personal data (see erase), then empty the
    write-ahead log; list the backups that still hold them."""
    person = get(db, person_id)
    erase(db, [person.id])
    emptied = checkpoint(db)
    return Erased(person, tuple(backup.holding(db, person.uuid)), emptied)
