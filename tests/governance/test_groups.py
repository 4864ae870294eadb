"""Groups on three levels and memberships: the rules of the programme's own model."""

from datetime import date

import pytest

from governance.errors import DomainError
from governance.groups import add_membership, create_group, current_members, group_tree, update_group
from governance.people import create_person


@pytest.fixture
def levels(db):
    steering = create_group(db, "Steuerungsgruppe", "SG", "steering")
    planning = create_group(db, "Planungsgruppe", "PG", "planning", steering)
    working = create_group(db, "Netzwerk Nord für Nord", "NN", "working", planning, "Aufgaben verteilen.")
    return steering, planning, working


def test_groups_form_a_three_level_tree(db, levels):
    [root] = group_tree(db)
    assert root.name == "Steuerungsgruppe"
    [planning] = root.children
    assert [child.name for child in planning.children] == ["Netzwerk Nord für Nord"]
    assert levels[2].slug == "netzwerk-nord-fuer-nord"


@pytest.mark.parametrize(("level", "parent_index", "field", "message"), [
    ("steering", 0, "parent", "Eine Steuerungsgruppe hat keine übergeordnete Gruppe."),
    ("planning", None, "parent", "Eine Planungsgruppe gehört zu einer Steuerungsgruppe."),
    ("working", 0, "parent", "Eine Arbeitsgruppe gehört zu einer Planungsgruppe."),
    ("working", 2, "parent", "Eine Arbeitsgruppe gehört zu einer Planungsgruppe."),
    ("regional", None, "level", "Diese Ebene gibt es nicht."),
])
def test_parent_must_be_one_level_up(db, levels, level, parent_index, field, message):
    parent = levels[parent_index] if parent_index is not None else None
    with pytest.raises(DomainError) as raised:
        create_group(db, "Neue Gruppe", "NG", level, parent)
    assert (raised.value.field, raised.value.message) == (field, message)


def test_a_group_cannot_become_its_own_ancestor(db, levels):
    steering, planning, _ = levels
    with pytest.raises(DomainError) as raised:
        update_group(db, planning, planning.name, "PG", "planning", planning, "", None)
    assert raised.value.field == "parent"


def test_names_and_codes_are_unique(db, levels):
    with pytest.raises(DomainError) as raised:
        create_group(db, "Steuerungsgruppe", "XY", "steering")
    assert raised.value.message == "Eine Gruppe mit diesem Namen gibt es schon."
    with pytest.raises(DomainError) as raised:
        create_group(db, "Zweite Steuerung", "sg", "steering")
    assert raised.value.message == "Dieses Kürzel ist schon vergeben."


@pytest.mark.parametrize("code", ["", "ZU-LANGES-KUERZEL", "P G"])
def test_code_is_short_and_alphanumeric(db, code):
    with pytest.raises(DomainError) as raised:
        create_group(db, "Gruppe", code, "steering")
    assert raised.value.field == "code"


def test_membership_with_role_organisation_and_period(db, levels):
    person = create_person(db, "Jugendhilfeplanerin")
    membership = add_membership(db, levels[1], person, "minute_taker", starts_on=date(2024, 1, 1),
                                ends_on=date(2025, 12, 31))
    assert current_members(db, levels[1], date(2025, 6, 1)) == [membership]
    assert current_members(db, levels[1], date(2026, 1, 1)) == []


def test_membership_rules(db, levels):
    person = create_person(db, "Gast")
    with pytest.raises(DomainError) as raised:
        add_membership(db, levels[0], person, "king")
    assert raised.value.field == "role"
    with pytest.raises(DomainError) as raised:
        add_membership(db, levels[0], person, "guest", starts_on=date(2025, 2, 1), ends_on=date(2025, 1, 1))
    assert raised.value.message == "Das Ende liegt vor dem Beginn."
    add_membership(db, levels[0], person, "guest")
    with pytest.raises(DomainError) as raised:
        add_membership(db, levels[0], person, "member")
    assert raised.value.message == "Diese Person gehört der Gruppe schon an."
