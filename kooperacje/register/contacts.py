"""An institution as it really is: phones beyond its main one, each with a label, and
offices beyond its seat, each saying what is there (a PCPR's foster-care office in
another street). A service may be given at one of its provider's offices."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kooperacje.errors import Conflict, InvalidInput, NotFound
from kooperacje.register import validate
from kooperacje.register.institutions import Institution
from kooperacje.store.changes import Change, update
from kooperacje.store.db import now

if TYPE_CHECKING:
    from sqlite_utils import Database

MAX_LABEL = 200


@dataclass(frozen=True)
class Phone:
    id: int
    uuid: str
    instytucja: int
    numer: str  # +48 514 717 195
    opis: str | None  # "sekretariat", "komórka"

    @property
    def opis_pelny(self) -> str:
        """'+48 514 717 195 (komórka)'."""
        return f"{self.numer} ({self.opis})" if self.opis else self.numer


@dataclass(frozen=True)
class Office:
    id: int
    uuid: str
    instytucja: int
    instytucja_nazwa: str
    nazwa: str  # what is there
    adres: str
    kod_pocztowy: str | None
    miejscowosc: str | None
    telefon: str | None

    @property
    def adres_pelny(self) -> str:
        """'ul. Piastowska 21, 97-500 Radomsko'."""
        town = " ".join(x for x in (self.kod_pocztowy, self.miejscowosc) if x)
        return ", ".join(x for x in (self.adres, town) if x)


def _label(value: str | None, what: str) -> str | None:
    text = validate.clean(value)
    if text is not None and len(text) > MAX_LABEL:
        raise InvalidInput(f"{what} jest za długi ({len(text)} znaków, najwyżej {MAX_LABEL}).")
    return text


def phones_for(db: Database, institution_ids: Iterable[int]) -> dict[int, tuple[Phone, ...]]:
    """The further phones of each institution (one query), in the order they were added."""
    found: dict[int, list[Phone]] = {}
    for r in db.query(
        "SELECT id, uuid, instytucja, numer, opis FROM instytucje_telefony "
        "WHERE instytucja IN (SELECT value FROM json_each(:ids)) ORDER BY id",
        {"ids": json.dumps(sorted(set(institution_ids)))},
    ):
        found.setdefault(int(r["instytucja"]), []).append(Phone(**r))
    return {k: tuple(v) for k, v in found.items()}


def phones_of(db: Database, institution_id: int) -> tuple[Phone, ...]:
    """The institution's further phones, in the order they were added."""
    return phones_for(db, [institution_id]).get(institution_id, ())


def add_phone(db: Database, institution: Institution, numer: str, opis: str | None) -> Phone:
    """Add a phone to the institution; the main phone or one already listed is refused."""
    number = validate.phone(numer)
    if number is None:
        raise InvalidInput("podaj numer telefonu, np. 44 715 02 00.")
    label = _label(opis, "opis telefonu")
    if number == institution.telefon or any(
        p.numer == number for p in phones_of(db, institution.id)
    ):
        raise Conflict(
            f"instytucja „{institution.nazwa}” ma już telefon {number}. Telefony pokaże "
            f"polecenie: kooperacje instytucje pokaz {institution.id}."
        )
    with db.atomic():
        new_id = db.execute(
            "INSERT INTO instytucje_telefony (uuid, instytucja, numer, opis, utworzono) "
            "VALUES (:u, :i, :n, :o, :t)",
            {"u": str(uuid.uuid4()), "i": institution.id, "n": number, "o": label, "t": now()},
        ).lastrowid
    return next(p for p in phones_of(db, institution.id) if p.id == new_id)


def remove_phone(db: Database, institution: Institution, numer: str) -> Phone:
    """Remove one of the institution's further phones, given as typed or normalised."""
    number = validate.phone(numer)
    found = [p for p in phones_of(db, institution.id) if p.numer == number]
    if not found:
        main = (
            " To telefon główny: zmień go poleceniem kooperacje instytucje edytuj "
            f'{institution.id} --telefon NOWY (albo --telefon "").'
            if number == institution.telefon
            else ""
        )
        raise NotFound(
            f"instytucja „{institution.nazwa}” nie ma dodatkowego telefonu {number}.{main}"
        )
    with db.atomic():
        db.execute("DELETE FROM instytucje_telefony WHERE id = :id", {"id": found[0].id})
    return found[0]


_OFFICE = """
    SELECT b.id, b.uuid, b.instytucja, i.nazwa AS instytucja_nazwa, b.nazwa, b.adres,
           b.kod_pocztowy, b.miejscowosc, b.telefon
    FROM instytucje_biura b JOIN instytucje i ON i.id = b.instytucja
"""


def offices_for(db: Database, institution_ids: Iterable[int]) -> dict[int, tuple[Office, ...]]:
    """The offices of each institution (one query), in the order they were added."""
    found: dict[int, list[Office]] = {}
    for r in db.query(
        _OFFICE + " WHERE b.instytucja IN (SELECT value FROM json_each(:ids)) ORDER BY b.id",
        {"ids": json.dumps(sorted(set(institution_ids)))},
    ):
        found.setdefault(int(r["instytucja"]), []).append(Office(**r))
    return {k: tuple(v) for k, v in found.items()}


def offices_of(db: Database, institution_id: int) -> tuple[Office, ...]:
    return offices_for(db, [institution_id]).get(institution_id, ())


def get_office(db: Database, office_id: int) -> Office:
    rows = list(db.query(_OFFICE + " WHERE b.id = :id", {"id": office_id}))
    if not rows:
        raise NotFound(
            f"nie ma biura o numerze {office_id}. Biura pokaże polecenie: "
            "kooperacje instytucje biura lista."
        )
    return Office(**rows[0])


def list_offices(db: Database, institution: Institution | None = None) -> tuple[Office, ...]:
    """Every office, or one institution's."""
    if institution is not None:
        return offices_of(db, institution.id)
    return tuple(Office(**r) for r in db.query(_OFFICE + " ORDER BY b.instytucja, b.id"))


def _office_values(
    nazwa: str | None,
    adres: str | None,
    kod_pocztowy: str | None,
    miejscowosc: str | None,
    telefon: str | None,
) -> dict[str, str | None]:
    values = {
        "nazwa": _label(nazwa, "opis biura") if nazwa is not None else None,
        "adres": _label(adres, "adres biura") if adres is not None else None,
        "kod_pocztowy": validate.postal_code(kod_pocztowy) if kod_pocztowy is not None else None,
        "miejscowosc": _label(miejscowosc, "miejscowość") if miejscowosc is not None else None,
        "telefon": validate.phone(telefon) if telefon is not None else None,
    }
    return values


def add_office(
    db: Database,
    institution: Institution,
    *,
    nazwa: str,
    adres: str,
    kod_pocztowy: str | None = None,
    miejscowosc: str | None = None,
    telefon: str | None = None,
) -> Office:
    """Add an office: what is there and its address (the town defaults to the seat's)."""
    values = _office_values(nazwa, adres, kod_pocztowy, miejscowosc, telefon)
    if not values["nazwa"]:
        raise InvalidInput('podaj, co mieści się w biurze, np. --opis "piecza zastępcza".')
    if not values["adres"]:
        raise InvalidInput('podaj adres biura, np. --adres "ul. Piastowska 21".')
    values["miejscowosc"] = values["miejscowosc"] or institution.miejscowosc
    if values["kod_pocztowy"] is None and values["miejscowosc"] == institution.miejscowosc:
        values["kod_pocztowy"] = institution.kod_pocztowy
    stamp = now()
    with db.atomic():
        new_id = db.execute(
            "INSERT INTO instytucje_biura (uuid, instytucja, nazwa, adres, kod_pocztowy, "
            "miejscowosc, telefon, utworzono, zmieniono) VALUES (:u, :i, :nazwa, :adres, "
            ":kod_pocztowy, :miejscowosc, :telefon, :t, :t)",
            {"u": str(uuid.uuid4()), "i": institution.id, "t": stamp} | values,
        ).lastrowid
    return get_office(db, int(new_id or 0))


def edit_office(db: Database, office_id: int, **fields: str | None) -> tuple[Office, list[Change]]:
    """Change an office; "" clears the postal code, town or phone (never what is there or
    the street). Services given at the office follow its new address."""
    office = get_office(db, office_id)
    given = {k: v for k, v in fields.items() if v is not None}
    if not given:
        raise InvalidInput(
            "nie podano nic do zmiany. Podaj co najmniej jedną z opcji: --opis, --adres, "
            "--kod-pocztowy, --miejscowosc, --telefon."
        )
    values = {k: v for k, v in _office_values(**fields).items() if k in given}
    for name, what in (("nazwa", "opis biura"), ("adres", "adres biura")):
        if name in given and not values[name]:
            raise InvalidInput(f"{what} nie może być pusty.")
    with db.atomic():
        changed = update(db, "instytucje_biura", office.id, values | {"zmieniono": now()})
        if {"adres", "kod_pocztowy", "miejscowosc"} & set(changed):
            # The services given at the office carry its address: they move with it.
            moved = get_office(db, office.id)
            db.execute(
                "UPDATE uslugi SET adres = :a, kod_pocztowy = :k, miejscowosc = :m, "
                "zmieniono = :t WHERE biuro = :id",
                {
                    "id": office.id,
                    "a": moved.adres,
                    "k": moved.kod_pocztowy,
                    "m": moved.miejscowosc,
                    "t": now(),
                },
            )
    changes = [
        Change(name, getattr(office, name), str(changed[name]) if changed[name] else None)
        for name in values
        if name in changed
    ]
    return get_office(db, office.id), changes


def remove_office(db: Database, office_id: int) -> Office:
    """Remove an office that no service takes place at."""
    office = get_office(db, office_id)
    used = [
        f"{r['nazwa']} (nr {r['id']})"
        for r in db.query(
            "SELECT id, nazwa FROM uslugi WHERE biuro = :b ORDER BY id", {"b": office.id}
        )
    ]
    if used:
        raise Conflict(
            f"w biurze nr {office.id} ({office.adres_pelny}) odbywają się usługi: "
            f'{"; ".join(used)}. Przenieś je najpierw: kooperacje uslugi edytuj NR --biuro "".'
        )
    with db.atomic():
        db.execute("DELETE FROM instytucje_biura WHERE id = :id", {"id": office.id})
    return office


def office_for_service(db: Database, provider: int, text: str) -> int | None:
    """The office (by number) of a service's provider; "" means the seat (None)."""
    value = text.strip()
    if not value:
        return None
    if not value.isdigit():
        raise InvalidInput(
            f'biuro "{value}" podaj numerem. Biura realizatora pokaże polecenie: '
            f"kooperacje instytucje biura lista {provider}."
        )
    office = get_office(db, int(value))
    if office.instytucja != provider:
        raise InvalidInput(
            f"biuro nr {office.id} należy do innej instytucji ({office.instytucja_nazwa}). "
            f"Biura realizatora pokaże polecenie: kooperacje instytucje biura lista {provider}."
        )
    return office.id
