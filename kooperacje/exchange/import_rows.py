"""How one row of an import file becomes an institution or a service: matched by UUID, NIP,
REGON or name, then added or updated with the same checks as the commands."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from kooperacje.basket import service_edits, services
from kooperacje.basket.service_details import MAX_AGE
from kooperacje.dates import parse_date
from kooperacje.errors import InvalidInput
from kooperacje.register import institutions, teryt, validate
from kooperacje.text import fold

if TYPE_CHECKING:
    from sqlite_utils import Database


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


def institution_row(db: Database, values: Mapping[str, str]) -> tuple[str, tuple[str, ...]]:

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
            f"SELECT i.id FROM instytucje i WHERE i.gmina = :g AND {institutions.SAME_NAME}",
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


def service_row(db: Database, values: Mapping[str, str]) -> tuple[str, tuple[str, ...]]:
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
