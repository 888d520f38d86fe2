"""Migration m005: attendance recorded before invitations existed stays, as `obecny`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from kooperacje.store.migrations import migrations


def test_existing_attendance_migrates_as_present(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="m005_invitations")
    stamp = "2019-09-25T10:00:00Z"
    db.execute(
        "INSERT INTO instytucje (id, uuid, nazwa, sektor, gmina, utworzono, zmieniono) "
        "VALUES (1, 'u1', 'MOPS', 'pomoc_spoleczna', '1012011', :t, :t)",
        {"t": stamp},
    )
    db.execute(
        "INSERT INTO osoby (id, uuid, instytucja, imie_nazwisko, utworzono, zmieniono) "
        "VALUES (1, 'p1', 1, 'Anna Nowak', :t, :t)",
        {"t": stamp},
    )
    db.execute(
        "INSERT INTO zespoly (id, uuid, gmina, nazwa, utworzono, zmieniono) "
        "VALUES (1, 'z1', '1012011', 'PZK Radomsko', :t, :t)",
        {"t": stamp},
    )
    db.execute(
        "INSERT INTO spotkania (id, uuid, zespol, data, miejsce, rodzaj, opis, utworzono, "
        "zmieniono) VALUES (1, 's1', 1, '2019-09-25', 'Muzeum', 'inicjujace', 'Było', :t, :t)",
        {"t": stamp},
    )
    db.execute("INSERT INTO obecnosci (spotkanie, instytucja, osoba) VALUES (1, 1, 1)")
    db.execute("INSERT INTO obecnosci (spotkanie, instytucja, osoba) VALUES (1, 1, NULL)")
    db.conn.commit()

    migrations.apply(db)
    db.conn.close()

    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT spotkanie, instytucja, osoba, status FROM obecnosci ORDER BY id"
    ).fetchall()
    assert rows == [(1, 1, 1, "obecny"), (1, 1, None, "obecny")]
    assert conn.execute("SELECT opis, ustalenia, nastepne FROM spotkania").fetchall() == [
        ("Było", None, None)
    ]
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE obecnosci SET status = 'spóźniony' WHERE id = 1")
    conn.close()
