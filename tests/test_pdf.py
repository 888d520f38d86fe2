"""PDF documents typeset by the tool (Typst): checked from the PDF itself (pypdf text,
page count), turned into images with pdftoppm, and tried with hostile text."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import struct
import subprocess
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader
from typer.testing import CliRunner

from kooperacje.cli import app
from kooperacje.reports import documents, meeting_documents
from kooperacje.store.db import open_db
from tests import factories
from tests.conftest import Result, snapshot

Run = Callable[..., Result]

ORGANISATION = "Miejski Ośrodek Pomocy Społecznej w Radomsku"
STATEMENT = "Projekt współfinansowany ze środków Europejskiego Funduszu Społecznego."
POLISH = "Zażółć gęślą jaźń Łódź"
TEAM = f"Zespół {POLISH}"
HOSTILE = '#set page(paper: "a5") $x^2$ *gruby* [link] \\ <script>alert(1)</script> @ref // x'
SIGNATURES = "protokołował(a) koordynator zespołu"
PDFTOPPM = shutil.which("pdftoppm")


@pytest.fixture
def world(db_path: Path, tmp_path: Path) -> dict[str, int]:
    """A team in a project, a meeting with four invited institutions (one named with
    Typst, Markdown and HTML markup), services in several areas, and a config file."""
    conn = factories.connect(db_path)
    ids = {
        "mops": factories.institution(
            conn,
            ORGANISATION,
            skrot="MOPS",
            adres="ul. Tkacka 5",
            kod_pocztowy="97-500",
            miejscowosc="Radomsko",
        ),
        "polish": factories.institution(conn, f"Stowarzyszenie {POLISH}", sektor="ngo"),
        "hostile": factories.institution(conn, HOSTILE, sektor="kultura"),
        "zoz": factories.institution(conn, "Zakład Opieki Zdrowotnej", sektor="zdrowie"),
    }
    factories.person(
        conn,
        ids["polish"],
        "Żaneta Ćwik",
        stanowisko="prezeska",
        telefon="+48 44 683 82 33",
        email="zaneta@example.org",
    )
    factories.person(conn, ids["polish"], "Łucja Źrebiec")
    factories.service(conn, ids["polish"], "Pomoc sąsiedzka", "pomoc_spoleczna")
    factories.service(conn, ids["hostile"], HOSTILE, "kultura", opis=HOSTILE)
    for n, area in enumerate(("wspieranie_rodziny", "zdrowie", "edukacja", "bezrobocie") * 3):
        factories.service(
            conn,
            ids["mops"],
            f"Usługa {n + 1}: {POLISH}",
            area,
            opis="Opis usługi, która zajmuje kilka wierszy w katalogu. " * 6,
            jak_skorzystac="Zgłoszenie osobiste w siedzibie ośrodka.",
        )
    ids["team"] = factories.team(conn, "1012011", TEAM, projekt="Kooperacje 3D", lider=ids["mops"])
    factories.declaration(conn, ids["team"], ids["mops"], "2019-09-01")
    ids["meeting"] = factories.meeting(
        conn,
        ids["team"],
        "2019-09-25",
        "Galeria Muzeum Regionalnego",
        godzina="10:00",
        opis=f"Przedstawiono model kooperacji. {POLISH}.",
        ustalenia="1. Powołano grupę roboczą. 2. Ustalono termin następnego spotkania.",
        nastepne="9 października 2019 r., MOPS",
    )
    statuses = {"mops": "obecny", "polish": "obecny", "hostile": "zaproszony"}
    statuses["zoz"] = "usprawiedliwiony"
    for key, status in statuses.items():
        conn.execute(
            "INSERT INTO obecnosci (spotkanie, instytucja, status) VALUES (?, ?, ?)",
            (ids["meeting"], ids[key], status),
        )
    conn.close()
    (tmp_path / "kooperacje.toml").write_text(
        f'[organizacja]\nnazwa = "{ORGANISATION}"\nadres = "ul. Tkacka 5, 97-500 Radomsko"\n'
        f'wspolfinansowanie = "{STATEMENT}"\n',
        "utf-8",
    )
    return ids


def pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def flat(text: str) -> str:
    """Text with every run of whitespace as one space (lines wrap anywhere)."""
    return " ".join(text.split())


def solid(text: str) -> str:
    """Text without whitespace: a line may also break inside a word ("</" "script>")."""
    return "".join(text.split())


def body(text: str) -> list[str]:
    """A page's lines without the running header (organisation, project, statement) and
    the footer (generation date and page number)."""
    skip = (ORGANISATION, "Projekt „", STATEMENT, "Wygenerowano ")
    return [line for line in text.splitlines() if line.strip() and not line.startswith(skip)]


DOCUMENTS = {
    "lista-obecnosci": ("lista-obecnosci", "1"),
    "deklaracja": ("deklaracja", "--wszyscy-zaproszeni", "-s", "1"),
    "protokol": ("protokol", "1"),
    "koszyk": ("koszyk", "--gmina", "1012011"),
    "zespol": ("zespol", "--gmina", "1012011"),
    "zbiorczy": ("zbiorczy",),
}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_document_as_pdf(run: Run, world: dict[str, int], tmp_path: Path, name: str) -> None:
    target = tmp_path / "wydruki" / f"{name}.pdf"
    result = run("raport", *DOCUMENTS[name], "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert f"Zapisano raport: {target}" in result.stdout
    assert target.read_bytes().startswith(b"%PDF-")
    if os.name == "posix" and name != "zbiorczy":
        assert target.stat().st_mode & 0o777 == 0o600  # documents name staff
    if os.name == "posix" and name == "zbiorczy":
        assert target.stat().st_mode & 0o077 != 0  # counts only: names no one, so shareable
    texts = pages(target)
    assert texts
    today = dt.date.today()
    parts = 3 if name == "deklaracja" else 1  # each declaration counts its own pages
    for number, text in enumerate(texts, start=1):
        # The running header on every page: organisation and address from the config.
        assert text.startswith(f"{ORGANISATION}, ul. Tkacka 5, 97-500 Radomsko\n"), text[:120]
        if name != "zbiorczy":  # a summary of every team names no project
            assert "Projekt „Kooperacje 3D”" in text
            assert STATEMENT in flat(text)
        # The footer: the date of generation in words and the page number.
        page = 1 if parts > 1 else number
        assert re.search(rf"Strona {page} z {len(texts) // parts}$", text), text[-80:]
        assert f"Wygenerowano {today.day} " in text and f" {today.year} r." in text
    assert "Strona 1 z" in texts[0]
    # Polish letters come back intact from the embedded font.
    assert POLISH in flat("\n".join(texts))


def test_pdf_from_the_file_suffix_or_format(
    run: Run, world: dict[str, int], tmp_path: Path
) -> None:
    named = tmp_path / "bez-rozszerzenia"
    assert run("raport", "protokol", "1", "-f", "pdf", "-o", str(named)).exit_code == 0
    assert named.read_bytes().startswith(b"%PDF-")
    html = run("raport", "protokol", "1", "-f", "html", "-o", str(tmp_path / "p.pdf"))
    assert html.exit_code == 0
    assert (tmp_path / "p.pdf").read_text("utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("protokol", "1", "-f", "pdf"), "dokumentu PDF nie da się wypisać na ekran"),
        (("zbiorczy", "-f", "pdf"), "Podaj plik w -o"),
        (("protokol", "1", "-o", "x.docx"), "Podaj --format md, html albo pdf"),
    ],
)
def test_pdf_needs_a_file(
    run: Run, world: dict[str, int], db_path: Path, args: tuple[str, ...], message: str
) -> None:
    before = snapshot(db_path)
    result = run("raport", *args)
    assert result.exit_code == 1
    assert result.stderr.startswith("Błąd: ") and message in result.stderr
    assert result.stdout == ""
    assert snapshot(db_path) == before


def test_declarations_one_per_page(run: Run, world: dict[str, int], tmp_path: Path) -> None:
    target = tmp_path / "deklaracje.pdf"
    assert run("raport", "deklaracja", "--wszyscy-zaproszeni", "-s", "1", "-o", str(target))
    texts = pages(target)
    # Three invited institutions are not members yet: three declarations, one page each,
    # in Polish order (the name starting with "#" first).
    assert len(texts) == 3
    names = ['#set page(paper: "a5")', f"Stowarzyszenie {POLISH}", "Zakład Opieki Zdrowotnej"]
    ids = [world["hostile"], world["polish"], world["zoz"]]
    for text, name, institution in zip(texts, names, ids, strict=True):
        assert text.count("Deklaracja przystąpienia") == 1
        assert solid(name) in solid(text)
        assert f"Nr D/2019/{world['team']}/{institution:04d}" in text
        assert "w ramach projektu „Kooperacje 3D”" in text
        assert "Miejscowość i data: Radomsko, 25 września 2019 r." in text
        assert "podpis osoby uprawnionej do reprezentowania" in text
        assert text.endswith("Strona 1 z 1")
        # Five numbered lines at least for what the institution brings.
        assert all(f"\n{n}. " in text for n in range(1, 6))
    first = texts[1]
    assert "Przedstawiciel Żaneta Ćwik, prezeska" in first
    assert "Telefon służbowy +48 44 683 82 33" in first
    assert "E-mail służbowy zaneta@example.org" in first
    assert "Zastępca Łucja Źrebiec" in first
    assert "1. Pomoc sąsiedzka" in first


def test_attendance_sheet_of_13_rows_on_one_page(
    run: Run, world: dict[str, int], tmp_path: Path
) -> None:
    target = tmp_path / "lista.pdf"
    assert run("raport", "lista-obecnosci", "1", "-o", str(target)).exit_code == 0
    texts = pages(target)
    assert len(texts) == 1
    text = texts[0]
    # 5 lines for the invited (two people of one institution), 8 empty ones for guests.
    assert [n for n in range(1, 15) if re.search(rf"^{n}\.", text, re.M)] == list(range(1, 14))
    assert "Łucja Źrebiec" in text and "Żaneta Ćwik, prezeska" in text
    assert "Liczba obecnych:" in text and "Listę sporządził(a):" in text
    assert "25 września 2019 r., godz. 10:00, Galeria Muzeum Regionalnego" in text


def test_long_attendance_sheet_repeats_the_table_header(
    run: Run, world: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    conn = factories.connect(db_path)
    for n in range(40):
        guest = factories.institution(conn, f"Instytucja zaproszona nr {n + 1}", sektor="inne")
        conn.execute(
            "INSERT INTO obecnosci (spotkanie, instytucja, status) VALUES (?, ?, 'zaproszony')",
            (world["meeting"], guest),
        )
    conn.close()
    target = tmp_path / "lista.pdf"
    assert run("raport", "lista-obecnosci", "1", "-o", str(target)).exit_code == 0
    texts = pages(target)
    assert len(texts) >= 2
    for text in texts:
        assert "Lp. Instytucja Imię i nazwisko, stanowisko Podpis" in text
    # The closing lines come with the last two rows, never alone on a page.
    last = body(texts[-1])
    assert last[0] == "Lp. Instytucja Imię i nazwisko, stanowisko Podpis"
    closing = next(n for n, line in enumerate(last) if line.startswith("Liczba obecnych:"))
    assert closing >= 3 and all(re.match(r"\d+\.", line) for line in last[1:closing])


def test_minutes_content(run: Run, world: dict[str, int], tmp_path: Path) -> None:
    target = tmp_path / "protokol.pdf"
    assert run("raport", "protokol", "1", "-o", str(target)).exit_code == 0
    text = "\n".join(pages(target))
    # Decisions typed in one line with numbers become a numbered list.
    assert "1. Powołano grupę roboczą.\n2. Ustalono termin następnego spotkania." in text
    assert "Nieobecności usprawiedliwione: Zakład Opieki Zdrowotnej." in text
    assert "Nieobecności nieusprawiedliwione: #set page" in text
    # Nothing was signed or presented at the meeting: those sections are left out.
    assert "Deklaracje przystąpienia podpisane" not in text
    assert "Usługi zaprezentowane" not in text
    assert "Brak." not in text


def test_hostile_text_is_printed_as_text(run: Run, world: dict[str, int], tmp_path: Path) -> None:
    for name in ("lista-obecnosci", "deklaracja", "koszyk"):
        target = tmp_path / f"{name}.pdf"
        assert run("raport", *DOCUMENTS[name], "-o", str(target)).exit_code == 0
        reader = PdfReader(target)
        text = solid("\n".join(p.extract_text() for p in reader.pages))
        assert solid(HOSTILE) in text, name
        # The "#set page(paper: …)" in the name changed nothing: every page is A4.
        for page in reader.pages:
            assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (
                595,
                842,
            )


def _page_of(texts: list[str], needle: str) -> list[int]:
    return [n for n, text in enumerate(texts, start=1) if solid(needle) in solid(text)]


def test_basket_contents_and_index_point_to_pages(
    run: Run, world: dict[str, int], tmp_path: Path
) -> None:
    target = tmp_path / "koszyk.pdf"
    assert run("raport", "koszyk", "--gmina", "1012011", "-o", str(target)).exit_code == 0
    texts = pages(target)
    assert len(texts) >= 3
    contents = re.findall(r"^(\d+\. [^\n(]+?) \(\d+ usług\w*\)[ .]*?(\d+)$", texts[0], re.M)
    assert len(contents) == 6
    for heading, page in contents:
        # The area's heading is on the page the contents name.
        assert re.search(rf"^{re.escape(heading)}$", texts[int(page) - 1], re.M), heading
    index = re.findall(r"^(.+?) [ .]*ss?\. ([\d, ]+)$", texts[-1], re.M)
    assert len(index) == 3
    for provider, numbers in index:
        found = _page_of(texts, provider)
        listed = [int(n) for n in numbers.split(", ")]
        assert set(listed) <= set(found), (provider, listed, found)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo-pdf") / "demo"
    result = CliRunner().invoke(app, ["demo", "-o", str(folder)])
    assert result.exit_code == 0, result.stderr
    return folder


def _only_signatures(text: str) -> bool:
    return [flat(line) for line in body(text)] in ([], [SIGNATURES])


def test_demo_meeting_documents(demo_dir: Path) -> None:
    minutes = pages(demo_dir / "spotkanie-2-protokol.pdf")
    assert not [text for text in minutes if _only_signatures(text)]
    assert SIGNATURES in minutes[-1]
    for name in ("lista-obecnosci", "deklaracje", "protokol"):
        for text in pages(demo_dir / f"spotkanie-2-{name}.pdf"):
            assert text.startswith(f"{ORGANISATION}, Radomsko\nProjekt „Kooperacje 3D")
            assert "Działanie 2.5 Skuteczna pomoc społeczna" in flat(text)
            assert "Wygenerowano 31 marca 2020 r." in text
    declarations = pages(demo_dir / "spotkanie-2-deklaracje.pdf")
    assert len(declarations) == 7
    assert all(text.endswith("Strona 1 z 1") for text in declarations)


@pytest.mark.parametrize("decisions", [6, 9, 12, 15, 18, 40])
def test_minutes_never_leave_the_signatures_alone(
    run: Run, demo_dir: Path, tmp_path: Path, decisions: int
) -> None:
    """Longer and longer decisions move the page break through the end of the minutes."""
    database = tmp_path / "demo.db"
    shutil.copyfile(demo_dir / "demo.db", database)
    text = "\n".join(f"{n}. Ustalenie nr {n} w sprawie współpracy." for n in range(decisions))
    edit = ("spotkania", "edytuj", "2", "--ustalenia", text, "--nastepne", "9.10.2019, MOPS")
    assert run("--baza", str(database), *edit).exit_code == 0
    target = tmp_path / "protokol.pdf"
    assert run("--baza", str(database), "raport", "protokol", "2", "-o", str(target)).exit_code == 0
    texts = pages(target)
    assert len(texts) >= (2 if decisions > 30 else 1)
    for text in texts:
        assert not _only_signatures(text)
    # Nor a closing heading alone with them: the tail carries two pieces of text.
    tail = [line for line in body(texts[-1]) if line not in (SIGNATURES, "Następne spotkanie")]
    assert len(tail) >= 2, tail


def _png(path: Path) -> None:
    """A 4×2 red PNG, written by hand (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + b"\xcc\x00\x00" * 4 for _ in range(2))
    header = struct.pack(">IIBBBBB", 4, 2, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_logos_from_the_config_on_every_page(
    run: Run, world: dict[str, int], tmp_path: Path
) -> None:
    _png(tmp_path / "logo-fe.png")
    config = tmp_path / "kooperacje.toml"
    config.write_text(
        config.read_text("utf-8").replace(
            "[organizacja]\n", '[organizacja]\nlogo = ["logo-fe.png"]\n'
        ),
        "utf-8",
    )
    target = tmp_path / "d.pdf"
    assert run("raport", *DOCUMENTS["deklaracja"], "-o", str(target)).exit_code == 0
    reader = PdfReader(target)
    for page in reader.pages:
        assert len(page.images) == 1
        # Under the taller header each declaration still fits on its page.
        assert page.extract_text().endswith("Strona 1 z 1")
    assert len(reader.pages) == 3


@pytest.mark.parametrize(
    ("logo", "content", "message"),
    [
        ("brak.png", None, 'nie ma pliku logo "'),
        ("logo.bmp", b"BM", "nie jest obrazem PNG, JPEG, GIF ani SVG"),
        ("zepsute.png", b"to nie jest obraz", "nie można odczytać obrazów logo"),
    ],
)
def test_bad_logo_is_a_polish_error(
    run: Run,
    world: dict[str, int],
    tmp_path: Path,
    logo: str,
    content: bytes | None,
    message: str,
) -> None:
    if content is not None:
        (tmp_path / logo).write_bytes(content)
    config = tmp_path / "kooperacje.toml"
    config.write_text(f'[organizacja]\nlogo = ["{logo}"]\n', "utf-8")
    target = tmp_path / "lista.pdf"
    result = run("raport", "lista-obecnosci", "1", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr.startswith("Błąd: ") and message in result.stderr
    assert "Traceback" not in result.stderr
    assert not target.exists()
    # Other commands do not care about the logos.
    assert run("raport", "lista-obecnosci", "1").exit_code == 0


def test_same_data_same_bytes(world: dict[str, int], db_path: Path) -> None:
    db = open_db(db_path)
    try:
        day = dt.date(2026, 12, 2)
        first = documents.minutes(db, world["meeting"], "pdf", wygenerowano=day)
        again = documents.minutes(db, world["meeting"], "pdf", wygenerowano=day)
    finally:
        db.close()
    assert isinstance(first, bytes) and first == again
    assert b"D:20261202" in first  # the creation date is the date of generation
    import io

    text = PdfReader(io.BytesIO(first)).pages[0].extract_text()
    assert "Wygenerowano 2 grudnia 2026 r." in text


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("#let x = \n", "szablon PDF protokol.typ jest błędny"),
        ('#import "@preview/tablex:0.0.8": *\n', "importuje pakiet Typst"),
    ],
)
def test_broken_user_pdf_template(
    run: Run, world: dict[str, int], tmp_path: Path, template: str, message: str
) -> None:
    folder = tmp_path / "szablony"
    folder.mkdir()
    (folder / "protokol.typ").write_text(template, "utf-8")
    target = tmp_path / "p.pdf"
    result = run("raport", "--szablony", str(folder), "protokol", "1", "-o", str(target))
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not target.exists()


def test_user_pdf_template_overrides_the_default(
    run: Run, world: dict[str, int], tmp_path: Path
) -> None:
    folder = tmp_path / "szablony"
    folder.mkdir()
    (folder / "protokol.typ").write_text(
        '#import "_pdf.typ": *\n#show: dokument\nWłasny protokół: #raport.spotkanie.miejsce\n',
        "utf-8",
    )
    target = tmp_path / "p.pdf"
    result = run("raport", "--szablony", str(folder), "protokol", "1", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert "Własny protokół: Galeria Muzeum Regionalnego" in pages(target)[0]
    # `raport szablony eksportuj` copies the PDF templates too.
    assert run("raport", "szablony", "eksportuj", str(tmp_path / "kopia")).exit_code == 0
    assert {"_pdf.typ", "protokol.typ", "deklaracja.typ"} <= {
        p.name for p in (tmp_path / "kopia").iterdir()
    }


@pytest.fixture
def pdftoppm() -> Iterator[str]:
    if PDFTOPPM is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must install poppler-utils (see .ci/run)")
        pytest.skip("pdftoppm nie jest zainstalowany (apt-get install poppler-utils)")
    yield PDFTOPPM


def _dark_share(pgm: Path) -> float:
    """The share of dark pixels of a binary PGM image (P5, 8 bits)."""
    data = pgm.read_bytes()
    fields = data.split(maxsplit=4)
    assert fields[0] == b"P5" and fields[3] == b"255"
    width, height = int(fields[1]), int(fields[2])
    pixels = fields[4][-width * height :]
    return sum(1 for value in pixels if value < 128) / len(pixels)


def test_pages_render_as_images(
    run: Run, world: dict[str, int], tmp_path: Path, pdftoppm: str
) -> None:
    for name, args in DOCUMENTS.items():
        target = tmp_path / f"{name}.pdf"
        assert run("raport", *args, "-o", str(target)).exit_code == 0
        count = len(PdfReader(target).pages)
        subprocess.run(
            [pdftoppm, "-gray", "-r", "30", str(target), str(tmp_path / name)],
            check=True,
            capture_output=True,
            timeout=60,
        )
        images = sorted(tmp_path.glob(f"{name}-*.pgm"))
        assert len(images) == count, name
        for image in images:
            # Text and rules on a white page: some ink, mostly paper.
            assert 0.002 < _dark_share(image) < 0.5, image


# Decisions as users type them: one per line, numbered, bulleted, or numbered in one line.
_ITEM = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\r\n"
        ),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(
        lambda t: (
            bool(t) and not re.match(r"^(?:\d{1,3}[.)]|[-*•–])(?:\s|$)", t) and "\x0b" not in t
        )
    )
)


@given(st.lists(_ITEM, min_size=1, max_size=6), st.sampled_from(["{n}. ", "{n}) ", "- ", "• ", ""]))
def test_decisions_come_back_as_typed(items: list[str], marker: str) -> None:
    text = "\n".join(marker.format(n=n) + item for n, item in enumerate(items, start=1))
    assert meeting_documents.decisions(text) == tuple(items)


@given(st.text(max_size=200))
def test_decisions_of_any_text(text: str) -> None:
    found = meeting_documents.decisions(text)
    assert all(item and item == item.strip() and "\n" not in item for item in found)
    # Nothing is invented: every word of an item was typed.
    words = set(text.split())
    assert all(set(item.split()) <= words for item in found)
