"""The one guarded way to write a file for the user.

Every file a command writes goes through `write_bytes`/`write_text` (or `atomic` when a
library writes the file itself). The target is refused when it is the database in use or
one of its companion files (`-wal`, `-shm`, `-journal`), whether named directly, through a
symbolic link or a hard link; when it is any other SQLite file or journal; when it is a
directory or a device. The data goes to a temporary file beside the target, is flushed to
the disk, and only then renamed over the target: an interrupted or failed write (a full
disk, a read-only medium) leaves the old file as it was and no temporary file behind.
A file holding personal data is readable by its owner only (where the system has such
permissions: Windows keeps files private through the user profile's access lists).
Failures are Polish sentences; no English text of the operating system reaches the user.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kooperacje.errors import InvalidInput, KooperacjeError

PRIVATE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700
SQLITE_HEADER = b"SQLite format 3\x00"
# A rollback journal and a write-ahead log start with these bytes (SQLite file format).
_JOURNAL_HEADER = b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7"
_WAL_HEADERS = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")
COMPANIONS = ("-wal", "-shm", "-journal")

# The databases this run must never write over: functions giving their paths, read when a
# file is about to be written (the command line may name the database after the command).
_PROTECTED: contextvars.ContextVar[tuple[Callable[[], Iterable[Path]], ...]] = (
    contextvars.ContextVar("kooperacje_protected", default=())
)


@contextlib.contextmanager
def protecting(paths: Callable[[], Iterable[Path]]) -> Iterator[None]:
    """While inside, no file is written over the databases `paths()` names."""
    token = _PROTECTED.set((*_PROTECTED.get(), paths))
    try:
        yield
    finally:
        _PROTECTED.reset(token)


def _protected() -> list[Path]:
    out: list[Path] = []
    for source in _PROTECTED.get():
        try:
            out.extend(source())
        except KooperacjeError:
            continue  # no usable database path: nothing to protect
    return out


def _same(a: str, b: str) -> bool:
    return os.path.normcase(a) == os.path.normcase(b)


def _same_file(path: str, other: str) -> bool:
    try:
        return os.path.samestat(os.stat(path), os.stat(other))
    except (OSError, ValueError):
        return False


def same_file(path: Path | str, other: Path | str) -> bool:
    """Whether two paths name one file (by its resolved name, or by its identity when both
    exist: a hard link is the same file under another name)."""
    a, b = os.fspath(path), os.fspath(other)
    return _same(os.path.realpath(a), os.path.realpath(b)) or _same_file(a, b)


def is_live_database(path: Path) -> bool:
    """Whether path is the database in use (or a companion file of it), by any name."""
    real = os.path.realpath(path)
    for database in _protected():
        for suffix in ("", *COMPANIONS):
            candidate = f"{database}{suffix}"
            if _same(real, os.path.realpath(candidate)) or _same_file(real, candidate):
                return True
    return False


def header(path: Path | str, size: int = 16) -> bytes:
    """The first bytes of a regular file (empty for anything else, or when unreadable: a
    pipe or a device is never opened, since reading one could wait forever)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return b""
        with open(path, "rb") as handle:
            return handle.read(size)
    except (OSError, ValueError):
        return b""


def is_sqlite(path: Path | str) -> bool:
    """Whether the file is a SQLite database (by its header, not its name)."""
    return header(path) == SQLITE_HEADER


def _sqlite_kind(path: str) -> str | None:
    head = header(path)
    if head == SQLITE_HEADER:
        return "bazą danych SQLite"
    if head.startswith(_JOURNAL_HEADER) or head[:4] in _WAL_HEADERS:
        return "dziennikiem bazy danych SQLite"
    for suffix in COMPANIONS:
        if path.endswith(suffix) and is_sqlite(path[: -len(suffix)]):
            return "plikiem pomocniczym bazy danych SQLite"
    return None


def check_target(path: Path) -> Path:
    """The file to write for path (a symbolic link is followed), or a Polish refusal.

    Refused: the database in use and its companion files, any SQLite file or journal,
    a directory, anything that is not a regular file (a device, a pipe).
    """
    text = os.fspath(path)
    if not text.strip():
        raise InvalidInput("nie podano nazwy pliku. Podaj ścieżkę pliku do zapisania.")
    target = Path(os.path.realpath(Path(text).expanduser()))
    shown = Path(text).expanduser()
    if is_live_database(target):
        raise InvalidInput(
            f'"{shown}" to plik bazy danych, z której korzysta program; zapis zniszczyłby '
            "dane. Nic nie zapisano. Podaj inną nazwę pliku."
        )
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise error(exc, shown) from None
    if stat.S_ISDIR(info.st_mode):
        raise InvalidInput(f'"{shown}" jest katalogiem. Podaj ścieżkę pliku, nie katalogu.')
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput(
            f'"{shown}" nie jest zwykłym plikiem (to urządzenie albo potok). Podaj ścieżkę '
            "pliku albo pomiń -o, aby wypisać wynik na ekran."
        )
    kind = _sqlite_kind(os.fspath(target))
    if kind is not None:
        raise InvalidInput(
            f'plik "{shown}" jest {kind}; nie zostanie nadpisany. Nic nie zapisano. '
            "Podaj inną nazwę pliku."
        )
    return target


def default_mode() -> int:
    """The permissions open() gives a new file (the umask can only be read by setting it)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def make_private(path: Path, fd: int | None = None) -> None:
    """Owner-only permissions (on Windows, where there are none, nothing to do)."""
    if os.name == "nt":
        return
    if fd is not None and hasattr(os, "fchmod"):
        os.fchmod(fd, PRIVATE_MODE)
    else:
        os.chmod(path, PRIVATE_MODE)


def fsync_directory(directory: Path) -> None:
    """Make a rename inside directory durable (POSIX; Windows cannot open a directory)."""
    if os.name == "nt":
        return
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def flush_to_disk(paths: Iterable[Path]) -> None:
    """Make the written files durable before they are renamed into place: one system-wide
    sync where the system has it (a sync per file costs a disk flush each: minutes for a
    national site), else each file flushed on its own (Windows)."""
    wanted = list(paths)
    if not wanted:
        return
    if hasattr(os, "sync"):
        os.sync()
        return
    for path in wanted:
        _sync(path)


_REASONS = {
    errno.ENOSPC: ("brak miejsca na dysku", "Zwolnij miejsce na dysku albo wybierz inny dysk."),
    errno.EDQUOT: (
        "przekroczony przydział miejsca na dysku",
        "Zwolnij miejsce albo wybierz inny dysk.",
    ),
    errno.EFBIG: (
        "plik jest za duży dla tego dysku",
        "Zwolnij miejsce albo wybierz inny dysk.",
    ),
    errno.EROFS: (
        "dysk jest tylko do odczytu",
        "Wybierz katalog na dysku, na którym można zapisywać.",
    ),
    errno.EACCES: (
        "brak uprawnień do zapisu albo plik jest otwarty w innym programie",
        "Sprawdź uprawnienia pliku i katalogu, zamknij program, który go używa (np. Excel), "
        "albo wybierz inny katalog.",
    ),
    errno.EPERM: (
        "system nie pozwala na tę operację",
        "Sprawdź uprawnienia pliku i katalogu albo wybierz inny katalog.",
    ),
    errno.ENOENT: ("katalog nie istnieje", "Sprawdź ścieżkę."),
    errno.ENOTDIR: ("część ścieżki nie jest katalogiem", "Sprawdź ścieżkę."),
    errno.EISDIR: ("to katalog, a nie plik", "Podaj ścieżkę pliku."),
    errno.ENAMETOOLONG: ("nazwa jest za długa", "Wybierz krótszą nazwę albo ścieżkę."),
    errno.ELOOP: ("ścieżka zawiera pętlę dowiązań symbolicznych", "Sprawdź ścieżkę."),
    errno.EIO: ("błąd odczytu lub zapisu dysku", "Sprawdź dysk i spróbuj ponownie."),
    errno.EBUSY: (
        "plik jest zajęty przez inny program",
        "Zamknij program, który go używa, i spróbuj ponownie.",
    ),
    errno.EEXIST: ("plik już istnieje", "Podaj inną nazwę."),
    errno.EXDEV: (
        "nie można przenieść pliku między dyskami",
        "Wybierz katalog na tym samym dysku.",
    ),
}


def reason(exc: OSError) -> tuple[str, str]:
    """What went wrong and what to do, in Polish, for an error of the operating system."""
    found = _REASONS.get(exc.errno or 0)
    if found is not None:
        return found
    code = errno.errorcode.get(exc.errno or 0, str(exc.errno))
    return (f"błąd systemu plików ({code})", "Sprawdź dysk, uprawnienia i ścieżkę.")


def error(exc: OSError, path: Path | str, action: str = "zapisać pliku") -> KooperacjeError:
    """The Polish error for a failed file operation: `nie można zapisać pliku "…": …`."""
    what, advice = reason(exc)
    return KooperacjeError(f'nie można {action} "{path}": {what}. {advice}')


@contextlib.contextmanager
def atomic(path: Path, *, personal: bool) -> Iterator[Path]:
    """A temporary path beside the (checked) target, for a library to write a file into;
    renamed over the target when the block ends without an error, removed otherwise."""
    shown = Path(os.fspath(path)).expanduser()
    target = check_target(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        mode = PRIVATE_MODE if personal else _existing_mode(target)
        import tempfile  # lazily: it loads random and shutil, which readers never need

        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise error(exc, shown) from None
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        _sync(temp)
        if personal:
            make_private(temp)
        elif os.name != "nt":
            os.chmod(temp, mode)
        os.replace(temp, target)
    except OSError as exc:
        _discard(temp)
        raise error(exc, shown) from None
    except BaseException:
        _discard(temp)
        raise
    fsync_directory(target.parent)


def _existing_mode(target: Path) -> int:
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return default_mode()


def _sync(path: Path) -> None:
    # Read-write: Windows flushes only a handle open for writing.
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _discard(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def write_all(fd: int, data: bytes) -> None:
    """Write every byte (os.write may write fewer than asked)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def write_bytes(path: Path, data: bytes, *, personal: bool) -> Path:
    """Write data to path through a temporary file and a rename; returns the file written.

    personal=True: the file holds personal data (staff names or contacts), so only its
    owner may read it; otherwise an existing file keeps its permissions and a new one
    gets the usual ones.
    """
    with atomic(path, personal=personal) as temp:
        fd = os.open(temp, os.O_WRONLY | os.O_TRUNC | getattr(os, "O_BINARY", 0))
        try:
            if personal:
                make_private(temp, fd)
            write_all(fd, data)
        finally:
            os.close(fd)
    return Path(os.path.realpath(Path(os.fspath(path)).expanduser()))


def write_text(path: Path, text: str, *, personal: bool) -> Path:
    """Write text as UTF-8 with the line ends as given (see write_bytes)."""
    return write_bytes(path, text.encode("utf-8"), personal=personal)


def write_private(path: Path, data: bytes) -> Path:
    """Write data that holds personal data (see write_bytes)."""
    return write_bytes(path, data, personal=True)
