"""Migration 4: the service directory fields and the full-text index of services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kooperacje.store.migrations._common import run

if TYPE_CHECKING:
    from sqlite_utils import Database


# The letters SQLite's unicode61 tokenizer does not fold even with remove_diacritics 2:
# without this, "lodz" would not find "Łódź". Pure SQL, so the triggers work on any
# connection (Datasette, the sqlite3 shell), not only on those that register pl_fold().
_FTS_FOLD = "replace(replace({x}, 'ł', 'l'), 'Ł', 'L')"


def _fts_row(prefix: str) -> str:
    """The FTS values of the service `prefix` (NEW or a table alias), provider looked up."""
    provider = (
        "(SELECT i.nazwa || ifnull(' ' || i.skrot, '') FROM instytucje i "
        f"WHERE i.id = {prefix}.instytucja)"
    )
    columns = [f"{prefix}.nazwa", f"{prefix}.opis", f"{prefix}.kryteria", provider]
    return ", ".join(_FTS_FOLD.format(x=f"ifnull({c}, '')") for c in columns)


def migrate(db: Database) -> None:
    """A service as a directory entry (after HSDS 3.0), and full-text search over services."""
    run(
        db,
        """
        ALTER TABLE uslugi ADD COLUMN dokumenty TEXT;
        ALTER TABLE uslugi ADD COLUMN wiek_od INTEGER CHECK (wiek_od BETWEEN 0 AND 150);
        ALTER TABLE uslugi ADD COLUMN wiek_do INTEGER CHECK (wiek_do BETWEEN 0 AND 150);
        -- 1 bezpłatna, 0 odpłatna, NULL not stated; the older free text `odplatnosc`
        -- stays as the description of the cost.
        ALTER TABLE uslugi ADD COLUMN bezplatna INTEGER CHECK (bezplatna IN (0, 1));
        -- Where the service is given: at the provider's seat, at another address
        -- (adres/kod_pocztowy/miejscowosc below), online or by phone.
        ALTER TABLE uslugi ADD COLUMN miejsce TEXT NOT NULL DEFAULT 'siedziba'
            CHECK (miejsce IN ('siedziba', 'adres', 'online', 'telefon'));
        ALTER TABLE uslugi ADD COLUMN adres TEXT;
        ALTER TABLE uslugi ADD COLUMN kod_pocztowy TEXT;
        ALTER TABLE uslugi ADD COLUMN miejscowosc TEXT;
        -- Opening hours as the provider words them.
        ALTER TABLE uslugi ADD COLUMN godziny TEXT;
        -- Days of the week when known: codes pn,wt,sr,cz,pt,so,nd joined with commas.
        ALTER TABLE uslugi ADD COLUMN dni TEXT;
        ALTER TABLE uslugi ADD COLUMN kontakt_osoba TEXT;
        ALTER TABLE uslugi ADD COLUMN kontakt_telefon TEXT;
        ALTER TABLE uslugi ADD COLUMN kontakt_email TEXT;
        -- Last check that the entry is still true (a date), and who checked it: a directory
        -- nobody verifies goes stale, and `kooperacje luki` lists what needs a check.
        ALTER TABLE uslugi ADD COLUMN zweryfikowano TEXT;
        ALTER TABLE uslugi ADD COLUMN zweryfikowal TEXT;
        CREATE INDEX uslugi_status ON uslugi(status);
        CREATE INDEX uslugi_zweryfikowano ON uslugi(zweryfikowano)
        """,
    )
    # Older services stated the cost only in words; keep them and read the obvious ones.
    for row in list(db.query("SELECT id, odplatnosc FROM uslugi WHERE odplatnosc IS NOT NULL")):
        words = row["odplatnosc"].lower().replace("ł", "l")
        free = (
            1 if "bezplatn" in words or "nieodplatn" in words else 0 if "platn" in words else None
        )
        if free is not None:
            db.execute(
                "UPDATE uslugi SET bezplatna = :free WHERE id = :id",
                {"free": free, "id": row["id"]},
            )
    # Not enable_fts(create_triggers=True): the indexed text needs ł folded and the
    # provider's name joined in, which its generated triggers cannot do.
    run(
        db,
        f"""
        CREATE VIRTUAL TABLE uslugi_fts USING fts5(
            nazwa, opis, kryteria, instytucja,
            tokenize = 'unicode61 remove_diacritics 2'
        );
        INSERT INTO uslugi_fts (rowid, nazwa, opis, kryteria, instytucja)
            SELECT u.id, {_fts_row("u")} FROM uslugi u
        """,
    )
    # One statement each: a trigger body holds semicolons.
    insert_new = (
        "INSERT INTO uslugi_fts (rowid, nazwa, opis, kryteria, instytucja) "
        f"VALUES (NEW.id, {_fts_row('NEW')});"
    )
    db.execute(f"CREATE TRIGGER uslugi_fts_ai AFTER INSERT ON uslugi BEGIN {insert_new} END")
    db.execute(
        "CREATE TRIGGER uslugi_fts_ad AFTER DELETE ON uslugi BEGIN "
        "DELETE FROM uslugi_fts WHERE rowid = OLD.id; END"
    )
    db.execute(
        "CREATE TRIGGER uslugi_fts_au AFTER UPDATE OF nazwa, opis, kryteria, instytucja "
        f"ON uslugi BEGIN DELETE FROM uslugi_fts WHERE rowid = OLD.id; {insert_new} END"
    )
    db.execute(
        "CREATE TRIGGER instytucje_uslugi_fts_au AFTER UPDATE OF nazwa, skrot ON instytucje "
        "BEGIN DELETE FROM uslugi_fts WHERE rowid IN "
        "(SELECT id FROM uslugi WHERE instytucja = NEW.id); "
        "INSERT INTO uslugi_fts (rowid, nazwa, opis, kryteria, instytucja) "
        f"SELECT u.id, {_fts_row('u')} FROM uslugi u WHERE u.instytucja = NEW.id; END"
    )
