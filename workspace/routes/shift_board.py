"""The public board "Wo wird Hilfe gebraucht?" (/shifts) and the same board as an iCal feed (/shifts.ics),
filtered alike by area, kind of task and a range of days kept in the URL. The board shows PAGE shifts at a
time; "Weitere Schichten" carries the filters and `after`, the last shift shown."""

from datetime import date
from urllib.parse import urlencode

from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from calendars import feeds
from calendars.feeds import Window
from calendars.listing import UnknownFilter
from calendars.models import TASK_KINDS
from calendars.shift_board import OpenShift, ShiftFilter, count_open_shifts, open_shifts
from calendars.shift_feeds import place_of
from governance.base import utcnow
from governance.errors import N_, DomainError
from governance.organisations import list_areas
from governance.times import in_berlin
from workspace.access import PUBLIC
from workspace.endpoints import Call, endpoint
from workspace.feeds_http import CALENDAR_TYPE, FeedCall, feed_endpoint, is_fresh, not_modified, validators
from workspace.forms import plausible_date
from workspace.routes.feeds import PUBLIC_CACHE, feed_links

FEED_NAME = "Wo wird Hilfe gebraucht? – Helferschichten Jena-Nord"
MAX_VALUES = 100
PAGE = 50  # a page of the board: 200 rows were 150 KB of HTML and most of the time the board took
BAD_DATE = N_("„%(value)s“ ist kein gültiges Datum. Bitte geben Sie es als JJJJ-MM-TT an.")
UNKNOWN = N_("Den Filterwert „%(value)s“ gibt es nicht. Bitte wählen Sie die Filter aus der Liste.")
BACKWARDS = N_("Der Zeitraum endet vor seinem Beginn.")


def read_filter(pairs: list[tuple[str, str]]) -> ShiftFilter:
    """`area` and `kind` (repeated), `first` and `last` (YYYY-MM-DD); DomainError for a date that is none."""
    values: dict[str, list[str]] = {}
    for name, value in pairs:
        if value:
            values.setdefault(name, []).append(value)
    first, last = (_day(values, name) for name in ("first", "last"))
    if first and last and last < first:
        raise DomainError("last", BACKWARDS)
    return ShiftFilter(tuple(dict.fromkeys(values.get("area", ())))[:MAX_VALUES],
                       tuple(dict.fromkeys(values.get("kind", ())))[:MAX_VALUES], first, last)


def _day(values: dict[str, list[str]], name: str) -> date | None:
    value = values.get(name, [""])[0]
    if not value:
        return None
    day = plausible_date(value)
    if day is None:
        raise DomainError(name, BAD_DATE, value=value[:40])
    return day


def read_after(pairs: list[tuple[str, str]]) -> int | None:
    """`after`, the shift a previous page ended with; UnknownFilter for a value that is no shift number."""
    value = dict(pairs).get("after", "")
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and len(value) <= 18):
        raise UnknownFilter("after", value)
    return int(value)


def filter_query(chosen: ShiftFilter) -> str:
    """The filter as a query string, for the feed's address and links that keep it."""
    pairs = [*(("area", slug) for slug in chosen.areas), *(("kind", kind) for kind in chosen.task_kinds)]
    pairs += [(name, day.isoformat()) for name, day in (("first", chosen.first), ("last", chosen.last)) if day]
    return urlencode(pairs)


@endpoint(PUBLIC)
def board(call: Call) -> Response:
    """Soonest first; a hand-made URL with a bad date or unknown value gets the page with a message and 400."""
    pairs, now = call.request.query_params.multi_items(), utcnow()
    try:
        chosen, after = read_filter(pairs), read_after(pairs)
        found = open_shifts(call.db, chosen, now, limit=PAGE + 1, after=after)
    except UnknownFilter as unknown:
        return _page(call, ShiftFilter(), [], 400, DomainError("filter", UNKNOWN, value=unknown.value[:80]), pairs)
    except DomainError as problem:
        return _page(call, ShiftFilter(), [], 400, problem, pairs)
    more = len(found) > PAGE
    # Counted only when the page does not show them all: a short board costs no extra query.
    total = count_open_shifts(call.db, chosen, now) if more or after is not None else len(found)
    return _page(call, chosen, found[:PAGE], total=total, more=more, after=after)


def _page(call: Call, chosen: ShiftFilter, found: list, status: int = 200, problem: DomainError | None = None,
          pairs: list[tuple[str, str]] | None = None, total: int = 0, more: bool = False,
          after: int | None = None) -> Response:
    query = filter_query(chosen)
    board_url = call.url("shifts") + ("?" + query if query else "")
    feed_url = call.settings.base_url.rstrip("/") + call.url("shifts_feed") + ("?" + query if query else "")
    typed = dict(pairs or [])
    rows = [{"item": item, "where": _where(item), "key": in_berlin(item.shift.occurrence_start).date().isoformat()}
            for item in found]
    later = f"{board_url}{'&' if query else '?'}after={found[-1].shift.id}" if more else ""
    return call.render("shifts/board.html", status=status, rows=rows, chosen=chosen, problem=problem,
                       areas=list_areas(call.db), kinds=TASK_KINDS, feed_url=feed_url, total=total,
                       later_url=later, first_url=board_url if after is not None else "",
                       typed_first=typed.get("first", "") if problem else (chosen.first or ""),
                       typed_last=typed.get("last", "") if problem else (chosen.last or ""))


def _where(item: OpenShift) -> str:
    """The date's place and the event's area, as the board lists them."""
    area = item.event.area.name if item.event.area else ""
    return ", ".join(part for part in (place_of(item.shift), area) if part)


@feed_endpoint
def shifts_feed(call: FeedCall) -> Response:
    """One entry per open shift, the places left in its title; 400 for a filter that names nothing."""
    try:
        chosen = read_filter(call.request.query_params.multi_items())
        feed = feeds.shifts_feed(call.db, chosen, Window(utcnow(), call.settings.feed_past_days),
                                 feed_links(call.services), FEED_NAME)
    except UnknownFilter as unknown:
        return PlainTextResponse(f"Unbekannter Filterwert: {unknown}", status_code=400)
    except DomainError as problem:
        return PlainTextResponse(f"Ungültiger Filter: {problem.field}", status_code=400)
    if is_fresh(call.request, feed.version):
        return not_modified(feed.version, PUBLIC_CACHE)
    return Response(feed.text.encode(), media_type=CALENDAR_TYPE, headers=validators(feed.version, PUBLIC_CACHE))


routes = [
    Route("/shifts", board, methods=["GET"], name="shifts"),
    Route("/shifts.ics", shifts_feed, methods=["GET"], name="shifts_feed"),
]
