"""An institution's further phones and offices (`instytucje telefony|biura`), services given
at an office (`uslugi --biuro`) and how the HSDS export carries them: PCPR Radomsko with
three published phones and a second office in ul. Piastowska."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Result, snapshot
from tests.test_eksport_hsds import official, read

Run = Callable[..., Result]
Query = Callable[..., list[tuple[object, ...]]]
PCPR = "Powiatowe Centrum Pomocy Rodzinie w Radomsku"


@pytest.fixture
def pcpr(run: Run) -> None:
    result = run(
        "instytucje", "dodaj", PCPR, "-g", "1012011", "-s", "rodzina", "--skrot", "PCPR",
        "--adres", "ul. Przedborska 39/41", "--kod-pocztowy", "97-500",
        "--miejscowosc", "Radomsko", "--telefon", "44 715-07-95",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr


def _office(run: Run) -> None:
    result = run(
        "instytucje", "biura", "dodaj", "PCPR", "-g", "1012011", "--adres", "ul. Piastowska 21",
        "--opis", "piecza zastępcza, zespół do spraw orzekania o niepełnosprawności",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "Dodano biuro nr 1" in result.stdout


def test_several_phones_each_with_a_label(run: Run, query: Query, pcpr: None) -> None:
    for number, label in (("44 715-02-00", "sekretariat"), ("514 717 195", "komórka")):
        result = run("instytucje", "telefony", "dodaj", "PCPR", number, "--opis", label)
        assert result.exit_code == 0, result.stderr
    assert query("SELECT numer, opis FROM instytucje_telefony ORDER BY id") == [
        ("+48 44 715 02 00", "sekretariat"),
        ("+48 514 717 195", "komórka"),
    ]
    shown = run("instytucje", "pokaz", "PCPR").stdout
    assert "+48 44 715 02 00 (sekretariat); +48 514 717 195 (komórka)" in shown
    listed = json.loads(run("instytucje", "telefony", "lista", "PCPR", "-f", "json").stdout)
    assert [p["opis"] for p in listed] == ["główny", "sekretariat", "komórka"]
    card = json.loads(run("instytucje", "pokaz", "PCPR", "-f", "json").stdout)
    assert [p["numer"] for p in card["telefony"]] == ["+48 44 715 02 00", "+48 514 717 195"]
    removed = run("instytucje", "telefony", "usun", "PCPR", "514717195")
    assert removed.exit_code == 0, removed.stderr
    assert query("SELECT count(*) FROM instytucje_telefony") == [(1,)]
    history = query("SELECT operacja FROM _zmiany WHERE tabela = 'instytucje_telefony'")
    assert sorted(str(h[0]) for h in history) == ["dodanie", "dodanie", "usuniecie"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["PCPR", "44 715 07 95"], "ma już telefon +48 44 715 07 95"),
        (["PCPR", "12"], 'niepoprawny numer telefonu "12"'),
        (["PCPR", "514 717 195", "--opis", "x" * 201], "opis telefonu jest za długi"),
        (["MOPS", "514 717 195"], "MOPS"),
    ],
)
def test_phone_errors_change_nothing(
    run: Run, db_path: Path, pcpr: None, args: list[str], message: str
) -> None:
    before = snapshot(db_path)
    result = run("instytucje", "telefony", "dodaj", *args)
    assert result.exit_code == 1
    assert result.stderr.startswith("Błąd: ") and message in result.stderr
    assert snapshot(db_path) == before


def test_removing_the_main_phone_says_how(run: Run, db_path: Path, pcpr: None) -> None:
    before = snapshot(db_path)
    result = run("instytucje", "telefony", "usun", "PCPR", "44 715 07 95")
    assert result.exit_code == 1
    assert "To telefon główny" in result.stderr and "--telefon" in result.stderr
    assert snapshot(db_path) == before


def test_an_office_and_a_service_given_there(run: Run, query: Query, pcpr: None) -> None:
    _office(run)
    assert query("SELECT adres, kod_pocztowy, miejscowosc FROM instytucje_biura") == [
        ("ul. Piastowska 21", "97-500", "Radomsko")  # town and code default to the seat's
    ]
    added = run(
        "uslugi", "dodaj", "Orzekanie o stopniu niepełnosprawności", "-i", "PCPR",
        "-a", "niepelnosprawnosc", "--biuro", "1",
    )  # fmt: skip
    assert added.exit_code == 0, added.stderr
    assert query("SELECT biuro, miejsce, adres FROM uslugi") == [(1, "adres", "ul. Piastowska 21")]
    assert "ul. Piastowska 21, 97-500 Radomsko" in run("uslugi", "pokaz", "1").stdout
    # The office moves: its services move with it.
    moved = run("instytucje", "biura", "edytuj", "1", "--adres", "ul. Piastowska 23")
    assert "adres: ul. Piastowska 21 → ul. Piastowska 23" in moved.stdout
    assert query("SELECT adres FROM uslugi") == [("ul. Piastowska 23",)]
    basket = json.loads(run("koszyk", "--gmina", "1012011", "-f", "json").stdout)
    assert "ul. Piastowska 23" in json.dumps(basket, ensure_ascii=False)
    # A place typed by hand takes the service out of the office.
    assert run("uslugi", "edytuj", "1", "--miejsce", "online").exit_code == 0
    assert query("SELECT biuro, miejsce FROM uslugi") == [(None, "online")]
    assert run("uslugi", "edytuj", "1", "--biuro", "1").exit_code == 0
    assert run("uslugi", "edytuj", "1", "--biuro", "").exit_code == 0
    assert query("SELECT biuro, miejsce, adres FROM uslugi") == [(None, "siedziba", None)]


def test_an_office_in_use_is_not_removed(run: Run, db_path: Path, query: Query, pcpr: None) -> None:
    _office(run)
    args = (
        "uslugi",
        "dodaj",
        "Piecza zastępcza",
        "-i",
        "PCPR",
        "-a",
        "polityka_prorodzinna",
        "--biuro",
        "1",
    )
    assert run(*args).exit_code == 0
    before = snapshot(db_path)
    refused = run("instytucje", "biura", "usun", "1", "--tak")
    assert refused.exit_code == 1
    assert "odbywają się usługi: Piecza zastępcza (nr 1)" in refused.stderr
    assert snapshot(db_path) == before
    assert run("uslugi", "edytuj", "1", "--biuro", "").exit_code == 0
    assert run("instytucje", "biura", "usun", "1", "--tak").exit_code == 0
    assert query("SELECT count(*) FROM instytucje_biura") == [(0,)]


def test_a_service_cannot_use_another_institutions_office(
    run: Run, db_path: Path, pcpr: None
) -> None:
    _office(run)
    other = ("instytucje", "dodaj", "MOPS w Radomsku", "-g", "1012011", "--skrot", "MOPS")
    assert run(*other, "-s", "pomoc_spoleczna").exit_code == 0
    before = snapshot(db_path)
    for office, message in (("1", "należy do innej instytucji"), ("9", "nie ma biura o numerze 9")):
        args = (
            "uslugi",
            "dodaj",
            "Porady",
            "-i",
            "MOPS",
            "-a",
            "polityka_prorodzinna",
            "--biuro",
            office,
        )
        result = run(*args)
        assert result.exit_code == 1
        assert message in result.stderr
    assert snapshot(db_path) == before


def test_removing_an_institution_takes_its_phones_and_offices(
    run: Run, query: Query, pcpr: None
) -> None:
    _office(run)
    assert run("instytucje", "telefony", "dodaj", "PCPR", "514 717 195").exit_code == 0
    assert run("instytucje", "usun", "PCPR", "--tak").exit_code == 0
    assert query("SELECT count(*) FROM instytucje_telefony") == [(0,)]
    assert query("SELECT count(*) FROM instytucje_biura") == [(0,)]


def test_hsds_carries_phones_and_the_office_as_a_location(
    run: Run, pcpr: None, tmp_path: Path
) -> None:
    from frictionless import Package

    _office(run)
    assert run("instytucje", "telefony", "dodaj", "PCPR", "514 717 195", "--opis", "komórka")
    args = ("-a", "niepelnosprawnosc", "--biuro", "1")
    assert run("uslugi", "dodaj", "Orzekanie", "-i", "PCPR", *args).exit_code == 0
    assert run("uslugi", "dodaj", "Piecza", "-i", "PCPR", *args).exit_code == 0
    folder = tmp_path / "hsds"
    result = run("eksport", "hsds", "--gmina", "1012011", "-o", str(folder))
    assert result.exit_code == 0, result.stderr
    locations = read(folder, "locations.csv")
    # One location for the office, shared by both services given there.
    assert len(locations) == 1
    assert locations[0]["name"].endswith("zespół do spraw orzekania o niepełnosprawności")
    assert {r["location_id"] for r in read(folder, "service_at_location.csv")} == {
        locations[0]["id"]
    }
    assert [a["address_1"] for a in read(folder, "addresses.csv")] == ["ul. Piastowska 21"]
    phones = {p["number"]: p["description"] for p in read(folder, "phones.csv")}
    assert phones == {"+48 44 715 07 95": "", "+48 514 717 195": "komórka"}
    ours = json.loads((folder / "datapackage.json").read_text("utf-8"))
    names = {r["name"] for r in ours["resources"]}
    report = Package(official(names), basepath=str(folder)).validate()
    assert report.valid, [(t.name, e.type, e.note) for t in report.tasks for e in t.errors]
