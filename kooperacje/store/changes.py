"""Edits of one record. The history (`_zmiany`) is written by the database's own triggers
(migration m006), so every insert, edit and deletion is recorded whoever makes it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kooperacje.store.db import now

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class Change:
    """One edited field: its column name and the old and new values as a user reads them."""

    pole: str
    stara: str | None
    nowa: str | None


def update(db: Database, table: str, record_id: int, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Apply changes to one row; the triggers log each field whose value differs.

    Returns the fields that really changed. Runs inside the caller's transaction
    if there is one, else in its own.
    """
    columns = ", ".join(f'"{name}"' for name in changes)
    current = next(
        iter(db.query(f'SELECT {columns} FROM "{table}" WHERE id = :id', {"id": record_id}))
    )
    changed = {k: v for k, v in changes.items() if current[k] != v}
    if not changed:
        return {}
    with db.atomic():
        assignments = ", ".join(f'"{name}" = :{name}' for name in changed)
        # Every table edited through here has a `zmieniono` column.
        db.execute(
            f'UPDATE "{table}" SET {assignments}, zmieniono = :_kiedy WHERE id = :_id',
            {**changed, "_id": record_id, "_kiedy": now()},
        )
    return changed
