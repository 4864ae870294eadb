"""Calendars domain: events, feeds, shifts and reminders; may use governance, never workspace."""
