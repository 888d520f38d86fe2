"""Changing the basket: add, edit, verify and remove services, and note those presented at a
meeting. Every change is one transaction; the history triggers record it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kooperacje.basket import service_details
from kooperacje.basket.services import (
    OWN_UNITS,
    SAME_NAME_OF_PROVIDER,
    TEXT_FIELDS,
    Service,
    get,
    resolve,
)
from kooperacje.basket.terms import parse_status, sort_groups
from kooperacje.dates import parse_date
from kooperacje.errors import Conflict, InvalidInput, NotFound
from kooperacje.register import contacts, institutions, teryt, validate
from kooperacje.register.institutions import Institution
from kooperacje.register.vocab import SERVICE_AREAS, TARGET_GROUPS
from kooperacje.store import changes
from kooperacje.store.db import now
from kooperacje.text import fold

if TYPE_CHECKING:
    from sqlite_utils import Database


def _whole_gmina(db: Database, unit: teryt.Unit) -> str:
    """The code of the gmina a part of a gmina (town, rural area, district) belongs to."""
    rows = list(
        db.query(
            """
            SELECT kod FROM teryt
            WHERE poziom = 'gmina'
              AND (substr(kod, 1, 6) = :prefix OR powiat = :powiat)
            ORDER BY substr(kod, 1, 6) = :prefix DESC, kod
            """,
            {"prefix": unit.kod[:6], "powiat": unit.powiat_kod},
        )
    )
    return str(rows[0]["kod"]) if rows else ""


def _reach(db: Database, provider: Institution, items: Sequence[str]) -> tuple[str, ...]:
    """TERYT codes for --zasieg items; the provider's gmina when none are given."""
    seat = teryt.get_unit(db, provider.gmina)
    codes: set[str] = set()
    for item in items or ["gmina"]:
        value = item.strip()
        word = fold(value)
        if word in OWN_UNITS:
            own = {
                "gmina": seat.kod,
                "powiat": seat.powiat_kod,
                "wojewodztwo": seat.wojewodztwo_kod,
            }
            codes.add(own[word] or seat.kod)
            continue
        if not value:
            raise InvalidInput(
                "pusty zasięg usługi. Podaj kod TERYT (2, 4 lub 7 cyfr) albo słowo "
                "gmina, powiat lub wojewodztwo."
            )
        if not value.isdigit():
            try:
                unit = teryt.resolve_gmina(db, value)
            except NotFound:
                raise InvalidInput(
                    f'nieznany zasięg usługi "{value}". Podaj kod TERYT (2 cyfry: województwo, '
                    "4: powiat, 7: gmina), nazwę gminy albo słowo gmina, powiat lub "
                    "wojewodztwo (jednostka siedziby instytucji)."
                ) from None
        else:
            unit = teryt.resolve_area(db, value)
        if unit.poziom == "czesc_gminy":
            whole = _whole_gmina(db, unit)
            hint = f" Podaj kod całej gminy: {whole}." if whole else " Podaj kod całej gminy."
            raise InvalidInput(
                f"{unit.kod} to część gminy ({unit.rodzaj} {unit.nazwa}), a zasięg usługi "
                f"obejmuje całe gminy, powiaty albo województwa.{hint}"
            )
        codes.add(unit.kod)
    return tuple(sorted(codes))


def _groups(items: Sequence[str]) -> tuple[str, ...]:
    return sort_groups(TARGET_GROUPS.parse(item) for item in items)


def _check_unique(db: Database, provider: Institution, nazwa: str, other_than: int = 0) -> None:
    rows = list(
        db.query(
            f"SELECT u.id, u.nazwa FROM uslugi u WHERE {SAME_NAME_OF_PROVIDER} AND u.id != :other",
            {"i": provider.id, "n": fold(nazwa), "other": other_than},
        )
    )
    if rows:
        raise Conflict(
            f'instytucja {provider.nazwa} ma już usługę "{rows[0]["nazwa"]}" '
            f"(nr {rows[0]['id']}). Zmień ją poleceniem: kooperacje uslugi edytuj "
            f"{rows[0]['id']}, albo nadaj nowej usłudze inną nazwę."
        )


def add(
    db: Database,
    *,
    nazwa: str,
    instytucja: str,
    obszar: str,
    dla: Sequence[str] = (),
    zasieg: Sequence[str] = (),
    opis: str | None = None,
    jak_skorzystac: str | None = None,
    kryteria: str | None = None,
    odplatnosc: str | None = None,
    kontakt: str | None = None,
    szczegoly: Mapping[str, Any] | None = None,
    gmina: str | None = None,
) -> Service:
    """Register a service of an institution; szczegoly are the directory fields as
    keyword arguments of service_details.parse (raw user input).

    zasieg items are TERYT codes (2, 4 or 7 digits), gmina names, or the words
    gmina/powiat/wojewodztwo for the provider's own units; default: the provider's gmina.
    The provider is looked for first among the institutions seated in `gmina`.
    """
    name = validate.required(nazwa, "nazwa usługi")
    provider = institutions.resolve(db, instytucja, institutions.gmina_context(db, gmina))
    area = SERVICE_AREAS.parse(obszar)
    groups = _groups(dla)
    reach = _reach(db, provider, zasieg)
    texts = {
        "opis": validate.clean(opis),
        "jak_skorzystac": validate.clean(jak_skorzystac),
        "kryteria": validate.clean(kryteria),
        "odplatnosc": validate.clean(odplatnosc),
        "kontakt": validate.clean(kontakt),
    }
    given = dict(szczegoly or {})
    office = given.pop("biuro", None)
    details = {"miejsce": "siedziba"} | service_details.parse(**given)
    if office is not None:
        details |= _at_office(db, provider, office)
    if "bezplatna" not in details:
        details["bezplatna"] = service_details.infer_cost(texts["odplatnosc"])
    service_details.check_ages(details.get("wiek_od"), details.get("wiek_do"))
    service_details.check_place(
        details["miejsce"], details.get("adres"), details.get("miejscowosc")
    )
    _check_unique(db, provider, name)
    stamp = now()
    row = {
        "uuid": str(uuid.uuid4()),
        "instytucja": provider.id,
        "nazwa": name,
        "nazwa_szukaj": fold(name),
        "obszar": area,
        **texts,
        **details,
        "status": "aktywna",
        "utworzono": stamp,
        "zmieniono": stamp,
    }
    with db.atomic():
        cursor = db.execute(
            f"INSERT INTO uslugi ({', '.join(row)}) VALUES ({', '.join(':' + k for k in row)})",
            row,
        )
        service_id = int(cursor.lastrowid or 0)
        _write_sets(db, service_id, groups, reach)
    return get(db, service_id)


def _at_office(db: Database, provider: Institution, text: str) -> dict[str, Any]:
    """The columns of a service given at one of its provider's offices (by number), whose
    address it then carries; "" returns it to the provider's seat."""
    office_id = contacts.office_for_service(db, provider.id, text)
    if office_id is None:
        return {"biuro": None, "miejsce": "siedziba", "adres": None}
    office = contacts.get_office(db, office_id)
    return {
        "biuro": office.id,
        "miejsce": "adres",
        "adres": office.adres,
        "kod_pocztowy": office.kod_pocztowy,
        "miejscowosc": office.miejscowosc,
    }


def _write_sets(db: Database, service_id: int, groups: Sequence[str], reach: Sequence[str]) -> None:
    db.execute("DELETE FROM uslugi_grupy WHERE usluga = :u", {"u": service_id})
    db.execute("DELETE FROM uslugi_zasieg WHERE usluga = :u", {"u": service_id})
    for group in groups:
        db.execute(
            "INSERT INTO uslugi_grupy (usluga, grupa) VALUES (:u, :g)",
            {"u": service_id, "g": group},
        )
    for code in reach:
        db.execute(
            "INSERT INTO uslugi_zasieg (usluga, teryt) VALUES (:u, :t)",
            {"u": service_id, "t": code},
        )


def edit(
    db: Database,
    ref: int | str,
    *,
    nazwa: str | None = None,
    instytucja: str | None = None,
    obszar: str | None = None,
    dla: Sequence[str] | None = None,
    zasieg: Sequence[str] | None = None,
    opis: str | None = None,
    jak_skorzystac: str | None = None,
    kryteria: str | None = None,
    odplatnosc: str | None = None,
    kontakt: str | None = None,
    status: str | None = None,
    szczegoly: Mapping[str, Any] | None = None,
) -> Service:
    """Change the given fields of a service (None: keep; "" clears an optional text).

    dla and zasieg replace the sets; their changes are logged as fields 'grupy' and
    'zasieg' (codes joined with ', '). Words in zasieg refer to the provider after the edit.
    """
    current = resolve(db, ref)
    given = (nazwa, instytucja, obszar, dla, zasieg, opis, jak_skorzystac, kryteria)
    given_details = dict(szczegoly or {})
    office = given_details.pop("biuro", None)
    details = service_details.parse(**given_details)
    if (
        not details
        and office is None
        and all(value is None for value in (*given, odplatnosc, kontakt, status))
    ):
        raise InvalidInput(
            "nie podano żadnej zmiany. Wskaż, co zmienić, np. "
            f"kooperacje uslugi edytuj {current.id} --status zawieszona."
        )
    provider = (
        institutions.resolve(db, instytucja)
        if instytucja is not None
        else institutions.get(db, current.instytucja)
    )
    columns: dict[str, Any] = {}
    if nazwa is not None:
        columns["nazwa"] = validate.required(nazwa, "nazwa usługi")
    if instytucja is not None:
        columns["instytucja"] = provider.id
    if obszar is not None:
        columns["obszar"] = SERVICE_AREAS.parse(obszar)
    for name, value in zip(
        TEXT_FIELDS, (opis, jak_skorzystac, kryteria, odplatnosc, kontakt), strict=True
    ):
        if value is not None:
            columns[name] = validate.clean(value)
    if status is not None:
        columns["status"] = parse_status(status)
    columns |= details
    if office is not None:
        columns |= _at_office(db, provider, office)
    elif current.biuro is not None and (
        provider.id != current.instytucja or {"miejsce", "adres"} & set(details)
    ):
        # Another provider, or a place typed by hand: the service leaves the office.
        columns["biuro"] = None
    service_details.check_ages(
        columns.get("wiek_od", current.wiek_od), columns.get("wiek_do", current.wiek_do)
    )
    service_details.check_place(
        columns.get("miejsce", current.miejsce),
        columns.get("adres", current.adres),
        columns.get("miejscowosc", current.miejscowosc),
    )
    sets: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    if dla is not None:
        sets["grupy"] = (current.grupy, _groups(dla))
    if zasieg is not None:
        if not zasieg:
            raise InvalidInput("zasięg usługi nie może być pusty. Podaj co najmniej jeden.")
        sets["zasieg"] = (current.zasieg, _reach(db, provider, zasieg))
    sets = {name: pair for name, pair in sets.items() if pair[0] != pair[1]}
    if "nazwa" in columns or "instytucja" in columns:
        _check_unique(db, provider, columns.get("nazwa", current.nazwa), other_than=current.id)
    with db.atomic():
        changed = changes.update(db, "uslugi", current.id, columns) if columns else {}
        if "nazwa" in changed:
            db.execute(
                "UPDATE uslugi SET nazwa_szukaj = :n WHERE id = :id",
                {"n": fold(columns["nazwa"]), "id": current.id},
            )
        if sets:
            _log_sets(db, current.id, sets, touch=not changed)
            _write_sets(
                db,
                current.id,
                sets.get("grupy", (current.grupy, current.grupy))[1],
                sets.get("zasieg", (current.zasieg, current.zasieg))[1],
            )
    return get(db, current.id)


def _log_sets(
    db: Database,
    service_id: int,
    sets: dict[str, tuple[tuple[str, ...], tuple[str, ...]]],
    *,
    touch: bool,
) -> None:
    stamp = now()
    for name, (old, new) in sets.items():
        db.execute(
            "INSERT INTO _zmiany (tabela, rekord, pole, stara, nowa, kiedy) "
            "VALUES ('uslugi', :rekord, :pole, :stara, :nowa, :kiedy)",
            {
                "rekord": service_id,
                "pole": name,
                "stara": ", ".join(old) or None,
                "nowa": ", ".join(new) or None,
                "kiedy": stamp,
            },
        )
    if touch:
        db.execute(
            "UPDATE uslugi SET zmieniono = :kiedy WHERE id = :id",
            {"kiedy": stamp, "id": service_id},
        )


def remove(db: Database, ref: int | str) -> Service:
    """Delete a service with its target groups and reach; returns what was deleted."""
    service = resolve(db, ref)
    with db.atomic():
        db.execute("DELETE FROM uslugi_grupy WHERE usluga = :id", {"id": service.id})
        db.execute("DELETE FROM uslugi_zasieg WHERE usluga = :id", {"id": service.id})
        db.execute("DELETE FROM uslugi WHERE id = :id", {"id": service.id})
    return service


def verify(
    db: Database, ref: int | str, *, data: str | None = None, kto: str | None = None
) -> Service:
    """Record that the service's entry was checked on a day (default today), by whom."""
    import datetime as dt

    current = resolve(db, ref)
    day = parse_date(data) if data is not None else dt.date.today()
    if day > dt.date.today():
        raise InvalidInput(
            f"data weryfikacji {day.isoformat()} jest w przyszłości. Podaj dzień, w którym "
            "sprawdzono usługę (domyślnie dziś)."
        )
    columns = {"zweryfikowano": day.isoformat(), "zweryfikowal": validate.clean(kto)}
    with db.atomic():
        changes.update(db, "uslugi", current.id, columns)
    return get(db, current.id)


def present_at_meeting(
    db: Database, meeting_id: int, institution_id: int, nazwa: str, obszar: str
) -> Service:
    """A service the institution presented: into the basket, and noted for the minutes."""

    with db.atomic():
        service = add(db, nazwa=nazwa, instytucja=str(institution_id), obszar=obszar)
        db.execute(
            "INSERT OR IGNORE INTO spotkania_uslugi (spotkanie, usluga) VALUES (:s, :u)",
            {"s": meeting_id, "u": service.id},
        )
    return service
