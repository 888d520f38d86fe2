"""Which tables a merge carries and how, read from the schema itself (so a table added by a
later migration is carried without a change here).

- A table is merged when it has a `uuid` column or a foreign key to a merged table; the
  territorial register, the vocabularies, the search index and the internal tables
  (`_zmiany`, `_wymazania`…) are not: they are the same in every file or belong to it alone.
- A merged table is *owned by a team* when a chain of foreign keys leads from it to
  `zespoly` (meetings, attendance, declarations, task teams…): the team's coordinator owns
  those records, so the incoming file replaces what the target holds for its teams.
- The other merged tables are *shared* (institutions, their staff and services): the same
  record may come from several files; the newer change wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

TEAMS = "zespoly"
# Bookkeeping columns: they say when, not what, so two rows differing only there are equal.
STAMPS = ("utworzono", "zmieniono")
STAMP = "zmieniono"
# Columns the application derives from others (folded names for lookups, m007).
DERIVED_SUFFIX = "_szukaj"


@dataclass(frozen=True)
class ForeignKey:
    """A column pointing at the integer id of another merged table."""

    column: str
    table: str
    nullable: bool


@dataclass(frozen=True)
class TableSpec:
    """How one merged table is carried."""

    name: str
    columns: tuple[str, ...]
    has_id: bool  # an INTEGER PRIMARY KEY `id` (others are keyed by rowid)
    uuid: bool
    keys: tuple[ForeignKey, ...]
    owned: bool  # owned by a team (see the module's notes)
    # The foreign key that places a row: for an owned table, the one leading to the team;
    # for a shared table without uuid, the one to the record it belongs to.
    scope: ForeignKey | None
    stamped: bool  # has `zmieniono`, the time of its last change
    # UNIQUE constraints besides the uuid (whole columns, no partial index): a record a
    # coordinator entered again under a new UUID (a phone of an institution) is the same.
    uniques: tuple[tuple[str, ...], ...] = ()

    @property
    def compared(self) -> tuple[str, ...]:
        """The columns whose values make two versions of a record the same or different."""
        return tuple(
            c
            for c in self.columns
            if c not in ("id", "uuid", *STAMPS) and not c.endswith(DERIVED_SUFFIX)
        )

    @property
    def written(self) -> tuple[str, ...]:
        """The columns a merge writes (the target keeps its own id and uuid)."""
        return tuple(c for c in self.columns if c not in ("id", "uuid"))

    def key_for(self, table: str) -> ForeignKey | None:
        return next((k for k in self.keys if k.table == table), None)


def _internal(name: str) -> bool:
    return name.startswith(("_", "sqlite_")) or "_fts" in name


def _tables(db: Database) -> list[str]:
    return [
        str(row[0])
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE "
            "'CREATE VIRTUAL%' ORDER BY name"
        ).fetchall()
        if not _internal(str(row[0]))
    ]


def _info(db: Database, table: str) -> tuple[list[str], dict[str, bool], bool]:
    rows = db.execute(f'PRAGMA table_info("{table}")').fetchall()
    columns = [str(r[1]) for r in rows]
    nullable = {str(r[1]): not r[3] for r in rows}
    has_id = any(str(r[1]) == "id" and r[5] == 1 and str(r[2]).upper() == "INTEGER" for r in rows)
    return columns, nullable, has_id


def _uniques(db: Database, table: str) -> tuple[tuple[str, ...], ...]:
    found = []
    for row in db.execute(f'PRAGMA index_list("{table}")').fetchall():
        name, unique, origin, partial = str(row[1]), row[2], str(row[3]), row[4]
        if not unique or partial or origin == "pk":
            continue
        info = db.execute(f'PRAGMA index_info("{name}")').fetchall()
        columns = tuple(str(r[2]) for r in info)
        if any(r[1] < 0 for r in info) or columns == ("uuid",):
            continue
        found.append(columns)
    return tuple(sorted(found))


def specs(db: Database) -> list[TableSpec]:
    """The merged tables, parents before the tables that point at them."""
    names = _tables(db)
    info = {name: _info(db, name) for name in names}
    links: dict[str, list[tuple[str, str]]] = {}
    cascading: set[tuple[str, str]] = set()  # (table, column) deleted with what it points at
    for name in names:
        links[name] = []
        for fk in db.execute(f'PRAGMA foreign_key_list("{name}")').fetchall():
            if str(fk[2]) != name and str(fk[4] or "id") == "id" and str(fk[2]) in info:
                links[name].append((str(fk[3]), str(fk[2])))
                if str(fk[6]).upper() == "CASCADE":
                    cascading.add((name, str(fk[3])))
    merged = {name for name in names if "uuid" in info[name][0]}
    owned = {TEAMS} & merged
    changed = True
    while changed:
        changed = False
        for name in names:
            parents = {parent for _, parent in links[name]}
            if name not in merged and parents & merged:
                merged.add(name)
                changed = True
            if name in merged and name not in owned and parents & owned:
                owned.add(name)
                changed = True
    result: list[TableSpec] = []
    done: set[str] = set()
    pending = [name for name in names if name in merged]
    while pending:
        ready = [
            name
            for name in pending
            if all(parent in done or parent not in merged for _, parent in links[name])
        ]
        if not ready:  # a cycle of foreign keys: take the rest in name order
            ready = pending[:1]
        for name in ready:
            columns, nullable, has_id = info[name]
            keys = tuple(
                ForeignKey(column, parent, nullable[column])
                for column, parent in links[name]
                if parent in merged
            )
            result.append(
                TableSpec(
                    name=name,
                    columns=tuple(columns),
                    has_id=has_id,
                    uuid="uuid" in columns,
                    keys=keys,
                    owned=name in owned,
                    scope=_scope(name, keys, owned, "uuid" in columns, cascading),
                    stamped=STAMP in columns,
                    uniques=_uniques(db, name),
                )
            )
            done.add(name)
            pending.remove(name)
    return result


def _scope(
    name: str,
    keys: tuple[ForeignKey, ...],
    owned: set[str],
    uuid: bool,
    cascading: set[tuple[str, str]],
) -> ForeignKey | None:
    if name == TEAMS:
        return None
    if name in owned:
        direct = [k for k in keys if k.table == TEAMS]
        return (direct or [k for k in keys if k.table in owned])[0]
    if uuid or not keys:
        return None
    # A part belongs to the record whose deletion takes it along (a party of an agreement
    # to the agreement, not to the institution that is the party).
    parts = [k for k in keys if not k.nullable and (name, k.column) in cascading]
    return (parts or [k for k in keys if not k.nullable] or list(keys))[0]
