"""`kooperacje raport strona`: the report site, as a person and as cron run it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kooperacje.reports import site_directory as site
from tests import site_sample
from tests.conftest import Result

Run = Callable[..., Result]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("strona") / "sample.db"
    site_sample.build(path)
    return path


@pytest.fixture(autouse=True)
def database(sample: Path, db_path: Path) -> Path:
    shutil.copyfile(sample, db_path)
    return db_path


def files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_site_has_every_page_in_both_formats(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "strona"
    result = run("raport", "strona", "-o", str(out), "--do", "2020-12-31")
    assert result.exit_code == 0, result.stderr
    # Not a terminal: nothing on stdout, so cron sends no mail.
    assert result.stdout == ""
    names = set(files(out))
    for page in (
        "index",
        "zespoly/1012011",
        "zespoly/2416021",
        "zespoly/0410033",
        "koszyki/1012011",
        "spotkania/1",
        "spotkania/2",
        "spotkania/3",
        "wojewodztwa/10",
        "wojewodztwa/24",
        "wojewodztwa/04",
        "makroregiony/II",
        "makroregiony/III",
        "projekty/kooperacje-3d-model-wielosektorowej-wspolpracy-na-rzecz",
        "projekty/kooperacja-efektywna-i-skuteczna",
    ):
        assert f"{page}.html" in names, page
        assert f"{page}.md" in names, page
    index = (out / "index.html").read_text("utf-8")
    assert "PZK Radomsko" in index and "PZK Zawiercie" in index
    assert "Stan na 31 grudnia 2020 r." in index
    # The summary pages carry the indicators of `raport zbiorczy`, team names as links.
    summary = (out / "wojewodztwa/10.md").read_text("utf-8")
    assert "# Raport zbiorczy: województwo łódzkie" in summary
    assert "| [PZK Radomsko](../zespoly/1012011.md) | Radomsko (gmina miejska, 1012011) | 3 |" in (
        summary
    )
    assert not [p for p in tmp_path.iterdir() if ".nowa-" in p.name or ".stara-" in p.name]


def test_every_link_resolves_on_the_file_system(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "strona"
    assert run("raport", "strona", "-o", str(out)).exit_code == 0
    checked = 0
    for page in out.rglob("*.html"):
        for href in re.findall(r'href="([^"]+)"', page.read_text("utf-8")):
            if href.startswith(("#", "mailto:", "tel:")):
                continue
            assert not href.startswith(("/", "http:", "https:", "file:")), (page, href)
            assert (page.parent / href.split("#")[0]).resolve().is_file(), (page, href)
            checked += 1
    for page in out.rglob("*.md"):
        for href in re.findall(r"\]\(([^)]+\.md)\)", page.read_text("utf-8")):
            assert (page.parent / href).resolve().is_file(), (page, href)
            checked += 1
    assert checked > 50


def test_same_data_gives_byte_identical_files(run: Run, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert run("raport", "strona", "-o", str(first), "--do", "2020-06-30").exit_code == 0
    assert run("raport", "strona", "-o", str(second), "--do", "2020-06-30").exit_code == 0
    assert files(first) == files(second)
    # A second run over the same directory replaces the site with an identical one.
    before = files(first)
    assert run("raport", "strona", "-o", str(first), "--do", "2020-06-30").exit_code == 0
    assert files(first) == before


def test_failed_run_leaves_previous_site(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "strona"
    assert run("raport", "strona", "-o", str(out), "--do", "2019-12-31").exit_code == 0
    before = files(out)

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("kooperacje.reports.meeting_context.meeting_note", broken)
    result = run("raport", "strona", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr.startswith("Błąd: ")
    assert files(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [
        ".kooperacje-strona.json",
        ".kooperacje-strona.lock",
    ]


def test_second_run_while_first_holds_the_lock(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "strona"
    with site.locked(out.absolute()):
        result = run("raport", "strona", "-o", str(out))
    assert result.exit_code == 1
    assert "jest właśnie tworzona przez inne uruchomienie" in result.stderr
    assert "Poczekaj" in result.stderr
    assert [p.name for p in out.iterdir()] == [".kooperacje-strona.lock"]
    # Released: the next run goes through.
    assert run("raport", "strona", "-o", str(out)).exit_code == 0


def test_a_directory_with_other_files_keeps_them(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "dokumenty"
    out.mkdir()
    (out / "umowa.odt").write_text("ważne")
    result = run("raport", "strona", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert (out / "umowa.odt").read_text() == "ważne"
    assert (out / "index.html").is_file()


def test_progress_and_summary_on_a_terminal_only(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kooperacje.commands.raport_zbiorcze.stdout_is_terminal", lambda: True)
    result = run("raport", "strona", "-o", str(tmp_path / "a"))
    assert result.exit_code == 0
    assert "Zapisano stronę raportów" in result.stdout
    quiet = run("raport", "strona", "-o", str(tmp_path / "b"), "--cicho")
    assert quiet.exit_code == 0
    assert quiet.stdout == ""


def test_bad_period(run: Run, tmp_path: Path) -> None:
    result = run(
        "raport", "strona", "-o", str(tmp_path / "a"), "--od", "2021-01-01", "--do", "2020-01-01"
    )
    assert result.exit_code == 1
    assert "początek okresu" in result.stderr
    assert not (tmp_path / "a").exists()


def test_without_directory_asks_for_one(run: Run) -> None:
    result = run("raport", "strona")
    assert result.exit_code == 1
    assert "katalog_raportow" in result.stderr


@pytest.mark.parametrize("home", [None, ""])
def test_runs_like_cron(database: Path, tmp_path: Path, home: str | None) -> None:
    """No terminal, LANG=C, almost no environment, HOME unset or empty."""
    env = {"PATH": "/usr/bin:/bin", "LANG": "C"}
    if home is not None:
        env["HOME"] = home
    out = tmp_path / "www" / "raporty"
    command = [sys.executable, "-m", "kooperacje", "--baza", str(database), "raport", "strona"]
    proc = subprocess.run(
        [*command, "-o", str(out)],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout == b"" and proc.stderr == b""
    assert "Partnerskie Zespoły Kooperacyjne" in (out / "index.html").read_text("utf-8")
    assert "łódzkie" in (out / "zespoly/1012011.md").read_text("utf-8")
    # A failure reaches cron as a non-zero exit and a Polish line on stderr.
    before = sorted(os.listdir(tmp_path))
    proc = subprocess.run(
        [*command, "-o", str(tmp_path)],  # where the database is
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stderr.decode("utf-8").startswith("Błąd: w katalogu strony jest baza danych")
    assert sorted(os.listdir(tmp_path)) == before
