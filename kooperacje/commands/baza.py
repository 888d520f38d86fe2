"""`kooperacje baza`: backups, restoring one, and checking the database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kooperacje.commands._base import new_app
from kooperacje.commands._common import (
    FormatOpt,
    database_location,
    db_path,
    get_db,
    stdin_is_terminal,
)
from kooperacje.errors import InvalidInput, KooperacjeError
from kooperacje.formats import Format
from kooperacje.output import info, listing, notice
from kooperacje.reports import public_copy
from kooperacje.store import backup, consistency

app = new_app(
    "Plik bazy: gdzie jest, kopie zapasowe, przywracanie z kopii i sprawdzanie spójności."
)


@app.command("sciezka")
def sciezka(ctx: typer.Context) -> None:
    """Pokaż ścieżkę bazy, z której korzystają polecenia, i skąd się wzięła.

    Ścieżka trafia na standardowe wyjście (do skryptów), źródło na standardowe wyjście
    błędów. Niczego nie tworzy.

    Przykład: kooperacje baza sciezka
    """

    path, source = database_location(ctx)
    info(str(path.absolute()))
    note = f"Źródło: {source}."
    if not path.exists():
        note += " Pliku jeszcze nie ma: utworzy go polecenie kooperacje baza utworz."
    notice(note)


@app.command("utworz")
def utworz(ctx: typer.Context) -> None:
    """Utwórz nową, pustą bazę (z rejestrem TERYT) i powiedz, gdzie jest.

    Baza powstaje w pliku z --baza (np. kooperacje --baza ~/pzk/kooperacje.db baza utworz),
    KOOPERACJE_BAZA, pliku konfiguracji albo w katalogu danych użytkownika. Polecenia, które
    tylko czytają, bazy nie tworzą. Istniejącej bazy polecenie nie zmienia.

    Przykład: kooperacje baza utworz
    """

    path = db_path(ctx)
    existed = path.exists()
    get_db(ctx, create=True)  # a new one is announced on stderr, with its path
    if existed:
        info(f"Baza jest gotowa do pracy: {path.absolute()} (nie utworzono nowego pliku).")


@app.command("kopia")
def kopia(
    ctx: typer.Context,
    plik: Annotated[
        Path | None,
        typer.Argument(
            help="Plik kopii (domyślnie obok bazy: kooperacje.kopia-DATA.db); nie może istnieć."
        ),
    ] = None,
) -> None:
    """Zrób spójną kopię bazy, także gdy inny proces właśnie do niej zapisuje.

    Przykład: kooperacje baza kopia /media/pendrive/kooperacje-kopia.db
    """

    target = backup.backup(get_db(ctx), db_path(ctx), plik)
    info(f"Zapisano kopię bazy w pliku {target} (dostęp tylko dla właściciela).")


@app.command("przywroc")
def przywroc(
    ctx: typer.Context,
    plik: Annotated[Path, typer.Argument(help="Plik kopii bazy do przywrócenia.")],
    tak: Annotated[
        bool, typer.Option("--tak", "-t", help="Przywróć bez pytania o potwierdzenie.")
    ] = False,
) -> None:
    """Zastąp bazę kopią z pliku; dotychczasowa baza zostaje zachowana obok jako kopia.

    Przykład: kooperacje baza przywroc kooperacje.kopia-20260101T120000Z.db --tak
    """

    target = db_path(ctx)
    source = backup.inspect(plik, target)
    if source.wymazane:
        info(
            f"Uwaga: kopia zawiera dane osób ({source.wymazane}), które usunięto na żądanie po "
            "jej wykonaniu. Po przywróceniu ich dane zostaną usunięte ponownie."
        )
    if not tak:
        if not stdin_is_terminal():
            raise InvalidInput(
                "przywrócenie kopii wymaga potwierdzenia, a nie ma kogo zapytać (wejście nie "
                "jest terminalem). Dodaj opcję --tak, aby przywrócić bez pytania."
            )
        typer.confirm(
            f"Zastąpić bazę {target} kopią {plik} (instytucje: {source.instytucje}, zespoły: "
            f"{source.zespoly}, spotkania: {source.spotkania})? [y = tak / n = nie]",
            default=False,
            abort=True,
            show_default=False,
        )
    restored = backup.restore(plik, target)
    info(f"Przywrócono bazę z pliku {plik}.")
    if restored.ponownie_wymazane:
        info(
            f"Ponownie usunięto dane osób ({restored.ponownie_wymazane}), które usunięto na "
            f"żądanie po wykonaniu kopii. Plik {plik} nadal je zawiera: zniszcz go albo "
            "zastąp nową kopią (kooperacje baza kopia)."
        )
    if not restored.dziennik_odczytany:
        info(
            "Uwaga: zastępowanej bazy nie dało się odczytać, więc nie wiadomo, czyje dane "
            "usunięto w niej po wykonaniu kopii. Sprawdź listę osób (kooperacje osoby lista) "
            "i usuń ponownie te, których dane usunięto na żądanie."
        )
    if restored.zachowana is not None:
        info(f"Poprzednia baza jest zachowana w pliku {restored.zachowana}.")


@app.command("publiczna")
def publiczna(
    ctx: typer.Context,
    plik: Annotated[Path, typer.Argument(help="Plik kopii publicznej do utworzenia.")],
) -> None:
    """Zapisz kopię publiczną bazy: zespoły, instytucje i koszyk usług bez danych osobowych.

    Bez osób, służbowych kontaktów pracowników, historii zmian i uwag; ZZK tylko jako
    liczby zespołu (poniżej 3: „mniej niż 3”). Plik można opublikować, np. w Datasette
    (kooperacje publikuj). Zastępuje tylko swoją wcześniejszą kopię publiczną, innej bazy
    nie nadpisuje.

    Przykład: kooperacje baza publiczna kooperacje-publiczna.db
    """

    written = public_copy.write(get_db(ctx), plik)
    info(
        f"Zapisano kopię publiczną w pliku {written.plik} (zespoły: {written.zespoly}, "
        f"instytucje: {written.instytucje}, usługi: {written.uslugi})."
    )


@app.command("kopie")
def kopie(
    ctx: typer.Context,
    fmt: FormatOpt = Format.tabela,
    zapomnij: Annotated[
        Path | None,
        typer.Option(
            "--zapomnij",
            help="Usuń z listy kopię zapisaną gdzie indziej, której już nie ma (np. zniszczoną).",
        ),
    ] = None,
) -> None:
    """Wypisz kopie bazy: pliki kopii obok bazy i kopie zapisane gdzie indziej (baza kopia).

    Usunięcie danych osoby wymienia kopie, które je jeszcze zawierają.

    Przykład: kooperacje baza kopie --zapomnij /media/pendrive/kooperacje-kopia.db
    """

    if zapomnij is not None:
        backup.forget(get_db(ctx), zapomnij)
        info(f"Usunięto z listy kopię {zapomnij} (sam plik, jeśli istnieje, pozostał).")
        return
    rows = [
        {"sciezka": str(b.sciezka), "kiedy": b.kiedy or "", "dostepna": b.dostepna}
        for b in backup.backups(get_db(ctx))
    ]
    if fmt is Format.tabela:
        for row in rows:
            row["dostepna"] = "tak" if row["dostepna"] else "nie (brak pliku)"
    columns = [("sciezka", "Plik"), ("kiedy", "Kiedy (UTC)"), ("dostepna", "Dostępna")]
    listing(rows, columns, fmt, empty="Brak kopii bazy.")


@app.command("sprawdz")
def sprawdz(ctx: typer.Context) -> None:
    """Sprawdź bazę: integralność pliku, klucze obce, kody TERYT, słowników i skróty.

    Skrót instytucji (np. PCPR) musi wskazywać jedną instytucję w gminie; powtórzone
    skróty są wypisane z numerami instytucji.

    Kończy się kodem 1, gdy coś jest nie tak.

    Przykład: kooperacje baza sprawdz
    """

    checks = consistency.check(get_db(ctx))
    for check in checks:
        if not check.problemy:
            info(f"{check.nazwa}: w porządku")
            continue
        info(f"{check.nazwa}: problemy ({len(check.problemy)})")
        for problem in check.problemy[:100]:
            info(f"  - {problem}")
        if len(check.problemy) > 100:
            info(f"  … i {len(check.problemy) - 100} innych")
    total = sum(len(check.problemy) for check in checks)
    if total:
        raise KooperacjeError(
            f"baza ma problemy ({total}). Przywróć ostatnią dobrą kopię (kooperacje baza "
            "przywroc PLIK) albo popraw wskazane wiersze."
        )
    info("Baza jest spójna.")
