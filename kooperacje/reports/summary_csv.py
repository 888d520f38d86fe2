"""The summary report as spreadsheet rows: one row per team, numbers as a spreadsheet reads them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kooperacje.reports.indicators import Summary
from kooperacje.reports.task_team_report import PublishedCounts

if TYPE_CHECKING:
    pass


CSV_COLUMNS = (
    ("zespol", "Zespół"),
    ("gmina", "Kod TERYT gminy"),
    ("gmina_nazwa", "Gmina"),
    ("wojewodztwo", "Województwo"),
    ("makroregion", "Makroregion"),
    ("projekt", "Projekt"),
    ("czlonkowie", "Członkowie na koniec okresu"),
    ("przystapienia", "Przystąpienia w okresie"),
    ("wystapienia", "Wystąpienia w okresie"),
    ("sektory", "Sektory (z 16)"),
    ("sektory_kluczowe", "Sektory kluczowe (z 5)"),
    ("spotkania", "Spotkania w okresie"),
    ("frekwencja", "Średnia frekwencja członków (%)"),
    ("deklaracje", "Deklaracje w okresie"),
    ("uslugi", "Aktywne usługi w koszyku gminy"),
    ("zweryfikowane", "Usługi zweryfikowane w ostatnich 12 miesiącach (%)"),
    # Task teams: published figures, "mniej niż 3" below 3 (see small_counts).
    *(
        (f"zzk_{name}", label)
        for name, label in (
            ("otwarte", "ZZK otwarte w okresie"),
            ("osoby", "ZZK otwarte: osoby"),
            ("rodziny", "ZZK otwarte: rodziny"),
            ("zamkniete", "ZZK zamknięte w okresie"),
            ("cel_osiagniety", "ZZK zamknięte: cel osiągnięty"),
            ("przerwane", "ZZK zamknięte: przerwane"),
            ("w_toku", "ZZK w toku na koniec okresu"),
            ("spotkania", "Spotkania ZZK w okresie"),
        )
    ),
)
_ZZK_FIELDS = [key[4:] for key, _ in CSV_COLUMNS if key.startswith("zzk_")]


def _zzk(counts: PublishedCounts | None) -> list[str]:
    if counts is None:
        return ["" for _ in _ZZK_FIELDS]
    return [getattr(counts, name).tekst for name in _ZZK_FIELDS]


def csv_rows(data: Summary) -> list[list[str | float]]:
    """The summary as CSV rows: a header, one row per team, and a row of totals."""

    def pct(value: float | None) -> str:
        return "" if value is None else str(round(value * 100))

    zzk_rows = {r.id: r.liczby for r in data.zzk.zespoly} if data.zzk else {}
    rows: list[list[str | float]] = [[label for _, label in CSV_COLUMNS]]
    for f in data.zespoly:
        rows.append(
            [
                f.nazwa,
                f.gmina,
                f.gmina_nazwa,
                f.wojewodztwo,
                f.makroregion or "",
                f.projekt or "",
                str(f.czlonkowie),
                str(f.przystapienia),
                str(f.wystapienia),
                str(f.liczba_sektorow),
                str(f.sektory_kluczowe),
                str(f.spotkania),
                pct(f.frekwencja),
                str(f.deklaracje),
                str(f.uslugi),
                pct(f.zweryfikowane),
                *_zzk(zzk_rows.get(f.id)),
            ]
        )
    t = data.razem
    rows.append(
        [
            f"Razem ({t.zespoly})",
            "",
            "",
            "",
            "",
            "",
            str(t.czlonkowie),
            str(t.przystapienia),
            str(t.wystapienia),
            # A number (the CSV writer gives it the decimal comma a Polish spreadsheet reads).
            "" if t.srednio_sektorow is None else round(t.srednio_sektorow, 1),
            "",
            str(t.spotkania),
            pct(t.frekwencja),
            str(t.deklaracje),
            str(t.uslugi),
            pct(t.zweryfikowane),
            *_zzk(data.zzk.razem if data.zzk else None),
        ]
    )
    return rows
