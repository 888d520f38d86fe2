"""`kooperacje luki` and `kooperacje uslugi zweryfikuj`."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from kooperacje.basket import gaps
from kooperacje.register.vocab import CORE_SECTORS
from kooperacje.store.db import open_db
from tests import directory
from tests.conftest import Result, snapshot

Run = Callable[..., Result]
Query = Callable[..., list[tuple[object, ...]]]


@pytest.fixture
def ids(db_path: Path, template: Path) -> dict[str, int]:
    return directory.build(db_path, template)


def rows(run: Run, *args: str) -> list[dict[str, str]]:
    result = run("luki", *args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    data: list[dict[str, str]] = json.loads(result.stdout)
    return data


def test_sector_gaps_core_first(run: Run, ids: dict[str, int]) -> None:
    sectors = [
        r for r in rows(run, "--gmina", directory.RADOMSKO_MIASTO) if r["rodzaj"] == "sektor"
    ]
    codes = [r["kod"] for r in sectors]
    # Members today: MOPS (pomoc_spoleczna), PCPR (rodzina); the clinic withdrew.
    assert "pomoc_spoleczna" not in codes and "rodzina" not in codes
    assert codes[:4] == ["edukacja", "zdrowie", "sadownictwo", "policja"]
    assert all(r["uwagi"] == "kluczowy" for r in sectors[:4])
    assert len(codes) == 14 and not any(r["uwagi"] for r in sectors[4:])
    assert set(codes[:4]) <= set(CORE_SECTORS)


def test_area_and_group_gaps(run: Run, ids: dict[str, int]) -> None:
    found = rows(run, "--zespol", "PZK Radomsko")
    areas = {r["kod"] for r in found if r["rodzaj"] == "obszar"}
    # Offered: wspieranie_rodziny, zdrowie, pomoc_spoleczna; the suspended piecza does not count.
    assert "piecza_zastepcza" in areas and "wspieranie_rodziny" not in areas
    assert len(areas) == 11
    groups = {r["kod"] for r in found if r["rodzaj"] == "grupa"}
    assert groups == {"niepelnosprawnosc", "bezdomnosc", "uzaleznienia", "bezrobotni", "po_wyroku"}


def test_unverified_services(db_path: Path, ids: dict[str, int]) -> None:
    db = open_db(db_path)
    found = gaps.find(db, gmina=directory.RADOMSKO_MIASTO, today=dt.date(2027, 1, 10))
    stale = [u.id for u in found.niezweryfikowane]
    # Never checked first, then the oldest check; checked exactly 12 months ago is fresh.
    assert stale[-1] == ids["senior"]
    assert ids["interwencja"] not in stale
    assert set(stale[:-1]) == {ids["mlodziez"], ids["telefon"]}
    later = gaps.find(db, gmina=directory.RADOMSKO_MIASTO, today=dt.date(2027, 1, 11))
    assert ids["interwencja"] in [u.id for u in later.niezweryfikowane]
    shorter = gaps.find(db, gmina=directory.RADOMSKO_MIASTO, miesiace=3, today=dt.date(2026, 4, 10))
    assert ids["interwencja"] not in [u.id for u in shorter.niezweryfikowane]
    db.close()


def test_months_before_clamps_to_month_end() -> None:
    assert gaps.months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert gaps.months_before(dt.date(2026, 1, 15), 12) == dt.date(2025, 1, 15)
    assert gaps.months_before(dt.date(2026, 1, 15), 13) == dt.date(2024, 12, 15)


def test_gmina_without_team(run: Run, ids: dict[str, int]) -> None:
    result = run("luki", "--gmina", directory.RADOMSKO_WIES)
    assert result.exit_code == 0
    assert "gmina nie ma zespołu" in result.stdout
    assert "Grupy docelowe bez aktywnej usługi" in result.stdout
    assert "- Praca socjalna" not in result.stdout


def test_table_output(run: Run, ids: dict[str, int]) -> None:
    result = run("luki", "-g", directory.RADOMSKO_MIASTO, "--miesiace", "6")
    assert result.exit_code == 0
    out = result.stdout
    assert "  - edukacja (★ sektor kluczowy)" in out
    assert "Usługi niezweryfikowane od ponad 6 mies." in out
    assert f"nr {ids['senior']}: Usługi opiekuńcze" in out
    assert "weryfikacja: 1 maja 2024 r." in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "podaj --gmina G albo --zespol Z"),
        (("-g", "1012011", "-z", "1"), "podaj --gmina G albo --zespol Z"),
        (("-z", "99"), "nie ma zespołu o numerze 99"),
    ],
)
def test_gaps_errors(run: Run, ids: dict[str, int], args: tuple[str, ...], message: str) -> None:
    result = run("luki", *args)
    assert result.exit_code == 1
    assert message in result.stderr


def test_months_must_be_positive(run: Run, ids: dict[str, int]) -> None:
    result = run("luki", "-g", "1012011", "--miesiace", "0")
    assert result.exit_code == 1
    assert "liczba miesięcy musi być dodatnia (podano 0)" in result.stderr


def test_verify_records_date_and_person(run: Run, query: Query, ids: dict[str, int]) -> None:
    result = run(
        "uslugi", "zweryfikuj", str(ids["senior"]), "--data", "02.03.2026", "--kto", "Jan Kos"
    )
    assert result.exit_code == 0, result.stderr
    assert "2 marca 2026 r. (Jan Kos)" in result.stdout
    assert query(
        "SELECT zweryfikowano, zweryfikowal FROM uslugi WHERE id = ?", (ids["senior"],)
    ) == [("2026-03-02", "Jan Kos")]
    logged = query(
        "SELECT pole, stara, nowa FROM _zmiany WHERE rekord = ? ORDER BY pole", (ids["senior"],)
    )
    assert ("zweryfikowano", "2024-05-01", "2026-03-02") in logged


def test_verify_defaults_to_today(run: Run, query: Query, ids: dict[str, int]) -> None:
    assert run("uslugi", "zweryfikuj", str(ids["telefon"])).exit_code == 0
    assert query("SELECT zweryfikowano FROM uslugi WHERE id = ?", (ids["telefon"],)) == [
        (dt.date.today().isoformat(),)
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("99",), "nie ma usługi o numerze 99"),
        (("1", "--data", "2999-01-01"), "jest w przyszłości"),
        (("1", "--data", "wczoraj"), "niepoprawna data"),
    ],
)
def test_verify_errors_change_nothing(
    run: Run, db_path: Path, ids: dict[str, int], args: tuple[str, ...], message: str
) -> None:
    before = snapshot(db_path)
    result = run("uslugi", "zweryfikuj", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert snapshot(db_path) == before
