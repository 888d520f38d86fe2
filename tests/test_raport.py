"""`kooperacje raport zespol|spotkanie|koszyk` on a database made with tests/factories.py."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import factories
from tests.conftest import Result, snapshot

Run = Callable[..., Result]

SCRIPT = "<script>alert(1)</script>"


@dataclass(frozen=True)
class Ids:
    team: int
    meeting: int
    empty_meeting: int


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Ids]:
    """The Radomsko team in autumn 2019, built once per module (migrations take a while)."""
    path = tmp_path_factory.mktemp("raport") / "sample.db"
    conn = factories.connect(path)
    inst = factories.institution
    mops = inst(
        conn,
        "Miejski Ośrodek Pomocy Społecznej w Radomsku",
        skrot="MOPS",
        adres="ul. Tkacka 5",
        kod_pocztowy="97-500",
        miejscowosc="Radomsko",
        telefon="+48 44 683 40 00",
        email="mops@radomsko.pl",
        www="https://mops.example.org",
    )
    pcpr = inst(
        conn,
        "Powiatowe Centrum Pomocy Rodzinie w Radomsku",
        skrot="PCPR",
        sektor="rodzina",
        gmina="1012122",
    )
    names = ["Żak Stowarzyszenie", "Łask Fundacja", "Źródło Fundacja", "Lubliniec Fundacja"]
    ngos = [inst(conn, name, sektor="ngo") for name in names]
    script = inst(conn, SCRIPT, sektor="ngo")
    pipe = inst(conn, "Klub | Sportowy", sektor="sport")
    left = inst(conn, "Szkoła Podstawowa nr 1", sektor="edukacja")
    anna = factories.person(conn, mops, "Anna Nowak", stanowisko="dyrektor")
    factories.person(conn, pcpr, "Piotr Wiśniewski", stanowisko="kierownik")
    team = factories.team(
        conn,
        nazwa="PZK Radomsko",
        lider=mops,
        projekt="Kooperacje 3D",
        data_utworzenia="2019-09-25",
    )
    meeting = factories.meeting(
        conn,
        team,
        "2019-09-25",
        "Galeria Muzeum Regionalnego",
        godzina="10:00",
        adres="ul. Narutowicza 2, 97-500 Radomsko",
        opis="Omówiono zasady współpracy.",
    )
    empty = factories.meeting(conn, team, "2019-12-02", "Sala MOPS", rodzaj="posiedzenie")
    for inst_id in (mops, pcpr, *ngos, script, pipe):
        factories.attendance(conn, meeting, inst_id)
    factories.attendance(conn, meeting, mops, anna)
    factories.declaration(
        conn, team, pcpr, "2019-10-09", podpisal="Jan | Kowalski", spotkanie=meeting
    )
    for inst_id in (mops, *ngos, script, pipe, left):
        factories.declaration(conn, team, inst_id, "2019-10-15")
    factories.declaration(conn, team, left, "2019-11-20", rodzaj="wystapienie")
    factories.service(
        conn,
        pcpr,
        "Poradnictwo rodzinne",
        "wspieranie_rodziny",
        zasieg=("1012",),
        grupy=("rodziny",),
        jak_skorzystac="Zadzwoń | przyjdź",
    )
    factories.service(conn, mops, "Zasiłek celowy", "pomoc_spoleczna", grupy=("rodziny",))
    factories.service(conn, ngos[0], "Świetlica", "kultura", grupy=("dzieci_mlodziez",))
    factories.service(conn, ngos[1], "Stara usługa", "kultura", status="zakonczona")
    conn.close()
    return path, Ids(team=team, meeting=meeting, empty_meeting=empty)


@pytest.fixture(autouse=True)
def ids(sample: tuple[Path, Ids], db_path: Path) -> Ids:
    """Each test works on its own copy of the sample database."""
    shutil.copyfile(sample[0], db_path)
    return sample[1]


def external_links(html: str) -> list[str]:
    links = re.findall(r"""(?:src|href)\s*=\s*["']?([^"'\s>]+)""", html, flags=re.I)
    return [link for link in links if not link.startswith(("#", "mailto:"))]


def test_team_report_markdown(run: Run) -> None:
    result = run("raport", "zespol", "--gmina", "1012011", "--na-dzien", "2019-12-31")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.startswith("# PZK Radomsko\n")
    assert "Raport zespołu, stan na 31 grudnia 2019 r." in text
    assert "- **Gmina:** Radomsko (gmina miejska, TERYT 1012011)" in text
    assert "- **Powiat:** powiat radomszczański" in text
    assert "- **Województwo:** łódzkie (makroregion III)" in text
    assert "- **Lider:** Miejski Ośrodek Pomocy Społecznej w Radomsku" in text
    assert "- **Data utworzenia:** 25 września 2019 r." in text
    assert "przedstawiciele: Anna Nowak (dyrektor)" in text
    # The school withdrew on 2019-11-20: education is a gap again, flagged as core.
    assert "| **Edukacja** | ★ tak | 0 |  | **⚠ BRAK (sektor kluczowy)** |" in text
    assert "| **Rynek pracy** | nie | 0 |  | **BRAK** |" in text
    assert "| Pomoc i integracja społeczna | ★ tak | 1 | MOPS | pokryty |" in text
    assert "| Sport i rekreacja | nie | 1 | Klub \\| Sportowy | pokryty |" in text
    assert (
        "| 9 października 2019 r. | Powiatowe Centrum Pomocy Rodzinie w Radomsku (PCPR) |" in text
    )
    assert "| 20 listopada 2019 r. | Szkoła Podstawowa nr 1 | wystąpienie |" in text
    assert "Jan \\| Kowalski" in text
    assert "| 25 września 2019 r. | 10:00 | Galeria Muzeum Regionalnego" in text
    assert "| 2 grudnia 2019 r. |  | Sala MOPS | posiedzenie | 0 |" in text
    assert "Zadzwoń \\| przyjdź" in text
    assert "Stara usługa" not in text  # ended services are not in the basket
    assert "- Ochrona środowiska" in text  # an area with no service
    assert "_Wygenerowano programem kooperacje " in text


def test_team_report_members_in_polish_order(run: Run) -> None:
    text = run("raport", "zespol", "--gmina", "1012011", "--na-dzien", "2019-12-31").stdout
    members = text[text.index("### Organizacje pozarządowe") : text.index("## Pokrycie")]
    order = [
        "\\<script\\>alert(1)\\</script\\>",
        "Lubliniec Fundacja",
        "Łask Fundacja",
        "Źródło Fundacja",
        "Żak Stowarzyszenie",
    ]
    positions = [members.index(f"**{name}**") for name in order]
    assert positions == sorted(positions)


def test_team_report_on_an_earlier_day(run: Run) -> None:
    result = run("raport", "zespol", "--zespol", "PZK Radomsko", "--na-dzien", "10.10.2019")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "stan na 10 października 2019 r." in text
    assert "- **Członkowie:** 1 (sektory: 1 z 16)" in text
    assert "15 października 2019 r." not in text  # later declarations are left out
    assert "2 grudnia 2019 r." not in text  # and later meetings


def test_team_report_html(run: Run) -> None:
    result = run(
        "raport", "zespol", "--zespol", "1", "--format", "html", "--na-dzien", "2019-12-31"
    )
    assert result.exit_code == 0, result.stderr
    html = result.stdout
    assert html.startswith('<!DOCTYPE html>\n<html lang="pl">')
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html
    assert "Klub | Sportowy" in html
    assert re.search(r'<tr class="luka kluczowy">\s*<td>Edukacja</td>', html)
    assert "stan na 31 grudnia 2019 r." in html
    assert "@page { size: A4;" in html
    assert external_links(html) == []


def test_team_report_defaults_to_today(run: Run) -> None:
    import datetime as dt

    from kooperacje.dates import polish_date

    result = run("raport", "zespol", "--gmina", "1012011")
    assert result.exit_code == 0, result.stderr
    assert f"stan na {polish_date(dt.date.today())}" in result.stdout


def test_output_file_format_from_suffix(run: Run, tmp_path: Path, db_path: Path) -> None:
    before = snapshot(db_path)
    target = tmp_path / "wyniki" / "zespol.html"
    result = run("raport", "zespol", "--gmina", "1012011", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == f"Zapisano raport: {target.resolve()}"
    html = target.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert [p.name for p in target.parent.iterdir()] == ["zespol.html"]
    # Writing again replaces the file with the same content (no timestamps).
    assert run("raport", "zespol", "--gmina", "1012011", "--wyjscie", str(target)).exit_code == 0
    assert target.read_text("utf-8") == html
    assert snapshot(db_path) == before


def test_output_file_explicit_format_wins(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "notatka.html"
    result = run("raport", "spotkanie", "1", "--format", "md", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert target.read_text("utf-8").startswith("# Notatka ze spotkania")


def test_output_file_with_unknown_suffix_needs_a_format(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "raport.txt"
    result = run("raport", "koszyk", "--gmina", "1012011", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr.startswith("Błąd: nie wiadomo, w jakim formacie zapisać")
    assert "--format md" in result.stderr
    assert not target.exists()


def test_meeting_note_markdown(run: Run, ids: Ids) -> None:
    result = run("raport", "spotkanie", str(ids.meeting))
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.startswith("# Notatka ze spotkania: Spotkanie inicjujące\n")
    assert "- **Data:** 25 września 2019 r., godz. 10:00" in text
    assert "- **Miejsce:** Galeria Muzeum Regionalnego, ul. Narutowicza 2, 97-500 Radomsko" in text
    assert "- **Rodzaj:** spotkanie inicjujące" in text
    assert "- **Zespół:** PZK Radomsko" in text
    assert "## Obecni (8 instytucji)" in text
    sectors = [line for line in text.splitlines() if line.startswith("### ")]
    assert sectors == [
        "### Pomoc i integracja społeczna (★ sektor kluczowy)",
        "### Wspieranie rodziny i piecza zastępcza",
        "### Organizacje pozarządowe i ekonomia społeczna",
        "### Sport i rekreacja",
    ]
    assert "- Miejski Ośrodek Pomocy Społecznej w Radomsku (MOPS): Anna Nowak (dyrektor)" in text
    assert "- Klub \\| Sportowy" in text
    assert text.index("- Łask Fundacja") < text.index("- Źródło Fundacja")
    assert text.index("- Źródło Fundacja") < text.index("- Żak Stowarzyszenie")
    assert (
        "| 9 października 2019 r. | Powiatowe Centrum Pomocy Rodzinie w Radomsku (PCPR) |" in text
    )
    assert "Omówiono zasady współpracy." in text


def test_meeting_note_html(run: Run, ids: Ids) -> None:
    result = run("raport", "spotkanie", str(ids.empty_meeting), "-f", "html")
    assert result.exit_code == 0, result.stderr
    html = result.stdout
    assert "<h1>Notatka ze spotkania</h1>" in html
    assert "2 grudnia 2019 r." in html
    assert "Nie zapisano listy obecności." in html
    assert "Nie zapisano podsumowania spotkania." in html
    assert external_links(html) == []


def test_meeting_note_escapes_script(run: Run, ids: Ids) -> None:
    html = run("raport", "spotkanie", str(ids.meeting), "-f", "html").stdout
    assert "<strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong>" in html
    assert "<script" not in html


def test_basket_report(run: Run) -> None:
    result = run("raport", "koszyk", "--gmina", "1012011", "--format", "md")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.startswith("# Lokalny koszyk usług: Radomsko\n")
    assert (
        "## Spis treści\n\n1. Wspieranie rodziny (1 usługa)\n2. Pomoc społeczna (1 usługa)\n"
        in text
    )
    assert "3. Kultura (1 usługa)" in text
    # A powiat-wide service of a provider seated elsewhere is in the basket.
    assert "#### Poradnictwo rodzinne" in text
    assert "- **Realizator:** Powiatowe Centrum Pomocy Rodzinie w Radomsku" in text
    assert "- **Dla kogo:** rodziny" in text
    assert "- **Jak skorzystać:** Zadzwoń \\| przyjdź" in text
    assert "- **Kontakt:** tel. +48 44 683 40 00, <mops@radomsko.pl>" in text
    assert "- **Gdzie:** ul. Tkacka 5, 97-500 Radomsko" in text
    assert "Stara usługa" not in text


def test_basket_report_filtered(run: Run) -> None:
    result = run("raport", "koszyk", "--gmina", "1012011", "--obszar", "kultura", "--dla", "dzieci")
    assert result.exit_code == 0, result.stderr
    assert "obszar „kultura”; dla grupy „dzieci i młodzież”" in result.stdout
    assert "Świetlica" in result.stdout
    assert "Poradnictwo rodzinne" not in result.stdout


def test_basket_report_html_links_only_to_entered_www(run: Run) -> None:
    html = run("raport", "koszyk", "--gmina", "1012011", "-f", "html").stdout
    assert external_links(html) == ["https://mops.example.org"]
    assert '<a href="#obszar-kultura">Kultura</a>' in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("zespol", "--gmina", "1012122"), "nie ma jeszcze zespołu"),
        (("zespol", "--gmina", "Radomsko"), "jest niejednoznaczna"),
        (("zespol", "--gmina", "Nibylandia"), 'nie znaleziono gminy "Nibylandia"'),
        (("zespol", "--zespol", "99"), "nie ma zespołu o numerze 99"),
        (("zespol",), "podaj --gmina G albo --zespol Z"),
        (("zespol", "--gmina", "1012011", "--na-dzien", "2019-02-30"), "nie istnieje"),
        (("spotkanie", "999"), "nie ma spotkania o numerze 999"),
        (("koszyk", "--gmina", "1012011", "--obszar", "kosmos"), 'nieznany obszar usług: "kosmos"'),
    ],
)
def test_errors_in_polish(run: Run, db_path: Path, args: tuple[str, ...], message: str) -> None:
    before = snapshot(db_path)
    result = run("raport", *args)
    assert result.exit_code == 1
    assert result.stderr.startswith("Błąd: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert snapshot(db_path) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("zespol", "--gmina", "1012011", "--format", "docx"), "Dozwolone wartości: md, html, pdf"),
        (("spotkanie", "pierwsze"), "podaj liczbę całkowitą"),
        (("koszyk",), "brak wymaganej opcji --gmina"),
    ],
)
def test_usage_errors(run: Run, args: tuple[str, ...], message: str) -> None:
    result = run("raport", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("Błąd: ")
    assert message in result.stderr


# --- the basket as a catalogue (filters, directory fields, index) -----------------------


@pytest.fixture
def directory_ids(db_path: Path, template: Path) -> dict[str, int]:
    from tests import directory

    return directory.build(db_path, template)


def test_basket_catalogue_markdown(run: Run, directory_ids: dict[str, int]) -> None:
    import datetime as dt

    from kooperacje.dates import polish_date

    result = run("raport", "koszyk", "--gmina", "1012011", "--format", "md")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert f"**Stan na:** {polish_date(dt.date.today())}" in text
    for line in (
        "- **Dla kogo:** dzieci i młodzież; wiek: 13–18 lat",
        "- **Kryteria:** Uczniowie szkół w Radomsku",
        "- **Koszt:** odpłatne według dochodu",
        "- **Gdzie:** ul. Reymonta 3, 97-500 Radomsko",
        "- **Gdzie:** przez telefon",
        "- **Kiedy:** poniedziałek, wtorek, środa, czwartek, piątek; 8:00–15:00",
        "- **Kontakt:** Anna Nowak, tel. +48 44 683 28 82, <interwencja@radomsko.pl>",
        "- **Sprawdzono:** 10 stycznia 2026 r.",
        "## Indeks realizatorów",
        "- Powiatowe Centrum Pomocy Rodzinie w Radomsku (PCPR): 1. wspieranie rodziny",
        "- Miejski Ośrodek Pomocy Społecznej w Radomsku (MOPS): 2. pomoc społeczna",
    ):
        assert line in text.splitlines(), line
    index = text.split("## Indeks realizatorów", 1)[1]
    assert index.index("Miejski Ośrodek") < index.index("Poradnia") < index.index("Stowarzysz")
    assert "Program Senior+" not in text and "Grupa wsparcia" not in text


def test_basket_catalogue_filters(run: Run, directory_ids: dict[str, int]) -> None:
    result = run(
        "raport",
        "koszyk",
        "-g",
        "1012011",
        "-f",
        "html",
        "--wiek",
        "15",
        "--bezplatne",
        "--szukaj",
        "psycholog",
    )
    assert result.exit_code == 0, result.stderr
    html = result.stdout
    assert (
        "<strong>Wybrane usługi:</strong> wiek 15 lat; tylko bezpłatne; wyszukiwanie „psycholog”."
        in html
    )
    assert "Konsultacje psychologiczne dla młodzieży" in html
    assert "Interwencja kryzysowa" in html
    assert "Usługi opiekuńcze" not in html and "Telefon zaufania" not in html
    assert '<a href="#obszar-zdrowie">' in html
    suspended = run("raport", "koszyk", "-g", "1012011", "--status", "zawieszona")
    assert "Grupa wsparcia psychologicznego" in suspended.stdout
    assert "Program Senior+" not in suspended.stdout
    none = run("raport", "koszyk", "-g", "1012011", "--szukaj", "astronomia")
    assert "_Koszyk nie zawiera wybranych usług." in none.stdout


def test_team_report_has_group_and_verification_gaps(
    run: Run, directory_ids: dict[str, int]
) -> None:
    result = run("raport", "zespol", "--gmina", "1012011", "--format", "md")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "### Grupy docelowe bez żadnej usługi (5)" in text
    assert "- Osoby bezrobotne" in text.splitlines()
    assert "### Usługi niesprawdzane od ponad 12 miesięcy" in text
    assert (
        f"- Usługi opiekuńcze (Miejski Ośrodek Pomocy Społecznej w Radomsku), nr "
        f"{directory_ids['senior']}: ostatnio sprawdzona 1 maja 2024 r."
    ) in text.splitlines()
    html = run("raport", "zespol", "--gmina", "1012011", "--format", "html").stdout
    assert "<h3>Grupy docelowe bez żadnej usługi (5)</h3>" in html
