"""Templates a coordinator adapts: the defaults copied out for editing, and the settings
(templates directory, organisation) that `kooperacje raport` renders with."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kooperacje import config, files
from kooperacje.errors import Conflict, InvalidInput
from kooperacje.reports import render as reports


@dataclass(frozen=True)
class Exported:
    """Where the templates went and which files were written."""

    katalog: Path
    pliki: tuple[str, ...]


def export(directory: Path, *, overwrite: bool = False) -> Exported:
    """Copy every default template into directory; existing files only with overwrite."""
    target = directory.expanduser()
    if target.exists() and not target.is_dir():
        raise InvalidInput(f'"{target}" jest plikiem. Podaj katalog na szablony.')
    source = reports.templates_dir()
    names = sorted(p.name for p in source.iterdir() if p.suffix in (".html", ".md", ".typ"))
    clashes = [name for name in names if (target / name).exists()]
    if clashes and not overwrite:
        raise Conflict(
            f'w katalogu "{target}" są już pliki {", ".join(clashes)}; nic nie skopiowano. '
            "Dodaj --nadpisz, aby zastąpić je szablonami domyślnymi, albo wybierz inny katalog."
        )
    for name in names:
        files.check_target(target / name)
    for name in names:
        files.write_bytes(target / name, (source / name).read_bytes(), personal=False)
    return Exported(katalog=target, pliki=tuple(names))


def settings(szablony: Path | None) -> reports.Settings:
    """The report settings: --szablony wins over the config file's `szablony`."""
    cfg = config.load()
    return reports.Settings(
        szablony=szablony.expanduser() if szablony is not None else cfg.szablony,
        organizacja_nazwa=cfg.organizacja_nazwa,
        organizacja_adres=cfg.organizacja_adres,
        logo=cfg.logo,
        wspolfinansowanie=cfg.wspolfinansowanie,
    )
