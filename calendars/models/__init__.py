"""Every calendar model, so that metadata and migrations see them all."""

from calendars.models.events import (EVENT_KINDS, EVENT_STATES, FREQUENCIES, REPEAT_ON, REVIEW_STATES, VISIBILITIES,
                                     Event, EventException, event_partner, event_target_group)
from calendars.models.feeds import FeedToken
from calendars.models.reminders import (ANSWERS, REMINDER_KINDS, REMINDER_STATES, Reminder, ReminderLead,
                                        ReminderStop)
from calendars.models.shifts import (SIGNUP_STATES, TASK_KINDS, Shift, Signup, Volunteer, volunteer_area,
                                     volunteer_target_group)

__all__ = [
    "ANSWERS", "REMINDER_KINDS", "REMINDER_STATES", "Reminder", "ReminderLead", "ReminderStop",
    "EVENT_KINDS", "EVENT_STATES", "FREQUENCIES", "REPEAT_ON", "REVIEW_STATES", "VISIBILITIES", "Event",
    "EventException", "FeedToken", "SIGNUP_STATES", "Shift", "Signup", "TASK_KINDS", "Volunteer", "event_partner",
    "event_target_group", "volunteer_area", "volunteer_target_group",
]
