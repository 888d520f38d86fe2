"""The user's config file (TOML): default database, report directory, templates, organisation.

Example (`kooperacje konfiguracja sciezka` shows where the file lives):

    baza = "/home/koordynator/pzk.db"
    katalog_raportow = "/srv/raporty"
    szablony = "/home/koordynator/szablony"

    [organizacja]
    nazwa = "Miejski Ośrodek Pomocy Społecznej w Radomsku"
    adres = "ul. Tkacka 5, 97-500 Radomsko"
    logo = ["logotypy-fe.png"]
    wspolfinansowanie = "Projekt współfinansowany ze środków Unii Europejskiej …"

`logo` names images (PNG, JPEG, GIF or SVG) printed at the top of every page of a PDF
document; `wspolfinansowanie` is the co-financing statement printed under the project's
name on the documents of a team in a project. Relative paths are relative to this file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kooperacje.errors import InvalidInput

ENV_VAR = "KOOPERACJE_KONFIGURACJA"
FILE_NAME = "kooperacje.toml"
_KEYS = {"baza", "katalog_raportow", "szablony", "organizacja"}
_ORGANISATION_KEYS = {"nazwa", "adres", "logo", "wspolfinansowanie"}


@dataclass(frozen=True)
class Config:
    """The settings of the config file; None where it sets nothing."""

    baza: Path | None = None
    katalog_raportow: Path | None = None
    szablony: Path | None = None
    organizacja_nazwa: str | None = None
    organizacja_adres: str | None = None
    # Images for the header of PDF documents; whether they exist is checked when printing.
    logo: tuple[Path, ...] = ()
    wspolfinansowanie: str | None = None


def path() -> Path:
    """$KOOPERACJE_KONFIGURACJA, else kooperacje.toml in the user config directory."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_path

    return user_config_path("kooperacje", appauthor=False) / FILE_NAME


def load() -> Config:
    """The settings, or defaults when there is no config file."""
    where = path()
    try:
        raw = where.read_bytes()
    except FileNotFoundError:
        return Config()
    except OSError as exc:
        raise InvalidInput(
            f'nie można odczytać pliku konfiguracji "{where}": {exc.strerror or exc}. '
            "Sprawdź jego uprawnienia."
        ) from None
    import tomllib

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(
            f'plik konfiguracji "{where}" jest błędny: {exc}. Popraw go (format TOML) albo usuń.'
        ) from None
    return _parse(data, where)


def _parse(data: dict[str, Any], where: Path) -> Config:
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise InvalidInput(
            f'plik konfiguracji "{where}": nieznane ustawienie {", ".join(unknown)}. '
            f"Dozwolone: {', '.join(sorted(_KEYS))}."
        )
    organisation = data.get("organizacja", {})
    if not isinstance(organisation, dict):
        raise InvalidInput(
            f'plik konfiguracji "{where}": organizacja musi być sekcją [organizacja] '
            "z polami nazwa, adres, logo i wspolfinansowanie."
        )
    unknown = sorted(set(organisation) - _ORGANISATION_KEYS)
    if unknown:
        raise InvalidInput(
            f'plik konfiguracji "{where}": nieznane pole organizacja.{unknown[0]}. '
            "Dozwolone: nazwa, adres, logo, wspolfinansowanie."
        )
    return Config(
        baza=_path(data, "baza", where),
        katalog_raportow=_path(data, "katalog_raportow", where),
        szablony=_path(data, "szablony", where),
        organizacja_nazwa=_text(organisation, "organizacja.nazwa", "nazwa", where),
        organizacja_adres=_text(organisation, "organizacja.adres", "adres", where),
        logo=_logos(organisation, where),
        wspolfinansowanie=_text(
            organisation, "organizacja.wspolfinansowanie", "wspolfinansowanie", where
        ),
    )


def _logos(organisation: dict[str, Any], where: Path) -> tuple[Path, ...]:
    value = organisation.get("logo", [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(
            f'plik konfiguracji "{where}": organizacja.logo musi być listą ścieżek plików '
            'w cudzysłowie, np. logo = ["logo-fe.png", "herb.png"].'
        )
    found = [Path(v.strip()).expanduser() for v in value if v.strip()]
    return tuple(p if p.is_absolute() else where.parent / p for p in found)


def _text(data: dict[str, Any], label: str, key: str, where: Path) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f'plik konfiguracji "{where}": {label} musi być tekstem w cudzysłowie.')
    return value.strip() or None


def _path(data: dict[str, Any], key: str, where: Path) -> Path | None:
    value = _text(data, key, key, where)
    if value is None:
        return None
    found = Path(value).expanduser()
    # A relative path means the same thing from cron as from the terminal: next to the file.
    return found if found.is_absolute() else where.parent / found
