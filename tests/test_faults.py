"""Crashes, concurrent processes, a read-only database and a full disk: nothing is lost."""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import factories
from tests.conftest import Result, snapshot

Run = Callable[..., Result]


def _csv(path: Path, count: int, prefix: str = "Instytucja") -> Path:
    lines = ["Nazwa;Gmina;Sektor"] + [f"{prefix} {i};1012011;inne" for i in range(count)]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def _cli(
    db: Path, *args: str, preexec_fn: Callable[[], None] | None = None
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kooperacje", "--baza", str(db), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=preexec_fn,
    )


def _wait_for_write_lock(db: Path, process: subprocess.Popen[str]) -> None:
    """Return once another process holds the write lock (its transaction has begun)."""
    probe = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        while process.poll() is None:
            try:
                probe.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:
                return
            probe.execute("ROLLBACK")
            time.sleep(0.005)
    finally:
        probe.close()
    raise AssertionError(f"the process ended before its transaction was seen: {process.stderr}")


def _count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM instytucje").fetchone()[0])
    finally:
        conn.close()


def test_sigkill_in_the_middle_of_a_large_import(run: Run, db_path: Path, tmp_path: Path) -> None:
    conn = factories.connect(db_path)
    factories.institution(conn, "Stara instytucja")
    conn.close()
    big = _csv(tmp_path / "duzy.csv", 3000)
    process = _cli(db_path, "import", "instytucje", str(big))
    # Killed while its transaction holds the write lock: the rows are written in one
    # transaction that takes a fraction of a second, and its report is printed only after.
    _wait_for_write_lock(db_path, process)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    assert process.returncode == -signal.SIGKILL

    check = run("baza", "sprawdz")
    assert check.exit_code == 0, check.stdout + check.stderr
    assert _count(db_path) == 1
    # The next command finds the database usable, and the history holds no trace of it.
    assert run("instytucje", "dodaj", "Nowa", "-g", "1012011", "-s", "inne").exit_code == 0
    conn = sqlite3.connect(db_path)
    assert (
        conn.execute("SELECT count(*) FROM _zmiany WHERE nowa LIKE '%Instytucja %'").fetchone()[0]
        == 0
    )
    conn.close()


def test_writes_and_a_report_from_parallel_processes(db_path: Path, tmp_path: Path) -> None:
    factories.connect(db_path).close()
    # Large enough that the import's write transaction lasts long enough to be seen.
    batch = _csv(tmp_path / "partia.csv", 3000)
    importer = _cli(db_path, "import", "instytucje", str(batch))
    _wait_for_write_lock(db_path, importer)
    writer = _cli(db_path, "instytucje", "dodaj", "Osobna", "-g", "1012011", "-s", "inne")
    reader = _cli(db_path, "eksport", "instytucje", "-f", "json")
    outputs = [p.communicate(timeout=120) for p in (importer, writer, reader)]
    assert [p.returncode for p in (importer, writer, reader)] == [0, 0, 0], outputs
    assert _count(db_path) == 3001
    # The report saw one consistent state: before the import, or after it.
    import json

    seen = len(json.loads(outputs[2][0]))
    assert seen in (0, 1, 3000, 3001)


def _immutable(path: Path, on: bool) -> bool:
    flag = "+i" if on else "-i"
    try:
        done = subprocess.run(["chattr", flag, str(path)], capture_output=True, check=False)
    except FileNotFoundError:
        return False
    return done.returncode == 0


def test_a_read_only_database(db_path: Path, tmp_path: Path) -> None:
    db = tmp_path / "baza.db"
    conn = factories.connect(db)
    factories.institution(conn, "Jedyna")
    conn.close()
    before = snapshot(db)
    if os.geteuid() == 0:
        # root writes through permissions; an immutable file it cannot write.
        if not _immutable(db, True):
            pytest.skip("no way to make a file read-only for root here (chattr)")
    else:
        db.chmod(0o444)
    try:
        process = _cli(db, "instytucje", "dodaj", "Druga", "-g", "1012011", "-s", "inne")
        out, err = process.communicate(timeout=60)
    finally:
        if os.geteuid() == 0:
            _immutable(db, False)
        db.chmod(0o600)
    assert process.returncode == 1, (out, err)
    assert err.startswith("Błąd: ")
    assert "tylko do odczytu" in err
    assert "Traceback" not in err
    assert snapshot(db) == before


def _limit_file_size() -> None:
    # A full disk, as a process sees it: writes past 64 KiB fail (EFBIG) instead of killing it.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="no file-size limits here")
def test_a_full_disk_writes_nothing(run: Run, db_path: Path, tmp_path: Path) -> None:
    conn = factories.connect(db_path)
    factories.institution(conn, "Stara instytucja")
    conn.close()
    before = snapshot(db_path)
    batch = _csv(tmp_path / "partia.csv", 400)
    process = _cli(db_path, "import", "instytucje", str(batch), preexec_fn=_limit_file_size)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 1, (out, err)
    assert err.startswith("Błąd: zapis na dysk nie powiódł się"), err
    assert "Traceback" not in err
    assert snapshot(db_path) == before
    assert run("baza", "sprawdz").exit_code == 0
