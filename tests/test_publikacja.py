"""The public copy (`baza publiczna`) and publishing it with Datasette (`publikuj`)."""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kooperacje.cli import app
from kooperacje.reports import datasette_meta, publish
from kooperacje.reports.public_copy import PublicCopy
from tests.conftest import Result

Run = Callable[..., Result]
# Staff data added to the demo database; none of it may reach the public copy.
PERSONAL = (
    "Anna Nowak",
    "anna.nowak@mops.radomsko.pl",
    "+48 601 234 567",
    "Jan Wiśniewski",
    "jan.wisniewski@pcpr.radomsko.pl",
    "+48 602 345 678",
    "Ewa Zielińska",
)


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo-publikacja") / "demo"
    result = CliRunner().invoke(app, ["demo", "-o", str(folder)])
    assert result.exit_code == 0, result.stderr
    return folder / "demo.db"


def _ok(result: Result) -> Result:
    assert result.exit_code == 0, result.stderr
    return result


@pytest.fixture
def with_staff(run: Run, db_path: Path, demo_database: Path) -> Path:
    """The demo database with staff contacts wherever the tool records them."""
    shutil.copyfile(demo_database, db_path)
    _ok(run("osoby", "dodaj", "Anna Nowak", "--instytucja", "1",
            "--email", "anna.nowak@mops.radomsko.pl", "--telefon", "601 234 567"))  # fmt: skip
    _ok(run("spotkania", "obecnosc", "1", "1", "--osoba", "Anna Nowak"))
    _ok(run("uslugi", "edytuj", "1", "--kontakt-osoba", "Jan Wiśniewski",
            "--kontakt-telefon", "602 345 678",
            "--kontakt-email", "jan.wisniewski@pcpr.radomsko.pl",
            "--opis", "Prowadzi Anna Nowak, tel. 601 234 567."))  # fmt: skip
    _ok(run("uslugi", "zweryfikuj", "2", "--kto", "Ewa Zielińska"))
    _ok(run("deklaracje", "dodaj", "--instytucja", "3", "--gmina", "1012011",
            "--data", "2020-01-15", "--podpisal", "Ewa Zielińska"))  # fmt: skip
    return db_path


def _tables(path: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: [r[1] for r in conn.execute(f'PRAGMA table_info("{n}")')] for n in names}
    finally:
        conn.close()


def test_public_copy_holds_no_personal_data(run: Run, with_staff: Path, tmp_path: Path) -> None:
    before = with_staff.read_bytes()
    target = tmp_path / "publiczna.db"
    result = _ok(run("baza", "publiczna", str(target)))
    assert "Zapisano kopię publiczną" in result.stdout
    data = target.read_bytes()
    for value in PERSONAL:
        assert value.encode() not in data, value
    for digits in ("601234567", "601 234 567", "602 345 678", "nowak", "Nowak"):
        assert digits.encode() not in data, digits
    # The live database itself still has them (the copy changed nothing there).
    assert with_staff.read_bytes() == before
    tables = _tables(target)
    assert not {"osoby", "_zmiany", "_wymazania", "_kopie", "zzk", "zzk_osoby"} & set(tables)
    assert not any(t.startswith("_") for t in tables)
    assert "kontakt_osoba" not in tables["uslugi"]
    assert "zweryfikowal" not in tables["uslugi"]
    assert "podpisal" not in tables["deklaracje"]
    assert "osoba" not in tables["obecnosci"]
    conn = sqlite3.connect(target)
    try:
        assert conn.execute("PRAGMA freelist_count").fetchone() == (0,)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        opis = conn.execute("SELECT opis FROM uslugi WHERE id = 1").fetchone()[0]
        assert opis == "Prowadzi [dane usunięte], tel. [dane usunięte]."
        figures = dict(conn.execute("SELECT z.gmina, l.otwarte FROM zzk_liczby l "
                                    "JOIN zespoly z ON z.id = l.zespol").fetchall())  # fmt: skip
        assert conn.execute("SELECT count(*) FROM uslugi").fetchone() == (31,)
    finally:
        conn.close()
    # Task-team figures below 3 are never printed as numbers.
    assert figures["1012011"] == "5"
    assert figures["0410033"] == "mniej niż 3"


def test_public_copy_never_overwrites_a_database(
    run: Run, db_path: Path, demo_database: Path, tmp_path: Path
) -> None:
    shutil.copyfile(demo_database, db_path)
    before = db_path.read_bytes()
    result = run("baza", "publiczna", str(db_path))
    assert result.exit_code == 1
    assert "Błąd: " in result.stderr and "Nic nie zapisano" in result.stderr
    assert db_path.read_bytes() == before
    other = tmp_path / "inna.db"
    shutil.copyfile(demo_database, other)
    result = run("baza", "publiczna", str(other))
    assert result.exit_code == 1
    assert "nie zostanie nadpisany" in result.stderr
    assert other.read_bytes() == demo_database.read_bytes()


def test_an_earlier_public_copy_is_replaced(
    run: Run, db_path: Path, demo_database: Path, tmp_path: Path
) -> None:
    shutil.copyfile(demo_database, db_path)
    target = tmp_path / "publiczna.db"
    _ok(run("baza", "publiczna", str(target)))
    _ok(run("osoby", "dodaj", "Anna Nowak", "--instytucja", "1"))
    _ok(run("uslugi", "edytuj", "1", "--nazwa", "Praca socjalna (nowa nazwa)"))
    _ok(run("baza", "publiczna", str(target)))
    conn = sqlite3.connect(target)
    try:
        assert conn.execute("SELECT nazwa FROM uslugi WHERE id = 1").fetchone() == (
            "Praca socjalna (nowa nazwa)",
        )
    finally:
        conn.close()
    assert sorted(p.name for p in tmp_path.iterdir() if "publiczna" in p.name) == ["publiczna.db"]
    # The same in the directory of `publikuj --katalog`, run every night.
    for _ in range(2):
        _ok(run("publikuj", "--katalog", str(tmp_path / "strona")))


def test_every_public_table_and_column_is_described(
    run: Run, db_path: Path, demo_database: Path, tmp_path: Path
) -> None:
    shutil.copyfile(demo_database, db_path)
    _ok(run("publikuj", "--katalog", str(tmp_path / "strona")))
    meta = json.loads((tmp_path / "strona" / "metadata.json").read_text("utf-8"))
    tables = meta["databases"]["kooperacje-publiczna"]["tables"]
    for table, columns in _tables(tmp_path / "strona" / "kooperacje-publiczna.db").items():
        entry = tables[table]
        if entry.get("hidden"):
            assert table.startswith("szukaj_"), table
            continue
        assert entry["title"] and entry["description"]
        assert set(entry["columns"]) == set(columns), table
        assert entry.get("label_column") == ("nazwa" if "nazwa" in columns else None)
    assert tables["uslugi"]["fts_table"] == "szukaj_uslug"
    assert tables["instytucje"]["fts_pk"] == "id"


def test_missing_datasette_says_how_to_install(
    run: Run, db_path: Path, demo_database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copyfile(demo_database, db_path)
    monkeypatch.setitem(sys.modules, "datasette", None)  # import datasette -> ImportError
    result = run("publikuj", "--port", "8123")
    assert result.exit_code == 1
    assert "Datasette nie jest zainstalowany" in result.stderr
    assert "pip install 'kooperacje[publikacja]'" in result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(base: str, path: str, **params: str) -> Any:
    query = urllib.parse.urlencode({**params, "_shape": "array"})
    with urllib.request.urlopen(f"{base}{path}?{query}", timeout=30) as response:
        return json.load(response)


def _wait(base: str, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"Datasette ended with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/-/versions.json", timeout=5):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    raise AssertionError("Datasette did not start")


def test_datasette_serves_the_basket_and_search(
    run: Run, db_path: Path, demo_database: Path, tmp_path: Path
) -> None:
    pytest.importorskip("datasette")
    shutil.copyfile(demo_database, db_path)
    port = _free_port()
    _ok(run("publikuj", "--katalog", str(tmp_path / "strona"), "--port", str(port)))
    site = publish.Site(
        PublicCopy(tmp_path / "strona" / publish.DATABASE, 0, 0, 0),
        tmp_path / "strona" / publish.METADATA,
    )
    process = subprocess.Popen(
        publish.command(site, "127.0.0.1", port),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base, process)
        db = "/kooperacje-publiczna"
        basket = _get(base, f"{db}/koszyk_gminy.json", gmina="1012011")
        assert {row["gmina"] for row in basket} == {"1012011"}
        providers = {row["instytucja"] for row in basket}
        assert "Powiatowe Centrum Pomocy Rodzinie w Radomsku" in providers
        by_name = _get(base, f"{db}/koszyk_gminy.json", gmina="radomsko")
        assert {row["gmina"] for row in by_name} == {"1012011", "1012122"}
        # Search as a resident types it: with Polish letters and without.
        with_letters = _get(base, f"{db}/instytucje.json", _search="Łodzi")
        without = _get(base, f"{db}/instytucje.json", _search="lodzi")
        assert [r["id"] for r in with_letters] == [r["id"] for r in without] != []
        assert any("Łodzi" in r["nazwa"] for r in without)
        services = _get(base, f"{db}/uslugi.json", _search="rodzinne")
        assert services and all("uuid" in r for r in services)
        assert _get(base, f"{db}/uslugi.json", _search="niemaczegostakiego") == []
        seniors = _get(base, f"{db}/uslugi_dla_grupy.json", grupa="Seniorzy")
        assert seniors and {r["grupa"] for r in seniors} == {"seniorzy"}
        members = _get(base, f"{db}/zespoly_i_czlonkowie.json")
        assert {"zespol", "instytucja", "sektor"} <= set(members[0])
        hidden = json.load(urllib.request.urlopen(f"{base}{db}.json", timeout=30))
        assert {t["name"] for t in hidden["tables"] if t["hidden"]} >= {"szukaj_uslug"}
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_metadata_queries_name_their_parameters() -> None:
    meta = datasette_meta.metadata("x", {"uslugi": ["id", "nazwa"]})
    queries = meta["databases"]["x"]["queries"]
    assert ":gmina" in queries["koszyk_gminy"]["sql"]
    assert ":grupa" in queries["uslugi_dla_grupy"]["sql"]


def test_a_port_out_of_range_is_refused(run: Run, db_path: Path, demo_database: Path) -> None:
    shutil.copyfile(demo_database, db_path)
    result = run("publikuj", "--port", "70000")
    assert result.exit_code == 1
    assert "port 70000 jest poza zakresem" in result.stderr
