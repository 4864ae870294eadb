"""The iCal feeds (URLs are a contract: /calendar.ics, /groups/{slug}/meetings.ics, /feeds/{token}.ics)
and the feed token on /profile: the subscribe links, renewing and revoking the token."""

from collections.abc import Iterator

from sqlalchemy import select
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from calendars import feeds
from calendars.feeds import Feed, Links, Window
from calendars.listing import CalendarFilter, UnknownFilter
from governance.base import utcnow
from governance.errors import NotFound
from governance.groups import find_group
from governance.models import Person
from governance.permissions import actor_for
from governance.times import today
from workspace.access import VOLUNTEER
from workspace.db import Database
from workspace.endpoints import Call, Services, endpoint
from workspace.feeds_http import CALENDAR_TYPE, FeedCall, feed_endpoint, is_fresh, not_modified, validators
from workspace.models import Account

CALENDAR_NAME = "Stadtteilkalender Jena-Nord"  # filter names follow, joined by "·": commas would need escaping
PUBLIC_CACHE = "public, max-age=900"
PRIVATE_CACHE = "private, max-age=900"


# --- the feeds ----------------------------------------------------------------------------------

@feed_endpoint
def calendar_feed(call: FeedCall) -> Response:
    chosen = CalendarFilter.from_pairs(call.request.query_params.multi_items())
    window, links = _window(call), feed_links(call.services)
    try:
        version = feeds.public_version(call.db, chosen, window, links)
    except UnknownFilter as unknown:
        return PlainTextResponse(f"Unbekannter Filterwert: {unknown}", status_code=400)
    if is_fresh(call.request, version):
        return not_modified(version, PUBLIC_CACHE)
    name = f"{CALENDAR_NAME}: {' · '.join(feeds.filter_names(call.db, chosen))}" if chosen else CALENDAR_NAME
    body = _streamed(call.services.database, chosen, window, links, name)
    return StreamingResponse(body, media_type=CALENDAR_TYPE, headers=validators(version, PUBLIC_CACHE))


def _streamed(database: Database, chosen: CalendarFilter, window: Window, links: Links, name: str) -> Iterator[bytes]:
    """The body, read on a session of its own: the request's session is closed once the handler returns."""
    with database.session(write=False) as db:
        yield from feeds.public_feed(db, chosen, window, links, name)


@feed_endpoint
def group_meetings_feed(call: FeedCall) -> Response:
    person = _owner(call, call.request.query_params.get("token", ""))
    group = find_group(call.db, call.request.path_params["slug"])
    if not actor_for(call.db, person, today()).can_read_group(group):
        raise NotFound("group")
    feed = feeds.group_feed(call.db, group, _window(call), feed_links(call.services), f"Sitzungen: {group.name}")
    return _whole(call, feed)


@feed_endpoint
def personal_feed(call: FeedCall) -> Response:
    person = _owner(call, call.request.path_params["token"])
    feed = feeds.personal_feed(call.db, person, _window(call), feed_links(call.services), f"Werkstadt: {person.name}")
    return _whole(call, feed)


def _owner(call: FeedCall, token: str) -> Person:
    """The token's owner, unless their account was deactivated (then the token is as good as revoked)."""
    person = feeds.person_for_token(call.db, token)
    account = call.db.scalar(select(Account).where(Account.person_id == person.id))
    if account is not None and not account.is_active:
        raise NotFound("token")
    return person


def _whole(call: FeedCall, feed: Feed) -> Response:
    if is_fresh(call.request, feed.version):
        return not_modified(feed.version, PRIVATE_CACHE)
    return Response(feed.text.encode(), media_type=CALENDAR_TYPE, headers=validators(feed.version, PRIVATE_CACHE))


def _window(call: FeedCall) -> Window:
    return Window(utcnow(), call.settings.feed_past_days)


def feed_links(services: Services) -> Links:
    """Absolute links back to the site; the event prefix is made once, not once per event."""
    base = services.settings.base_url
    events = base + "/events/"
    return Links(
        event=events.__add__,
        meeting=lambda meeting_id: base + services.url_path("meeting", meeting_id=meeting_id),
        task=lambda task_id: base + services.url_path("tasks"),
        milestone=lambda milestone_id: base + services.url_path("milestone", milestone_id=milestone_id),
        base_url=base,
        shift=lambda shift_id: base + services.url_path("shift", shift_id=shift_id),
    )


# --- the token on /profile ----------------------------------------------------------------------

def subscriptions(call: Call) -> dict:
    """What the profile shows its owner: the personal feed and, for members, each group's meetings feed."""
    person = call.account.person
    token = feeds.token_of(call.db, person)
    if token is None:
        return {"feed_token": None}
    base = call.settings.base_url
    groups = [(group, f"{base}{call.url('group_meetings_feed', slug=group.slug)}?token={token.token}")
              for group in feeds.member_groups(call.db, person, today())] if call.is_member else []
    return {"feed_token": token, "personal_feed_url": base + call.url("personal_feed", token=token.token),
            "group_feeds": groups}


@endpoint(VOLUNTEER)
def renew_feed_token(call: Call) -> Response:
    feeds.renew_token(call.db, call.account.person)
    call.flash("feed_token_renewed")
    return call.redirect(_feeds_section(call))


@endpoint(VOLUNTEER)
def revoke_feed_token(call: Call) -> Response:
    feeds.revoke_token(call.db, call.account.person)
    call.flash("feed_token_revoked")
    return call.redirect(_feeds_section(call))


def _feeds_section(call: Call) -> str:
    """Back to the profile the form was on: a member's /profile, or the volunteer profile (the only one
    a volunteer may open)."""
    pages = [call.url("volunteer_profile"), *([call.url("profile")] if call.is_member else [])]
    back = call.form.get("next")
    return (back if back in pages else pages[-1]) + "#feeds-heading"


routes = [
    Route("/calendar.ics", calendar_feed, methods=["GET"], name="calendar_feed"),
    Route("/groups/{slug}/meetings.ics", group_meetings_feed, methods=["GET"], name="group_meetings_feed"),
    Route("/feeds/{token}.ics", personal_feed, methods=["GET"], name="personal_feed"),
    Route("/profile/feed-token", renew_feed_token, methods=["POST"], name="renew_feed_token"),
    Route("/profile/feed-token/revoke", revoke_feed_token, methods=["POST"], name="revoke_feed_token"),
]
