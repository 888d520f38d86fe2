"""Merging other coordinators' database files into this one (`kooperacje scal`).

Records are matched by UUID (institutions also by NIP, REGON, then name within the gmina,
so an institution two coordinators registered separately is never duplicated). A team's
coordinator owns the team's records: an incoming file replaces what the target holds for
its teams. Shared records (institutions, their staff and services) keep the newer change;
a record the two files disagree about is listed as a conflict. Records equal in everything
but the time of their last change are equal: merging a file again changes nothing.

The whole merge is one transaction: a bad file, or any failure, leaves the target as it
was. A trial run (`--proba`) does all of it and rolls back. People erased here (or in any
merged file) are erased from the incoming records before they are compared, and a person
erased in a merged file is erased here too: a merge never brings an erased person back.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kooperacje.errors import Conflict, DatabaseError
from kooperacje.exchange import merge_source
from kooperacje.exchange.merge_match import counterpart, find, refuse_taken_identifier, rows
from kooperacje.exchange.merge_plan import STAMP, TEAMS, TableSpec, specs
from kooperacje.store import erasure
from kooperacje.store.db import now, sqlite_problem
from kooperacje.text import fold

if TYPE_CHECKING:
    from sqlite_utils import Database

# Which column names a record in the report.
_LABELS = ("nazwa", "imie_nazwisko", "tytul", "miejsce", "data")


@dataclass(frozen=True)
class Disagreement:
    """A shared record two files hold differently, and which version was kept."""

    tabela: str
    rekord: str
    pola: tuple[str, ...]
    zmieniono_w_bazie: str | None
    zmieniono_w_pliku: str | None
    wygrywa: str  # "plik" (the incoming version, newer) or "baza" (the target's)


@dataclass(frozen=True)
class FileResult:
    """What merging one file did (or would do)."""

    plik: str
    zespoly: tuple[str, ...]
    dodane: dict[str, int]
    zmienione: dict[str, int]
    usuniete: dict[str, int]
    konflikty: tuple[Disagreement, ...]
    wymazane_osoby: int  # people erased here because the file's coordinator erased them

    @property
    def zmian(self) -> int:
        return (
            sum(self.dodane.values())
            + sum(self.zmienione.values())
            + sum(self.usuniete.values())
            + self.wymazane_osoby
        )


@dataclass(frozen=True)
class MergeResult:
    """The whole merge: one entry per file, in the order given."""

    pliki: tuple[FileResult, ...]
    proba: bool


@dataclass
class _State:
    """Incoming id -> target id for every table carried so far, and the scope of a file."""

    ids: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))
    # Target ids of shared records whose incoming version is in force (their parts follow).
    won: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    # Target ids of the owned records of the file's teams, as they were before the merge.
    scope: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    added: Counter[str] = field(default_factory=Counter)
    changed: Counter[str] = field(default_factory=Counter)
    removed: Counter[str] = field(default_factory=Counter)
    conflicts: list[Disagreement] = field(default_factory=list)


def merge(
    open_target: Callable[[], Database], target: Path, paths: list[Path], *, trial: bool
) -> MergeResult:
    """Merge the files into the database at target in one transaction; see the module.
    The target is opened (and, if new, created) only once every file has passed its
    checks: a bad file leaves no new database behind either."""
    if not paths:
        raise Conflict("nie podano plików do scalenia. Podaj co najmniej jeden plik bazy.")
    with tempfile.TemporaryDirectory(prefix="kooperacje-scal-") as work:
        sources = [
            merge_source.prepare(path, target, Path(work), number)
            for number, path in enumerate(paths, start=1)
        ]
        db = open_target()
        tables = specs(db)
        erased = {str(r[0]) for r in db.execute("SELECT uuid FROM _wymazania").fetchall()}
        for source in sources:
            erased.update(source.wymazane)
        db.conn.execute("BEGIN IMMEDIATE")
        current = ""
        try:
            # Checked at the end: a team's records are replaced in any order.
            db.execute("PRAGMA defer_foreign_keys = ON")
            results = []
            for source in sources:
                current = f' pliku "{source.plik}"'
                incoming = merge_source.open_copy(source, erased)
                try:
                    results.append(_merge_file(db, incoming, tables, source))
                finally:
                    incoming.close()
                    merge_source.discard(source)
            current = ""
            if trial:
                db.conn.rollback()
            else:
                db.conn.commit()
        except sqlite3.Error as exc:
            db.conn.rollback()
            raise DatabaseError(
                f"scalanie{current} nie powiodło się: {_problem(exc)}. Baza pozostała bez zmian."
            ) from None
        except BaseException:
            db.conn.rollback()
            raise
    return MergeResult(tuple(results), trial)


def _problem(exc: sqlite3.Error) -> str:
    if isinstance(exc, sqlite3.IntegrityError):
        return (
            "dane pliku kłócą się z danymi bazy (np. ten sam NIP albo REGON ma w nich inna "
            "instytucja, albo rekord wskazuje na nieistniejący)"
        )
    return sqlite_problem(exc)


def _merge_file(
    db: Database, incoming: Database, tables: list[TableSpec], source: merge_source.Source
) -> FileResult:
    state = _State()
    names = [str(r[0]) for r in incoming.execute(f"SELECT nazwa FROM {TEAMS} ORDER BY id")]
    for spec in tables:
        if spec.uuid:
            _carry_records(db, incoming, spec, state, source.plik)
        else:
            _carry_parts(db, incoming, spec, state)
    gone = _erase_here(db, source)
    result = FileResult(
        plik=source.plik.name,
        zespoly=tuple(names),
        dodane=dict(state.added),
        zmienione=dict(state.changed),
        usuniete=dict(state.removed),
        konflikty=tuple(state.conflicts),
        wymazane_osoby=gone,
    )
    _remember(db, state, source, changed=result.zmian > 0)
    return result


def _translate(spec: TableSpec, row: dict[str, Any], state: _State) -> dict[str, Any] | None:
    """The row with its foreign keys pointing at target ids; None if a required record it
    points at is not carried (an erased person's delegation, say)."""
    out = dict(row)
    for key in spec.keys:
        value = row.get(key.column)
        if value is None:
            continue
        mapped = state.ids[key.table].get(int(value))
        if mapped is None and not key.nullable:
            return None
        out[key.column] = mapped
    return out


def _label(row: dict[str, Any]) -> str:
    for name in _LABELS:
        if row.get(name):
            return str(row[name])
    return str(row.get("uuid") or row.get("id"))


def _carry_records(
    db: Database, incoming: Database, spec: TableSpec, state: _State, plik: Path
) -> None:
    """Insert, update or keep each incoming record of a table with UUIDs."""
    raw = rows(incoming, f'SELECT * FROM "{spec.name}" ORDER BY id')
    matches = find(db, spec, raw)
    if spec.owned:
        # Records of the file's teams it no longer holds go first, so a record recreated
        # under a new UUID (a case code, say) takes its place without a clash. Foreign keys
        # are checked when the merge commits.
        _note_scope(db, spec, state)
        kept = {int(row["id"]) for row in matches.values()}
        stale = sorted(state.scope[spec.name] - kept)
        if stale:
            db.execute(
                f'DELETE FROM "{spec.name}" WHERE id IN (SELECT value FROM json_each(:ids))',
                {"ids": json.dumps(stale)},
            )
            state.removed[spec.name] += len(stale)
    for original in raw:
        row = _translate(spec, original, state)
        if row is None:
            continue
        current = counterpart(db, spec, row, matches, plik)
        if current is None:
            _refuse_taken(db, spec, row, None, plik)
            new_id = _insert(db, spec, row)
            state.added[spec.name] += 1
            state.ids[spec.name][int(original["id"])] = new_id
            state.won[spec.name].add(new_id)
            continue
        target_id = int(current["id"])
        state.ids[spec.name][int(original["id"])] = target_id
        differing = tuple(c for c in spec.compared if current.get(c) != row.get(c))
        if not differing:
            state.won[spec.name].add(target_id)
            continue
        ours, theirs = current.get(STAMP), row.get(STAMP)
        incoming_wins = spec.owned or not spec.stamped or str(theirs or "") > str(ours or "")
        if not spec.owned:
            state.conflicts.append(
                Disagreement(
                    spec.name,
                    _label(current),
                    differing,
                    ours,
                    theirs,
                    "plik" if incoming_wins else "baza",
                )
            )
        if incoming_wins:
            _refuse_taken(db, spec, row, target_id, plik)
            _update(db, spec, target_id, row)
            state.changed[spec.name] += 1
            state.won[spec.name].add(target_id)


def _refuse_taken(
    db: Database, spec: TableSpec, row: dict[str, Any], target_id: int | None, plik: Path
) -> None:
    # Before a write: a clash of identifiers is named, not left to a general SQLite error.
    if spec.name == "instytucje":
        refuse_taken_identifier(db, row, target_id, plik)


def _note_scope(db: Database, spec: TableSpec, state: _State) -> None:
    """The target's records of this owned table that belong to the file's teams."""
    if spec.scope is None:  # the teams themselves: those the file holds
        return
    parents = state.scope[spec.scope.table] | set(state.ids[spec.scope.table].values())
    if spec.scope.table == TEAMS:
        parents = set(state.ids[TEAMS].values())
    key = "id" if spec.has_id else "rowid"
    state.scope[spec.name] = {
        int(r[0])
        for r in db.execute(
            f'SELECT {key} FROM "{spec.name}" WHERE "{spec.scope.column}" IN '
            "(SELECT value FROM json_each(:p))",
            {"p": json.dumps(sorted(parents))},
        ).fetchall()
    }


def _insert(db: Database, spec: TableSpec, row: dict[str, Any]) -> int:
    columns = [c for c in spec.columns if c != "id"]
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join(f":{i}" for i in range(len(columns)))
    cursor = db.execute(
        f'INSERT INTO "{spec.name}" ({names}) VALUES ({marks})',
        {str(i): row.get(c) for i, c in enumerate(columns)},
    )
    new_id = int(cursor.lastrowid or 0)
    _refresh_derived(db, spec, new_id, row)
    return new_id


def _update(db: Database, spec: TableSpec, target_id: int, row: dict[str, Any]) -> None:
    columns = spec.written
    assignments = ", ".join(f'"{c}" = :{i}' for i, c in enumerate(columns))
    params = {str(i): row.get(c) for i, c in enumerate(columns)}
    db.execute(f'UPDATE "{spec.name}" SET {assignments} WHERE id = :id', params | {"id": target_id})
    _refresh_derived(db, spec, target_id, row)


def _refresh_derived(db: Database, spec: TableSpec, target_id: int, row: dict[str, Any]) -> None:
    """Folded names follow the names (a trigger clears them when a name changes)."""
    derived = [c for c in spec.columns if c.endswith("_szukaj") and c[: -len("_szukaj")] in row]
    if not derived:
        return
    values = {c: None if row.get(c[:-7]) is None else fold(str(row[c[:-7]])) for c in derived}
    assignments = ", ".join(f'"{c}" = :{c}' for c in derived)
    db.execute(f'UPDATE "{spec.name}" SET {assignments} WHERE id = :id', values | {"id": target_id})


def _carry_parts(db: Database, incoming: Database, spec: TableSpec, state: _State) -> None:
    """Rows without UUIDs (attendance, target groups of a service…): the set the incoming
    file holds replaces the target's, for the records whose incoming version is in force."""
    if spec.scope is None:
        return
    parent = spec.scope.table
    if spec.owned:
        _note_scope(db, spec, state)
        allowed = set(state.ids[parent].values()) | state.scope[parent]
    else:
        allowed = state.won[parent]
    key = "id" if spec.has_id else "rowid"
    columns = [c for c in spec.columns if c not in ("id", "utworzono", "zmieniono")]
    current: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for row in rows(
        db,
        f'SELECT {key} AS _key, * FROM "{spec.name}" WHERE "{spec.scope.column}" IN '
        "(SELECT value FROM json_each(:p))",
        {"p": json.dumps(sorted(allowed))},
    ):
        current[tuple(row[c] for c in columns)].append(int(row["_key"]))
    wanted: list[tuple[int | None, dict[str, Any]]] = []
    for original in rows(incoming, f'SELECT {key} AS _key, * FROM "{spec.name}"'):
        part = _translate(spec, original, state)
        if part is None or part.get(spec.scope.column) not in allowed:
            continue
        content = tuple(part[c] for c in columns)
        if current.get(content):
            target_key = current[content].pop()
            if spec.has_id:
                state.ids[spec.name][int(original["_key"])] = target_key
            continue
        wanted.append((int(original["_key"]), part))
    stale = sorted(k for keys in current.values() for k in keys)
    if stale:
        db.execute(
            f'DELETE FROM "{spec.name}" WHERE {key} IN (SELECT value FROM json_each(:k))',
            {"k": json.dumps(stale)},
        )
        state.removed[spec.name] += len(stale)
    for incoming_key, row in wanted:
        new_id = _insert(db, spec, row)
        if spec.has_id and incoming_key is not None:
            state.ids[spec.name][incoming_key] = new_id
        state.added[spec.name] += 1


def _erase_here(db: Database, source: merge_source.Source) -> int:
    """People the file's coordinator erased are erased here too, and logged as erased."""
    if not source.wymazane:
        return 0
    wanted = json.dumps(list(source.wymazane))
    ids = [
        int(r[0])
        for r in db.execute(
            "SELECT id FROM osoby WHERE uuid IN (SELECT value FROM json_each(:u))", {"u": wanted}
        ).fetchall()
    ]
    erased = erasure.erase(db, ids) if ids else []
    stamp = now()
    db.conn.executemany(
        "INSERT OR IGNORE INTO _wymazania (uuid, kiedy) VALUES (?, ?)",
        [(uuid, stamp) for uuid in source.wymazane],
    )
    return len(erased)


def _remember(db: Database, state: _State, source: merge_source.Source, *, changed: bool) -> None:
    """Each team of the file remembers the file's name and when it was merged."""
    name = source.plik.name
    for team_id in sorted(set(state.ids[TEAMS].values())):
        row = db.execute(
            "SELECT plik FROM _pochodzenie WHERE zespol = :z", {"z": team_id}
        ).fetchone()
        if row is not None and str(row[0]) == name and not changed:
            continue
        db.execute(
            "INSERT INTO _pochodzenie (zespol, plik, scalono) VALUES (:z, :p, :k) "
            "ON CONFLICT (zespol) DO UPDATE SET plik = excluded.plik, scalono = excluded.scalono",
            {"z": team_id, "p": name, "k": now()},
        )
