"""The schema: a fresh apply gives the expected tables, a second apply changes nothing."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from kooperacje.store.db import open_db
from kooperacje.store.migrations import migration_names, migrations
from tests.conftest import snapshot

TABLES = {
    "_sqlite_migrations",
    "_zmiany",
    "teryt",
    "makroregiony",
    "sektory",
    "obszary_uslug",
    "grupy_docelowe",
    "rodzaje_spotkan",
    "rodzaje_deklaracji",
    "instytucje",
    "osoby",
    "zespoly",
    "spotkania",
    "obecnosci",
    "deklaracje",
    "uslugi",
    "uslugi_grupy",
    "uslugi_zasieg",
    "spotkania_uslugi",
    "_wymazania",
    "_kopie",
    # m009: task teams (ZZK)
    "kategorie_zzk",
    "wyniki_zzk",
    "zzk",
    "zzk_grupy",
    "zzk_obszary",
    "zzk_instytucje",
    "zzk_osoby",
    "zzk_uslugi",
    "zzk_spotkania",
    "zzk_obecnosci",
    "projekty",
    "projekty_instytucje",
    "projekty_makroregiony",
    "projekty_jst",
    "porozumienia",
    "porozumienia_strony",
    "regulaminy",
    "spotkania_zespoly",
    "zespoly_obszar",
    "instytucje_telefony",
    "instytucje_biura",
    # m015: where a merged team came from
    "_pochodzenie",
}

COLUMNS = {
    "teryt": [
        "kod",
        "poziom",
        "nazwa",
        "rodzaj",
        "rodz",
        "wojewodztwo",
        "powiat",
        "stan_na",
        "nazwa_szukaj",
    ],
    "instytucje": [
        "id",
        "uuid",
        "nazwa",
        "skrot",
        "sektor",
        "gmina",
        "adres",
        "kod_pocztowy",
        "miejscowosc",
        "telefon",
        "email",
        "www",
        "nip",
        "regon",
        "uwagi",
        "utworzono",
        "zmieniono",
        "nazwa_szukaj",
        "skrot_szukaj",
    ],
    "osoby": [
        "id",
        "uuid",
        "instytucja",
        "imie_nazwisko",
        "stanowisko",
        "telefon",
        "email",
        "utworzono",
        "zmieniono",
    ],
    "zespoly": [
        "id",
        "uuid",
        "gmina",
        "nazwa",
        "lider",
        "data_utworzenia",
        "utworzono",
        "zmieniono",
        "projekt",  # a reference to projekty since m010
        "misja",  # m012
    ],
    "deklaracje": [
        "id",
        "uuid",
        "zespol",
        "instytucja",
        "rodzaj",
        "data",
        "podpisal",
        "spotkanie",
        "uwagi",
        "utworzono",
    ],
    "uslugi_zasieg": ["usluga", "teryt"],
}


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    path = tmp_path_factory.mktemp("migrations") / "fresh.db"
    open_db(path).conn.close()
    conn = sqlite3.connect(path)
    yield conn
    conn.close()


def _user_tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    # Full-text search shadow tables (enable_fts) come and go with the FTS setup.
    return {name for (name,) in rows if "_fts" not in name}


def _count(conn: sqlite3.Connection, sql: str, *params: object) -> int:
    return int(conn.execute(sql, params).fetchone()[0])


def test_fresh_apply_creates_the_expected_tables(fresh: sqlite3.Connection) -> None:
    assert _user_tables(fresh) == TABLES


@pytest.mark.parametrize("table", sorted(COLUMNS))
def test_key_columns(fresh: sqlite3.Connection, table: str) -> None:
    columns = [row[1] for row in fresh.execute(f"PRAGMA table_info({table})")]
    assert columns == COLUMNS[table]


def test_indexes_guard_duplicates(fresh: sqlite3.Connection) -> None:
    unique = {
        name
        for (name, unique_flag) in fresh.execute(
            'SELECT il.name, il."unique" FROM sqlite_master m, pragma_index_list(m.name) il '
            "WHERE m.type = 'table'"
        )
        if unique_flag
    }
    assert {"instytucje_nip", "instytucje_regon", "obecnosci_jednoznaczne"} <= unique
    # One PZK per gmina.
    zespoly = {
        tuple(r[2] for r in fresh.execute(f"PRAGMA index_info('{name}')"))
        for (name, is_unique) in fresh.execute(
            "SELECT name, \"unique\" FROM pragma_index_list('zespoly')"
        )
        if is_unique
    }
    assert ("gmina",) in zespoly


def test_foreign_keys_are_declared(fresh: sqlite3.Connection) -> None:
    def targets(table: str) -> dict[str, str]:
        return {r[3]: r[2] for r in fresh.execute(f"PRAGMA foreign_key_list({table})")}

    assert targets("instytucje") == {"sektor": "sektory", "gmina": "teryt"}
    assert targets("deklaracje") == {
        "zespol": "zespoly",
        "instytucja": "instytucje",
        "rodzaj": "rodzaje_deklaracji",
        "spotkanie": "spotkania",
    }
    assert targets("uslugi_zasieg") == {"usluga": "uslugi", "teryt": "teryt"}


def test_register_counts(fresh: sqlite3.Connection) -> None:
    assert _count(fresh, "SELECT count(*) FROM teryt") == 4360
    levels = dict(fresh.execute("SELECT poziom, count(*) FROM teryt GROUP BY poziom").fetchall())
    assert levels["gmina"] == 2479
    assert levels["powiat"] == 380
    assert levels["wojewodztwo"] == 16
    kinds = dict(
        fresh.execute(
            "SELECT rodz, count(*) FROM teryt WHERE poziom = 'gmina' GROUP BY rodz"
        ).fetchall()
    )
    assert kinds == {"1": 302, "2": 1453, "3": 724}
    assert fresh.execute("SELECT DISTINCT stan_na FROM teryt").fetchall() == [("2026-01-01",)]


def test_register_spot_checks(fresh: sqlite3.Connection) -> None:
    rows = {
        r[0]: r[1:]
        for r in fresh.execute(
            "SELECT kod, poziom, nazwa, rodzaj, rodz, powiat, wojewodztwo FROM teryt "
            "WHERE kod IN ('1012011', '1012122', '0410033', '1012', '10')"
        )
    }
    assert rows["1012011"] == ("gmina", "Radomsko", "gmina miejska", "1", "1012", "10")
    assert rows["1012122"] == ("gmina", "Radomsko", "gmina wiejska", "2", "1012", "10")
    assert rows["0410033"] == (
        "gmina",
        "Nakło nad Notecią",
        "gmina miejsko-wiejska",
        "3",
        "0410",
        "04",
    )
    assert rows["1012"] == ("powiat", "radomszczański", "powiat", None, None, "10")
    assert rows["10"][:2] == ("wojewodztwo", "ŁÓDZKIE")


def test_vocabularies_and_macroregions(fresh: sqlite3.Connection) -> None:
    sizes = {
        "sektory": 16,
        "obszary_uslug": 14,
        "grupy_docelowe": 10,
        "rodzaje_spotkan": 5,
        "rodzaje_deklaracji": 2,
        "makroregiony": 15,
    }
    for table, size in sizes.items():
        assert _count(fresh, f"SELECT count(*) FROM {table}") == size, table
    core = [
        r[0] for r in fresh.execute("SELECT kod FROM sektory WHERE kluczowy ORDER BY kolejnosc")
    ]
    assert core == ["pomoc_spoleczna", "edukacja", "zdrowie", "sadownictwo", "policja"]
    assert fresh.execute(
        "SELECT makroregion FROM makroregiony WHERE wojewodztwo = '10'"
    ).fetchone() == ("III",)


def test_every_migration_is_recorded(fresh: sqlite3.Connection) -> None:
    recorded = {
        name
        for (name,) in fresh.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = 'kooperacje'"
        )
    }
    assert recorded == migration_names()
    assert len(recorded) >= 3


def test_foreign_keys_all_valid(fresh: sqlite3.Connection) -> None:
    assert fresh.execute("PRAGMA foreign_key_check").fetchall() == []


def test_second_apply_is_a_no_op(tmp_path: Path) -> None:
    path = tmp_path / "twice.db"
    db = open_db(path)
    before = snapshot(path)
    assert migrations.pending(db) == []
    migrations.apply(db)
    db.conn.close()
    open_db(path).conn.close()
    after = snapshot(path)
    assert after == before
    assert len(after["teryt"]) == 4360


def test_m004_moves_old_services_without_loss(tmp_path: Path) -> None:
    import sqlite3 as sq

    from sqlite_utils import Database

    path = tmp_path / "old.db"
    conn = sq.connect(path)
    old = Database(conn)
    migrations.apply(old, stop_before="m004_service_directory")
    conn.executescript(
        """
        INSERT INTO instytucje (id, uuid, nazwa, sektor, gmina, utworzono, zmieniono)
        VALUES (1, 'i-1', 'Ośrodek Pomocy Społecznej w Łasku', 'pomoc_spoleczna', '1012011',
                '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z');
        INSERT INTO uslugi (id, uuid, instytucja, nazwa, obszar, opis, jak_skorzystac, kryteria,
                            odplatnosc, kontakt, status, utworzono, zmieniono)
        VALUES (1, 'u-1', 1, 'Poradnictwo psychologiczne', 'zdrowie', 'Rozmowy', 'Zadzwoń',
                'Mieszkańcy', 'Bezpłatna', 'tel. 44 1', 'aktywna', '2020-01-01T00:00:00Z',
                '2020-02-01T00:00:00Z'),
               (2, 'u-2', 1, 'Opieka', 'pomoc_spoleczna', NULL, NULL, NULL,
                'odpłatna wg dochodu', NULL, 'zawieszona', '2020-01-01T00:00:00Z',
                '2020-01-01T00:00:00Z'),
               (3, 'u-3', 1, 'Klub', 'kultura', NULL, NULL, NULL, 'nieodpłatnie', NULL,
                'zakonczona', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z'),
               (4, 'u-4', 1, 'Świetlica', 'kultura', NULL, NULL, NULL, NULL, NULL,
                'aktywna', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z');
        INSERT INTO uslugi_grupy VALUES (1, 'rodziny');
        INSERT INTO uslugi_zasieg VALUES (1, '1012');
        """
    )
    conn.commit()
    before = [
        tuple(r)
        for r in conn.execute(
            "SELECT id, uuid, instytucja, nazwa, obszar, opis, jak_skorzystac, kryteria, "
            "odplatnosc, kontakt, status, utworzono, zmieniono FROM uslugi ORDER BY id"
        )
    ]
    conn.close()
    open_db(path).conn.close()  # applies m004 and whatever follows
    conn = sq.connect(path)
    after = [
        tuple(r)
        for r in conn.execute(
            "SELECT id, uuid, instytucja, nazwa, obszar, opis, jak_skorzystac, kryteria, "
            "odplatnosc, kontakt, status, utworzono, zmieniono FROM uslugi ORDER BY id"
        )
    ]
    assert after == before
    assert list(
        conn.execute("SELECT id, bezplatna, miejsce, zweryfikowano FROM uslugi ORDER BY id")
    ) == [
        (1, 1, "siedziba", None),
        (2, 0, "siedziba", None),
        (3, 1, "siedziba", None),
        (4, None, "siedziba", None),
    ]
    assert list(conn.execute("SELECT * FROM uslugi_grupy")) == [(1, "rodziny")]
    assert list(conn.execute("SELECT * FROM uslugi_zasieg")) == [(1, "1012")]
    # Existing services and their provider are searchable right after the migration.
    hits = conn.execute(
        "SELECT rowid FROM uslugi_fts WHERE uslugi_fts MATCH ? ORDER BY rowid", ('"lasku"*',)
    )
    assert [r[0] for r in hits] == [1, 2, 3, 4]
    conn.close()


def test_fts_triggers_work_without_the_tools_functions(fresh: sqlite3.Connection) -> None:
    # A plain connection (Datasette, the sqlite3 shell) can edit services: the search
    # index follows without pl_fold().
    fresh.execute(
        "INSERT INTO instytucje (id, uuid, nazwa, sektor, gmina, utworzono, zmieniono) "
        "VALUES (900, 'x', 'Łódzki Bank Żywności', 'ngo', '1061011', 'x', 'x')"
    )
    fresh.execute(
        "INSERT INTO uslugi (id, uuid, instytucja, nazwa, obszar, utworzono, zmieniono) "
        "VALUES (900, 'y', 900, 'Paczki żywnościowe', 'pomoc_spoleczna', 'x', 'x')"
    )
    match = "SELECT rowid FROM uslugi_fts WHERE uslugi_fts MATCH ?"
    assert list(fresh.execute(match, ('"lodzki"* "zywnosc"*',))) == [(900,)]
    fresh.execute("UPDATE instytucje SET nazwa = 'Bank Żywności' WHERE id = 900")
    assert list(fresh.execute(match, ('"lodzki"*',))) == []
    fresh.execute("DELETE FROM uslugi WHERE id = 900")
    assert list(fresh.execute(match, ('"bank"*',))) == []
    fresh.rollback()


def test_the_list_of_names_matches_the_migrations() -> None:
    # Commands that only read check a database against schema.MIGRATIONS (no sqlite-utils).
    from kooperacje.store import schema
    from kooperacje.store.migrations import STEPS

    assert tuple(step.__name__.rsplit(".", 1)[1] for step in STEPS) == schema.MIGRATIONS
