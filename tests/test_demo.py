"""`kooperacje demo`: the demo database from the seed notes and every report beside it."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kooperacje import demo
from tests.conftest import Result

TEAMS = ("1012011", "1062011", "1019011", "2416021", "0410033", "0410013")
PROJECT_3D = "Kooperacje 3D – Model wielosektorowej współpracy na rzecz osób i rodzin"
PROJECT_II = "Kooperacja – efektywna i skuteczna"


@pytest.fixture
def demo_db(tmp_path: Path) -> Iterator[Callable[..., list[tuple[Any, ...]]]]:
    """Query demo.db under tmp_path/x (the directory the tests pass to -o)."""
    conns: list[sqlite3.Connection] = []

    def q(sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        conn = sqlite3.connect(tmp_path / "x" / "demo.db")
        conns.append(conn)
        return list(conn.execute(sql, params))

    yield q
    for conn in conns:
        conn.close()


def test_demo_builds_database_from_the_notes(
    run: Callable[..., Result],
    tmp_path: Path,
    demo_db: Callable[..., list[tuple[Any, ...]]],
    db_path: Path,
) -> None:
    out = tmp_path / "x"
    result = run("demo", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert f"--baza {out / 'demo.db'} koszyk --gmina 1012011" in result.stdout
    assert "zastąpiona" not in result.stdout
    assert not db_path.exists()

    teams = dict(
        demo_db("SELECT z.gmina, p.nazwa FROM zespoly z JOIN projekty p ON p.id = z.projekt")
    )
    assert sorted(teams) == sorted(TEAMS)
    for code in TEAMS[:4]:
        assert teams[code] == PROJECT_3D
    for code in TEAMS[4:]:
        assert teams[code] == PROJECT_II
    # Both projects with their leader, partners, programme, period and macroregion.
    projects = demo_db(
        "SELECT p.nazwa, p.od, p.do, p.program LIKE 'Program Operacyjny Wiedza Edukacja Rozwój%', "
        "i.nazwa, m.makroregion FROM projekty p "
        "JOIN projekty_instytucje pi ON pi.projekt = p.id AND pi.rola = 'lider' "
        "JOIN instytucje i ON i.id = pi.instytucja "
        "JOIN projekty_makroregiony m ON m.projekt = p.id ORDER BY p.id"
    )
    assert projects == [
        (PROJECT_3D, "2018-04-01", "2021-03-31", 1,
         "Regionalny Ośrodek Polityki Społecznej Województwa Śląskiego", "III"),
        (PROJECT_II, "2019-01-01", "2022-12-31", 1,
         "Regionalny Ośrodek Polityki Społecznej w Toruniu", "II"),
    ]  # fmt: skip
    partners = demo_db(
        "SELECT p.id, i.nazwa FROM projekty_instytucje pi JOIN projekty p ON p.id = pi.projekt "
        "JOIN instytucje i ON i.id = pi.instytucja WHERE pi.rola = 'partner' ORDER BY p.id, i.nazwa"
    )
    assert [name for pid, name in partners if pid == 1] == [
        "Regionalne Centrum Polityki Społecznej w Łodzi",
        "Regionalny Ośrodek Polityki Społecznej w Krakowie",
        "Regionalny Ośrodek Polityki Społecznej w Opolu",
    ]
    assert "Uniwersytet Mikołaja Kopernika w Toruniu" in [n for pid, n in partners if pid == 2]
    # PCPR Radomsko's agreement under the project, and the Nakło agreement due by the end
    # of February 2020; the Zawiercie meeting adopted the rules it discussed.
    assert demo_db(
        "SELECT a.status, a.termin_podpisania, p.skrot FROM porozumienia a "
        "JOIN projekty p ON p.id = a.projekt ORDER BY a.id"
    ) == [("podpisane", None, "Kooperacje 3D"), ("planowane", "2020-02-29", "Kooperacja")]
    assert demo_db(
        "SELECT i.nazwa FROM porozumienia_strony s JOIN instytucje i ON i.id = s.instytucja "
        "WHERE s.porozumienie = 1 ORDER BY i.nazwa"
    )[0] == ("Powiatowe Centrum Pomocy Rodzinie w Radomsku",)
    assert demo_db(
        "SELECT z.gmina, s.data, r.przyjeto FROM regulaminy r JOIN zespoly z ON z.id = r.zespol "
        "JOIN spotkania s ON s.id = r.spotkanie"
    ) == [("2416021", "2019-09-27", "2019-09-27")]
    assert demo_db("SELECT count(*) FROM zespoly WHERE misja IS NOT NULL") == [(1,)]
    leaders = dict(
        demo_db("SELECT z.gmina, i.nazwa FROM zespoly z JOIN instytucje i ON i.id = z.lider")
    )
    assert leaders["2416021"] == "Miejski Ośrodek Pomocy Społecznej w Zawierciu"
    assert leaders["0410013"] == "Miejsko-Gminny Ośrodek Pomocy Społecznej w Kcyni"

    assert demo_db(
        "SELECT d.data, d.rodzaj FROM deklaracje d JOIN zespoly z ON z.id = d.zespol "
        "JOIN instytucje i ON i.id = d.instytucja "
        "WHERE z.gmina = '1012011' AND i.nazwa = 'Powiatowe Centrum Pomocy Rodzinie w Radomsku'"
    ) == [("2019-10-09", "przystapienie")]

    assert demo_db(
        "SELECT s.miejsce, s.rodzaj FROM spotkania s JOIN zespoly z ON z.id = s.zespol "
        "WHERE z.gmina = '1012011' AND s.data = '2019-09-25'"
    ) == [("Galeria Muzeum Regionalnego im. Stanisława Sankowskiego w Radomsku", "inicjujace")]
    meetings = dict(
        demo_db("SELECT z.gmina, s.data FROM spotkania s JOIN zespoly z ON z.id = s.zespol")
    )
    assert meetings == {
        "1062011": "2019-09-24",
        "1012011": "2019-09-25",
        "1019011": "2019-09-26",
        "2416021": "2019-09-27",
        "0410033": "2020-02-11",
    }

    assert demo_db(
        "SELECT adres, kod_pocztowy, miejscowosc, telefon, email FROM instytucje "
        "WHERE nazwa = 'Miejski Ośrodek Pomocy Społecznej w Zawierciu'"
    ) == [
        ("ul. Piłsudskiego 47", "42-400", "Zawiercie", "+48 32 672 21 34", "mops@mopszawiercie.pl")
    ]
    pcpr = demo_db(
        "SELECT adres, kod_pocztowy, telefon, email FROM instytucje "
        "WHERE nazwa = 'Powiatowe Centrum Pomocy Rodzinie w Radomsku'"
    )
    assert pcpr == [
        ("ul. Przedborska 39/41", "97-500", "+48 44 715 07 95", "biuro@pcprradomsko.pl")
    ]
    assert demo_db(
        "SELECT adres, email FROM instytucje "
        "WHERE nazwa LIKE 'Powiatowy Zespół do spraw Orzekania%'"
    ) == [("ul. Piastowska 21", "pzoon@pcprradomsko.pl")]
    # No contact data is made up: only institutions the notes give it for have any.
    with_contacts = {
        name
        for (name,) in demo_db(
            "SELECT nazwa FROM instytucje "
            "WHERE coalesce(telefon, email, www, nip, regon) IS NOT NULL"
        )
    }
    assert with_contacts == {
        "Miejski Ośrodek Pomocy Społecznej w Zawierciu",
        "Powiatowe Centrum Pomocy Rodzinie w Radomsku",
        "Powiatowy Zespół do spraw Orzekania o Niepełnosprawności w Radomsku",
    }
    # Staff names are personal data: the demo stores none.
    assert demo_db("SELECT count(*) FROM osoby") == [(0,)]


def test_demo_attendance_declarations_and_services(
    run: Callable[..., Result], tmp_path: Path, demo_db: Callable[..., list[tuple[Any, ...]]]
) -> None:
    assert run("demo", "-o", str(tmp_path / "x")).exit_code == 0

    # Kcynia's centre co-ordinated the project in powiat nakielski and came to Nakło's meeting.
    assert demo_db(
        "SELECT count(*) FROM obecnosci o JOIN spotkania s ON s.id = o.spotkanie "
        "JOIN instytucje i ON i.id = o.instytucja "
        "WHERE s.data = '2020-02-11' AND i.nazwa LIKE 'Miejsko-Gminny Ośrodek%Kcyni'"
    ) == [(1,)]
    assert demo_db(
        "SELECT opis LIKE '%do końca lutego 2020 r.%' FROM spotkania WHERE data = '2020-02-11'"
    ) == [(1,)]
    # In Piotrków and Zduńska Wola the kooperanci signed at the initiating meeting.
    for code, day in (("1062011", "2019-09-24"), ("1019011", "2019-09-26")):
        rows = demo_db(
            "SELECT d.data, s.data FROM deklaracje d JOIN zespoly z ON z.id = d.zespol "
            "JOIN spotkania s ON s.id = d.spotkanie WHERE z.gmina = ?",
            (code,),
        )
        assert len(rows) >= 5
        assert set(rows) == {(day, day)}
    # A few services per team, and powiat-level providers reach every gmina of their powiat.
    per_team = dict(
        demo_db(
            "SELECT i.gmina, count(*) FROM uslugi u JOIN instytucje i ON i.id = u.instytucja "
            "GROUP BY i.gmina"
        )
    )
    assert all(3 <= per_team[code] <= 7 for code in TEAMS)
    assert demo_db(
        "SELECT count(*) FROM uslugi u JOIN instytucje i ON i.id = u.instytucja "
        "JOIN uslugi_zasieg z ON z.usluga = u.id "
        "WHERE i.nazwa = 'Powiatowy Urząd Pracy w Radomsku' AND z.teryt = '1012'"
    ) == [(1,)]
    # Coverage: Radomsko has all five core sectors, Kcynia visibly lacks some.
    core = ("pomoc_spoleczna", "edukacja", "zdrowie", "sadownictwo", "policja")

    def sectors(code: str) -> set[str]:
        rows = demo_db(
            "SELECT DISTINCT i.sektor FROM deklaracje d JOIN zespoly z ON z.id = d.zespol "
            "JOIN instytucje i ON i.id = d.instytucja WHERE z.gmina = ?",
            (code,),
        )
        return {r[0] for r in rows}

    assert set(core) <= sectors("1012011")
    assert {"zdrowie", "sadownictwo", "policja"}.isdisjoint(sectors("0410013"))


def test_demo_writes_every_report(run: Callable[..., Result], tmp_path: Path) -> None:
    out = tmp_path / "x"
    result = run("demo", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    meeting_ids = [
        r[0] for r in sqlite3.connect(out / "demo.db").execute("SELECT id FROM spotkania")
    ]
    assert len(meeting_ids) == 5
    stems = [f"zespol-{c}" for c in TEAMS] + [f"koszyk-{c}" for c in TEAMS]
    stems += [f"spotkanie-{i}" for i in meeting_ids] + ["index"]
    for stem in stems:
        for suffix in (".md", ".html"):
            path = out / f"{stem}{suffix}"
            assert path.is_file() and path.stat().st_size > 0, path
    # The documents of Radomsko's initiating meeting, as PDF.
    radomsko_meeting = (
        sqlite3.connect(out / "demo.db")
        .execute("SELECT id FROM spotkania WHERE data = '2019-09-25'")
        .fetchone()[0]
    )
    pdfs = [
        f"spotkanie-{radomsko_meeting}-{name}.pdf"
        for name in ("lista-obecnosci", "deklaracje", "protokol")
    ]
    own = [f"{s}.md" for s in stems] + [f"{s}.html" for s in stems] + ["demo.db", *pdfs]
    assert sorted(p.name for p in out.iterdir()) == sorted([*own, "kooperacje-demo.json"])
    # The manifest lists every file the demo wrote, with its digest.
    manifest = json.loads((out / "kooperacje-demo.json").read_text("utf-8"))
    assert manifest["pliki"] == {
        name: hashlib.sha256((out / name).read_bytes()).hexdigest() for name in own
    }
    for name in pdfs:
        assert str(out / name) in result.stdout
        assert (out / name).read_bytes().startswith(b"%PDF-")

    radomsko = (out / "zespol-1012011.html").read_text("utf-8")
    assert "25 września 2019 r." in radomsko
    assert "9 października 2019 r." in radomsko
    assert "Galeria Muzeum Regionalnego im. Stanisława Sankowskiego w Radomsku" in radomsko
    assert "31 marca 2020 r." in radomsko  # the fixed "stan na" of the demo data
    catalogue = (out / "koszyk-1012011.md").read_text("utf-8")
    assert "**Stan na:** 31 marca 2020 r." in catalogue

    # The index links every report, with relative links, md to md and html to html.
    for suffix in ("md", "html"):
        index = (out / f"index.{suffix}").read_text("utf-8")
        pattern = r'href="([^"]+)"' if suffix == "html" else r"\]\(([^)]+)\)"
        links = set(re.findall(pattern, index))
        assert links == {f"{s}.{suffix}" for s in stems if s != "index"} | set(pdfs)
    index = (out / "index.html").read_text("utf-8")
    assert "<style>" in index and "http" not in index


def test_demo_twice_rebuilds_from_scratch(
    run: Callable[..., Result], tmp_path: Path, db_path: Path
) -> None:
    out = tmp_path / "x"
    assert run("demo", "-o", str(out)).exit_code == 0
    first = (out / "zespol-1012011.md").read_text("utf-8")
    pdf_bytes = sorted(p.read_bytes() for p in out.glob("*.pdf"))
    assert len(pdf_bytes) == 3
    again = run("demo", "-o", str(out))
    assert again.exit_code == 0, again.stderr
    assert "zastąpiona" in again.stdout
    conn = sqlite3.connect(out / "demo.db")
    assert conn.execute("SELECT count(*) FROM zespoly").fetchone() == (6,)
    assert conn.execute("SELECT count(*) FROM instytucje").fetchone() == (53,)
    conn.close()
    # Same data and a fixed "stan na": the reports come out the same, PDFs byte for byte.
    assert (out / "zespol-1012011.md").read_text("utf-8") == first
    assert sorted(p.read_bytes() for p in out.glob("*.pdf")) == pdf_bytes
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    assert not db_path.exists()


def test_demo_ignores_the_users_database(
    run: Callable[..., Result], tmp_path: Path, db_path: Path
) -> None:
    db_path.write_bytes(b"")
    own = tmp_path / "own.db"
    result = run("--baza", str(own), "demo", "-o", str(tmp_path / "x"))
    assert result.exit_code == 0, result.stderr
    assert not own.exists()
    assert db_path.read_bytes() == b""
    assert (tmp_path / "x" / "demo.db").is_file()


def test_demo_default_directory(
    run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("demo")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "kooperacje-demo" / "demo.db").is_file()
    assert "kooperacje --baza kooperacje-demo/demo.db koszyk --gmina 1012011" in result.stdout


def test_demo_output_is_a_file(run: Callable[..., Result], tmp_path: Path) -> None:
    target = tmp_path / "plik.txt"
    target.write_text("zostaje", "utf-8")
    result = run("demo", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr.startswith("Błąd: ")
    assert "jest plikiem" in result.stderr
    assert target.read_text("utf-8") == "zostaje"


def test_failed_load_keeps_previous_demo(
    run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "x"
    assert run("demo", "-o", str(out)).exit_code == 0
    before = (out / "demo.db").read_bytes()
    broken = demo.load_data()
    broken["uslugi"] = [
        *broken["uslugi"],
        {**broken["uslugi"][0], "nazwa": "Nowa", "obszar": "xyz"},
    ]
    monkeypatch.setattr(demo, "load_data", lambda: broken)
    result = run("demo", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr.startswith("Błąd: ")
    assert "Traceback" not in result.stderr
    assert (out / "demo.db").read_bytes() == before
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_readme_examples_with_repeated_abbreviations_run_on_the_demo(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    out = tmp_path / "x"
    assert run("demo", "-o", str(out)).exit_code == 0
    base = ("--baza", str(out / "demo.db"))
    form = run(*base, "raport", "deklaracja", "--instytucja", "PCPR", "--gmina", "1012011")
    assert form.exit_code == 0, form.stderr
    assert "Powiatowe Centrum Pomocy Rodzinie w Radomsku" in form.stdout
    edit = run(*base, "zespoly", "edytuj", "1", "--lider", "MOPS")
    assert edit.exit_code == 0, edit.stderr
    assert run(*base, "baza", "sprawdz").exit_code == 0


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_demo_rerun_keeps_the_users_files_beside_it(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    out = tmp_path / "x"
    assert run("demo", "-o", str(out)).exit_code == 0
    (out / "moje-notatki.txt").write_text("moje", "utf-8")
    (out / "raport-radomsko.html").write_text("<p>mój raport</p>", "utf-8")
    # Playing with the demo database is what it is for: the next run rebuilds it.
    played = run("--baza", str(out / "demo.db"), "instytucje", "dodaj", "Próba", "-g",
                 "1012011", "-s", "inne")  # fmt: skip
    assert played.exit_code == 0, played.stderr
    again = run("demo", "-o", str(out))
    assert again.exit_code == 0, again.stderr
    assert (out / "moje-notatki.txt").read_text("utf-8") == "moje"
    assert (out / "raport-radomsko.html").read_text("utf-8") == "<p>mój raport</p>"
    conn = sqlite3.connect(out / "demo.db")
    assert conn.execute("SELECT count(*) FROM instytucje WHERE nazwa = 'Próba'").fetchone() == (0,)
    conn.close()


def _foreign_database(path: Path) -> bytes:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notatki (tekst TEXT)")
    conn.execute("INSERT INTO notatki VALUES ('ważne')")
    conn.commit()
    conn.close()
    return path.read_bytes()


def test_demo_never_replaces_a_database_put_in_place_of_its_own(
    run: Callable[..., Result], tmp_path: Path, db_path: Path
) -> None:
    out = tmp_path / "x"
    assert run("demo", "-o", str(out)).exit_code == 0
    (out / "demo.db").unlink()
    foreign = _foreign_database(out / "demo.db")
    before = _tree(out)
    result = run("demo", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr.startswith("Błąd: ")
    assert "nie jest bazą zbudowaną przez demo" in result.stderr
    assert (out / "demo.db").read_bytes() == foreign
    assert _tree(out) == before
    # A kooperacje database of the user's own, copied there, is not the demo's either.
    (out / "demo.db").unlink()
    assert run("baza", "utworz").exit_code == 0
    (out / "demo.db").write_bytes(db_path.read_bytes())
    before = _tree(out)
    assert run("demo", "-o", str(out)).exit_code == 1
    assert _tree(out) == before


def test_demo_never_replaces_the_database_in_use(
    run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "x"
    assert run("demo", "-o", str(out)).exit_code == 0
    monkeypatch.setenv("KOOPERACJE_BAZA", str(out / "demo.db"))
    before = _tree(out)
    result = run("demo", "-o", str(out))
    assert result.exit_code == 1
    assert "z której korzysta program" in result.stderr
    assert _tree(out) == before


def test_demo_refuses_a_list_of_files_it_did_not_write(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    out = tmp_path / "x"
    out.mkdir()
    (out / demo.MANIFEST).write_text('{"program": "coś innego"}', "utf-8")
    before = _tree(out)
    result = run("demo", "-o", str(out))
    assert result.exit_code == 1
    assert "nie jest spisem plików demonstracji" in result.stderr
    assert _tree(out) == before


class Killed(BaseException):
    """The process dying in the middle (nothing after it runs)."""


@pytest.mark.parametrize("after", [0, 5])
def test_an_interrupted_first_demo_is_still_recognised(
    run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, after: int
) -> None:
    from kooperacje import files

    out = tmp_path / "nowy"
    write = files.write_bytes
    count = [0]

    def dying(path: Path, data: bytes, *, personal: bool) -> Path:
        if path.name != demo.MANIFEST:
            if count[0] == after:
                raise Killed
            count[0] += 1
        return write(path, data, personal=personal)

    monkeypatch.setattr(files, "write_bytes", dying)
    with pytest.raises(Killed):
        run("demo", "-o", str(out))
    monkeypatch.setattr(files, "write_bytes", write)
    assert not (out / "demo.db").exists()
    result = run("demo", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert (out / "demo.db").is_file()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
