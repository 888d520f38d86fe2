"""How a merge finds the target's record an incoming one stands for: by UUID (looked up in
batches); failing that, an institution by its NIP, its REGON or its name within the gmina,
a project by its short or its full name, and any other shared record by the values of a
UNIQUE constraint, so a record two coordinators entered separately is never duplicated. A
team is matched by its UUID alone: an incoming team of a gmina that already has another
team is refused.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kooperacje.errors import Conflict
from kooperacje.exchange.merge_plan import TEAMS, TableSpec
from kooperacje.text import fold

if TYPE_CHECKING:
    from sqlite_utils import Database

_BATCH = 500


def rows(db: Database, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The rows of a query as dictionaries (of the target or of an incoming file)."""
    return [dict(row) for row in db.query(sql, params or {})]


def find(
    db: Database, spec: TableSpec, incoming: list[dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Target rows with the incoming rows' UUIDs, by UUID."""
    found: dict[str, dict[str, Any]] = {}
    uuids = [str(r["uuid"]) for r in incoming]
    for start in range(0, len(uuids), _BATCH):
        batch = json.dumps(uuids[start : start + _BATCH])
        for row in rows(
            db,
            f'SELECT * FROM "{spec.name}" WHERE uuid IN (SELECT value FROM json_each(:u))',
            {"u": batch},
        ):
            found[str(row["uuid"])] = row
    return found


def counterpart(
    db: Database,
    spec: TableSpec,
    row: dict[str, Any],
    matches: dict[str, dict[str, Any]],
    plik: Path,
) -> dict[str, Any] | None:
    """The target's record the incoming row (its keys translated) stands for; None if it
    is new. matches: the target rows with the incoming UUIDs (see find)."""
    current = matches.get(str(row["uuid"]))
    if current is None and spec.name == "instytucje":
        current = _same_institution(db, row)
    if current is None and spec.name == "projekty":
        current = _same_project(db, row)
    if current is None and spec.name != TEAMS:
        current = _same_unique(db, spec, row)
    if current is None and spec.name == TEAMS:
        _refuse_other_team(db, row, plik)
    return current


def _same_institution(db: Database, row: dict[str, Any]) -> dict[str, Any] | None:
    """An institution registered separately in the target: same NIP, REGON, or name in the
    same gmina."""
    for column in ("nip", "regon"):
        if row.get(column):
            hits = rows(db, f"SELECT * FROM instytucje WHERE {column} = :v", {"v": row[column]})
            if hits:
                return hits[0]
    hits = rows(
        db,
        "SELECT * FROM instytucje WHERE gmina = :g AND (nazwa_szukaj = :n OR "
        "(nazwa_szukaj IS NULL AND pl_fold(nazwa) = :n)) ORDER BY id LIMIT 1",
        {"g": row["gmina"], "n": fold(str(row["nazwa"]))},
    )
    return hits[0] if hits else None


def _same_unique(db: Database, spec: TableSpec, row: dict[str, Any]) -> dict[str, Any] | None:
    """A record with the same values in a UNIQUE constraint (entered again elsewhere)."""
    for columns in spec.uniques:
        if any(row.get(c) is None for c in columns):
            continue
        where = " AND ".join(f'"{c}" = :{i}' for i, c in enumerate(columns))
        hits = rows(
            db,
            f'SELECT * FROM "{spec.name}" WHERE {where} LIMIT 1',
            {str(i): row[c] for i, c in enumerate(columns)},
        )
        if hits:
            return hits[0]
    return None


def _project_key(text: object) -> str:
    return " ".join(fold(str(text)).replace("–", "-").replace("—", "-").split())


def _same_project(db: Database, row: dict[str, Any]) -> dict[str, Any] | None:
    """A project registered separately: the same short name, or the same full name."""
    for candidate in rows(db, "SELECT * FROM projekty ORDER BY id"):
        if row.get("skrot") and candidate.get("skrot"):
            if _project_key(row["skrot"]) == _project_key(candidate["skrot"]):
                return candidate
        elif _project_key(row["nazwa"]) == _project_key(candidate["nazwa"]):
            return candidate
    return None


def _refuse_other_team(db: Database, row: dict[str, Any], plik: Path) -> None:
    other = rows(db, f"SELECT nazwa FROM {TEAMS} WHERE gmina = :g", {"g": row["gmina"]})
    if other:
        raise Conflict(
            f'plik "{plik}" ma zespół gminy {row["gmina"]} ({row["nazwa"]}), a w bazie jest już '
            f"inny zespół tej gminy ({other[0]['nazwa']}); gmina ma jeden zespół. Sprawdź, "
            "który plik jest właściwy. Nic nie scalono."
        )


def refuse_taken_identifier(
    db: Database, row: dict[str, Any], target_id: int | None, plik: Path
) -> None:
    """Stop before an institution of the file takes a NIP or REGON that another institution
    of the database has (the one it is matched with may have it): say which two."""
    for column, label in (("nip", "NIP"), ("regon", "REGON")):
        value = row.get(column)
        if not value:
            continue
        taken = rows(
            db,
            f"SELECT id, nazwa, gmina FROM instytucje WHERE {column} = :v AND id IS NOT :id "
            "ORDER BY id LIMIT 1",
            {"v": value, "id": target_id},
        )
        if taken:
            other = taken[0]
            mine = f" (w bazie nr {target_id})" if target_id is not None else ""
            raise Conflict(
                f'plik "{plik}" ma instytucję „{row["nazwa"]}”{mine} z {label} {value}, '
                f"a w bazie ten {label} ma inna instytucja: „{other['nazwa']}” (nr "
                f"{other['id']}, gmina {other['gmina']}). Sprawdź, która z nich ma ten numer, "
                "i popraw drugą w jej pliku albo w bazie (kooperacje instytucje edytuj), "
                "potem scal ponownie. Nic nie scalono."
            )
