"""Importing institutions and services from spreadsheets: matched to what is stored (NIP,
then REGON, then name + gmina), checked row by row, all or nothing unless asked otherwise."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kooperacje.errors import InvalidInput, KooperacjeError
from kooperacje.exchange import sheets
from kooperacje.exchange.import_rows import institution_row, service_row
from kooperacje.exchange.sheets import Sheet
from kooperacje.spreadsheet import csv_bytes, restore
from kooperacje.text import clip, fold

if TYPE_CHECKING:
    from sqlite_utils import Database


# Column headers people write (folded: lower case, no diacritics, punctuation as spaces).
INSTITUTION_COLUMNS: dict[str, tuple[str, ...]] = {
    "uuid": ("uuid",),
    "nazwa": ("nazwa", "nazwa instytucji", "pelna nazwa", "instytucja"),
    "skrot": ("skrot", "skrot nazwy", "nazwa skrocona"),
    "sektor": ("sektor", "obszar kooperacji"),
    "gmina": ("gmina", "teryt", "kod teryt", "gmina siedziby", "kod gminy"),
    "adres": ("adres", "ulica", "ulica i numer"),
    "kod_pocztowy": ("kod pocztowy",),
    "miejscowosc": ("miejscowosc", "miasto", "poczta"),
    "telefon": ("telefon", "tel", "nr telefonu", "numer telefonu"),
    "email": ("e mail", "email", "adres e mail", "mail"),
    "www": ("www", "strona", "strona www", "strona internetowa"),
    "nip": ("nip",),
    "regon": ("regon",),
    "uwagi": ("uwagi",),
}


SERVICE_COLUMNS: dict[str, tuple[str, ...]] = {
    "uuid": ("uuid",),
    "nazwa": ("nazwa", "nazwa uslugi", "usluga"),
    "instytucja_nr": ("instytucja nr",),
    "instytucja": ("instytucja", "realizator", "kooperant", "nazwa instytucji"),
    "obszar": ("obszar", "obszar uslug"),
    "opis": ("opis",),
    "jak_skorzystac": ("jak skorzystac",),
    "kryteria": ("kryteria", "kryteria dostepu"),
    "odplatnosc": ("odplatnosc", "koszt"),
    "kontakt": ("kontakt",),
    "status": ("status",),
    "grupy": ("grupy docelowe", "grupy", "dla kogo"),
    "zasieg": ("zasieg",),
    # Directory fields (service_details), under the export's headers and common variants.
    "dokumenty": ("wymagane dokumenty", "dokumenty"),
    "wiek_od": ("wiek od", "wiek minimalny", "od lat"),
    "wiek_do": ("wiek do", "wiek maksymalny", "do lat"),
    "bezplatna": ("bezplatna", "bezplatna odplatna", "czy bezplatna"),
    "miejsce": ("miejsce", "miejsce uslugi", "miejsce swiadczenia"),
    "adres": ("adres uslugi", "adres swiadczenia", "adres"),
    "kod_pocztowy": ("kod pocztowy uslugi", "kod pocztowy"),
    "miejscowosc": ("miejscowosc uslugi", "miejscowosc"),
    "godziny": ("godziny", "godziny otwarcia", "godziny przyjec"),
    "dni": ("dni", "dni tygodnia", "dni przyjec"),
    "kontakt_osoba": ("osoba kontaktowa", "kontakt osoba"),
    "kontakt_telefon": ("telefon kontaktowy", "telefon", "tel", "nr telefonu"),
    "kontakt_email": ("e mail kontaktowy", "email kontaktowy", "e mail", "email"),
    "zweryfikowano": ("zweryfikowano", "data weryfikacji"),
    "zweryfikowal": ("zweryfikowal a", "zweryfikowal", "zweryfikowala", "kto zweryfikowal"),
}


KINDS = {"instytucje": INSTITUTION_COLUMNS, "uslugi": SERVICE_COLUMNS}


REQUIRED = {"instytucje": ("nazwa", "gmina", "sektor"), "uslugi": ("nazwa", "instytucja", "obszar")}


# Columns an export writes that an import does not need (numbers are local to one file).
IGNORED = ("nr",)


@dataclass(frozen=True)
class Outcome:
    """What happened (or would happen) to one row of the file."""

    wiersz: int  # the row number as the spreadsheet shows it
    akcja: str  # dodanie, zmiana, bez_zmian, odrzucenie
    nazwa: str
    pola: tuple[str, ...]  # changed fields of a `zmiana`
    powod: str | None  # why a row was rejected
    komorki: tuple[str, ...]


@dataclass(frozen=True)
class Result:
    """The outcome of every row, and whether anything was written."""

    wiersze: tuple[Outcome, ...]
    zapisano: bool
    pominiete_kolumny: tuple[str, ...]
    naglowki: tuple[str, ...]

    def count(self, akcja: str) -> int:
        return sum(1 for row in self.wiersze if row.akcja == akcja)


def _key(header: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(header)).split())


def parse_mapping(text: str | None, kind: str) -> dict[str, str]:
    """`Nazwa placówki=nazwa, Tel.=telefon` -> {folded header: field}."""
    if not text:
        return {}
    fields = KINDS[kind]
    mapping: dict[str, str] = {}
    for item in text.split(","):
        header, sep, field = item.partition("=")
        field = field.strip()
        if not sep or not header.strip() or field not in fields:
            known = ", ".join(name for name in fields if name != "instytucja_nr")
            raise InvalidInput(
                f'niepoprawne mapowanie "{item.strip()}". Podaj je jako "Kolumna=pole" '
                f"(przecinkami oddziel kolejne), gdzie pole to jedno z: {known}."
            )
        mapping[_key(header)] = field
    return mapping


def _columns(sheet: Sheet, kind: str, mapping: Mapping[str, str]) -> dict[int, str]:
    aliases = {alias: field for field, names in KINDS[kind].items() for alias in names}
    found: dict[int, str] = {}
    for index, header in enumerate(sheet.naglowki):
        key = _key(header)
        field = mapping.get(key) or aliases.get(key)
        if field is not None and field not in found.values():
            found[index] = field
    missing = [name for name in REQUIRED[kind] if name not in found.values()]
    if missing:
        named = [h for h in sheet.naglowki if h]
        headers = ", ".join(f'"{clip(h, 24)}"' for h in named[:4]) or "(brak)"
        if len(named) > 4:
            headers += f" i {len(named) - 4} innych"
        raise InvalidInput(
            f"w pliku brakuje kolumn: {', '.join(missing)}. Kolumny w pliku: {headers}. "
            'Nazwij je po polsku (np. Nazwa, Gmina, Sektor) albo wskaż: --mapowanie "Kolumna=pole".'
        )
    return found


def run(
    db: Database,
    kind: str,
    path: Path,
    *,
    arkusz: str | None = None,
    mapowanie: str | None = None,
    proba: bool = False,
    pomin_bledne: bool = False,
) -> Result:
    """Import the file: every row is checked and applied in one transaction, which is kept
    only if no row was rejected (or pomin_bledne), and never in a dry run (proba)."""

    mapping = parse_mapping(mapowanie, kind)
    sheet = sheets.read(path, arkusz)
    columns = _columns(sheet, kind, mapping)
    skipped = tuple(
        clip(h, 40)
        for i, h in enumerate(sheet.naglowki)
        if i not in columns and h and _key(h) not in IGNORED
    )
    apply_row = institution_row if kind == "instytucje" else service_row
    outcomes: list[Outcome] = []
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        for number, cells in enumerate(sheet.wiersze, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            values = {field: restore(cells[index].strip()) for index, field in columns.items()}
            name = clip(values.get("nazwa", ""), 120)  # shown escaped by the output layer
            conn.execute("SAVEPOINT wiersz")
            try:
                action, changed = apply_row(db, values)
            except KooperacjeError as exc:
                conn.execute("ROLLBACK TO SAVEPOINT wiersz")
                conn.execute("RELEASE SAVEPOINT wiersz")
                outcomes.append(
                    Outcome(number, "odrzucenie", name, (), clip(exc.message, 300), cells)
                )
                continue
            conn.execute("RELEASE SAVEPOINT wiersz")
            outcomes.append(Outcome(number, action, name, changed, None, cells))
        rejected = any(o.akcja == "odrzucenie" for o in outcomes)
        keep = not proba and (pomin_bledne or not rejected)
    except BaseException:
        conn.rollback()
        raise
    if keep:
        conn.commit()
    else:
        conn.rollback()
    return Result(tuple(outcomes), keep, skipped, sheet.naglowki)


def rejected_csv(result: Result) -> bytes:
    """The rejected rows as they were, with the reason in a last column (CSV for Excel)."""
    rows: list[list[str]] = [[*result.naglowki, "Wiersz", "Powód odrzucenia"]]
    rows.extend(
        [*row.komorki, str(row.wiersz), row.powod or ""]
        for row in result.wiersze
        if row.akcja == "odrzucenie"
    )
    return csv_bytes(rows)
