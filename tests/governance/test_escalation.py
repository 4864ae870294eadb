"""Escalation: a matter travels up to the parent group's next meeting or inbox, and its lineage both ways."""

from datetime import date, datetime

import pytest

from governance.decisions import DecisionDraft, record_decision
from governance.errors import DomainError, NotAllowed
from governance.escalation import Lineage, Station, escalate_agenda_item, escalate_decision, lineage
from governance.history import history_of
from networks import actor_of, add_item, add_meeting, build_groups, days_from_now, person_in


@pytest.fixture
def nord_chair(db, groups):
    return actor_of(db, person_in(db, groups.working, "chair", "Ortsteilbürgermeister Jena-Nord"))


@pytest.fixture
def werkstadt_item(db, groups):
    """The WerkStadt Jena-Nord on 15.10.2024, where the need for a Stadtteilbüro was raised."""
    meeting = add_meeting(db, groups.working, datetime(2024, 10, 15, 16), status="held", title="WerkStadt Jena-Nord")
    return add_item(db, meeting, "Bedarf Stadtteilbüro")


def test_escalated_item_becomes_a_proposal_on_the_parents_next_meeting(db, groups, nord_chair, werkstadt_item):
    add_meeting(db, groups.planning, days_from_now(-3))  # past
    add_meeting(db, groups.planning, days_from_now(2), status="cancelled")
    later = add_meeting(db, groups.planning, days_from_now(30))
    nxt = add_meeting(db, groups.planning, days_from_now(9), status="invited")
    proposal = escalate_agenda_item(db, nord_chair, werkstadt_item)
    assert proposal.meeting == nxt and later.agenda_items == []
    assert (proposal.group, proposal.title, proposal.is_proposal, proposal.proposed_by) == (
        groups.planning, "Aus Netzwerk Nord für Nord: Bedarf Stadtteilbüro", True, nord_chair.person)
    assert proposal.referred_from_item == werkstadt_item and proposal.referred_from_decision is None
    [record] = history_of(db, "agenda_item", werkstadt_item.id)
    assert (record.action, record.changes) == ("escalated", {"referred_to": [None, "Planungsgruppe (Kernteam)"]})


def test_proposal_waits_for_acceptance_like_any_other(db, groups, nord_chair, werkstadt_item):
    meeting = add_meeting(db, groups.planning, days_from_now(9))
    add_item(db, meeting, "Begrüßung", 1), add_item(db, meeting, "Haushalt", 2)
    proposal = escalate_agenda_item(db, nord_chair, werkstadt_item)
    assert (proposal.meeting, proposal.position, proposal.is_proposal) == (meeting, 0, True)
    assert history_of(db, "agenda_item", proposal.id)[0].changes == {"title": [None, proposal.title]}


def test_without_an_upcoming_meeting_the_proposal_waits_in_the_parents_inbox(db, groups, nord_chair, werkstadt_item):
    add_meeting(db, groups.planning, days_from_now(5), status="held")
    proposal = escalate_agenda_item(db, nord_chair, werkstadt_item)
    assert (proposal.meeting, proposal.group, proposal.is_proposal) == (None, groups.planning, True)


def test_escalated_decision_links_back_to_it(db, groups, nord_chair, werkstadt_item):
    decision = record_decision(db, nord_chair, groups.working,
                               DecisionDraft("Wir brauchen ein Stadtteilbüro.", "adopted", agenda_item=werkstadt_item))
    proposal = escalate_decision(db, nord_chair, decision)
    assert proposal.title == "Aus Netzwerk Nord für Nord: Wir brauchen ein Stadtteilbüro."
    assert proposal.referred_from_decision == decision and proposal.referred_from_item is None
    assert history_of(db, "decision", decision.id)[0].action == "escalated"


def test_a_long_decision_text_is_shortened_for_the_title(db, groups, nord_chair):
    decision = record_decision(db, nord_chair, groups.working, DecisionDraft("Sehr " * 100))
    title = escalate_decision(db, nord_chair, decision).title
    assert len(title) == 300 and title.endswith("…")


def test_a_matter_is_given_up_only_once(db, nord_chair, werkstadt_item):
    escalate_agenda_item(db, nord_chair, werkstadt_item)
    with pytest.raises(DomainError) as refused:
        escalate_agenda_item(db, nord_chair, werkstadt_item)
    assert refused.value.message == "Dieser Punkt wurde schon an %(group)s gegeben."
    assert refused.value.params == {"group": "Planungsgruppe (Kernteam)"}


def test_the_steering_group_has_nobody_to_give_to(db, groups):
    chair = actor_of(db, person_in(db, groups.steering, "chair", "Dezernent"))
    item = add_item(db, add_meeting(db, groups.steering, days_from_now(3)), "Haushalt")
    with pytest.raises(DomainError) as refused:
        escalate_agenda_item(db, chair, item)
    assert (refused.value.field, refused.value.message) == ("form", "Diese Gruppe hat keine übergeordnete Gruppe.")


def test_only_managers_of_the_group_escalate(db, groups, werkstadt_item):
    member = actor_of(db, person_in(db, groups.working, "member", "Mira Mitglied"))
    planner = actor_of(db, person_in(db, groups.planning, "chair", "Paula Planung"))
    for actor in (member, planner):
        with pytest.raises(NotAllowed):
            escalate_agenda_item(db, actor, werkstadt_item)


def test_lineage_follows_the_stadtteilbuero_up_and_down(db, groups, nord_chair, werkstadt_item):
    """Working group → planning group → steering group, each deciding and giving the decision up."""
    planner = actor_of(db, person_in(db, groups.planning, "chair", "Paula Planung"))
    steerer = actor_of(db, person_in(db, groups.steering, "chair", "Dezernent"))
    raised = record_decision(db, nord_chair, groups.working, DecisionDraft("Bedarf festgestellt.", "adopted",
                                                                          agenda_item=werkstadt_item))
    add_meeting(db, groups.planning, days_from_now(7))
    planning_item = escalate_decision(db, nord_chair, raised)
    prepared = record_decision(db, planner, groups.planning, DecisionDraft("Empfehlung: Stadtteilbüro.", "adopted",
                                                                          agenda_item=planning_item))
    steering_item = escalate_decision(db, planner, prepared)
    steering_item.meeting = add_meeting(db, groups.steering, days_from_now(20))
    taken = record_decision(db, steerer, groups.steering, DecisionDraft("Stadtteilbüro wird eingerichtet.", "adopted",
                                                                       agenda_item=steering_item))

    assert lineage(db, taken).origins == [Station(groups.planning, planning_item, (prepared,)),
                                          Station(groups.working, werkstadt_item, (raised,))]
    assert lineage(db, taken).outcomes == []
    assert lineage(db, raised).origins == []
    assert lineage(db, raised).outcomes == [Station(groups.planning, planning_item, (prepared,)),
                                            Station(groups.steering, steering_item, (taken,))]
    assert lineage(db, prepared) == Lineage([Station(groups.working, werkstadt_item, (raised,))],
                                            [Station(groups.steering, steering_item, (taken,))])


def test_lineage_of_an_escalated_item_shows_the_item_itself(db, groups, nord_chair, werkstadt_item):
    planner = actor_of(db, person_in(db, groups.planning, "chair", "Paula Planung"))
    proposal = escalate_agenda_item(db, nord_chair, werkstadt_item)
    decision = record_decision(db, planner, groups.planning,
                               DecisionDraft("Wir prüfen Räume.", decided_on=date(2025, 1, 1), agenda_item=proposal))
    assert lineage(db, decision).origins == [Station(groups.working, werkstadt_item)]
