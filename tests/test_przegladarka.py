"""The report site in a real browser: headless Chromium, driven over the DevTools protocol."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kooperacje.cli import app
from tests.cdp import Browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# A4 in PostScript points, and the width of its printable area in CSS pixels
# (210 mm less the 16 mm margins of the layout's @page rule, at 96 px per inch).
A4_POINTS = (595.28, 841.89)
A4_CONTENT_PX = round((210 - 2 * 16) / 25.4 * 96)

if CHROMIUM is None and os.environ.get("CI") != "true":
    pytest.skip(
        "Chromium nie jest zainstalowany (apt-get install chromium)", allow_module_level=True
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's data rendered as a report site."""
    folder = tmp_path_factory.mktemp("przegladarka")
    runner = CliRunner()
    demo = runner.invoke(app, ["demo", "-o", str(folder / "demo")])
    assert demo.exit_code == 0, demo.stderr
    result = runner.invoke(
        app,
        ["--baza", str(folder / "demo" / "demo.db"), "raport", "strona", "-o", str(folder / "s")],
    )
    assert result.exit_code == 0, result.stderr
    return folder / "s"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    assert CHROMIUM is not None, "CI must install chromium (see .ci/run)"
    chromium = Browser(CHROMIUM, tmp_path_factory.mktemp("profil"))
    yield chromium
    chromium.close()


def visit(browser: Browser, page: Path) -> str:
    """Open the page; fail on a console error or a request leaving the file system."""
    browser.open(page.as_uri())
    assert browser.problems() == [], page
    outside = [u for u in browser.requests() if not u.startswith(("file://", "data:"))]
    assert outside == [], page
    text: str = browser.evaluate("document.body.innerText")
    return text


def visible_charts(browser: Browser) -> int:
    count: int = browser.evaluate(
        "[...document.querySelectorAll('svg.pygal-chart')]"
        ".filter(s => s.getBoundingClientRect().width > 200"
        " && s.getBoundingClientRect().height > 100).length"
    )
    return count


def test_index_and_team_page(site: Path, browser: Browser, tmp_path: Path) -> None:
    index = visit(browser, site / "index.html")
    assert "Partnerskie Zespoły Kooperacyjne" in index
    assert "Partnerski Zespół Kooperacyjny w Gminie Miasto Radomsko" in index
    assert "Raporty zbiorcze" in index
    browser.screenshot(tmp_path / "index.png")
    team = visit(browser, site / "zespoly" / "1012011.html")
    assert "Członkowie według sektorów" in team
    assert "Powiatowe Centrum Pomocy Rodzinie w Radomsku" in team
    assert "Członkowie w czasie" in team
    assert "Zadaniowe zespoły kooperacyjne (ZZK)" in team
    assert visible_charts(browser) == 3  # members, meetings, task teams (the demo's ZZK)
    browser.screenshot(tmp_path / "zespol.png")
    for name in ("index.png", "zespol.png"):
        image = (tmp_path / name).read_bytes()
        assert image.startswith(b"\x89PNG") and len(image) > 20_000


def test_links_work_in_the_browser(site: Path, browser: Browser) -> None:
    visit(browser, site / "index.html")
    href = browser.evaluate("document.querySelector('a[href^=\"wojewodztwa/\"]').href")
    text = visit(browser, Path(href.removeprefix("file://")))
    assert "Raport zbiorczy: województwo" in text
    assert visible_charts(browser) == 3
    back = browser.evaluate("document.querySelector('nav.strona a').href")
    assert back == (site / "index.html").as_uri()


def test_team_report_prints_on_a4_without_cut_off_tables(site: Path, browser: Browser) -> None:
    visit(browser, site / "zespoly" / "1012011.html")
    browser.page("Emulation.setEmulatedMedia", media="print")
    browser.page(
        "Emulation.setDeviceMetricsOverride",
        width=A4_CONTENT_PX,
        height=1000,
        deviceScaleFactor=1,
        mobile=False,
    )
    try:
        too_wide = browser.evaluate(
            "(() => { const w = document.documentElement.clientWidth;"
            " return [...document.querySelectorAll('table, figure, svg')]"
            ".filter(e => e.getBoundingClientRect().right > w + 1"
            " || (e.tagName === 'TABLE' && e.scrollWidth > e.clientWidth + 1))"
            ".map(e => e.tagName + '.' + e.getAttribute('class')); })()"
        )
        assert too_wide == []
        assert browser.evaluate(
            "getComputedStyle(document.querySelector('nav.strona')).display"
        ) == ("none")
    finally:
        browser.page("Emulation.clearDeviceMetricsOverride")
        browser.page("Emulation.setEmulatedMedia", media="")
    pdf = browser.pdf()
    assert pdf.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert len(boxes) >= 2  # the report runs over several pages
    for width, height in boxes:
        assert abs(float(width) - A4_POINTS[0]) < 2 and abs(float(height) - A4_POINTS[1]) < 2
