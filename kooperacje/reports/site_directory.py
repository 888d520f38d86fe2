"""The directory of the report site: the site owns only the pages it wrote.

The manifest lists them with their digests, and with the digest of what each was rendered
from (its source), so a later run can keep a page whose source has not changed without
rendering it again; the lock keeps two runs apart; the pages of a run are swapped in one by
one, so the directory is never without a whole page set. Every
other file there (a `.git`, `robots.txt`, `CNAME`, the user's own) is left alone, and a
directory holding a SQLite database is refused, since the site is for publishing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from kooperacje import __version__, files
from kooperacje.errors import Conflict, InvalidInput

# The site's files in its directory: the manifest of its pages (and of a run under way),
# the lock, and the work directories of runs. Every other file there is the user's.
MANIFEST = ".kooperacje-strona.json"
PENDING = ".kooperacje-strona.nowa.json"
LOCK = ".kooperacje-strona.lock"
STAGING = ".kooperacje-strona.praca-"
# What a site of an earlier version held instead of a manifest (it owned the whole folder).
LEGACY_MARKER = ".kooperacje-strona"


@dataclass(frozen=True)
class Page:
    """A page file of the site: the SHA-256 of its bytes and of its source (what it was
    rendered from, see site_pages.source)."""

    digest: str
    source: str


@dataclass(frozen=True)
class Previous:
    """What earlier runs left in the directory for this one."""

    pages: Mapping[str, Page]  # relative path -> page there now, whole, with its source
    dane: str | None  # the fingerprint of the data of the last complete run
    complete: bool  # every page of the last complete run is there, whole


@dataclass(frozen=True)
class Rendered:
    """What a run's render produced: every page of the site, and the data's fingerprint."""

    pages: dict[str, Page]
    dane: str | None


# Writes the pages whose source changed into the work directory given and returns every
# page of the site; a page of `Previous.pages` with the same source is kept as it is.
Render = Callable[[Path, Previous], Rendered]


@contextlib.contextmanager
def locked(target: Path) -> Iterator[None]:
    """Hold the lock of the site at target, or fail at once if another run holds it.

    The lock (the filelock library: flock on POSIX, msvcrt on Windows) is a file inside
    the site's directory, so a mount point or a symbolic link as the target works; the
    system releases it when the process ends, however it ends.
    """
    from filelock import FileLock, Timeout

    path = target / LOCK
    try:
        target.mkdir(parents=True, exist_ok=True)
        lock = FileLock(path, timeout=0)
        lock.acquire()
    except Timeout:
        raise Conflict(
            f'strona raportów w katalogu "{target}" jest właśnie tworzona przez inne '
            f'uruchomienie programu (blokada: "{path}"). Poczekaj, aż się zakończy, '
            "i uruchom polecenie ponownie."
        ) from None
    except OSError as exc:
        raise files.error(exc, target, "utworzyć katalogu strony ani blokady w") from None
    try:
        yield
    finally:
        lock.release()


def check_target(target: Path) -> None:
    if os.path.lexists(target) and not target.is_dir():
        raise InvalidInput(f'"{target}" jest plikiem. Podaj w -o katalog na stronę raportów.')


def _databases(target: Path) -> list[Path]:
    """Every SQLite database anywhere in the directory tree (by header, not name)."""
    found = []
    for folder, dirs, names in os.walk(target):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if files.is_sqlite(path):
                found.append(path)
    return found


def refuse_databases(target: Path) -> None:
    found = _databases(target)
    if found:
        shown = ", ".join(f'"{p}"' for p in found[:5])
        raise Conflict(
            f"w katalogu strony jest baza danych ({shown}); strona jest przeznaczona do "
            "publikacji, a baza zawiera dane osobowe, więc nic nie zapisano. Przenieś bazę "
            "poza ten katalog albo podaj w -o inny katalog."
        )


# Digests of the files of the directory, read once per run: the checks of ownership, of
# clashes and of unchanged pages all ask for them. A file is read again if it changed since.
# Keyed by the path as text: a Path kept for each of 60,000 pages of a national site holds
# tens of megabytes (its parts and its text).
_DIGESTS: dict[str, tuple[tuple[int, int, int], str]] = {}


def _digest(path: Path) -> str | None:
    name = os.fspath(path)
    try:
        info = os.stat(name, follow_symlinks=False)
        key = (info.st_ino, info.st_size, info.st_mtime_ns)
        known = _DIGESTS.get(name)
        if known is not None and known[0] == key:
            return known[1]
        with open(name, "rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None
    _DIGESTS[name] = (key, digest)
    return digest


@dataclass(frozen=True)
class _Owned:
    """What the directory already holds of the site: each page (relative POSIX path) with
    the digests it may have (the last complete run's, and an interrupted run's)."""

    pages: dict[str, tuple[str, ...]]  # tuples: a set per page of a national site is 13 MB
    legacy: bool  # a site of an earlier version, which owned the whole directory

    def owns(self, target: Path, page: str) -> bool:
        path = target / page
        if path.is_symlink() or not path.is_file():
            return False
        if self.legacy:
            return True
        return _digest(path) in self.pages.get(page, ())


def _read_manifest(path: Path) -> tuple[dict[str, Page], str | None]:
    """The pages a manifest lists (a manifest of an earlier version has no sources: ""),
    and the fingerprint of the data they were rendered from."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}, None
    except (OSError, ValueError):
        data = None
    if not isinstance(data, dict) or data.get("program") != "kooperacje strona":
        raise Conflict(
            f'plik "{path}" nie jest spisem plików strony raportów programu kooperacje; nic '
            "nie zapisano. Usuń go albo podaj w -o inny katalog."
        )
    pages, sources, fingerprint = data.get("pliki", {}), data.get("zrodla", {}), data.get("dane")
    if not isinstance(pages, dict):
        return {}, None
    if not isinstance(sources, dict):
        sources = {}
    listed = {str(k): Page(str(v), str(sources.get(k, ""))) for k, v in pages.items()}
    return listed, fingerprint if isinstance(fingerprint, str) else None


def _owned(target: Path) -> tuple[_Owned, Previous]:
    """What the site owns in target, and what earlier runs left there: the pages that are as
    a run wrote them (whole, with a known source), listed by the last complete run's
    manifest or by an interrupted run's."""
    pages: dict[str, list[str]] = {}
    intact: dict[str, Page] = {}
    manifests = {name: _read_manifest(target / name) for name in (MANIFEST, PENDING)}
    for listed_pages, _ in manifests.values():
        for page, listed in listed_pages.items():
            digests = pages.setdefault(page, [])
            if listed.digest not in digests:
                digests.append(listed.digest)
            if listed.source and page not in intact:
                path = target / page
                if not path.is_symlink() and _digest(path) == listed.digest:
                    intact[page] = listed
    legacy = not pages and (target / LEGACY_MARKER).is_file()
    last, fingerprint = manifests[MANIFEST]
    complete = (
        not (target / PENDING).exists()
        and bool(last)
        and all(intact.get(page) == listed for page, listed in last.items())
    )
    owned = _Owned({k: tuple(v) for k, v in pages.items()}, legacy)
    return owned, Previous(intact, fingerprint, complete)


def _manifest(pages: dict[str, Page], fingerprint: str | None) -> str:
    data = {
        "program": "kooperacje strona",
        "wersja": __version__,
        "pliki": {page: p.digest for page, p in pages.items()},
        "zrodla": {page: p.source for page, p in pages.items()},
        "dane": fingerprint,
    }
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _unchanged(target: Path, manifest: str) -> bool:
    """Whether the last run left exactly this manifest (and no interrupted run)."""
    if (target / PENDING).exists():
        return False
    try:
        return (target / MANIFEST).read_text("utf-8") == manifest
    except (OSError, ValueError):
        return False


def _clashes(target: Path, pages: Iterable[str], owned: _Owned) -> list[str]:
    """Pages of the new site that would replace something the site does not own."""
    out = []
    for page in pages:
        parts = page.split("/")
        folder = target
        blocked = False
        for part in parts[:-1]:
            folder = folder / part
            if folder.is_symlink() or (os.path.lexists(folder) and not folder.is_dir()):
                blocked = True
                break
        path = target / page
        if blocked or (os.path.lexists(path) and not owned.owns(target, page)):
            out.append(page)
    return out


def _leftovers(target: Path) -> None:
    # Work directories of runs that were killed before they could clean up (we hold the lock).
    for path in target.glob(STAGING + "*"):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)


def _remove_stale(target: Path, stale: Iterable[str], owned: _Owned) -> None:
    """Remove pages an earlier run wrote and this one no longer does (unchanged ones only),
    and the folders they leave empty."""
    folders: set[Path] = set()
    for page in stale:
        if owned.owns(target, page):
            with contextlib.suppress(OSError):
                (target / page).unlink()
                folders.update((target / page).parents)
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        if folder != target and target in folder.parents:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty


def _install(stage: Path, target: Path, pages: dict[str, Page]) -> None:
    """Move each new page over the old one (a rename: never half a page, never none)."""
    moves = [
        page
        for page, listed in sorted(pages.items())
        # unchanged: keep the file, its time and its inode (rsync, caches)
        if _digest(target / page) != listed.digest
    ]
    # The new pages reach the disk before any replaces an old one: once for all of them.
    files.flush_to_disk(stage / page for page in moves)
    for page in moves:
        path = target / page
        path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(stage / page, path)
    files.fsync_directory(target)


def _tidy(target: Path) -> None:
    """After a failed first run, nothing of the site stays (not even its lock file)."""
    if not (target / MANIFEST).exists() and not (target / PENDING).exists():
        with contextlib.suppress(OSError):
            (target / LOCK).unlink()


def _run(target: Path, render: Render, *, anew: bool) -> dict[str, Page]:
    refuse_databases(target)
    _leftovers(target)
    _DIGESTS.clear()
    owned, previous = _owned(target)
    try:
        stage = Path(tempfile.mkdtemp(dir=target, prefix=STAGING))
    except OSError as exc:
        raise files.error(exc, target, "zapisać w katalogu") from None
    try:
        rendered = render(stage, Previous({}, None, False) if anew else previous)
        pages = rendered.pages
        clashes = _clashes(target, pages, owned)
        if clashes:
            shown = ", ".join(f'"{target / page}"' for page in clashes[:5])
            raise Conflict(
                f"strona raportów zastąpiłaby pliki, których nie zapisała albo które "
                f"zmieniono po jej zapisaniu: {shown}"
                + (f" i {len(clashes) - 5} innych" if len(clashes) > 5 else "")
                + ". Nic nie zmieniono. Przenieś te pliki albo podaj w -o inny katalog."
            )
        manifest = _manifest(pages, rendered.dane)
        if _unchanged(target, manifest):
            # The same site as the last run's: every page is there (checked above), and
            # even the manifest keeps its time stamp.
            _install(stage, target, pages)
            _remove_stale(target, set(owned.pages) - set(pages), owned)
        else:
            files.write_text(target / PENDING, manifest, personal=False)
            _install(stage, target, pages)
            _remove_stale(target, set(owned.pages) - set(pages), owned)
            os.replace(target / PENDING, target / MANIFEST)
            files.fsync_directory(target)
        if owned.legacy:
            (target / LEGACY_MARKER).unlink(missing_ok=True)
    except OSError as exc:
        raise files.error(exc, target, "zapisać strony raportów w katalogu") from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        _DIGESTS.clear()
    return pages


def update(target: Path, render: Render, *, anew: bool = False) -> dict[str, Page]:
    """Replace the site's pages in target with the ones `render` writes into the work
    directory it is given (returning each page's relative path, digest and source); every
    other file of the directory stays as it was. Returns the pages.

    `render` is also given the pages of the directory that are whole, with their sources:
    one whose source is unchanged need not be rendered or written again (anew=True gives
    none, so every page is rendered). A page whose bytes are unchanged is never replaced, so
    an unchanged run modifies no page, not even its time stamp.

    The directory's manifest (`.kooperacje-strona.json`) lists the pages the site wrote,
    with their digests: only those are replaced or removed, and a page changed since by
    someone else is not. The new pages are written into a work directory inside the target
    first; then a manifest of the new pages is written beside the old one, the pages are
    renamed over the old ones one by one, pages no longer produced are removed, and the new
    manifest replaces the old one last. A run that dies at any point leaves every page whole
    (old or new), and the next run finishes the job. The target is never renamed, so a
    mount point or a symbolic link works.
    """
    check_target(target)
    if target.is_dir():
        refuse_databases(target)
    made = not os.path.lexists(target)
    try:
        with locked(target):
            try:
                return _run(target, render, anew=anew)
            except BaseException:
                _tidy(target)
                raise
    except BaseException:
        if made:
            with contextlib.suppress(OSError):
                target.rmdir()  # only when nothing is in it
        raise
