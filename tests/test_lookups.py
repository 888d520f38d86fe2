"""Folded names (m007): stored for index lookups, kept in step with every way of editing."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from sqlite_utils import Database

from kooperacje.register import institutions
from kooperacje.store.db import open_db
from kooperacje.store.migrations import migrations
from tests import factories
from tests.conftest import Result

Run = Callable[..., Result]
Query = Callable[..., list[tuple[object, ...]]]


def test_added_institution_has_folded_names(run: Run, query: Query) -> None:
    result = run(
        "instytucje", "dodaj", "Miejski Ośrodek Pomocy Społecznej w Łodzi",
        "--gmina", "1061011", "--sektor", "pomoc_spoleczna", "--skrot", "MOPS",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert query("SELECT nazwa_szukaj, skrot_szukaj FROM instytucje") == [
        ("miejski osrodek pomocy spolecznej w lodzi", "mops")
    ]
    shown = run("instytucje", "pokaz", "osrodek pomocy SPOLECZNEJ W LODZI")
    assert shown.exit_code == 0, shown.stderr
    assert "Miejski Ośrodek Pomocy Społecznej w Łodzi" in shown.stdout


def test_edit_refolds_and_finds_by_the_new_name(run: Run, query: Query) -> None:
    run("instytucje", "dodaj", "Stara Nazwa", "--gmina", "1012011", "--sektor", "ngo")
    result = run("instytucje", "edytuj", "1", "--nazwa", "Fundacja Żółty Tulipan", "--skrot", "FŻT")
    assert result.exit_code == 0, result.stderr
    assert query("SELECT nazwa_szukaj, skrot_szukaj FROM instytucje WHERE id = 1") == [
        ("fundacja zolty tulipan", "fzt")
    ]
    # The edit log records what the user changed, not the derived columns.
    edits = "SELECT pole FROM _zmiany WHERE tabela = 'instytucje' AND operacja = 'zmiana'"
    assert {r[0] for r in query(edits)} == {
        "nazwa",
        "skrot",
    }
    assert run("instytucje", "pokaz", "fzt").exit_code == 0
    assert run("instytucje", "pokaz", "stara nazwa").exit_code == 1


def test_rows_written_by_other_clients_are_still_found(run: Run, db_path: Path) -> None:
    conn = factories.connect(db_path)
    # Inserted without folded names, then renamed behind the application's back.
    other = factories.institution(conn, "Powiatowy Urząd Pracy w Radomsku", skrot="PUP")
    run("instytucje", "dodaj", "Komenda Powiatowa Policji", "--gmina", "1012011",
        "--sektor", "policja", "--skrot", "KPP")  # fmt: skip
    conn.execute(
        "UPDATE instytucje SET nazwa = 'Komenda Powiatowa Policji w Łasku' WHERE skrot = 'KPP'"
    )
    assert conn.execute(
        "SELECT count(*) FROM instytucje WHERE nazwa_szukaj IS NULL"
    ).fetchone() == (2,)
    conn.close()
    db = open_db(db_path)
    try:
        assert institutions.resolve(db, "pup").id == other
        assert institutions.resolve(db, "komenda powiatowa policji w lasku").skrot == "KPP"
        assert institutions.resolve(db, "w lasku").skrot == "KPP"  # a fragment
        assert [i.skrot for i in institutions.list_(db, szukaj="radomsku")] == ["PUP"]
    finally:
        db.close()


def test_migration_folds_existing_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    db = Database(conn)
    migrations.apply(db, stop_before="m007_lookup_indexes")
    conn.execute(
        "INSERT INTO instytucje (uuid, nazwa, skrot, sektor, gmina, utworzono, zmieniono) "
        "VALUES ('u-1', 'Gminny Ośrodek Pomocy Społecznej w Kcyni', 'GOPS', 'pomoc_spoleczna', "
        "'0410013', 'x', 'x')"
    )
    conn.commit()
    conn.close()
    db = open_db(path)
    try:
        row = db.execute(
            "SELECT nazwa, skrot, nazwa_szukaj, skrot_szukaj FROM instytucje"
        ).fetchone()
        assert row == (
            "Gminny Ośrodek Pomocy Społecznej w Kcyni",
            "GOPS",
            "gminny osrodek pomocy spolecznej w kcyni",
            "gops",
        )
        assert db.execute("SELECT nazwa_szukaj FROM teryt WHERE kod = '1061011'").fetchone() == (
            "lodz",
        )
        assert db.execute("SELECT count(*) FROM teryt WHERE nazwa_szukaj IS NULL").fetchone() == (
            0,
        )
    finally:
        db.close()


def test_register_units_without_folded_names_are_still_found(db_path: Path) -> None:
    from kooperacje.register import teryt

    conn = factories.connect(db_path)
    conn.execute("UPDATE teryt SET nazwa_szukaj = NULL WHERE kod = '1061011'")
    conn.close()
    db = open_db(db_path)
    try:
        assert teryt.resolve_gmina(db, "LODZ").kod == "1061011"
        assert "1061011" in [u.kod for u in teryt.search(db, "lodz")]
    finally:
        db.close()
