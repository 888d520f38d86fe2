"""`kooperacje konfiguracja`: where the config file is."""

from __future__ import annotations

from kooperacje import config
from kooperacje.commands._base import new_app
from kooperacje.output import info

app = new_app("Plik konfiguracji: domyślna baza, katalog raportów, szablony, dane organizacji.")


@app.command("sciezka")
def sciezka() -> None:
    """Pokaż ścieżkę pliku konfiguracji (TOML), także gdy jeszcze nie istnieje.

    Przykład: kooperacje konfiguracja sciezka
    """

    info(str(config.path()))
