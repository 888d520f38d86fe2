"""Charts in the HTML reports: inline, static, deterministic SVG with a table of the numbers."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import site_sample
from tests.conftest import Result

Run = Callable[..., Result]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("wykresy") / "sample.db"
    site_sample.build(path)
    return path


@pytest.fixture(autouse=True)
def database(sample: Path, db_path: Path) -> Path:
    shutil.copyfile(sample, db_path)
    return db_path


def summary_html(run: Run, *args: str) -> str:
    result = run("raport", "zbiorczy", "--format", "html", "--do", "2020-12-31", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def figure(html: str, chart_id: str) -> str:
    match = re.search(rf'<figure class="wykres" id="{chart_id}-rys">.*?</figure>', html, re.S)
    assert match, chart_id
    return match.group(0)


def test_summary_has_three_static_charts(run: Run) -> None:
    html = summary_html(run)
    svgs = re.findall(r"<svg\b[^>]*>", html)
    assert [re.search(r'id="([^"]+)"', s).group(1) for s in svgs] == [  # type: ignore[union-attr]
        "wykres-sektory",
        "wykres-czlonkowie",
        "wykres-spotkania",
    ]
    assert all('role="img"' in s and "aria-label=" in s for s in svgs)
    assert "<script" not in html and "<!--" not in html
    # Nothing outside the file: the only URL is the SVG namespace.
    assert set(re.findall(r"https?://[^\s\"'<>)]+", html)) == {"http://www.w3.org/2000/svg"}
    assert summary_html(run) == html  # deterministic: no random ids, no dates


def test_every_chart_has_its_numbers_as_a_table(run: Run) -> None:
    html = summary_html(run)
    matrix = figure(html, "wykres-sektory")
    # Radomsko: social assistance (1), family (2) and police (7) covered; education (4) left.
    assert (
        "<tr><td>Radomsko (1012011)</td><td>●</td><td>●</td><td>–</td><td>–</td><td>–</td>"
        "<td>–</td><td>●</td>"
    ) in matrix
    members = figure(html, "wykres-czlonkowie")
    assert "<tr><td>PZK Radomsko</td><td>10.2019</td><td>4</td></tr>" in members
    assert "<tr><td>PZK Radomsko</td><td>11.2019</td><td>3</td></tr>" in members
    meetings = figure(html, "wykres-spotkania")
    assert "<tr><td>09.2019</td><td>1</td></tr>" in meetings
    assert "<tr><td>01.2020</td><td>1</td></tr>" in meetings
    assert "<tr><td>10.2019</td><td>0</td></tr>" not in meetings  # empty months: chart only


def test_many_teams_get_summarised_charts(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kooperacje.reports.charts.MATRIX_LIMIT", 2)
    monkeypatch.setattr("kooperacje.reports.charts.LINES_LIMIT", 2)
    html = summary_html(run)
    assert "Pokrycie sektorów: zespoły z członkiem w sektorze (z 3)" in html
    assert "<tr><td>pomoc i integracja społeczna ★</td><td>3</td></tr>" in html
    members = figure(html, "wykres-czlonkowie")
    assert "<tr><td>wszystkie zespoły</td><td>02.2020</td><td>6</td></tr>" in members


def test_markdown_and_csv_have_no_charts(run: Run) -> None:
    result = run("raport", "zbiorczy", "--format", "md")
    assert "<svg" not in result.stdout and "Wykresy" not in result.stdout


def test_site_pages_carry_charts(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "strona"
    assert run("raport", "strona", "-o", str(out), "--do", "2020-12-31").exit_code == 0
    team = (out / "zespoly/1012011.html").read_text("utf-8")
    assert '<section id="wykresy">' in team
    assert 'id="wykres-czlonkowie"' in team and 'id="wykres-spotkania"' in team
    assert team.index('<section id="wykresy">') < team.index("</main>")
    assert 'id="wykres-sektory"' in (out / "wojewodztwa/10.html").read_text("utf-8")
    # Nakło has a member but no meeting: one chart; no section at all without data.
    naklo = (out / "zespoly/0410033.html").read_text("utf-8")
    assert 'id="wykres-czlonkowie"' in naklo and 'id="wykres-spotkania"' not in naklo


def test_team_without_data_gets_no_chart_section(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "strona"
    assert run("raport", "strona", "-o", str(out), "--do", "2019-06-30").exit_code == 0
    assert '<section id="wykresy">' not in (out / "zespoly/1012011.html").read_text("utf-8")


def test_charting_library_is_imported_only_to_draw() -> None:
    code = (
        "import sys; from kooperacje.cli import app\n"
        "try:\n    app(['raport', 'zbiorczy', '--format', 'md'])\n"
        "except SystemExit:\n    pass\n"
        "print('pygal' in sys.modules, file=sys.stderr)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.stderr.strip().endswith("False"), proc.stderr
