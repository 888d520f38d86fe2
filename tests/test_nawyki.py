"""Habits of the command line, tried as a new user would: --version, global options after the
command, Polish letters in command names, a mistyped command, a name typed without quotes,
which database is in use, shell completion, and values typed in another grammatical form."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.main
from hypothesis import given, settings
from hypothesis import strategies as st

from kooperacje import __version__
from kooperacje.cli import app
from kooperacje.errors import InvalidInput
from kooperacje.register import vocab
from tests import factories
from tests.conftest import Result, snapshot

Run = Callable[..., Result]
Query = Callable[..., list[tuple[object, ...]]]

ROOT = typer.main.get_command(app)


def _commands(
    command: Any, ctx: typer.Context, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command and group below the root, with its path."""
    for name in command.list_commands(ctx) if hasattr(command, "list_commands") else []:
        sub = command.get_command(ctx, name)
        yield (*path, name), sub
        yield from _commands(sub, typer.Context(sub, info_name=name, parent=ctx), (*path, name))


TREE = list(_commands(ROOT, typer.Context(ROOT, info_name="kooperacje")))


@pytest.fixture
def world(db_path: Path) -> dict[str, int]:
    conn = factories.connect(db_path)
    ids = {
        "mops": factories.institution(conn, "Miejski Ośrodek Pomocy Społecznej", skrot="MOPS"),
        "kpp": factories.institution(
            conn, "Komenda Powiatowa Policji", skrot="KPP", sektor="policja"
        ),
    }
    ids["team"] = factories.team(conn, "1012011", "PZK Radomsko")
    ids["meeting"] = factories.meeting(conn, ids["team"], "2019-10-09", "Sala MOPS")
    conn.close()
    return ids


# ---- --version ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [("--version",), ("--wersja",), ("instytucje", "lista", "--version"), ("baza", "--wersja")],
)
def test_version(run: Run, db_path: Path, args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"kooperacje {__version__}\n" == "kooperacje 0.1.0\n"
    assert not db_path.exists()


# ---- global options after the command --------------------------------------------------


def test_database_option_after_the_command(run: Run, db_path: Path, tmp_path: Path) -> None:
    other = tmp_path / "inna.db"
    added = run(
        "instytucje", "dodaj", "PCPR w Radomsku", "-g", "1012011", "-s", "rodzina",
        "--baza", str(other),
    )  # fmt: skip
    assert added.exit_code == 0, added.stderr
    for args in (
        ("instytucje", "lista", "--baza", str(other), "-f", "json"),
        ("instytucje", "lista", f"--baza={other}", "-f", "json"),
        ("instytucje", "--baza", str(other), "lista", "-f", "json"),
        ("--baza", str(tmp_path / "nie.db"), "instytucje", "lista", "--baza", str(other)),
    ):
        result = run(*args, *(() if "-f" in args else ("-f", "json")))
        assert result.exit_code == 0, (args, result.stderr)
        assert [i["nazwa"] for i in json.loads(result.stdout)] == ["PCPR w Radomsku"], args
    # The default database ($KOOPERACJE_BAZA here) was never touched, nor the overridden one.
    assert not db_path.exists()
    assert not (tmp_path / "nie.db").exists()


@pytest.mark.parametrize("path", [path for path, _ in TREE], ids=" ".join)
def test_every_command_accepts_the_global_options(
    run: Run, db_path: Path, path: tuple[str, ...]
) -> None:
    version = run(*path, "--version")
    assert (version.exit_code, version.stdout) == (0, f"kooperacje {__version__}\n")
    # Accepted (not "nieznana opcja --baza"), also next to --help, and hidden from it.
    helped = run(*path, "--baza", "x.db", "--help")
    assert helped.exit_code == 0, helped.stderr
    options = [line.split()[0] for line in helped.stdout.splitlines() if line.startswith("  -")]
    assert "--baza" not in options and "--version," not in options
    assert not db_path.exists()


# ---- command names: Polish letters, mistakes ----------------------------------------------

POLISH_NAMES = {
    ("zespoły",): "zespoly",
    ("usługi",): "uslugi",
    ("uzupełnianie",): "uzupelnianie",
    ("spotkania", "prowadź"): "prowadz",
    ("spotkania", "obecność"): "obecnosc",
    ("spotkania", "zaproś"): "zapros",
    ("zespoły", "załóż"): "zaloz",
    ("instytucje", "pokaż"): "pokaz",
    ("instytucje", "usuń"): "usun",
    ("baza", "ścieżka"): "sciezka",
    ("baza", "przywróć"): "przywroc",
    ("baza", "sprawdź"): "sprawdz",
    ("konfiguracja", "ścieżka"): "sciezka",
}


@pytest.mark.parametrize("typed", list(POLISH_NAMES), ids=" ".join)
def test_command_names_with_polish_letters(run: Run, typed: tuple[str, ...]) -> None:
    result = run(*typed, "--help")
    assert result.exit_code == 0, result.stderr
    # The help is the command's own, under its name without Polish letters.
    assert f" {POLISH_NAMES[typed]} [OPCJE]" in result.stdout.splitlines()[0]


def test_every_command_name_is_ascii_and_its_polish_spelling_is_hidden(run: Run) -> None:
    assert all(name.isascii() for path, _ in TREE for name in path)
    for group in ((), ("spotkania",)):
        text = run(*group, "--help").stdout.split("Polecenia:")[1]
        listed = [line.split()[0] for line in text.splitlines() if line[2:3].strip()]
        assert listed and all(name.isascii() for name in listed)
        assert "zespoly" in listed or "prowadz" in listed


def test_polish_spelling_runs_the_command(run: Run, query: Query, world: dict[str, int]) -> None:
    result = run("spotkania", "obecność", "1", "KPP", "--status", "usprawiedliwiona")
    assert result.exit_code == 0, result.stderr
    assert query("SELECT instytucja, status FROM obecnosci") == [(world["kpp"], "usprawiedliwiony")]
    assert "PZK Radomsko" in run("zespoły", "lista").stdout


@pytest.mark.parametrize(
    ("args", "suggestion"),
    [
        (("instytucja",), "Czy chodziło o: instytucje?"),
        (("zespol",), "Czy chodziło o: zespoly"),
        (("inst",), "Czy chodziło o: instytucje?"),
        (("spotkania", "prowdz"), "Czy chodziło o: prowadz?"),
        (("raport", "zespoły"), "Czy chodziło o: zespol?"),
    ],
)
def test_unknown_command_gets_a_suggestion(
    run: Run, db_path: Path, args: tuple[str, ...], suggestion: str
) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Błąd: nieznane polecenie „{args[-1]}”. {suggestion}")
    assert "Did you mean" not in result.stderr
    assert not db_path.exists()


def test_unknown_command_without_a_close_one(run: Run) -> None:
    result = run("xyzzy")
    assert result.exit_code == 2
    assert result.stderr.startswith("Błąd: nieznane polecenie „xyzzy”.\nPomoc: kooperacje --help")


# ---- a name typed without quotes ------------------------------------------------------------


def test_unquoted_name_gets_the_command_line_corrected(run: Run, db_path: Path) -> None:
    args = "instytucje dodaj Powiatowy Urząd Pracy w Radomsku --gmina 1012011 --sektor rynek_pracy"
    result = run(*args.split())
    assert result.exit_code == 2
    assert result.stderr == (
        "Błąd: za dużo argumentów: „Urząd Pracy w Radomsku”. Tekst ze spacjami (np. nazwę) "
        "ujmij w cudzysłów, inaczej każde słowo jest osobnym argumentem. Popraw polecenie tak:\n"
        '  kooperacje instytucje dodaj "Powiatowy Urząd Pracy w Radomsku" --gmina 1012011 '
        "--sektor rynek_pracy\n"
        "Pomoc: kooperacje instytucje dodaj --help\n"
    )
    assert not db_path.exists()


def test_unquoted_option_value_and_missing_options(run: Run, db_path: Path) -> None:
    # The leftover words are the cause, so they are reported before the missing --rodzaj.
    result = run("spotkania", "dodaj", "-g", "1012011", "--miejsce", "Muzeum", "Regionalne")
    assert result.exit_code == 2
    assert "za dużo argumentów: „Regionalne”" in result.stderr
    assert '  kooperacje spotkania dodaj -g 1012011 --miejsce "Muzeum Regionalne"\n' in (
        result.stderr
    )
    result = run("spotkania", "dodaj", "--miejsce=Galeria", "Muzeum")
    assert result.exit_code == 2
    assert (
        result.stderr.splitlines()[1] == '  kooperacje spotkania dodaj --miejsce="Galeria Muzeum"'
    )
    assert not db_path.exists()


def test_extra_number_gets_no_quoting_advice(
    run: Run, db_path: Path, world: dict[str, int]
) -> None:
    before = snapshot(db_path)
    result = run("spotkania", "edytuj", "1", "2", "--opis", "x")
    assert result.exit_code == 2
    assert result.stderr.startswith("Błąd: za dużo argumentów: „2”. Jeśli to dalszy ciąg")
    assert "Popraw polecenie" not in result.stderr
    assert snapshot(db_path) == before


def test_help_wins_over_leftover_words(run: Run) -> None:
    result = run("instytucje", "dodaj", "Powiatowy", "Urząd", "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("Użycie: kooperacje instytucje dodaj")


WORD = st.text(
    alphabet=st.characters(categories=("L", "N"), include_characters="-.()ąęłńóśźż"),
    min_size=1,
    max_size=8,
).filter(lambda w: not w.startswith("-") and any(ch.isalpha() for ch in w))


@settings(max_examples=60, deadline=None)
@given(words=st.lists(WORD, min_size=2, max_size=6))
def test_corrected_line_reads_back_as_the_intended_arguments(words: list[str]) -> None:
    """Whatever the words, the suggested command line, split as a shell splits it, gives
    the name as one argument and the other arguments unchanged."""
    from typer.testing import CliRunner

    tail = ["--gmina", "1012011", "--sektor", "inne"]
    result = CliRunner().invoke(app, ["instytucje", "dodaj", *words, *tail], prog_name="kooperacje")
    assert result.exit_code == 2
    line = result.stderr.splitlines()[1]
    assert shlex.split(line) == ["kooperacje", "instytucje", "dodaj", " ".join(words), *tail]


# ---- which database ------------------------------------------------------------------------


def test_help_shows_the_database_in_use_and_creates_nothing(
    run: Run, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def helped(*args: str) -> str:
        return " ".join(run(*args, "--help").stdout.split())

    assert f"Baza danych: {db_path} (zmienna KOOPERACJE_BAZA)." in helped()
    other = tmp_path / "z-opcji.db"
    assert f"Baza danych: {other} (opcja --baza)." in helped("--baza", str(other))
    monkeypatch.delenv("KOOPERACJE_BAZA")
    config = tmp_path / "kooperacje.toml"
    config.write_text('baza = "z-konfiguracji.db"\n', encoding="utf-8")
    text = helped()
    assert f"Baza danych: {tmp_path / 'z-konfiguracji.db'} (plik konfiguracji {config})." in text
    config.write_text("baza = [", encoding="utf-8")
    broken = run("--help")
    assert broken.exit_code == 0
    assert "Baza danych: nie można ustalić (plik konfiguracji" in " ".join(broken.stdout.split())
    assert not db_path.exists() and not other.exists()


def test_baza_sciezka(
    run: Run, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run("baza", "sciezka")
    assert result.exit_code == 0
    assert result.stdout == f"{db_path}\n"
    assert "Źródło: zmienna KOOPERACJE_BAZA." in result.stderr
    assert "Pliku jeszcze nie ma" in result.stderr
    assert not db_path.exists()
    monkeypatch.chdir(tmp_path)
    relative = run("baza", "ścieżka", "--baza", "wzgledna.db")
    assert relative.stdout == f"{tmp_path / 'wzgledna.db'}\n"
    assert "Źródło: opcja --baza." in relative.stderr


def test_empty_listing_says_which_database(run: Run, db_path: Path) -> None:
    assert run("baza", "utworz").exit_code == 0
    result = run("zespoly", "lista")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == (
        f"Baza danych: {db_path}. Inną bazę wskaż opcją --baza PLIK."
    )
    # Machine formats stay machine formats.
    assert run("zespoly", "lista", "-f", "json").stdout == "[]\n"


# ---- shell completion ----------------------------------------------------------------------


def _complete(run_env: dict[str, str]) -> str:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, [], prog_name="kooperacje", env=run_env)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_bash_completion_of_commands_subcommands_and_options() -> None:
    def bash(words: str) -> list[str]:
        parts = words.split(" ")
        env = {
            "_KOOPERACJE_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(parts) - 1),
        }
        return _complete(env).split()

    assert bash("kooperacje ") == [path[0] for path, _ in TREE if len(path) == 1]
    assert bash("kooperacje usł") == ["uslugi"]
    assert bash("kooperacje spotkania pro") == ["prowadz"]
    assert "--miejsce" in bash("kooperacje spotkania dodaj --")
    assert "--baza" not in bash("kooperacje spotkania dodaj --")
    assert bash("kooperacje --") == ["--baza", "--version", "--wersja", "--help"]


def test_zsh_and_powershell_completion() -> None:
    zsh = _complete(
        {"_KOOPERACJE_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "kooperacje zesp"}
    )
    assert '"zespoly":"Partnerskie Zespoły Kooperacyjne' in zsh
    powershell = _complete(
        {
            "_KOOPERACJE_COMPLETE": "complete_powershell",
            "_TYPER_COMPLETE_ARGS": "kooperacje zesp",
            "_TYPER_COMPLETE_WORD_TO_COMPLETE": "zesp",
        }
    )
    assert powershell.startswith("zespoly:::Partnerskie Zespoły Kooperacyjne (PZK)")


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "_KOOPERACJE_COMPLETE=complete_bash"),
        ("zsh", "#compdef kooperacje"),
        ("powershell", "Register-ArgumentCompleter -Native -CommandName kooperacje"),
        ("pwsh", '$Env:_KOOPERACJE_COMPLETE = "complete_powershell"'),
        ("fish", "complete --command kooperacje"),
    ],
)
def test_completion_script(run: Run, db_path: Path, shell: str, marker: str) -> None:
    result = run("uzupelnianie", shell)
    assert result.exit_code == 0, result.stderr
    assert marker in result.stdout
    assert not db_path.exists()


def test_completion_script_for_an_unknown_shell(run: Run) -> None:
    result = run("uzupelnianie", "cmd")
    assert result.exit_code == 2
    assert "Dozwolone wartości: bash, zsh, fish, powershell, pwsh" in result.stderr


PROBE = """
import sys
before = set(sys.modules)
from kooperacje.cli import main
sys.argv = ["kooperacje"]
try:
    main()
except SystemExit:
    pass
print(sorted(m for m in set(sys.modules) - before if m.startswith("kooperacje.commands.")))
"""


def test_completing_a_command_name_imports_no_command(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "KOOPERACJE_BAZA": str(tmp_path / "x.db"),
        "_KOOPERACJE_COMPLETE": "complete_bash",
        "COMP_WORDS": "kooperacje ",
        "COMP_CWORD": "1",
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True
    )
    *names, imported = done.stdout.splitlines()
    assert "instytucje" in names and "uzupelnianie" in names
    commands = [m for m in eval(imported) if not m.split(".")[-1].startswith("_")]
    assert commands == []


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
def test_the_bash_script_completes_in_bash(tmp_path: Path) -> None:
    """The printed script, sourced by bash, calls the installed program and fills
    COMPREPLY (the `kooperacje` console script beside this Python)."""
    program = Path(sys.executable).parent / "kooperacje"
    if not program.exists():
        pytest.skip("the kooperacje console script is not installed beside this Python")
    script = tmp_path / "kooperacje.bash"
    env = {**os.environ, "KOOPERACJE_BAZA": str(tmp_path / "x.db")}
    env["PATH"] = f"{program.parent}{os.pathsep}{env.get('PATH', '')}"
    printed = subprocess.run(
        [str(program), "uzupelnianie", "bash"], capture_output=True, text=True, env=env
    )
    script.write_text(printed.stdout, encoding="utf-8")
    session = (
        f"source {shlex.quote(str(script))}\n"
        "COMP_WORDS=(kooperacje spotkania pr); COMP_CWORD=2\n"
        "_kooperacje_completion kooperacje\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(
        ["bash", "--norc", "-c", session], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.split() == ["prowadz"]


# ---- values in the form users type ------------------------------------------------------------

FORMS = [
    (vocab.ATTENDANCE_STATUSES, "obecna", "obecny"),
    (vocab.ATTENDANCE_STATUSES, "Obecni", "obecny"),
    (vocab.ATTENDANCE_STATUSES, "nieobecna", "nieobecny"),
    (vocab.ATTENDANCE_STATUSES, "nieobecne", "nieobecny"),
    (vocab.ATTENDANCE_STATUSES, "usprawiedliwiona", "usprawiedliwiony"),
    (vocab.ATTENDANCE_STATUSES, "usprawiedliwieni", "usprawiedliwiony"),
    (vocab.ATTENDANCE_STATUSES, "zaproszeni", "zaproszony"),
    (vocab.ATTENDANCE_STATUSES, "zaproszona", "zaproszony"),
    (vocab.SERVICE_STATUSES, "zawieszone", "zawieszona"),
    (vocab.SERVICE_STATUSES, "zakończony", "zakonczona"),
    (vocab.SERVICE_STATUSES, "zakończone", "zakonczona"),
    (vocab.SERVICE_STATUSES, "aktywne", "aktywna"),
    (vocab.MEETING_KINDS, "posiedzenia", "posiedzenie"),
    (vocab.MEETING_KINDS, "warsztaty", "warsztat"),
    (vocab.MEETING_KINDS, "szkolenia", "szkolenie"),
    (vocab.MEETING_KINDS, "inicjujący", "inicjujace"),
    (vocab.MEETING_KINDS, "inne", "inne"),
    (vocab.MEETING_KINDS, "inny", "inne"),
    (vocab.DECLARATION_KINDS, "przystąpienia", "przystapienie"),
    (vocab.DECLARATION_KINDS, "Wystąpienia", "wystapienie"),
]


@pytest.mark.parametrize(("vocabulary", "typed", "code"), FORMS, ids=lambda x: str(x))
def test_value_in_another_grammatical_form(
    vocabulary: vocab.Vocabulary, typed: str, code: str
) -> None:
    assert vocabulary.parse(typed) == code


INFLECTED = [
    v for v in (*vocab.ALL, vocab.ATTENDANCE_STATUSES, vocab.SERVICE_STATUSES) if v.inflected
]


@given(st.sampled_from([(v, code) for v in INFLECTED for code in v.codes]), st.data())
def test_every_form_of_a_value_means_that_value_only(
    item: tuple[vocab.Vocabulary, str], data: st.DataObject
) -> None:
    vocabulary, code = item
    forms = sorted(vocab.inflections(code))
    typed = data.draw(st.sampled_from(forms))
    assert vocabulary.parse(typed.upper()) == code
    for other in vocabulary.codes:
        if other != code:
            assert not set(forms) & vocab.inflections(other)


def test_the_other_vocabularies_are_not_inflected() -> None:
    # Sectors, areas and groups are names: "rodziny" is a target group, not a form of the
    # sector "rodzina".
    assert not any(v.inflected for v in (vocab.SECTORS, vocab.SERVICE_AREAS, vocab.TARGET_GROUPS))
    with pytest.raises(InvalidInput):
        vocab.SECTORS.parse("komunalni")


def test_status_forms_on_the_command_line(
    run: Run, query: Query, db_path: Path, world: dict[str, int]
) -> None:
    for typed, stored in (("obecna", "obecny"), ("nieobecni", "nieobecny")):
        result = run("spotkania", "obecnosc", "1", "MOPS", "--status", typed)
        assert result.exit_code == 0, result.stderr
        assert query("SELECT status FROM obecnosci WHERE instytucja = ?", (world["mops"],)) == [
            (stored,)
        ]
    conn = factories.connect(db_path)
    factories.service(conn, world["mops"], "Praca socjalna", "pomoc_spoleczna")
    conn.close()
    assert run("uslugi", "edytuj", "1", "--status", "zawieszone").exit_code == 0
    assert query("SELECT status FROM uslugi") == [("zawieszona",)]
    listed = run("uslugi", "lista", "--status", "zawieszony", "-f", "json")
    assert [s["nazwa"] for s in json.loads(listed.stdout)] == ["Praca socjalna"]
    basket = run("koszyk", "-g", "1012011", "--status", "zawieszone", "-f", "json")
    assert basket.exit_code == 0, basket.stderr
    meeting = run(
        "spotkania", "dodaj", "-g", "1012011", "-d", "2019-11-13", "-m", "PCPR",
        "--rodzaj", "warsztaty",
    )  # fmt: skip
    assert meeting.exit_code == 0, meeting.stderr
    assert query("SELECT rodzaj FROM spotkania WHERE id = 2") == [("warsztat",)]
