"""Every command that writes a file: never over the database or any SQLite file, never
half a file, private when it names staff, Polish messages when the disk says no."""

from __future__ import annotations

import errno
import os
import resource
import signal
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests import factories
from tests.conftest import Result, snapshot

Run = Callable[..., Result]

# Each command that writes one file, with TARGET where its path goes, and whether the file
# names staff (then only its owner may read it).
WRITERS: dict[str, tuple[tuple[str, ...], bool]] = {
    "eksport csv": (("eksport", "instytucje", "-o", "TARGET"), True),
    "eksport json": (("eksport", "osoby", "-f", "json", "-o", "TARGET"), True),
    "eksport xlsx": (("eksport", "uslugi", "-f", "xlsx", "-o", "TARGET"), True),
    "raport zespol": (("raport", "zespol", "-g", "1012011", "-f", "md", "-o", "TARGET"), True),
    "raport spotkanie": (("raport", "spotkanie", "1", "-f", "html", "-o", "TARGET"), True),
    "raport koszyk": (("raport", "koszyk", "-g", "1012011", "-f", "md", "-o", "TARGET"), True),
    "raport lista": (("raport", "lista-obecnosci", "1", "-f", "html", "-o", "TARGET"), True),
    "raport protokol": (("raport", "protokol", "1", "-f", "md", "-o", "TARGET"), True),
    "raport deklaracja": (
        ("raport", "deklaracja", "-i", "1", "-g", "1012011", "-f", "md", "-o", "TARGET"),
        True,
    ),
    "raport zbiorczy": (("raport", "zbiorczy", "-f", "csv", "-o", "TARGET"), False),
    "spotkania ics": (("spotkania", "ics", "1", "-o", "TARGET"), True),
    "osoby eksportuj": (("osoby", "eksportuj", "1", "-o", "TARGET"), True),
    "import odrzucone": (
        ("import", "instytucje", "IMPORT", "--pomin-bledne", "--odrzucone", "TARGET"),
        True,
    ),
    "baza kopia": (("baza", "kopia", "TARGET"), True),
}


@pytest.fixture
def database(db_path: Path, tmp_path: Path) -> Path:
    conn = factories.connect(db_path)
    mops = factories.institution(conn, "MOPS w Radomsku", skrot="MOPS", telefon="+48 44 683 25 52")
    anna = factories.person(conn, mops, "Anna Nowak", email="a.nowak@mops.pl")
    team = factories.team(conn)
    meeting = factories.meeting(conn, team, "2019-09-25", "Muzeum Regionalne", godzina="10:00")
    factories.attendance(conn, meeting, mops, anna)
    factories.declaration(conn, team, mops, "2019-09-25", podpisal="Anna Nowak")
    factories.service(conn, mops, "Praca socjalna", "pomoc_spoleczna", kontakt_osoba="Anna Nowak")
    # Everything in the main file: a command that only reads leaves it byte for byte.
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    (tmp_path / "import.csv").write_text(
        "Nazwa;Gmina;Sektor\nNowa instytucja;1012011;inne\nZła;9999999;inne\n", "utf-8"
    )
    return db_path


def _args(name: str, target: Path, tmp_path: Path) -> list[str]:
    args, _ = WRITERS[name]
    replace = {"TARGET": str(target), "IMPORT": str(tmp_path / "import.csv")}
    return [replace.get(arg, arg) for arg in args]


def _state(db: Path) -> tuple[bytes, bytes | None, dict[str, list[tuple[object, ...]]]]:
    wal = Path(f"{db}-wal")
    return db.read_bytes(), wal.read_bytes() if wal.exists() else None, snapshot(db)


def _refused(result: Result, *fragments: str) -> None:
    assert result.exit_code == 1, result
    assert result.stderr.startswith("Błąd: "), result.stderr
    assert "Traceback" not in result.stderr
    assert "nieoczekiwany" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.fixture
def other_process(database: Path) -> Iterator[sqlite3.Connection]:
    """Another process at work: it has written to the database, so -wal and -shm exist."""
    conn = sqlite3.connect(database, isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("UPDATE instytucje SET uwagi = 'w toku' WHERE id = 1")
    assert Path(f"{database}-wal").exists() and Path(f"{database}-shm").exists()
    yield conn
    conn.close()


@pytest.mark.parametrize("name", WRITERS)
def test_the_database_in_use_is_never_a_target(
    run: Run, database: Path, tmp_path: Path, name: str
) -> None:
    before = _state(database)
    result = run(*_args(name, database, tmp_path))
    assert result.exit_code == 1, result
    assert result.stderr.startswith("Błąd: ")
    assert _state(database) == before
    assert _hidden(tmp_path) == []


def _companion(path: Path) -> tuple[int, int, bytes | None] | None:
    """The file's identity and size, and its bytes for the log (readers of the database
    change marks in the -shm file, so its bytes are not compared)."""
    if not path.exists():
        return None
    info = path.stat()
    return info.st_ino, info.st_size, path.read_bytes() if path.name.endswith("-wal") else None


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
@pytest.mark.parametrize("name", WRITERS)
def test_the_companion_files_of_the_database_are_never_a_target(
    run: Run,
    database: Path,
    other_process: sqlite3.Connection,
    tmp_path: Path,
    name: str,
    suffix: str,
) -> None:
    companion = Path(f"{database}{suffix}")
    before = _companion(companion), snapshot(database)
    result = run(*_args(name, companion, tmp_path))
    _refused(result)
    if name != "baza kopia":  # that one refuses any existing file before looking further
        assert "z której korzysta program" in result.stderr
    assert (_companion(companion), snapshot(database)) == before
    # The other process still sees its own work.
    assert other_process.execute("SELECT uwagi FROM instytucje WHERE id = 1").fetchone() == (
        "w toku",
    )


@pytest.mark.parametrize("link", ["symlink", "hardlink"])
@pytest.mark.parametrize("name", WRITERS)
def test_another_name_of_the_database_is_never_a_target(
    run: Run, database: Path, tmp_path: Path, name: str, link: str
) -> None:
    alias = tmp_path / "inna-nazwa.csv"
    if link == "symlink":
        alias.symlink_to(database)
    else:
        os.link(database, alias)
    before = _state(database)
    result = run(*_args(name, alias, tmp_path))
    _refused(result)
    assert _state(database) == before
    assert alias.is_symlink() == (link == "symlink")
    assert _hidden(tmp_path) == []


@pytest.mark.parametrize("name", WRITERS)
def test_any_other_sqlite_file_is_never_a_target(
    run: Run, database: Path, tmp_path: Path, name: str
) -> None:
    other = tmp_path / "archiwum.csv"  # a database, whatever its name says
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES ('ważne')")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    result = run(*_args(name, other, tmp_path))
    _refused(result)
    assert other.read_bytes() == before
    assert _hidden(tmp_path) == []


@pytest.mark.parametrize("name", WRITERS)
def test_a_directory_is_never_a_target(run: Run, database: Path, tmp_path: Path, name: str) -> None:
    folder = tmp_path / "raporty"
    folder.mkdir()
    (folder / "moje.txt").write_text("moje", "utf-8")
    result = run(*_args(name, folder, tmp_path))
    _refused(result)
    assert [p.name for p in folder.iterdir()] == ["moje.txt"]


@pytest.mark.parametrize("name", WRITERS)
def test_a_file_is_written_whole_and_private_when_it_names_staff(
    run: Run, database: Path, tmp_path: Path, name: str
) -> None:
    target = tmp_path / "wynik" / "plik.out"
    old_umask = os.umask(0o022)
    try:
        result = run(*_args(name, target, tmp_path))
    finally:
        os.umask(old_umask)
    assert result.exit_code == 0, result
    assert target.stat().st_size > 0
    _, personal = WRITERS[name]
    assert stat.S_IMODE(target.stat().st_mode) == (0o600 if personal else 0o644)
    assert [p.name for p in target.parent.iterdir()] == ["plik.out"]


@pytest.mark.parametrize("name", [n for n in WRITERS if n != "baza kopia"])
def test_an_existing_file_is_replaced_through_its_link(
    run: Run, database: Path, tmp_path: Path, name: str
) -> None:
    real = tmp_path / "prawdziwy.out"
    real.write_text("stary", "utf-8")
    link = tmp_path / "skrot.out"
    link.symlink_to(real)
    result = run(*_args(name, link, tmp_path))
    assert result.exit_code == 0, result
    assert link.is_symlink()
    assert real.read_bytes() != b"stary"
    assert _hidden(tmp_path) == []


def test_the_rejects_file_is_never_the_imported_file(
    run: Run, database: Path, tmp_path: Path
) -> None:
    source = tmp_path / "import.csv"
    before, data = snapshot(database), source.read_bytes()
    result = run("import", "instytucje", str(source), "--pomin-bledne", "--odrzucone", str(source))
    _refused(result, "sam importowany plik", "Nic nie zaimportowano")
    assert source.read_bytes() == data
    assert snapshot(database) == before


def test_a_refused_rejects_file_imports_nothing(run: Run, database: Path, tmp_path: Path) -> None:
    before = snapshot(database)
    result = run(
        "import", "instytucje", str(tmp_path / "import.csv"), "--pomin-bledne",
        "--odrzucone", str(database),
    )  # fmt: skip
    _refused(result, "z której korzysta program")
    assert snapshot(database) == before


def _no_english(text: str) -> None:
    for english in ("No space", "Read-only", "Permission denied", "Errno", "disk is full"):
        assert english not in text


@pytest.mark.parametrize("name", [n for n in WRITERS if n != "baza kopia"])
def test_a_full_disk_keeps_the_old_file(
    run: Run, database: Path, tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "wynik.out"
    target.write_text("poprzednia wersja", "utf-8")

    def full(fd: int, data: bytes) -> None:
        os.write(fd, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("kooperacje.files.write_all", full)
    result = run(*_args(name, target, tmp_path))
    _refused(result, "brak miejsca na dysku", str(target))
    _no_english(result.stderr)
    assert target.read_text("utf-8") == "poprzednia wersja"
    assert _hidden(tmp_path) == []


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO])
def test_a_read_only_medium_keeps_the_old_file(
    run: Run, database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    target = tmp_path / "instytucje.csv"
    target.write_text("poprzednia wersja", "utf-8")
    replace = os.replace

    def refuse(src: str, dst: str) -> None:
        if Path(dst) == target:
            raise OSError(code, os.strerror(code), str(dst))
        replace(src, dst)

    monkeypatch.setattr(os, "replace", refuse)
    result = run("eksport", "instytucje", "-o", str(target))
    _refused(result, str(target))
    _no_english(result.stderr)
    assert os.strerror(code) not in result.stderr
    assert target.read_text("utf-8") == "poprzednia wersja"
    assert _hidden(tmp_path) == []


def _limit_file_size() -> None:
    # A full disk, as a process sees it: writes past 64 KiB fail (EFBIG) instead of killing it.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="no file-size limits here")
@pytest.mark.parametrize(
    "args", [("eksport", "instytucje", "-o", "TARGET"), ("baza", "kopia", "TARGET")]
)
def test_a_real_full_disk_in_a_real_process(
    database: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    conn = sqlite3.connect(database)
    conn.executemany(
        "INSERT INTO instytucje (uuid, nazwa, gmina, sektor, utworzono, zmieniono) "
        "VALUES (?, ?, '1012011', 'inne', 't', 't')",
        [(f"u{i}", f"Instytucja numer {i} " + "x" * 200) for i in range(400)],
    )
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = database.read_bytes()
    target = tmp_path / "wynik.out"
    if args[0] == "eksport":
        target.write_text("poprzednia wersja", "utf-8")
    command = [str(tmp_path / "wynik.out") if a == "TARGET" else a for a in args]
    proc = subprocess.run(
        [sys.executable, "-m", "kooperacje", "--baza", str(database), *command],
        capture_output=True,
        text=True,
        preexec_fn=_limit_file_size,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1, proc
    assert proc.stderr.startswith("Błąd: "), proc.stderr
    assert "Traceback" not in proc.stderr
    _no_english(proc.stderr)
    assert database.read_bytes() == before
    if args[0] == "eksport":
        assert target.read_text("utf-8") == "poprzednia wersja"
    else:
        assert not target.exists()
    assert _hidden(tmp_path) == []


def test_written_files_reach_the_disk_once_for_all_or_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kooperacje import files

    pages = [tmp_path / f"strona-{n}.html" for n in range(3)]
    for page in pages:
        page.write_text("<p>x</p>", encoding="utf-8")
    synced: list[object] = []
    flushed: list[Path] = []
    monkeypatch.setattr(files, "_sync", flushed.append)
    if hasattr(os, "sync"):
        monkeypatch.setattr(os, "sync", lambda: synced.append("sync"))
        files.flush_to_disk(iter(pages))
        assert (synced, flushed) == (["sync"], [])
        files.flush_to_disk([])  # nothing written: no sync at all
        assert synced == ["sync"]
        monkeypatch.delattr(os, "sync")
    # A system without a global sync (Windows): each file on its own.
    files.flush_to_disk(iter(pages))
    assert flushed == pages
