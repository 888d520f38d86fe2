"""Institution names resolve in the command's context: two gminas, each with a MOPS and a PCPR."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kooperacje.errors import Ambiguous
from kooperacje.register import institutions
from kooperacje.store.db import open_db
from kooperacje.text import fold
from tests.conftest import Result, snapshot

Run = Callable[..., Result]
Query = Callable[..., list[tuple[object, ...]]]

RADOMSKO, ZAWIERCIE, KCYNIA = "1012011", "2416021", "0410013"
NIP = "7722247854"
REGON = "590627800"


def _ok(result: Result) -> Result:
    assert result.exit_code == 0, result.stderr
    return result


def _fails(result: Result, *fragments: str) -> None:
    assert result.exit_code == 1, result
    assert result.stderr.startswith("Błąd: "), result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


@pytest.fixture
def two_towns(run: Run) -> None:
    """MOPS 1, PCPR 2 in Radomsko; MOPS 3, PCPR 4 in Zawiercie; a team in each gmina."""
    for gmina, town in ((RADOMSKO, "w Radomsku"), (ZAWIERCIE, "w Zawierciu")):
        _ok(run("instytucje", "dodaj", f"Miejski Ośrodek Pomocy Społecznej {town}",
                "-g", gmina, "-s", "pomoc_spoleczna", "--skrot", "MOPS"))  # fmt: skip
        extra = ["--nip", NIP, "--regon", REGON] if gmina == RADOMSKO else []
        _ok(run("instytucje", "dodaj", f"Powiatowe Centrum Pomocy Rodzinie {town}",
                "-g", gmina, "-s", "rodzina", "--skrot", "PCPR", *extra))  # fmt: skip
    _ok(run("zespoly", "zaloz", "--gmina", RADOMSKO, "--lider", "MOPS", "--data", "2019-09-25"))
    _ok(run("zespoly", "zaloz", "--gmina", ZAWIERCIE, "--lider", "MOPS", "--data", "2019-09-27"))


def test_leader_is_the_mops_of_the_team_gmina(run: Run, query: Query, two_towns: None) -> None:
    assert query("SELECT gmina, lider FROM zespoly ORDER BY id") == [(RADOMSKO, 1), (ZAWIERCIE, 3)]
    _ok(run("zespoly", "edytuj", "1", "--lider", ""))
    _ok(run("zespoly", "edytuj", "1", "--lider", "MOPS"))
    _ok(run("zespoly", "edytuj", "2", "--lider", "pcpr"))
    assert query("SELECT lider FROM zespoly ORDER BY id") == [(1,), (4,)]


def test_declarations_meetings_and_documents_use_the_team(
    run: Run, query: Query, two_towns: None
) -> None:
    _ok(run("deklaracje", "dodaj", "-i", "PCPR", "--gmina", RADOMSKO, "-d", "2019-10-09"))
    _ok(run("deklaracje", "dodaj", "-i", "PCPR", "--zespol", "2", "-d", "2019-10-10"))
    assert query("SELECT zespol, instytucja FROM deklaracje ORDER BY id") == [(1, 2), (2, 4)]
    _ok(run("spotkania", "dodaj", "-g", ZAWIERCIE, "-d", "2019-09-27", "-m", "Hotel Zawiercie",
            "-r", "inicjujace"))  # fmt: skip
    _ok(run("spotkania", "zapros", "1", "-i", "MOPS", "-i", "PCPR"))
    _ok(run("spotkania", "obecnosc", "1", "MOPS", "PCPR"))
    assert query("SELECT DISTINCT instytucja FROM obecnosci ORDER BY 1") == [(3,), (4,)]
    form = _ok(run("raport", "deklaracja", "--instytucja", "PCPR", "--gmina", RADOMSKO))
    assert "Powiatowe Centrum Pomocy Rodzinie w Radomsku" in form.stdout
    assert "w Zawierciu" not in form.stdout


def test_without_context_the_candidates_are_listed_with_gmina_and_number(
    run: Run, db_path: Path, two_towns: None
) -> None:
    before = snapshot(db_path)
    _fails(
        run("osoby", "dodaj", "Anna Nowak", "-i", "MOPS"),
        'instytucja "MOPS" jest niejednoznaczna',
        "1: Miejski Ośrodek Pomocy Społecznej w Radomsku (gmina Radomsko, 1012011)",
        "3: Miejski Ośrodek Pomocy Społecznej w Zawierciu (gmina Zawiercie, 2416021)",
        "Podaj numer instytucji",
    )
    assert snapshot(db_path) == before
    _ok(run("osoby", "dodaj", "Anna Nowak", "-i", "MOPS", "--gmina", "Zawiercie"))
    _ok(run("uslugi", "dodaj", "Praca socjalna", "-i", "MOPS", "-g", RADOMSKO,
            "-a", "pomoc_spoleczna"))  # fmt: skip


def test_a_tie_within_the_context_is_still_ambiguous(
    run: Run, db_path: Path, two_towns: None
) -> None:
    before = snapshot(db_path)
    _fails(
        run("deklaracje", "dodaj", "-i", "w Radomsku", "--gmina", RADOMSKO, "-d", "2019-10-09"),
        "jest niejednoznaczna także w obrębie zespołu",
        "1: Miejski",
        "2: Powiatowe",
    )
    assert (
        "Zawierciu"
        not in run(
            "deklaracje", "dodaj", "-i", "w Radomsku", "--gmina", RADOMSKO, "-d", "2019-10-09"
        ).stderr
    )
    assert snapshot(db_path) == before


def test_members_of_the_team_come_before_the_seat(run: Run, query: Query, two_towns: None) -> None:
    # Radomsko's PCPR serves Kcynia's team too; Kcynia has no PCPR of its own.
    _ok(run("zespoly", "zaloz", "--gmina", KCYNIA))
    _ok(run("deklaracje", "dodaj", "-i", "2", "--gmina", KCYNIA, "-d", "2020-02-24"))
    _ok(run("spotkania", "dodaj", "-g", KCYNIA, "-d", "2020-02-24", "-m", "Urząd",
            "-r", "posiedzenie"))  # fmt: skip
    _ok(run("spotkania", "obecnosc", "1", "PCPR"))
    assert query("SELECT instytucja FROM obecnosci") == [(2,)]


def test_registry_numbers_and_uuid_find_the_institution(
    run: Run, query: Query, two_towns: None
) -> None:
    uuid = str(query("SELECT uuid FROM instytucje WHERE id = 4")[0][0])
    for ref, name in (
        ("772-224-78-54", "w Radomsku"),
        (REGON, "w Radomsku"),
        (uuid.upper(), "w Zawierciu"),
    ):
        shown = _ok(run("instytucje", "pokaz", ref))
        assert f"Powiatowe Centrum Pomocy Rodzinie {name}" in shown.stdout
    _fails(run("instytucje", "pokaz", "5260250995"), "nie ma instytucji o numerze NIP 5260250995")


def test_an_abbreviation_is_unique_within_a_gmina(
    run: Run, query: Query, db_path: Path, two_towns: None
) -> None:
    before = snapshot(db_path)
    _fails(
        run(
            "instytucje",
            "dodaj",
            "PCPR w Radomsku",
            "--gmina",
            RADOMSKO,
            "-s",
            "rodzina",
            "--skrot",
            "pcpr",
        ),
        "w gminie Radomsko (1012011) skrót „PCPR” ma już instytucja",
        "nr 2",
        "kooperacje instytucje edytuj 2 --skrot NOWY",
    )
    _fails(run("instytucje", "edytuj", "1", "--skrot", "PCPR"), "skrót „PCPR” ma już")
    _fails(run("instytucje", "edytuj", "3", "--gmina", RADOMSKO), "skrót „MOPS” ma już")
    assert snapshot(db_path) == before
    # In another gmina the same abbreviation is fine, and so is editing a record in place.
    _ok(run("instytucje", "dodaj", "PCPR w Kcyni", "--gmina", KCYNIA, "-s", "rodzina",
            "--skrot", "PCPR"))  # fmt: skip
    _ok(run("instytucje", "edytuj", "2", "--skrot", "PCPR", "--uwagi", "powiat"))
    assert query("SELECT count(*) FROM instytucje WHERE skrot = 'PCPR'") == [(3,)]


def test_baza_sprawdz_reports_abbreviations_stored_twice(
    run: Run, db_path: Path, two_towns: None
) -> None:
    conn = sqlite3.connect(db_path)
    with conn:  # written by another client, as before the rule existed
        conn.execute("UPDATE instytucje SET skrot = 'Mops' WHERE id = 2")
    conn.close()
    result = run("baza", "sprawdz")
    assert result.exit_code == 1
    assert "skróty instytucji w gminach: problemy (1)" in result.stdout
    assert "gmina Radomsko (1012011): skrót „MOPS” mają instytucje nr 1, 2" in result.stdout


@pytest.fixture(scope="module")
def towns_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three gminas, each with MOPS, PCPR and KPP (ids 1–9 in gmina order)."""
    path = tmp_path_factory.mktemp("towns") / "towns.db"
    db = open_db(path)
    for gmina in (RADOMSKO, ZAWIERCIE, KCYNIA):
        for short, sector in (("MOPS", "pomoc_spoleczna"), ("PCPR", "rodzina"), ("KPP", "policja")):
            institutions.add(db, nazwa=f"{short} {gmina}", gmina=gmina, sektor=sector, skrot=short)
    db.close()
    return path


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_spelling_of_an_abbreviation_resolves_in_its_gmina(
    towns_db: Path, data: st.DataObject
) -> None:
    db = open_db(towns_db)
    try:
        short = data.draw(st.sampled_from(["MOPS", "PCPR", "KPP"]))
        gmina = data.draw(st.sampled_from([RADOMSKO, ZAWIERCIE, KCYNIA]))
        flips = data.draw(st.lists(st.booleans(), min_size=len(short), max_size=len(short)))
        typed = "".join(c.lower() if f else c for c, f in zip(short, flips, strict=True))
        padded = data.draw(st.sampled_from(["", " ", "  "])) + typed
        found = institutions.resolve(db, padded, institutions.gmina_context(db, gmina))
        assert (found.skrot, found.gmina) == (short, gmina)
        with pytest.raises(Ambiguous) as info:
            institutions.resolve(db, padded)
        assert fold(info.value.message).count(fold(short)) >= 3
    finally:
        db.close()
