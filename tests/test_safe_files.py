"""Files that are not what they claim (issue 11).

Spreadsheet bombs are refused in Polish with bounded memory and a bounded message; a file
that is not this tool's database is never turned into one; every CSV neutralises formulas
whatever delimiter a spreadsheet guesses; nothing from an imported file reaches the terminal
raw; a huge number is an ordinary Polish error; documents naming staff are private.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kooperacje.cli import app
from tests import bombs
from tests.conftest import Result

Run = Callable[..., Result]

BIG = "99999999999999999999999"
PEAK_MB = 200
BOMB_SECONDS = 20
MESSAGE_LIMIT = 4000


def _fails_in_polish(result: Result, code: int = 1) -> None:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert "Błąd:" in result.stderr, result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def _invoke(path: Path, config: Path, commands: list[list[str]]) -> None:
    runner = CliRunner()
    for args in commands:
        result = runner.invoke(
            app,
            ["--baza", str(path), *args],
            env={"KOOPERACJE_KONFIGURACJA": str(config)},
            prog_name="kooperacje",
        )
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def _count(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
    finally:
        conn.close()


# ---- spreadsheet bombs --------------------------------------------------------------------

# Runs one command with an address-space cap (so a bomb cannot take the machine down) and
# reports the command's own peak RSS: RUSAGE_CHILDREN of this wrapper covers that one child.
_MEASURE = """
import json, resource, subprocess, sys, time
cap = 1 << 30
def limit():
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
started = time.monotonic()
try:
    proc = subprocess.run(
        sys.argv[2:], capture_output=True, timeout=float(sys.argv[1]), preexec_fn=limit
    )
    code, out, err, timed_out = proc.returncode, proc.stdout, proc.stderr, False
except subprocess.TimeoutExpired as exc:
    code, out, err, timed_out = None, exc.stdout or b"", exc.stderr or b"", True
print(json.dumps({
    "code": code,
    "timed_out": timed_out,
    "seconds": round(time.monotonic() - started, 1),
    "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024,
    "out_len": len(out),
    "err_len": len(err),
    "out": out[:500].decode("utf-8", "replace"),
    "err": err[:500].decode("utf-8", "replace"),
}))
"""


def _wide_csv(path: Path, columns: int = 2_000_000) -> Path:
    header = ";".join(f"Kolumna {n}" for n in range(columns))
    path.write_text(header + "\nFundacja Pomocy;1012011;ngo\n", "utf-8")
    return path


BOMBS: dict[str, Callable[[Path], Path]] = {
    "dimension": bombs.dimension_bomb,
    "shared-strings": bombs.shared_strings_bomb,
    "rows": bombs.row_bomb,
    "wide-header": bombs.wide_header_bomb,
}


@pytest.fixture(scope="module")
def bomb_runs(
    tmp_path_factory: pytest.TempPathFactory, template: Path
) -> dict[str, dict[str, object]]:
    """Every bomb imported at once, each in its own process (they are independent, and
    running them side by side keeps the module fast when one of them hangs)."""
    folder = tmp_path_factory.mktemp("bombs")
    files = {name: build(folder / f"{name}.xlsx") for name, build in BOMBS.items()}
    files["wide-header-csv"] = _wide_csv(folder / "wide-header.csv")
    env = {**os.environ, "KOOPERACJE_KONFIGURACJA": str(folder / "kooperacje.toml")}
    env.pop("KOOPERACJE_BAZA", None)
    procs = {}
    for name, path in files.items():
        db = folder / f"{name}.db"
        shutil.copy(template, db)  # an existing database: the import alone is measured
        procs[name] = subprocess.Popen(
            [
                *(sys.executable, "-c", _MEASURE, str(BOMB_SECONDS)),
                *(sys.executable, "-m", "kooperacje", "--baza", str(db)),
                *("import", "instytucje", str(path)),
            ],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
    runs: dict[str, dict[str, object]] = {}
    for name, proc in procs.items():
        out, _ = proc.communicate(timeout=BOMB_SECONDS + 60)
        report: dict[str, object] = json.loads(out)
        db = folder / f"{name}.db"
        report["imported"] = _count(db, "instytucje") if db.exists() else 0
        report["file_kb"] = files[name].stat().st_size // 1024
        runs[name] = report
    return runs


@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX only")
@pytest.mark.parametrize("bomb", [*BOMBS, "wide-header-csv"])
def test_spreadsheet_bomb_is_refused_in_polish_within_bounds(
    bomb_runs: dict[str, dict[str, object]], bomb: str
) -> None:
    run = bomb_runs[bomb]
    assert run["timed_out"] is False, f"still running after {BOMB_SECONDS} s: {run}"
    assert isinstance(run["peak_mb"], int) and run["peak_mb"] < PEAK_MB, run
    assert run["code"] == 1, run
    err = str(run["err"])
    assert err.startswith("Błąd:"), run
    for leak in ("Traceback", "nieoczekiwany", "MemoryError"):
        assert leak not in err, run
    assert isinstance(run["out_len"], int) and isinstance(run["err_len"], int)
    assert run["out_len"] + run["err_len"] < MESSAGE_LIMIT, run
    assert run["imported"] == 0, run


# ---- what --baza may point at -------------------------------------------------------------


def _listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_a_foreign_sqlite_file_is_refused_and_left_byte_identical(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "inne"
    folder.mkdir()
    foreign = folder / "zakupy.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE produkty (nazwa TEXT, cena REAL)")
    conn.execute("INSERT INTO produkty VALUES ('papier', 21.5)")
    conn.commit()
    conn.close()
    before = _listing(folder)
    result = run("--baza", str(foreign), "instytucje", "lista")
    _fails_in_polish(result)
    assert _listing(folder) == before


def test_an_empty_file_is_not_silently_turned_into_a_database(run: Run, tmp_path: Path) -> None:
    empty = tmp_path / "pusty.db"
    empty.write_bytes(b"")
    result = run("--baza", str(empty), "instytucje", "lista")
    _fails_in_polish(result)
    assert empty.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pusty.db"]


def test_a_missing_directory_is_not_created_for_a_listing(run: Run, tmp_path: Path) -> None:
    typo = tmp_path / "Dokumnety" / "pzk" / "kooperacje.db"
    result = run("--baza", str(typo), "instytucje", "lista")
    _fails_in_polish(result)
    assert not (tmp_path / "Dokumnety").exists()


def test_a_mistyped_file_name_is_not_created_for_a_listing(run: Run, tmp_path: Path) -> None:
    typo = tmp_path / "kooperacej.db"
    result = run("--baza", str(typo), "instytucje", "lista")
    assert result.exit_code != 0, result.stdout
    assert "Błąd:" in result.stderr
    assert not typo.exists()


def test_an_empty_database_option_is_refused(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--baza ""` (an unset shell variable) must not fall back to the default database."""
    monkeypatch.delenv("KOOPERACJE_BAZA")
    home = tmp_path / "dom"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "dane"))
    result = run("--baza", "", "instytucje", "lista")
    assert result.exit_code in (1, 2), (result.stdout, result.stderr)
    assert "Błąd:" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(home.rglob("*")) == []


# ---- formulas in every CSV ----------------------------------------------------------------

LINK = '=HYPERLINK("http://zly.example/{}","Kliknij")'
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

FORMULA_DATA = [
    ["instytucje", "dodaj", LINK.format("instytucja"), "-g", "1012011", "-s", "ngo",
     "--skrot", "@SUM(1+1)", "--uwagi", LINK.format("uwagi")],
    # Neutralised for `,` but not for a spreadsheet that guesses `;`.
    ["instytucje", "dodaj", "Fundacja Razem;=HYPERLINK(zly.example/r)", "-g", "1012011",
     "-s", "ngo"],
    ["instytucje", "dodaj", "Powiatowe Centrum Pomocy Rodzinie w Radomsku", "-g", "1012011",
     "-s", "rodzina", "--skrot", "PCPR"],
    ["osoby", "dodaj", LINK.format("osoba"), "-i", "PCPR", "--stanowisko", "@cmd zly.example"],
    ["projekty", "dodaj", LINK.format("projekt"), "--program", LINK.format("program")],
    ["zespoly", "zaloz", "-g", "1012011", "-n", LINK.format("zespol"), "-p", "1",
     "-l", "PCPR", "-d", "2019-09-25"],
    ["porozumienia", "dodaj", LINK.format("porozumienie"), "-s", "PCPR", "--jst", "1012011",
     "--oryginal", LINK.format("oryginal")],
    ["deklaracje", "dodaj", "-i", "1", "-g", "1012011", "-d", "2019-10-09",
     "--podpisal", LINK.format("podpisal")],
    ["deklaracje", "dodaj", "-i", "PCPR", "-g", "1012011", "-d", "2019-10-09"],
    ["spotkania", "dodaj", "-g", "1012011", "-d", "2019-09-25", "-m", LINK.format("miejsce"),
     "-r", "inicjujace", "--tytul", LINK.format("tytul")],
    ["uslugi", "dodaj", LINK.format("usluga"), "-i", "PCPR", "-a", "pomoc_spoleczna",
     "--opis", "-2+3+zly.example", "--kontakt-osoba", LINK.format("kontakt")],
]  # fmt: skip

CSV_COMMANDS = {
    "instytucje-lista": ["instytucje", "lista", "-f", "csv"],
    "osoby-lista": ["osoby", "lista", "-f", "csv"],
    "zespoly-lista": ["zespoly", "lista", "-f", "csv"],
    "projekty-lista": ["projekty", "lista", "-f", "csv"],
    "porozumienia-lista": ["porozumienia", "lista", "-f", "csv"],
    "spotkania-lista": ["spotkania", "lista", "-f", "csv"],
    "deklaracje-lista": ["deklaracje", "lista", "-f", "csv"],
    "uslugi-lista": ["uslugi", "lista", "-f", "csv"],
    "uslugi-szukaj": ["uslugi", "szukaj", "hyperlink", "-f", "csv"],
    "uslugi-pokaz": ["uslugi", "pokaz", "1", "-f", "csv"],
    "koszyk": ["koszyk", "-g", "1012011", "-f", "csv"],
    "luki": ["luki", "-g", "1012011", "-f", "csv"],
    "historia": ["historia", "-f", "csv"],
    "raport-zbiorczy": ["raport", "zbiorczy", "-f", "csv"],
    "eksport-instytucje": ["eksport", "instytucje"],
    "eksport-uslugi": ["eksport", "uslugi"],
}


@pytest.fixture(scope="module")
def formula_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("formulas")
    path = folder / "formuly.db"
    _invoke(path, folder / "kooperacje.toml", FORMULA_DATA)
    return path


def _formula_cells(text: str) -> list[str]:
    """Cells holding the planted values that a spreadsheet would run as a formula, whichever
    of `,`, `;` or tab it takes for the delimiter."""
    found = []
    for delimiter in (",", ";", "\t"):
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            found += [c for c in row if "zly.example" in c and c.startswith(FORMULA_PREFIXES)]
    return sorted(set(found))


@pytest.mark.parametrize("command", list(CSV_COMMANDS))
def test_every_csv_neutralises_formulas(
    run: Run, formula_db: Path, db_path: Path, command: str
) -> None:
    shutil.copyfile(formula_db, db_path)
    result = run(*CSV_COMMANDS[command])
    assert result.exit_code == 0, result.stderr
    assert "zly.example" in result.stdout, "the premise: the planted values are listed"
    assert _formula_cells(result.stdout) == []


def test_summary_report_csv_file_neutralises_formulas(
    run: Run, formula_db: Path, db_path: Path, tmp_path: Path
) -> None:
    shutil.copyfile(formula_db, db_path)
    out = tmp_path / "zbiorczy.csv"
    result = run("raport", "zbiorczy", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    text = out.read_text("utf-8-sig")
    assert "zly.example" in text
    assert _formula_cells(text) == []


def test_hsds_csvs_neutralise_formulas(
    run: Run, formula_db: Path, db_path: Path, tmp_path: Path
) -> None:
    shutil.copyfile(formula_db, db_path)
    out = tmp_path / "hsds"
    result = run("eksport", "hsds", "-g", "1012011", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    texts = {p.name: p.read_text("utf-8-sig") for p in sorted(out.glob("*.csv"))}
    assert any("zly.example" in text for text in texts.values())
    assert {name: _formula_cells(text) for name, text in texts.items()} == {
        name: [] for name in texts
    }


# ---- terminal escapes from an imported file -----------------------------------------------

ESCAPES = "\x1b[2J\x1b[31m\x07"


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(f"Nazwa;Gmina;Sektor\nFundacja {ESCAPES}Pomocy;1012011;ngo\n", id="name"),
        pytest.param(f"Nazwa;Gmina;Sektor\nZła{ESCAPES};9999999;ngo\n", id="rejected-row"),
        pytest.param(f"Nazwa;Gmina;Sektor\nFundacja;1012011;{ESCAPES}ngo\n", id="sector"),
        pytest.param(f"Nazwa;Gmina;Sektor;Kolumna{ESCAPES}\nFundacja;1012011;ngo;x\n", id="header"),
        pytest.param(f"Nazwa{ESCAPES};Gmina{ESCAPES}\nFundacja;1012011\n", id="only-bad-headers"),
    ],
)
@pytest.mark.parametrize("proba", [True, False])
def test_imported_escape_sequences_are_not_echoed_raw(
    run: Run, small_db: Path, db_path: Path, tmp_path: Path, content: str, proba: bool
) -> None:
    shutil.copyfile(small_db, db_path)
    path = tmp_path / "kooperanci.csv"
    path.write_text(content, "utf-8")
    result = run("import", "instytucje", str(path), *(["--proba"] if proba else []))
    shown = result.stdout + result.stderr
    assert "Traceback" not in shown
    assert "\x1b" not in shown and "\x07" not in shown, repr(shown)


# ---- a number too large for SQLite --------------------------------------------------------

BIG_ID_COMMANDS = [
    ["instytucje", "pokaz", BIG],
    ["instytucje", "edytuj", BIG, "--uwagi", "x"],
    ["instytucje", "usun", BIG, "--tak"],
    ["osoby", "edytuj", BIG, "--stanowisko", "x"],
    ["osoby", "usun", BIG, "--tak"],
    ["osoby", "eksportuj", BIG],
    ["osoby", "dodaj", "Ala Nowak", "-i", BIG],
    ["osoby", "lista", "-i", BIG],
    ["zespoly", "pokaz", BIG],
    ["zespoly", "edytuj", BIG, "-n", "x"],
    ["spotkania", "pokaz", BIG],
    ["spotkania", "edytuj", BIG, "--tytul", "x"],
    ["spotkania", "usun", BIG, "--tak"],
    ["spotkania", "ics", BIG],
    ["spotkania", "obecnosc", BIG, "MOPS"],
    ["spotkania", "obecnosc", "1", BIG],
    ["spotkania", "zapros", BIG, "--czlonkowie"],
    ["spotkania", "prowadz", BIG],
    ["deklaracje", "usun", BIG, "--tak"],
    ["deklaracje", "dodaj", "-i", "MOPS", "-g", "1012011", "-d", "2020-01-01", "-s", BIG],
    ["deklaracje", "dodaj", "-i", BIG, "-g", "1012011", "-d", "2020-01-01"],
    ["uslugi", "pokaz", BIG],
    ["uslugi", "edytuj", BIG, "--opis", "x"],
    ["uslugi", "usun", BIG, "--tak"],
    ["uslugi", "zweryfikuj", BIG],
    ["uslugi", "lista", "-i", BIG],
    ["uslugi", "dodaj", "Usługa", "-i", BIG, "-a", "kultura"],
    ["raport", "spotkanie", BIG],
    ["raport", "lista-obecnosci", BIG],
    ["raport", "protokol", BIG],
    ["raport", "deklaracja", "-s", BIG, "--wszyscy-zaproszeni"],
    ["raport", "deklaracja", "-i", BIG, "-g", "1012011"],
    ["historia", "--usluga", BIG],
    ["historia", "-i", BIG],
    ["luki", "-g", "1012011", "-m", BIG],
]


SMALL_DATA = [
    ["instytucje", "dodaj", "Miejski Ośrodek Pomocy Społecznej w Radomsku", "-g", "1012011",
     "-s", "pomoc_spoleczna", "--skrot", "MOPS"],
    ["instytucje", "dodaj", "Powiatowe Centrum Pomocy Rodzinie w Radomsku", "-g", "1012011",
     "-s", "rodzina", "--skrot", "PCPR"],
    ["osoby", "dodaj", "Jan Kowalski", "-i", "PCPR", "--email", "jan.kowalski@pcpr.example.org"],
    ["zespoly", "zaloz", "-g", "1012011", "-n", "PZK Radomsko", "-l", "MOPS"],
    ["deklaracje", "dodaj", "-i", "MOPS", "-g", "1012011", "-d", "2019-10-09",
     "--podpisal", "Jan Kowalski"],
    ["spotkania", "dodaj", "-g", "1012011", "-d", "2019-09-25", "-m", "Muzeum", "-r", "inicjujace",
     "--godzina", "10:00", "--opis", "Prowadzi Jan Kowalski (PCPR)."],
    ["spotkania", "zapros", "1", "-i", "MOPS", "-i", "PCPR"],
    ["spotkania", "obecnosc", "1", "PCPR", "--osoba", "Jan Kowalski"],
    ["uslugi", "dodaj", "Poradnictwo rodzinne", "-i", "PCPR", "-a", "wspieranie_rodziny",
     "--kontakt-osoba", "Jan Kowalski"],
]  # fmt: skip


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two institutions, a team, a meeting where Jan Kowalski of PCPR came (its description
    names him too), a declaration he signed and a service he is the contact for."""
    folder = tmp_path_factory.mktemp("small")
    path = folder / "maly.db"
    _invoke(path, folder / "kooperacje.toml", SMALL_DATA)
    return path


@pytest.mark.parametrize("args", BIG_ID_COMMANDS, ids=lambda a: " ".join(a).replace(BIG, "BIG"))
def test_a_huge_number_gives_a_polish_message(
    run: Run, small_db: Path, db_path: Path, args: list[str]
) -> None:
    shutil.copyfile(small_db, db_path)
    result = run(*args)
    assert result.exit_code in (1, 2), (result.stdout, result.stderr)
    assert "Błąd:" in result.stderr
    for leak in ("nieoczekiwany", "OverflowError", "Traceback", "Python int"):
        assert leak not in result.stderr, result.stderr


# ---- documents naming staff are private ----------------------------------------------------

PRIVATE_DOCUMENTS = {
    "lista-obecnosci": (["raport", "lista-obecnosci", "1", "-f", "html"], "lista.html"),
    "protokol": (["raport", "protokol", "1", "-f", "md"], "protokol.md"),
    "notatka": (["raport", "spotkanie", "1", "-f", "md"], "notatka.md"),
    "deklaracja": (["raport", "deklaracja", "-i", "PCPR", "-g", "1012011"], "deklaracja.html"),
    "ics": (["spotkania", "ics", "1"], "spotkanie.ics"),
}


@pytest.fixture
def umask() -> Iterator[None]:
    """The usual umask, so that a file left to it would be 0644."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("document", list(PRIVATE_DOCUMENTS))
def test_documents_naming_staff_are_written_private(
    run: Run, small_db: Path, db_path: Path, tmp_path: Path, umask: None, document: str
) -> None:
    shutil.copyfile(small_db, db_path)
    args, name = PRIVATE_DOCUMENTS[document]
    out = tmp_path / name
    result = run(*args, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "Kowalski" in out.read_text("utf-8"), "the premise: the document names staff"
    assert oct(out.stat().st_mode & 0o777) == oct(0o600)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_an_existing_public_document_naming_staff_becomes_private(
    run: Run, small_db: Path, db_path: Path, tmp_path: Path, umask: None
) -> None:
    shutil.copyfile(small_db, db_path)
    out = tmp_path / "lista.html"
    out.write_text("stara lista", "utf-8")
    out.chmod(0o644)
    result = run("raport", "lista-obecnosci", "1", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert oct(out.stat().st_mode & 0o777) == oct(0o600)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_site_pages_naming_staff_are_private(
    run: Run, small_db: Path, db_path: Path, tmp_path: Path, umask: None
) -> None:
    shutil.copyfile(small_db, db_path)
    site = tmp_path / "strona"
    result = run("raport", "strona", "-o", str(site))
    assert result.exit_code == 0, result.stderr
    naming = {
        str(p.relative_to(site)): oct(p.stat().st_mode & 0o777)
        for p in sorted(site.rglob("*"))
        if p.is_file() and "Kowalski" in p.read_text("utf-8")
    }
    assert naming, "the premise: some pages name staff"
    assert naming == {name: oct(0o600) for name in naming}
