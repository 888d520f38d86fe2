"""PDF documents typeset by Typst (the `typst` wheel: no browser, no system libraries).

A document is one Typst template, `templates/<name>.typ`, that imports the shared page
(`_pdf.typ`: running header, footer "Strona N z M", Polish dates) and reads its data from
`dane.json`: the report's context dataclass turned into JSON. The data never passes
through Typst markup, so whatever a user typed (`#`, `$`, `*`, `[`, `\\`) prints as text.
Adding a document takes a template and a context dataclass: `render_pdf` does the rest.

Everything is typeset from a temporary directory holding the templates, the data and
copies of the logo images, with only the fonts built into Typst (Libertinus Serif covers
every Polish letter), so the same data gives the same bytes on every machine.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from kooperacje import __version__, config
from kooperacje.dates import polish_date
from kooperacje.errors import InvalidInput, KooperacjeError
from kooperacje.reports import render
from kooperacje.reports.header import DocumentHeader

SHARED = "_pdf.typ"
DATA = "dane.json"
# Image formats Typst reads.
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg")
# A package import would make Typst download it: the program never goes online.
_PACKAGE_IMPORT = re.compile(r"""["']@[\w-]+/""")


def to_data(value: Any) -> Any:
    """A context as JSON values: dataclass fields and public properties, tuples as
    lists, dates as ISO strings."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
        for klass in type(value).__mro__:
            for name, attribute in vars(klass).items():
                if isinstance(attribute, property) and not name.startswith("_"):
                    out.setdefault(name, to_data(getattr(value, name)))
        return out
    if isinstance(value, enum.Enum):
        return to_data(value.value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_data(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _template_source(name: str) -> Path:
    """The template file: the user's (from --szablony or the config) before the default."""
    override = render.current().szablony
    if override is not None and (override / name).is_file():
        return override / name
    default = render.templates_dir() / name
    if not default.is_file():
        raise KooperacjeError(
            f"brak szablonu PDF {name} wśród szablonów programu. Zainstaluj program "
            "ponownie: pip install kooperacje."
        )
    return default


def _copy_template(name: str, root: Path) -> None:
    source = _template_source(name)
    text = source.read_text("utf-8")
    if _PACKAGE_IMPORT.search(text):
        raise InvalidInput(
            f'szablon "{source}" importuje pakiet Typst (@…/…), który trzeba by pobrać '
            "z internetu; program działa bez sieci. Przenieś potrzebny kod do szablonu."
        )
    (root / name).write_text(text, "utf-8")


def _copy_logos(logos: tuple[Path, ...], root: Path) -> list[str]:
    """Copy the logo images into the typesetting directory; their names there."""
    names: list[str] = []
    where = config.path()
    for number, logo in enumerate(logos, start=1):
        suffix = logo.suffix.lower()
        if suffix not in LOGO_SUFFIXES:
            raise InvalidInput(
                f'logo "{logo}" (organizacja.logo w pliku konfiguracji "{where}") nie jest '
                "obrazem PNG, JPEG, GIF ani SVG. Podaj plik w jednym z tych formatów."
            )
        if not logo.is_file():
            raise InvalidInput(
                f'nie ma pliku logo "{logo}" (organizacja.logo w pliku konfiguracji "{where}"). '
                "Popraw ścieżkę albo usuń ją z listy logo."
            )
        name = f"logo-{number}{suffix}"
        try:
            shutil.copyfile(logo, root / name)
        except OSError as exc:
            raise InvalidInput(
                f'nie można odczytać pliku logo "{logo}": {exc.strerror or exc}. '
                "Sprawdź jego uprawnienia."
            ) from None
        names.append(name)
    return names


def render_pdf(
    name: str,
    raport: Any,
    naglowek: DocumentHeader,
    *,
    tytul: str,
    wygenerowano: dt.date | None = None,
) -> bytes:
    """Typeset `templates/<name>.typ` with the context as `raport` and the header as
    `naglowek`; `wygenerowano` (default today) is printed in the footer of every page
    and is the PDF's creation date, so a fixed date gives identical bytes."""
    import typst

    day = wygenerowano or dt.date.today()
    with tempfile.TemporaryDirectory(prefix="kooperacje-pdf-") as folder:
        root = Path(folder)
        for template in (SHARED, f"{name}.typ"):
            _copy_template(template, root)
        head = to_data(naglowek)
        head["logo"] = _copy_logos(naglowek.logo, root)
        data = {
            "raport": to_data(raport),
            "naglowek": head,
            "tytul": tytul,
            "wygenerowano": polish_date(day),
            "wersja": __version__,
        }
        (root / DATA).write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        stamp = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
        try:
            pdf: bytes = typst.compile(
                str(root / f"{name}.typ"),
                root=str(root),
                format="pdf",
                ignore_system_fonts=True,
                timestamp=stamp,
            )
        except typst.TypstError as exc:
            raise _typst_error(name, exc, naglowek) from None
    return pdf


def _typst_error(name: str, exc: Exception, naglowek: DocumentHeader) -> KooperacjeError:
    message = str(getattr(exc, "message", "") or exc).strip()
    detail = str(getattr(exc, "diagnostic", "") or "")
    if "logo-" in detail or "image" in message.lower():
        logos = ", ".join(f'"{p}"' for p in naglowek.logo)
        return InvalidInput(
            f"nie można odczytać obrazów logo ({logos}): {message}. Sprawdź, czy to poprawne "
            "pliki PNG, JPEG, GIF albo SVG."
        )
    where = ""
    found = re.search(r"┌─ (\S+):(\d+)", detail)
    if found:
        where = f" ({found.group(1)}, wiersz {found.group(2)})"
    return KooperacjeError(
        f"szablon PDF {name}.typ jest błędny{where}: {message}. Popraw szablon albo usuń go "
        "z katalogu szablonów, aby użyć domyślnego."
    )
