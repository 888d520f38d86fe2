"""`raport strona` shares its directory: it replaces only the pages it wrote (its manifest
lists them, with digests), never leaves the directory without a whole page set, and works
through a symbolic link and on a mount point."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from kooperacje.reports import site_directory as site
from tests import site_sample
from tests.conftest import Result

Run = Callable[..., Result]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("katalog-strony") / "sample.db"
    site_sample.build(path)
    return path


@pytest.fixture(autouse=True)
def database(sample: Path, db_path: Path) -> Path:
    shutil.copyfile(sample, db_path)
    return db_path


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root (symbolic links as their target's name), by relative path."""
    out: dict[str, bytes] = {}
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in names:
            path = Path(folder) / name
            key = str(path.relative_to(root))
            out[key] = (
                b"->" + os.readlink(path).encode() if path.is_symlink() else path.read_bytes()
            )
    return out


def pages(root: Path) -> dict[str, bytes]:
    return {k: v for k, v in tree(root).items() if k.endswith((".html", ".md"))}


def site_run(run: Run, target: Path, *extra: str) -> Result:
    return run("raport", "strona", "-o", str(target), *extra)


def _users_files(out: Path) -> dict[str, bytes]:
    (out / ".git").mkdir(parents=True)
    (out / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (out / "robots.txt").write_text("User-agent: *\nDisallow:\n")
    (out / "CNAME").write_text("raporty.mops-radomsko.pl\n")
    (out / "zespoly").mkdir()
    (out / "zespoly" / "notatka.txt").write_text("moja notatka")
    return tree(out)


def test_a_run_and_a_rerun_leave_the_users_files(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "raporty"
    own = _users_files(out)
    assert site_run(run, out, "--do", "2020-12-31").exit_code == 0
    assert site_run(run, out, "--do", "2019-10-01").exit_code == 0
    after = tree(out)
    assert {k: after[k] for k in own} == own
    manifest = json.loads((out / site.MANIFEST).read_text("utf-8"))
    assert set(manifest["pliki"]) == set(pages(out))
    for page, digest in manifest["pliki"].items():
        assert hashlib.sha256((out / page).read_bytes()).hexdigest() == digest


def test_pages_no_longer_produced_are_removed_and_only_they(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "raporty"
    assert site_run(run, out, "--do", "2020-12-31").exit_code == 0
    (out / "spotkania" / "moje.txt").write_text("zostaje")
    before = set(pages(out))
    assert site_run(run, out, "--do", "2019-10-01").exit_code == 0
    now = set(pages(out))
    assert now < before
    fresh = tmp_path / "nowa"
    assert site_run(run, fresh, "--do", "2019-10-01").exit_code == 0
    assert pages(out) == pages(fresh)
    assert (out / "spotkania" / "moje.txt").read_text() == "zostaje"
    # A folder the site emptied, and nobody else uses, goes with its last page.
    for folder in out.iterdir():
        if folder.is_dir():
            assert any(folder.iterdir()), folder


@pytest.mark.parametrize(
    "where",
    ["kopia.db", "stare/2019/kopia-zapasowa.db", "dane.txt", ".git/objects/x"],
)
def test_a_database_anywhere_inside_stops_the_run(run: Run, tmp_path: Path, where: str) -> None:
    out = tmp_path / "raporty"
    assert site_run(run, out, "--do", "2019-12-31").exit_code == 0
    hidden = out / where
    hidden.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(hidden)
    conn.execute("CREATE TABLE osoby (imie TEXT)")
    conn.commit()
    conn.close()
    before = tree(out)
    result = site_run(run, out, "--do", "2020-12-31")
    assert result.exit_code == 1
    assert result.stderr.startswith("Błąd: w katalogu strony jest baza danych")
    assert where.split("/")[-1] in result.stderr
    assert tree(out) == before


def test_the_directory_of_the_database_is_refused(run: Run, tmp_path: Path, database: Path) -> None:
    before = tree(tmp_path)
    result = site_run(run, tmp_path)
    assert result.exit_code == 1
    assert "baza danych" in result.stderr
    assert tree(tmp_path) == before


def test_a_users_file_where_a_page_would_go_is_kept(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "raporty"
    out.mkdir()
    (out / "index.html").write_text("<h1>Moja strona</h1>")
    before = tree(out)
    result = site_run(run, out)
    assert result.exit_code == 1
    assert "których nie zapisała" in result.stderr
    assert "index.html" in result.stderr
    assert tree(out) == before


def test_a_page_changed_by_hand_is_not_overwritten(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "raporty"
    assert site_run(run, out, "--do", "2019-12-31").exit_code == 0
    edited = out / "zespoly" / "1012011.html"
    edited.write_text("<p>poprawione ręcznie</p>")
    before = tree(out)
    result = site_run(run, out, "--do", "2020-12-31")
    assert result.exit_code == 1
    assert "zmieniono po jej zapisaniu" in result.stderr
    assert str(edited) in result.stderr
    assert tree(out) == before
    # Moved away, the page is the site's to write again.
    edited.unlink()
    assert site_run(run, out, "--do", "2020-12-31").exit_code == 0


def test_a_site_of_an_earlier_version_is_taken_over(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "raporty"
    out.mkdir()
    (out / site.LEGACY_MARKER).write_text("Strona raportów programu kooperacje.\n")
    (out / "index.html").write_text("stara strona")
    assert site_run(run, out).exit_code == 0
    assert "stara strona" not in (out / "index.html").read_text("utf-8")
    assert not (out / site.LEGACY_MARKER).exists()
    assert (out / site.MANIFEST).is_file()


class Killed(BaseException):
    """The process dying: nothing after it runs (not even `except Exception`)."""


@pytest.mark.parametrize("when", ["first", "second", "middle", "last"])
def test_a_run_killed_while_replacing_pages_leaves_whole_pages_and_recovers(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    out, old_run, new_run = tmp_path / "raporty", tmp_path / "stara", tmp_path / "nowa"
    for target, day in ((out, "2019-10-01"), (old_run, "2019-10-01"), (new_run, "2020-12-31")):
        assert site_run(run, target, "--do", day).exit_code == 0
    old, new = pages(old_run), pages(new_run)
    changed = len([page for page in new if old.get(page) != new[page]])
    assert changed > 4
    after = {"first": 0, "second": 1, "middle": changed // 2, "last": changed - 1}[when]
    replace = os.replace
    done = [0]

    def dying(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if Path(dst).suffix in (".html", ".md"):
            if done[0] == after:
                raise Killed
            done[0] += 1
        replace(src, dst)

    monkeypatch.setattr(os, "replace", dying)
    with pytest.raises(Killed):
        site_run(run, out, "--do", "2020-12-31")
    monkeypatch.setattr(os, "replace", replace)
    # Every page there is whole: the old one or the new one, never a part, and none missing.
    for page, data in pages(out).items():
        assert data in (old.get(page), new.get(page)), page
    assert set(old) <= set(pages(out))
    # The next run finishes the job.
    assert site_run(run, out, "--do", "2020-12-31").exit_code == 0
    assert pages(out) == new
    assert not (out / site.PENDING).exists()
    assert not [p for p in out.iterdir() if p.name.startswith(site.STAGING)]


def test_a_symlinked_target_stays_a_symlink(run: Run, tmp_path: Path) -> None:
    real = tmp_path / "www" / "raporty-2026"
    real.mkdir(parents=True)
    (real / "CNAME").write_text("raporty.example\n")
    link = tmp_path / "raporty"
    link.symlink_to(real, target_is_directory=True)
    for _ in range(2):
        assert site_run(run, link).exit_code == 0
        assert link.is_symlink() and os.readlink(link) == str(real)
        assert (real / "index.html").is_file()
    assert (real / "CNAME").read_text() == "raporty.example\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raporty", "test.db", "www"]


def test_a_mount_point_target_is_never_renamed(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "raporty"
    out.mkdir()
    # A mount point cannot be renamed or replaced (EBUSY); the site never tries.
    for name in ("rename", "replace"):
        original = getattr(os, name)

        def busy(
            src: str | os.PathLike[str],
            dst: str | os.PathLike[str],
            original: Callable[..., None] = original,
        ) -> None:
            if out in (Path(src), Path(dst)):
                raise OSError(errno.EBUSY, "Device or resource busy")
            original(src, dst)

        monkeypatch.setattr(os, name, busy)
    for _ in range(2):
        result = site_run(run, out)
        assert result.exit_code == 0, result.stderr
    assert (out / "index.html").is_file()


def test_the_lock_is_inside_the_directory_and_held_once(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "raporty"
    with site.locked(out):
        result = site_run(run, out)
        assert result.exit_code == 1
        assert "jest właśnie tworzona" in result.stderr
    assert site_run(run, out).exit_code == 0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
