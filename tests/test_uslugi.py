"""`kooperacje uslugi`: add, list, show, edit and remove services."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import factories
from tests.conftest import Result, snapshot

Run = Callable[..., Result]
Query = Callable[..., list[tuple[object, ...]]]

PCPR = "Powiatowe Centrum Pomocy Rodzinie w Radomsku"
MOPS = "Miejski Ośrodek Pomocy Społecznej w Radomsku"
GOPS = "Gminny Ośrodek Pomocy Społecznej w Radomsku"
ROPS = "Regionalne Centrum Polityki Społecznej w Łodzi"
MOPR = "Miejski Ośrodek Pomocy Rodzinie w Piotrkowie Trybunalskim"


@pytest.fixture
def inst(db_path: Path, template: Path) -> dict[str, int]:
    """Institutions of powiat radomszczański, Piotrków Trybunalski and Łódź."""
    shutil.copyfile(template, db_path)
    conn = factories.connect(db_path)
    ids = {
        "pcpr": factories.institution(conn, PCPR, skrot="PCPR", sektor="rodzina"),
        "mops": factories.institution(conn, MOPS, skrot="MOPS"),
        "gops": factories.institution(conn, GOPS, skrot="GOPS", gmina="1012122"),
        "rops": factories.institution(conn, ROPS, skrot="RCPS", gmina="1061011"),
        "mopr": factories.institution(conn, MOPR, skrot="MOPR", gmina="1062011"),
    }
    conn.close()
    return ids


def add(run: Run, *args: str) -> int:
    result = run("uslugi", "dodaj", *args)
    assert result.exit_code == 0, result.stderr
    return int(result.stdout.split("nr ", 1)[1].split(":", 1)[0])


def reach(query: Query, service_id: int) -> set[object]:
    return {r[0] for r in query("SELECT teryt FROM uslugi_zasieg WHERE usluga = ?", (service_id,))}


def groups(query: Query, service_id: int) -> set[object]:
    return {r[0] for r in query("SELECT grupa FROM uslugi_grupy WHERE usluga = ?", (service_id,))}


# --- dodaj -----------------------------------------------------------------------------


def test_add_powiat_service(run: Run, query: Query, inst: dict[str, int]) -> None:
    result = run(
        "uslugi",
        "dodaj",
        "Poradnictwo specjalistyczne dla rodzin",
        "--instytucja",
        "PCPR",
        "--obszar",
        "Wspieranie rodziny",
        "--dla",
        "rodziny",
        "--dla",
        "dzieci i młodzież",
        "--zasieg",
        "powiat",
        "--jak-skorzystac",
        "Zgłoś się w siedzibie PCPR, ul. Tkacka 5",
        "--odplatnosc",
        "bezpłatna",
    )
    assert result.exit_code == 0, result.stderr
    assert "Dodano usługę nr 1" in result.stdout
    assert "powiat radomszczański (1012)" in result.stdout
    rows = query(
        "SELECT instytucja, nazwa, obszar, jak_skorzystac, odplatnosc, status, length(uuid), "
        "utworzono = zmieniono FROM uslugi"
    )
    assert rows == [
        (
            inst["pcpr"],
            "Poradnictwo specjalistyczne dla rodzin",
            "wspieranie_rodziny",
            "Zgłoś się w siedzibie PCPR, ul. Tkacka 5",
            "bezpłatna",
            "aktywna",
            36,
            1,
        )
    ]
    assert groups(query, 1) == {"rodziny", "dzieci_mlodziez"}
    assert reach(query, 1) == {"1012"}


def test_default_reach_is_the_providers_gmina(run: Run, query: Query, inst: dict[str, int]) -> None:
    service_id = add(run, "Usługi opiekuńcze", "-i", "GOPS", "-a", "pomoc_spoleczna")
    assert reach(query, service_id) == {"1012122"}
    assert groups(query, service_id) == set()


def test_reach_words_codes_and_names(run: Run, query: Query, inst: dict[str, int]) -> None:
    voivodeship = add(
        run, "Szkolenia", "-i", "RCPS", "-a", "pomoc_spoleczna", "--zasieg", "województwo"
    )
    assert reach(query, voivodeship) == {"10"}
    mixed = add(
        run,
        "Klub seniora",
        "-i",
        "MOPR",
        "-a",
        "aktywnosc_obywatelska",
        *("--zasieg", "1062011", "--zasieg", "1012", "--zasieg", "04", "--zasieg", "Kamieńsk"),
        *("--zasieg", "gmina"),
    )
    assert reach(query, mixed) == {"1062011", "1012", "04", "1012053"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-a", "lotnictwo"], 'nieznany obszar usług: "lotnictwo"'),
        (["-a", "kultura", "--dla", "studenci"], '"studenci". Dozwolone wartości: dzieci_mlodziez'),
        (["-a", "kultura", "--zasieg", "123"], '"123" nie jest kodem TERYT'),
        (["-a", "kultura", "--zasieg", "1099"], 'nie ma jednostki o kodzie TERYT "1099"'),
        (["-a", "kultura", "--zasieg", "1012999"], 'nie ma jednostki o kodzie TERYT "1012999"'),
        (["-a", "kultura", "--zasieg", "gdzieś"], 'nieznany zasięg usługi "gdzieś"'),
        (["-a", "kultura", "--zasieg", "1012054"], "Podaj kod całej gminy: 1012053"),
        (["-a", "kultura", "--zasieg", "1012055"], "Podaj kod całej gminy: 1012053"),
        (["-a", "kultura", "--zasieg", "1061029"], "Podaj kod całej gminy: 1061011"),
        (["-a", "kultura", "--zasieg", "Radomsko"], "1012011 (gmina miejska"),
    ],
)
def test_add_bad_values(
    run: Run, db_path: Path, inst: dict[str, int], args: list[str], message: str
) -> None:
    before = snapshot(db_path)
    result = run("uslugi", "dodaj", "Warsztaty", "-i", "PCPR", *args)
    assert result.exit_code == 1
    assert result.stderr.startswith("Błąd: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(db_path) == before


def test_part_of_gmina_is_refused_with_a_hint(
    run: Run, db_path: Path, inst: dict[str, int]
) -> None:
    before = snapshot(db_path)
    result = run(
        "uslugi", "dodaj", "Warsztaty", "-i", "PCPR", "-a", "kultura", "--zasieg", "1012054"
    )
    assert result.exit_code == 1
    assert "1012054 to część gminy (miasto Kamieńsk)" in result.stderr
    assert "całe gminy, powiaty albo województwa" in result.stderr
    assert snapshot(db_path) == before


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("Poradnia Psychologiczna", 'nie znaleziono instytucji "Poradnia Psychologiczna"'),
        ("99", "nie ma instytucji o numerze 99"),
        ("Ośrodek Pomocy Społecznej", "jest niejednoznaczna"),
    ],
)
def test_add_with_unknown_institution(
    run: Run, db_path: Path, inst: dict[str, int], ref: str, message: str
) -> None:
    before = snapshot(db_path)
    result = run("uslugi", "dodaj", "Warsztaty", "-i", ref, "-a", "kultura")
    assert result.exit_code == 1
    assert result.stderr.startswith("Błąd: ")
    assert message in result.stderr
    assert snapshot(db_path) == before


def test_add_duplicate_name_of_same_provider(run: Run, db_path: Path, inst: dict[str, int]) -> None:
    add(run, "Asystent rodziny", "-i", "MOPS", "-a", "wspieranie_rodziny")
    before = snapshot(db_path)
    result = run("uslugi", "dodaj", "asystent Rodziny", "-i", "MOPS", "-a", "pomoc_spoleczna")
    assert result.exit_code == 1
    assert 'ma już usługę "Asystent rodziny" (nr 1)' in result.stderr
    assert snapshot(db_path) == before
    # Another provider may offer a service of the same name.
    add(run, "Asystent rodziny", "-i", "GOPS", "-a", "wspieranie_rodziny")


def test_add_empty_name(run: Run, db_path: Path, inst: dict[str, int]) -> None:
    before = snapshot(db_path)
    result = run("uslugi", "dodaj", "  ", "-i", "MOPS", "-a", "kultura")
    assert result.exit_code == 1
    assert "nazwa usługi nie może być puste" in result.stderr
    assert snapshot(db_path) == before


def test_add_without_area_is_a_usage_error(run: Run, db_path: Path, inst: dict[str, int]) -> None:
    before = snapshot(db_path)
    result = run("uslugi", "dodaj", "Warsztaty", "-i", "MOPS")
    assert result.exit_code == 2
    assert "Błąd: brak wymaganej opcji --obszar" in result.stderr
    assert snapshot(db_path) == before


# --- lista, pokaz ------------------------------------------------------------------------


@pytest.fixture
def offer(db_path: Path, inst: dict[str, int]) -> dict[str, int]:
    """Five services (inserted directly: adding through the CLI is tested above)."""
    conn = factories.connect(db_path)
    svc = factories.service
    ids = {
        "porady": svc(
            conn,
            inst["pcpr"],
            "Poradnictwo rodzinne",
            "wspieranie_rodziny",
            zasieg=("1012",),
            grupy=("rodziny",),
        ),
        "asystent": svc(conn, inst["mops"], "Asystent rodziny", "wspieranie_rodziny"),
        "opieka": svc(
            conn,
            inst["gops"],
            "Usługi opiekuńcze",
            "pomoc_spoleczna",
            zasieg=("1012122",),
            grupy=("seniorzy",),
        ),
        "szkolenia": svc(conn, inst["rops"], "Szkolenia kadr", "pomoc_spoleczna", zasieg=("10",)),
        "klub": svc(
            conn,
            inst["mopr"],
            "Klub seniora",
            "aktywnosc_obywatelska",
            zasieg=("1062011",),
            grupy=("seniorzy",),
        ),
    }
    conn.close()
    return ids


def names(result: Result) -> list[str]:
    assert result.exit_code == 0, result.stderr
    return [row["nazwa"] for row in json.loads(result.stdout)]


def test_list_all_in_polish_order_of_providers(run: Run, offer: dict[str, int]) -> None:
    # Gminny, Miejski … Rodzinie, Miejski … Społecznej, Powiatowe, Regionalne
    assert names(run("uslugi", "lista", "-f", "json")) == [
        "Usługi opiekuńcze",
        "Klub seniora",
        "Asystent rodziny",
        "Poradnictwo rodzinne",
        "Szkolenia kadr",
    ]


def test_list_filters(run: Run, offer: dict[str, int]) -> None:
    assert names(run("uslugi", "lista", "-i", "PCPR", "-f", "json")) == ["Poradnictwo rodzinne"]
    assert names(run("uslugi", "lista", "--obszar", "pomoc społeczna", "-f", "json")) == [
        "Usługi opiekuńcze",
        "Szkolenia kadr",
    ]
    # Available in gmina wiejska Radomsko: its own, the powiat's and the voivodeship's.
    assert names(run("uslugi", "lista", "--gmina", "1012122", "-f", "json")) == [
        "Usługi opiekuńcze",
        "Poradnictwo rodzinne",
        "Szkolenia kadr",
    ]
    assert names(run("uslugi", "lista", "--gmina", "Piotrków Trybunalski", "-f", "json")) == [
        "Klub seniora",
        "Szkolenia kadr",
    ]


def test_list_by_status(run: Run, offer: dict[str, int]) -> None:
    assert run("uslugi", "edytuj", str(offer["klub"]), "--status", "zawieszona").exit_code == 0
    assert names(run("uslugi", "lista", "--status", "zawieszona", "-f", "json")) == ["Klub seniora"]


def test_list_csv_has_stable_keys(run: Run, offer: dict[str, int]) -> None:
    result = run("uslugi", "lista", "-i", "PCPR", "-f", "csv")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert (
        lines[0] == "id,nazwa,instytucja,instytucja_nazwa,obszar,obszar_nazwa,grupy,zasieg,status"
    )
    assert lines[1] == (
        f"{offer['porady']},Poradnictwo rodzinne,1,{PCPR},wspieranie_rodziny,"
        "wspieranie rodziny,rodziny,1012,aktywna"
    )


def test_list_empty_and_errors(run: Run, inst: dict[str, int]) -> None:
    result = run("uslugi", "lista")
    assert result.exit_code == 0
    assert "kooperacje uslugi dodaj" in result.stdout
    bad = run("uslugi", "lista", "--gmina", "Radomsko")
    assert bad.exit_code == 1
    assert "jest niejednoznaczna" in bad.stderr
    bad = run("uslugi", "lista", "--obszar", "lotnictwo")
    assert bad.exit_code == 1
    assert 'nieznany obszar usług: "lotnictwo"' in bad.stderr


def test_show_all_fields_with_labels(run: Run, inst: dict[str, int]) -> None:
    service_id = add(
        run,
        "Interwencja kryzysowa",
        *("-i", "PCPR", "-a", "wspieranie_rodziny", "--zasieg", "powiat", "--zasieg", "1062011"),
        *("--dla", "przemoc", "--opis", "Wsparcie psychologiczne", "--kryteria", "mieszkańcy"),
        *("--jak-skorzystac", "Telefonicznie", "--odplatnosc", "bezpłatna"),
        *("--kontakt", "tel. 44 683 28 82"),
    )
    result = run("uslugi", "pokaz", str(service_id))
    assert result.exit_code == 0
    out = result.stdout
    assert out.splitlines()[0] == "Interwencja kryzysowa"
    for line in (
        f"Instytucja:     {PCPR} (PCPR), nr {inst['pcpr']}",
        "Obszar:         wspieranie rodziny",
        "Dla kogo:       osoby doznające przemocy",
        "Zasięg:         powiat radomszczański (1012), "
        "gmina miejska Piotrków Trybunalski (1062011)",
        "Opis:           Wsparcie psychologiczne",
        "Jak skorzystać: Telefonicznie",
        "Kryteria:       mieszkańcy",
        "Koszt:          bezpłatna",
        "Kontakt:        tel. 44 683 28 82",
        "Status:         aktywna",
    ):
        assert line in out.splitlines()


def test_show_json_and_by_name(run: Run, offer: dict[str, int]) -> None:
    result = run("uslugi", "pokaz", "poradnictwo RODZINNE", "-f", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["id"] == offer["porady"]
    assert data["zasieg"] == "1012"
    assert data["zasieg_nazwy"] == "powiat radomszczański (1012)"
    assert data["grupy"] == "rodziny"
    assert data["status"] == "aktywna"


def test_show_errors(run: Run, offer: dict[str, int]) -> None:
    result = run("uslugi", "pokaz", "999")
    assert result.exit_code == 1
    assert result.stderr == (
        "Błąd: nie ma usługi o numerze 999. Sprawdź numer poleceniem: kooperacje uslugi lista.\n"
    )
    add(run, "Klub seniora", "-i", "GOPS", "-a", "aktywnosc_obywatelska")
    result = run("uslugi", "pokaz", "Klub seniora")
    assert result.exit_code == 1
    assert 'usługa "Klub seniora" jest niejednoznaczna' in result.stderr
    assert "Podaj numer usługi" in result.stderr


# --- edytuj ------------------------------------------------------------------------------


def test_edit_fields_and_sets_are_logged(run: Run, query: Query, offer: dict[str, int]) -> None:
    sid = offer["porady"]
    result = run(
        "uslugi",
        "edytuj",
        str(sid),
        *("--nazwa", "Poradnictwo dla rodzin", "--opis", "Porady prawne i psychologiczne"),
        *("--dla", "rodziny", "--dla", "przemoc", "--zasieg", "1012011", "--zasieg", "1012122"),
    )
    assert result.exit_code == 0, result.stderr
    assert query("SELECT nazwa, opis FROM uslugi WHERE id = ?", (sid,)) == [
        ("Poradnictwo dla rodzin", "Porady prawne i psychologiczne")
    ]
    assert groups(query, sid) == {"rodziny", "przemoc"}
    assert reach(query, sid) == {"1012011", "1012122"}
    log = query(
        "SELECT pole, stara, nowa FROM _zmiany "
        "WHERE operacja = 'zmiana' AND tabela = 'uslugi' AND rekord = ?",
        (sid,),
    )
    assert sorted(log, key=repr) == sorted(
        [
            ("nazwa", "Poradnictwo rodzinne", "Poradnictwo dla rodzin"),
            ("opis", None, "Porady prawne i psychologiczne"),
            ("grupy", "rodziny", "rodziny, przemoc"),
            ("zasieg", "1012", "1012011, 1012122"),
        ],
        key=repr,
    )


def test_edit_only_a_set_touches_changed_stamp(
    run: Run, db_path: Path, query: Query, offer: dict[str, int]
) -> None:
    sid = offer["asystent"]
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("UPDATE uslugi SET zmieniono = '2020-01-01T00:00:00Z' WHERE id = ?", (sid,))
    conn.close()
    assert run("uslugi", "edytuj", str(sid), "--dla", "rodziny").exit_code == 0
    assert query("SELECT zmieniono > '2020-01-01T00:00:00Z' FROM uslugi WHERE id = ?", (sid,)) == [
        (1,)
    ]
    assert query(
        "SELECT pole, stara, nowa FROM _zmiany WHERE operacja = 'zmiana' AND rekord = ?", (sid,)
    ) == [("grupy", None, "rodziny")]


def test_edit_status_and_clear_text(run: Run, query: Query, offer: dict[str, int]) -> None:
    sid = offer["opieka"]
    assert run("uslugi", "edytuj", str(sid), "--odplatnosc", "częściowo odpłatna").exit_code == 0
    result = run("uslugi", "edytuj", str(sid), "--status", "zakonczona", "--odplatnosc", "")
    assert result.exit_code == 0
    assert "(zakończona)" in result.stdout
    assert query("SELECT status, odplatnosc FROM uslugi WHERE id = ?", (sid,)) == [
        ("zakonczona", None)
    ]
    assert ("status", "aktywna", "zakonczona") in query("SELECT pole, stara, nowa FROM _zmiany")


def test_edit_provider_words_refer_to_new_provider(
    run: Run, query: Query, inst: dict[str, int], offer: dict[str, int]
) -> None:
    sid = offer["asystent"]
    result = run("uslugi", "edytuj", str(sid), "-i", "MOPR", "--zasieg", "gmina")
    assert result.exit_code == 0, result.stderr
    assert query("SELECT instytucja FROM uslugi WHERE id = ?", (sid,)) == [(inst["mopr"],)]
    assert reach(query, sid) == {"1062011"}


def test_edit_same_values_logs_nothing(run: Run, query: Query, offer: dict[str, int]) -> None:
    sid = offer["porady"]
    result = run("uslugi", "edytuj", str(sid), "--zasieg", "1012", "--dla", "rodziny")
    assert result.exit_code == 0
    assert query("SELECT count(*) FROM _zmiany WHERE operacja = 'zmiana'") == [(0,)]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["999", "--opis", "x"], 1, "nie ma usługi o numerze 999"),
        (["1"], 1, "nie podano żadnej zmiany"),
        (["1", "--opis", "x", "--zasieg", "1012054"], 1, "Podaj kod całej gminy: 1012053"),
        (["1", "--opis", "x", "--zasieg", "77"], 1, 'nie ma jednostki o kodzie TERYT "77"'),
        (["1", "--opis", "x", "--dla", "studenci"], 1, '"studenci"'),
        (["1", "--obszar", "lotnictwo"], 1, 'nieznany obszar usług: "lotnictwo"'),
        (["1", "-i", "Poradnia"], 1, 'nie znaleziono instytucji "Poradnia"'),
        (["1", "--nazwa", "Asystent rodziny", "-i", "MOPS"], 1, "ma już usługę"),
        (["1", "--status", "usunieta"], 1, "Dozwolone wartości: aktywna, zawieszona, zakonczona"),
    ],
)
def test_edit_errors_change_nothing(
    run: Run, db_path: Path, offer: dict[str, int], args: list[str], code: int, message: str
) -> None:
    before = snapshot(db_path)
    result = run("uslugi", "edytuj", *args)
    assert result.exit_code == code
    assert result.stderr.startswith("Błąd: ")
    assert message in result.stderr
    assert snapshot(db_path) == before


# --- usun ------------------------------------------------------------------------------


def test_remove_with_confirmation_flag(run: Run, query: Query, offer: dict[str, int]) -> None:
    sid = offer["porady"]
    result = run("uslugi", "usun", str(sid), "--tak")
    assert result.exit_code == 0
    assert "Usunięto usługę" in result.stdout
    assert query("SELECT count(*) FROM uslugi WHERE id = ?", (sid,)) == [(0,)]
    assert reach(query, sid) == set()
    assert groups(query, sid) == set()
    assert query("SELECT count(*) FROM uslugi") == [(4,)]


def test_remove_asks_first(run: Run, db_path: Path, query: Query, offer: dict[str, int]) -> None:
    sid = offer["klub"]
    before = snapshot(db_path)
    result = run("uslugi", "usun", str(sid), input="n\n")
    assert result.exit_code == 1
    assert "Usunąć usługę" in result.stdout
    assert snapshot(db_path) == before
    result = run("uslugi", "usun", str(sid), input="t\n")
    assert result.exit_code == 0
    assert query("SELECT count(*) FROM uslugi WHERE id = ?", (sid,)) == [(0,)]


def test_remove_unknown(run: Run, db_path: Path, offer: dict[str, int]) -> None:
    before = snapshot(db_path)
    result = run("uslugi", "usun", "42", "--tak")
    assert result.exit_code == 1
    assert "Błąd: nie ma usługi o numerze 42" in result.stderr
    assert snapshot(db_path) == before


# --- directory fields ------------------------------------------------------------------


def test_add_with_directory_fields(run: Run, query: Query, inst: dict[str, int]) -> None:
    service_id = add(
        run,
        "Konsultacje psychologiczne",
        *("-i", "PCPR", "-a", "zdrowie", "--wiek-od", "13", "--wiek-do", "18"),
        *("--dokumenty", "legitymacja szkolna", "--koszt", "bezpłatna"),
        *("--adres", "ul. Reymonta 3", "--kod-pocztowy", "97-500", "--miejscowosc", "Radomsko"),
        *("--godziny", "8:00–15:00", "--dni", "pn-śr, pt"),
        *("--kontakt-osoba", "Anna Nowak", "--kontakt-telefon", "44 683 28 82"),
        *("--kontakt-email", "Porady@Radomsko.pl"),
    )
    row = query(
        "SELECT wiek_od, wiek_do, dokumenty, bezplatna, miejsce, adres, kod_pocztowy, "
        "miejscowosc, godziny, dni, kontakt_osoba, kontakt_telefon, kontakt_email, "
        "zweryfikowano FROM uslugi WHERE id = ?",
        (service_id,),
    )
    assert row == [
        (
            13,
            18,
            "legitymacja szkolna",
            1,
            "adres",
            "ul. Reymonta 3",
            "97-500",
            "Radomsko",
            "8:00–15:00",
            "pn,wt,sr,pt",
            "Anna Nowak",
            "+48 44 683 28 82",
            "Porady@radomsko.pl",
            None,
        )
    ]
    shown = run("uslugi", "pokaz", str(service_id)).stdout.splitlines()
    for line in (
        "Wiek:           13–18 lat",
        "Dokumenty:      legitymacja szkolna",
        "Koszt:          bezpłatna",
        "Gdzie:          ul. Reymonta 3, 97-500 Radomsko",
        "Kiedy:          poniedziałek, wtorek, środa, piątek; 8:00–15:00",
        "Kontakt:        Anna Nowak, tel. +48 44 683 28 82, Porady@radomsko.pl",
        "Zweryfikowano:  nigdy",
    ):
        assert line in shown


def test_edit_directory_fields_is_logged(run: Run, query: Query, inst: dict[str, int]) -> None:
    service_id = add(run, "Telefon zaufania", "-i", "PCPR", "-a", "wspieranie_rodziny")
    result = run(
        "uslugi",
        "edytuj",
        str(service_id),
        "--miejsce",
        "telefon",
        "--wiek-od",
        "18",
        "--koszt",
        "odplatna",
        "--odplatnosc",
        "20 zł za rozmowę",
    )
    assert result.exit_code == 0, result.stderr
    assert query("SELECT miejsce, wiek_od, bezplatna FROM uslugi WHERE id = ?", (service_id,)) == [
        ("telefon", 18, 0)
    ]
    logged = {r[0] for r in query("SELECT pole FROM _zmiany WHERE rekord = ?", (service_id,))}
    assert {"miejsce", "wiek_od", "bezplatna", "odplatnosc"} <= logged
    assert (
        "Koszt:          odpłatna: 20 zł za rozmowę"
        in run("uslugi", "pokaz", str(service_id)).stdout.splitlines()
    )
    assert run("uslugi", "edytuj", str(service_id), "--wiek-od", "-1").exit_code == 0
    assert query("SELECT wiek_od FROM uslugi WHERE id = ?", (service_id,)) == [(None,)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--wiek-od", "18", "--wiek-do", "13"), "wiek od (18) jest większy niż wiek do (13)"),
        (("--wiek-do", "200"), "jest nieprawdopodobny"),
        (("--miejsce", "adres"), "wymaga adresu i miejscowości"),
        (("--miejsce", "kosmos"), 'nieznane miejsce usługi "kosmos"'),
        (("--dni", "pn-xx"), "nieznany dzień tygodnia"),
        (("--dni", "pt-pn"), 'odwrócony zakres dni "pt-pn"'),
        (("--koszt", "tanio"), 'nieznany koszt usługi "tanio"'),
        (("--kontakt-telefon", "123"), "telefon"),
        (("--kod-pocztowy", "97500"), "niepoprawny kod pocztowy"),
    ],
)
def test_add_bad_directory_values_change_nothing(
    run: Run, db_path: Path, inst: dict[str, int], args: tuple[str, ...], message: str
) -> None:
    before = snapshot(db_path)
    result = run("uslugi", "dodaj", "Nowa usługa", "-i", "PCPR", "-a", "zdrowie", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert snapshot(db_path) == before


def test_edit_keeps_age_range_consistent(run: Run, db_path: Path, inst: dict[str, int]) -> None:
    service_id = add(run, "Klub", "-i", "PCPR", "-a", "kultura", "--wiek-do", "17")
    before = snapshot(db_path)
    result = run("uslugi", "edytuj", str(service_id), "--wiek-od", "18")
    assert result.exit_code == 1
    assert "wiek od (18) jest większy niż wiek do (17)" in result.stderr
    assert snapshot(db_path) == before
