"""Windows has no fcntl and no os.fchmod: the site, backups and exports work without them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests import factories, site_sample
from tests.conftest import Result

Run = Callable[..., Result]
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def without_posix(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """fcntl and os.fchmod gone, and filelock loaded afresh (it picks its lock by them)."""
    monkeypatch.setitem(sys.modules, "fcntl", None)
    for name in [n for n in sys.modules if n == "filelock" or n.startswith("filelock.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.delattr(os, "fchmod", raising=False)
    yield
    for name in [n for n in sys.modules if n == "filelock" or n.startswith("filelock.")]:
        del sys.modules[name]


@pytest.fixture
def database(db_path: Path) -> Path:
    site_sample.build(db_path)
    conn = factories.connect(db_path)
    factories.person(conn, 1, "Anna Nowak", telefon="+48 600 100 200")
    conn.close()
    return db_path


# Without fcntl (and off Windows) filelock falls back to a lock file, and says so.
@pytest.mark.filterwarnings("ignore:only soft file lock is available")
def test_site_backups_and_exports_without_fcntl(
    run: Run, database: Path, tmp_path: Path, without_posix: None
) -> None:
    from kooperacje.reports import site_directory as site

    out = tmp_path / "strona"
    for _ in range(2):
        result = run("raport", "strona", "-o", str(out), "--do", "2020-12-31")
        assert result.exit_code == 0, result.stderr
    assert (out / "index.html").is_file()
    with site.locked(out):
        busy = run("raport", "strona", "-o", str(out))
        assert busy.exit_code == 1
        assert "jest właśnie tworzona" in busy.stderr
    import filelock

    assert filelock.FileLock.__name__ == "SoftFileLock"  # the proof that fcntl was not used

    written = {
        "kopia.db": ("baza", "kopia", "TARGET"),
        "instytucje.csv": ("eksport", "instytucje", "-o", "TARGET"),
        "uslugi.xlsx": ("eksport", "uslugi", "-f", "xlsx", "-o", "TARGET"),
        "osoby.json": ("eksport", "osoby", "-f", "json", "-o", "TARGET"),
        "zespol.html": ("raport", "zespol", "-g", "1012011", "-o", "TARGET"),
        "zbiorczy.csv": ("raport", "zbiorczy", "-o", "TARGET"),
        "spotkanie.ics": ("spotkania", "ics", "1", "-o", "TARGET"),
        "anna.json": ("osoby", "eksportuj", "Anna Nowak", "-o", "TARGET"),
    }
    for name, args in written.items():
        target = tmp_path / "pliki" / name
        result = run(*[str(target) if a == "TARGET" else a for a in args])
        assert result.exit_code == 0, (name, result.stderr)
        assert target.stat().st_size > 0
    assert sorted(os.listdir(tmp_path / "pliki")) == sorted(written)
    demo = run("demo", "-o", str(tmp_path / "demo"))
    assert demo.exit_code == 0, demo.stderr


def test_a_fresh_process_without_fcntl(database: Path, tmp_path: Path) -> None:
    """Nothing the program loads at start needs fcntl (as on Windows)."""
    out = tmp_path / "strona"
    probe = (
        "import sys, os\n"
        "sys.modules['fcntl'] = None\n"
        "if hasattr(os, 'fchmod'): del os.fchmod\n"
        "from kooperacje.__main__ import main\n"
        "sys.argv = ['kooperacje'] + sys.argv[1:]\n"
        "main()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for args in (
        ("raport", "strona", "-o", str(out)),
        ("baza", "kopia", str(tmp_path / "kopia.db")),
        ("eksport", "instytucje", "-o", str(tmp_path / "i.csv")),
    ):
        proc = subprocess.run(
            [sys.executable, "-c", probe, "--baza", str(database), *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert proc.returncode == 0, (args, proc.stderr)
    manifest = json.loads((out / ".kooperacje-strona.json").read_text("utf-8"))
    assert "index.html" in manifest["pliki"]


def test_every_module_loads_as_on_windows() -> None:
    """The CI step: every module byte-compiles and imports with sys.platform = "win32"."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_windows.py")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Windows: wszystkie moduły")


def test_the_ci_runs_the_windows_check() -> None:
    assert "scripts/check_windows.py" in (ROOT / ".ci" / "run").read_text("utf-8")
