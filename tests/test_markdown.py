"""The Markdown reports pass markdownlint's rules (pymarkdownlnt), with the few exceptions
documented in .pymarkdown.json: every Markdown template, rendered from the demo data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from kooperacje.cli import app
from kooperacje.reports import filters
from kooperacje.reports.render import md, mdblock, mdcell

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / ".pymarkdown.json"
# Which output file comes from which template (the demo names its files by report).
PRODUCED_BY = {
    "zespol": ("zespol-*.md", "strona/zespoly/*.md"),
    "koszyk": ("koszyk-*.md", "strona/koszyki/*.md"),
    "spotkanie": ("spotkanie-*.md", "strona/spotkania/*.md"),
    "protokol": ("protokol-*.md",),
    "lista-obecnosci": ("lista-obecnosci-*.md",),
    "deklaracja": ("deklaracja-*.md",),
    "zbiorczy": ("zbiorczy.md", "strona/wojewodztwa/*.md", "strona/projekty/*.md"),
    "strona": ("strona/index.md",),
    "porozumienie": ("porozumienie-*.md",),
    "regulamin": ("regulamin-*.md",),
}


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), prog_name="kooperacje")
    assert result.exit_code == 0, (args, result.stderr)
    return result.stdout


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo's reports, and every other Markdown report of the demo database."""
    out = tmp_path_factory.mktemp("markdown")
    with pytest.MonkeyPatch.context() as patch:
        # No user's database or config file (with its own templates) may take part.
        patch.setenv("KOOPERACJE_BAZA", str(out / "nie-uzywac.db"))
        patch.setenv("KOOPERACJE_KONFIGURACJA", str(out / "brak.toml"))
        _run("demo", "-o", str(out))
        db = ["--baza", str(out / "demo.db")]
        meetings = json.loads(_run(*db, "spotkania", "lista", "-f", "json"))
        for meeting in meetings:
            number = str(meeting["id"])
            for report in ("protokol", "lista-obecnosci"):
                target = out / f"{report}-{number}.md"
                _run(*db, "raport", report, number, "-f", "md", "-o", str(target))
            declarations = out / f"deklaracja-{number}.md"
            _run(*db, "raport", "deklaracja", "--wszyscy-zaproszeni", "--spotkanie", number,
                 "-f", "md", "-o", str(declarations))  # fmt: skip
        for agreement in json.loads(_run(*db, "porozumienia", "lista", "-f", "json")):
            number = str(agreement["id"])
            target = out / f"porozumienie-{number}.md"
            _run(*db, "raport", "porozumienie", number, "-f", "md", "-o", str(target))
        # Zawiercie's team keeps its rules (regulamin) in the demo.
        target = out / "regulamin-2416021.md"
        _run(*db, "raport", "regulamin", "-g", "2416021", "-f", "md", "-o", str(target))
        _run(*db, "raport", "zbiorczy", "-f", "md", "-o", str(out / "zbiorczy.md"))
        _run(*db, "raport", "strona", "-o", str(out / "strona"), "--do", "2020-12-31")
        yield out


def test_every_markdown_template_is_checked(rendered: Path) -> None:
    templates = {p.stem for p in (ROOT / "templates").glob("*.md") if not p.name.startswith("_")}
    assert templates == set(PRODUCED_BY)
    for template, patterns in PRODUCED_BY.items():
        assert any(list(rendered.glob(pattern)) for pattern in patterns), template


def test_reports_pass_markdownlint(rendered: Path) -> None:
    from pymarkdown.api import PyMarkdownApi

    files = sorted(rendered.rglob("*.md"))
    assert len(files) > 40
    result = (
        PyMarkdownApi()
        .configuration_file_path(str(CONFIG))
        .scan_path(str(rendered), recurse_if_directory=True)
    )
    failures = [
        f"{Path(f.scan_file).relative_to(rendered)}:{f.line_number}:{f.column_number} "
        f"{f.rule_id} {f.rule_description} {f.extra_error_information or ''}"
        for f in result.scan_failures
    ]
    assert failures == []
    assert result.pragma_errors == []


def test_the_check_is_real() -> None:
    """The configuration keeps the rules the reports were fixed for."""
    from pymarkdown.api import PyMarkdownApi

    text = (
        "# Tytuł\n\n**Pogrubiona linia zamiast nagłówka**\n\n"
        "Adres: https://example.org\n\n| a |\n|---|\n| x<br>y |\n"
    )
    result = PyMarkdownApi().configuration_file_path(str(CONFIG)).scan_string(text)
    assert {f.rule_id for f in result.scan_failures} == {"MD033", "MD034", "MD036"}


def test_addresses_become_links_and_cells_have_no_html() -> None:
    assert md("Pisz: biuro@pcpr.pl albo https://pcpr.pl/o_nas.") == (
        "Pisz: <biuro@pcpr.pl> albo <https://pcpr.pl/o_nas>."
    )
    # Inside <…> nothing is escaped: the address stays exactly as it is.
    assert md("jan_nowak@mops.pl, *ważne*") == "<jan_nowak@mops.pl>, \\*ważne\\*"
    # Not an address (no domain, or letters an autolink cannot hold): plain escaped text.
    assert md("a@b i ala@łódź.pl") == "a@b i ala@łódź.pl"
    assert mdcell("ul. Tkacka 5\n97-500 Radomsko\nbiuro@mops.pl") == (
        "ul. Tkacka 5; 97-500 Radomsko; <biuro@mops.pl>"
    )
    assert mdcell("Zadzwoń.\nlub przyjdź") == "Zadzwoń. lub przyjdź"
    assert "<br>" not in mdcell("a\nb") and mdblock("- 1\nwww: https://x.pl") == (
        "\\- 1  \nwww: <https://x.pl>"
    )


@given(st.text(alphabet=st.sampled_from("ab ł_*[]<>|#~@:/.\\`-hts1\n"), max_size=40))
def test_markdown_escaping_skips_only_text_it_would_not_change(text: str) -> None:
    # Text passed through unchanged is text in which the full escaping finds nothing.
    if not filters._MD_ANY.search(text):
        assert filters._MD_SPECIAL.search(text) is None
        assert filters._MD_ADDRESS.search(text) is None
        assert filters._escaped(text) == text
    else:
        assert filters._escaped(text) == filters._escaped.__wrapped__(text)  # the cache


@given(st.text(alphabet=st.sampled_from("ab <&\"'\n\r\t\u2028 "), max_size=20))
def test_html_cell_breaks_only_at_line_ends(text: str) -> None:
    from markupsafe import Markup, escape

    lines = [escape(line.strip()) for line in text.replace("\r", "").split("\n")]
    assert filters.br(text) == Markup("<br>\n").join(line for line in lines if line)
