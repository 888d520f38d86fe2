"""The history's part of an erasure: which entries of other records hold a person's data,
found by structure (whole records as JSON, field by field), and what is left of them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kooperacje.store.personal_values import Finder

if TYPE_CHECKING:
    from sqlite_utils import Database

# The fields of other records that may hold a staff member's name, e-mail or phone, and the
# column that says whose record it is (the institution; None: a record of no institution).
PERSON_FIELDS: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "uslugi": (
        "instytucja",
        (
            "kontakt_osoba",
            "kontakt_telefon",
            "kontakt_email",
            "zweryfikowal",
            "kontakt",
            "opis",
            "jak_skorzystac",
            "kryteria",
            "dokumenty",
            "odplatnosc",
            "godziny",
        ),
    ),
    "deklaracje": ("instytucja", ("podpisal", "uwagi")),
    "spotkania": (None, ("tytul", "opis", "ustalenia", "nastepne")),
    "instytucje": ("id", ("uwagi",)),
    # Screened for names and contacts when written (teams.identifying_text); a value put
    # there by another program is still found.
    "zzk": (None, ("uwagi",)),
}


@dataclass(frozen=True)
class HistoryTrace:
    """An entry in the history of another record that holds the person's data: the fields
    and their recorded values (dane), and the entry's values after erasure."""

    id: int
    kiedy: str
    tabela: str
    rekord: int
    operacja: str
    pole: str
    dane: tuple[tuple[str, str], ...]
    stara: str | None
    nowa: str | None


class _Owners:
    """The institution of a record in the history, also of a record deleted since."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.cache: dict[tuple[str, int], int | None] = {}

    def __call__(self, table: str, record: int) -> int | None:
        key = (table, record)
        if key not in self.cache:
            self.cache[key] = self._look_up(table, record)
        return self.cache[key]

    def _look_up(self, table: str, record: int) -> int | None:
        owner = PERSON_FIELDS[table][0]
        if owner is None:
            return None
        row = self.db.execute(
            f'SELECT {owner} FROM "{table}" WHERE id = :id', {"id": record}
        ).fetchone()
        if row is not None:
            return int(row[0])
        for (snapshot,) in self.db.execute(
            "SELECT coalesce(stara, nowa) FROM _zmiany WHERE tabela = :t AND rekord = :r "
            "AND pole = '*' ORDER BY id DESC",
            {"t": table, "r": record},
        ):
            data = json_record(snapshot)
            if data is not None and isinstance(data.get(owner), int):
                return int(data[owner])
        return None


def json_record(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _scrub_record(
    text: str | None, table: str, find: Finder, dane: list[tuple[str, str]]
) -> str | None:
    """A whole record as JSON (a history entry), with the person's values scrubbed."""
    data = json_record(text)
    if data is None:
        return text
    owner, fields = PERSON_FIELDS[table]
    institution = data.get(owner) if owner else None
    changed = False
    for field in fields:
        value = data.get(field)
        if isinstance(value, str):
            after = find.scrub(value, institution if isinstance(institution, int) else None)
            if after != value:
                dane.append((field, value))
                data[field] = after
                changed = True
    if not changed:
        return text
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _attendance_record(text: str | None, person_id: int, dane: list[tuple[str, str]]) -> Any:
    data = json_record(text)
    if data is None or data.get("osoba") != person_id:
        return text
    dane.append(("osoba", str(person_id)))
    data["osoba"] = None
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _probe(fields: tuple[str, ...]) -> str:
    """SQL for the text of an entry that may hold a person's data: the person fields of a
    whole record (one JSON parse per side: a JSON array of their values), or a field's
    values. The rest of a record is never searched."""
    paths = ", ".join(f"'$.{name}'" for name in fields)
    extracted = (
        f"coalesce(json_extract(stara, {paths}), '') || coalesce(json_extract(nowa, {paths}), '')"
    )
    return (
        f"CASE WHEN pole = '*' THEN (CASE WHEN json_valid(coalesce(stara, nowa)) "
        f"THEN {extracted} END) ELSE coalesce(stara, '') || char(10) || coalesce(nowa, '') END"
    )


def _attendance(db: Database, person_id: int, upto: int | None) -> list[HistoryTrace]:
    # Selected in SQL: of the many attendance entries only those naming the person.
    rows = db.execute(
        "SELECT id, kiedy, rekord, operacja, pole, stara, nowa FROM _zmiany "
        "WHERE tabela = 'obecnosci' AND id <= :upto AND ("
        "(pole = '*' AND (json_extract(stara, '$.osoba') = :id "
        "OR json_extract(nowa, '$.osoba') = :id)) "
        "OR (pole = 'osoba' AND (stara = :text OR nowa = :text))) ORDER BY id",
        {"id": person_id, "text": str(person_id), "upto": _upto(upto)},
    ).fetchall()
    found: list[HistoryTrace] = []
    mine = str(person_id)
    for entry_id, kiedy, record, operation, field, old, new in rows:
        dane: list[tuple[str, str]] = []
        if field == "*":
            after_old = _attendance_record(old, person_id, dane)
            after_new = _attendance_record(new, person_id, dane)
        else:
            dane.extend(("osoba", v) for v in (old, new) if v == mine)
            after_old = None if old == mine else old
            after_new = None if new == mine else new
        if dane:
            found.append(
                HistoryTrace(
                    entry_id,
                    kiedy,
                    "obecnosci",
                    record,
                    operation,
                    field,
                    tuple(dane),
                    after_old,
                    after_new,
                )
            )
    return found


def _upto(upto: int | None) -> int:
    return (1 << 62) if upto is None else upto


def history_traces(
    db: Database, person_id: int, find: Finder, upto: int | None = None
) -> list[HistoryTrace]:
    """Entries of other records' history holding the person's data (up to entry upto)."""
    owners = _Owners(db)
    found = _attendance(db, person_id, upto)
    for table, (_, fields) in PERSON_FIELDS.items():
        rows = db.execute(
            f"SELECT id, kiedy, rekord, operacja, pole, stara, nowa, {_probe(fields)} "
            "FROM _zmiany WHERE tabela = :t AND id <= :upto "
            "AND (pole = '*' OR pole IN (SELECT value FROM json_each(:fields))) ORDER BY id",
            {"t": table, "upto": _upto(upto), "fields": json.dumps(fields)},
        )
        for entry_id, kiedy, record, operation, field, old, new, probe in rows:
            if not probe or not find.might_hold(probe):
                continue
            dane: list[tuple[str, str]] = []
            if field == "*":
                after_old = _scrub_record(old, table, find, dane)
                after_new = _scrub_record(new, table, find, dane)
            else:
                institution = owners(table, record)
                after_old = find.scrub(old, institution)
                after_new = find.scrub(new, institution)
                dane.extend((field, v) for v, a in ((old, after_old), (new, after_new)) if v != a)
            if dane:
                found.append(
                    HistoryTrace(
                        entry_id,
                        kiedy,
                        table,
                        record,
                        operation,
                        field,
                        tuple(dane),
                        after_old,
                        after_new,
                    )
                )
    found.sort(key=lambda entry: entry.id)
    return found
