"""Every calendar model, so that metadata and migrations see them all."""

from calendars.models.events import (EVENT_KINDS, EVENT_STATES, FREQUENCIES, REPEAT_ON, REVIEW_STATES, VISIBILITIES,
                                     Event, EventException, event_partner, event_target_group)
from calendars.models.feeds import FeedToken

__all__ = [
    "EVENT_KINDS", "EVENT_STATES", "FREQUENCIES", "REPEAT_ON", "REVIEW_STATES", "VISIBILITIES", "Event",
    "EventException", "FeedToken", "event_partner", "event_target_group",
]
