"""Controlled vocabularies of DOMAIN.md: stable ASCII codes, Polish labels.

The lists live in `data/slowniki.json`, which the schema migration also loads
into the database, so the code and the tables never disagree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kooperacje.errors import InvalidInput
from kooperacje.text import fold


def _norm(text: str) -> str:
    return fold(text).replace("-", "_").replace(" ", "_")


@dataclass(frozen=True)
class Vocabulary:
    """An ordered code -> label list; `what` names it in messages ("sektor")."""

    table: str
    what: str
    items: tuple[tuple[str, str], ...]
    unknown: str = ""  # "nieznana grupa docelowa": the adjective agrees with the noun

    @property
    def codes(self) -> list[str]:
        return [code for code, _ in self.items]

    def label(self, code: str) -> str:
        return dict(self.items)[code]

    def parse(self, text: str) -> str:
        """Accept a code or a label, case- and diacritics-insensitive; return the code."""
        wanted = _norm(text)
        for code, label in self.items:
            if wanted in (code, _norm(label)):
                return code
        # A unique prefix of a code or label is enough: "pomoc_i" for pomoc_spoleczna.
        hits = [
            code
            for code, label in self.items
            if wanted and (_norm(label).startswith(wanted) or code.startswith(wanted))
        ]
        if len(hits) == 1:
            return hits[0]
        listing = ", ".join(f"{code} ({label})" for code, label in self.items)
        raise InvalidInput(f'{self.unknown}: "{text}". Dozwolone wartości: {listing}.')


# Beside this file, not via importlib.resources: that import alone slows every start-up.
_RAW = json.loads((Path(__file__).parents[1] / "data" / "slowniki.json").read_text("utf-8"))


def _load(raw: dict[str, Any]) -> dict[str, Vocabulary]:
    return {
        table: Vocabulary(
            table,
            spec["opis"],
            tuple((item["kod"], item["nazwa"]) for item in spec["pozycje"]),
            spec["nieznany"],
        )
        for table, spec in raw.items()
    }


_VOCABS = _load(_RAW)
SECTORS = _VOCABS["sektory"]
SERVICE_AREAS = _VOCABS["obszary_uslug"]
TARGET_GROUPS = _VOCABS["grupy_docelowe"]
MEETING_KINDS = _VOCABS["rodzaje_spotkan"]
DECLARATION_KINDS = _VOCABS["rodzaje_deklaracji"]
ALL = tuple(_VOCABS.values())

# The five sectors the cooperation model names as its core, in DOMAIN.md's order.
CORE_SECTORS = tuple(item["kod"] for item in _RAW["sektory"]["pozycje"] if item["kluczowy"])
