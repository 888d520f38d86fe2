"""The history of an institution or a service, named the way a user names them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from kooperacje.basket import services
from kooperacje.register import institutions
from kooperacje.store import history
from kooperacje.teams import teams

if TYPE_CHECKING:
    from sqlite_utils import Database


def _record_id(ref: str, resolve: Callable[[str], int]) -> int:
    """A record's number; a number is taken as it is, so a deleted record's history shows."""
    value = ref.strip()
    return int(value) if value.isdigit() else resolve(value)


def entries(
    db: Database,
    *,
    instytucja: str | None = None,
    usluga: str | None = None,
    od: dt.date | None = None,
    gmina: str | None = None,
    zespol: str | None = None,
) -> list[history.Entry]:
    """The history, oldest first; optionally of one institution (with its people, services
    and declarations), of one service, or since a day. An institution's name is looked up
    among the team's members, then in the gmina, when they are given (as elsewhere)."""
    where = institutions.gmina_context(db, gmina)
    if zespol is not None:
        where = teams.context_of(teams.resolve(db, zespol)) | where
    institution_id = (
        None
        if instytucja is None
        else _record_id(instytucja, lambda v: institutions.resolve(db, v, where).id)
    )
    service_id = (
        None if usluga is None else _record_id(usluga, lambda v: services.resolve(db, v).id)
    )
    return history.entries(db, instytucja=institution_id, usluga=service_id, od=od)
