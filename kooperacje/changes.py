"""The edit log: every changed field of a record, so nothing is overwritten silently."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from kooperacje.db import now

if TYPE_CHECKING:
    from sqlite_utils import Database


def update(db: Database, table: str, record_id: int, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Apply changes to one row and log each field whose value differs.

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
    stamp = now()
    with db.atomic():
        assignments = ", ".join(f'"{name}" = :{name}' for name in changed)
        extra = ", zmieniono = :_kiedy" if _has_column(db, table, "zmieniono") else ""
        db.execute(
            f'UPDATE "{table}" SET {assignments}{extra} WHERE id = :_id',
            {**changed, "_id": record_id, "_kiedy": stamp},
        )
        db.table("_zmiany").insert_all(
            {
                "tabela": table,
                "rekord": record_id,
                "pole": name,
                "stara": None if current[name] is None else str(current[name]),
                "nowa": None if value is None else str(value),
                "kiedy": stamp,
            }
            for name, value in changed.items()
        )
    return changed


def _has_column(db: Database, table: str, column: str) -> bool:
    return any(row["name"] == column for row in db.query(f'PRAGMA table_info("{table}")'))


def log_deletion(db: Database, table: str, record_id: int, row: Mapping[str, Any]) -> None:
    """Keep a deleted row in the edit log: field '*', the old value the row as JSON.

    Call inside the transaction that deletes the row.
    """
    import json

    db.table("_zmiany").insert(
        {
            "tabela": table,
            "rekord": record_id,
            "pole": "*",
            "stara": json.dumps(dict(row), ensure_ascii=False),
            "nowa": None,
            "kiedy": now(),
        }
    )
