"""No output may destroy the database or the user's files (issue 11).

Every `-o`/`--odrzucone` is aimed at the live database, its `-wal`/`-shm`, a backup and
another program's SQLite file; exports must replace an existing file atomically; the report
site owns only what it wrote; `demo -o` never replaces a database it did not create.
Everything is driven through the CLI; files are compared byte for byte.
"""

from __future__ import annotations

import hashlib
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kooperacje.cli import app
from tests.conftest import Result, snapshot

Run = Callable[..., Result]

PCPR = "Powiatowe Centrum Pomocy Rodzinie w Radomsku"
MOPS = "Miejski Ośrodek Pomocy Społecznej w Radomsku"


def _build(path: Path, config: Path) -> None:
    """Two institutions, a person, a team, two declarations, a meeting with attendance
    and a service, all entered through the CLI."""
    runner = CliRunner()
    commands = [
        ["instytucje", "dodaj", MOPS, "-g", "1012011", "-s", "pomoc_spoleczna", "--skrot", "MOPS"],
        ["instytucje", "dodaj", PCPR, "-g", "1012011", "-s", "rodzina", "--skrot", "PCPR",
         "--telefon", "44 683 36 25"],
        ["osoby", "dodaj", "Jan Kowalski", "-i", "PCPR", "--email", "jan.kowalski@pcpr.example",
         "--telefon", "600 200 300"],
        ["zespoly", "zaloz", "-g", "1012011", "-n", "PZK Radomsko", "-l", "MOPS",
         "-d", "2019-09-25"],
        ["deklaracje", "dodaj", "-i", "PCPR", "-g", "1012011", "-d", "2019-10-09",
         "--podpisal", "Jan Kowalski"],
        ["deklaracje", "dodaj", "-i", "MOPS", "-g", "1012011", "-d", "2019-10-09"],
        ["spotkania", "dodaj", "-g", "1012011", "-d", "2019-09-25", "-m", "Muzeum Regionalne",
         "-r", "inicjujace", "--godzina", "10:00"],
        ["spotkania", "obecnosc", "1", "PCPR", "--osoba", "Jan Kowalski"],
        ["spotkania", "obecnosc", "1", "MOPS"],
        ["uslugi", "dodaj", "Poradnictwo rodzinne", "-i", "PCPR", "-a", "wspieranie_rodziny",
         "--zasieg", "powiat", "--kontakt-osoba", "Jan Kowalski"],
    ]  # fmt: skip
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


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("safe-outputs")
    path = folder / "base.db"
    _build(path, folder / "kooperacje.toml")
    return path


@pytest.fixture(autouse=True)
def live(base: Path, db_path: Path) -> Path:
    """Each test starts from a copy of the base database at KOOPERACJE_BAZA."""
    shutil.copyfile(base, db_path)
    return db_path


def _tables(path: Path) -> dict[str, str] | str:
    """A digest of every table's rows (short to compare and to show), or why the file can
    no longer be read as a database."""
    try:
        rows = snapshot(path)
    except sqlite3.DatabaseError as exc:
        return f"not a database any more: {exc}"
    return {
        name: hashlib.sha256(repr(value).encode()).hexdigest()[:16] for name, value in rows.items()
    }


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.close()


def _refused(result: Result) -> None:
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    assert "Błąd:" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def _rejects_csv(tmp_path: Path) -> Path:
    """A file whose only row is rejected, so an import changes nothing but the rejects file."""
    path = tmp_path / "zle.csv"
    path.write_text("Nazwa;Gmina;Sektor\nZła instytucja;9999999;inne\n", "utf-8")
    return path


def _services_rejects_csv(tmp_path: Path) -> Path:
    path = tmp_path / "zle-uslugi.csv"
    path.write_text("Instytucja;Nazwa;Obszar\nNie ma takiej;Usługa;kultura\n", "utf-8")
    return path


# {o} is the output path under test; {csv} / {uslugi} an import file with rejected rows only.
WRITERS = {
    "eksport-csv": ["eksport", "instytucje", "-o", "{o}"],
    "eksport-json": ["eksport", "osoby", "-f", "json", "-o", "{o}"],
    "eksport-xlsx": ["eksport", "uslugi", "-f", "xlsx", "-o", "{o}"],
    "osoby-eksportuj": ["osoby", "eksportuj", "1", "-o", "{o}"],
    "spotkania-ics": ["spotkania", "ics", "1", "-o", "{o}"],
    "raport-zespol": ["raport", "zespol", "-g", "1012011", "-f", "md", "-o", "{o}"],
    "raport-spotkanie": ["raport", "spotkanie", "1", "-f", "md", "-o", "{o}"],
    "raport-koszyk": ["raport", "koszyk", "-g", "1012011", "-f", "html", "-o", "{o}"],
    "raport-lista-obecnosci": ["raport", "lista-obecnosci", "1", "-f", "html", "-o", "{o}"],
    "raport-deklaracja": [
        "raport", "deklaracja", "-i", "MOPS", "-g", "1012011", "-f", "md", "-o", "{o}",
    ],
    "raport-protokol": ["raport", "protokol", "1", "-f", "md", "-o", "{o}"],
    "raport-zbiorczy": ["raport", "zbiorczy", "-f", "csv", "-o", "{o}"],
    "import-instytucje-odrzucone": [
        "import", "instytucje", "{csv}", "--pomin-bledne", "--odrzucone", "{o}",
    ],
    "import-uslugi-odrzucone": [
        "import", "uslugi", "{uslugi}", "--pomin-bledne", "--odrzucone", "{o}",
    ],
}  # fmt: skip


def _args(template: list[str], out: Path, tmp_path: Path) -> list[str]:
    values = {
        "{o}": str(out),
        "{csv}": str(_rejects_csv(tmp_path)),
        "{uslugi}": str(_services_rejects_csv(tmp_path)),
    }
    return [values.get(arg, arg) for arg in template]


@pytest.mark.parametrize("writer", list(WRITERS))
def test_output_onto_the_live_database_is_refused(
    run: Run, live: Path, tmp_path: Path, writer: str
) -> None:
    before = _tables(live)
    result = run(*_args(WRITERS[writer], live, tmp_path))
    _refused(result)
    assert live.read_bytes().startswith(b"SQLite format 3\x00")
    assert _tables(live) == before
    assert _integrity(live) == "ok"


@pytest.mark.parametrize("writer", list(WRITERS))
def test_output_onto_another_sqlite_file_is_refused(run: Run, tmp_path: Path, writer: str) -> None:
    """Another program's database (here: an address book) is never overwritten."""
    other = tmp_path / "adresy.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE kontakty (nazwisko TEXT, telefon TEXT)")
    conn.execute("INSERT INTO kontakty VALUES ('Nowak', '600 000 000')")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    result = run(*_args(WRITERS[writer], other, tmp_path))
    _refused(result)
    assert other.read_bytes() == before


@pytest.mark.parametrize("writer", ["eksport-csv", "raport-protokol", "spotkania-ics"])
def test_output_onto_a_backup_is_refused(run: Run, tmp_path: Path, writer: str) -> None:
    backup = tmp_path / "kopia.db"
    assert run("baza", "kopia", str(backup)).exit_code == 0
    before = backup.read_bytes()
    result = run(*_args(WRITERS[writer], backup, tmp_path))
    _refused(result)
    assert backup.read_bytes() == before


@pytest.mark.parametrize("spelling", ["dotdot", "symlink"])
@pytest.mark.parametrize("writer", ["eksport-csv", "raport-zespol", "osoby-eksportuj"])
def test_output_onto_the_live_database_by_another_name_is_refused(
    run: Run, live: Path, tmp_path: Path, writer: str, spelling: str
) -> None:
    if spelling == "dotdot":
        (tmp_path / "podkatalog").mkdir()
        out = tmp_path / "podkatalog" / ".." / live.name
    else:
        out = tmp_path / "skrot.db"
        out.symlink_to(live)
    before = _tables(live)
    result = run(*_args(WRITERS[writer], out, tmp_path))
    _refused(result)
    assert _tables(live) == before


_READER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN")
conn.execute("SELECT count(*) FROM instytucje").fetchall()
print("ready", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
conn.close()
"""


@pytest.mark.parametrize("suffix", ["-wal", "-shm"])
@pytest.mark.parametrize("writer", ["eksport-csv", "import-instytucje-odrzucone"])
def test_output_onto_the_journal_files_is_refused(
    run: Run, live: Path, tmp_path: Path, writer: str, suffix: str
) -> None:
    """A change committed to the WAL but not yet checkpointed (another process is reading)
    must survive an output aimed at the live database's -wal or -shm file.

    The reader and the writer run in their own processes: a clobbered -shm is memory-mapped
    and could bring down whoever touches it."""
    reader = subprocess.Popen(
        [sys.executable, "-c", _READER, str(live)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None
        assert reader.stdout.readline().strip() == "ready"
        added = run("instytucje", "dodaj", "Nowa Fundacja", "-g", "1012011", "-s", "ngo")
        assert added.exit_code == 0, added.stderr
        companion = live.with_name(live.name + suffix)
        assert companion.exists() and companion.stat().st_size > 0
        proc = subprocess.run(
            [
                *(sys.executable, "-m", "kooperacje", "--baza", str(live)),
                *_args(WRITERS[writer], companion, tmp_path),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        reader.communicate("\n", timeout=30)
    _refused(Result(proc.returncode, proc.stdout, proc.stderr))
    assert _integrity(live) == "ok"
    conn = sqlite3.connect(live)
    try:
        names = [r[0] for r in conn.execute("SELECT nazwa FROM instytucje ORDER BY id")]
    finally:
        conn.close()
    assert names == [MOPS, PCPR, "Nowa Fundacja"]


def test_hsds_into_the_database_directory_leaves_the_database(
    run: Run, live: Path, tmp_path: Path
) -> None:
    """HSDS writes a directory of CSVs. Aimed at the folder that holds the database, where
    one of its file names is a link to the database, it must leave the database alone."""
    folder = tmp_path / "dane"
    folder.mkdir()
    db = folder / "kooperacje.db"
    shutil.copyfile(live, db)
    (folder / "organizations.csv").symlink_to(db)
    notes = folder / "notatki.txt"
    notes.write_bytes(b"ustalenia z posiedzenia\n")
    before = _tables(db)
    run("--baza", str(db), "eksport", "hsds", "-g", "1012011", "-o", str(folder))
    assert _integrity(db) == "ok"
    assert _tables(db) == before
    assert notes.read_bytes() == b"ustalenia z posiedzenia\n"


# ---- eksport over an existing file: atomic -------------------------------------------------


def _limit_file_size() -> None:
    # A full disk as one process sees it: writes past 64 KiB fail (EFBIG) instead of killing it.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


@pytest.fixture(scope="module")
def big(base: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The base database plus 80 institutions with long, hardly compressible notes, so that
    every export format is larger than the 64 KiB the full-disk test allows."""
    folder = tmp_path_factory.mktemp("safe-outputs-big")
    path = folder / "big.db"
    shutil.copyfile(base, path)
    rng = random.Random(11)
    rows = ["Nazwa;Gmina;Sektor;Uwagi"] + [
        f"Instytucja numer {i};1012011;inne;{rng.randbytes(900).hex()}" for i in range(80)
    ]
    batch = folder / "partia.csv"
    batch.write_text("\n".join(rows) + "\n", "utf-8")
    result = CliRunner().invoke(
        app,
        ["--baza", str(path), "import", "instytucje", str(batch)],
        env={"KOOPERACJE_KONFIGURACJA": str(folder / "kooperacje.toml")},
    )
    assert result.exit_code == 0, result.stderr
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return path


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="no file-size limits here")
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_eksport_over_an_existing_file_on_a_full_disk_keeps_the_old_file(
    big: Path, live: Path, tmp_path: Path, fmt: str
) -> None:
    shutil.copyfile(big, live)
    folder = tmp_path / "eksporty"
    folder.mkdir()
    target = folder / f"instytucje.{fmt}"
    old = b"poprzedni eksport, ktory ma przetrwac\r\n" * 10
    target.write_bytes(old)
    proc = subprocess.run(
        [
            *(sys.executable, "-m", "kooperacje", "--baza", str(live)),
            *("eksport", "instytucje", "-f", fmt, "-o", str(target)),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limit_file_size,
        check=False,
    )
    # The old file whole, no partial file or temporary file left beside it.
    assert target.read_bytes() == old, proc.stderr
    assert sorted(p.name for p in folder.iterdir()) == [target.name]
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    assert "Błąd:" in proc.stderr
    assert "Traceback" not in proc.stderr
    for english in ("File too large", "No space left", "Errno"):
        assert english not in proc.stderr, proc.stderr


def test_eksport_is_larger_than_the_full_disk_limit(run: Run, big: Path, live: Path) -> None:
    """The premise of the full-disk test: each export really exceeds 64 KiB."""
    shutil.copyfile(big, live)
    result = run("eksport", "instytucje", "-f", "csv")
    assert result.exit_code == 0
    assert len(result.stdout.encode()) > 128 * 1024


# ---- the report site owns only what it wrote -------------------------------------------


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def _own_files(site: Path) -> dict[str, bytes]:
    """What a user keeps beside the generated pages: a git repository, robots.txt, CNAME."""
    (site / ".git").mkdir()
    (site / ".git" / "HEAD").write_bytes(b"ref: refs/heads/main\n")
    (site / ".git" / "config").write_bytes(b"[core]\n\trepositoryformatversion = 0\n")
    (site / "robots.txt").write_bytes(b"User-agent: *\nDisallow: /spotkania/\n")
    (site / "CNAME").write_bytes(b"raporty.pzk.example\n")
    return {
        ".git/HEAD": (site / ".git" / "HEAD").read_bytes(),
        ".git/config": (site / ".git" / "config").read_bytes(),
        "robots.txt": (site / "robots.txt").read_bytes(),
        "CNAME": (site / "CNAME").read_bytes(),
    }


def test_site_rerun_keeps_the_users_files(run: Run, tmp_path: Path) -> None:
    site = tmp_path / "strona"
    assert run("raport", "strona", "-o", str(site)).exit_code == 0
    own = _own_files(site)
    # A change in the data, so the second run has something to replace.
    assert run("spotkania", "edytuj", "1", "--tytul", "Spotkanie inicjujące PZK").exit_code == 0
    result = run("raport", "strona", "-o", str(site))
    assert result.exit_code == 0, result.stderr
    after = _files(site)
    for name, data in own.items():
        assert after.get(name) == data, name
    assert "Spotkanie inicjujące PZK" in (site / "index.html").read_text("utf-8") + "".join(
        p.read_text("utf-8") for p in site.rglob("*.html")
    )


def test_site_refuses_a_directory_holding_the_database_and_its_backups(
    run: Run, live: Path, tmp_path: Path
) -> None:
    site = tmp_path / "strona"
    assert run("raport", "strona", "-o", str(site)).exit_code == 0
    # The coordinator keeps the database and its backups in the published folder.
    db = site / "kooperacje.db"
    shutil.copyfile(live, db)
    assert run("--baza", str(db), "baza", "kopia", str(site / "kopia-1.db")).exit_code == 0
    assert run("--baza", str(db), "baza", "kopia").exit_code == 0
    before = _files(site)
    assert sum(name.endswith(".db") for name in before) == 3
    result = run("--baza", str(db), "raport", "strona", "-o", str(site))
    _refused(result)
    assert _files(site) == before


def test_site_through_a_symlink_keeps_the_symlink(run: Run, tmp_path: Path) -> None:
    real = tmp_path / "www-wersje" / "raporty"
    real.parent.mkdir()
    assert run("raport", "strona", "-o", str(real)).exit_code == 0
    link = tmp_path / "raporty"
    link.symlink_to(real, target_is_directory=True)
    result = run("raport", "strona", "-o", str(link))
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert (real / "index.html").is_file()


# ---- demo -o never replaces what it did not create ---------------------------------------


def test_demo_refuses_a_directory_holding_the_users_own_demo_db(
    run: Run, live: Path, tmp_path: Path
) -> None:
    """The user's own database happens to be called demo.db, in the folder given to -o."""
    folder = tmp_path / "pzk"
    folder.mkdir()
    own = folder / "demo.db"
    shutil.copyfile(live, own)
    before = own.read_bytes()
    result = run("--baza", str(own), "demo", "-o", str(folder))
    _refused(result)
    assert own.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["demo.db"]


def test_demo_refuses_a_directory_holding_another_database_named_demo_db(
    run: Run, live: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "pzk"
    folder.mkdir()
    other = folder / "demo.db"
    shutil.copyfile(live, other)
    before = other.read_bytes()
    result = run("demo", "-o", str(folder))
    _refused(result)
    assert other.read_bytes() == before


def test_demo_refuses_a_directory_with_other_files(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "dokumenty"
    folder.mkdir()
    (folder / "index.html").write_bytes(b"<h1>Moja strona</h1>\n")
    (folder / "notatki.md").write_bytes(b"# Notatki z posiedzenia\n")
    before = _files(folder)
    result = run("demo", "-o", str(folder))
    _refused(result)
    assert _files(folder) == before
