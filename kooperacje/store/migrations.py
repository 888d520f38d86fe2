"""The schema, as numbered migrations. A released migration is never edited or renamed.

Migrations import no application helpers: what they load (the territorial
register, the vocabularies) comes from the data files shipped beside them.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from sqlite_utils import Database, Migrations

migrations = Migrations("kooperacje")


def migration_names() -> set[str]:
    """Every migration this version knows: a database with others is from a newer one."""
    return {name for name in globals() if name[:1] == "m" and name[1:4].isdigit()}


def _data(name: str) -> str:
    # Beside this file, not via importlib.resources: that import alone slows every start-up.
    return (Path(__file__).parents[1] / "data" / name).read_text("utf-8")


def _run(db: Database, statements: str) -> None:
    # executescript() would commit the migration's transaction; run one by one instead.
    for statement in statements.split(";\n"):
        if statement.strip():
            db.execute(statement)


@migrations()
def m001_register(db: Database) -> None:
    """The territorial register (TERC) and the macroregions of the cooperation projects."""
    _run(
        db,
        """
        CREATE TABLE teryt (
            kod TEXT PRIMARY KEY,          -- 2 (województwo), 4 (powiat) or 7 digits (gmina)
            poziom TEXT NOT NULL,          -- wojewodztwo, powiat, gmina, czesc_gminy
            nazwa TEXT NOT NULL,
            rodzaj TEXT NOT NULL,          -- GUS's NAZWA_DOD: gmina miejska, powiat, …
            rodz TEXT,                     -- GUS RODZ: 1 miejska, 2 wiejska, 3 miejsko-wiejska
            wojewodztwo TEXT NOT NULL REFERENCES teryt(kod),
            powiat TEXT REFERENCES teryt(kod),
            stan_na TEXT NOT NULL
        );
        CREATE INDEX teryt_powiat ON teryt(powiat);
        CREATE INDEX teryt_wojewodztwo ON teryt(wojewodztwo);
        CREATE INDEX teryt_poziom ON teryt(poziom);
        CREATE TABLE makroregiony (
            wojewodztwo TEXT PRIMARY KEY REFERENCES teryt(kod),
            makroregion TEXT NOT NULL,
            projekt TEXT NOT NULL,
            lider TEXT NOT NULL
        )
        """,
    )
    rows = []
    for rec in csv.DictReader(io.StringIO(_data("terc.csv"))):
        code = rec["woj"] + rec["pow"] + rec["gmi"] + rec["rodz"]
        if not rec["pow"]:
            level = "wojewodztwo"
        elif not rec["gmi"]:
            level = "powiat"
        else:
            level = "gmina" if rec["rodz"] in ("1", "2", "3") else "czesc_gminy"
        rows.append(
            {
                "kod": code,
                "poziom": level,
                "nazwa": rec["nazwa"],
                "rodzaj": rec["nazwa_dod"],
                "rodz": rec["rodz"] or None,
                "wojewodztwo": rec["woj"],
                "powiat": rec["woj"] + rec["pow"] if rec["gmi"] else None,
                "stan_na": rec["stan_na"],
            }
        )
    db.table("teryt").insert_all(rows)
    db.table("makroregiony").insert_all(
        {
            "wojewodztwo": rec["woj"],
            "makroregion": rec["makroregion"],
            "projekt": rec["projekt"],
            "lider": rec["lider"],
        }
        for rec in csv.DictReader(io.StringIO(_data("makroregiony.csv")))
    )


@migrations()
def m002_vocabularies(db: Database) -> None:
    """Vocabulary tables, so codes are real foreign keys and readable in Datasette."""
    vocabularies = json.loads(_data("slowniki.json"))
    for table, spec in vocabularies.items():
        extra = ", kluczowy INTEGER NOT NULL DEFAULT 0" if table == "sektory" else ""
        db.execute(
            f"CREATE TABLE {table} (kod TEXT PRIMARY KEY, nazwa TEXT NOT NULL, "
            f"kolejnosc INTEGER NOT NULL{extra})"
        )
        db.table(table).insert_all(
            {"kod": item["kod"], "nazwa": item["nazwa"], "kolejnosc": order}
            | ({"kluczowy": int(item["kluczowy"])} if table == "sektory" else {})
            for order, item in enumerate(spec["pozycje"], start=1)
        )


@migrations()
def m003_core(db: Database) -> None:
    """Institutions, their staff, teams, meetings, declarations and services."""
    _run(
        db,
        """
        CREATE TABLE instytucje (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,     -- stable identity when files of two coordinators merge
            nazwa TEXT NOT NULL,
            skrot TEXT,
            sektor TEXT NOT NULL REFERENCES sektory(kod),
            gmina TEXT NOT NULL REFERENCES teryt(kod),  -- seat of the institution
            adres TEXT,
            kod_pocztowy TEXT,
            miejscowosc TEXT,
            telefon TEXT,                  -- normalised international form, e.g. +48 44 715 07 95
            email TEXT,
            www TEXT,
            nip TEXT,
            regon TEXT,
            uwagi TEXT,
            utworzono TEXT NOT NULL,
            zmieniono TEXT NOT NULL
        );
        CREATE UNIQUE INDEX instytucje_nip ON instytucje(nip) WHERE nip IS NOT NULL;
        CREATE UNIQUE INDEX instytucje_regon ON instytucje(regon) WHERE regon IS NOT NULL;
        CREATE INDEX instytucje_gmina ON instytucje(gmina);
        CREATE INDEX instytucje_sektor ON instytucje(sektor);
        CREATE TABLE osoby (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            instytucja INTEGER NOT NULL REFERENCES instytucje(id) ON DELETE CASCADE,
            imie_nazwisko TEXT NOT NULL,
            stanowisko TEXT,
            telefon TEXT,
            email TEXT,
            utworzono TEXT NOT NULL,
            zmieniono TEXT NOT NULL
        );
        CREATE INDEX osoby_instytucja ON osoby(instytucja);
        CREATE TABLE zespoly (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            gmina TEXT NOT NULL UNIQUE REFERENCES teryt(kod),  -- one PZK per gmina
            nazwa TEXT NOT NULL,
            lider INTEGER REFERENCES instytucje(id),
            projekt TEXT,
            data_utworzenia TEXT,
            utworzono TEXT NOT NULL,
            zmieniono TEXT NOT NULL
        );
        CREATE INDEX zespoly_lider ON zespoly(lider);
        CREATE TABLE spotkania (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            zespol INTEGER NOT NULL REFERENCES zespoly(id),
            data TEXT NOT NULL,
            godzina TEXT,
            miejsce TEXT NOT NULL,
            adres TEXT,
            rodzaj TEXT NOT NULL REFERENCES rodzaje_spotkan(kod),
            tytul TEXT,
            opis TEXT,
            utworzono TEXT NOT NULL,
            zmieniono TEXT NOT NULL
        );
        CREATE INDEX spotkania_zespol_data ON spotkania(zespol, data);
        CREATE INDEX spotkania_data ON spotkania(data);
        CREATE TABLE obecnosci (
            id INTEGER PRIMARY KEY,
            spotkanie INTEGER NOT NULL REFERENCES spotkania(id) ON DELETE CASCADE,
            instytucja INTEGER NOT NULL REFERENCES instytucje(id),
            osoba INTEGER REFERENCES osoby(id) ON DELETE SET NULL  -- who came, when known
        );
        CREATE UNIQUE INDEX obecnosci_jednoznaczne
            ON obecnosci(spotkanie, instytucja, ifnull(osoba, 0));
        CREATE INDEX obecnosci_instytucja ON obecnosci(instytucja);
        CREATE INDEX obecnosci_osoba ON obecnosci(osoba);
        CREATE TABLE deklaracje (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            zespol INTEGER NOT NULL REFERENCES zespoly(id),
            instytucja INTEGER NOT NULL REFERENCES instytucje(id),
            rodzaj TEXT NOT NULL REFERENCES rodzaje_deklaracji(kod),
            data TEXT NOT NULL,
            podpisal TEXT,                 -- who signed, as written on the paper
            spotkanie INTEGER REFERENCES spotkania(id),  -- the meeting where it was signed
            uwagi TEXT,
            utworzono TEXT NOT NULL
        );
        CREATE INDEX deklaracje_zespol ON deklaracje(zespol, instytucja, data);
        CREATE INDEX deklaracje_instytucja ON deklaracje(instytucja);
        CREATE INDEX deklaracje_spotkanie ON deklaracje(spotkanie);
        CREATE TABLE uslugi (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            instytucja INTEGER NOT NULL REFERENCES instytucje(id),
            nazwa TEXT NOT NULL,
            obszar TEXT NOT NULL REFERENCES obszary_uslug(kod),
            opis TEXT,
            jak_skorzystac TEXT,
            kryteria TEXT,
            odplatnosc TEXT,
            kontakt TEXT,
            status TEXT NOT NULL DEFAULT 'aktywna'
                CHECK (status IN ('aktywna', 'zawieszona', 'zakonczona')),
            utworzono TEXT NOT NULL,
            zmieniono TEXT NOT NULL
        );
        CREATE INDEX uslugi_instytucja ON uslugi(instytucja);
        CREATE INDEX uslugi_obszar ON uslugi(obszar);
        CREATE TABLE uslugi_grupy (
            usluga INTEGER NOT NULL REFERENCES uslugi(id) ON DELETE CASCADE,
            grupa TEXT NOT NULL REFERENCES grupy_docelowe(kod),
            PRIMARY KEY (usluga, grupa)
        );
        CREATE INDEX uslugi_grupy_grupa ON uslugi_grupy(grupa);
        -- Where a service is available: TERYT codes of gminas, powiats or voivodeships.
        CREATE TABLE uslugi_zasieg (
            usluga INTEGER NOT NULL REFERENCES uslugi(id) ON DELETE CASCADE,
            teryt TEXT NOT NULL REFERENCES teryt(kod),
            PRIMARY KEY (usluga, teryt)
        );
        CREATE INDEX uslugi_zasieg_teryt ON uslugi_zasieg(teryt);
        -- Every edit, so nothing is overwritten silently.
        CREATE TABLE _zmiany (
            id INTEGER PRIMARY KEY,
            tabela TEXT NOT NULL,
            rekord INTEGER NOT NULL,
            pole TEXT NOT NULL,
            stara TEXT,
            nowa TEXT,
            kiedy TEXT NOT NULL
        );
        CREATE INDEX _zmiany_rekord ON _zmiany(tabela, rekord)
        """,
    )


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


@migrations()
def m004_service_directory(db: Database) -> None:
    """A service as a directory entry (after HSDS 3.0), and full-text search over services."""
    _run(
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
    _run(
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


# The records whose every change the history keeps, and the columns it leaves out of
# field-by-field edits (bookkeeping that changes with every edit, or never changes).
HISTORY_TABLES = (
    "instytucje",
    "osoby",
    "zespoly",
    "spotkania",
    "deklaracje",
    "uslugi",
    "obecnosci",
)
_UNLOGGED_FIELDS = ("id", "uuid", "utworzono", "zmieniono")
_STAMP = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"


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
        f"{insert} VALUES ('{table}', new.id, '*', NULL, {record('new')}, {_STAMP}, 'dodanie'); "
        "END"
    )
    db.execute(
        f'CREATE TRIGGER "_historia_{table}_usuniecie" AFTER DELETE ON "{table}" BEGIN '
        f"{insert} VALUES ('{table}', old.id, '*', {record('old')}, NULL, {_STAMP}, 'usuniecie'); "
        "END"
    )
    fields = [name for name in columns if name not in _UNLOGGED_FIELDS]
    statements = " ".join(
        f"{insert} SELECT '{table}', new.id, '{name}', CAST(old.\"{name}\" AS TEXT), "
        f"CAST(new.\"{name}\" AS TEXT), {_STAMP}, 'zmiana' "
        f'WHERE old."{name}" IS NOT new."{name}";'
        for name in fields
    )
    db.execute(
        f'CREATE TRIGGER "_historia_{table}_zmiana" AFTER UPDATE ON "{table}" BEGIN '
        f"{statements} END"
    )


@migrations()
def m005_invitations(db: Database) -> None:
    """Invitations and attendance statuses, decisions and next meeting, services presented."""
    _run(
        db,
        """
        -- One row per invited or attending institution (and person): every row recorded
        -- before invitations existed was an attendance mark, hence the default.
        ALTER TABLE obecnosci ADD COLUMN status TEXT NOT NULL DEFAULT 'obecny'
            CHECK (status IN ('zaproszony', 'obecny', 'usprawiedliwiony', 'nieobecny'));
        CREATE INDEX obecnosci_status ON obecnosci(spotkanie, status);
        -- What the team agreed on, for the minutes (opis stays the summary).
        ALTER TABLE spotkania ADD COLUMN ustalenia TEXT;
        -- Date (and free text) of the next meeting when agreed, for the minutes.
        ALTER TABLE spotkania ADD COLUMN nastepne TEXT;
        -- Services an institution presented at a meeting (they are in the basket anyway).
        CREATE TABLE spotkania_uslugi (
            spotkanie INTEGER NOT NULL REFERENCES spotkania(id) ON DELETE CASCADE,
            usluga INTEGER NOT NULL REFERENCES uslugi(id) ON DELETE CASCADE,
            PRIMARY KEY (spotkanie, usluga)
        );
        CREATE INDEX spotkania_uslugi_usluga ON spotkania_uslugi(usluga)
        """,
    )


@migrations()
def m006_history(db: Database) -> None:
    """The full history: triggers record every insert, edit and deletion of the main
    records, so nothing a command (or an import, or Datasette) does goes unrecorded."""
    # What happened to the record: dodanie, zmiana, usuniecie, or wymazanie (personal
    # data erased on request; the row then only says that and when).
    db.execute("ALTER TABLE _zmiany ADD COLUMN operacja TEXT NOT NULL DEFAULT 'zmiana'")
    # Until now a deleted row was kept as field '*' with the row as JSON in `stara`.
    db.execute("UPDATE _zmiany SET operacja = 'usuniecie' WHERE pole = '*'")
    db.execute("CREATE INDEX _zmiany_kiedy ON _zmiany(kiedy)")
    for table in HISTORY_TABLES:
        history_triggers(db, table)


def _fold_m007(text: str | None) -> str | None:
    # The folding of text.fold as it stood for m007, copied so this migration never changes:
    # lower case, no diacritics (ł included), single spaces. "Łódź" -> "lodz".
    import unicodedata

    if text is None:
        return None
    table = str.maketrans({"ł": "l", "Ł": "l", "ß": "ss", "æ": "ae", "ø": "o", "đ": "d"})
    decomposed = unicodedata.normalize("NFKD", text.translate(table))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


@migrations()
def m007_lookup_indexes(db: Database) -> None:
    """Folded names and indexes, so lookups stay instant with every team of the country."""
    _run(
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
    _run(
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
