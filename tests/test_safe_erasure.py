"""Erasure is exact and complete (issue 11).

`osoby usun` picks a person only by number or by their exact name, removes their name,
e-mail and phone wherever staff data can sit (services, the full-text index, the history,
the free pages of the file), and changes nothing that is not that person's data: other
records' history stays byte for byte what it was. Everything is driven through the CLI and
inspected with sqlite3 or by reading the raw file.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kooperacje.cli import app
from tests.conftest import Result

Run = Callable[..., Result]
Row = tuple[object, ...]

MOPS = "Miejski Ośrodek Pomocy Społecznej w Zduńskiej Woli"
SP2 = "Szkoła Podstawowa nr 2 w Zduńskiej Woli"
PCPR = "Powiatowe Centrum Pomocy Rodzinie w Radomsku"
SWITCHBOARD = "44 683 36 25"  # PCPR's own number, also given by one of its staff

JAN_EMAIL = "jan.kowalski.pcpr@example.org"
JAN_PHONE = "600 200 300"

# Person numbers in the base database.
OLA, JAN, EWA, ANNA = 1, 2, 3, 4

INSTITUTIONS = [
    ["instytucje", "dodaj", MOPS, "-g", "1019011", "-s", "pomoc_spoleczna", "--skrot", "MOPS",
     "--adres", "ul. Wolności 1", "--kod-pocztowy", "98-220", "--miejscowosc", "Zduńska Wola",
     "--telefon", "43 823 23 91", "--email", "sekretariat@mops-zw.example.org"],
    ["instytucje", "dodaj", SP2, "-g", "1019011", "-s", "edukacja", "--skrot", "SP2",
     "--miejscowosc", "Zduńska Wola", "--uwagi", "Szkoła z oddziałami integracyjnymi"],
    ["instytucje", "dodaj", PCPR, "-g", "1012011", "-s", "rodzina", "--skrot", "PCPR",
     "--telefon", SWITCHBOARD, "--email", "sekretariat@pcpr.example.org"],
]  # fmt: skip

# Records whose creation names Zduńska Wola or a school; a service on PCPR's switchboard.
RECORDS = [
    ["zespoly", "zaloz", "-g", "1019011", "-n", "PZK Zduńska Wola", "-l", "MOPS",
     "-d", "2019-09-26"],
    ["spotkania", "dodaj", "-g", "1019011", "-d", "2019-09-26", "-m", "Szkoła Podstawowa nr 2",
     "-r", "inicjujace", "--tytul", "Zawiązanie PZK w Zduńskiej Woli",
     "--opis", "Spotkanie w Zduńska Wola, w szkole"],
    ["spotkania", "obecnosc", "1", "MOPS", "SP2"],
    ["deklaracje", "dodaj", "-i", "MOPS", "-g", "1019011", "-d", "2019-10-01"],
    ["uslugi", "dodaj", "Wolontariat szkolny", "-i", "MOPS", "-a", "aktywnosc_obywatelska",
     "--opis", "Zduńska Wola: szkoła, dom kultury, Wola Zadybska"],
    ["uslugi", "dodaj", "Informacja o pieczy zastępczej", "-i", "PCPR", "-a", "piecza_zastepcza",
     "--kontakt-telefon", SWITCHBOARD, "--opis", "Sekretariat PCPR"],
]  # fmt: skip

PERSONS = [
    ["osoby", "dodaj", "Ola", "-i", "MOPS", "--stanowisko", "pracownik socjalny"],
    ["osoby", "dodaj", "Jan Kowalski", "-i", "PCPR", "--stanowisko", "psycholog",
     "--email", JAN_EMAIL, "--telefon", JAN_PHONE],
    ["osoby", "dodaj", "Ewa Lis", "-i", "PCPR", "--telefon", SWITCHBOARD],
    ["osoby", "dodaj", "Anna Nowak", "-i", "SP2", "--email", "a.nowak@sp2.example.org"],
]  # fmt: skip

JANS_SERVICE = [
    ["uslugi", "dodaj", "Poradnictwo rodzinne", "-i", "PCPR", "-a", "wspieranie_rodziny",
     "--zasieg", "powiat", "--opis", "Konsultacje prowadzi Jan Kowalski, psycholog PCPR.",
     "--kontakt", f"Jan Kowalski, tel. {JAN_PHONE}", "--kontakt-osoba", "Jan Kowalski",
     "--kontakt-telefon", JAN_PHONE, "--kontakt-email", JAN_EMAIL],
    ["uslugi", "zweryfikuj", "Poradnictwo rodzinne", "--data", "2026-01-15",
     "--kto", "Jan Kowalski"],
    ["spotkania", "obecnosc", "1", "SP2", "--osoba", "Anna Nowak"],
    ["deklaracje", "dodaj", "-i", "SP2", "-g", "1019011", "-d", "2019-10-01",
     "--podpisal", "Anna Nowak"],
]  # fmt: skip


def _invoke(path: Path, config: Path, commands: list[list[str]]) -> None:
    runner = CliRunner()
    for args in commands:
        result = runner.invoke(
            app,
            ["--baza", str(path), *args],
            env={"KOOPERACJE_KONFIGURACJA": str(config)},
            prog_name="kooperacje",
        )
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """'bare': institutions and records, no person; 'full': with four persons, a service
    whose contact is Jan, attendance and a declaration signed by Anna."""
    folder = tmp_path_factory.mktemp("safe-erasure")
    config = folder / "kooperacje.toml"
    bare = folder / "bare.db"
    _invoke(bare, config, INSTITUTIONS + RECORDS)
    full = folder / "full.db"
    shutil.copyfile(bare, full)
    _invoke(full, config, PERSONS + JANS_SERVICE)
    return {"bare": bare, "full": full}


@pytest.fixture
def live(bases: dict[str, Path], db_path: Path) -> Path:
    shutil.copyfile(bases["full"], db_path)
    return db_path


def _sql(path: Path, query: str, params: tuple[object, ...] = ()) -> list[Row]:
    """A short-lived connection: nothing keeps the WAL alive after the check."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.execute(query, params))
    finally:
        conn.close()


def _history(path: Path) -> list[Row]:
    return _sql(
        path,
        "SELECT id, tabela, rekord, pole, stara, nowa, kiedy, operacja FROM _zmiany ORDER BY id",
    )


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _not_about(rows: list[Row], table: str, record: int) -> list[Row]:
    return [row for row in rows if not (row[1] == table and row[2] == record)]


def _changed(before: list[Row], after: list[Row]) -> list[Row]:
    """Rows of `before` that are no longer in `after` exactly as they were (short to show)."""
    kept = set(after)
    return [row for row in before if row not in kept]


# ---- picking the person ------------------------------------------------------------------


@pytest.mark.parametrize("fragment", ["wal", "Kowalski", "jan", "Lis", "nowa"])
def test_erasure_by_a_fragment_of_a_name_is_refused(run: Run, live: Path, fragment: str) -> None:
    before = _sql(live, "SELECT * FROM osoby ORDER BY id")
    history = _history(live)
    result = run("osoby", "usun", fragment, "--tak")
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert "Błąd:" in result.stderr
    assert "Traceback" not in result.stderr
    assert _sql(live, "SELECT * FROM osoby ORDER BY id") == before
    assert _history(live) == history


# ---- nothing else is erased ---------------------------------------------------------------


def test_erasing_ola_leaves_zdunska_wola_and_szkola_in_the_history(run: Run, live: Path) -> None:
    before = _history(live)
    mentions = [
        row
        for row in before
        if any(
            "zduńska wola" in str(v).casefold() or "szkoła" in str(v).casefold() for v in row[4:6]
        )
    ]
    assert len(mentions) >= 4, "the premise: records naming Zduńska Wola or a school"
    result = run("osoby", "usun", str(OLA), "--tak")
    assert result.exit_code == 0, result.stderr
    after = _history(live)
    assert _changed(mentions, after) == []
    assert _changed(_not_about(before, "osoby", OLA), after) == []


def test_a_shared_switchboard_phone_does_not_wipe_the_institutions_history(
    run: Run, live: Path
) -> None:
    before = _history(live)
    institution = _sql(live, "SELECT * FROM instytucje WHERE skrot = 'PCPR'")
    result = run("osoby", "usun", str(EWA), "--tak")
    assert result.exit_code == 0, result.stderr
    after = _history(live)
    assert _changed([r for r in before if r[1] == "instytucje"], after) == []
    assert _changed(_not_about(before, "osoby", EWA), after) == []
    assert _sql(live, "SELECT * FROM instytucje WHERE skrot = 'PCPR'") == institution


# ---- everything of the person is erased ---------------------------------------------------


def _traces(values: list[object]) -> list[str]:
    """The values that still carry Jan's name, e-mail or phone."""
    found = []
    for value in values:
        if value is None:
            continue
        text = _fold(str(value))
        digits = "".join(ch for ch in text if ch.isdigit())
        if "kowalski" in text or JAN_EMAIL in text or "600200300" in digits:
            found.append(str(value))
    return found


def test_erasure_removes_the_person_from_services(run: Run, live: Path) -> None:
    assert _traces([v for row in _sql(live, "SELECT * FROM uslugi") for v in row])
    result = run("osoby", "usun", str(JAN), "--tak")
    assert result.exit_code == 0, result.stderr
    services = _sql(live, "SELECT * FROM uslugi")
    assert _traces([v for row in services for v in row]) == []
    # The service itself stays.
    assert _sql(live, "SELECT nazwa FROM uslugi ORDER BY id") == [
        ("Wolontariat szkolny",),
        ("Informacja o pieczy zastępczej",),
        ("Poradnictwo rodzinne",),
    ]
    shown = run("uslugi", "pokaz", "Poradnictwo rodzinne", "--format", "json")
    assert shown.exit_code == 0, shown.stderr
    assert _traces([shown.stdout]) == []


def test_erasure_removes_the_person_from_the_full_text_index(run: Run, live: Path) -> None:
    assert "Poradnictwo rodzinne" in run("uslugi", "szukaj", "Kowalski").stdout
    result = run("osoby", "usun", str(JAN), "--tak")
    assert result.exit_code == 0, result.stderr
    assert "Poradnictwo rodzinne" not in run("uslugi", "szukaj", "Kowalski").stdout
    assert _sql(live, "SELECT count(*) FROM uslugi_fts WHERE uslugi_fts MATCH 'kowalski'") == [(0,)]
    tables = _sql(live, "SELECT name FROM sqlite_master WHERE name LIKE 'uslugi_fts%content'")
    fts = [v for (name,) in tables for row in _sql(live, f'SELECT * FROM "{name}"') for v in row]
    assert _traces(fts) == []


def test_erasure_removes_the_person_from_the_history_by_structure(run: Run, live: Path) -> None:
    before = _history(live)
    result = run("osoby", "usun", str(JAN), "--tak")
    assert result.exit_code == 0, result.stderr
    after = _history(live)
    assert _traces([v for row in after for v in row[4:6]]) == []
    # Only Jan's values are gone: the service's creation record still says what it was.
    created = [
        row[5]
        for row in after
        if row[1] == "uslugi" and row[7] == "dodanie" and "Poradnictwo rodzinne" in str(row[5])
    ]
    assert created, "the service's creation record lost more than Jan's data"
    # Records that never named Jan are untouched.
    untouched = [row for row in before if not _traces(list(row[4:6])) and row[1] != "osoby"]
    assert _changed(untouched, after) == []


def test_erasure_after_a_rename_removes_the_former_name(run: Run, live: Path) -> None:
    """Anna signed a declaration as "Anna Nowak", then her name was corrected: erasing her
    must also reach what she signed under the former name."""
    assert _sql(live, "SELECT count(*) FROM deklaracje WHERE podpisal = 'Anna Nowak'") == [(1,)]
    renamed = run("osoby", "edytuj", str(ANNA), "--imie-nazwisko", "Anna Nowak-Zielińska")
    assert renamed.exit_code == 0, renamed.stderr
    result = run("osoby", "usun", str(ANNA), "--tak")
    assert result.exit_code == 0, result.stderr
    signed = [v for row in _sql(live, "SELECT podpisal FROM deklaracje") for v in row]
    assert [v for v in signed if v and "nowak" in _fold(str(v))] == []
    history = [v for row in _history(live) for v in row[4:6] if v]
    assert [v for v in history if "nowak" in _fold(str(v))] == []


def test_right_of_access_lists_the_services_naming_the_person(run: Run, live: Path) -> None:
    result = run("osoby", "eksportuj", str(JAN))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    text = json.dumps(data, ensure_ascii=False)
    assert "Poradnictwo rodzinne" in text


# ---- the file itself forgets --------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "needle"),
    [
        # Anna is only in places erasure already reaches (her record, attendance, a
        # declaration, the history): what is left is free pages, the WAL, the FTS segments.
        pytest.param(ANNA, "a.nowak@sp2.example.org", id="anna-email"),
        pytest.param(ANNA, "anna nowak", id="anna-name"),
        # Jan also sits in a service's fields and in the full-text index.
        pytest.param(JAN, JAN_EMAIL, id="jan-email"),
        pytest.param(JAN, "kowalski", id="jan-name"),
    ],
)
def test_erased_data_is_not_left_in_the_raw_file(
    run: Run, live: Path, who: int, needle: str
) -> None:
    """secure_delete and a checkpoint: no byte of the file or its WAL still holds it."""
    assert needle.encode() in live.read_bytes().lower()
    result = run("osoby", "usun", str(who), "--tak")
    assert result.exit_code == 0, result.stderr
    for path in (live, live.with_name(live.name + "-wal")):
        if path.exists():
            raw = path.read_bytes().lower()
            assert needle.encode() not in raw, f"{needle!r} still in {path.name}"


def test_erasure_names_backups_made_before_it(run: Run, live: Path, tmp_path: Path) -> None:
    backup = tmp_path / "kopia-przed-wymazaniem.db"
    assert run("baza", "kopia", str(backup)).exit_code == 0
    result = run("osoby", "usun", str(JAN), "--tak")
    assert result.exit_code == 0, result.stderr
    assert backup.name in result.stdout + result.stderr


def test_restoring_an_older_backup_reapplies_the_erasure(
    run: Run, live: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "kopia-przed-wymazaniem.db"
    assert run("baza", "kopia", str(backup)).exit_code == 0
    assert run("osoby", "usun", str(JAN), "--tak").exit_code == 0
    result = run("baza", "przywroc", str(backup), "--tak")
    assert result.exit_code == 0, result.stderr
    assert _sql(live, "SELECT count(*) FROM osoby WHERE imie_nazwisko = 'Jan Kowalski'") == [(0,)]
    assert _traces([v for row in _sql(live, "SELECT * FROM uslugi") for v in row]) == []
    assert _traces([v for row in _history(live) for v in row[4:6]]) == []


# ---- property: erasing one person changes nobody else's history ---------------------------

TOKENS = ["Ola", "Wola", "Szkoła", "Anna", "Nowak", "Jan", "Kowal", "Kowalski", "Lis", "Ewa"]
PHONES = [None, SWITCHBOARD, "43 823 23 91", "600 100 100", "600 100 101"]
EMAILS = [None, "sekretariat@pcpr.example.org", "ola@example.org", "anna@example.org"]
SHORTS = ["MOPS", "SP2", "PCPR"]

names = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=2).map(" ".join)
person = st.tuples(names, st.sampled_from(PHONES), st.sampled_from(EMAILS))


@settings(
    max_examples=20,
    deadline=None,
    # Each example runs several commands; shrinking a failure would take minutes.
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(people=st.lists(person, min_size=2, max_size=3), data=st.data())
def test_erasing_a_random_person_changes_no_other_history(
    run: Run,
    bases: dict[str, Path],
    db_path: Path,
    people: list[tuple[str, str | None, str | None]],
    data: st.DataObject,
) -> None:
    for suffix in ("-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(bases["bare"], db_path)
    # One person per institution, so the same name may recur without being refused.
    for (name, phone, email), short in zip(people, SHORTS, strict=False):
        args = ["osoby", "dodaj", name, "-i", short]
        if phone:
            args += ["--telefon", phone]
        if email:
            args += ["--email", email]
        added = run(*args)
        assert added.exit_code == 0, added.stderr
    victim = data.draw(st.integers(min_value=1, max_value=len(people)), label="victim")
    before = _history(db_path)
    others = _sql(db_path, "SELECT * FROM osoby WHERE id != ? ORDER BY id", (victim,))
    result = run("osoby", "usun", str(victim), "--tak")
    assert result.exit_code == 0, result.stderr
    assert _changed(_not_about(before, "osoby", victim), _history(db_path)) == []
    assert _sql(db_path, "SELECT * FROM osoby ORDER BY id") == others
