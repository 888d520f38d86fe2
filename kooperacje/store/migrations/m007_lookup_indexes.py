"""Migration 7: folded names and the indexes of lookups."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from kooperacje.store.migrations._common import run

if TYPE_CHECKING:
    from sqlite_utils import Database


def _fold_m007(text: str | None) -> str | None:
    # The folding of text.fold as it stood for m007, copied so this migration never changes:
    # lower case, no diacritics (ł included), single spaces. "Łódź" -> "lodz".
    if text is None:
        return None
    table = str.maketrans({"ł": "l", "Ł": "l", "ß": "ss", "æ": "ae", "ø": "o", "đ": "d"})
    decomposed = unicodedata.normalize("NFKD", text.translate(table))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def migrate(db: Database) -> None:
    """Folded names and indexes, so lookups stay instant with every team of the country."""
    run(
        db,
        """
        -- Names folded for matching ("Łódź" -> "lodz"). Name lookups compare these through an
        -- index instead of folding every row in Python on each query (about 3 s for a name
        -- lookup among 100,000 institutions). The register is loaded once (m001) and the
        -- application keeps the institutions' columns in step with nazwa and skrot.
        ALTER TABLE teryt ADD COLUMN nazwa_szukaj TEXT;
        ALTER TABLE instytucje ADD COLUMN nazwa_szukaj TEXT;
        ALTER TABLE instytucje ADD COLUMN skrot_szukaj TEXT
        """,
    )
    for table, key, columns in (
        ("teryt", "kod", ("nazwa",)),
        ("instytucje", "id", ("nazwa", "skrot")),
    ):
        rows = db.execute(f"SELECT {key}, {', '.join(columns)} FROM {table}").fetchall()
        assignments = ", ".join(f"{c}_szukaj = :{c}" for c in columns)
        db.conn.executemany(
            f"UPDATE {table} SET {assignments} WHERE {key} = :key",
            [
                {"key": row[0]} | {c: _fold_m007(v) for c, v in zip(columns, row[1:], strict=True)}
                for row in rows
            ],
        )
    run(
        db,
        """
        CREATE INDEX teryt_nazwa_szukaj ON teryt(poziom, nazwa_szukaj);
        -- Exact name lookups use its prefix; a fragment search scans this narrow index
        -- (a covering scan) instead of the whole table.
        CREATE INDEX instytucje_szukaj ON instytucje(nazwa_szukaj, skrot_szukaj);
        CREATE INDEX instytucje_skrot_szukaj ON instytucje(skrot_szukaj);
        -- The basket finds its services by reach; with usluga in the index no row of
        -- uslugi_zasieg itself is read.
        CREATE INDEX uslugi_zasieg_teryt_usluga ON uslugi_zasieg(teryt, usluga)
        """,
    )
    # A rename by another client (Datasette, the sqlite3 shell) makes the folded names stale:
    # clear them, and the lookups fold such rows on the fly until the application edits them.
    db.execute(
        """
        CREATE TRIGGER instytucje_szukaj_nieaktualne AFTER UPDATE OF nazwa, skrot ON instytucje
        BEGIN
            UPDATE instytucje SET nazwa_szukaj = NULL, skrot_szukaj = NULL WHERE id = NEW.id;
        END
        """
    )
