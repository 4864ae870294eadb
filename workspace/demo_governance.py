"""The governance part of the demo seed: meetings with agendas, decisions, the escalation, tasks.

Loaded through the domain operations, acting as the demo coordinator; dates ahead are relative to
the day the demo is loaded, so a fresh demo never looks stale.
"""

from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from governance.agenda import ItemDraft, add_agenda_item
from governance.decisions import DecisionDraft, record_decision, record_external_decision
from governance.escalation import escalate_decision
from governance.meetings import MeetingDraft, schedule_meeting, set_meeting_status
from governance.minutes import approve_minutes
from governance.models import Group, Meeting, Person
from governance.permissions import actor_for
from governance.tasks import create_task
from governance.times import from_berlin, in_berlin, today


def load_governance(db: Session, seed: dict, groups: dict[str, Group], coordinator: Person,
                    people: dict[str, Person]) -> None:
    actor = actor_for(db, coordinator, today())
    meetings = {item["title"]: _past_meeting(db, actor, groups, item) for item in seed["meetings"]}
    for item in seed["upcoming_meetings"]:
        _upcoming_meeting(db, actor, groups, item)
    for item in seed["decisions"]:
        _decision(db, actor, groups, meetings, item)
    approve_minutes(db, actor, meetings["Kick-Off Präventionskette Jena"])
    _tasks(db, actor, groups, people)


def _past_meeting(db: Session, actor, groups: dict[str, Group], item: dict) -> Meeting:
    draft = MeetingDraft(item["title"], from_berlin(datetime.fromisoformat(str(item["start"]))), place=item["place"])
    meeting = _with_agenda(db, actor, schedule_meeting(db, actor, groups[item["group"]], draft), item["agenda"])
    set_meeting_status(db, actor, meeting, "held")
    return meeting


def _upcoming_meeting(db: Session, actor, groups: dict[str, Group], item: dict) -> Meeting:
    day = today() + timedelta(days=item["in_days"])
    starts = datetime.combine(day, time.fromisoformat(item["at"]))
    draft = MeetingDraft(item["title"], from_berlin(starts), place=item["place"])
    return _with_agenda(db, actor, schedule_meeting(db, actor, groups[item["group"]], draft), item["agenda"])


def _with_agenda(db: Session, actor, meeting: Meeting, agenda: list[dict]) -> Meeting:
    for entry in agenda:
        draft = ItemDraft(entry["title"], entry.get("kind", "information"), entry["minutes"])
        add_agenda_item(db, actor, meeting, draft)
    return meeting


def _decision(db: Session, actor, groups: dict[str, Group], meetings: dict[str, Meeting], item: dict) -> None:
    """An outside body's decision, or a group's taken on the last item of its meeting; escalated if the seed says."""
    if "by" in item:
        decided_on = item.get("date")
        record_external_decision(db, actor, item["by"], item.get("number", ""), item["text"], decided_on,
                                 item["status"], year=item.get("year"))
        return
    meeting = meetings[item["meeting"]]
    yes, no, abstain = item.get("votes", (None, None, None))
    draft = DecisionDraft(item["text"], item["status"], in_berlin(meeting.starts_at).date(), meeting=meeting,
                          agenda_item=meeting.agenda_items[-1], votes_yes=yes, votes_no=no, votes_abstain=abstain)
    decision = record_decision(db, actor, groups[item["group"]], draft)
    if item.get("escalate_to"):
        escalate_decision(db, actor, decision)


def _tasks(db: Session, actor, groups: dict[str, Group], people: dict[str, Person]) -> None:
    north = groups["Netzwerk Nord für Nord (Sozialraumgruppe Jena-Nord)"]
    create_task(db, actor, north, "Bedarf für ein Stadtteilbüro mit den Akteuren in Jena-Nord erheben",
                people["Ortsteilbürgermeister Jena-Nord"], today() + timedelta(days=30))
    planning = groups["Planungsgruppe (Kernteam)"]
    create_task(db, actor, planning, "Fragebogen der Familienbefragung abstimmen",
                people["Jugendhilfeplanerin"], today() - timedelta(days=3))
