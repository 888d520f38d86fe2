"""Exports of whole tables as CSV (as Excel in Poland opens it), XLSX or JSON.

Every CSV cell that a spreadsheet program could take for a formula is neutralised
(kooperacje.spreadsheet), so a name typed as `=HYPERLINK(...)` stays text. The columns
are what `kooperacje import` reads back: an export re-imports to the same data.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from kooperacje.spreadsheet import csv_bytes

if TYPE_CHECKING:
    from sqlite_utils import Database


class ExportFormat(str, Enum):
    """What an export file is."""

    csv = "csv"
    xlsx = "xlsx"
    json = "json"


@dataclass(frozen=True)
class Column:
    """One exported column: its key (JSON, SQL alias) and its Polish header (CSV, XLSX)."""

    key: str
    naglowek: str


@dataclass(frozen=True)
class Table:
    """An exported table: rows as dicts keyed by the columns' keys."""

    nazwa: str
    kolumny: tuple[Column, ...]
    wiersze: tuple[dict[str, Any], ...]


def _columns(*pairs: tuple[str, str]) -> tuple[Column, ...]:
    return tuple(Column(key, header) for key, header in pairs)


# Each export: its columns (a later schema adds a column here and to the SQL) and the query.
SPECS: dict[str, tuple[tuple[Column, ...], str]] = {
    "instytucje": (
        _columns(
            ("nr", "Nr"),
            ("uuid", "UUID"),
            ("nazwa", "Nazwa"),
            ("skrot", "Skrót"),
            ("sektor", "Sektor"),
            ("gmina", "Gmina"),
            ("adres", "Adres"),
            ("kod_pocztowy", "Kod pocztowy"),
            ("miejscowosc", "Miejscowość"),
            ("telefon", "Telefon"),
            ("email", "E-mail"),
            ("www", "WWW"),
            ("nip", "NIP"),
            ("regon", "REGON"),
            ("uwagi", "Uwagi"),
        ),
        """SELECT id AS nr, uuid, nazwa, skrot, sektor, gmina, adres, kod_pocztowy, miejscowosc,
                  telefon, email, www, nip, regon, uwagi
           FROM instytucje ORDER BY id""",
    ),
    "osoby": (
        _columns(
            ("nr", "Nr"),
            ("uuid", "UUID"),
            ("imie_nazwisko", "Imię i nazwisko"),
            ("stanowisko", "Stanowisko"),
            ("telefon", "Telefon"),
            ("email", "E-mail"),
            ("instytucja", "Instytucja nr"),
            ("instytucja_nazwa", "Instytucja"),
        ),
        """SELECT o.id AS nr, o.uuid, o.imie_nazwisko, o.stanowisko, o.telefon, o.email,
                  o.instytucja, i.nazwa AS instytucja_nazwa
           FROM osoby o JOIN instytucje i ON i.id = o.instytucja ORDER BY o.id""",
    ),
    "zespoly": (
        _columns(
            ("nr", "Nr"),
            ("uuid", "UUID"),
            ("gmina", "Gmina"),
            ("nazwa", "Nazwa"),
            ("lider", "Instytucja wiodąca nr"),
            ("projekt", "Projekt nr"),
            ("projekt_nazwa", "Projekt"),
            ("data_utworzenia", "Data utworzenia"),
        ),
        """SELECT z.id AS nr, z.uuid, z.gmina, z.nazwa, z.lider, z.projekt,
                  p.nazwa AS projekt_nazwa, z.data_utworzenia
           FROM zespoly z LEFT JOIN projekty p ON p.id = z.projekt ORDER BY z.id""",
    ),
    "spotkania": (
        _columns(
            ("nr", "Nr"),
            ("uuid", "UUID"),
            ("zespol", "Zespół nr"),
            ("data", "Data"),
            ("godzina", "Godzina"),
            ("miejsce", "Miejsce"),
            ("adres", "Adres"),
            ("rodzaj", "Rodzaj"),
            ("tytul", "Tytuł"),
            ("opis", "Opis"),
        ),
        """SELECT id AS nr, uuid, zespol, data, godzina, miejsce, adres, rodzaj, tytul, opis
           FROM spotkania ORDER BY data, id""",
    ),
    "deklaracje": (
        _columns(
            ("nr", "Nr"),
            ("uuid", "UUID"),
            ("zespol", "Zespół nr"),
            ("instytucja", "Instytucja nr"),
            ("instytucja_nazwa", "Instytucja"),
            ("rodzaj", "Rodzaj"),
            ("data", "Data"),
            ("podpisal", "Podpisał"),
            ("spotkanie", "Spotkanie nr"),
            ("uwagi", "Uwagi"),
        ),
        """SELECT d.id AS nr, d.uuid, d.zespol, d.instytucja, i.nazwa AS instytucja_nazwa,
                  d.rodzaj, d.data, d.podpisal, d.spotkanie, d.uwagi
           FROM deklaracje d JOIN instytucje i ON i.id = d.instytucja ORDER BY d.data, d.id""",
    ),
    "uslugi": (
        _columns(
            ("nr", "Nr"),
            ("uuid", "UUID"),
            ("instytucja", "Instytucja nr"),
            ("instytucja_nazwa", "Instytucja"),
            ("nazwa", "Nazwa"),
            ("obszar", "Obszar"),
            ("opis", "Opis"),
            ("jak_skorzystac", "Jak skorzystać"),
            ("kryteria", "Kryteria"),
            ("odplatnosc", "Odpłatność"),
            ("kontakt", "Kontakt"),
            ("status", "Status"),
            ("grupy", "Grupy docelowe"),
            ("zasieg", "Zasięg"),
            ("dokumenty", "Wymagane dokumenty"),
            ("wiek_od", "Wiek od"),
            ("wiek_do", "Wiek do"),
            ("bezplatna", "Bezpłatna"),
            ("miejsce", "Miejsce"),
            ("adres", "Adres usługi"),
            ("kod_pocztowy", "Kod pocztowy usługi"),
            ("miejscowosc", "Miejscowość usługi"),
            ("godziny", "Godziny"),
            ("dni", "Dni"),
            ("kontakt_osoba", "Osoba kontaktowa"),
            ("kontakt_telefon", "Telefon kontaktowy"),
            ("kontakt_email", "E-mail kontaktowy"),
            ("zweryfikowano", "Zweryfikowano"),
            ("zweryfikowal", "Zweryfikował(a)"),
        ),
        """SELECT u.id AS nr, u.uuid, u.instytucja, i.nazwa AS instytucja_nazwa, u.nazwa,
                  u.obszar, u.opis, u.jak_skorzystac, u.kryteria, u.odplatnosc, u.kontakt,
                  u.status,
                  (SELECT group_concat(grupa, ', ') FROM
                     (SELECT grupa FROM uslugi_grupy WHERE usluga = u.id ORDER BY grupa)) AS grupy,
                  (SELECT group_concat(teryt, ', ') FROM
                     (SELECT teryt FROM uslugi_zasieg WHERE usluga = u.id ORDER BY teryt))
                     AS zasieg,
                  u.dokumenty, u.wiek_od, u.wiek_do,
                  -- In the words service_details.parse_cost reads back.
                  CASE u.bezplatna WHEN 1 THEN 'bezpłatna' WHEN 0 THEN 'odpłatna' END
                     AS bezplatna,
                  u.miejsce, u.adres, u.kod_pocztowy, u.miejscowosc, u.godziny, u.dni,
                  u.kontakt_osoba, u.kontakt_telefon, u.kontakt_email, u.zweryfikowano,
                  u.zweryfikowal
           FROM uslugi u JOIN instytucje i ON i.id = u.instytucja ORDER BY u.id""",
    ),
    # Task teams: categories and what the partnership did, under the generated case code.
    "zzk": (
        _columns(
            ("nr", "Nr"),
            ("uuid", "UUID"),
            ("kod", "Kod"),
            ("zespol", "Zespół nr"),
            ("zespol_nazwa", "Zespół"),
            ("kategoria", "Kategoria"),
            ("grupy", "Grupy docelowe"),
            ("obszary", "Obszary usług"),
            ("data_otwarcia", "Data otwarcia"),
            ("data_zamkniecia", "Data zamknięcia"),
            ("wynik", "Wynik"),
            ("instytucje", "Instytucje delegujące"),
            ("osoby", "Osoby delegowane"),
            ("uslugi", "Usługi"),
            ("spotkania", "Spotkania (obecne instytucje)"),
            ("uwagi", "Uwagi o współpracy"),
        ),
        """SELECT k.id AS nr, k.uuid, k.nazwa AS kod, k.zespol, z.nazwa AS zespol_nazwa,
                  k.kategoria,
                  (SELECT group_concat(grupa, ', ') FROM
                     (SELECT grupa FROM zzk_grupy WHERE zzk = k.id ORDER BY grupa)) AS grupy,
                  (SELECT group_concat(obszar, ', ') FROM
                     (SELECT obszar FROM zzk_obszary WHERE zzk = k.id ORDER BY obszar))
                     AS obszary,
                  k.data_otwarcia, k.data_zamkniecia, k.wynik,
                  (SELECT group_concat(nazwa, '; ') FROM
                     (SELECT i.nazwa FROM zzk_instytucje zi JOIN instytucje i
                        ON i.id = zi.instytucja WHERE zi.zzk = k.id ORDER BY i.id))
                     AS instytucje,
                  (SELECT group_concat(imie_nazwisko, '; ') FROM
                     (SELECT o.imie_nazwisko FROM zzk_osoby zo JOIN osoby o ON o.id = zo.osoba
                       WHERE zo.zzk = k.id ORDER BY o.id)) AS osoby,
                  (SELECT group_concat(nazwa, '; ') FROM
                     (SELECT u.nazwa FROM zzk_uslugi zu JOIN uslugi u ON u.id = zu.usluga
                       WHERE zu.zzk = k.id ORDER BY u.id)) AS uslugi,
                  (SELECT group_concat(opis, '; ') FROM
                     (SELECT s.data || ' (' || ifnull((SELECT group_concat(n, ', ') FROM
                          (SELECT coalesce(i.skrot, i.nazwa) AS n FROM zzk_obecnosci o
                             JOIN instytucje i ON i.id = o.instytucja
                            WHERE o.spotkanie = s.id ORDER BY i.id)), '') || ')' AS opis
                        FROM zzk_spotkania s WHERE s.zzk = k.id ORDER BY s.data)) AS spotkania,
                  k.uwagi
           FROM zzk k JOIN zespoly z ON z.id = k.zespol ORDER BY k.zespol, k.rok, k.numer""",
    ),
}


def table(db: Database, name: str) -> Table:
    """The rows of one exportable table."""
    columns, sql = SPECS[name]
    return Table(name, columns, tuple(dict(row) for row in db.query(sql)))


def render(data: Table, fmt: ExportFormat) -> bytes:
    """The file's bytes in the given format."""
    if fmt is ExportFormat.json:
        return (json.dumps(list(data.wiersze), ensure_ascii=False, indent=2) + "\n").encode()
    cells = [[_text(row.get(c.key)) for c in data.kolumny] for row in data.wiersze]
    headers = [c.naglowek for c in data.kolumny]
    if fmt is ExportFormat.csv:
        return _csv(headers, cells)
    return _xlsx(data.nazwa, headers, cells)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _csv(headers: Sequence[str], cells: Sequence[Sequence[str]]) -> bytes:
    # Excel in Poland: `;` separates cells (`,` is the decimal mark), a BOM says UTF-8;
    # formula-like cells are neutralised (kooperacje.spreadsheet), and import restores them.
    return csv_bytes([headers, *cells])


def _xlsx(title: str, headers: Sequence[str], cells: Sequence[Sequence[str]]) -> bytes:
    import io

    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=False)
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append(list(headers))
    for row in cells:
        # XML cannot hold control characters (a NUL byte typed into a name): drop them.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) or None for cell in row])
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            # Every value is stored as a string cell: none can become a formula.
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
