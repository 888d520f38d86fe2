"""Minimal rows inserted straight into a test database (for tests of reads and reports).

Tests of a command that writes must go through the CLI instead.
"""

from __future__ import annotations

import atexit
import shutil
import sqlite3
import tempfile
import uuid
from pathlib import Path

from kooperacje.store.db import open_db

STAMP = "2026-01-01T00:00:00Z"


_TEMPLATE: list[Path] = []


def _template() -> Path:
    """A migrated empty database, built once per test process."""
    if not _TEMPLATE:
        folder = tempfile.mkdtemp(prefix="kooperacje-test-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = Path(folder) / "template.db"
        open_db(path).close()
        _TEMPLATE.append(path)
    return _TEMPLATE[0]


def connect(path: Path) -> sqlite3.Connection:
    """A migrated database at path, as a plain connection in autocommit mode."""
    if path.exists():
        open_db(path).close()
    else:
        shutil.copyfile(_template(), path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def institution(
    conn: sqlite3.Connection,
    nazwa: str,
    *,
    gmina: str = "1012011",
    sektor: str = "pomoc_spoleczna",
    skrot: str | None = None,
    **extra: str | None,
) -> int:
    row: dict[str, object] = {
        "nazwa": nazwa,
        "gmina": gmina,
        "sektor": sektor,
        "skrot": skrot,
        **extra,
    }
    return _insert(conn, "instytucje", row)


def person(conn: sqlite3.Connection, instytucja: int, imie_nazwisko: str, **extra: str) -> int:
    return _insert(
        conn, "osoby", {"instytucja": instytucja, "imie_nazwisko": imie_nazwisko, **extra}
    )


def project(conn: sqlite3.Connection, nazwa: str, **extra: object) -> int:
    """The project of this name, added when there is none yet."""
    found = conn.execute("SELECT id FROM projekty WHERE nazwa = ?", (nazwa,)).fetchone()
    if found:
        return int(found[0])
    return _insert(conn, "projekty", {"nazwa": nazwa, **extra})


def team(
    conn: sqlite3.Connection, gmina: str = "1012011", nazwa: str = "PZK Radomsko", **extra: object
) -> int:
    """A team; `projekt` may be given by name (the project is added when missing)."""
    if isinstance(extra.get("projekt"), str):
        extra["projekt"] = project(conn, str(extra["projekt"]))
    return _insert(conn, "zespoly", {"gmina": gmina, "nazwa": nazwa, **extra})


def declaration(
    conn: sqlite3.Connection,
    zespol: int,
    instytucja: int,
    data: str,
    rodzaj: str = "przystapienie",
    **extra: object,
) -> int:
    row = {"zespol": zespol, "instytucja": instytucja, "data": data, "rodzaj": rodzaj, **extra}
    return _insert(conn, "deklaracje", row, stamp_changed=False)


def meeting(
    conn: sqlite3.Connection,
    zespol: int,
    data: str,
    miejsce: str,
    rodzaj: str = "inicjujace",
    **extra: object,
) -> int:
    row = {"zespol": zespol, "data": data, "miejsce": miejsce, "rodzaj": rodzaj, **extra}
    return _insert(conn, "spotkania", row)


def attendance(
    conn: sqlite3.Connection, spotkanie: int, instytucja: int, osoba: int | None = None
) -> int:
    cur = conn.execute(
        "INSERT INTO obecnosci (spotkanie, instytucja, osoba) VALUES (?, ?, ?)",
        (spotkanie, instytucja, osoba),
    )
    return int(cur.lastrowid or 0)


def service(
    conn: sqlite3.Connection,
    instytucja: int,
    nazwa: str,
    obszar: str,
    zasieg: tuple[str, ...] = ("1012011",),
    grupy: tuple[str, ...] = (),
    status: str = "aktywna",
    **extra: object,
) -> int:
    row = {"instytucja": instytucja, "nazwa": nazwa, "obszar": obszar, "status": status, **extra}
    service_id = _insert(conn, "uslugi", row)
    for code in zasieg:
        conn.execute("INSERT INTO uslugi_zasieg (usluga, teryt) VALUES (?, ?)", (service_id, code))
    for code in grupy:
        conn.execute("INSERT INTO uslugi_grupy (usluga, grupa) VALUES (?, ?)", (service_id, code))
    return service_id


def _insert(
    conn: sqlite3.Connection, table: str, row: dict[str, object], stamp_changed: bool = True
) -> int:
    row = {"uuid": str(uuid.uuid4()), "utworzono": STAMP, **row}
    if stamp_changed:
        row.setdefault("zmieniono", STAMP)
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    cur = conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(row.values()))
    return int(cur.lastrowid or 0)
