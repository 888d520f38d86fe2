"""Markdown and HTML reports: one Jinja environment over the `templates/` directory.

The contexts (what each template may use) are built and documented in the context
modules (`context.py`, `team_context.py`, `basket_context.py`, `meeting_context.py`).
HTML is autoescaped; Markdown goes through the `md`, `mdcell` and `mdblock` filters,
which escape what Markdown would otherwise interpret (`filters.py`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import kooperacje
from kooperacje import files
from kooperacje.errors import InvalidInput, KooperacjeError
from kooperacje.register.teryt import Unit
from kooperacje.reports import (
    basket_context,
    charts,
    indicators,
    meeting_context,
    scopes,
    summary_csv,
    team_context,
    timeline,
)

# The filters are part of this module's interface (tests and callers use render.md …).
from kooperacje.reports.filters import br as br
from kooperacje.reports.filters import capfirst as capfirst
from kooperacje.reports.filters import markdown as markdown
from kooperacje.reports.filters import md as md
from kooperacje.reports.filters import mdblock as mdblock
from kooperacje.reports.filters import mdcell as mdcell
from kooperacje.reports.filters import odmiana as odmiana
from kooperacje.reports.filters import paragraphs as paragraphs
from kooperacje.reports.filters import slownie as slownie
from kooperacje.spreadsheet import csv_text
from kooperacje.teams.teams import Team

if TYPE_CHECKING:
    from jinja2 import Environment
    from sqlite_utils import Database


FORMATS = ("md", "html")
_SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}


def templates_dir() -> Path:
    """Where the templates are: inside the package in a wheel, beside it in a checkout."""

    package = Path(kooperacje.__file__).resolve().parent
    for candidate in (package / "templates", package.parent / "templates"):
        if (candidate / "_uklad.html").is_file():
            return candidate
    raise KooperacjeError(
        f"nie znaleziono szablonów raportów (szukano w {package / 'templates'} "
        f"i {package.parent / 'templates'}). Zainstaluj program ponownie: pip install kooperacje."
    )


@dataclass(frozen=True)
class Settings:
    """What the user may change about the reports: templates and the organisation header."""

    szablony: Path | None = None  # a directory whose templates override the default ones
    organizacja_nazwa: str | None = None
    organizacja_adres: str | None = None
    logo: tuple[Path, ...] = ()  # images at the top of every page of a PDF document
    wspolfinansowanie: str | None = None  # the co-financing statement of the team's project


# The settings of the running command (set by `kooperacje raport`, reset when it ends).
_SETTINGS: ContextVar[Settings | None] = ContextVar("kooperacje_raporty", default=None)


def current() -> Settings:
    """The settings of the running command (defaults outside `kooperacje raport`)."""
    return _current()


def _current() -> Settings:
    return _SETTINGS.get() or Settings()


@contextlib.contextmanager
def settings(value: Settings) -> Iterator[None]:
    """Render with these settings inside the block."""
    if value.szablony is not None and not value.szablony.is_dir():
        raise InvalidInput(
            f'katalog szablonów "{value.szablony}" nie istnieje. Utwórz go poleceniem: '
            f"kooperacje raport szablony eksportuj {value.szablony}"
        )
    token = _SETTINGS.set(value)
    try:
        yield
    finally:
        _SETTINGS.reset(token)


def environment() -> Environment:
    """The Jinja environment of the current settings (the default one unless overridden)."""
    current = _current()
    return _environment(current.szablony.resolve() if current.szablony else None)


@functools.cache
def _environment(override: Path | None) -> Environment:
    """One environment per templates directory: strict about undefined names, HTML-only
    autoescape; a template in `override` wins over the default of the same name."""
    from jinja2 import (
        BaseLoader,
        ChoiceLoader,
        Environment,
        FileSystemLoader,
        StrictUndefined,
        select_autoescape,
    )

    loader: BaseLoader = FileSystemLoader(templates_dir())
    if override is not None:
        loader = ChoiceLoader([FileSystemLoader(override), loader])
    env = Environment(
        loader=loader,
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # A command is one run: a template loaded once is not checked on disk again.
        auto_reload=False,
    )
    env.filters.update(
        md=md,
        mdcell=mdcell,
        mdblock=mdblock,
        paragraphs=paragraphs,
        br=br,
        odmiana=odmiana,
        capfirst=capfirst,
        slownie=slownie,
        markdown=markdown,
    )
    return env


def check_format(fmt: str) -> str:
    """'md' or 'html', or an InvalidInput naming both."""
    value = fmt.strip().lower()
    if value not in FORMATS:
        raise InvalidInput(f'nieznany format raportu "{fmt}". Podaj md (Markdown) albo html.')
    return value


def infer_format(fmt: str | None, path: Path | None) -> str:
    """The format asked for; without one, from the file's suffix; on screen, Markdown."""
    if fmt is not None:
        return check_format(fmt)
    if path is None:
        return "md"
    found = _SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise InvalidInput(
            f'nie wiadomo, w jakim formacie zapisać "{path}". Podaj --format md albo '
            "--format html, albo nadaj plikowi rozszerzenie .md lub .html."
        )
    return found


def render(name: str, fmt: str, raport: Any, *, naglowek: Any = None) -> str:
    """Render template `<name>.<fmt>` with the context dataclass as `raport`.

    Every template also sees `organizacja` (name and address from the config file, or
    None) and `naglowek` (the running header of a printed document: organisation, project
    and its co-financing statement, see `header.DocumentHeader`; None for other reports).
    A Markdown report starts with the organisation, HTML ones print them in the layout.
    A broken template is reported with its file and line, never as a traceback.
    """
    from jinja2 import TemplateError

    current = _current()
    organisation = None
    if current.organizacja_nazwa or current.organizacja_adres:
        organisation = {"nazwa": current.organizacja_nazwa, "adres": current.organizacja_adres}
    file_name = f"{name}.{check_format(fmt)}"
    try:
        template = environment().get_template(file_name)
        text = template.render(raport=raport, organizacja=organisation, naglowek=naglowek)
    except TemplateError as exc:
        raise _template_error(file_name, exc) from None
    if fmt == "md" and organisation is not None:
        line = ", ".join(v for v in (current.organizacja_nazwa, current.organizacja_adres) if v)
        text = f"*{md(line)}*\n\n{text}"
    return text


def _template_error(name: str, exc: Exception) -> KooperacjeError:
    """'szablon … jest błędny (plik, wiersz N): …' from a Jinja error and its traceback."""
    file_name = getattr(exc, "filename", None)
    line = getattr(exc, "lineno", None)
    if line is None:
        # A rendering error: Jinja puts template frames (its file, its line) in the traceback.
        tb = exc.__traceback__
        while tb is not None:
            code = tb.tb_frame.f_code.co_filename
            if code.endswith((".html", ".md")) and Path(code).is_file():
                file_name, line = code, tb.tb_lineno
            tb = tb.tb_next
    where = f"{file_name or name}, wiersz {line}" if line else str(file_name or name)
    detail = getattr(exc, "message", None) or str(exc)
    kind = type(exc).__name__
    if kind == "TemplateSyntaxError":
        detail = f"błąd składni Jinja: {detail}"
    elif kind == "UndefinedError":
        detail = f"nieznana nazwa albo pole: {detail}"
    return KooperacjeError(
        f"szablon raportu {name} jest błędny ({where}): {detail}. Popraw szablon albo usuń "
        "go z katalogu szablonów, aby użyć domyślnego."
    )


def render_team(db: Database, team: Team, fmt: str, *, na_dzien: dt.date | None = None) -> str:
    """The team report as it stood on `na_dzien` (default: today)."""
    return render("zespol", fmt, team_context.team_report(db, team, na_dzien))


def render_meeting(db: Database, meeting_id: int, fmt: str) -> str:
    """The note of one meeting."""
    return render("spotkanie", fmt, meeting_context.meeting_note(db, meeting_id))


def render_basket(
    db: Database,
    gmina_unit: Unit,
    fmt: str,
    *,
    obszar: str | None = None,
    grupa: str | None = None,
    wiek: int | None = None,
    bezplatne: bool = False,
    status: str | None = None,
    szukaj: str | None = None,
    stan_na: dt.date | None = None,
) -> str:
    """The printable basket of a gmina with the filters of `kooperacje koszyk` (raw input);
    stan_na is the date printed as the state of the catalogue (default today)."""
    context = basket_context.basket_report(
        db,
        gmina_unit,
        obszar=obszar,
        grupa=grupa,
        wiek=wiek,
        bezplatne=bezplatne,
        status=status,
        szukaj=szukaj,
        stan_na=stan_na,
    )
    return render("koszyk", fmt, context)


def render_summary(
    db: Database,
    scope: scopes.Scope,
    fmt: str,
    *,
    od: dt.date | None = None,
    do: dt.date | None = None,
) -> str:
    """The summary indicators of the teams in scope for the period; fmt md, html or csv."""

    start, end = scopes.period(od, do)
    data = indicators.summary(db, scope, start, end)
    if fmt == "html":
        data = with_charts(db, data)
    if fmt == "csv":
        # For Polish Excel: a BOM (UTF-8), `;` between cells, decimal comma.
        return "\ufeff" + csv_text(summary_csv.csv_rows(data), excel=True)
    return render("zbiorczy", fmt, data)


def with_charts(db: Database, data: indicators.Summary) -> indicators.Summary:
    """The summary with its charts (for HTML): sector coverage, members, meetings."""
    import dataclasses

    members = timeline.member_timeline(db, [f.id for f in data.zespoly], data.od, data.do)
    return dataclasses.replace(data, wykresy=charts.summary_charts(data, members))


def write(text: str, path: Path, *, personal: bool) -> Path:
    """Write a report (UTF-8) through the guarded writer: a temporary file beside the target,
    then a rename, so a reader (a browser, a web server, a cron job) never sees half a
    report. personal=True for a report naming staff: readable by its owner only."""
    return files.write_text(path, text, personal=personal)
