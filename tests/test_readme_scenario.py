"""The README's two-team walk-through, run command by command as a new user pastes it.

The section between the markers `<!-- scenariusz-dwa-zespoly -->` and
`<!-- /scenariusz-dwa-zespoly -->` holds console blocks: a line starting with `kooperacje `
(or `$ kooperacje `) is a command, continued while it ends with a backslash; the lines after
it, up to the next command, are what the README says it prints ("…" stands for lines left
out). Every command must succeed and print those lines, and `luki` must then list the
agreement that was not signed by its date.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import Result

Run = Callable[..., Result]
Query = Callable[..., list[tuple[object, ...]]]

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- scenariusz-dwa-zespoly -->", "<!-- /scenariusz-dwa-zespoly -->"
TITLE = "Porozumienie o współdziałaniu w pilotażu modelu kooperacji"
NAKLO, KCYNIA = "0410033", "0410013"


@dataclass
class Step:
    """One command of the section and the output lines the README shows for it."""

    command: str
    shown: list[str] = field(default_factory=list)


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    assert text.count(START) == 1 and text.count(END) == 1, "markers missing or repeated"
    return text.split(START, 1)[1].split(END, 1)[0]


def _steps(section: str) -> list[Step]:
    steps: list[Step] = []
    for block in re.findall(r"```console\n(.*?)```", section, re.S):
        lines = block.splitlines()
        i = 0
        while i < len(lines):
            line = lines[i].removeprefix("$ ")
            if line.startswith("kooperacje "):
                while line.endswith("\\"):
                    i += 1
                    line = line[:-1] + " " + lines[i].strip()
                steps.append(Step(line))
            elif line.strip():
                assert steps, f"output before any command: {line!r}"
                steps[-1].shown.append(line)
            i += 1
    return steps


def test_section_is_a_whole_scenario() -> None:
    """The section covers what issue 12 asks of it, so the test below proves something."""
    steps = _steps(_section())
    commands = [s.command for s in steps]
    assert len(commands) >= 20
    assert commands[0] == "kooperacje baza utworz"
    assert any(c.startswith("kooperacje projekty dodaj") and "--partner" in c for c in commands)
    joint = [c for c in commands if c.startswith("kooperacje spotkania dodaj")]
    assert joint and joint[0].count("--gmina") == 2
    assert any(c.startswith("kooperacje porozumienia dodaj") and "--termin" in c for c in commands)
    assert commands[-1].startswith("kooperacje luki")


def test_readme_two_team_scenario(
    run: Run, query: Query, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Files the section writes (-o porozumienie.pdf) land in tmp_path, as in the user's
    # empty directory; the database is tmp_path/test.db (KOOPERACJE_BAZA, conftest).
    monkeypatch.chdir(tmp_path)
    outputs: list[tuple[str, Result]] = []
    for step in _steps(_section()):
        argv = shlex.split(step.command)
        assert argv[0] == "kooperacje"
        result = run(*argv[1:])
        assert result.exit_code == 0, f"{step.command}\n{result.stderr}"
        printed = (result.stdout + result.stderr).splitlines()
        for line in step.shown:
            if line != "…":
                assert line in printed, f"{step.command}\nREADME shows: {line}\nprinted:\n{printed}"
        outputs.append((step.command, result))

    gaps = [r.stdout for c, r in outputs if c.startswith("kooperacje luki")]
    assert gaps, "the section never runs luki"
    assert "Porozumienia niepodpisane w terminie (1):" in gaps[-1]
    assert f"nr 1: {TITLE}; miało zostać podpisane do 29 lutego 2020 r." in gaps[-1]

    # The database holds what the walk-through says it recorded.
    assert query("SELECT skrot, gmina FROM instytucje WHERE skrot = 'MGOPS' ORDER BY id") == [
        ("MGOPS", NAKLO),
        ("MGOPS", KCYNIA),
    ]
    assert query("SELECT nazwa, status, termin_podpisania FROM porozumienia") == [
        (TITLE, "planowane", "2020-02-29")
    ]
    assert query("SELECT count(*) FROM porozumienia_strony") == [(6,)]
    declared = query(
        "SELECT i.skrot, z.gmina FROM deklaracje d JOIN instytucje i ON i.id = d.instytucja "
        "JOIN zespoly z ON z.id = d.zespol ORDER BY d.id"
    )
    assert declared == [("MGOPS", NAKLO), ("PCPR", NAKLO), ("MGOPS", KCYNIA), ("PCPR", KCYNIA)]
    # The joint meeting is in both teams' lists.
    for gmina in (NAKLO, KCYNIA):
        listed = run("spotkania", "lista", "--gmina", gmina, "--format", "csv")
        assert "Model kooperacji w gminach powiatu nakielskiego" in listed.stdout
    assert (tmp_path / "porozumienie.pdf").read_bytes().startswith(b"%PDF-")


def test_readme_passes_markdownlint() -> None:
    """The README keeps the markdownlint rules the reports follow (.pymarkdown.json)."""
    from pymarkdown.api import PyMarkdownApi

    config = README.parent / ".pymarkdown.json"
    result = PyMarkdownApi().configuration_file_path(str(config)).scan_path(str(README))
    failures = [
        f"README.md:{f.line_number}:{f.column_number} {f.rule_id} {f.rule_description}"
        for f in result.scan_failures
    ]
    assert failures == []
