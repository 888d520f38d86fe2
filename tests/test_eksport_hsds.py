"""`kooperacje eksport hsds`: the basket as an HSDS 3.0 tabular data package, validated
against the published HSDS 3.0 data package (tests/data/hsds-3.0, offline)."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests import directory
from tests.conftest import Result, snapshot

Run = Callable[..., Result]
HSDS = Path(__file__).parent / "data" / "hsds-3.0"


@pytest.fixture
def ids(db_path: Path, template: Path) -> dict[str, int]:
    return directory.build(db_path, template)


def export(run: Run, folder: Path, gmina: str = directory.RADOMSKO_MIASTO) -> None:
    result = run("eksport", "hsds", "--gmina", gmina, "-o", str(folder))
    assert result.exit_code == 0, result.stderr
    assert f"Zapisano pakiet HSDS 3.0: {folder.resolve()}" in result.stdout


def read(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def official(names: set[str]) -> dict[str, Any]:
    """The published HSDS descriptor, limited to the exported tables."""
    descriptor: dict[str, Any] = json.loads((HSDS / "datapackage.json").read_text("utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] in names]
    for resource in descriptor["resources"]:
        resource["schema"]["foreignKeys"] = [
            fk
            for fk in resource["schema"].get("foreignKeys", [])
            if fk["reference"]["resource"] in names
        ]
    return descriptor


def test_export_validates_against_hsds_3(run: Run, tmp_path: Path, ids: dict[str, int]) -> None:
    from frictionless import Package

    folder = tmp_path / "hsds"
    export(run, folder)
    ours = json.loads((folder / "datapackage.json").read_text("utf-8"))
    names = {r["name"] for r in ours["resources"]}
    assert {
        "organization",
        "service",
        "location",
        "service_at_location",
        "service_area",
        "phone",
        "contact",
        "schedule",
        "cost_option",
    } <= names
    for report in (
        Package(str(folder / "datapackage.json")).validate(),
        Package(official(names), basepath=str(folder)).validate(),
    ):
        errors = [(t.name, e.type, e.note) for t in report.tasks for e in t.errors]
        assert report.valid, errors
    # Every CSV has exactly HSDS's fields, in its order.
    for resource in official(names)["resources"]:
        with (folder / resource["path"]).open(encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        assert header == [f["name"] for f in resource["schema"]["fields"]]


def test_export_content(run: Run, tmp_path: Path, query: Any, ids: dict[str, int]) -> None:
    folder = tmp_path / "hsds"
    export(run, folder)
    services = {r["name"]: r for r in read(folder, "services.csv")}
    # Active basket only: powiat and voivodeship providers in, suspended and closed out.
    assert set(services) == {
        "Interwencja kryzysowa",
        "Konsultacje psychologiczne dla młodzieży",
        "Usługi opiekuńcze",
        "Telefon zaufania dla rodzin",
    }
    crisis = services["Interwencja kryzysowa"]
    (uuid,) = query("SELECT uuid FROM uslugi WHERE id = ?", (ids["interwencja"],))[0]
    assert crisis["id"] == uuid
    assert crisis["status"] == "active"
    assert crisis["assured_date"] == "2026-01-10"
    assert crisis["fees_description"] == "bezpłatnie"
    youth = services["Konsultacje psychologiczne dla młodzieży"]
    assert (youth["minimum_age"], youth["maximum_age"]) == ("13", "18")
    organizations = {r["id"]: r for r in read(folder, "organizations.csv")}
    assert organizations[crisis["organization_id"]]["alternate_name"] == "PCPR"
    assert organizations[crisis["organization_id"]]["tax_id"] == "7722196412"
    (schedule,) = read(folder, "schedules.csv")
    assert (schedule["byday"], schedule["opens_at"], schedule["closes_at"]) == (
        "MO,TU,WE,TH,FR",
        "08:00:00",
        "15:00:00",
    )
    areas = [r for r in read(folder, "service_areas.csv") if r["service_id"] == crisis["id"]]
    assert [(a["extent"], a["name"]) for a in areas] == [("1012", "powiat radomszczański")]
    locations = {r["id"]: r for r in read(folder, "locations.csv")}
    places = {
        services_by_id: locations[r["location_id"]]["location_type"]
        for r in read(folder, "service_at_location.csv")
        for services_by_id in [r["service_id"]]
    }
    assert places[services["Telefon zaufania dla rodzin"]["id"]] == "virtual"
    assert places[youth["id"]] == "physical"
    streets = {r["address_1"] for r in read(folder, "addresses.csv")}
    assert streets == {"ul. Tkacka 5", "ul. Reymonta 3"}
    (contact,) = read(folder, "contacts.csv")
    assert contact["name"] == "Anna Nowak"
    costs = {r["service_id"]: r for r in read(folder, "cost_options.csv")}
    assert costs[crisis["id"]]["amount"] == "0"
    assert costs[services["Usługi opiekuńcze"]["id"]]["option"] == "odpłatna"


def test_export_is_stable(run: Run, tmp_path: Path, ids: dict[str, int]) -> None:
    export(run, tmp_path / "a")
    export(run, tmp_path / "b")
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


def test_export_of_an_empty_basket(run: Run, tmp_path: Path, ids: dict[str, int]) -> None:
    export(run, tmp_path / "pusty", gmina="0410033")
    assert read(tmp_path / "pusty", "services.csv") == []


def test_export_errors_change_nothing(
    run: Run, tmp_path: Path, db_path: Path, ids: dict[str, int]
) -> None:
    before = snapshot(db_path)
    target = tmp_path / "plik.txt"
    target.write_text("x")
    result = run("eksport", "hsds", "--gmina", directory.RADOMSKO_MIASTO, "-o", str(target))
    assert result.exit_code == 1
    assert "jest plikiem" in result.stderr
    unknown = run("eksport", "hsds", "--gmina", "Atlantyda", "-o", str(tmp_path / "x"))
    assert unknown.exit_code == 1
    assert not (tmp_path / "x").exists()
    assert run("eksport", "hsds", "--gmina", "1012011").exit_code == 2
    assert snapshot(db_path) == before


def test_every_row_is_a_valid_hsds_object(run: Run, tmp_path: Path, ids: dict[str, int]) -> None:
    # The per-table JSON Schemas of HSDS 3.0: required fields, uuid/email/uri formats, enums.
    from jsonschema import Draft202012Validator, FormatChecker

    folder = tmp_path / "hsds"
    export(run, folder)
    descriptor = json.loads((folder / "datapackage.json").read_text("utf-8"))
    checked = 0
    for resource in descriptor["resources"]:
        schema = json.loads((HSDS / f"{resource['name']}.json").read_text("utf-8"))
        validator = Draft202012Validator(schema, format_checker=FormatChecker())
        numbers = {k for k, v in schema["properties"].items() if v.get("type") == "number"}
        for row in read(folder, resource["path"]):
            item = {k: float(v) if k in numbers else v for k, v in row.items() if v != ""}
            errors = [e.message for e in validator.iter_errors(item)]
            assert not errors, (resource["name"], item, errors)
            checked += 1
    assert checked > 20
