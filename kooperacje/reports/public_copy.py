"""A public copy of the database (`kooperacje baza publiczna`): the teams, institutions and
the services basket, safe to publish (Datasette, any host).

What it keeps is listed, not what it drops: a table or column a later version adds stays
out until it is named here. So the copy has no persons, no staff contacts (a service's
contact person, phone and e-mail, who verified it, who signed a declaration, the attendance
of persons), no internal remarks, meeting minutes, history or logs, and task teams only as
per-team figures with every figure below 3 shown as "mniej niż 3". Names, e-mails and
phones of staff (as recorded anywhere in the database) are also replaced in the texts
kept, as erasure would replace them.

The copy is built in memory (no personal data reaches the disk on the way) and written with
VACUUM INTO through the guarded writer: the file has no free pages and no journal.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kooperacje import files
from kooperacje.errors import DatabaseError
from kooperacje.reports.task_team_report import published
from kooperacje.store.db import sqlite_problem
from kooperacje.store.personal_values import Finder, Value
from kooperacje.teams import task_team_figures
from kooperacje.text import fold

if TYPE_CHECKING:
    from sqlite_utils import Database

# Table -> the columns the public copy keeps (None: every column; a register or vocabulary).
PUBLIC: dict[str, tuple[str, ...] | None] = {
    "teryt": (
        "kod", "poziom", "nazwa", "rodzaj", "rodz", "wojewodztwo", "powiat", "stan_na",
        "nazwa_szukaj",
    ),
    "makroregiony": None,
    "sektory": None,
    "obszary_uslug": None,
    "grupy_docelowe": None,
    "rodzaje_spotkan": None,
    "rodzaje_deklaracji": None,
    "instytucje": (
        "id", "uuid", "nazwa", "skrot", "sektor", "gmina", "adres", "kod_pocztowy",
        "miejscowosc", "telefon", "email", "www", "nip", "regon", "utworzono", "zmieniono",
    ),
    "zespoly": (
        "id", "uuid", "gmina", "nazwa", "lider", "projekt", "data_utworzenia", "misja",
        "utworzono", "zmieniono",
    ),
    "zespoly_obszar": None,
    "instytucje_biura": (
        "id", "uuid", "instytucja", "nazwa", "adres", "kod_pocztowy", "miejscowosc", "telefon",
    ),
    "projekty": ("id", "uuid", "nazwa", "skrot", "program", "wspolfinansowanie", "od", "do"),
    "projekty_instytucje": ("id", "projekt", "instytucja", "rola", "opis"),
    "projekty_makroregiony": None,
    "projekty_jst": None,
    "porozumienia": (
        "id", "uuid", "nazwa", "przedmiot", "projekt", "status", "termin_podpisania",
        "data_podpisania", "obowiazuje_od", "obowiazuje_do",
    ),
    "porozumienia_strony": ("id", "porozumienie", "instytucja", "jst"),
    "spotkania_zespoly": None,
    "spotkania": (
        "id", "uuid", "zespol", "data", "godzina", "miejsce", "adres", "rodzaj", "tytul",
    ),
    "obecnosci": ("id", "spotkanie", "instytucja", "status"),
    "deklaracje": ("id", "uuid", "zespol", "instytucja", "rodzaj", "data", "spotkanie"),
    "uslugi": (
        "id", "uuid", "instytucja", "nazwa", "obszar", "opis", "jak_skorzystac", "kryteria",
        "dokumenty", "wiek_od", "wiek_do", "bezplatna", "odplatnosc", "miejsce", "adres",
        "kod_pocztowy", "miejscowosc", "godziny", "dni", "kontakt", "status", "zweryfikowano",
        "biuro", "utworzono", "zmieniono",
    ),
    "uslugi_grupy": None,
    "uslugi_zasieg": None,
    "spotkania_uslugi": None,
}  # fmt: skip
# Fields of the kept tables where staff names or contacts may have been typed.
_TEXTS = {
    "uslugi": ("opis", "jak_skorzystac", "kryteria", "dokumenty", "odplatnosc", "kontakt",
               "adres", "godziny"),
    "spotkania": ("tytul", "miejsce", "adres"),
    "zespoly": ("nazwa", "misja"),
    "porozumienia": ("nazwa", "przedmiot"),
    "projekty_instytucje": ("opis",),
    "instytucje_biura": ("nazwa", "adres"),
    "instytucje": ("nazwa", "adres"),
}  # fmt: skip
# Where the database holds staff names and contacts: (table, column, kind).
_PERSONAL = (
    ("osoby", "imie_nazwisko", "imie_nazwisko"),
    ("osoby", "telefon", "telefon"),
    ("osoby", "email", "email"),
    ("uslugi", "kontakt_osoba", "imie_nazwisko"),
    ("uslugi", "kontakt_telefon", "telefon"),
    ("uslugi", "kontakt_email", "email"),
    ("uslugi", "zweryfikowal", "imie_nazwisko"),
    ("deklaracje", "podpisal", "imie_nazwisko"),
)
# The search tables: each holds the text as written (a word typed with "ł" matches) and
# folded ("lodz" matches "Łódź": SQLite's tokenizer never folds "ł").
SEARCH = {
    "uslugi": ("szukaj_uslug", ("nazwa", "opis", "kryteria")),
    "instytucje": ("szukaj_instytucji", ("nazwa", "skrot", "miejscowosc")),
}
TASK_TEAMS = "zzk_liczby"
FIGURES = (
    "otwarte", "osoby", "rodziny", "zamkniete", "cel_osiagniety", "przerwane", "w_toku",
    "spotkania",
)  # fmt: skip


@dataclass(frozen=True)
class PublicCopy:
    """The written file and what it holds."""

    plik: Path
    zespoly: int
    instytucje: int
    uslugi: int


def is_public_copy(path: Path) -> bool:
    """Whether path is a public copy this program wrote: its own tables, and none of a
    working database (so no database with personal data is ever taken for one)."""
    if not files.is_sqlite(path) or files.is_live_database(path):
        return False
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        try:
            names = {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return {TASK_TEAMS, *(n for n, _ in SEARCH.values())} <= names and not names & {
        "_sqlite_migrations", "osoby", "_zmiany", "_wymazania",
    }  # fmt: skip


def write(db: Database, destination: Path) -> PublicCopy:
    """Write the public copy of db to destination (see the module's notes): a new file, or
    in place of an earlier public copy (never of any other database)."""
    from sqlite_utils import Database as SqliteDatabase

    final = Path(os.path.realpath(Path(destination).expanduser()))
    replacing = is_public_copy(final)
    # An earlier copy is replaced by a rename, as the guarded writer replaces other files.
    target = final.with_name(f".{final.name}.{os.getpid()}.nowa") if replacing else destination

    memory = sqlite3.connect(":memory:")
    try:
        db.conn.backup(memory)
        copy = SqliteDatabase(memory, execute_plugins=False)
        figures = _task_team_figures(db)
        finder = _finder(db)
        _strip(copy)
        _scrub(copy, finder)
        _add_figures(copy, figures)
        _add_search(copy)
        counts = [
            int(memory.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
            for t in ("zespoly", "instytucje", "uslugi")
        ]
        memory.commit()
        with files.atomic(target, personal=False) as temp:
            temp.unlink()
            memory.execute("VACUUM INTO ?", (str(temp),))
        if replacing:
            _replace(Path(target), final)
    except sqlite3.Error as exc:
        raise DatabaseError(
            f'nie można zapisać kopii publicznej "{destination}": {sqlite_problem(exc)}. '
            "Nic nie zapisano."
        ) from None
    finally:
        memory.close()
    return PublicCopy(final, counts[0], counts[1], counts[2])


def _replace(new: Path, old: Path) -> None:
    try:
        os.replace(new, old)
    except OSError as exc:
        new.unlink(missing_ok=True)
        raise files.error(exc, old) from None
    files.fsync_directory(old.parent)


def _task_team_figures(db: Database) -> list[dict[str, Any]]:
    """Each team's task-team figures since the first record, as published."""
    ids = [int(r[0]) for r in db.execute("SELECT id FROM zespoly ORDER BY id").fetchall()]
    today = dt.date.today().isoformat()
    data = task_team_figures.figures(db, ids, None, today, obszary=False)
    rows = []
    for team_id, counts in data.zespoly.items():
        shown = asdict(published(counts, since_start=True))
        rows.append({"zespol": team_id} | {k: shown[k]["tekst"] for k in FIGURES})
    return rows


def _finder(db: Database) -> Finder:
    """Every staff name and contact the database records, except an institution's own
    phone or e-mail (the switchboard is the institution's, and public)."""
    own = {
        str(v).strip().casefold()
        for row in db.execute("SELECT telefon, email FROM instytucje").fetchall()
        for v in row
        if v
    }
    values: dict[tuple[str, str], Value] = {}
    for table, column, kind in _PERSONAL:
        for (text,) in db.execute(
            f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL"
        ).fetchall():
            text = str(text).strip()
            if text and text.casefold() not in own:
                values[(kind, text.casefold())] = Value(kind, text, None)
    return Finder(values.values())


def _strip(copy: Database) -> None:
    """Keep only the public tables and columns (see PUBLIC)."""
    conn = copy.conn
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'view'").fetchall():
        conn.execute(f'DROP VIEW "{name}"')
    tables = [
        str(r[0])
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    ]
    # Virtual tables first: their shadow tables go with them.
    virtual = {
        str(r[0])
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'"
        ).fetchall()
    }
    conn.execute("PRAGMA foreign_keys = OFF")
    for name in sorted(virtual):
        conn.execute(f'DROP TABLE IF EXISTS "{name}"')
    for name in tables:
        if name not in PUBLIC and name not in virtual:
            conn.execute(f'DROP TABLE IF EXISTS "{name}"')
    for name, keep in PUBLIC.items():
        if keep is None or not copy.table(name).exists():
            continue
        columns = [c.name for c in copy.table(name).columns]
        drop = [c for c in columns if c not in keep]
        if not drop:
            continue
        foreign = [str(fk.column) for fk in copy.table(name).foreign_keys if fk.column in drop]
        for (index,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS "
            "NOT NULL",
            (name,),
        ).fetchall():
            conn.execute(f'DROP INDEX "{index}"')
        copy.table(name).transform(drop=drop, drop_foreign_keys=foreign)
        # The references left keep their indexes (the basket joins on them).
        for fk in copy.table(name).foreign_keys:
            copy.table(name).create_index([str(fk.column)], if_not_exists=True)
    conn.commit()


def _scrub(copy: Database, finder: Finder) -> None:
    """Staff names and contacts typed into the kept texts become "[dane usunięte]"."""
    for table, columns in _TEXTS.items():
        rows = copy.execute(f"SELECT id, {', '.join(columns)} FROM {table}").fetchall()
        for row in rows:
            changed = {}
            for column, text in zip(columns, row[1:], strict=True):
                clean = finder.scrub(text, None)
                if clean != text:
                    changed[column] = clean if clean is not None else "[dane usunięte]"
            if changed:
                copy.table(table).update(row[0], changed)
    copy.conn.commit()


def _add_figures(copy: Database, rows: list[dict[str, Any]]) -> None:
    copy.table(TASK_TEAMS).create(
        {"zespol": int} | dict.fromkeys(FIGURES, str),
        pk="zespol",
        foreign_keys=[("zespol", "zespoly", "id")],
    )
    copy.table(TASK_TEAMS).insert_all(rows)
    copy.conn.commit()


def _add_search(copy: Database) -> None:
    """A search table per searchable table; rowid = the record's id (Datasette's fts_pk)."""
    for table, (name, columns) in SEARCH.items():
        folded = [f"{c}_bez_znakow" for c in columns]
        copy.execute(
            f"CREATE VIRTUAL TABLE {name} USING fts5({', '.join([*columns, *folded])}, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
        rows = copy.execute(f"SELECT id, {', '.join(columns)} FROM {table}").fetchall()
        marks = ", ".join("?" for _ in range(1 + 2 * len(columns)))
        copy.conn.executemany(
            f"INSERT INTO {name} (rowid, {', '.join([*columns, *folded])}) VALUES ({marks})",
            [
                (row[0], *row[1:], *(fold(str(v)) if v is not None else None for v in row[1:]))
                for row in rows
            ],
        )
    copy.conn.commit()
