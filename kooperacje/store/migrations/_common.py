"""What the numbered migrations share: reading the data files shipped with the package,
running a script inside the migration's transaction, and the history triggers.

Like the migrations, it imports no application helpers. A change here must leave what the
released migrations create unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


def data(name: str) -> str:
    """A data file of the package (kooperacje/data)."""
    # Beside the package, not via importlib.resources: that import alone slows every start-up.
    return (Path(__file__).parents[2] / "data" / name).read_text("utf-8")


def run(db: Database, statements: str) -> None:
    """Run statements separated by ';' and a line break, one by one."""
    # executescript() would commit the migration's transaction; run one by one instead.
    for statement in statements.split(";\n"):
        if statement.strip():
            db.execute(statement)


UNLOGGED_FIELDS = ("id", "uuid", "utworzono", "zmieniono")
STAMP = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"


def history_triggers(db: Database, table: str) -> None:
    """(Re)create the triggers that write every insert, edit and deletion of table into
    _zmiany. A later migration that adds columns to a table in HISTORY_TABLES calls this
    again, so the new columns are kept in the history too."""
    for kind in ("dodanie", "zmiana", "usuniecie"):
        db.execute(f'DROP TRIGGER IF EXISTS "_historia_{table}_{kind}"')
    columns = [row[1] for row in db.execute(f'PRAGMA table_info("{table}")').fetchall()]

    def record(alias: str) -> str:
        pairs = ", ".join(f"'{name}', {alias}.\"{name}\"" for name in columns)
        return f"json_object({pairs})"

    insert = "INSERT INTO _zmiany (tabela, rekord, pole, stara, nowa, kiedy, operacja)"
    db.execute(
        f'CREATE TRIGGER "_historia_{table}_dodanie" AFTER INSERT ON "{table}" BEGIN '
        f"{insert} VALUES ('{table}', new.id, '*', NULL, {record('new')}, {STAMP}, 'dodanie'); "
        "END"
    )
    db.execute(
        f'CREATE TRIGGER "_historia_{table}_usuniecie" AFTER DELETE ON "{table}" BEGIN '
        f"{insert} VALUES ('{table}', old.id, '*', {record('old')}, NULL, {STAMP}, 'usuniecie'); "
        "END"
    )
    fields = [name for name in columns if name not in UNLOGGED_FIELDS]
    statements = " ".join(
        f"{insert} SELECT '{table}', new.id, '{name}', CAST(old.\"{name}\" AS TEXT), "
        f"CAST(new.\"{name}\" AS TEXT), {STAMP}, 'zmiana' "
        f'WHERE old."{name}" IS NOT new."{name}";'
        for name in fields
    )
    db.execute(
        f'CREATE TRIGGER "_historia_{table}_zmiana" AFTER UPDATE ON "{table}" BEGIN '
        f"{statements} END"
    )
