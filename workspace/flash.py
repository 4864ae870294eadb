"""Flash messages travel as keys in a short cookie; the text comes from here, never from the cookie."""

from governance.errors import N_

COOKIE = "werkstadt_flash"
MESSAGES = {
    "logged_in": N_("Sie sind angemeldet."),
    "logged_out": N_("Sie sind abgemeldet."),
    "session_expired": N_("Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an."),
    "password_changed": N_("Ihr Passwort wurde geändert. Andere Sitzungen wurden beendet."),
    "language_changed": N_("Die Sprache wurde umgestellt."),
    "invitation_sent": N_("Die Einladung wurde verschickt."),
    "invitation_accepted": N_("Willkommen! Ihr Passwort ist gesetzt."),
    "account_deactivated": N_("Das Konto wurde deaktiviert."),
    "account_activated": N_("Das Konto wurde wieder aktiviert."),
    "meeting_scheduled": N_("Die Sitzung ist angelegt."),
    "meeting_updated": N_("Die Sitzung ist gespeichert."),
    "meeting_status_changed": N_("Der Status der Sitzung ist geändert."),
    "agenda_template_saved": N_("Die Tagesordnung ist als Vorlage gespeichert."),
    "minutes_approved": N_("Das Protokoll ist genehmigt."),
    "minutes_corrected": N_("Die Berichtigung ist festgehalten."),
    "decision_recorded": N_("Der Beschluss ist erfasst."),
    "decision_saved": N_("Der Beschluss ist gespeichert."),
    "status_changed": N_("Der Status ist geändert."),
    "decision_escalated": N_("Der Beschluss ist an die übergeordnete Gruppe weitergegeben."),
    "agenda_item_escalated": N_("Der Tagesordnungspunkt ist an die übergeordnete Gruppe weitergegeben."),
    "task_created": N_("Die Aufgabe ist angelegt."),
    "task_saved": N_("Die Aufgabe ist gespeichert."),
    "task_status_changed": N_("Der Status der Aufgabe ist geändert."),
    "milestone_created": N_("Der Meilenstein ist angelegt."),
    "milestone_saved": N_("Der Meilenstein ist gespeichert."),
    "milestone_changed": N_("Die Änderung am Meilenstein ist gespeichert."),
    "programme_extended": N_("Die Verlängerung ist festgehalten."),
    "programme_saved": N_("Das Programm ist gespeichert."),
    "event_submitted": N_("Der Termin ist eingereicht – er wartet auf Freigabe."),
    "event_saved": N_("Der Termin ist gespeichert."),
    "event_approved": N_("Der Termin ist freigegeben."),
    "event_rejected": N_("Der Termin ist abgelehnt; die einreichende Person sieht den Grund."),
    "event_date_changed": N_("Die Änderung an diesem Termin ist gespeichert."),
    "event_date_restored": N_("Der Termin findet wieder statt, wie die Reihe es vorsieht."),
    "event_series_split": N_("Die Änderung gilt ab diesem Termin; die bisherige Reihe endet davor."),
    "feed_token_renewed": N_("Ihr neuer Kalender-Link ist erzeugt. Der bisherige Link funktioniert nicht mehr."),
    "feed_token_revoked": N_("Ihr Kalender-Link ist widerrufen. Abonnierte Kalender werden nicht mehr aktualisiert."),
    # volunteers' light accounts
    "email_confirmed": N_("Danke! Ihre E-Mail-Adresse ist bestätigt, und Sie sind angemeldet."),
    "preferences_saved": N_("Ihre Wünsche zum Mithelfen sind gespeichert."),
    "volunteer_account_deleted": N_("Ihr Konto ist gelöscht. Danke für Ihre Hilfe!"),
    # helper shifts
    "shift_taken": N_("Danke! Sie sind für die Schicht eingetragen."),
    "shift_waiting": N_("Sie stehen auf der Warteliste. Wir schreiben Ihnen, sobald ein Platz frei wird."),
    "signup_cancelled": N_("Ihre Zusage ist zurückgenommen."),
    "waiting_left": N_("Sie stehen nicht mehr auf der Warteliste."),
    "shift_added": N_("Die Schicht ist angelegt."),
    "shift_saved": N_("Die Schicht ist gespeichert."),
    "shift_cancelled": N_("Die Schicht ist abgesagt; die Eingetragenen bekommen eine E-Mail."),
    # reminders
    "mail_choices_saved": N_("Ihre Auswahl der E-Mails ist gespeichert."),
    "reminder_resent": N_("Die Erinnerung wird erneut versendet."),
    "leads_saved": N_("Die Vorlaufzeiten sind gespeichert; geplante Erinnerungen sind angepasst."),
    "invitations_queued": N_("Die Einladung geht gleich an alle Mitglieder der Gruppe."),
    "attendance_confirmed": N_("Die Anwesenheit ist bestätigt."),
}


def read_flash(cookie_value: str | None) -> list[str]:
    """The known messages named in the cookie, in order, each once."""
    keys = (cookie_value or "").split(".")
    return [MESSAGES[key] for key in dict.fromkeys(keys) if key in MESSAGES]


def write_flash(keys: list[str]) -> str:
    return ".".join(key for key in keys if key in MESSAGES)
