"""The milestone plan: the timeline or its table, filtered by focus, group and standing; CSV and print."""

from urllib.parse import urlencode

from starlette.responses import Response
from starlette.routing import Route

from governance.milestone_plan import STANDINGS, PlanFilter, milestone_plan, responsible_groups
from governance.models import Programme
from governance.programmes import current_programme, extensions_of, original_end
from governance.times import today
from workspace.access import MEMBER
from workspace.endpoints import Call, endpoint
from workspace.submission import whole
from workspace.timeline import Timeline

BOM = "\ufeff"  # so that Excel in German reads the file as UTF-8
VIEWS = ("timeline", "table")


@endpoint(MEMBER)
def plan_page(call: Call) -> Response:
    """The whole page; an htmx request from the filters gets only the plan (the URL keeps the filters)."""
    block = "milestone_plan" if call.is_htmx else None
    return call.render("milestones/plan.html", block=block, **_plan_context(call, paged=True))


@endpoint(MEMBER)
def plan_csv(call: Call) -> Response:
    context = call.context(_plan_context(call))
    text = call.services.renderer.render(call.visitor.language, "milestones/plan.csv", context)
    name = f"meilensteine-{today():%Y-%m-%d}.csv"
    return Response(BOM + text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@endpoint(MEMBER)
def plan_print(call: Call) -> Response:
    return call.render("milestones/print.html", **_plan_context(call))


def _plan_context(call: Call, paged: bool = False) -> dict:
    """Everything the plan shows, the same for the page (one page of rows), its blocks, the CSV and print."""
    programme = current_programme(call.db)
    if programme is None:
        return {"programme": None, "actor": call.actor}
    groups = responsible_groups(call.db, programme)
    filters = _filters(call, programme, groups)
    plan = milestone_plan(call.db, programme, filters, today())
    extensions = extensions_of(call.db, programme)
    params = call.request.query_params
    view = params.get("view") if params.get("view") in VIEWS else "timeline"
    plan_url = call.url("milestones")
    return {
        "programme": programme, "filters": filters, "groups": groups, "standings": STANDINGS,
        "plan": plan.page(whole(params.get("page"), 6) or 1) if paged else plan,
        "extensions": extensions, "original_end": original_end(programme, extensions), "today": today(),
        "timeline": Timeline.spanning(programme.starts_on, programme.ends_on, plan.days),
        "view": view, "actor": call.actor, "query": _query(filters), "plan_url": plan_url,
        "view_url": lambda chosen: plan_url + _query(filters, chosen),
        "page_url": lambda number: plan_url + _query(filters, view, number),
    }


def _filters(call: Call, programme: Programme, groups: list) -> PlanFilter:
    """Filters it does not know (a stale link, a tampered URL) are left out rather than refused."""
    params = call.request.query_params
    focus_id = whole(params.get("focus"), 9)
    return PlanFilter(
        focus=next((focus for focus in programme.focuses if focus.id == focus_id), None),
        without_focus=params.get("focus") == "none",
        group=next((group for group in groups if group.slug == params.get("group")), None),
        state=params.get("status") if params.get("status") in STANDINGS else None,
    )


def _query(filters: PlanFilter, view: str = "timeline", page: int = 1) -> str:
    """The filters (and a view or page other than the first) as a query string, "" without any."""
    params = {"focus": str(filters.focus.id) if filters.focus else ("none" if filters.without_focus else None),
              "group": filters.group.slug if filters.group else None, "status": filters.state,
              "view": view if view != "timeline" else None, "page": str(page) if page > 1 else None}
    chosen = {name: value for name, value in params.items() if value}
    return "?" + urlencode(chosen) if chosen else ""


routes = [
    Route("/milestones", plan_page, methods=["GET"], name="milestones"),
    Route("/milestones.csv", plan_csv, methods=["GET"], name="milestones_csv"),
    Route("/milestones/print", plan_print, methods=["GET"], name="milestones_print"),
]
