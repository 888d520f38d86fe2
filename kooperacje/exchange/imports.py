"""Importing institutions and services from spreadsheets: matched to what is stored (NIP,
then REGON, then name + gmina), checked row by row, all or nothing unless asked otherwise."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kooperacje.basket import service_edits, services
from kooperacje.basket.service_details import MAX_AGE
from kooperacje.dates import parse_date
from kooperacje.errors import InvalidInput, KooperacjeError
from kooperacje.exchange import sheets
from kooperacje.exchange.exports import FORMULA_PREFIXES, neutralise
from kooperacje.exchange.sheets import Sheet
from kooperacje.register import institutions, teryt, validate
from kooperacje.text import fold

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
        headers = ", ".join(f'"{h}"' for h in sheet.naglowki if h) or "(brak)"
        raise InvalidInput(
            f"w pliku brakuje kolumn: {', '.join(missing)}. Kolumny w pliku: {headers}. "
            'Nazwij je po polsku (np. Nazwa, Gmina, Sektor) albo wskaż: --mapowanie "Kolumna=pole".'
        )
    return found


def _unneutralised(text: str) -> str:
    # An export writes '=… for a cell starting like a formula; read it back as it was.

    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


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
        h for i, h in enumerate(sheet.naglowki) if i not in columns and h and _key(h) not in IGNORED
    )
    apply_row = _institution if kind == "instytucje" else _service
    outcomes: list[Outcome] = []
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        for number, cells in enumerate(sheet.wiersze, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            values = {
                field: _unneutralised(cells[index].strip()) for index, field in columns.items()
            }
            name = values.get("nazwa", "")
            conn.execute("SAVEPOINT wiersz")
            try:
                action, changed = apply_row(db, values)
            except KooperacjeError as exc:
                conn.execute("ROLLBACK TO SAVEPOINT wiersz")
                conn.execute("RELEASE SAVEPOINT wiersz")
                outcomes.append(Outcome(number, "odrzucenie", name, (), exc.message, cells))
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


def _present(values: Mapping[str, str], fields: Sequence[str]) -> dict[str, str]:
    # An empty cell leaves a stored value as it is.
    return {name: values[name] for name in fields if values.get(name)}


def _first_id(db: Database, sql: str, params: dict[str, object]) -> int | None:
    rows = list(db.query(sql, params))
    return int(rows[0]["id"]) if rows else None


def _set_uuid(db: Database, table: str, record_id: int, value: str | None) -> None:
    import uuid

    if not value:
        return
    try:
        text = str(uuid.UUID(value))
    except ValueError:
        raise InvalidInput(f'"{value}" nie jest poprawnym identyfikatorem UUID.') from None
    taken = _first_id(db, f"SELECT id FROM {table} WHERE uuid = :u", {"u": text})
    if taken is None:
        db.execute(f"UPDATE {table} SET uuid = :u WHERE id = :id", {"u": text, "id": record_id})


def _institution(db: Database, values: Mapping[str, str]) -> tuple[str, tuple[str, ...]]:

    fields = _present(values, institutions.FIELDS)
    if fields.get("gmina", "").isdigit() and len(fields["gmina"]) == 6:
        fields["gmina"] = fields["gmina"].zfill(7)  # a spreadsheet dropped the leading 0
    found: int | None = None
    if values.get("uuid"):
        found = _first_id(db, "SELECT id FROM instytucje WHERE uuid = :u", {"u": values["uuid"]})
    if found is None and fields.get("nip"):
        nip = validate.nip(fields["nip"])
        found = _first_id(db, "SELECT id FROM instytucje WHERE nip = :v", {"v": nip})
    if found is None and fields.get("regon"):
        regon = validate.regon(fields["regon"])
        found = _first_id(db, "SELECT id FROM instytucje WHERE regon = :v", {"v": regon})
    if found is None and fields.get("nazwa") and fields.get("gmina"):
        gmina = teryt.resolve_gmina(db, fields["gmina"]).kod
        found = _first_id(
            db,
            "SELECT id FROM instytucje WHERE gmina = :g AND pl_fold(nazwa) = :n",
            {"g": gmina, "n": fold(validate.clean(fields["nazwa"]) or "")},
        )
    if found is not None:
        stored = institutions.get(db, found).nazwa
        if fold(validate.clean(fields.get("nazwa")) or "") == fold(stored):
            fields.pop("nazwa", None)  # the same name, typed in another case
        edit = institutions.apply_edit(db, str(found), **fields)
        changed = tuple(change.pole for change in edit.zmiany)
        return ("zmiana", changed) if changed else ("bez_zmian", ())
    for name, what in (("nazwa", "nazwy"), ("gmina", "gminy"), ("sektor", "sektora")):
        if name not in fields:
            raise InvalidInput(f"brak {what}: nowa instytucja musi ją mieć. Uzupełnij komórkę.")
    added = institutions.add(db, **fields)
    _set_uuid(db, "instytucje", added.id, values.get("uuid"))
    return ("dodanie", ())


_LIST = re.compile(r"\s*[,;]\s*")


def _items(text: str | None) -> list[str] | None:
    if not text:
        return None
    return [item for item in _LIST.split(text) if item]


def _provider(db: Database, values: Mapping[str, str]) -> str:

    number, name = values.get("instytucja_nr", ""), values.get("instytucja", "")
    if number.isdigit():
        rows = list(db.query("SELECT nazwa FROM instytucje WHERE id = :id", {"id": int(number)}))
        if rows and (not name or fold(rows[0]["nazwa"]) == fold(name)):
            return number
    if not name:
        raise InvalidInput("brak instytucji, która świadczy usługę. Uzupełnij komórkę.")
    return str(institutions.resolve(db, name).id)


_SERVICE_TEXTS = ("opis", "jak_skorzystac", "kryteria", "odplatnosc", "kontakt")
# Columns given to services.add/edit as szczegoly; the file's "Bezpłatna" is its "koszt".
_DETAIL_TEXTS = (
    "dokumenty",
    "miejsce",
    "adres",
    "kod_pocztowy",
    "miejscowosc",
    "godziny",
    "dni",
    "kontakt_osoba",
    "kontakt_telefon",
    "kontakt_email",
)


def _age(text: str, what: str) -> int:

    try:
        return int(text)
    except ValueError:
        raise InvalidInput(
            f'niepoprawny {what} "{text}". Podaj liczbę lat od 0 do {MAX_AGE}.'
        ) from None


def _details(values: Mapping[str, str]) -> dict[str, object]:
    """The directory fields of the row as service_details.parse takes them (empty: keep)."""
    details: dict[str, object] = dict(_present(values, _DETAIL_TEXTS))
    for name, what in (("wiek_od", "wiek od"), ("wiek_do", "wiek do")):
        if values.get(name):
            details[name] = _age(values[name], what)
    if values.get("bezplatna"):
        details["koszt"] = values["bezplatna"]
    return details


def _verify(db: Database, service_id: int, values: Mapping[str, str]) -> None:
    """Record the row's verification as `uslugi zweryfikuj` does, when the file gives one."""

    day, who = values.get("zweryfikowano"), values.get("zweryfikowal")
    if not day:
        if who:
            raise InvalidInput(
                f'podano, kto zweryfikował usługę ("{who}"), ale nie kiedy. Uzupełnij '
                "komórkę Zweryfikowano datą (RRRR-MM-DD albo DD.MM.RRRR)."
            )
        return
    current = services.get(db, service_id)
    if not who and current.zweryfikowano == parse_date(day).isoformat():
        who = current.zweryfikowal  # the same check: an empty cell keeps who made it
    service_edits.verify(db, service_id, data=day, kto=who)


def _service(db: Database, values: Mapping[str, str]) -> tuple[str, tuple[str, ...]]:
    from dataclasses import asdict

    provider = _provider(db, values)
    texts = _present(values, _SERVICE_TEXTS)
    groups, reach = _items(values.get("grupy")), _items(values.get("zasieg"))
    details = _details(values)
    found: int | None = None
    if values.get("uuid"):
        found = _first_id(db, "SELECT id FROM uslugi WHERE uuid = :u", {"u": values["uuid"]})
    if found is None and values.get("nazwa"):
        found = _first_id(
            db,
            "SELECT id FROM uslugi WHERE instytucja = :i AND pl_fold(nazwa) = :n",
            {"i": int(provider), "n": fold(values["nazwa"])},
        )
    if found is not None:
        before = asdict(services.get(db, found))
        service_edits.edit(
            db,
            found,
            nazwa=values.get("nazwa") or None,
            instytucja=provider,
            obszar=values.get("obszar") or None,
            dla=groups,
            zasieg=reach,
            status=values.get("status") or None,
            opis=texts.get("opis"),
            jak_skorzystac=texts.get("jak_skorzystac"),
            kryteria=texts.get("kryteria"),
            odplatnosc=texts.get("odplatnosc"),
            kontakt=texts.get("kontakt"),
            szczegoly=details,
        )
        _verify(db, found, values)
        after = asdict(services.get(db, found))
        changed = tuple(k for k in before if k != "zmieniono" and before[k] != after[k])
        return ("zmiana", changed) if changed else ("bez_zmian", ())
    if not values.get("obszar"):
        raise InvalidInput("brak obszaru usługi: nowa usługa musi go mieć. Uzupełnij komórkę.")
    added = service_edits.add(
        db,
        nazwa=values.get("nazwa", ""),
        instytucja=provider,
        obszar=values["obszar"],
        dla=groups or (),
        zasieg=reach or (),
        opis=texts.get("opis"),
        jak_skorzystac=texts.get("jak_skorzystac"),
        kryteria=texts.get("kryteria"),
        odplatnosc=texts.get("odplatnosc"),
        kontakt=texts.get("kontakt"),
        szczegoly=details,
    )
    if values.get("status"):
        service_edits.edit(db, added.id, status=values["status"])
    _verify(db, added.id, values)
    _set_uuid(db, "uslugi", added.id, values.get("uuid"))
    return ("dodanie", ())


def rejected_csv(result: Result) -> bytes:
    """The rejected rows as they were, with the reason in a last column (CSV for Excel)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([*result.naglowki, "Wiersz", "Powód odrzucenia"])
    for row in result.wiersze:
        if row.akcja == "odrzucenie":
            writer.writerow(
                [neutralise(c) for c in (*row.komorki, str(row.wiersz), row.powod or "")]
            )
    return buffer.getvalue().encode("utf-8-sig")
