"""Erasing a staff member's personal data on request: exact (by identity), complete (every
column where it can sit, the search index, the history) and touching no one else's data.

What counts as the person's data is decided by structure, never by a fragment of text:
their own record (by number), attendance rows pointing at them (by number), and in the
fields of other records that hold people's names and contacts, only their own name,
e-mail and phone, as whole values. A value someone else also has is not only theirs: a
phone or e-mail that is an institution's own (the switchboard) is the institution's, and
a name or contact another person shares counts as theirs only in their own institution's
records. The right of access lists the same traces (`traces`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kooperacje.store.db import now
from kooperacje.store.erasure_history import (
    PERSON_FIELDS,
    HistoryTrace,
    history_traces,
    json_record,
)
from kooperacje.store.personal_values import Finder, Value, same, words

if TYPE_CHECKING:
    from sqlite_utils import Database

# Tables whose rows carry the time of their last edit.
_STAMPED = ("uslugi", "spotkania", "instytucje", "zzk")
_KINDS = ("imie_nazwisko", "email", "telefon")
# The fields of a service in its full-text index.
_INDEXED = ("opis", "kryteria")


@dataclass(frozen=True)
class Person:
    """The record of the person to erase."""

    id: int
    uuid: str
    imie_nazwisko: str
    stanowisko: str | None
    telefon: str | None
    email: str | None
    instytucja: int


@dataclass(frozen=True)
class Trace:
    """A field of another record holding the person's data, and what erasure leaves there."""

    tabela: str
    rekord: int
    pole: str
    wartosc: str
    po_usunieciu: str | None


@dataclass(frozen=True)
class Traces:
    """Everything erasure of one person touches besides their own record and its history."""

    osoba: Person
    obecnosci: tuple[int, ...]  # ids of attendance rows naming the person
    pola: tuple[Trace, ...]
    historia: tuple[HistoryTrace, ...]


def person(db: Database, person_id: int) -> Person | None:
    """The person's record, or None."""
    rows = list(
        db.query(
            "SELECT id, uuid, imie_nazwisko, stanowisko, telefon, email, instytucja FROM osoby "
            "WHERE id = :id",
            {"id": person_id},
        )
    )
    return Person(**rows[0]) if rows else None


def _own_values(db: Database, subject: Person) -> list[tuple[str, str]]:
    """The person's name, e-mail and phone, now and as their own history records them
    (a declaration signed before a change of name carries the former name)."""
    found: list[tuple[str, str]] = []

    def add(kind: str, text: object) -> None:
        if not isinstance(text, str) or not text.strip():
            return
        if not any(k == kind and same(kind, t, text) for k, t in found):
            found.append((kind, text))

    for kind in _KINDS:
        add(kind, getattr(subject, kind))
    for field, old, new in db.execute(
        "SELECT pole, stara, nowa FROM _zmiany WHERE tabela = 'osoby' AND rekord = :id ORDER BY id",
        {"id": subject.id},
    ):
        if field == "*":
            for snapshot in (json_record(old), json_record(new)):
                for kind in _KINDS:
                    add(kind, (snapshot or {}).get(kind))
        elif field in _KINDS:
            add(field, old)
            add(field, new)
    return found


def finder(db: Database, subject: Person, leaving: Iterable[int] = ()) -> Finder:
    """What counts as the person's own values, given everyone who stays (all but leaving)."""
    gone = {subject.id, *leaving}
    others = [
        row | {"slowa": words(row["imie_nazwisko"])}
        for row in db.query("SELECT id, instytucja, imie_nazwisko, telefon, email FROM osoby")
        if row["id"] not in gone
    ]
    institutions = list(db.query("SELECT telefon, email FROM instytucje"))
    values: list[Value] = []
    for kind, text in _own_values(db, subject):
        if kind != "imie_nazwisko" and any(same(kind, text, i[kind]) for i in institutions):
            continue  # the institution's own number or address, not the person's
        if kind == "imie_nazwisko":
            own = words(text)
            holders = [o for o in others if o["slowa"] == own]
        else:
            holders = [o for o in others if same(kind, text, o[kind])]
        if any(h["instytucja"] == subject.instytucja for h in holders):
            continue
        values.append(Value(kind, text, subject.instytucja if holders else None))
    shortest = min((len(words(v.text)) for v in values if v.kind == "imie_nazwisko"), default=0)
    longer = [o["imie_nazwisko"] for o in others if len(o["slowa"]) > shortest]
    return Finder(values, longer)


def _record_traces(db: Database, find: Finder) -> list[Trace]:
    found: list[Trace] = []
    for table, (owner, fields) in PERSON_FIELDS.items():
        probe = " || char(10) || ".join(f"coalesce(\"{f}\", '')" for f in fields)
        candidates = [
            int(row[0])
            for row in db.execute(f'SELECT id, {probe} FROM "{table}"')
            if row[1].strip() and find.might_hold(row[1])
        ]
        if not candidates:
            continue
        columns = ", ".join(f'"{f}"' for f in fields)
        rows = db.execute(
            f'SELECT id, {owner or "NULL"}, {columns} FROM "{table}" '
            "WHERE id IN (SELECT value FROM json_each(:ids)) ORDER BY id",
            {"ids": json.dumps(candidates)},
        )
        for row in rows:
            for field, value in zip(fields, row[2:], strict=True):
                if isinstance(value, str):
                    after = find.scrub(value, row[1])
                    if after != value:
                        found.append(Trace(table, int(row[0]), field, value, after))
    return found


def traces(db: Database, subject: Person) -> Traces:
    """Where the person's data is, besides their own record and its history."""
    find = finder(db, subject)
    attendance = tuple(
        int(row[0])
        for row in db.execute(
            "SELECT id FROM obecnosci WHERE osoba = :id ORDER BY id", {"id": subject.id}
        )
    )
    return Traces(
        subject,
        attendance,
        tuple(_record_traces(db, find)),
        tuple(history_traces(db, subject.id, find)),
    )


def _apply_records(db: Database, subject: Person, found: list[Trace], stamp: str) -> bool:
    """Returns whether a field of the search index changed."""
    # Attendance stays as the institution's: one anonymous row per meeting replaces the
    # person's rows (letting the foreign key null them could duplicate such a row).
    params = {"id": subject.id}
    db.execute(
        "INSERT OR IGNORE INTO obecnosci (spotkanie, instytucja, osoba, status) "
        "SELECT DISTINCT spotkanie, instytucja, NULL, status FROM obecnosci WHERE osoba = :id",
        params,
    )
    db.execute("DELETE FROM obecnosci WHERE osoba = :id", params)
    by_record: dict[tuple[str, int], dict[str, str | None]] = defaultdict(dict)
    for trace in found:
        by_record[(trace.tabela, trace.rekord)][trace.pole] = trace.po_usunieciu
    for (table, record), values in by_record.items():
        assignments = ", ".join(f'"{name}" = :{name}' for name in values)
        if table in _STAMPED:
            assignments += ", zmieniono = :_kiedy"
        db.execute(
            f'UPDATE "{table}" SET {assignments} WHERE id = :_id',
            {**values, "_id": record, "_kiedy": stamp},
        )
    return any(t.tabela == "uslugi" and t.pole in _INDEXED for t in found)


def _apply_history(db: Database, found: list[HistoryTrace]) -> None:
    for entry in found:
        db.execute(
            "UPDATE _zmiany SET stara = :stara, nowa = :nowa WHERE id = :id",
            {"stara": entry.stara, "nowa": entry.nowa, "id": entry.id},
        )


def _last_entry(db: Database) -> int:
    return int(db.execute("SELECT coalesce(max(id), 0) FROM _zmiany").fetchone()[0])


def erase(db: Database, ids: Iterable[int]) -> list[Person]:
    """Delete the people and every trace of their personal data (see the module's notes).
    The history keeps, for each record touched, only a note that the data was erased and
    when; the erasure log keeps each person's UUID and the time. Runs inside the caller's
    transaction if there is one; call store.db.checkpoint after it commits."""
    wanted = list(dict.fromkeys(ids))
    people = [p for p in (person(db, i) for i in wanted) if p is not None]
    if not people:
        return []
    finders = {p.id: finder(db, p, wanted) for p in people}
    stamp = now()
    with db.atomic():
        mark = _last_entry(db)
        indexed = False
        for subject in people:
            find = finders[subject.id]
            indexed |= _apply_records(db, subject, _record_traces(db, find), stamp)
            _apply_history(db, history_traces(db, subject.id, find, upto=mark))
        erased = json.dumps([p.id for p in people])
        db.execute(
            "DELETE FROM osoby WHERE id IN (SELECT value FROM json_each(:ids))", {"ids": erased}
        )
        _notes(db, mark, erased)
        db.conn.executemany(
            "INSERT OR IGNORE INTO _wymazania (uuid, kiedy) VALUES (?, ?)",
            [(p.uuid, stamp) for p in people],
        )
        if indexed:
            # Text replaced in the search index stays in its older segments until they merge.
            db.execute("INSERT INTO uslugi_fts (uslugi_fts) VALUES ('optimize')")
    return people


def _notes(db: Database, mark: int, erased: str) -> None:
    """What the history keeps of the erasure itself: the triggers recorded the old values
    of everything it changed; they become notes without values."""
    params = {"mark": mark, "ids": erased}
    db.execute(
        "DELETE FROM _zmiany WHERE tabela = 'osoby' AND id <= :mark "
        "AND rekord IN (SELECT value FROM json_each(:ids))",
        params,
    )
    db.execute(
        "UPDATE _zmiany SET stara = NULL, nowa = NULL, operacja = 'wymazanie' "
        "WHERE id > :mark AND tabela != 'obecnosci'",
        params,
    )
    # The attendance rows that named the person: a note with the row, the person left out.
    db.execute(
        "UPDATE _zmiany SET operacja = 'wymazanie', stara = json_set(stara, '$.osoba', NULL) "
        "WHERE id > :mark AND tabela = 'obecnosci' AND operacja = 'usuniecie' "
        "AND json_extract(stara, '$.osoba') IN (SELECT value FROM json_each(:ids))",
        params,
    )
    # A task team's delegation of the person (deleted with them) keeps no link to them in
    # its earlier history either.
    for column in ("stara", "nowa"):
        db.execute(
            f"UPDATE _zmiany SET {column} = json_set({column}, '$.osoba', NULL) "
            f"WHERE tabela = 'zzk_osoby' AND json_valid({column}) "
            f"AND json_extract({column}, '$.osoba') IN (SELECT value FROM json_each(:ids))",
            params,
        )


def log(db: Database) -> list[tuple[str, str]]:
    """The erasure log: (uuid, when), oldest first."""
    return [
        (str(r[0]), str(r[1])) for r in db.execute("SELECT uuid, kiedy FROM _wymazania ORDER BY id")
    ]
