"""Printable meeting documents: attendance sheet, declarations, minutes; printed in Chromium;
and the whole meeting-day flow with networking disabled."""

from __future__ import annotations

import datetime as dt
import shutil
import socket
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import factories
from tests.conftest import Result, snapshot

Run = Callable[..., Result]
Query = Callable[..., list[tuple[object, ...]]]


@pytest.fixture
def world(db_path: Path) -> dict[str, int]:
    """A team with one member, a meeting, and three invited institutions not yet members."""
    conn = factories.connect(db_path)
    ids = {
        "mops": factories.institution(
            conn, "Miejski Ośrodek Pomocy Społecznej w Radomsku", skrot="MOPS"
        ),
        "lodz": factories.institution(
            conn,
            "Łódzki Urząd Wojewódzki – Delegatura",
            sektor="administracja",
            nip="7251000000",
            adres="ul. Piotrkowska 104",
            kod_pocztowy="90-926",
            miejscowosc="Łódź",
        ),
        "lo": factories.institution(conn, "Liceum Ogólnokształcące nr 1", sektor="edukacja"),
        "zoz": factories.institution(conn, "Zakład Opieki Zdrowotnej", sektor="zdrowie"),
    }
    factories.person(conn, ids["lo"], "Ewa Zielińska", stanowisko="dyrektorka")
    factories.person(conn, ids["lo"], "Adam Bąk")
    factories.service(conn, ids["lo"], "Zajęcia wyrównawcze", "edukacja")
    ids["team"] = factories.team(conn, "1012011", "PZK Radomsko")
    factories.declaration(conn, ids["team"], ids["mops"], "2019-09-01")
    ids["meeting"] = factories.meeting(
        conn,
        ids["team"],
        "2019-09-25",
        "Galeria Muzeum Regionalnego",
        godzina="10:00",
        opis="Przedstawiono model kooperacji.",
        ustalenia="Powołano grupę roboczą.",
        nastepne="9 października 2019 r., MOPS",
    )
    for key in ("mops", "lodz", "lo", "zoz"):
        conn.execute(
            "INSERT INTO obecnosci (spotkanie, instytucja, status) VALUES (?, ?, 'zaproszony')",
            (ids["meeting"], ids[key]),
        )
    conn.close()
    return ids


def test_attendance_sheet(run: Run, world: dict[str, int]) -> None:
    result = run("raport", "lista-obecnosci", "1", "--format", "md")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "# Lista obecności" in out
    assert "PZK Radomsko" in out
    assert "25 września 2019 r., godz. 10:00, Galeria Muzeum Regionalnego" in out
    rows = [
        line
        for line in out.splitlines()
        if line.startswith("| ") and line.split("|")[1].strip().rstrip(".").isdigit()
    ]
    # Polish order: L, then Ł, then M, then Z; a person per line; then 8 empty rows.
    assert [r.split("|")[2].strip() for r in rows[:5]] == [
        "Liceum Ogólnokształcące nr 1",
        "Liceum Ogólnokształcące nr 1",
        "Łódzki Urząd Wojewódzki – Delegatura",
        "Miejski Ośrodek Pomocy Społecznej w Radomsku (MOPS)",
        "Zakład Opieki Zdrowotnej",
    ]
    assert "Adam Bąk" in rows[0] and "Ewa Zielińska, dyrektorka" in rows[1]
    assert len(rows) == 5 + 8
    assert rows[-1].startswith("| 13. |  |")
    html = run("raport", "lista-obecnosci", "1", "--format", "html").stdout
    assert "@page { size: A4" in html and '<th class="podpis">Podpis</th>' in html


def test_one_declaration(run: Run, world: dict[str, int]) -> None:
    result = run("raport", "deklaracja", "-i", "Łódzki Urząd", "-g", "1012011", "-f", "md")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "# Deklaracja przystąpienia" in out
    assert "do zespołu „PZK Radomsko”" in out
    assert "NIP: 7251000000" in out
    assert "Adres: ul. Piotrkowska 104, 90-926 Łódź" in out
    assert "REGON: ……" in out
    assert "Zgoda:" in out and "służbowych danych kontaktowych" in out
    assert "Miejscowość i data: Radomsko, ……" in out
    # D/year of printing/team/institution: no meeting was given.
    assert f"Nr D/{dt.date.today().year}/1/0002" in out
    assert "Telefon służbowy: ……" in out and "E-mail służbowy: ……" in out
    # Nothing known that the institution brings: five lines to fill in.
    assert [n for n in range(1, 7) if f"\n{n}. ……" in out] == [1, 2, 3, 4, 5]


def test_declaration_with_meeting_names_people_and_services(
    run: Run, world: dict[str, int]
) -> None:
    result = run("raport", "deklaracja", "-i", "Liceum", "--spotkanie", "1", "-f", "md")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Przedstawiciel w zespole: Adam Bąk" in out
    assert "Zastępca: Ewa Zielińska" in out
    assert "instytucja wnosi:\n\n1. Zajęcia wyrównawcze\n2. ……" in out
    assert "5. ……" in out and "6. ……" not in out
    assert "Miejscowość i data: Radomsko, 25 września 2019 r." in out
    assert "Nr D/2019/1/0003" in out


def test_declarations_for_invited_non_members(run: Run, world: dict[str, int]) -> None:
    result = run("raport", "deklaracja", "--wszyscy-zaproszeni", "-s", "1", "-f", "md")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.count("# Deklaracja przystąpienia") == 3
    assert "Miejski Ośrodek" not in out  # already a member
    assert out.index("Liceum") < out.index("Łódzki") < out.index("Zakład")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "podaj --instytucja I"),
        (["--wszyscy-zaproszeni"], "--wszyscy-zaproszeni wymaga --spotkanie S"),
        (["-i", "MOPS"], "wskaż zespół"),
        (["-i", "MOPS", "-s", "9"], "nie ma spotkania o numerze 9"),
    ],
)
def test_declaration_errors(
    run: Run, db_path: Path, world: dict[str, int], args: list[str], message: str
) -> None:
    before = snapshot(db_path)
    result = run("raport", "deklaracja", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stdout == ""
    assert snapshot(db_path) == before


def test_minutes(run: Run, query: Query, world: dict[str, int]) -> None:
    script = "mops\n1\n\n\nliceum\n1\n1\nt\n\nKorepetycje\nedukacja\n\n"
    assert run("spotkania", "prowadz", "1", input=script).exit_code == 0
    assert (
        run(
            "spotkania", "obecnosc", "1", "Zakład Opieki Zdrowotnej", "-s", "usprawiedliwiony"
        ).exit_code
        == 0
    )
    result = run("raport", "protokol", "1", "-f", "md")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "# Protokół ze spotkania" in out
    assert "- Data: 25 września 2019 r., godz. 10:00" in out
    assert "- Rodzaj: spotkanie inicjujące" in out
    assert "## Obecni (2 instytucje)" in out
    # Sectors are headings (markdownlint: no bold lines standing in for headings).
    assert out.index("### Pomoc i integracja społeczna (sektor kluczowy)\n") < out.index(
        "### Edukacja (sektor kluczowy)\n"
    )
    assert "- Liceum Ogólnokształcące nr 1: Adam Bąk" in out
    assert "Nieobecności usprawiedliwione: Zakład Opieki Zdrowotnej." in out
    # Invited and never marked present: absent without an excuse.
    assert "Nieobecności nieusprawiedliwione: Łódzki Urząd Wojewódzki – Delegatura." in out
    assert "Przedstawiono model kooperacji." in out
    assert "## Ustalenia\n\n1. Powołano grupę roboczą.\n" in out
    assert "- Liceum Ogólnokształcące nr 1 (podpisał(a): Adam Bąk)" in out
    assert "- Liceum Ogólnokształcące nr 1: Korepetycje (edukacja publiczna)" in out
    assert "## Następne spotkanie\n\n9 października 2019 r., MOPS" in out
    html = run("raport", "protokol", "1", "-f", "html").stdout
    assert "<h2>Ustalenia</h2>" in html and "Korepetycje" in html


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _print_to_pdf(browser: str, html: Path, pdf: Path, profile: Path) -> None:
    subprocess.run(
        [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={profile}", "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}", html.as_uri(),
        ],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip


def test_printed_in_chromium(run: Run, tmp_path: Path, world: dict[str, int]) -> None:
    browser = _chromium()
    if browser is None:
        pytest.skip(
            "chromium nie jest zainstalowany (apt-get install chromium); .ci/run go instaluje"
        )
    from pypdf import PdfReader

    declarations = tmp_path / "deklaracje.html"
    sheet = tmp_path / "lista.html"
    assert run("raport", "deklaracja", "--wszyscy-zaproszeni", "-s", "1", "-o", str(declarations))
    assert run("raport", "lista-obecnosci", "1", "-o", str(sheet)).exit_code == 0
    _print_to_pdf(browser, declarations, tmp_path / "d.pdf", tmp_path / "profil1")
    _print_to_pdf(browser, sheet, tmp_path / "l.pdf", tmp_path / "profil2")

    pages = [p.extract_text() for p in PdfReader(tmp_path / "d.pdf").pages]
    assert len(pages) == 3
    names = ["Liceum Ogólnokształcące nr 1", "Łódzki Urząd Wojewódzki", "Zakład Opieki Zdrowotnej"]
    for text, name in zip(pages, names, strict=True):
        # Each page opens a declaration: its number, then its title.
        assert text.startswith("Nr D/2019/1/"), text[:80]
        assert "\nDeklaracja przystąpienia\n" in text
        assert name in text
        assert "podpis osoby uprawnionej" in text
        assert text.count("Deklaracja przystąpienia") == 1

    sheet_pages = [p.extract_text() for p in PdfReader(tmp_path / "l.pdf").pages]
    assert len(sheet_pages) == 1
    assert "Lista obecności" in sheet_pages[0]
    assert "25 września 2019 r." in sheet_pages[0]
    assert "Ewa Zielińska" in sheet_pages[0] and "13." in sheet_pages[0]


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to reach the network fails, as on a laptop in a museum hall."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("sieć wyłączona w teście")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_meeting_day_offline(offline: None, run: Run, query: Query, tmp_path: Path) -> None:
    with pytest.raises(OSError):
        socket.create_connection(("example.org", 80))

    def ok(*args: str, input: str | None = None) -> Result:
        result = run(*args, input=input)
        assert result.exit_code == 0, (args, result.stderr)
        return result

    ok("instytucje", "dodaj", "Miejski Ośrodek Pomocy Społecznej w Radomsku", "-g", "1012011",
       "-s", "pomoc_spoleczna", "--skrot", "MOPS")  # fmt: skip
    ok("instytucje", "dodaj", "Powiatowe Centrum Pomocy Rodzinie w Radomsku", "-g", "1012011",
       "-s", "rodzina", "--skrot", "PCPR")  # fmt: skip
    ok("zespoly", "zaloz", "--gmina", "1012011", "--lider", "MOPS")
    ok("spotkania", "dodaj", "-g", "1012011", "-d", "25.09.2019", "--godzina", "10:00",
       "-m", "Galeria Muzeum Regionalnego", "-r", "inicjujace")  # fmt: skip
    ok("spotkania", "zapros", "1", "--gmina", "1012011")
    ok("raport", "lista-obecnosci", "1", "-o", str(tmp_path / "lista.html"))
    ok("raport", "deklaracja", "--wszyscy-zaproszeni", "-s", "1", "-o", str(tmp_path / "d.html"))
    ok("spotkania", "ics", "1", "-o", str(tmp_path / "s.ics"))
    script = "mops\n1\nAnna Nowak\n\nt\n\n\npcpr radom\n1\n\nt\n\nPiecza\npiecza zastepcza\n\n"
    ok("spotkania", "prowadz", "1", input=script)
    ok("spotkania", "edytuj", "1", "--ustalenia", "Grupa robocza.")
    minutes = ok("raport", "protokol", "1").stdout
    assert "Deklaracje przystąpienia podpisane na spotkaniu" in minutes
    assert "Powiatowe Centrum Pomocy Rodzinie w Radomsku: Piecza" in minutes
    assert query("SELECT count(*) FROM deklaracje WHERE spotkanie = 1") == [(2,)]
    assert query("SELECT count(*) FROM obecnosci WHERE status = 'obecny'") == [(2,)]
    for name in ("lista.html", "d.html", "s.ics"):
        assert (tmp_path / name).stat().st_size > 0
