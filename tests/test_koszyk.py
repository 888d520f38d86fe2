"""`kooperacje koszyk`: the local basket of services of a gmina."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kooperacje.basket.basket import basket
from kooperacje.register.teryt import get_unit
from kooperacje.store.db import open_db
from tests import factories
from tests.conftest import Result, snapshot

Run = Callable[..., Result]
Query = Callable[..., list[tuple[object, ...]]]

PCPR = "Powiatowe Centrum Pomocy Rodzinie w Radomsku"
PUP = "Powiatowy Urząd Pracy w Radomsku"
MOPS = "Miejski Ośrodek Pomocy Społecznej w Radomsku"
GOPS = "Gminny Ośrodek Pomocy Społecznej w Radomsku"
ROPS = "Regionalne Centrum Polityki Społecznej w Łodzi"
MOPR = "Miejski Ośrodek Pomocy Rodzinie w Piotrkowie Trybunalskim"
LGD = "Lokalna Grupa Działania Ziemi Radomszczańskiej"
LSP = "Łódzkie Stowarzyszenie Pomocy Rodzinie"
GOPS_NAKLO = "Ośrodek Pomocy Społecznej w Nakle nad Notecią"

RADOMSKO_MIASTO = "1012011"
RADOMSKO_WIES = "1012122"
PIOTRKOW = "1062011"


@pytest.fixture
def services(db_path: Path, template: Path) -> dict[str, int]:
    """Providers at gmina, powiat and voivodeship level, with a few inactive services."""
    shutil.copyfile(template, db_path)
    conn = factories.connect(db_path)
    inst = factories.institution
    pcpr = inst(
        conn,
        PCPR,
        skrot="PCPR",
        sektor="rodzina",
        adres="ul. Tkacka 5",
        kod_pocztowy="97-500",
        miejscowosc="Radomsko",
        telefon="+48 44 683 28 82",
        email="pcpr@radomsko.pl",
    )
    pup = inst(conn, PUP, skrot="PUP", sektor="rynek_pracy")
    mops = inst(conn, MOPS, skrot="MOPS")
    gops = inst(conn, GOPS, skrot="GOPS", gmina=RADOMSKO_WIES)
    rops = inst(conn, ROPS, skrot="RCPS", gmina="1061011")
    mopr = inst(conn, MOPR, skrot="MOPR", gmina=PIOTRKOW)
    lgd = inst(conn, LGD, sektor="ngo")
    lsp = inst(conn, LSP, sektor="ngo", gmina="1061011")
    naklo = inst(conn, GOPS_NAKLO, gmina="0410033")
    svc = factories.service
    ids = {
        "porady": svc(
            conn,
            pcpr,
            "Poradnictwo specjalistyczne dla rodzin",
            "wspieranie_rodziny",
            zasieg=("1012",),
            grupy=("rodziny", "przemoc"),
            jak_skorzystac="Zgłoś się w siedzibie PCPR",
            kontakt="tel. 44 683 28 82",
        ),
        "piecza": svc(
            conn,
            pcpr,
            "Kwalifikacja kandydatów na rodziny zastępcze",
            "piecza_zastepcza",
            zasieg=("1012",),
            grupy=("rodziny",),
        ),
        "staze": svc(
            conn, pup, "Staże zawodowe", "bezrobocie", zasieg=("1012",), grupy=("bezrobotni",)
        ),
        "asystent": svc(
            conn,
            mops,
            "Asystent rodziny",
            "wspieranie_rodziny",
            zasieg=(RADOMSKO_MIASTO,),
            grupy=("rodziny",),
        ),
        "opieka": svc(
            conn,
            gops,
            "Usługi opiekuńcze",
            "pomoc_spoleczna",
            zasieg=(RADOMSKO_WIES,),
            grupy=("seniorzy",),
        ),
        "szkolenia": svc(
            conn, rops, "Szkolenia dla kadr pomocy społecznej", "pomoc_spoleczna", zasieg=("10",)
        ),
        "klub": svc(
            conn,
            mopr,
            "Klub seniora",
            "aktywnosc_obywatelska",
            zasieg=(PIOTRKOW,),
            grupy=("seniorzy",),
        ),
        "lgd": svc(
            conn,
            lgd,
            "Animacja lokalna",
            "pomoc_spoleczna",
            zasieg=(RADOMSKO_MIASTO, RADOMSKO_WIES),
        ),
        "lsp": svc(
            conn, lsp, "Telefon wsparcia", "pomoc_spoleczna", zasieg=("10",), grupy=("rodziny",)
        ),
        "zawieszona": svc(
            conn,
            pcpr,
            "Grupa wsparcia rodzin zastępczych",
            "piecza_zastepcza",
            zasieg=("1012",),
            status="zawieszona",
        ),
        "zakonczona": svc(
            conn,
            mops,
            "Program Senior+",
            "pomoc_spoleczna",
            zasieg=(RADOMSKO_MIASTO,),
            grupy=("seniorzy",),
            status="zakonczona",
        ),
        "pomorze": svc(
            conn, naklo, "Punkt interwencji kryzysowej", "pomoc_spoleczna", zasieg=("04",)
        ),
    }
    conn.close()
    return ids


def rows(run: Run, *args: str) -> list[dict[str, object]]:
    result = run("koszyk", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


def ids(run: Run, *args: str) -> list[object]:
    return [row["usluga"] for row in rows(run, *args)]


def test_powiat_provider_serves_every_gmina_of_its_powiat(
    run: Run, query: Query, services: dict[str, int]
) -> None:
    gminas = [
        r[0] for r in query("SELECT kod FROM teryt WHERE powiat = '1012' AND poziom = 'gmina'")
    ]
    assert len(gminas) == 14
    assert {RADOMSKO_MIASTO, RADOMSKO_WIES} <= set(gminas)
    for code in gminas:
        found = ids(run, "--gmina", str(code))
        assert services["porady"] in found, code
        assert services["staze"] in found, code
    assert services["porady"] not in ids(run, "--gmina", PIOTRKOW)
    assert services["staze"] not in ids(run, "--gmina", "Piotrków Trybunalski")


def test_gmina_level_service_only_in_its_gminas(run: Run, services: dict[str, int]) -> None:
    assert services["asystent"] in ids(run, "--gmina", RADOMSKO_MIASTO)
    assert services["asystent"] not in ids(run, "--gmina", RADOMSKO_WIES)
    assert services["opieka"] in ids(run, "--gmina", RADOMSKO_WIES)
    assert services["opieka"] not in ids(run, "--gmina", RADOMSKO_MIASTO)
    assert services["opieka"] not in ids(run, "--gmina", "Gidle")
    assert ids(run, "--gmina", PIOTRKOW) == [
        services["lsp"],
        services["szkolenia"],
        services["klub"],
    ]


def test_voivodeship_service_in_every_lodzkie_gmina(
    db_path: Path, run: Run, services: dict[str, int]
) -> None:
    db = open_db(db_path)
    try:
        gminas = [r["kod"] for r in db.query("SELECT kod FROM teryt WHERE poziom = 'gmina'")]
        lodzkie = [code for code in gminas if code.startswith("10")]
        assert len(lodzkie) == 177
        for code in gminas:
            found = {s.id for s in basket(db, get_unit(db, code))}
            assert (services["szkolenia"] in found) == code.startswith("10"), code
            assert (services["pomorze"] in found) == code.startswith("04"), code
            assert services["zawieszona"] not in found
            assert services["zakonczona"] not in found
    finally:
        db.close()
    assert services["szkolenia"] in ids(run, "--gmina", "Żytno")
    assert services["szkolenia"] not in ids(run, "--gmina", "Nakło nad Notecią")


def test_inactive_services_never_appear(run: Run, services: dict[str, int]) -> None:
    for args in (
        ("--gmina", RADOMSKO_MIASTO),
        ("--gmina", RADOMSKO_MIASTO, "--obszar", "piecza_zastepcza"),
        ("--gmina", RADOMSKO_MIASTO, "--dla", "seniorzy"),
        ("--gmina", "Kamieńsk"),
    ):
        found = ids(run, *args)
        assert services["zawieszona"] not in found
        assert services["zakonczona"] not in found


def test_grouped_by_area_then_provider_in_polish_order(run: Run, services: dict[str, int]) -> None:
    found = rows(run, "--gmina", RADOMSKO_MIASTO)
    assert [(r["obszar"], r["instytucja_nazwa"], r["nazwa"]) for r in found] == [
        ("wspieranie_rodziny", MOPS, "Asystent rodziny"),
        ("wspieranie_rodziny", PCPR, "Poradnictwo specjalistyczne dla rodzin"),
        ("piecza_zastepcza", PCPR, "Kwalifikacja kandydatów na rodziny zastępcze"),
        # Ł sorts after L and before M, not after Z.
        ("pomoc_spoleczna", LGD, "Animacja lokalna"),
        ("pomoc_spoleczna", LSP, "Telefon wsparcia"),
        ("pomoc_spoleczna", ROPS, "Szkolenia dla kadr pomocy społecznej"),
        ("bezrobocie", PUP, "Staże zawodowe"),
    ]


def test_filter_by_area(run: Run, services: dict[str, int]) -> None:
    assert ids(run, "--gmina", RADOMSKO_WIES, "--obszar", "pomoc_spoleczna") == [
        services["opieka"],
        services["lgd"],
        services["lsp"],
        services["szkolenia"],
    ]
    # A label works as well as a code, diacritics optional.
    assert ids(run, "--gmina", RADOMSKO_WIES, "--obszar", "Przeciwdzialanie bezrobociu") == [
        services["staze"]
    ]


def test_filter_by_group(run: Run, services: dict[str, int]) -> None:
    assert ids(run, "--gmina", RADOMSKO_MIASTO, "--dla", "rodziny") == [
        services["asystent"],
        services["porady"],
        services["piecza"],
        services["lsp"],
    ]
    assert ids(run, "--gmina", RADOMSKO_WIES, "--dla", "seniorzy") == [services["opieka"]]
    assert ids(
        run,
        "--gmina",
        RADOMSKO_MIASTO,
        "--dla",
        "osoby doznające przemocy",
        "-a",
        "wspieranie_rodziny",
    ) == [services["porady"]]


def test_json_rows_have_stable_keys(run: Run, services: dict[str, int]) -> None:
    found = rows(run, "--gmina", RADOMSKO_MIASTO, "--dla", "przemoc")
    assert len(found) == 1
    row = found[0]
    assert list(row)[:15] == [
        "obszar",
        "obszar_nazwa",
        "instytucja",
        "instytucja_nazwa",
        "usluga",
        "nazwa",
        "grupy",
        "jak_skorzystac",
        "kryteria",
        "odplatnosc",
        "kontakt",
        "adres",
        "telefon",
        "email",
        "zasieg",
    ]
    assert row["obszar_nazwa"] == "wspieranie rodziny"
    assert row["usluga"] == services["porady"]
    assert row["grupy"] == "rodziny, przemoc"
    assert row["grupy_nazwy"] == "rodziny, osoby doznające przemocy"
    assert row["adres"] == "ul. Tkacka 5, 97-500 Radomsko"
    assert row["telefon"] == "+48 44 683 28 82"
    assert row["email"] == "pcpr@radomsko.pl"
    assert row["zasieg"] == "1012"
    assert row["zasieg_nazwy"] == "powiat radomszczański (1012)"


def test_csv(run: Run, services: dict[str, int]) -> None:
    result = run("koszyk", "--gmina", PIOTRKOW, "--format", "csv")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith(
        "obszar,obszar_nazwa,instytucja,instytucja_nazwa,usluga,nazwa,grupy,jak_skorzystac,"
        "kryteria,odplatnosc,kontakt,adres,telefon,email,zasieg"
    )
    assert len(lines) == 4
    assert lines[3].startswith(
        f"aktywnosc_obywatelska,pobudzanie aktywności obywatelskiej,6,{MOPR}"
    )


def test_table(run: Run, services: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    result = run("koszyk", "--gmina", RADOMSKO_MIASTO)
    assert result.exit_code == 0
    out = result.stdout
    lines = out.splitlines()
    assert lines[0] == "Lokalny koszyk usług: Radomsko (gmina miejska, 1012011)"
    assert lines[1] == "7 usług w 4 obszarach."
    headings = [
        "Wspieranie rodziny",
        "Piecza zastępcza",
        "Pomoc społeczna",
        "Przeciwdziałanie bezrobociu",
    ]
    positions = [lines.index(h) for h in headings]
    assert positions == sorted(positions)
    for header in ("Instytucja", "Usługa", "Dla kogo", "Jak skorzystać"):
        assert header in out
    assert "Zgłoś się w siedzibie PCPR" in out
    assert "rodziny, osoby doznające przemocy" in out
    # The provider is named once for its run of services within an area.
    assert out.count(f"{PCPR} (PCPR)") == 2
    assert "Grupa wsparcia rodzin zastępczych" not in out


def test_table_with_filters(
    run: Run, services: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    result = run("koszyk", "--gmina", RADOMSKO_WIES, "--dla", "seniorzy")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "Lokalny koszyk usług: Radomsko (gmina wiejska, 1012122)",
        "Filtr: grupa „seniorzy”.",
        "1 usługa w 1 obszarze.",
    ]
    assert "Usługi opiekuńcze" in result.stdout


def test_empty_basket(run: Run, services: dict[str, int]) -> None:
    result = run("koszyk", "--gmina", "2262011")
    assert result.exit_code == 0
    assert result.stdout.startswith("Lokalny koszyk usług: Gdynia (gmina miejska, 2262011)\n")
    assert "Koszyk jest pusty" in result.stdout
    assert "kooperacje uslugi dodaj" in result.stdout
    filtered = run("koszyk", "--gmina", PIOTRKOW, "--obszar", "mieszkalnictwo")
    assert filtered.exit_code == 0
    assert "Brak aktywnych usług spełniających te warunki" in filtered.stdout
    assert rows(run, "--gmina", "2262011") == []
    csv = run("koszyk", "--gmina", "2262011", "--format", "csv")
    assert csv.stdout.splitlines()[0].startswith("obszar,obszar_nazwa,")
    assert len(csv.stdout.splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--gmina", "Radomsko"], 1, "1012011 (gmina miejska, powiat radomszczański), 1012122"),
        (["--gmina", "Atlantyda"], 1, 'nie znaleziono gminy "Atlantyda"'),
        (["--gmina", "1012054"], 1, "Podaj kod całej gminy"),
        (["--gmina", "1012"], 1, "kod gminy ma 7 cyfr"),
        (["--gmina", "1012011", "--obszar", "lotnictwo"], 1, 'nieznany obszar usług: "lotnictwo"'),
        (["--gmina", "1012011", "--dla", "studenci"], 1, '"studenci". Dozwolone wartości:'),
        (["--gmina", "1012011", "--format", "xml"], 2, "tabela, csv, json"),
        ([], 2, "brak wymaganej opcji --gmina"),
    ],
)
def test_errors(
    run: Run, db_path: Path, services: dict[str, int], args: list[str], code: int, message: str
) -> None:
    before = snapshot(db_path)
    result = run("koszyk", *args)
    assert result.exit_code == code
    assert result.stderr.startswith("Błąd: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert snapshot(db_path) == before
