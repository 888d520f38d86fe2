"""Terms of a service that need no register lookups: its status, its target groups in the
vocabulary's order, the labels of its reach.

Kept apart from `services` so that the basket loads without the institution register
(`kooperacje koszyk` starts in a fraction of the time).
"""

from __future__ import annotations

from kooperacje.jsontext import strings
from kooperacje.register.vocab import SERVICE_STATUSES, TARGET_GROUPS

# Not `from typing import TYPE_CHECKING`: see output.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

    from kooperacje.store.db import Queryable


def parse_status(text: str) -> str:
    """A status code from its code or label in any form ('zakończona', 'zawieszone')."""
    return SERVICE_STATUSES.parse(text)


def sort_groups(codes: Iterable[str]) -> tuple[str, ...]:
    """Target-group codes without duplicates, in the vocabulary's order."""
    order = {code: n for n, code in enumerate(TARGET_GROUPS.codes)}
    return tuple(sorted(set(codes), key=lambda c: order.get(c, len(order))))


def reach_label(poziom: str, nazwa: str, rodzaj: str, kod: str) -> str:
    """'powiat radomszczański (1012)', 'gmina miejska Radomsko (1012011)'."""
    if poziom == "wojewodztwo":
        return f"województwo {nazwa.lower()} ({kod})"
    return f"{rodzaj} {nazwa} ({kod})"


def reach_labels(db: Queryable, codes: Iterable[str]) -> dict[str, str]:
    """Labels of the given TERYT codes, in one query."""
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    rows = db.query(
        "SELECT kod, poziom, nazwa, rodzaj FROM teryt "
        "WHERE kod IN (SELECT value FROM json_each(:codes))",
        {"codes": strings(wanted)},
    )
    return {r["kod"]: reach_label(r["poziom"], r["nazwa"], r["rodzaj"], r["kod"]) for r in rows}
