"""Representatives of institutions: staff work contacts only (personal data under GDPR)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kooperacje.errors import Ambiguous, Conflict, InvalidInput, NotFound
from kooperacje.register import institutions, teryt, validate
from kooperacje.store import changes
from kooperacje.store.changes import Change
from kooperacje.store.db import now
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
    """Delete people and every trace of their personal data: attendance rows keep the
    institution but lose the person, a declaration they signed loses the signatory's
    name, and the history keeps only a note that an erasure took place and when."""

    if not ids:
        return
    params = {"ids": json.dumps(ids)}
    people = list(
        db.query(
            "SELECT id, imie_nazwisko, telefon, email FROM osoby "
            "WHERE id IN (SELECT value FROM json_each(:ids))",
            params,
        )
    )
    with db.atomic():
        # Attendance stays as the institution's: one anonymous row per meeting replaces the
        # person's rows (letting the foreign key null them could duplicate such a row).
        db.execute(
            """
            INSERT OR IGNORE INTO obecnosci (spotkanie, instytucja, osoba, status)
            SELECT DISTINCT spotkanie, instytucja, NULL, status FROM obecnosci
            WHERE osoba IN (SELECT value FROM json_each(:ids))
            """,
            params,
        )
        db.execute(
            "DELETE FROM obecnosci WHERE osoba IN (SELECT value FROM json_each(:ids))", params
        )
        for person in people:
            db.execute(
                "UPDATE deklaracje SET podpisal = NULL WHERE pl_fold(podpisal) = :n",
                {"n": fold(person["imie_nazwisko"])},
            )
        db.execute("DELETE FROM osoby WHERE id IN (SELECT value FROM json_each(:ids))", params)
        _erase_history(db, ids, people, now())


def _erase_history(db: Database, ids: list[int], people: list[dict[str, Any]], stamp: str) -> None:
    params = {"ids": json.dumps(ids)}
    db.execute(
        "DELETE FROM _zmiany WHERE tabela = 'osoby' "
        "AND rekord IN (SELECT value FROM json_each(:ids))",
        params,
    )
    db.table("_zmiany").insert_all(
        {
            "tabela": "osoby",
            "rekord": person_id,
            "pole": "*",
            "stara": None,
            "nowa": None,
            "kiedy": stamp,
            "operacja": "wymazanie",
        }
        for person_id in ids
    )
    # Attendance rows in the history name the person by number only: drop the number.
    for column in ("stara", "nowa"):
        db.execute(
            f"""
            UPDATE _zmiany SET {column} = json_set({column}, '$.osoba', NULL)
            WHERE tabela = 'obecnosci' AND json_valid({column})
              AND json_extract({column}, '$.osoba') IN (SELECT value FROM json_each(:ids))
            """,
            params,
        )
    # Anything else in the history that quotes the name, phone or e-mail (a signatory of a
    # declaration, a contact of a service) loses that value.
    terms = [
        fold(str(value))
        for person in people
        for value in (person["imie_nazwisko"], person["telefon"], person["email"])
        if value
    ]
    for term in terms:
        for column in ("stara", "nowa"):
            db.execute(
                f"UPDATE _zmiany SET {column} = NULL WHERE instr(pl_fold({column}), :t) > 0",
                {"t": term},
            )


def remove(db: Database, ref: str) -> Person:
    """Delete a representative and erase their personal data (see erase)."""
    person = resolve(db, ref)
    erase(db, [person.id])
    return person
