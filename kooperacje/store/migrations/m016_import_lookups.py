"""Migration 16: the indexes an import looks rows up by, so an import grows linearly."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from kooperacje.store.migrations._common import run

if TYPE_CHECKING:
    from sqlite_utils import Database


def _fold_m016(text: str | None) -> str | None:
    # The folding of text.fold as it stood for m016, copied so this migration never changes:
    # lower case, no diacritics (ł included), single spaces. "Łódź" -> "lodz".
    if text is None:
        return None
    table = str.maketrans({"ł": "l", "Ł": "l", "ß": "ss", "æ": "ae", "ø": "o", "đ": "d"})
    decomposed = unicodedata.normalize("NFKD", text.translate(table))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def migrate(db: Database) -> None:
    """A folded service name, and indexes for the duplicate checks of imports."""
    run(
        db,
        """
        -- The service name folded for matching, as instytucje.nazwa_szukaj (m007): the
        -- duplicate check of a provider's services and the lookup of a service by name
        -- compared pl_fold(nazwa) of every row, in Python, for every row imported.
        ALTER TABLE uslugi ADD COLUMN nazwa_szukaj TEXT
        """,
    )
    rows = db.execute("SELECT id, nazwa FROM uslugi").fetchall()
    db.conn.executemany(
        "UPDATE uslugi SET nazwa_szukaj = :n WHERE id = :id",
        [{"id": row[0], "n": _fold_m016(row[1])} for row in rows],
    )
    run(
        db,
        """
        -- The same name in the same gmina (the duplicate check of every added institution):
        -- without it the check read every institution of the gmina, once per imported row.
        CREATE INDEX instytucje_gmina_szukaj ON instytucje(gmina, nazwa_szukaj);
        CREATE INDEX uslugi_instytucja_szukaj ON uslugi(instytucja, nazwa_szukaj);
        CREATE INDEX uslugi_szukaj ON uslugi(nazwa_szukaj)
        """,
    )
    # A rename by another client makes the folded name stale: clear it, and the lookups fold
    # such rows on the fly until the application edits them (as for instytucje in m007).
    db.execute(
        """
        CREATE TRIGGER uslugi_szukaj_nieaktualne AFTER UPDATE OF nazwa ON uslugi
        BEGIN
            UPDATE uslugi SET nazwa_szukaj = NULL WHERE id = NEW.id;
        END
        """
    )
