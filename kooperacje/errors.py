"""Errors a user can cause. Each message says what is wrong and what to do."""

from __future__ import annotations


class KooperacjeError(Exception):
    """Base error: shown as `Błąd: <message>` on stderr, exit code 1."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(KooperacjeError):
    """A referenced record (gmina, institution, meeting…) does not exist."""


class Ambiguous(KooperacjeError):
    """A name matches more than one record; the message lists the candidates."""


class Conflict(KooperacjeError):
    """The change would duplicate a record or break what depends on it."""


class InvalidInput(KooperacjeError):
    """A value has the wrong form (date, NIP, e-mail…)."""


class DatabaseError(KooperacjeError):
    """The database file cannot be used (not SQLite, newer schema, read-only…)."""
