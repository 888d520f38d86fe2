"""`kooperacje koszyk`: the local basket of services of a gmina."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
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


# `kooperacje koszyk` answered before the command tree loads (commands/koszyk_quick.py).

QUICK_LINES = [
    ["koszyk", "--gmina", RADOMSKO_MIASTO],
    ["koszyk", "-g", RADOMSKO_MIASTO, "--format", "json"],
    ["koszyk", "--gmina=Piotrków Trybunalski", "--format=csv", "--dla", "seniorzy"],
    ["koszyk", "-g", RADOMSKO_MIASTO, "-a", "wspieranie_rodziny", "-f", "json"],
    ["koszyk", "-g", RADOMSKO_MIASTO, "--status", "zawieszona"],
    ["koszyk", "-g", RADOMSKO_MIASTO, "--szukaj", "rodzin", "-f", "json"],
    ["koszyk", "-g", RADOMSKO_MIASTO, "-s", "telefon"],
    ["koszyk", "-g", RADOMSKO_WIES, "--wiek", "70", "--bezplatne"],
    ["koszyk", "-g", "0410033", "--dla", "bezrobotni"],  # an empty basket, filtered
    ["koszyk", "-g", "1061011", "-f", "tabela", "--format", "json"],  # the last one wins
]


@pytest.mark.parametrize("argv", QUICK_LINES, ids=lambda a: " ".join(a[1:]))
def test_quick_basket_prints_what_the_command_prints(
    run: Run,
    services: dict[str, int],
    db_path: Path,
    argv: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    from kooperacje.commands import koszyk_quick

    expected = run(*argv)
    assert expected.exit_code == 0, expected.stderr
    assert expected.stdout
    for line in (argv, ["--baza", str(db_path), *argv], [*argv, "--baza", str(db_path)]):
        assert koszyk_quick.answer(line) is True
        shown = capsys.readouterr()
        assert shown.out == expected.stdout
        assert shown.err == ""


@pytest.mark.parametrize(
    "argv",
    [
        ["koszyk", "--gmina", "9999999"],  # no such gmina: the tree says so
        ["koszyk", "--gmina", RADOMSKO_MIASTO, "--dla", "marsjanie"],
        ["koszyk", "--gmina", RADOMSKO_MIASTO, "--status", "zakonczona"],
        ["koszyk", "--gmina", RADOMSKO_MIASTO, "--szukaj", "!!!"],
        ["koszyk", "--gmina", RADOMSKO_MIASTO, "--format", "xml"],
        ["koszyk", "--gmina", RADOMSKO_MIASTO, "--wiek", "siedem"],
        ["koszyk", "--gmina", RADOMSKO_MIASTO, "--wiek", "-3"],
        ["koszyk", "--gmina", RADOMSKO_MIASTO, "--help"],
        ["koszyk", "--gmina", RADOMSKO_MIASTO, "--wersja"],
        ["koszyk", "--gmina", RADOMSKO_MIASTO, "nadmiarowy"],
        ["koszyk", "--gmina", RADOMSKO_MIASTO, "--nieznana"],
        ["koszyk", "--gmina", RADOMSKO_MIASTO, "--bezplatne=tak"],
        ["koszyk", f"-g{RADOMSKO_MIASTO}"],
        ["koszyk", "--gmina"],
        ["koszyk", "--gmina", "--format", "json"],
        ["koszyk"],
        ["--wersja", "koszyk", "--gmina", RADOMSKO_MIASTO],
        ["instytucje", "lista", "--szukaj", "koszyk"],
        ["--baza", "", "koszyk", "--gmina", RADOMSKO_MIASTO],
        ["koszyk", "--gmina", RADOMSKO_MIASTO, "--szukaj", "\udcff"],
    ],
    ids=repr,
)
def test_quick_basket_leaves_everything_else_to_the_command_tree(
    services: dict[str, int], argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    from kooperacje.commands import koszyk_quick

    assert koszyk_quick.answer(argv) is False
    shown = capsys.readouterr()
    assert (shown.out, shown.err) == ("", "")


def test_quick_basket_leaves_a_database_to_migrate_or_a_missing_one_to_the_tree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kooperacje.commands import koszyk_quick

    missing = tmp_path / "nie-ma.db"
    assert koszyk_quick.answer(["--baza", str(missing), "koszyk", "-g", RADOMSKO_MIASTO]) is False
    assert not missing.exists()
    foreign = tmp_path / "obca.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    before = foreign.read_bytes()
    assert koszyk_quick.answer(["--baza", str(foreign), "koszyk", "-g", RADOMSKO_MIASTO]) is False
    assert foreign.read_bytes() == before
    assert capsys.readouterr().out == ""


def _console_script(
    tmp_path: Path, argv: list[str], env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """The console script's entry point in a new interpreter; the last line of stderr says
    whether the command tree (Typer) was loaded."""
    script = tmp_path / "entry.py"
    script.write_text(
        "import sys\n"
        "from kooperacje.__main__ import main\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        "    sys.stderr.write('typer loaded: %s' % ('typer' in sys.modules))\n",
        encoding="utf-8",
    )
    return subprocess.run(
        [sys.executable, str(script), *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=tmp_path,
        check=False,
    )


def test_the_console_script_answers_a_basket_without_typer(
    run: Run, services: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "KOOPERACJE_BAZA": str(db_path), "PYTHONIOENCODING": "utf-8"}
    answered = _console_script(tmp_path, ["koszyk", "-g", RADOMSKO_MIASTO, "-f", "json"], env)
    assert answered.returncode == 0
    assert answered.stdout == run("koszyk", "-g", RADOMSKO_MIASTO, "-f", "json").stdout
    assert answered.stderr == "typer loaded: False"

    # An error goes through the tree: its message and exit code, once.
    refused = _console_script(tmp_path, ["koszyk", "-g", "9999999"], env)
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert refused.stderr.count("Błąd:") == 1
    assert refused.stderr.endswith("typer loaded: True")
    message = refused.stderr.removesuffix("typer loaded: True")
    assert message == run("koszyk", "-g", "9999999").stderr


# Standard modules whose import alone takes a good part of a basket's answer.
_SLOW_MODULES = {"typing", "dataclasses", "inspect", "pathlib", "json", "re", "enum"}


@pytest.mark.parametrize("fmt", ["json", "tabela"])
def test_a_basket_of_a_given_database_loads_no_slow_module(
    run: Run, services: dict[str, int], db_path: Path, tmp_path: Path, fmt: str
) -> None:
    script = tmp_path / "entry.py"
    script.write_text(
        "import sys\n"
        "before = set(sys.modules)\n"
        "from kooperacje.__main__ import main\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        "    sys.stderr.write(' '.join(sorted(set(sys.modules) - before)))\n",
        encoding="utf-8",
    )
    argv = ["--baza", str(db_path), "koszyk", "-g", RADOMSKO_MIASTO, "-f", fmt]
    answered = subprocess.run(
        [sys.executable, str(script), *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        cwd=tmp_path,
        check=False,
    )
    assert answered.returncode == 0, answered.stderr
    assert answered.stdout == run(*argv).stdout
    loaded = set(answered.stderr.split())
    assert "kooperacje.basket.query" in loaded  # the script saw what the program loaded
    assert loaded & _SLOW_MODULES == set()


def test_quick_basket_knows_every_format() -> None:
    from kooperacje.commands import koszyk_quick
    from kooperacje.formats import Format

    assert tuple(f.value for f in Format) == koszyk_quick.FORMATS


@pytest.mark.skipif(os.name == "nt", reason="closing fd 1 and /dev/full are POSIX")
def test_basket_to_a_closed_or_full_output_says_why_in_polish(
    services: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "KOOPERACJE_BAZA": str(db_path), "PYTHONIOENCODING": "utf-8"}
    argv = [sys.executable, "-m", "kooperacje", "koszyk", "-g", RADOMSKO_MIASTO]
    closed = subprocess.run(
        argv, stderr=subprocess.PIPE, env=env, cwd=tmp_path, preexec_fn=lambda: os.close(1)
    )
    assert closed.returncode == 1
    assert closed.stderr.decode() == (
        "Błąd: standardowe wyjście jest zamknięte, więc wyniku nie ma gdzie wypisać. Uruchom "
        "polecenie bez zamykania wyjścia albo przekieruj je do pliku (> plik.txt).\n"
    )
    if Path("/dev/full").exists():
        with open("/dev/full", "wb") as full:
            refused = subprocess.run(
                [*argv, "-f", "json"], stdout=full, stderr=subprocess.PIPE, env=env, cwd=tmp_path
            )
        assert refused.returncode == 1
        assert "brak miejsca na dysku" in refused.stderr.decode()
        assert "Traceback" not in refused.stderr.decode()
