"""Exports of whole tables as CSV (as Excel in Poland opens it), XLSX or JSON.

Every CSV cell that a spreadsheet program could take for a formula is neutralised
(kooperacje.spreadsheet), so a name typed as `=HYPERLINK(...)` stays text. The columns
are what `kooperacje import` reads back: an export re-imports to the same data.
"""

from __future__ import annotations

import contextlib
import datetime as dt
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


# What a column holds, for the cells of an XLSX sheet: a number, a date, an hour or text.
# Codes that look like numbers (TERYT, NIP, REGON, postal codes, phones) are text: a
# spreadsheet would drop their leading zeros, do sums on them or show them as 1.01E+09.
NUMBER, DATE, TIME, TEXT = "liczba", "data", "godzina", "tekst"


@dataclass(frozen=True)
class Column:
    """One exported column: its key (JSON, SQL alias), its Polish header (CSV, XLSX) and
    what its XLSX cells hold."""

    key: str
    naglowek: str
    typ: str = TEXT


@dataclass(frozen=True)
class Table:
    """An exported table: rows as dicts keyed by the columns' keys."""

    nazwa: str
    kolumny: tuple[Column, ...]
    wiersze: tuple[dict[str, Any], ...]


def _columns(*specs: tuple[str, str] | tuple[str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*spec) for spec in specs)


# Each export: its columns (a later schema adds a column here and to the SQL) and the query.
SPECS: dict[str, tuple[tuple[Column, ...], str]] = {
    "instytucje": (
        _columns(
            ("nr", "Nr", NUMBER),
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
    # An institution's further phones (its main one is in `instytucje`) and offices.
    "telefony": (
        _columns(
            ("nr", "Nr", NUMBER),
            ("uuid", "UUID"),
            ("instytucja", "Instytucja nr", NUMBER),
            ("instytucja_nazwa", "Instytucja"),
            ("numer", "Numer"),
            ("opis", "Opis"),
        ),
        """SELECT t.id AS nr, t.uuid, t.instytucja, i.nazwa AS instytucja_nazwa, t.numer, t.opis
           FROM instytucje_telefony t JOIN instytucje i ON i.id = t.instytucja
           ORDER BY t.instytucja, t.id""",
    ),
    "biura": (
        _columns(
            ("nr", "Nr", NUMBER),
            ("uuid", "UUID"),
            ("instytucja", "Instytucja nr", NUMBER),
            ("instytucja_nazwa", "Instytucja"),
            ("nazwa", "Co mieści"),
            ("adres", "Adres"),
            ("kod_pocztowy", "Kod pocztowy"),
            ("miejscowosc", "Miejscowość"),
            ("telefon", "Telefon"),
        ),
        """SELECT b.id AS nr, b.uuid, b.instytucja, i.nazwa AS instytucja_nazwa, b.nazwa,
                  b.adres, b.kod_pocztowy, b.miejscowosc, b.telefon
           FROM instytucje_biura b JOIN instytucje i ON i.id = b.instytucja
           ORDER BY b.instytucja, b.id""",
    ),
    "osoby": (
        _columns(
            ("nr", "Nr", NUMBER),
            ("uuid", "UUID"),
            ("imie_nazwisko", "Imię i nazwisko"),
            ("stanowisko", "Stanowisko"),
            ("telefon", "Telefon"),
            ("email", "E-mail"),
            ("instytucja", "Instytucja nr", NUMBER),
            ("instytucja_nazwa", "Instytucja"),
        ),
        """SELECT o.id AS nr, o.uuid, o.imie_nazwisko, o.stanowisko, o.telefon, o.email,
                  o.instytucja, i.nazwa AS instytucja_nazwa
           FROM osoby o JOIN instytucje i ON i.id = o.instytucja ORDER BY o.id""",
    ),
    "zespoly": (
        _columns(
            ("nr", "Nr", NUMBER),
            ("uuid", "UUID"),
            ("gmina", "Gmina"),
            ("nazwa", "Nazwa"),
            ("lider", "Instytucja wiodąca nr", NUMBER),
            ("projekt", "Projekt nr", NUMBER),
            ("projekt_nazwa", "Projekt"),
            ("data_utworzenia", "Data utworzenia", DATE),
        ),
        """SELECT z.id AS nr, z.uuid, z.gmina, z.nazwa, z.lider, z.projekt,
                  p.nazwa AS projekt_nazwa, z.data_utworzenia
           FROM zespoly z LEFT JOIN projekty p ON p.id = z.projekt ORDER BY z.id""",
    ),
    "spotkania": (
        _columns(
            ("nr", "Nr", NUMBER),
            ("uuid", "UUID"),
            ("zespol", "Zespół nr", NUMBER),
            ("data", "Data", DATE),
            ("godzina", "Godzina", TIME),
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
            ("nr", "Nr", NUMBER),
            ("uuid", "UUID"),
            ("zespol", "Zespół nr", NUMBER),
            ("instytucja", "Instytucja nr", NUMBER),
            ("instytucja_nazwa", "Instytucja"),
            ("rodzaj", "Rodzaj"),
            ("data", "Data", DATE),
            ("podpisal", "Podpisał"),
            ("spotkanie", "Spotkanie nr", NUMBER),
            ("uwagi", "Uwagi"),
        ),
        """SELECT d.id AS nr, d.uuid, d.zespol, d.instytucja, i.nazwa AS instytucja_nazwa,
                  d.rodzaj, d.data, d.podpisal, d.spotkanie, d.uwagi
           FROM deklaracje d JOIN instytucje i ON i.id = d.instytucja ORDER BY d.data, d.id""",
    ),
    "uslugi": (
        _columns(
            ("nr", "Nr", NUMBER),
            ("uuid", "UUID"),
            ("instytucja", "Instytucja nr", NUMBER),
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
            ("wiek_od", "Wiek od", NUMBER),
            ("wiek_do", "Wiek do", NUMBER),
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
            ("zweryfikowano", "Zweryfikowano", DATE),
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
    return _xlsx(data, headers)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _csv(headers: Sequence[str], cells: Sequence[Sequence[str]]) -> bytes:
    # Excel in Poland: `;` separates cells (`,` is the decimal mark), a BOM says UTF-8;
    # formula-like cells are neutralised (kooperacje.spreadsheet), and import restores them.
    return csv_bytes([headers, *cells])


# The formats Polish Excel shows dates and hours in.
_DATE_FORMAT = "dd.mm.yyyy"
_TIME_FORMAT = "hh:mm"
_WIDEST = 60  # characters: wider text wraps in the cell when opened


def _xlsx(data: Table, headers: Sequence[str]) -> bytes:
    """A sheet whose cells have types: numbers and dates a spreadsheet can sort and count,
    everything else (codes included) text that can never become a formula."""
    import io

    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = data.nazwa
    sheet.append(list(headers))
    sheet.freeze_panes = "A2"
    widths = [len(header) for header in headers]
    for row_number, row in enumerate(data.wiersze, start=2):
        for index, column in enumerate(data.kolumny):
            value = _typed(column.typ, row.get(column.key))
            if value is None:
                continue
            cell = sheet.cell(row=row_number, column=index + 1, value=value)
            if isinstance(value, str):
                # A string cell, never a formula, whatever it starts with.
                cell.data_type = "s"
                shown = max(len(line) for line in value.splitlines() or [""])
            elif isinstance(value, dt.date):
                cell.number_format = _DATE_FORMAT
                shown = len(_DATE_FORMAT)
            elif isinstance(value, dt.time):
                cell.number_format = _TIME_FORMAT
                shown = len(_TIME_FORMAT)
            else:
                shown = len(str(value))
            widths[index] = max(widths[index], shown)
    for index, width in enumerate(widths):
        # Too narrow a column shows a date as ########.
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(width + 2, _WIDEST)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _typed(kind: str, value: Any) -> int | float | dt.date | dt.time | str | None:
    """The cell value of a column's kind; a value of another form stays text."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or value == "":
        return None
    if kind == NUMBER:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
        with contextlib.suppress(ValueError):
            return int(str(value).strip())
    elif kind == DATE:
        with contextlib.suppress(ValueError):
            return dt.date.fromisoformat(str(value))
    elif kind == TIME:
        with contextlib.suppress(ValueError):
            return dt.time.fromisoformat(str(value))
    # XML cannot hold control characters (a NUL byte typed into a name): drop them.
    return ILLEGAL_CHARACTERS_RE.sub("", str(value)) or None
