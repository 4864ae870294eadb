"""The decisions register: numbers that are never reused, validation, conflicts, history, who reads what."""

import threading
from datetime import date, datetime

import pytest
from sqlalchemy import select

from governance.decisions import (
    PAGE_SIZE, DecisionDraft, DecisionFilter, decisions_by_agenda_item, list_decisions, readable_by,
    record_decision, record_external_decision, register_groups, register_years, set_decision_status,
    update_decision,
)
from governance.errors import Conflict, DomainError, NotAllowed
from governance.history import history_of
from governance.models import Decision, Group, Person
from governance.permissions import Actor
from governance.times import today
from networks import actor_of, add_item, add_meeting, build_groups, person_in
from workspace.db import Database


@pytest.fixture
def chair(db, groups) -> Actor:
    return actor_of(db, person_in(db, groups.planning, "chair", "Paula Planung"))


@pytest.fixture
def coordinator(db) -> Actor:
    return Actor(Person(name="Kim Koordination", is_coordinator=True))


def record(db, actor, group, text="Wir richten ein Stadtteilbüro ein.", **fields) -> Decision:
    return record_decision(db, actor, group, DecisionDraft(text=text, **fields))


def test_first_decision_of_a_year_gets_number_001_and_the_next_002(db, groups, chair):
    first = record(db, chair, groups.planning, decided_on=date(2025, 3, 4))
    second = record(db, chair, groups.planning, decided_on=date(2025, 6, 1))
    assert (first.number, second.number) == ("PG-2025-001", "PG-2025-002")


def test_numbers_count_per_group_and_year(db, groups, coordinator):
    numbers = [record(db, coordinator, group, decided_on=date(year, 5, 1)).number
               for group, year in [(groups.planning, 2025), (groups.steering, 2025), (groups.planning, 2026)]]
    assert numbers == ["PG-2025-001", "SG-2025-001", "PG-2026-001"]


def test_a_number_is_never_reused_after_a_deletion(db, groups, chair):
    record(db, chair, groups.planning, decided_on=date(2025, 1, 1))
    db.delete(record(db, chair, groups.planning, decided_on=date(2025, 1, 2)))
    db.flush()
    assert record(db, chair, groups.planning, decided_on=date(2025, 1, 3)).number == "PG-2025-003"


def test_two_decisions_recorded_at_once_in_one_group_get_different_numbers(database_file):
    database = Database(f"sqlite:///{database_file}")
    with database.transaction() as db:
        group_id = build_groups(db).planning.id
        person_id = person_in(db, db.get(Group, group_id), "chair", "Paula Planung").id
    start, numbers, errors = threading.Barrier(2), [], []

    def record_one(text: str) -> None:
        start.wait()
        try:
            with database.transaction() as db:  # BEGIN IMMEDIATE: the second writer waits for the first
                actor = actor_of(db, db.get(Person, person_id))
                numbers.append(record(db, actor, db.get(Group, group_id), text, decided_on=date(2025, 9, 1)).number)
        except Exception as error:  # reported below, a thread cannot fail the test itself
            errors.append(error)

    threads = [threading.Thread(target=record_one, args=(text,)) for text in ("Erster.", "Zweiter.")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    database.dispose()
    assert errors == []
    assert sorted(numbers) == ["PG-2025-001", "PG-2025-002"]


def test_the_year_comes_from_the_decision_date_else_the_meeting_else_today(db, groups, chair):
    meeting = add_meeting(db, groups.planning, datetime(2024, 12, 31, 23, 30))
    assert record(db, chair, groups.planning, decided_on=date(2023, 5, 5), meeting=meeting).year == 2023
    assert record(db, chair, groups.planning, meeting=meeting).year == 2024  # Berlin time, not UTC
    assert record(db, chair, groups.planning).year == today().year


def test_an_agenda_item_names_its_meeting(db, groups, chair):
    meeting = add_meeting(db, groups.planning, datetime(2025, 2, 3, 9))
    item = add_item(db, meeting, "Stadtteilbüro")
    decision = record(db, chair, groups.planning, agenda_item=item)
    assert (decision.meeting, decision.agenda_item) == (meeting, item)


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"text": "  "}, "text", "Bitte geben Sie den Wortlaut des Beschlusses an."),
    ({"text": "x" * 10_001}, "text", "Die Eingabe ist zu lang (höchstens %(max)s Zeichen)."),
    ({"status": "vielleicht"}, "status", "Diesen Status gibt es nicht."),
    ({"votes_yes": -1}, "votes_yes", "Bitte geben Sie eine ganze Zahl von 0 bis %(max)s an."),
    ({"votes_no": 2.5}, "votes_no", "Bitte geben Sie eine ganze Zahl von 0 bis %(max)s an."),
    ({"votes_abstain": True}, "votes_abstain", "Bitte geben Sie eine ganze Zahl von 0 bis %(max)s an."),
    ({"votes_yes": 10**20}, "votes_yes", "Bitte geben Sie eine ganze Zahl von 0 bis %(max)s an."),
    ({"decided_on": date(2025, 5, 2), "due_on": date(2025, 5, 1)}, "due_on",
     "Die Frist liegt vor dem Tag des Beschlusses."),
])
def test_bad_input_is_refused_next_to_its_field(db, groups, chair, fields, field, message):
    with pytest.raises(DomainError) as refused:
        record(db, chair, groups.planning, **{"text": "Wir tun etwas.", **fields})
    assert (refused.value.field, refused.value.message) == (field, message)
    assert db.scalar(select(Decision.id)) is None


def test_meeting_and_item_must_be_the_groups_own(db, groups, chair):
    other = add_meeting(db, groups.working, datetime(2025, 2, 3, 9))
    own = add_meeting(db, groups.planning, datetime(2025, 2, 4, 9))
    cases = [({"meeting": other}, "meeting", "Diese Sitzung gehört zu einer anderen Gruppe."),
             ({"agenda_item": add_item(db, other, "Fremd")}, "agenda_item",
              "Dieser Tagesordnungspunkt gehört zu einer anderen Gruppe."),
             ({"meeting": own, "agenda_item": add_item(db, add_meeting(db, groups.planning, datetime(2025, 3, 1, 9)), "X")},
              "agenda_item", "Dieser Tagesordnungspunkt gehört zu einer anderen Sitzung.")]
    for fields, field, message in cases:
        with pytest.raises(DomainError) as refused:
            record(db, chair, groups.planning, **fields)
        assert (refused.value.field, refused.value.message) == (field, message)


def test_only_managers_of_the_group_record_decisions(db, groups):
    member = actor_of(db, person_in(db, groups.planning, "member", "Mira Mitglied"))
    other_chair = actor_of(db, person_in(db, groups.working, "chair", "Otto Ortsteil"))
    for actor in (member, other_chair):
        with pytest.raises(NotAllowed):
            record(db, actor, groups.planning)
    minute_taker = actor_of(db, person_in(db, groups.planning, "minute_taker", "Pia Protokoll"))
    assert record(db, minute_taker, groups.planning).number.startswith("PG-")


def test_update_records_each_changed_field_in_the_history(db, groups, chair):
    decision = record(db, chair, groups.planning, decided_on=date(2025, 3, 4))
    version = decision.version_id
    update_decision(db, chair, decision, DecisionDraft("Neuer Wortlaut.", "adopted", date(2025, 3, 4), votes_yes=7),
                    version)
    assert (decision.text, decision.status, decision.votes_yes, decision.number) == (
        "Neuer Wortlaut.", "adopted", 7, "PG-2025-001")
    [updated, created] = history_of(db, "decision", decision.id)
    assert (created.action, updated.action) == ("created", "updated")
    assert updated.changes == {"text": ["Wir richten ein Stadtteilbüro ein.", "Neuer Wortlaut."],
                               "status": ["proposed", "adopted"], "votes_yes": [None, 7]}
    assert updated.person_id == chair.person.id


def test_an_update_from_a_stale_page_is_a_conflict_that_changes_nothing(db, groups, chair):
    decision = record(db, chair, groups.planning)
    stale = decision.version_id
    set_decision_status(db, chair, decision, "adopted", stale)
    with pytest.raises(Conflict) as conflict:
        update_decision(db, chair, decision, DecisionDraft("Überschrieben?"), stale)
    assert conflict.value.current is decision
    assert (decision.text, decision.status) == ("Wir richten ein Stadtteilbüro ein.", "adopted")


def test_status_change_is_recorded_and_a_stale_one_is_a_conflict(db, groups, chair):
    decision = record(db, chair, groups.planning)
    version = decision.version_id
    set_decision_status(db, chair, decision, "adopted", version)
    assert history_of(db, "decision", decision.id)[0].changes == {"status": ["proposed", "adopted"]}
    with pytest.raises(Conflict):
        set_decision_status(db, chair, decision, "rejected", version)
    with pytest.raises(DomainError) as refused:
        set_decision_status(db, chair, decision, "vielleicht", decision.version_id)
    assert refused.value.field == "status"


def test_external_decision_keeps_the_bodys_own_number(db, coordinator):
    decision = record_external_decision(db, coordinator, "Stadtrat Jena", " 23/1825-BV ",
                                        "Fortsetzung der Präventionskette", date(2023, 6, 14))
    assert (decision.number, decision.group, decision.external_body, decision.status, decision.year) == (
        "23/1825-BV", None, "Stadtrat Jena", "adopted", 2023)
    with pytest.raises(DomainError) as refused:
        record_external_decision(db, coordinator, "Stadtrat Jena", "23/1825-BV", "Doppelt", None)
    assert (refused.value.field, refused.value.message) == ("number", "Ein Beschluss mit dieser Nummer ist schon erfasst.")


def test_external_decisions_need_the_coordinator_and_a_body(db, groups, chair, coordinator):
    with pytest.raises(NotAllowed):
        record_external_decision(db, chair, "Stadtrat Jena", "", "Text", None)
    with pytest.raises(DomainError) as refused:
        record_external_decision(db, coordinator, "  ", "", "Text", None)
    assert (refused.value.field, refused.value.message) == ("body", "Bitte geben Sie an, wer den Beschluss gefasst hat.")


@pytest.fixture
def register(db, groups, coordinator):
    """One decision per group and status that matters for reading, plus the city council's."""
    decisions = {}
    for group in (groups.steering, groups.planning, groups.working):
        for status in ("proposed", "adopted", "implemented", "rejected"):
            decisions[group.code, status] = record(db, coordinator, group, f"{group.code} {status}",
                                                   status=status, decided_on=date(2025, 1, 1))
    decisions["council"] = record_external_decision(db, coordinator, "Stadtrat Jena", "23/1825-BV",
                                                    "Fortsetzung", date(2023, 6, 14))
    return decisions


def texts(page) -> set[str]:
    return {decision.text for decision in page.decisions}


def test_other_members_read_only_the_steering_groups_adopted_and_implemented_decisions(db, groups, register):
    outsider = actor_of(db, person_in(db, groups.working, "member", "Otto Ortsteil"))
    assert texts(list_decisions(db, outsider, DecisionFilter())) == {
        "SG adopted", "SG implemented", "NN proposed", "NN adopted", "NN implemented", "NN rejected", "Fortsetzung"}


def test_the_register_filter_in_sql_agrees_with_the_permission(db, groups, register, coordinator):
    nobody = actor_of(db, Person(name="In keiner Gruppe"))
    actors = [coordinator, nobody, *(actor_of(db, person_in(db, group, role, f"{group.code} {role}"))
                             for group in (groups.steering, groups.planning, groups.working)
                             for role in ("chair", "guest"))]
    for actor in actors:
        readable = set(db.scalars(select(Decision.id).where(readable_by(actor))))
        assert readable == {d.id for d in register.values() if actor.can_read_decision(d)}, actor.person.name


def test_register_filters_combine(db, groups, register, coordinator):
    record(db, coordinator, groups.planning, "Stadtteilbüro 100% prüfen", status="adopted", decided_on=date(2024, 10, 15))

    def shown(**filters) -> set[str]:
        return texts(list_decisions(db, coordinator, DecisionFilter(**filters)))

    assert shown(status="adopted", group=groups.planning) == {"PG adopted", "Stadtteilbüro 100% prüfen"}
    assert shown(status="adopted", group=groups.planning, year=2024) == {"Stadtteilbüro 100% prüfen"}
    assert shown(q="stadtteilbüro") == shown(q="100%") == {"Stadtteilbüro 100% prüfen"}
    assert shown(q="PG-2025-00") == {"PG proposed", "PG adopted", "PG implemented", "PG rejected"}
    assert shown(q="1825-BV") == {"Fortsetzung"}
    assert shown(q="_") == set()  # a LIKE wildcard is searched for as itself
    assert register_years(db, coordinator) == [2025, 2024, 2023]


def test_register_pages_hold_fifty_decisions(db, groups, coordinator):
    for n in range(PAGE_SIZE + 3):
        record(db, coordinator, groups.planning, f"Beschluss {n}", decided_on=date(2025, 1, 1))
    first, second = (list_decisions(db, coordinator, DecisionFilter(), page) for page in (1, 2))
    assert (len(first.decisions), len(second.decisions), first.pages, first.total) == (50, 3, 2, 53)
    assert first.decisions[0].number == "PG-2025-053" and second.decisions[-1].number == "PG-2025-001"
    assert list_decisions(db, coordinator, DecisionFilter(), 99).number == 2


def test_register_groups_are_own_groups_and_the_steering_group(db, groups, coordinator):
    outsider = actor_of(db, person_in(db, groups.working, "member", "Otto Ortsteil"))
    assert [g.code for g in register_groups(db, outsider)] == ["NN", "SG"]
    assert len(register_groups(db, coordinator)) == 3


def test_decisions_by_agenda_item_serve_the_minutes(db, groups, chair):
    meeting = add_meeting(db, groups.planning, datetime(2025, 2, 3, 9))
    first, second = add_item(db, meeting, "Stadtteilbüro", 0), add_item(db, meeting, "Haushalt", 1)
    a = record(db, chair, groups.planning, "A", agenda_item=first, votes_yes=5, votes_no=1, votes_abstain=0)
    b = record(db, chair, groups.planning, "B", agenda_item=first)
    c = record(db, chair, groups.planning, "C", agenda_item=second)
    record(db, chair, groups.planning, "ohne TOP", meeting=meeting)
    assert decisions_by_agenda_item(db, meeting) == {first.id: [a, b], second.id: [c]}
