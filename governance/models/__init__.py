"""Every governance model, so that metadata and migrations see them all."""

from governance.models.decisions import Decision, DecisionCounter, Task
from governance.models.groups import Group, Membership
from governance.models.history import ChangeRecord
from governance.models.meetings import AgendaItem, AgendaTemplate, Attendance, Meeting, MinutesCorrection
from governance.models.milestones import Indicator, Milestone, ProgrammeExtension
from governance.models.organisations import Area, Organisation, TargetGroup
from governance.models.people import Person
from governance.models.programmes import Focus, Programme

__all__ = [
    "AgendaItem", "AgendaTemplate", "Area", "Attendance", "ChangeRecord", "Decision", "DecisionCounter",
    "Focus", "Group", "Indicator", "Meeting", "Membership", "Milestone", "MinutesCorrection", "Organisation",
    "Person", "Programme", "ProgrammeExtension", "TargetGroup", "Task",
]
