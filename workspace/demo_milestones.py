"""The milestone part of the demo seed: the programme extended, its milestones with dependencies,
indicators, responsible groups, and the decisions and tasks that serve them.

Loaded through the domain operations, acting as the demo coordinator; `due_in_days` is relative to
the day the demo is loaded, so the plan always shows work to come.
"""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.indicators import IndicatorDraft, add_indicator
from governance.milestones import MilestoneDraft, create_milestone, link_decision, link_task
from governance.models import Decision, Group, Milestone, Person, Programme, Task
from governance.permissions import actor_for
from governance.programmes import extend_programme
from governance.times import today


def load_milestones(db: Session, seed: dict, programme: Programme, groups: dict[str, Group], coordinator: Person,
                    people: dict[str, Person]) -> None:
    actor = actor_for(db, coordinator, today())
    facts = seed["programme"]
    extend_programme(db, actor, programme, facts["extended_end"], facts["extension_reason"])
    made: dict[str, Milestone] = {}
    for item in seed["milestones"]:
        made[item["title"]] = milestone = _milestone(db, actor, programme, groups, people, made, item)
        for indicator in item.get("indicators", []):
            add_indicator(db, actor, milestone, _indicator(indicator))
        for text in item.get("decisions", []):
            link_decision(db, actor, milestone, db.scalar(select(Decision).where(Decision.text == text)))
        for title in item.get("tasks", []):
            link_task(db, actor, milestone, db.scalar(select(Task).where(Task.title == title)))


def _milestone(db: Session, actor, programme: Programme, groups: dict[str, Group], people: dict[str, Person],
               made: dict[str, Milestone], item: dict) -> Milestone:
    """A done milestone of the seed was reached on its due day; the seed's dates are trusted as they are."""
    due_on = item["due"] if "due" in item else today() + timedelta(days=item["due_in_days"])
    focuses = {focus.number: focus for focus in programme.focuses}
    draft = MilestoneDraft(
        item["title"], focus=focuses.get(item.get("focus")), group=groups.get(item.get("group")),
        responsible=people.get(item.get("responsible")), due_on=due_on, status=item["status"],
        completed_on=min(due_on, today()) if item["status"] == "done" else None,
    )
    prerequisites = [made[item["depends_on"]]] if "depends_on" in item else []
    return create_milestone(db, actor, programme, draft, confirm_outside=True, depends_on=prerequisites)


def _indicator(facts: dict) -> IndicatorDraft:
    return IndicatorDraft(facts["name"], float(facts["target"]), facts.get("unit", ""),
                          float(facts.get("baseline", 0)), float(facts["current"]) if "current" in facts else None)
