"""The public calendar pages (upcoming dates, month, "Jahreskreis") with filters kept in every link,
and the members' page "Wen erreichen wir?"."""

from collections.abc import Callable
from datetime import date, timedelta
from urllib.parse import urlencode

from starlette.responses import Response
from starlette.routing import Route

from calendars import schedule
from calendars.events import review_queue
from calendars.listing import CalendarFilter, UnknownFilter, filter_choices
from calendars.reach import reach
from governance.errors import N_, DomainError
from governance.times import today
from workspace import wheel
from workspace.access import MEMBER, PUBLIC
from workspace.endpoints import Call, endpoint
from workspace.forms import plausible_date
from workspace.submission import attempt

UPCOMING_DAYS = 60
RESULTS = "calendar_results"
BAD_MONTH = N_("Diesen Monat gibt es nicht. Bitte geben Sie ihn als JJJJ-MM an, z. B. 2026-11.")
BAD_YEAR = N_("Dieses Jahr gibt es nicht. Bitte geben Sie es vierstellig an, z. B. 2026.")
BAD_DAY = N_("Dieses Datum gibt es nicht. Bitte geben Sie es als JJJJ-MM-TT an, z. B. 2026-11-23.")
UNKNOWN = N_("Den Filterwert „%(value)s“ gibt es nicht. Bitte wählen Sie die Filter aus der Liste.")


# The pages -------------------------------------------------------------------------------------

@endpoint(PUBLIC)
def upcoming(call: Call) -> Response:
    """The dates of the next 60 days from today (or `?from=`), each listed on its first day."""
    chosen = _chosen(call)
    try:
        first = _parsed(call, "from", plausible_date, BAD_DAY) or today()
        last = first + timedelta(days=UPCOMING_DAYS - 1)
        entries = schedule.calendar_entries(call.db, chosen, first, last, call.member_actor)
    except (UnknownFilter, DomainError) as problem:
        return _refused(call, "calendar/upcoming.html", chosen, problem)
    keep = [("from", first.isoformat())] if "from" in call.request.query_params else []
    return _page(call, "calendar/upcoming.html", chosen, keep=keep, first=first, last=last,
                 days=schedule.by_day(entries, first, last, every_day=False), later=last + timedelta(days=1))


@endpoint(PUBLIC)
def month_page(call: Call) -> Response:
    """A month as a table of weeks; each day lists every date that touches it."""
    chosen = _chosen(call)
    try:
        month = _parsed(call, "month", lambda value: plausible_date(value + "-01"), BAD_MONTH)
        month = month or today().replace(day=1)
        weeks = schedule.weeks_of(month)
        first, last = weeks[0][0], weeks[-1][-1]
        entries = schedule.calendar_entries(call.db, chosen, first, last, call.member_actor)
    except (UnknownFilter, DomainError) as problem:
        return _refused(call, "calendar/month.html", chosen, problem)
    return _page(call, "calendar/month.html", chosen, keep=[("month", month.strftime("%Y-%m"))], month=month,
                 weeks=weeks, days=schedule.by_day(entries, first, last, every_day=True),
                 previous=(month - timedelta(days=1)).replace(day=1),
                 following=(month + timedelta(days=31)).replace(day=1))


@endpoint(PUBLIC)
def year_page(call: Call) -> Response:
    """The festivals and traditions around the year, as a list by month and as a wheel."""
    chosen = _chosen(call)
    try:
        first_day = _parsed(call, "year", lambda value: plausible_date(value + "-01-01"), BAD_YEAR)
        year = first_day.year if first_day else today().year
        months = schedule.festivals_of_year(call.db, chosen, year, members=call.is_member)
    except (UnknownFilter, DomainError) as problem:
        return _refused(call, "calendar/year.html", chosen, problem)
    return _page(call, "calendar/year.html", chosen, keep=[("year", str(year))], year=year, months=months,
                 firsts=[date(year, month, 1) for month in range(1, 13)], **_wheel(year, months))


def _wheel(year: int, months: list) -> dict:
    """The wheel's segments, a mark per date (on its first day in the year), and today's hand."""
    dated = [(max(o.first_day, date(year, 1, 1)), o) for dates in months for o in dates]
    return {"segments": wheel.segments(year), "marks": wheel.marks(dated),
            "hand": wheel.hand(today()) if today().year == year else None}


@endpoint(MEMBER)
def reach_page(call: Call) -> Response:
    """Wen erreichen wir? Counts per target group and area for a period (the current year by default)."""
    this_year = today().year
    params = call.request.query_params
    call.form.update({"from": params.get("from", f"{this_year}-01-01"), "to": params.get("to", f"{this_year}-12-31")})
    start = call.form.date("from", N_("Bitte geben Sie den Anfang des Zeitraums an."))
    end = call.form.date("to", N_("Bitte geben Sie das Ende des Zeitraums an."))
    found = attempt(call, lambda: reach(call.db, start, end))
    status = 422 if call.form.errors else 200
    return call.render("calendar/reach.html", status=status, found=found, members=True,
                       link=_linker(call, CalendarFilter()))


# Shared steps ----------------------------------------------------------------------------------

def _chosen(call: Call) -> CalendarFilter:
    return CalendarFilter.from_pairs(call.request.query_params.multi_items())


def _parsed(call: Call, name: str, read: Callable[[str], date | None], message: str) -> date | None:
    """A query parameter read by `read` (None for what is no plausible date); None when absent,
    DomainError when bad."""
    value = call.request.query_params.get(name, "")
    if not value:
        return None
    parsed = read(value)
    if parsed is None:
        raise DomainError(name, message)
    return parsed


def _refused(call: Call, template: str, chosen: CalendarFilter, problem: Exception) -> Response:
    """The page with a message near the filters and status 400: never a 500 for a hand-made URL.

    Its links keep only the filter values that name something.
    """
    if isinstance(problem, UnknownFilter):
        problem = DomainError("filter", UNKNOWN, value=problem.value[:80])
    return _page(call, template, chosen, status=400, linked=schedule.known_only(call.db, chosen), problem=problem)


def _page(call: Call, template: str, chosen: CalendarFilter, status: int = 200,
          linked: CalendarFilter | None = None, **context) -> Response:
    """A calendar page, or for the filter form's htmx request only its results (the URL is pushed).

    `chosen` ticks the checkboxes; `linked` (the same by default) goes into links and the feed URL.
    """
    linked = chosen if linked is None else linked
    restoring = call.request.headers.get("hx-history-restore-request") == "true"
    block = RESULTS if call.is_htmx and not restoring else None
    query = urlencode(linked.items())
    feed_url = call.settings.base_url.rstrip("/") + call.url("calendar_feed") + ("?" + query if query else "")
    context = {"keep": [], "problem": None, **context}
    waiting = len(review_queue(call.db, call.actor)) if call.is_member else 0
    return call.render(template, status=status, block=block, chosen=chosen, choices=filter_choices(call.db, call.is_member),
                       link=_linker(call, linked), members=call.is_member, feed_url=feed_url,
                       today=today(), waiting=waiting, **context)


def _linker(call: Call, chosen: CalendarFilter):
    """`link(route_name, **params)`: a URL to another calendar page that keeps the chosen filters."""
    def link(name: str, **params: object) -> str:
        query = urlencode([*((key, str(value)) for key, value in params.items()), *chosen.items()])
        return call.url(name) + ("?" + query if query else "")

    return link


routes = [
    Route("/calendar", upcoming, methods=["GET"], name="calendar"),
    Route("/calendar/month", month_page, methods=["GET"], name="calendar_month"),
    Route("/calendar/year", year_page, methods=["GET"], name="calendar_year"),
    Route("/calendar/reach", reach_page, methods=["GET"], name="calendar_reach"),
]
