"""`kooperacje koszyk` filters and full-text search; `kooperacje uslugi szukaj`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from kooperacje.basket.query import fts_query
from tests import directory
from tests.conftest import Result

Run = Callable[..., Result]


@pytest.fixture
def ids(db_path: Path, template: Path) -> dict[str, int]:
    return directory.build(db_path, template)


def found(run: Run, *args: str) -> list[int]:
    result = run("koszyk", *args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    return [row["usluga"] for row in json.loads(result.stdout)]


def test_powiat_provider_appears_in_every_gmina_of_the_powiat(
    run: Run, ids: dict[str, int]
) -> None:
    for gmina in (directory.RADOMSKO_MIASTO, directory.RADOMSKO_WIES, directory.GIDLE):
        assert ids["interwencja"] in found(run, "-g", gmina)
        assert ids["telefon"] in found(run, "-g", gmina)  # voivodeship level
    assert ids["interwencja"] not in found(run, "-g", directory.PIOTRKOW)
    assert ids["mlodziez"] not in found(run, "-g", directory.RADOMSKO_WIES)


def test_closed_service_never_appears(run: Run, ids: dict[str, int]) -> None:
    for args in (
        (),
        ("--status", "zawieszona"),
        ("--szukaj", "psychologiczny"),
        ("--dla", "seniorzy"),
    ):
        assert ids["zakonczona"] not in found(run, "-g", directory.RADOMSKO_MIASTO, *args)
    result = run("uslugi", "szukaj", "senior", "-f", "json")
    assert ids["zakonczona"] not in [r["usluga"] for r in json.loads(result.stdout)]
    refused = run("koszyk", "-g", directory.RADOMSKO_MIASTO, "--status", "zakonczona")
    assert refused.exit_code == 1
    assert "zakończone usługi nie należą do koszyka" in refused.stderr


def test_suspended_only_on_request(run: Run, ids: dict[str, int]) -> None:
    assert ids["zawieszona"] not in found(run, "-g", directory.RADOMSKO_MIASTO)
    assert found(run, "-g", directory.RADOMSKO_MIASTO, "--status", "zawieszona") == [
        ids["zawieszona"]
    ]


@pytest.mark.parametrize(
    ("age", "youth", "senior"),
    [
        (12, False, False),
        (13, True, False),
        (18, True, False),
        (19, False, False),
        (59, False, False),
        (60, False, True),
        (150, False, True),
        (0, False, False),
    ],
)
def test_age_range_edges(
    run: Run, ids: dict[str, int], age: int, youth: bool, senior: bool
) -> None:
    result = found(run, "-g", directory.RADOMSKO_MIASTO, "--wiek", str(age))
    assert (ids["mlodziez"] in result) is youth
    assert (ids["senior"] in result) is senior
    assert ids["interwencja"] in result  # no age range: any age


@pytest.mark.parametrize("age", ["-1", "151"])
def test_age_out_of_range_is_an_error(run: Run, ids: dict[str, int], age: str) -> None:
    result = run("koszyk", "-g", directory.RADOMSKO_MIASTO, "--wiek", age)
    assert result.exit_code == 1
    assert f"wiek {age} jest poza zakresem. Podaj liczbę lat od 0 do 150." in result.stderr
    assert run("koszyk", "-g", directory.RADOMSKO_MIASTO, "--wiek", "dużo").exit_code == 2


def test_free_area_and_group_filters(run: Run, ids: dict[str, int]) -> None:
    free = found(run, "-g", directory.RADOMSKO_MIASTO, "--bezplatne")
    assert set(free) == {ids["interwencja"], ids["mlodziez"]}
    area = found(run, "-g", directory.RADOMSKO_MIASTO, "--obszar", "wspieranie rodziny")
    assert set(area) == {ids["interwencja"], ids["telefon"]}
    group = found(run, "-g", directory.RADOMSKO_MIASTO, "--dla", "rodziny", "--bezplatne")
    assert group == [ids["interwencja"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lodz", "telefon"),  # Łodzi: ł folded, case ignored
        ("ŁÓDŹ", "telefon"),
        ("osrodek", "senior"),  # Ośrodek in the provider's name
        ("psycholog", "mlodziez"),  # prefix of psychologiczne
        ("UCZNIOWIE", "mlodziez"),  # eligibility text
        ("zdrowia psych", "mlodziez"),  # provider words, prefix
    ],
)
def test_search_folds_diacritics_and_matches_prefixes(
    run: Run, ids: dict[str, int], text: str, expected: str
) -> None:
    assert ids[expected] in found(run, "-g", directory.RADOMSKO_MIASTO, "--szukaj", text)


def test_search_is_ranked_name_first(run: Run, ids: dict[str, int]) -> None:
    # "psycholog" is in the name of one service and in the description of another.
    result = found(run, "-g", directory.RADOMSKO_MIASTO, "--szukaj", "psycholog")
    assert result == [ids["mlodziez"], ids["interwencja"]]
    everywhere = run("uslugi", "szukaj", "psycholog", "-f", "json")
    assert [r["usluga"] for r in json.loads(everywhere.stdout)] == result


def test_search_table_and_empty_result(run: Run, ids: dict[str, int]) -> None:
    result = run("uslugi", "szukaj", "psycholog", "--gmina", directory.RADOMSKO_MIASTO)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[2].split()[0] == str(ids["mlodziez"])
    none = run("uslugi", "szukaj", "astronomia")
    assert none.exit_code == 0
    assert 'Nie znaleziono aktywnych usług pasujących do "astronomia".' in none.stdout


def test_search_without_words_is_an_error(run: Run, ids: dict[str, int]) -> None:
    result = run("uslugi", "szukaj", "  --- ")
    assert result.exit_code == 1
    assert "nie zawiera słów" in result.stderr


def test_search_follows_edits_and_deletions(run: Run, ids: dict[str, int]) -> None:
    gmina = directory.RADOMSKO_MIASTO
    assert (
        run("uslugi", "edytuj", str(ids["senior"]), "--opis", "Opieka w domu, Łask").exit_code == 0
    )
    assert found(run, "-g", gmina, "--szukaj", "lask") == [ids["senior"]]
    assert run("uslugi", "edytuj", str(ids["senior"]), "--opis", "").exit_code == 0
    assert found(run, "-g", gmina, "--szukaj", "lask") == []
    # Renaming the provider re-indexes its services.
    renamed = run("instytucje", "edytuj", str(ids["poradnia"]), "--nazwa", "Poradnia Żółw")
    assert renamed.exit_code == 0, renamed.stderr
    assert found(run, "-g", gmina, "--szukaj", "zolw") == [ids["mlodziez"]]
    assert found(run, "-g", gmina, "--szukaj", "zdrowia psych") == []
    assert run("uslugi", "usun", str(ids["mlodziez"]), "--tak").exit_code == 0
    assert found(run, "-g", gmina, "--szukaj", "zolw") == []


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("Łódź", '"lodz"*'),
        ("ośrodek  psycholog", '"osrodek"* "psycholog"*'),
        ('a"b OR c', '"a"* "b"* "or"* "c"*'),
    ],
)
def test_fts_query_quotes_every_word(text: str, query: str) -> None:
    assert fts_query(text) == query


def test_basket_table_with_search_is_ranked(run: Run, ids: dict[str, int]) -> None:
    result = run("koszyk", "-g", directory.RADOMSKO_MIASTO, "--szukaj", "psycholog")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[1] == "Filtr: wyszukiwanie „psycholog”."
    assert [line.split()[0] for line in lines[4:]] == [
        str(ids["mlodziez"]),
        str(ids["interwencja"]),
    ]
    empty = run("koszyk", "-g", directory.RADOMSKO_MIASTO, "--szukaj", "astronomia")
    assert "Brak aktywnych usług spełniających te warunki." in empty.stdout
