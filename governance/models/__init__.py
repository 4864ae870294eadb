"""Every governance model, so that metadata and migrations see them all."""

from governance.models.organisations import Area, Organisation, TargetGroup
from governance.models.people import Person
from governance.models.programmes import Focus, Programme

__all__ = ["Area", "Focus", "Organisation", "Person", "Programme", "TargetGroup"]
