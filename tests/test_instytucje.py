"""`kooperacje instytucje`: dodaj, lista, pokaz, edytuj, usun."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kooperacje.register import institutions
from kooperacje.store.db import open_db
from kooperacje.text import fold
from tests import factories
from tests.conftest import Result, snapshot

if TYPE_CHECKING:
    from sqlite_utils import Database

Run = Callable[..., Result]
Query = Callable[..., list[tuple[object, ...]]]

# Valid numbers (checksums computed with python-stdnum) and invalid ones.
NIP = "7722247854"
NIP_2 = "5260250995"
BAD_NIP = "7722247850"
REGON = "590627800"
REGON_2 = "123456785"
REGON_14 = "59062780000015"
BAD_REGON = "590627801"

PCPR = "Powiatowe Centrum Pomocy Rodzinie w Radomsku"
MOPS = "Miejski Ośrodek Pomocy Społecznej w Radomsku"


@pytest.fixture
def conn(template: Path, db_path: Path) -> Iterator[sqlite3.Connection]:
    """The test database (migrated) with PCPR registered as institution nr 1."""
    shutil.copy(template, db_path)
    connection = factories.connect(db_path)
    factories.institution(
        connection, PCPR, skrot="PCPR", sektor="rodzina", nip=NIP, regon=REGON, telefon=None
    )
    yield connection
    connection.close()


def _fails(result: Result, code: int, *fragments: str) -> None:
    assert result.exit_code == code, result
    assert result.stderr.startswith("Błąd: "), result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


# ---- dodaj -------------------------------------------------------------------------------


def test_add_validates_and_normalises_every_field(
    run: Run, query: Query, conn: sqlite3.Connection
) -> None:
    result = run(
        "instytucje", "dodaj", f"  {MOPS} ",
        "--gmina", "1012011",
        "--sektor", "Pomoc i integracja spoleczna",
        "--skrot", "MOPS",
        "--adres", "ul. Tysiąclecia 5",
        "--kod-pocztowy", "97-500",
        "--miejscowosc", "Radomsko",
        "--telefon", "44 683 36 25",
        "--email", "mops@example.pl",
        "--www", "www.mops.radomsko.pl",
        "--nip", "526-025-09-95",
        "--regon", REGON_14,
        "--uwagi", "animator instytucjonalny",
    )  # fmt: skip
    assert result.exit_code == 0, result
    assert result.stdout == f"Dodano instytucję nr 2: {MOPS}.\n"
    rows = query(
        "SELECT nazwa, skrot, sektor, gmina, adres, kod_pocztowy, miejscowosc, telefon, email,"
        " www, nip, regon, uwagi, length(uuid), utworzono = zmieniono FROM instytucje WHERE id = 2"
    )
    assert rows == [
        (
            MOPS,
            "MOPS",
            "pomoc_spoleczna",
            "1012011",
            "ul. Tysiąclecia 5",
            "97-500",
            "Radomsko",
            "+48 44 683 36 25",
            "mops@example.pl",
            "https://www.mops.radomsko.pl",
            NIP_2,
            REGON_14,
            "animator instytucjonalny",
            36,
            1,
        )
    ]


def test_add_with_only_required_options_leaves_the_rest_empty(
    run: Run, query: Query, conn: sqlite3.Connection
) -> None:
    result = run("instytucje", "dodaj", MOPS, "-g", "1012011", "-s", "pomoc_spoleczna")
    assert result.exit_code == 0, result
    assert query(
        "SELECT skrot, adres, kod_pocztowy, miejscowosc, telefon, email, www, nip, regon, uwagi"
        " FROM instytucje WHERE nazwa = ?",
        (MOPS,),
    ) == [(None,) * 10]


def test_same_name_in_another_gmina_is_allowed(
    run: Run, query: Query, conn: sqlite3.Connection
) -> None:
    result = run("instytucje", "dodaj", PCPR.upper(), "--gmina", "1012122", "--sektor", "rodzina")
    assert result.exit_code == 0, result
    assert query("SELECT count(*) FROM instytucje") == [(2,)]


@pytest.mark.parametrize(
    ("options", "fragments"),
    [
        (["--gmina", "Nibylandia"], ['nie znaleziono gminy "Nibylandia"', "gminy szukaj"]),
        (["--gmina", "Radomsko"], ["niejednoznaczna", "1012011 (gmina miejska", "1012122"]),
        (["--gmina", "1012"], ["kod gminy ma 7 cyfr"]),
        (["--sektor", "kosmos"], ['nieznany sektor: "kosmos"', "pomoc_spoleczna"]),
        (["--nip", BAD_NIP], [f'niepoprawny NIP "{BAD_NIP}"', "sumę kontrolną"]),
        (["--regon", BAD_REGON], [f'niepoprawny REGON "{BAD_REGON}"']),
        (["--email", "mops@"], ['niepoprawny adres e-mail "mops@"', "nazwa@domena.pl"]),
        (["--telefon", "12345"], ['niepoprawny numer telefonu "12345"']),
        (["--kod-pocztowy", "97500"], ['niepoprawny kod pocztowy "97500"', "NN-NNN"]),
        (["--www", "nie adres"], ['niepoprawny adres strony "nie adres"']),
        (["--skrot", "123"], ["składa się z samych cyfr"]),
        (["--uwagi", "x" * 2001], ["za długi"]),
    ],
)
def test_add_refuses_bad_input_and_writes_nothing(
    run: Run, db_path: Path, conn: sqlite3.Connection, options: list[str], fragments: list[str]
) -> None:
    base = {"--gmina": "1012011", "--sektor": "pomoc_spoleczna"}
    base.update(dict(zip(options[::2], options[1::2], strict=True)))
    args = [item for pair in base.items() for item in pair]
    before = snapshot(db_path)
    result = run("instytucje", "dodaj", MOPS, *args)
    _fails(result, 1, *fragments)
    assert snapshot(db_path) == before


@pytest.mark.parametrize(
    ("name", "fragment"),
    [("   ", "nazwa instytucji nie może być pusta"), ("2024", "składa się z samych cyfr")],
)
def test_add_refuses_empty_or_numeric_name(
    run: Run, db_path: Path, conn: sqlite3.Connection, name: str, fragment: str
) -> None:
    before = snapshot(db_path)
    _fails(run("instytucje", "dodaj", name, "-g", "1012011", "-s", "inne"), 1, fragment)
    assert snapshot(db_path) == before


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--nip", "772 224 78 54"], "NIP 7722247854 jest już zapisana"),
        (["--regon", REGON], f"REGON {REGON} jest już zapisana"),
        ([], "jest już instytucja o nazwie"),
    ],
)
def test_add_refuses_duplicates_naming_the_existing_record(
    run: Run, db_path: Path, conn: sqlite3.Connection, args: list[str], fragment: str
) -> None:
    before = snapshot(db_path)
    # The name differs only in case and diacritics, so only the last case is a name clash.
    name = "powiatowe centrum pomocy rodzinie w radomsku" if not args else "Inna instytucja"
    result = run("instytucje", "dodaj", name, "--gmina", "1012011", "--sektor", "inne", *args)
    _fails(result, 1, fragment, f"{PCPR} (PCPR, nr 1)")
    assert snapshot(db_path) == before


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ([MOPS, "--sektor", "inne"], "brak wymaganej opcji --gmina"),
        ([MOPS, "--gmina", "1012011"], "brak wymaganej opcji --sektor"),
        (["--gmina", "1012011", "--sektor", "inne"], "brak wymaganego argumentu NAZWA"),
        ([MOPS, "-g", "1012011", "-s", "inne", "--fax", "1"], "nieznana opcja --fax"),
    ],
)
def test_add_usage_errors_exit_2(
    run: Run, db_path: Path, conn: sqlite3.Connection, args: list[str], fragment: str
) -> None:
    before = snapshot(db_path)
    _fails(run("instytucje", "dodaj", *args), 2, fragment)
    assert snapshot(db_path) == before


# ---- lista -------------------------------------------------------------------------------


@pytest.fixture
def many(conn: sqlite3.Connection) -> sqlite3.Connection:
    """Institutions whose names test the Polish alphabet and the filters."""
    factories.institution(conn, "Łódzki Urząd Wojewódzki", sektor="administracja")
    factories.institution(conn, "Lubelski Ośrodek", sektor="inne", skrot="LO")
    factories.institution(conn, "Źródło – stowarzyszenie", sektor="ngo")
    factories.institution(conn, "Żłobek Miejski", sektor="edukacja", email="zlobek@example.pl")
    factories.institution(conn, "Zespół Szkół", gmina="1012122", sektor="edukacja")
    factories.institution(conn, "Szkoła 100% dla dzieci", sektor="edukacja")
    return conn


def _names(result: Result) -> list[str]:
    assert result.exit_code == 0, result
    return [row["nazwa"] for row in json.loads(result.stdout)]


def test_list_is_in_polish_alphabetical_order(run: Run, many: sqlite3.Connection) -> None:
    assert _names(run("instytucje", "lista", "--format", "json")) == [
        "Lubelski Ośrodek",
        "Łódzki Urząd Wojewódzki",
        PCPR,
        "Szkoła 100% dla dzieci",
        "Zespół Szkół",
        "Źródło – stowarzyszenie",
        "Żłobek Miejski",
    ]


def test_list_filters(run: Run, many: sqlite3.Connection) -> None:
    assert _names(run("instytucje", "lista", "-g", "1012122", "-f", "json")) == ["Zespół Szkół"]
    assert _names(run("instytucje", "lista", "--sektor", "Edukacja", "-f", "json")) == [
        "Szkoła 100% dla dzieci",
        "Zespół Szkół",
        "Żłobek Miejski",
    ]
    assert _names(run("instytucje", "lista", "--szukaj", "LODZ", "-f", "json")) == [
        "Łódzki Urząd Wojewódzki"
    ]
    assert _names(run("instytucje", "lista", "--szukaj", "osrodek", "-f", "json")) == [
        "Lubelski Ośrodek"
    ]
    # The short name is searched too; "%" is taken literally, not as a wildcard.
    assert _names(run("instytucje", "lista", "--szukaj", "pcpr", "-f", "json")) == [PCPR]
    assert _names(run("instytucje", "lista", "--szukaj", "100%", "-f", "json")) == [
        "Szkoła 100% dla dzieci"
    ]
    assert _names(run("instytucje", "lista", "--szukaj", "0%d", "-f", "json")) == []
    combined = run("instytucje", "lista", "-s", "edukacja", "--szukaj", "szkol", "-f", "json")
    assert _names(combined) == ["Szkoła 100% dla dzieci", "Zespół Szkół"]


def test_list_json_and_csv_carry_every_field_with_stable_keys(
    run: Run, many: sqlite3.Connection
) -> None:
    rows = json.loads(run("instytucje", "lista", "-f", "json").stdout)
    assert list(rows[0]) == list(institutions.Institution.__dataclass_fields__)
    pcpr = next(r for r in rows if r["skrot"] == "PCPR")
    assert pcpr["nip"] == NIP
    assert pcpr["sektor_nazwa"] == "wspieranie rodziny i piecza zastępcza"
    assert pcpr["gmina_nazwa"] == "Radomsko"
    lines = run("instytucje", "lista", "--szukaj", "zlobek", "-f", "csv").stdout.splitlines()
    assert lines[0].startswith("id,uuid,nazwa,skrot,sektor,sektor_nazwa,gmina,gmina_nazwa,")
    assert "Żłobek Miejski" in lines[1]
    assert "zlobek@example.pl" in lines[1]
    assert len(lines) == 2


def test_list_table_has_polish_headers(run: Run, many: sqlite3.Connection) -> None:
    result = run("instytucje", "lista", "--sektor", "rodzina")
    assert result.exit_code == 0, result
    for header in ("Nr", "Nazwa", "Skrót", "Sektor", "Gmina", "Telefon", "E-mail"):
        assert header in result.stdout
    assert "PCPR" in result.stdout
    assert "wspieranie" in result.stdout
    assert "NIP" not in result.stdout


def test_list_empty_and_errors(run: Run, many: sqlite3.Connection, db_path: Path) -> None:
    # An empty listing also says which database it looked in.
    assert run("instytucje", "lista", "--szukaj", "xyz").stdout == (
        "Brak instytucji spełniających warunki.\n"
        f"Baza danych: {db_path}. Inną bazę wskaż opcją --baza PLIK.\n"
    )
    _fails(run("instytucje", "lista", "--gmina", "Radomsko"), 1, "niejednoznaczna")
    _fails(run("instytucje", "lista", "--sektor", "kosmos"), 1, "nieznany sektor")
    _fails(run("instytucje", "lista", "--format", "xml"), 2, "tabela, csv, json")


# ---- pokaz -------------------------------------------------------------------------------


@pytest.fixture
def linked(conn: sqlite3.Connection) -> sqlite3.Connection:
    """PCPR with a representative, a service, a declaration, a meeting and a led team."""
    radomsko = factories.team(conn, lider=1)
    factories.declaration(conn, radomsko, 1, "2019-10-09")
    left = factories.team(conn, gmina="1012122", nazwa="PZK Gmina Radomsko")
    factories.declaration(conn, left, 1, "2019-10-01")
    factories.declaration(conn, left, 1, "2020-01-15", rodzaj="wystapienie")
    meeting = factories.meeting(conn, radomsko, "2019-09-25", "Muzeum Regionalne w Radomsku")
    factories.attendance(conn, meeting, 1)
    factories.service(conn, 1, "Poradnictwo rodzinne", "wspieranie_rodziny")
    factories.person(conn, 1, "Anna Nowak", stanowisko="dyrektor", email="a.nowak@example.pl")
    factories.person(conn, 1, "Jan Kowalski")
    return conn


def test_show_prints_every_field_representatives_teams_and_services(
    run: Run, linked: sqlite3.Connection
) -> None:
    result = run("instytucje", "pokaz", "pcpr")
    assert result.exit_code == 0, result
    out = result.stdout
    assert out.startswith(f"{PCPR}\n")
    for line in (
        "Numer:",
        "Skrót:        PCPR",
        "Sektor:       wspieranie rodziny i piecza zastępcza",
        "Gmina:        Radomsko (1012011)",
        f"NIP:          {NIP}",
        f"REGON:        {REGON}",
        "Zespoły:      PZK Radomsko (od 9 października 2019 r.)",
        "Usługi:       1",
        "  - Jan Kowalski (nr 2)",
        "  - Anna Nowak (nr 1): dyrektor, a.nowak@example.pl",
    ):
        assert line in out
    # The team it left is not listed; representatives go by surname.
    assert "PZK Gmina Radomsko" not in out
    assert out.index("Kowalski") < out.index("Nowak")


def test_show_json(run: Run, linked: sqlite3.Connection) -> None:
    result = run("instytucje", "pokaz", "1", "--format", "json")
    assert result.exit_code == 0, result
    data = json.loads(result.stdout)
    assert data["nazwa"] == PCPR
    assert data["uslugi"] == 1
    assert [t["nazwa"] for t in data["zespoly"]] == ["PZK Radomsko"]
    assert data["zespoly"][0]["od"] == "2019-10-09"
    assert [p["imie_nazwisko"] for p in data["przedstawiciele"]] == ["Jan Kowalski", "Anna Nowak"]


def test_show_errors(run: Run, many: sqlite3.Connection) -> None:
    _fails(run("instytucje", "pokaz", "99"), 1, "nie ma instytucji o numerze 99")
    _fails(run("instytucje", "pokaz", " "), 1, "podaj instytucję")
    _fails(run("instytucje", "pokaz", "Nieznana"), 1, 'nie znaleziono instytucji "Nieznana"')
    _fails(run("instytucje", "pokaz", "szk"), 1, "niejednoznaczna", "Zespół Szkół", "Podaj numer")
    _fails(run("instytucje", "pokaz", "1", "--format", "csv"), 2, "tabela, json")


# ---- edytuj ------------------------------------------------------------------------------


def test_edit_changes_only_given_fields_and_logs_them(
    run: Run, query: Query, conn: sqlite3.Connection
) -> None:
    result = run(
        "instytucje", "edytuj", "PCPR", "--telefon", "446833625", "--sektor", "pomoc_spoleczna"
    )
    assert result.exit_code == 0, result
    assert "Zmieniono instytucję" in result.stdout
    assert "Telefon: (puste) → +48 44 683 36 25" in result.stdout
    assert "Sektor: wspieranie rodziny i piecza zastępcza → pomoc i integracja" in result.stdout
    assert query("SELECT telefon, sektor, nip, nazwa FROM instytucje WHERE id = 1") == [
        ("+48 44 683 36 25", "pomoc_spoleczna", NIP, PCPR)
    ]
    assert query(
        "SELECT pole, stara, nowa FROM _zmiany WHERE operacja = 'zmiana' ORDER BY pole"
    ) == [
        ("sektor", "rodzina", "pomoc_spoleczna"),
        ("telefon", None, "+48 44 683 36 25"),
    ]


def test_edit_clears_with_empty_string_and_renames(
    run: Run, query: Query, conn: sqlite3.Connection
) -> None:
    result = run("instytucje", "edytuj", "1", "--nip", "", "--nazwa", "PCPR w Radomsku")
    assert result.exit_code == 0, result
    assert f"NIP: {NIP} → (puste)" in result.stdout
    assert query("SELECT nip, nazwa, regon FROM instytucje") == [(None, "PCPR w Radomsku", REGON)]


def test_edit_with_same_values_changes_nothing(
    run: Run, query: Query, conn: sqlite3.Connection
) -> None:
    for args in (["--nip", "772-224-78-54"], []):
        result = run("instytucje", "edytuj", "PCPR", *args)
        assert result.exit_code == 0, result
        assert result.stdout == "Nic nie zmieniono.\n"
    assert query("SELECT count(*) FROM _zmiany WHERE operacja = 'zmiana'") == [(0,)]


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--nip", NIP_2], ["NIP 5260250995 jest już zapisana", "(MOPS, nr 2)"]),
        (["--regon", REGON_2], ["REGON 123456785 jest już zapisana"]),
        (["--nazwa", MOPS.lower()], ["jest już instytucja o nazwie"]),
        (["--nip", BAD_NIP], ["niepoprawny NIP"]),
        (["--email", "a@b"], ["niepoprawny adres e-mail"]),
        (["--nazwa", ""], ["nazwa instytucji nie może być pusta"]),
        (["--gmina", ""], ["podaj gminę"]),
        (["--gmina", "Radomsko"], ["niejednoznaczna"]),
        (["--sektor", "kosmos"], ["nieznany sektor"]),
    ],
)
def test_edit_refuses_bad_input_and_duplicates(
    run: Run, db_path: Path, conn: sqlite3.Connection, args: list[str], fragments: list[str]
) -> None:
    factories.institution(conn, MOPS, skrot="MOPS", nip=NIP_2, regon=REGON_2)
    before = snapshot(db_path)
    _fails(run("instytucje", "edytuj", "PCPR", *args), 1, *fragments)
    assert snapshot(db_path) == before


def test_edit_checks_name_clash_in_the_new_gmina(
    run: Run, db_path: Path, conn: sqlite3.Connection
) -> None:
    factories.institution(conn, PCPR, gmina="1012122", skrot="PCPR2")
    before = snapshot(db_path)
    _fails(run("instytucje", "edytuj", "PCPR", "--gmina", "1012122"), 1, "PCPR2, nr 2")
    assert snapshot(db_path) == before


def test_edit_of_unknown_institution(run: Run, db_path: Path, conn: sqlite3.Connection) -> None:
    before = snapshot(db_path)
    _fails(run("instytucje", "edytuj", "42", "--uwagi", "x"), 1, "nie ma instytucji o numerze 42")
    _fails(run("instytucje", "edytuj", "--uwagi", "x"), 2, "brak wymaganego argumentu")
    assert snapshot(db_path) == before


# ---- usun --------------------------------------------------------------------------------


def test_remove_is_refused_with_a_list_of_dependents(
    run: Run, db_path: Path, linked: sqlite3.Connection
) -> None:
    before = snapshot(db_path)
    result = run("instytucje", "usun", "PCPR", "--tak")
    _fails(
        result,
        1,
        f"nie można usunąć instytucji {PCPR} (PCPR, nr 1)",
        "deklaracje (3): przystąpienie – PZK Gmina Radomsko, 1 października 2019 r.",
        "przystąpienie – PZK Radomsko, 9 października 2019 r.",
        "wystąpienie – PZK Gmina Radomsko, 15 stycznia 2020 r.",
        "obecność na spotkaniach (1): 25 września 2019 r., Muzeum Regionalne w Radomsku",
        "usługi (1): Poradnictwo rodzinne",
        "lider zespołów (1): PZK Radomsko",
        "--rodzaj wystapienie",
    )
    assert snapshot(db_path) == before


def test_remove_deletes_institution_and_its_representatives(
    run: Run, query: Query, conn: sqlite3.Connection
) -> None:
    person = factories.person(conn, 1, "Anna Nowak")
    conn.execute(
        "INSERT INTO _zmiany (tabela, rekord, pole, stara, nowa, kiedy)"
        " VALUES ('osoby', ?, 'telefon', '+48 600 100 200', '+48 600 100 201', 'x')",
        (person,),
    )
    factories.institution(conn, MOPS)
    result = run("instytucje", "usun", "PCPR", "--tak")
    assert result.exit_code == 0, result
    assert result.stdout == (
        f"Usunięto instytucję nr 1: {PCPR}. Razem z nią usunięto przedstawicieli: 1.\n"
    )
    assert query("SELECT nazwa FROM instytucje") == [(MOPS,)]
    assert query("SELECT count(*) FROM osoby") == [(0,)]
    # The person's history is reduced to a note of the erasure; the institution's deletion
    # is recorded.
    assert query(
        "SELECT tabela, rekord, operacja, stara, nowa FROM _zmiany WHERE tabela = 'osoby'"
    ) == [("osoby", person, "wymazanie", None, None)]
    deleted = query(
        "SELECT stara FROM _zmiany WHERE tabela = 'instytucje' AND operacja = 'usuniecie'"
    )
    assert [json.loads(str(row[0]))["nazwa"] for row in deleted] == [PCPR]


def test_remove_without_tak_and_without_terminal_is_refused(
    run: Run, db_path: Path, conn: sqlite3.Connection
) -> None:
    before = snapshot(db_path)
    _fails(run("instytucje", "usun", "1"), 1, "Dodaj opcję --tak")
    assert snapshot(db_path) == before


def test_remove_asks_on_a_terminal(
    run: Run, query: Query, db_path: Path, conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kooperacje.commands._common.stdin_is_terminal", lambda: True)
    before = snapshot(db_path)
    declined = run("instytucje", "usun", "1", input="n\n")
    assert f"Usunąć instytucję {PCPR} (PCPR, nr 1)" in declined.stdout
    _fails(declined, 1, "przerwano")
    assert snapshot(db_path) == before
    accepted = run("instytucje", "usun", "1", input="y\n")
    assert accepted.exit_code == 0, accepted
    assert "Usunięto instytucję nr 1" in accepted.stdout
    assert query("SELECT count(*) FROM instytucje") == [(0,)]


def test_remove_unknown_institution(run: Run, db_path: Path, conn: sqlite3.Connection) -> None:
    before = snapshot(db_path)
    _fails(run("instytucje", "usun", "7", "--tak"), 1, "nie ma instytucji o numerze 7")
    assert snapshot(db_path) == before


# ---- resolve: any case or diacritics variant of a registered name -------------------------

NAMES = [PCPR, MOPS, "Komenda Powiatowa Policji w Łasku", "Żłobek Miejski „Słoneczko”"]


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, dict[str, int]]]:
    """A database holding NAMES (module-scoped: the property test only reads it)."""
    path = tmp_path_factory.mktemp("resolve") / "resolve.db"
    connection = factories.connect(path)
    ids = {name: factories.institution(connection, name) for name in NAMES}
    connection.close()
    db = open_db(path)
    yield db, ids
    db.conn.close()


def _variants(ch: str) -> list[str]:
    return sorted({ch, ch.upper(), ch.lower(), fold(ch) or ch, (fold(ch) or ch).upper()})


@st.composite
def spelled(draw: st.DrawFn) -> tuple[str, str]:
    name = draw(st.sampled_from(NAMES))
    typed = "".join(draw(st.sampled_from(_variants(ch))) for ch in name)
    pad = draw(st.sampled_from(["", " ", "  "]))
    return name, f"{pad}{typed}{pad}"


@settings(max_examples=60, deadline=None)
@given(case=spelled())
def test_resolve_finds_a_name_typed_in_any_case_and_without_diacritics(
    registry: tuple[Database, dict[str, int]], case: tuple[str, str]
) -> None:
    db, ids = registry
    name, typed = case
    assert institutions.resolve(db, typed).id == ids[name]
