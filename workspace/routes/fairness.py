"""The coordinator's view of how the volunteers' hours are spread, for a period, and its CSV export."""

from datetime import date, timedelta
from urllib.parse import urlencode

from starlette.responses import Response
from starlette.routing import Route

from calendars.fairness import SHORT_DAYS, Fairness, fairness, hours_per_volunteer, last_twelve_months
from governance.base import utcnow
from governance.errors import N_
from governance.times import today
from workspace.access import COORDINATOR
from workspace.endpoints import Call, endpoint
from workspace.submission import attempt, whole

BOM = "\ufeff"  # so that Excel in German reads the file as UTF-8, as for the milestone plan
PAGE_DIGITS = 6


@endpoint(COORDINATOR)
def fairness_page(call: Call) -> Response:
    """Figures, chart and one page of the hours table; a bad period is shown next to its field (422)."""
    period = _period(call)
    page = whole(call.request.query_params.get("page"), PAGE_DIGITS) or 1
    found = attempt(call, lambda: fairness(call.db, *period, today(), page=page, now=utcnow()))
    return _render(call, found)


@endpoint(COORDINATOR)
def fairness_csv(call: Call) -> Response:
    """Hours per volunteer of the period, for a spreadsheet: UTF-8 with BOM, `;` between fields."""
    start, end = _period(call)
    rows = attempt(call, lambda: hours_per_volunteer(call.db, start, end))
    if rows is None:
        return _render(call, None)
    text = call.services.renderer.render(call.visitor.language, "fairness/hours.csv", call.context({"rows": rows}))
    name = f"helferstunden-{start:%Y-%m-%d}-bis-{end:%Y-%m-%d}.csv"
    return Response(BOM + text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _period(call: Call) -> tuple[date | None, date | None]:
    """The period from `from` and `to` (ISO dates), the last twelve months by default; kept in the form."""
    first, last = last_twelve_months(today())
    params = call.request.query_params
    call.form.update({"from": params.get("from", first.isoformat()), "to": params.get("to", last.isoformat())})
    return (call.form.date("from", N_("Bitte geben Sie den Anfang des Zeitraums an.")),
            call.form.date("to", N_("Bitte geben Sie das Ende des Zeitraums an.")))


def _render(call: Call, found: Fairness | None) -> Response:
    query = {"from": call.form["from"], "to": call.form["to"]}
    base = call.url("fairness")
    soon = {"first": today().isoformat(), "last": (today() + timedelta(days=SHORT_DAYS)).isoformat()}
    return call.render("fairness/page.html", status=422 if call.form.errors else 200, found=found,
                       csv_url=call.url("fairness_csv") + "?" + urlencode(query),
                       board_url=call.url("shifts") + "?" + urlencode(soon),
                       page_url=lambda number: base + "?" + urlencode({**query, "page": number}))


routes = [
    Route("/fairness", fairness_page, methods=["GET"], name="fairness"),
    Route("/fairness.csv", fairness_csv, methods=["GET"], name="fairness_csv"),
]
