"""The programme's end moves only later, for a reason, and every extension is kept."""

from datetime import date

import pytest

from governance.errors import DomainError, NotAllowed
from governance.people import create_person
from governance.permissions import Actor
from governance.programmes import (add_programme_focus, create_programme, extend_programme, extensions_of,
                                   original_end, rename_focus, update_programme)


@pytest.fixture
def programme(db):
    return create_programme(db, "Präventionskette Jena", date(2022, 9, 1), date(2025, 12, 31))


@pytest.fixture
def coordinator(db):
    return Actor(create_person(db, "Kim Koordination", is_coordinator=True))


def test_an_extension_moves_the_end_and_is_recorded(db, programme, coordinator):
    extend_programme(db, coordinator, programme, date(2027, 12, 31), " Verlängerung der Förderung ")
    extend_programme(db, coordinator, programme, date(2028, 6, 30), "Auslaufphase")
    first, second = extensions_of(db, programme)
    assert (first.old_ends_on, first.new_ends_on, first.reason, first.extended_by) == (
        date(2025, 12, 31), date(2027, 12, 31), "Verlängerung der Förderung", coordinator.person)
    assert first.extended_at is not None
    assert (second.old_ends_on, programme.ends_on) == (date(2027, 12, 31), date(2028, 6, 30))
    assert original_end(programme, [first, second]) == date(2025, 12, 31)


def test_without_extensions_the_original_end_is_the_end(db, programme):
    assert original_end(programme, extensions_of(db, programme)) == date(2025, 12, 31)


@pytest.mark.parametrize(("new_end", "reason", "field", "message"), [
    (None, "Grund", "ends_on", "Bitte geben Sie das neue Programmende an."),
    (date(2022, 1, 1), "Grund", "ends_on", "Das Programmende liegt vor dem Programmstart."),
    (date(2025, 12, 31), "Grund", "ends_on", "Das neue Programmende muss nach dem bisherigen liegen."),
    (date(2025, 6, 30), "Grund", "ends_on", "Das neue Programmende muss nach dem bisherigen liegen."),
    (date(2027, 12, 31), "  ", "reason", "Bitte geben Sie einen Grund für die Verlängerung an."),
])
def test_bad_extensions_are_refused_and_change_nothing(db, programme, coordinator, new_end, reason, field, message):
    with pytest.raises(DomainError) as raised:
        extend_programme(db, coordinator, programme, new_end, reason)
    assert (raised.value.field, raised.value.message) == (field, message)
    assert programme.ends_on == date(2025, 12, 31) and extensions_of(db, programme) == []


def test_only_the_coordinator_extends(db, programme):
    with pytest.raises(NotAllowed):
        extend_programme(db, Actor(create_person(db, "Mira Mitglied")), programme, date(2027, 12, 31), "Grund")


def test_a_programme_cannot_end_before_it_starts(db):
    with pytest.raises(DomainError) as raised:
        create_programme(db, "Falsch herum", date(2025, 1, 1), date(2024, 1, 1))
    assert raised.value.field == "ends_on"


def test_the_coordinator_changes_name_and_start_but_not_past_the_end(db, programme, coordinator):
    update_programme(db, coordinator, programme, " Präventionskette ", date(2022, 10, 1), "Familien")
    assert (programme.name, programme.starts_on, programme.core_target_group) == (
        "Präventionskette", date(2022, 10, 1), "Familien")
    with pytest.raises(DomainError) as raised:
        update_programme(db, coordinator, programme, "Präventionskette", date(2026, 1, 1), "")
    assert raised.value.field == "starts_on"
    with pytest.raises(NotAllowed):
        update_programme(db, Actor(create_person(db, "Mira Mitglied")), programme, "X", date(2022, 9, 1), "")


def test_focuses_get_a_free_number_and_a_title(db, programme, coordinator):
    focus = add_programme_focus(db, coordinator, programme, 1, " Wirkung ")
    for number, title, field in ((1, "Doppelt", "focus_number"), (None, "Ohne", "focus_number"),
                                 (100, "Zu groß", "focus_number"), (2, " ", "focus_title")):
        with pytest.raises(DomainError) as raised:
            add_programme_focus(db, coordinator, programme, number, title)
        assert raised.value.field == field
    rename_focus(db, coordinator, focus, "Wirkungsorientierung")
    assert [(f.number, f.title) for f in programme.focuses] == [(1, "Wirkungsorientierung")]
