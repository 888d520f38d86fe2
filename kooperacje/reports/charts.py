"""Charts for the HTML reports: inline SVG drawn by pygal, each with its numbers as a table.

The SVG is self-contained and static: pygal's script and comments are taken out (the
comment carries the date of drawing) and its random chart id is replaced by a fixed one,
so the same data always gives the same bytes. Black, greys and dash patterns keep the
charts readable when printed in black and white. pygal is imported only here, only when
a chart is drawn.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kooperacje.register.vocab import CORE_SECTORS, SECTORS
from kooperacje.reports.indicators import Summary
from kooperacje.reports.task_team_report import PublishedCounts, Share

# More teams than this make a matrix of dots unreadable: the summary shows per-sector
# counts instead.
MATRIX_LIMIT = 40
# More series than this make a line chart unreadable: the total is drawn instead.
LINES_LIMIT = 8
_GREYS = ("#000000", "#444444", "#777777", "#999999", "#222222", "#555555", "#888888", "#333333")
_DASHES = ("", "8,4", "2,3", "10,3,2,3", "4,4", "12,6", "1,2", "6,2,2,2")
_FONT = '"DejaVu Sans", "Liberation Sans", Arial, sans-serif'


@dataclass(frozen=True)
class Chart:
    """A chart and its text alternative: the same numbers as a table."""

    id: str  # unique within a page, used as the SVG's id
    tytul: str
    opis: str  # one sentence saying what the chart shows (the SVG's accessible name)
    svg: str  # inline <svg> element
    naglowki: tuple[str, ...]
    wiersze: tuple[tuple[str, ...], ...]


def _style() -> Any:
    from pygal.style import Style

    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#000000",
        foreground_strong="#000000",
        foreground_subtle="#555555",
        opacity="1",
        opacity_hover="1",
        colors=_GREYS,
        font_family=_FONT,
        label_font_family=_FONT,
        major_label_font_family=_FONT,
        value_font_family=_FONT,
        title_font_family=_FONT,
        legend_font_family=_FONT,
        tooltip_font_family=_FONT,
        no_data_font_family=_FONT,
        label_font_size=11,
        major_label_font_size=11,
        legend_font_size=12,
        no_data_font_size=20,
        transition="0s",
    )


def _config(**extra: Any) -> dict[str, Any]:
    return {
        "style": _style(),
        "js": [],
        "disable_xml_declaration": True,
        "width": 760,
        "height": 340,
        "margin": 12,
        "no_data_text": "brak danych",
        "tooltip_fancy_mode": False,
        **extra,
    }


_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _svg(chart: Any, chart_id: str, description: str) -> str:
    """The chart as a static, deterministic inline SVG element."""
    from markupsafe import escape

    text: str = chart.render(is_unicode=True)
    text = _COMMENT.sub("", _SCRIPT.sub("", text))
    text = text.replace(f"chart-{chart.uuid}", chart_id).replace(chart.uuid, chart_id)
    text = text.replace("<title>Pygal</title>", f"<title>{escape(description)}</title>", 1)
    label = f' role="img" aria-label="{escape(description)}"'
    return text.replace("<svg ", f"<svg{label} ", 1)


def _whole_numbers(chart: Any, highest: int) -> None:
    """Counts on the y axis: 0, 1, 2… (a step that gives at most about ten labels)."""
    top = max(1, highest)
    step = max(1, -(-top // 10))
    chart.range = (0, top)
    chart.y_labels = list(range(0, top + 1, step))


def _months_axis(months: Sequence[str]) -> dict[str, Any]:
    # About a dozen labelled months on the axis, whatever the length of the period.
    every = max(1, (len(months) + 11) // 12)
    return {
        "x_labels": [_month_label(m) for m in months],
        "x_labels_major_every": every,
        "show_minor_x_labels": False,
        "x_label_rotation": 30 if len(months) > 6 else 0,
    }


def _month_label(month: str) -> str:
    return f"{month[5:7]}.{month[:4]}"


def members_over_time(
    chart_id: str, series: Mapping[str, Sequence[tuple[str, int]]], title: str
) -> Chart:
    """Members at the end of each month, one line per team (or one for all together)."""
    import pygal

    months = sorted({m for points in series.values() for m, _ in points})
    chart = pygal.Line(**_config(show_legend=len(series) > 1, legend_at_bottom=True, dots_size=2))
    for config_key, value in _months_axis(months).items():
        setattr(chart, config_key, value)
    chart.y_title = "członkowie"
    _whole_numbers(chart, max((v for pts in series.values() for _, v in pts), default=0))
    for n, (name, points) in enumerate(series.items()):
        by_month = dict(points)
        chart.add(
            name,
            [by_month.get(m) for m in months],
            stroke_style={"width": 2, "dasharray": _DASHES[n % len(_DASHES)]},
        )
    rows: list[tuple[str, ...]] = []
    for name, points in series.items():
        previous: int | None = None
        for month, value in points:
            if value != previous:  # only the months where the number changed
                rows.append((name, _month_label(month), str(value)))
            previous = value
    return Chart(
        id=chart_id,
        tytul=title,
        opis=f"{title}: wykres liniowy liczby członków na koniec każdego miesiąca.",
        svg=_svg(chart, chart_id, title),
        naglowki=("Zespół", "Od miesiąca", "Członkowie"),
        wiersze=tuple(rows),
    )


def meetings_per_month(chart_id: str, months: Sequence[tuple[str, int]], title: str) -> Chart:
    """A bar for each month of the period: how many meetings were held."""
    import pygal

    chart = pygal.Bar(**_config(show_legend=False))
    for config_key, value in _months_axis([m for m, _ in months]).items():
        setattr(chart, config_key, value)
    chart.y_title = "spotkania"
    _whole_numbers(chart, max((n for _, n in months), default=0))
    chart.add("spotkania", [n for _, n in months])
    return Chart(
        id=chart_id,
        tytul=title,
        opis=f"{title}: wykres słupkowy liczby spotkań w kolejnych miesiącach.",
        svg=_svg(chart, chart_id, title),
        naglowki=("Miesiąc", "Spotkania"),
        wiersze=tuple((_month_label(m), str(n)) for m, n in months if n),
    )


def sector_matrix(chart_id: str, teams: Sequence[tuple[str, Sequence[str]]]) -> Chart:
    """Teams × sectors: a dot where the team has a member of the sector, a gap where not."""
    import pygal

    codes = [code for code, _ in SECTORS.items]
    labels = [f"{i}{'★' if c in CORE_SECTORS else ''}" for i, c in enumerate(codes, start=1)]
    chart = pygal.Dot(
        **_config(
            show_legend=False,
            height=max(160, 60 + 28 * len(teams)),
            x_label_rotation=0,
            dots_size=9,
        )
    )
    chart.x_labels = labels
    for name, covered in teams:
        chart.add(name, [1 if c in covered else 0 for c in codes])
    legend = "; ".join(f"{i}: {label}" for i, (_, label) in enumerate(SECTORS.items, start=1))
    return Chart(
        id=chart_id,
        tytul="Pokrycie sektorów (zespoły × sektory)",
        opis="Macierz pokrycia sektorów: kropka oznacza członka zespołu w sektorze, brak "
        f"kropki lukę; ★ to sektory kluczowe. Sektory: {legend}.",
        svg=_svg(chart, chart_id, "Pokrycie sektorów"),
        naglowki=("Zespół", *labels),
        wiersze=tuple(
            (name, *("●" if c in covered else "–" for c in codes)) for name, covered in teams
        ),
    )


def sector_counts(chart_id: str, teams: Sequence[tuple[str, Sequence[str]]]) -> Chart:
    """For many teams: how many of them have a member in each sector."""
    import pygal

    counts = [sum(1 for _, covered in teams if code in covered) for code, _ in SECTORS.items]
    names = [f"{label}{' ★' if code in CORE_SECTORS else ''}" for code, label in SECTORS.items]
    chart = pygal.HorizontalBar(**_config(show_legend=False, height=460))
    _whole_numbers(chart, len(teams))
    chart.x_labels = names
    chart.add("zespoły", counts)
    return Chart(
        id=chart_id,
        tytul=f"Pokrycie sektorów: zespoły z członkiem w sektorze (z {len(teams)})",
        opis="Wykres słupkowy: liczba zespołów z co najmniej jednym członkiem w każdym "
        "z 16 sektorów; ★ to sektory kluczowe.",
        svg=_svg(chart, chart_id, "Pokrycie sektorów"),
        naglowki=("Sektor", "Zespoły"),
        wiersze=tuple((n, str(c)) for n, c in zip(names, counts, strict=True)),
    )


def summary_charts(
    data: Summary, timeline: Mapping[int, Sequence[tuple[str, int]]]
) -> tuple[Chart, ...]:
    """The charts of a summary page: sector coverage, members over time, meetings."""
    # Gmina and TERYT code: short enough for an axis, and Radomsko (town) is not Radomsko.
    teams = [(f"{f.gmina_nazwa} ({f.gmina})", f.sektory) for f in data.zespoly]
    if not teams:
        return ()
    charts = [
        sector_matrix("wykres-sektory", teams)
        if len(teams) <= MATRIX_LIMIT
        else sector_counts("wykres-sektory", teams)
    ]
    names = {f.id: f.nazwa for f in data.zespoly}
    lines = {names[k]: v for k, v in timeline.items() if k in names and v}
    if len(lines) > LINES_LIMIT:
        total: dict[str, int] = {}
        for points in lines.values():
            for month, value in points:
                total[month] = total.get(month, 0) + value
        lines = {"wszystkie zespoły": sorted(total.items())}
    if lines:
        charts.append(members_over_time("wykres-czlonkowie", lines, "Członkowie w czasie"))
    if data.spotkania_w_miesiacach:
        charts.append(
            meetings_per_month(
                "wykres-spotkania", data.spotkania_w_miesiacach, "Spotkania w miesiącach"
            )
        )
    if data.zzk is not None:
        extra = (
            task_team_outcomes("wykres-zzk", data.zzk.razem, "Zadaniowe zespoły kooperacyjne"),
            task_team_sectors("wykres-zzk-sektory", data.zzk.sektory, "Sektory w spotkaniach ZZK"),
        )
        charts.extend(c for c in extra if c is not None)
    return tuple(charts)


def task_team_outcomes(chart_id: str, counts: PublishedCounts, title: str) -> Chart | None:
    """Task teams by outcome: a bar for each figure printed exactly, none for a hidden one
    (a bar would show the number); None when every figure is hidden."""
    import pygal

    bars = (
        ("otwarte", "otwarte w okresie", counts.otwarte),
        ("cel osiągnięty", "zamknięte w okresie: cel osiągnięty", counts.cel_osiagniety),
        ("przerwane", "zamknięte w okresie: przerwane", counts.przerwane),
        ("w toku", "w toku na koniec okresu", counts.w_toku),
    )
    if all(shown.liczba is None for _, _, shown in bars):
        return None
    chart = pygal.Bar(**_config(show_legend=False, height=300, truncate_label=-1))
    # A missing bar is no zero: the axis says why it is missing.
    chart.x_labels = [a if s.liczba is not None else f"{a} ({s.tekst})" for a, _, s in bars]
    chart.y_title = "ZZK"
    _whole_numbers(chart, max(shown.liczba or 0 for _, _, shown in bars))
    chart.add("ZZK", [shown.liczba for _, _, shown in bars])
    return Chart(
        id=chart_id,
        tytul=title,
        opis=f"{title}: wykres słupkowy; liczby mniejsze niż 3 i ukryte nie mają słupka.",
        svg=_svg(chart, chart_id, title),
        naglowki=("ZZK", "Liczba"),
        wiersze=tuple((label, shown.tekst) for _, label, shown in bars),
    )


def task_team_sectors(chart_id: str, shares: Sequence[Share], title: str) -> Chart | None:
    """Meetings of task teams attended, by sector of the institution (exact figures only)."""
    import pygal

    drawn = [s for s in shares if s.liczba.liczba is not None]
    if not drawn:
        return None
    chart = pygal.HorizontalBar(**_config(show_legend=False, height=max(160, 60 + 26 * len(drawn))))
    _whole_numbers(chart, max(s.liczba.liczba or 0 for s in drawn))
    chart.x_labels = [s.nazwa for s in drawn]
    chart.add("udział w spotkaniach", [s.liczba.liczba for s in drawn])
    return Chart(
        id=chart_id,
        tytul=title,
        opis=f"{title}: wykres słupkowy sektorów, których liczbę można podać; pozostałe "
        "są w tabeli.",
        svg=_svg(chart, chart_id, title),
        naglowki=("Sektor", "Udział w spotkaniach ZZK"),
        wiersze=tuple((s.nazwa, s.liczba.tekst) for s in shares),
    )
