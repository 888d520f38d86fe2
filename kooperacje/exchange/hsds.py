"""The basket of a gmina as open data: an HSDS 3.0 tabular data package (Open Referral).

Every CSV file carries all fields HSDS defines for its table, in HSDS order, so any
Open Referral directory can load it; unknown values stay empty. Identifiers are UUIDs:
services and institutions keep their own, derived rows (locations, phones, schedules…)
get name-based UUIDs, so exporting twice gives the same identifiers.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kooperacje import files
from kooperacje.basket import basket, service_details
from kooperacje.basket.basket import BasketService
from kooperacje.errors import InvalidInput
from kooperacje.register import contacts, teryt
from kooperacje.register.teryt import Unit
from kooperacje.register.vocab import SECTORS
from kooperacje.spreadsheet import csv_text

if TYPE_CHECKING:
    from sqlite_utils import Database


# A fixed namespace: the same record always yields the same derived UUID.
_NAMESPACE = uuid.UUID("6f1c3a52-8a0e-4a61-9d2c-2b7f0c1e9a11")
_STATUS = {"aktywna": "active", "zawieszona": "temporarily closed", "zakonczona": "inactive"}
_HOURS = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*[-–—]\s*(\d{1,2})[:.](\d{2})\s*$")

Row = dict[str, Any]


@dataclass(frozen=True)
class Export:
    """What was written: the folder and the number of rows of each table."""

    katalog: Path
    gmina: Unit
    liczby: dict[str, int]


def _spec() -> dict[str, Any]:
    path = Path(__file__).parents[1] / "data" / "hsds_tabular.json"
    spec: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return spec


def _id(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


def _providers(db: Database, ids: set[int]) -> dict[int, Row]:
    rows = db.query(
        "SELECT id, uuid, nazwa, skrot, sektor, adres, kod_pocztowy, miejscowosc, telefon, "
        "email, www, nip FROM instytucje WHERE id IN (SELECT value FROM json_each(:ids))",
        {"ids": json.dumps(sorted(ids))},
    )
    found = {int(r["id"]): r for r in rows}
    phones = contacts.phones_for(db, found)
    offices = contacts.offices_for(db, found)
    for institution_id, row in found.items():
        row["telefony"] = phones.get(institution_id, ())
        row["biura"] = {o.id: o for o in offices.get(institution_id, ())}
    return found


def _hours(text: str | None) -> tuple[str | None, str | None]:
    """'8:00–15:00' -> ('08:00:00', '15:00:00'); other wording stays in the description."""
    match = _HOURS.match(text or "")
    if not match:
        return None, None
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        return None, None
    return f"{h1:02d}:{m1:02d}:00", f"{h2:02d}:{m2:02d}:00"


class _Tables:
    """Rows of each HSDS table, keyed by id so shared rows are written once."""

    def __init__(self, voivodeship: str) -> None:
        self.rows: dict[str, dict[str, Row]] = {}
        self.voivodeship = voivodeship

    def add(self, table: str, row: Row) -> str:
        self.rows.setdefault(table, {})[row["id"]] = row
        return str(row["id"])

    def address(
        self, location: str, street: str | None, code: str | None, town: str | None
    ) -> None:
        # HSDS requires street, city, postal code and region: partial addresses stay out.
        if street and code and town:
            self.add(
                "address",
                {
                    "id": _id("address", location),
                    "location_id": location,
                    "address_1": street,
                    "city": town,
                    "state_province": self.voivodeship,
                    "postal_code": code,
                    "country": "PL",
                    "address_type": "physical",
                },
            )


def _organization(t: _Tables, p: Row) -> str:
    org = p["uuid"]
    t.add(
        "organization",
        {
            "id": org,
            "name": p["nazwa"],
            "alternate_name": p["skrot"],
            "description": f"Sektor: {SECTORS.label(p['sektor'])}.",
            "email": p["email"],
            "website": p["www"],
            "tax_id": p["nip"],
        },
    )
    if p["telefon"]:
        t.add(
            "phone",
            {"id": _id("phone", org), "organization_id": org, "number": p["telefon"]},
        )
    for phone in p["telefony"]:
        t.add(
            "phone",
            {
                "id": phone.uuid,
                "organization_id": org,
                "number": phone.numer,
                "description": phone.opis,
            },
        )
    return str(org)


def _office(t: _Tables, office: contacts.Office, p: Row) -> str:
    """An office of the provider: a location shared by every service given there."""
    loc = _id("location", "office", office.uuid)
    t.add(
        "location",
        {
            "id": loc,
            "location_type": "physical",
            "organization_id": p["uuid"],
            "name": f"{p['nazwa']}: {office.nazwa}",
            "description": f"Biuro realizatora: {office.nazwa}.",
        },
    )
    t.address(loc, office.adres, office.kod_pocztowy, office.miejscowosc)
    if office.telefon:
        t.add(
            "phone",
            {
                "id": _id("phone", "office", office.uuid),
                "location_id": loc,
                "number": office.telefon,
            },
        )
    return loc


def _seat(t: _Tables, p: Row) -> str:
    loc = _id("location", "seat", p["uuid"])
    t.add(
        "location",
        {
            "id": loc,
            "location_type": "physical",
            "organization_id": p["uuid"],
            "name": p["nazwa"],
            "description": "Siedziba realizatora.",
        },
    )
    t.address(loc, p["adres"], p["kod_pocztowy"], p["miejscowosc"])
    return loc


def _location(t: _Tables, s: BasketService, p: Row) -> str:
    if s.miejsce == "siedziba":
        return _seat(t, p)
    office = p["biura"].get(s.biuro) if s.biuro is not None else None
    if office is not None:
        return _office(t, office, p)
    loc = _id("location", "service", s.uuid)
    text = service_details.place_text(
        s.miejsce, s.miejsce_adres, s.miejsce_kod_pocztowy, s.miejsce_miejscowosc
    )
    t.add(
        "location",
        {
            "id": loc,
            "location_type": "physical" if s.miejsce == "adres" else "virtual",
            "organization_id": p["uuid"],
            "name": f"{s.nazwa}: {text}",
            "url": s.www if s.miejsce == "online" else None,
        },
    )
    if s.miejsce == "adres":
        t.address(loc, s.miejsce_adres, s.miejsce_kod_pocztowy, s.miejsce_miejscowosc)
    return loc


def _service(t: _Tables, s: BasketService, org: str, reach_names: dict[str, str]) -> None:
    svc = s.uuid
    groups = f"Dla: {', '.join(s.grupy_nazwy)}." if s.grupy else None
    eligibility = " ".join(filter(None, (s.kryteria, groups)))
    applying = " ".join(
        filter(None, (s.jak_skorzystac, f"Dokumenty: {s.dokumenty}." if s.dokumenty else None))
    )
    t.add(
        "service",
        {
            "id": svc,
            "organization_id": org,
            "name": s.nazwa,
            "description": s.opis,
            "email": s.kontakt_email,
            "status": _STATUS[s.status],
            "application_process": applying or None,
            "fees_description": service_details.cost_text(s.bezplatna, s.odplatnosc),
            "eligibility_description": eligibility or None,
            "minimum_age": s.wiek_od,
            "maximum_age": s.wiek_do,
            "assured_date": s.zweryfikowano,
            "last_modified": s.zmieniono or None,
        },
    )
    for code in s.zasieg:
        t.add(
            "service_area",
            {
                "id": _id("service_area", svc, code),
                "service_id": svc,
                "name": reach_names.get(code, code),
                "extent_type": "teryt",
                "extent": code,
            },
        )
    if s.kontakt_osoba or s.kontakt_email or s.kontakt_telefon:
        contact = t.add(
            "contact",
            {
                "id": _id("contact", svc),
                "service_id": svc,
                "name": s.kontakt_osoba,
                "email": s.kontakt_email,
            },
        )
        if s.kontakt_telefon:
            t.add(
                "phone",
                {
                    "id": _id("phone", svc),
                    "service_id": svc,
                    "contact_id": contact,
                    "number": s.kontakt_telefon,
                },
            )
    if s.godziny or s.dni:
        opens, closes = _hours(s.godziny)
        days = [service_details.ICAL_DAYS[d] for d in (s.dni or "").split(",") if d]
        t.add(
            "schedule",
            {
                "id": _id("schedule", svc),
                "service_id": svc,
                "freq": "WEEKLY" if days else None,
                "byday": ",".join(days) or None,
                "opens_at": opens,
                "closes_at": closes,
                "description": service_details.when_text(s.godziny, s.dni),
            },
        )
    if s.bezplatna is not None or s.odplatnosc:
        t.add(
            "cost_option",
            {
                "id": _id("cost_option", svc),
                "service_id": svc,
                "option": service_details.cost_label(s.bezplatna),
                "currency": "PLN" if s.bezplatna == 1 else None,
                "amount": 0 if s.bezplatna == 1 else None,
                "amount_description": s.odplatnosc,
            },
        )


def _write_csv(path: Path, fields: list[str], rows: list[Row]) -> None:
    # HSDS files are read by programs: plain CSV (`,`, no BOM), formulas neutralised all
    # the same, since someone will open them in a spreadsheet. Contacts name staff: private.
    cells = [[row.get(f) for f in fields] for row in rows]
    files.write_text(path, csv_text([fields, *cells], excel=False), personal=True)


def export(db: Database, gmina: str, katalog: Path) -> Export:
    """Write the active basket of the gmina (raw input) as HSDS CSV files and a
    datapackage.json into katalog (created if missing; existing files replaced)."""
    unit = teryt.resolve_gmina(db, gmina)
    folder = katalog.expanduser()
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(f'"{folder}" jest plikiem. Podaj w -o katalog na pliki eksportu.')
    services = basket.basket(db, unit)
    providers = _providers(db, {s.instytucja for s in services})
    voivodeship = teryt.get_unit(db, unit.wojewodztwo_kod).nazwa
    t = _Tables(voivodeship)
    names = {
        code: name.split(" (")[0]
        for s in services
        for code, name in zip(s.zasieg, s.zasieg_nazwy, strict=True)
    }
    for s in services:
        p = providers[s.instytucja]
        org = _organization(t, p)
        _service(t, s, org, names)
        loc = _location(t, s, p)
        t.add(
            "service_at_location",
            {
                "id": _id("service_at_location", s.uuid, loc),
                "service_id": s.uuid,
                "location_id": loc,
            },
        )
    spec = _spec()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise files.error(exc, folder, "utworzyć katalogu") from None
    # Every file checked before any is written: a refusal leaves the folder as it was.
    for name in [r["path"] for r in spec["resources"]] + ["datapackage.json"]:
        files.check_target(folder / name)
    counts: dict[str, int] = {}
    for resource in spec["resources"]:
        fields = [f["name"] for f in resource["schema"]["fields"]]
        rows = sorted(t.rows.get(resource["name"], {}).values(), key=lambda r: str(r["id"]))
        _write_csv(folder / resource["path"], fields, rows)
        counts[resource["name"]] = len(rows)
    descriptor = {
        "name": f"koszyk-uslug-{unit.kod}",
        "title": f"Lokalny koszyk usług: {unit.nazwa} ({unit.rodzaj}, TERYT {unit.kod})",
        "profile": spec["profile"],
        "version": spec["version"],
        "sources": [{"title": "Human Services Data Specification 3.0 (Open Referral)"}],
        "resources": spec["resources"],
    }
    text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    files.write_text(folder / "datapackage.json", text, personal=False)
    return Export(folder, unit, counts)
