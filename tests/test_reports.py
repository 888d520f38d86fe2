"""Every report template rendered with a sample context; the filters; atomic writing."""

from __future__ import annotations

import os
import re
import stat
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kooperacje import __version__
from kooperacje.errors import InvalidInput
from kooperacje.register.vocab import CORE_SECTORS, SECTORS, SERVICE_AREAS
from kooperacje.reports import render as reports
from kooperacje.reports.basket_context import AreaGroup, BasketReport, Provider, ServiceEntry
from kooperacje.reports.context import PersonRow, Place
from kooperacje.reports.meeting_context import AttendeeRow, AttendeeSector, MeetingNote
from kooperacje.reports.team_context import (
    DeclarationRow,
    MeetingRow,
    MemberRow,
    SectorRow,
    TeamHeader,
    TeamReport,
)

SCRIPT = "<script>alert(1)</script>"
PLACE = Place(
    kod="1012011",
    nazwa="Radomsko",
    rodzaj="gmina miejska",
    powiat="powiat radomszczański",
    wojewodztwo="łódzkie",
)


def _member(nazwa: str, skrot: str | None = None, *people: PersonRow) -> MemberRow:
    return MemberRow(
        instytucja=1, nazwa=nazwa, skrot=skrot, od="2019-10-09", przedstawiciele=people
    )


def _provider(nazwa: str, *services: ServiceEntry, www: str | None = None) -> Provider:
    return Provider(
        nazwa=nazwa,
        skrot=None,
        adres="ul. Tkacka 5, 97-500 Radomsko",
        telefon="+48 44 683 40 00",
        email="biuro@example.org",
        www=www,
        uslugi=services,
    )


SERVICE = ServiceEntry(
    nazwa="Poradnictwo | rodzinne",
    opis="Spotkania z psychologiem.\nW każdy wtorek.",
    dla=("rodziny", "dzieci i młodzież"),
    kryteria="Mieszkańcy powiatu",
    jak_skorzystac="Zadzwoń\nlub przyjdź",
    odplatnosc="bezpłatnie",
    kontakt=None,
    zasieg=("powiat radomszczański (1012)",),
)
BASKET = (
    AreaGroup(
        kod="wspieranie_rodziny",
        nazwa="wspieranie rodziny",
        dostawcy=(
            _provider("Lubliniec Fundacja", SERVICE),
            _provider(SCRIPT, SERVICE, www="https://pcpr.example.org"),
        ),
    ),
)


def team_context() -> TeamReport:
    members = {
        "pomoc_spoleczna": (
            _member(
                "Miejski Ośrodek Pomocy Społecznej w Radomsku",
                "MOPS",
                PersonRow("Anna Nowak", "dyrektor"),
            ),
        ),
        "ngo": (_member("Lubliniec Fundacja"), _member("Łask | Stowarzyszenie"), _member(SCRIPT)),
    }
    return TeamReport(
        zespol=TeamHeader(
            id=1,
            nazwa="Partnerski Zespół Kooperacyjny – Radomsko",
            gmina=PLACE,
            projekt="Kooperacje 3D",
            lider="Miejski Ośrodek Pomocy Społecznej w Radomsku",
            data_utworzenia="2019-09-25",
            makroregion="III",
        ),
        stan_na="2020-01-31",
        sektory=tuple(
            SectorRow(
                kod=code,
                nazwa=label,
                kluczowy=code in CORE_SECTORS,
                czlonkowie=members.get(code, ()),
            )
            for code, label in SECTORS.items
        ),
        deklaracje=(
            DeclarationRow(
                data="2019-10-09",
                instytucja=SCRIPT,
                skrot=None,
                rodzaj="przystapienie",
                rodzaj_nazwa="przystąpienie",
                podpisal="Jan | Kowalski",
                spotkanie="2019-09-25",
            ),
        ),
        spotkania=(
            MeetingRow(
                id=1,
                data="2019-09-25",
                godzina="10:00",
                miejsce="Galeria Muzeum Regionalnego",
                adres=None,
                rodzaj_nazwa="spotkanie inicjujące",
                tytul="Spotkanie inicjujące",
                instytucji=12,
                osob=3,
            ),
        ),
        koszyk=BASKET,
        obszary_bez_uslug=tuple(label for code, label in SERVICE_AREAS.items if code != "zdrowie"),
        wersja=__version__,
    )


def meeting_context() -> MeetingNote:
    return MeetingNote(
        id=1,
        tytul="Spotkanie inicjujące",
        data="2019-09-25",
        godzina="10:00",
        miejsce="Galeria Muzeum Regionalnego im. Stanisława Sankowskiego",
        adres="ul. Narutowicza 2, 97-500 Radomsko",
        rodzaj_nazwa="spotkanie inicjujące",
        zespol="PZK Radomsko",
        gmina=PLACE,
        obecni=(
            AttendeeSector(
                kod="ngo",
                nazwa="organizacje pozarządowe i ekonomia społeczna",
                kluczowy=False,
                instytucje=(
                    AttendeeRow(SCRIPT, None, (PersonRow("Ewa Żak", None),)),
                    AttendeeRow("Łask | Stowarzyszenie", "ŁS", ()),
                ),
            ),
        ),
        deklaracje=(),
        opis="Omówiono zasady współpracy.\n\n# nie nagłówek\n- nie lista",
        wersja=__version__,
    )


def basket_context(areas: tuple[AreaGroup, ...] = BASKET) -> BasketReport:
    return BasketReport(
        gmina=PLACE,
        zespol="PZK Radomsko",
        obszar=None,
        grupa="rodziny",
        obszary=areas,
        wersja=__version__,
    )


CONTEXTS = {"zespol": team_context, "spotkanie": meeting_context, "koszyk": basket_context}


VOID = frozenset({"meta", "br", "link", "img", "hr", "input"})


class _Checker(HTMLParser):
    """Collects tags, links and unbalanced elements of an HTML document."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.links: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.links += [v or "" for k, v in attrs if k in ("href", "src")]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
        else:
            self.stack.pop()


def check_html(text: str) -> _Checker:
    checker = _Checker()
    checker.feed(text)
    checker.close()
    assert not checker.errors, checker.errors
    assert not checker.stack, checker.stack
    return checker


@pytest.mark.parametrize("name", sorted(CONTEXTS))
def test_every_html_template_is_a_self_contained_printable_page(name: str) -> None:
    html = reports.render(name, "html", CONTEXTS[name]())
    assert html.startswith('<!DOCTYPE html>\n<html lang="pl">')
    assert '<meta charset="utf-8">' in html
    assert f'<meta name="generator" content="kooperacje {__version__}">' in html
    assert "@page { size: A4;" in html
    assert "thead { display: table-header-group; }" in html
    assert "break-inside: avoid" in html
    assert f"Wygenerowano programem kooperacje {__version__}." in html
    checker = check_html(html)
    assert not checker.tags & {"script", "link", "img", "iframe"}
    assert "url(" not in html and "@import" not in html
    for link in checker.links:
        assert link.startswith(("#", "mailto:")) or link == "https://pcpr.example.org", link


@pytest.mark.parametrize("name", sorted(CONTEXTS))
def test_html_escapes_user_text(name: str) -> None:
    html = reports.render(name, "html", CONTEXTS[name]())
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html


@pytest.mark.parametrize("name", sorted(CONTEXTS))
def test_markdown_escapes_user_text_and_is_not_html_escaped(name: str) -> None:
    text = reports.render(name, "md", CONTEXTS[name]())
    assert text.startswith("# ")
    assert text.endswith(f"_Wygenerowano programem kooperacje {__version__}._\n")
    assert "\\<script\\>alert(1)\\</script\\>" in text
    assert "&lt;" not in text
    for line in text.splitlines():
        if line.startswith("|"):
            # Every table row has the same number of unescaped separators as its header.
            assert line.endswith("|"), line


def test_team_templates_show_gaps_and_core_sectors() -> None:
    context = team_context()
    text = reports.render("zespol", "md", context)
    assert "stan na 31 stycznia 2020 r." in text
    assert "| **Edukacja** | ★ tak | 0 |  | **⚠ BRAK (sektor kluczowy)** |" in text
    assert "| **Rynek pracy** | nie | 0 |  | **BRAK** |" in text
    assert "| Pomoc i integracja społeczna | ★ tak | 1 | MOPS | pokryty |" in text
    assert "Łask \\| Stowarzyszenie" in text
    assert "| 9 października 2019 r. | \\<script\\>alert(1)\\</script\\> |" in text
    assert "Jan \\| Kowalski" in text
    assert "- Promocja i ochrona zdrowia" not in text  # the one area with a service
    assert "- Ochrona środowiska" in text
    html = reports.render("zespol", "html", context)
    row = re.search(r'<tr class="luka kluczowy">\s*<td>Edukacja</td>', html)
    assert row is not None
    assert '<tr class="luka">\n<td>Rynek pracy</td>' in html
    assert "25 września 2019 r." in html
    assert html.count("★ sektor kluczowy") >= 4


def test_meeting_templates() -> None:
    text = reports.render("spotkanie", "md", meeting_context())
    assert "# Notatka ze spotkania: Spotkanie inicjujące" in text
    assert "- **Data:** 25 września 2019 r., godz. 10:00" in text
    assert "## Obecni (2 instytucje)" in text
    assert "### Organizacje pozarządowe i ekonomia społeczna" in text
    assert "Ewa Żak" in text
    assert "\\# nie nagłówek" in text and "\\- nie lista" in text
    assert "_Na tym spotkaniu nie zapisano żadnej deklaracji._" in text
    html = reports.render("spotkanie", "html", meeting_context())
    assert "<p>Omówiono zasady współpracy.</p>" in html
    assert "Obecni (2 instytucje)" in html


def test_basket_templates() -> None:
    text = reports.render("koszyk", "md", basket_context())
    assert "1. Wspieranie rodziny (2 usługi)" in text
    assert "## 1. Wspieranie rodziny" in text
    assert "#### Poradnictwo \\| rodzinne" in text
    assert "- **Dla kogo:** rodziny, dzieci i młodzież" in text
    assert "- **Jak skorzystać:** Zadzwoń lub przyjdź" in text
    assert "- **Kontakt:** tel. +48 44 683 40 00, <biuro@example.org>" in text
    assert "dla grupy „rodziny”" in text
    assert text.index("### Lubliniec Fundacja") < text.index("### \\<script\\>")
    html = reports.render("koszyk", "html", basket_context())
    assert '<a href="#obszar-wspieranie_rodziny">Wspieranie rodziny</a> (2 usługi)' in html
    assert '<section class="obszar" id="obszar-wspieranie_rodziny">' in html
    assert "<dd>Zadzwoń<br>\nlub przyjdź</dd>" in html
    assert '<a href="https://pcpr.example.org">https://pcpr.example.org</a>' in html


def test_empty_basket_says_so() -> None:
    text = reports.render("koszyk", "md", basket_context(()))
    assert "_Koszyk nie zawiera wybranych usług." in text
    html = reports.render("koszyk", "html", basket_context(()))
    assert "Spis treści" not in html
    check_html(html)


def test_www_that_is_not_a_web_address_is_not_a_link() -> None:
    provider = _provider("Fundacja", SERVICE, www="javascript:alert(1)")
    html = reports.render(
        "koszyk", "html", basket_context((AreaGroup("kultura", "kultura", (provider,)),))
    )
    assert 'href="javascript' not in html
    assert "www: javascript:alert(1)" in html


def test_rendering_is_deterministic() -> None:
    for name, make in CONTEXTS.items():
        for fmt in reports.FORMATS:
            assert reports.render(name, fmt, make()) == reports.render(name, fmt, make())


def test_undefined_names_are_errors() -> None:
    from jinja2 import UndefinedError

    env = reports.environment()
    with pytest.raises(UndefinedError):
        env.from_string("{{ raport.brak }}").render(raport=basket_context())
    assert env is reports.environment()  # one environment


def test_unknown_format_is_refused() -> None:
    with pytest.raises(InvalidInput, match="md \\(Markdown\\) albo html"):
        reports.render("koszyk", "pdf", basket_context())


def test_markdown_filters() -> None:
    assert reports.md("a | b\\c *d* _e_ [f](g) <h>") == (
        "a \\| b\\\\c \\*d\\* \\_e\\_ \\[f\\](g) \\<h\\>"
    )
    assert reports.md("jeden\ndwa") == "jeden dwa"
    assert reports.md(None) == ""
    assert reports.mdcell("a|b\r\nc\n\nd") == "a\\|b; c; d"
    assert reports.mdblock("raz\ndwa\n\n\n1. trzy\n> cztery") == (
        "raz  \ndwa\n\n1\\. trzy  \n\\> cztery"
    )


def test_html_filters() -> None:
    assert str(reports.br("<b>\nx")) == "&lt;b&gt;<br>\nx"
    assert str(reports.paragraphs("a\nb\n\n<c>")) == "<p>a<br>\nb</p>\n<p>&lt;c&gt;</p>"
    assert reports.capfirst("łódzkie") == "Łódzkie"
    assert reports.slownie("2019-10-09") == "9 października 2019 r."
    assert reports.slownie(None) == ""


@pytest.mark.parametrize(
    ("count", "expected"),
    [(1, "1 usługa"), (2, "2 usługi"), (5, "5 usług"), (12, "12 usług"), (22, "22 usługi")],
)
def test_polish_plural(count: int, expected: str) -> None:
    assert reports.odmiana(count, "usługa", "usługi", "usług") == expected


def test_format_inference() -> None:
    assert reports.infer_format(None, None) == "md"
    assert reports.infer_format(None, Path("r.HTML")) == "html"
    assert reports.infer_format(None, Path("r.htm")) == "html"
    assert reports.infer_format(None, Path("r.md")) == "md"
    assert reports.infer_format("html", Path("r.md")) == "html"
    with pytest.raises(InvalidInput, match=r"rozszerzenie \.md lub \.html"):
        reports.infer_format(None, Path("r.txt"))


def test_templates_are_found() -> None:
    folder = reports.templates_dir()
    names = {p.name for p in folder.iterdir()}
    for name in CONTEXTS:
        assert {f"{name}.md", f"{name}.html"} <= names


def test_write_is_atomic_and_keeps_permissions(tmp_path: Path) -> None:
    target = tmp_path / "raporty" / "zespol.html"
    reports.write("pierwszy\n", target, personal=False)
    assert target.read_text("utf-8") == "pierwszy\n"
    os.chmod(target, 0o640)
    reports.write("drugi – ąę\n", target, personal=False)
    assert target.read_text("utf-8") == "drugi – ąę\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in target.parent.iterdir()) == ["zespol.html"]


def test_write_to_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="jest katalogiem"):
        reports.write("x", tmp_path, personal=False)
