"""The mails a change of shifts sends: a place that came free to the first on the waiting list, a
cancelled shift to everyone signed up, and a shift whose date moved or was dropped to everyone on it.
Written in the request's transaction, sent after its commit."""

from sqlalchemy import select

from calendars.models.shifts import Shift, Signup
from calendars.shift_dates import ShiftMove, ShiftMoves, signed_up
from governance.models import Person
from workspace.endpoints import Call
from workspace.mail import queue_mail
from workspace.models import Account


def mail_moved_up(call: Call, signup: Signup) -> None:
    """Tell the person who moved up from the waiting list that the place is theirs now."""
    _mail(call, signup.person, "mail/shift_moved_up.txt", signup.shift)


def mail_shift_cancelled(call: Call, shift: Shift, signups: list[Signup]) -> None:
    """Tell everyone who held a place or waited that the shift does not take place."""
    for signup in signups:
        _mail(call, signup.person, "mail/shift_cancelled.txt", shift, waiting=signup.state == "waiting")


def mail_shifts_followed(call: Call, moves: ShiftMoves) -> None:
    """Tell the people on shifts that moved with their date when, and those whose date is gone that the
    shift does not take place."""
    for move in moves.moved:
        _mail_moved(call, move)
    for shift in moves.gone:
        mail_shift_cancelled(call, shift, signed_up(shift))


def _mail_moved(call: Call, move: ShiftMove) -> None:
    for signup in signed_up(move.shift):
        _mail(call, signup.person, "mail/shift_moved.txt", move.shift, waiting=signup.state == "waiting",
              was_starts_at=move.was_starts_at, was_ends_at=move.was_ends_at)


def _mail(call: Call, person: Person, template: str, shift: Shift, **extra) -> None:
    if not person.email:  # a deleted volunteer keeps no address
        return
    base = call.settings.base_url
    context = {"person": person, "shift": shift, "event": shift.event,
               "shift_link": base + call.url("shift", shift_id=shift.id),
               "mine_link": base + call.url("my_shifts"), "board_link": base + call.url("shifts"), **extra}
    queue_mail(call.db, call.services.renderer, _language(call, person), person.email, template, context)


def _language(call: Call, person: Person) -> str:
    account = call.db.scalar(select(Account).where(Account.person_id == person.id))
    return account.language if account is not None else call.settings.language
