"""Task teams never identify anyone: remarks that could name a person are refused, and
published reports never print (or let anyone work out) a task-team figure below 3."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kooperacje.reports import small_counts
from kooperacje.reports.task_team_report import published
from kooperacje.teams.identifying_text import findings
from kooperacje.teams.task_team_figures import Counts
from tests.conftest import Result, snapshot

Run = Callable[..., Result]

NAMES = [
    line.strip()
    for line in (Path(__file__).parents[1] / "kooperacje" / "data" / "imiona.txt")
    .read_text("utf-8")
    .splitlines()
    if line.strip() and not line.startswith("#")
]
# Words of remarks about the cooperation itself.
BENIGN = (
    "sprawna", "wymiana", "informacji", "między", "MOPS", "PCPR", "KPP", "PUP", "a", "i",
    "spotkanie", "zespołu", "kuratorzy", "uzgodnili", "harmonogram", "konsultacji", "w",
    "marcu", "Poradnia", "Psychologiczno-Pedagogiczna", "Sąd", "Rejonowy", "szkoła",
    "12.03.2020", "ZZK/2020/03", "3", "dwa", "razy", "Komenda", "Powiatowa", "Policji",
    "Szkoła", "Podstawowa", "nr", "zabaw", "tel.", "e-mail", "adres", "PESEL-u", "brak",
)  # fmt: skip
SURNAME = st.from_regex(
    r"[A-ZŁŚŻĆ][a-ząćęłńóśźż]{2,12}(-[A-ZŁŚŻ][a-ząćęłńóśźż]{2,10})?", fullmatch=True
)
CONTEXT = st.lists(st.sampled_from(BENIGN[:20]), max_size=6).map(" ".join)


# phonenumbers loads its metadata on first use: not inside a timed example. The machines
# are shared and noisy, so no example has a deadline either.
findings("Anna Nowak, tel. 601 234 567")
relaxed = settings(deadline=None)


def kinds(text: str) -> set[str]:
    return {f.rodzaj for f in findings(text)}


# ---- the screen of remarks -----------------------------------------------------------------


@relaxed
@given(CONTEXT, st.sampled_from(NAMES), SURNAME, CONTEXT, st.booleans())
def test_a_first_name_and_a_surname_are_found(
    before: str, name: str, surname: str, after: str, reverse: bool
) -> None:
    person = f"{surname} {name}" if reverse else f"{name} {surname}"
    assert "imię i nazwisko" in kinds(f"{before} {person}, {after}")


@relaxed
@given(
    st.dates(dt.date(1800, 1, 1), dt.date(2299, 12, 31)),
    st.integers(0, 9999),
    CONTEXT,
    st.sampled_from(["{}", "PESEL {}", "nr {}", "({})"]),
)
def test_a_pesel_is_found(day: dt.date, serial: int, before: str, pattern: str) -> None:
    from stdnum.pl import pesel

    month = day.month + {18: 80, 19: 0, 20: 20, 21: 40, 22: 60}[day.year // 100]
    digits = f"{day.year % 100:02d}{month:02d}{day.day:02d}{serial:04d}"
    number = digits + pesel.calc_check_digit(digits)
    assert "numer PESEL" in kinds(f"{before} " + pattern.format(number))


@relaxed
@given(
    st.sampled_from(["50", "51", "53", "57", "60", "66", "69", "72", "78", "79", "88"]),
    st.integers(0, 9_999_999),
    st.sampled_from(["{0}{1} {2} {3}", "{0}{1}-{2}-{3}", "{0}{1}{2}{3}", "+48 {0}{1} {2} {3}"]),
    CONTEXT,
)
def test_a_phone_number_is_found(prefix: str, rest: int, layout: str, before: str) -> None:
    import phonenumbers

    digits = f"{prefix}{rest:07d}"
    number = layout.format(digits[:2], digits[2], digits[3:6], digits[6:])
    assume(phonenumbers.is_valid_number(phonenumbers.parse(digits, "PL")))
    assert "numer telefonu" in kinds(f"{before} tel. {number}")


@relaxed
@given(
    st.from_regex(r"[a-z0-9][a-z0-9._-]{0,15}", fullmatch=True),
    st.from_regex(r"[a-z0-9-]{2,12}\.(pl|com|eu|org\.pl)", fullmatch=True),
    CONTEXT,
)
def test_an_email_address_is_found(local: str, domain: str, before: str) -> None:
    assert "adres e-mail" in kinds(f"{before} {local}@{domain}")


@relaxed
@given(
    st.sampled_from(["ul.", "Ul.", "al.", "os.", "pl.", "ulicy", "osiedle", "ul."]),
    SURNAME,
    st.integers(1, 300),
    st.sampled_from(["", "a", "/12", " m. 4"]),
    CONTEXT,
)
def test_a_street_address_is_found(
    prefix: str, street: str, number: int, tail: str, before: str
) -> None:
    assert "adres" in kinds(f"{before} {prefix} {street} {number}{tail}")


@relaxed
@given(st.lists(st.sampled_from(BENIGN), max_size=25))
def test_remarks_about_the_cooperation_pass(words: list[str]) -> None:
    assert findings(" ".join(words)) == []


@pytest.mark.parametrize(
    "remark",
    [
        "Spotkania w Szkole Podstawowej im. Marii Konopnickiej",
        "Parafia pw. św. Stanisława Kostki udostępniła salę",
        "Kościół Najświętszej Marii Panny, plac zabaw 2 razy w tygodniu",
        "Wymiana informacji przez stronę mops.pl. Kuratorzy aktywni",
        "Plan na 2020 r.: 3 spotkania, ZZK/2020/03 zamknięty 12.03.2020",
    ],
)
def test_patrons_and_plain_figures_are_no_persons(remark: str) -> None:
    assert findings(remark) == []


@pytest.mark.parametrize(
    ("remark", "kind"),
    [
        ("Kontakt z panią Anną Kowalską w sprawie dzieci", "imię i nazwisko"),
        ("rodzina Nowak Marii", "imię i nazwisko"),
        ("PESEL 44051401359 do weryfikacji", "numer PESEL"),
        ("tel. rodziny 601 234 567", "numer telefonu"),
        ("pisać na jan.kowalski@wp.pl", "adres e-mail"),
        ("wizyta domowa, ul. Przedborska 39/41", "adres"),
    ],
)
def test_identifying_remarks_are_refused(
    run: Run, template: Path, db_path: Path, remark: str, kind: str
) -> None:
    shutil.copyfile(template, db_path)
    for args in (
        ("zespoly", "zaloz", "--gmina", "1012011"),
        ("instytucje", "dodaj", "MOPS Radomsko", "-g", "1012011", "--sektor", "pomoc_spoleczna"),
        ("zzk", "dodaj", "-g", "1012011", "-d", "2020-01-10", "-k", "osoba", "-i", "1"),
    ):
        assert run(*args).exit_code == 0
    before = snapshot(db_path)
    attempts: list[tuple[str, ...]] = [
        ("zzk", "dodaj", "-g", "1012011", "-d", "2020-01-10", "-k", "osoba", "-i", "1"),
        ("zzk", "edytuj", "1"),
    ]
    for attempt in attempts:
        result = run(*attempt, "--uwagi", remark)
        assert result.exit_code == 1
        assert result.stderr.startswith("Błąd: uwaga zawiera coś, co może wskazać konkretną osobę")
        assert kind in result.stderr
        assert "wyłącznie samej współpracy instytucji" in result.stderr
        assert snapshot(db_path) == before
    assert (
        run("zzk", "edytuj", "1", "--uwagi", "Szybka wymiana informacji MOPS i PCPR").exit_code == 0
    )


# ---- small numbers -------------------------------------------------------------------------

COUNT = st.integers(0, 12)


@st.composite
def counts(draw: st.DrawFn) -> tuple[Counts, bool]:
    persons, families = draw(COUNT), draw(COUNT)
    goal, stopped = draw(COUNT), draw(COUNT)
    since_start = draw(st.booleans())
    if since_start:  # closed ones were opened in the period too
        assume(goal + stopped <= persons + families)
        in_progress = persons + families - goal - stopped
    else:
        in_progress = draw(COUNT)
    counts = Counts(
        otwarte=persons + families,
        osoby=persons,
        rodziny=families,
        zamkniete=goal + stopped,
        cel_osiagniety=goal,
        przerwane=stopped,
        w_toku=in_progress,
        spotkania=draw(COUNT),
    )
    return counts, since_start


@relaxed
@given(counts())
def test_no_small_figure_is_printed_or_recoverable(case: tuple[Counts, bool]) -> None:
    exact, since_start = case
    shown = published(exact, since_start)
    for f in fields(Counts):
        value, cell = getattr(exact, f.name), getattr(shown, f.name)
        if value < 3:
            assert cell.tekst == "mniej niż 3"
        else:
            assert cell.tekst in (str(value), "ukryte")
        assert cell.liczba in (None, value)
    sums = [("otwarte", ("osoby", "rodziny")), ("zamkniete", ("cel_osiagniety", "przerwane"))]
    if since_start:
        sums.append(("otwarte", ("zamkniete", "w_toku")))
    for total, parts in sums:
        hidden = [m for m in (total, *parts) if getattr(shown, m).ukryta]
        assert len(hidden) != 1, (total, parts, shown)


@relaxed
@given(st.lists(st.integers(0, 10), max_size=8))
def test_a_total_is_exact_only_when_every_part_is(values: list[int]) -> None:
    parts = [small_counts.primary(v) for v in values]
    total = small_counts.total(parts, sum(values))
    if sum(values) < 3:
        assert total.tekst == "mniej niż 3"
    elif all(v >= 3 for v in values):
        assert total.tekst == str(sum(values))
    else:
        assert total.liczba is None
        known = sum(v for v in values if v >= 3)
        assert total.tekst == (f"co najmniej {known}" if known >= 3 else "ukryte")


_NUMBER_CELL = re.compile(r"\|\s*([0-2])\s*\|")


def test_published_reports_never_print_a_task_team_figure_below_3(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "demo"
    assert run("demo", "-o", str(out)).exit_code == 0
    site = tmp_path / "strona"
    result = run(
        "--baza", str(out / "demo.db"), "raport", "strona", "-o", str(site), "--do",
        "2020-03-31", "--cicho",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    pages = [*site.rglob("*.md"), out / "zespol-1012011.md"]
    sections = 0
    for page in pages:
        text = page.read_text("utf-8")
        for section in re.findall(r"## Zadaniowe zespoły kooperacyjne \(ZZK\)\n(.*?)(?=\n## |\Z)",
                                  text, re.S):  # fmt: skip
            sections += 1
            assert not _NUMBER_CELL.search(section), (page, section)
    assert sections >= 4  # the team page, the report, the voivodeship, macroregion, project…
    radomsko = (site / "zespoly" / "1012011.md").read_text("utf-8")
    assert "| Otwarte w okresie | 5 |" in radomsko
    assert "| w tym dotyczące rodziny | mniej niż 3 |" in radomsko
    assert "| w tym dotyczące osoby | ukryte |" in radomsko  # 5 − (less than 3) would tell
    summary = run(
        "--baza", str(out / "demo.db"), "raport", "zbiorczy", "--do", "2020-03-31", "-f", "csv"
    )
    for line in summary.stdout.splitlines()[1:]:
        zzk_cells = line.split(",")[-8:]
        assert not any(cell in ("0", "1", "2") for cell in zzk_cells), line
    # The coordinator's terminal is exact.
    own = run("--baza", str(out / "demo.db"), "zzk", "lista", "-g", "1012011", "--do", "2020-03-31")
    assert "otwarte 5 (osoby 4, rodziny 1)" in own.stdout
