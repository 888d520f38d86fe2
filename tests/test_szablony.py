"""User templates (`raport szablony eksportuj`, `--szablony`) and the config file."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import site_sample
from tests.conftest import Result, snapshot

Run = Callable[..., Result]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("szablony") / "sample.db"
    site_sample.build(path)
    return path


@pytest.fixture(autouse=True)
def database(sample: Path, db_path: Path) -> Path:
    shutil.copyfile(sample, db_path)
    return db_path


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    return tmp_path / "kooperacje.toml"  # KOOPERACJE_KONFIGURACJA points here (conftest)


def test_export_copies_every_default_template(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "moje"
    result = run("raport", "szablony", "eksportuj", str(folder))
    assert result.exit_code == 0, result.stderr
    assert "Skopiowano szablony" in result.stdout
    names = {p.name for p in folder.iterdir()}
    assert {"zespol.html", "zespol.md", "_uklad.html", "zbiorczy.md", "strona.html"} <= names


def test_export_does_not_overwrite_without_asking(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "moje"
    folder.mkdir()
    (folder / "zespol.md").write_text("moja wersja", "utf-8")
    result = run("raport", "szablony", "eksportuj", str(folder))
    assert result.exit_code == 1
    assert "zespol.md" in result.stderr and "--nadpisz" in result.stderr
    assert [p.name for p in folder.iterdir()] == ["zespol.md"]
    assert (folder / "zespol.md").read_text("utf-8") == "moja wersja"
    assert run("raport", "szablony", "eksportuj", str(folder), "--nadpisz").exit_code == 0
    assert (folder / "zespol.md").read_text("utf-8") != "moja wersja"


def test_user_template_overrides_the_default(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "moje"
    folder.mkdir()
    (folder / "zespol.md").write_text("Zespół: {{ raport.zespol.nazwa }}\n", "utf-8")
    result = run("raport", "--szablony", str(folder), "zespol", "--gmina", "1012011")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Zespół: PZK Radomsko\n"
    # Templates not in the folder stay the default ones.
    meeting = run("raport", "--szablony", str(folder), "spotkanie", "1")
    assert meeting.exit_code == 0
    assert "Galeria Muzeum Regionalnego" in meeting.stdout
    # Without the option, the default again.
    assert run("raport", "zespol", "--gmina", "1012011").stdout.startswith("# PZK Radomsko")


def test_override_applies_to_the_site(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "moje"
    folder.mkdir()
    (folder / "koszyk.html").write_text("<!DOCTYPE html><p>{{ raport.gmina.nazwa }}</p>\n")
    out = tmp_path / "strona"
    result = run("raport", "--szablony", str(folder), "strona", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert (out / "koszyki/1012011.html").read_text("utf-8").endswith("<p>Radomsko</p>\n")


@pytest.mark.parametrize(
    ("text", "line", "detail"),
    [
        ("# {{ raport.zespol.nazwa }}\n\n{% if %}\n", 3, "błąd składni"),
        ("# {{ raport.zespol.nazwa }}\n{{ raport.nie_ma_takiego_pola }}\n", 2, "nieznana nazwa"),
    ],
)
def test_broken_template_names_file_and_line(
    run: Run, tmp_path: Path, database: Path, text: str, line: int, detail: str
) -> None:
    folder = tmp_path / "moje"
    folder.mkdir()
    (folder / "zespol.md").write_text(text, "utf-8")
    before = snapshot(database)
    result = run("raport", "--szablony", str(folder), "zespol", "--gmina", "1012011")
    assert result.exit_code == 1
    assert result.stderr.startswith("Błąd: szablon raportu zespol.md jest błędny (")
    assert f"{folder / 'zespol.md'}, wiersz {line})" in result.stderr
    assert detail in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(database) == before


def test_broken_template_fails_the_site_and_keeps_the_old_one(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "strona"
    assert run("raport", "strona", "-o", str(out)).exit_code == 0
    before = (out / "index.html").read_bytes()
    folder = tmp_path / "moje"
    folder.mkdir()
    (folder / "spotkanie.html").write_text("{% for %}", "utf-8")
    result = run("raport", "--szablony", str(folder), "strona", "-o", str(out))
    assert result.exit_code == 1
    assert "spotkanie.html" in result.stderr and "wiersz 1" in result.stderr
    assert (out / "index.html").read_bytes() == before


def test_missing_templates_directory(run: Run, tmp_path: Path) -> None:
    result = run("raport", "--szablony", str(tmp_path / "brak"), "zespol", "--gmina", "1012011")
    assert result.exit_code == 1
    assert "katalog szablonów" in result.stderr and "szablony eksportuj" in result.stderr


def test_config_path_command(run: Run, config_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run("konfiguracja", "sciezka")
    assert result.exit_code == 0
    assert result.stdout == f"{config_file}\n"
    monkeypatch.delenv("KOOPERACJE_KONFIGURACJA")
    monkeypatch.setenv("XDG_CONFIG_HOME", "/tmp/xdg-konfiguracja")
    result = run("konfiguracja", "sciezka")
    assert result.stdout == "/tmp/xdg-konfiguracja/kooperacje/kooperacje.toml\n"


def test_config_sets_templates_organisation_and_report_dir(
    run: Run, tmp_path: Path, config_file: Path
) -> None:
    folder = tmp_path / "moje"
    folder.mkdir()
    (folder / "spotkanie.md").write_text("Spotkanie {{ raport.id }}\n", "utf-8")
    config_file.write_text(
        'szablony = "moje"\n'
        'katalog_raportow = "www"\n'
        "[organizacja]\n"
        'nazwa = "Miejski Ośrodek Pomocy Społecznej w Radomsku"\n'
        'adres = "ul. Tkacka 5, 97-500 Radomsko"\n',
        "utf-8",
    )
    # Relative paths are relative to the config file.
    meeting = run("raport", "spotkanie", "1")
    assert meeting.exit_code == 0, meeting.stderr
    assert meeting.stdout == (
        "*Miejski Ośrodek Pomocy Społecznej w Radomsku, ul. Tkacka 5, 97-500 Radomsko*\n\n"
        "Spotkanie 1\n"
    )
    team = run("raport", "zespol", "--gmina", "1012011", "--format", "html")
    assert (
        '<p class="organizacja">Miejski Ośrodek Pomocy Społecznej w Radomsku, '
        "ul. Tkacka 5, 97-500 Radomsko</p>"
    ) in team.stdout
    assert run("raport", "strona").exit_code == 0
    assert (tmp_path / "www" / "index.html").is_file()


def test_config_names_the_default_database(
    run: Run, tmp_path: Path, config_file: Path, database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KOOPERACJE_BAZA")
    config_file.write_text(f'baza = "{database}"\n', "utf-8")
    result = run("zespoly", "lista", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert "PZK Zawiercie" in result.stdout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("baza = \n", "jest błędny"),
        ('kolor = "zielony"\n', "nieznane ustawienie kolor"),
        ("baza = 5\n", "baza musi być tekstem"),
        ('[organizacja]\ntelefon = "1"\n', "nieznane pole organizacja.telefon"),
    ],
)
def test_broken_config_file(run: Run, config_file: Path, text: str, message: str) -> None:
    config_file.write_text(text, "utf-8")
    result = run("raport", "zespol", "--gmina", "1012011")
    assert result.exit_code == 1
    assert result.stderr.startswith(f'Błąd: plik konfiguracji "{config_file}')
    assert message in result.stderr
