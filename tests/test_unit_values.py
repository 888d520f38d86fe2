"""Register units and vocabularies are plain classes (light to import): they still behave
as the immutable values the code relies on."""

from __future__ import annotations

import copy
import pickle

import pytest

from kooperacje.register.teryt import Unit
from kooperacje.register.vocab import SERVICE_AREAS


def _unit(**changes: str | None) -> Unit:
    values: dict[str, str | None] = {
        "kod": "1012011",
        "poziom": "gmina",
        "nazwa": "Radomsko",
        "rodzaj": "gmina miejska",
        "powiat_kod": "1012",
        "powiat": "radomszczański",
        "wojewodztwo_kod": "10",
        "wojewodztwo": "łódzkie",
    }
    return Unit(**(values | changes))  # type: ignore[arg-type]


def test_units_are_equal_and_hash_alike_by_value() -> None:
    assert _unit() == _unit()
    assert hash(_unit()) == hash(_unit())
    assert _unit() != _unit(nazwa="Kamieńsk")
    assert _unit() != ("1012011",)
    assert len({_unit(), _unit(), _unit(kod="1012022")}) == 2


def test_a_unit_cannot_be_changed() -> None:
    unit = _unit()
    with pytest.raises(AttributeError):
        unit.nazwa = "Inna"
    with pytest.raises(AttributeError):
        del unit.kod
    with pytest.raises(AttributeError):
        unit.nowe = 1
    assert unit.nazwa == "Radomsko"


def test_a_unit_survives_pickling_and_copying() -> None:
    unit = _unit()
    for other in (pickle.loads(pickle.dumps(unit)), copy.copy(unit), copy.deepcopy(unit)):
        assert other == unit
        assert (
            other.label
            == unit.label
            == ("Radomsko (gmina miejska, powiat radomszczański, woj. łódzkie)")
        )
    assert repr(unit).startswith("Unit(kod='1012011', poziom='gmina'")


def test_a_vocabulary_parses_and_labels_as_before() -> None:
    assert SERVICE_AREAS.label(SERVICE_AREAS.codes[0]) == SERVICE_AREAS.items[0][1]
    assert SERVICE_AREAS.parse(SERVICE_AREAS.items[0][1].upper()) == SERVICE_AREAS.codes[0]
    assert SERVICE_AREAS.forms is SERVICE_AREAS.forms  # computed once
