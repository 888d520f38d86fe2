"""Migration 2: the controlled vocabularies as tables."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kooperacje.vocab_data import VOCABULARIES

if TYPE_CHECKING:
    from sqlite_utils import Database


def migrate(db: Database) -> None:
    """Vocabulary tables, so codes are real foreign keys and readable in Datasette."""
    for table, spec in VOCABULARIES.items():
        extra = ", kluczowy INTEGER NOT NULL DEFAULT 0" if table == "sektory" else ""
        db.execute(
            f"CREATE TABLE {table} (kod TEXT PRIMARY KEY, nazwa TEXT NOT NULL, "
            f"kolejnosc INTEGER NOT NULL{extra})"
        )
        db.table(table).insert_all(
            {"kod": item["kod"], "nazwa": item["nazwa"], "kolejnosc": order}
            | ({"kluczowy": int(item["kluczowy"])} if table == "sektory" else {})
            for order, item in enumerate(spec["pozycje"], start=1)
        )
