"""`raport strona` renders only what changed: an unchanged rerun touches no file, a site
updated after edits equals one built from scratch, and the pool of processes writes the
same bytes as one process."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kooperacje.reports import site_directory
from tests import factories, site_sample
from tests.conftest import Result

Run = Callable[..., Result]
DAY = ("--do", "2020-12-31")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("strona-przyrostowa") / "sample.db"
    site_sample.build(path)
    return path


@pytest.fixture(autouse=True)
def database(sample: Path, db_path: Path) -> Path:
    shutil.copyfile(sample, db_path)
    return db_path


def files(root: Path) -> dict[str, bytes]:
    """Every file of the site (the lock, which holds nothing, aside)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != site_directory.LOCK
    }


def pages(root: Path) -> dict[str, bytes]:
    return {k: v for k, v in files(root).items() if k.endswith((".html", ".md"))}


def stamps(root: Path) -> dict[str, tuple[int, int]]:
    """Each page's modification time (ns) and inode."""
    out = {}
    for name in pages(root):
        info = (root / name).stat()
        out[name] = (info.st_mtime_ns, info.st_ino)
    return out


def site(run: Run, target: Path, *extra: str) -> Result:
    result = run("raport", "strona", "-o", str(target), *DAY, *extra)
    assert result.exit_code == 0, result.stderr
    return result


def test_an_unchanged_rerun_modifies_no_file(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "strona"
    site(run, out)
    before, contents = stamps(out), files(out)
    assert len(before) > 10

    rendered: list[str] = []
    from kooperacje.reports import render

    original = render.render

    def counting(name: str, fmt: str, raport: Any, *, naglowek: Any = None) -> str:
        rendered.append(f"{name}.{fmt}")
        return original(name, fmt, raport, naglowek=naglowek)

    monkeypatch.setattr(render, "render", counting)
    manifest = (out / site_directory.MANIFEST).stat()
    site(run, out)
    assert rendered == []  # nothing was rendered again, let alone written
    assert stamps(out) == before
    assert files(out) == contents
    again = (out / site_directory.MANIFEST).stat()  # not even the site's own spis
    assert (again.st_mtime_ns, again.st_ino) == (manifest.st_mtime_ns, manifest.st_ino)


def test_od_nowa_renders_everything_and_keeps_unchanged_files(run: Run, tmp_path: Path) -> None:
    out, fresh = tmp_path / "strona", tmp_path / "swieza"
    site(run, out)
    before = stamps(out)
    site(run, out, "--od-nowa")
    site(run, fresh)
    assert pages(out) == pages(fresh)
    assert stamps(out) == before  # the same bytes: no file replaced


def test_after_edits_the_site_equals_a_full_rebuild(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "strona"
    site(run, out)
    before = stamps(out)
    # A new team, a service edited, a meeting deleted, as a coordinator does them.
    assert run("zespoly", "zaloz", "--gmina", "1012122", "--data", "2020-02-01").exit_code == 0
    edit = run("uslugi", "edytuj", "Praca socjalna", "--opis", "Wsparcie w trudnej sytuacji.")
    assert edit.exit_code == 0, edit.stderr
    assert run("spotkania", "usun", "1", "--tak").exit_code == 0
    site(run, out)
    fresh = tmp_path / "od-nowa"
    site(run, fresh, "--od-nowa")
    assert pages(out) == pages(fresh)
    manifest = json.loads((out / site_directory.MANIFEST).read_text("utf-8"))
    assert manifest == json.loads((fresh / site_directory.MANIFEST).read_text("utf-8"))
    now = pages(out)
    # The new team's pages appeared, the deleted meeting's are gone, other pages stayed.
    assert "zespoly/1012122.html" in now and "koszyki/1012122.md" in now
    assert "spotkania/1.html" not in now and not (out / "spotkania" / "1.md").exists()
    after = stamps(out)
    kept = [name for name in before if name in after and after[name] == before[name]]
    changed = [name for name in before if name in after and after[name] != before[name]]
    assert "zespoly/2416021.html" in kept  # Zawiercie: nothing of it changed
    assert "koszyki/1012011.html" in changed  # Radomsko's basket holds the edited service
    assert "zespoly/1012011.md" in changed  # its meeting list lost a meeting


def test_the_pool_writes_what_one_process_writes(run: Run, tmp_path: Path) -> None:
    serial, pooled = tmp_path / "jeden", tmp_path / "dwa"
    site(run, serial, "--procesy", "1")
    site(run, pooled, "--procesy", "2")
    assert files(pooled) == files(serial)
    # A rerun with the pool keeps every file too.
    before = stamps(pooled)
    site(run, pooled, "--procesy", "2")
    assert stamps(pooled) == before


def test_a_page_deleted_or_edited_by_hand_is_handled(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "strona"
    site(run, out)
    full = pages(out)
    (out / "koszyki" / "1012011.md").unlink()
    site(run, out)  # a missing page is written again, though its data did not change
    assert pages(out) == full
    (out / "index.md").write_text("moja wersja\n")
    result = run("raport", "strona", "-o", str(out), *DAY)
    assert result.exit_code == 1  # a page changed by hand is never overwritten
    assert "zmieniono po jej zapisaniu" in result.stderr
    assert (out / "index.md").read_text() == "moja wersja\n"


def test_a_manifest_of_an_earlier_version_means_a_full_render(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "strona"
    site(run, out)
    manifest = out / site_directory.MANIFEST
    data = json.loads(manifest.read_text("utf-8"))
    del data["zrodla"]  # what an earlier version wrote
    manifest.write_text(json.dumps(data), "utf-8")
    before, contents = stamps(out), pages(out)
    site(run, out)
    assert pages(out) == contents and stamps(out) == before
    assert "zrodla" in json.loads(manifest.read_text("utf-8"))


def test_an_edited_meeting_is_rendered_again(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "strona"
    site(run, out)
    assert run("spotkania", "edytuj", "2", "--opis", "Nowy przebieg.").exit_code == 0
    site(run, out)
    assert "Nowy przebieg." in (out / "spotkania" / "2.md").read_text("utf-8")


def test_a_change_by_another_program_is_seen(run: Run, tmp_path: Path, db_path: Path) -> None:
    out = tmp_path / "strona"
    site(run, out)
    conn = factories.connect(db_path)
    conn.execute(
        "UPDATE uslugi SET opis = 'Opis wpisany w Datasette.' WHERE nazwa = 'Praca socjalna'"
    )
    conn.commit()
    conn.close()
    site(run, out)
    assert "Opis wpisany w Datasette." in (out / "koszyki" / "1012011.md").read_text("utf-8")
    fresh = tmp_path / "od-nowa"
    site(run, fresh, "--od-nowa")
    assert pages(out) == pages(fresh)


def test_a_failure_in_a_worker_leaves_the_site_as_it_was(run: Run, tmp_path: Path) -> None:
    out, broken = tmp_path / "strona", tmp_path / "szablony"
    site(run, out, "--procesy", "2")
    before = files(out)
    broken.mkdir()
    (broken / "koszyk.md").write_text("{{ raport.nie_ma_takiego_pola }}\n", "utf-8")
    result = run(
        "raport", "--szablony", str(broken), "strona", "-o", str(out), *DAY, "--procesy", "2"
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Błąd: ")
    assert "koszyk.md" in result.stderr
    assert files(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(site_directory.STAGING)]
