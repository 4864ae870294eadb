"""Form bodies as browsers send them: repeated fields (lists of checkboxes) keep every value; dates
from forms, paths and queries read by one rule."""

from datetime import date

import pytest

from workspace.forms import Form, parse_urlencoded, plausible_date


def test_a_list_of_checkboxes_keeps_every_value_in_order():
    form = parse_urlencoded(b"weekdays=WE&title=Fest&weekdays=FR&weekdays=WE")
    assert form.getlist("weekdays") == ["WE", "FR", "WE"]
    assert form.getlist("title") == ["Fest"]
    assert form.getlist("missing") == []
    assert form.choices("weekdays", ("MO", "WE", "FR")) == ["WE", "FR"] and form.errors == {}


def test_a_value_not_offered_is_an_error_on_the_list():
    form = parse_urlencoded(b"weekdays=WE&weekdays=XX")
    assert form.choices("weekdays", ("WE",)) == ["WE"]
    assert form.errors["weekdays"].message == "Bitte wählen Sie einen der angebotenen Werte."


def test_a_prefilled_list_is_read_back_and_cleared_with_the_form():
    form = Form({"title": "Fest"})
    form.setlist("partners", ["3", "7"])
    assert form.getlist("partners") == ["3", "7"]
    form.clear()
    assert form.getlist("partners") == [] and form == {}


@pytest.mark.parametrize("value", ["0000-01-01", "9999-12-29", "1899-12-31", "2200-01-01", "2026-02-30", "2026-13-01",
                                   "20260213", "2026-W07-1", "2026-1-01", "２０２６-01-01", "2026-01-01x"])
def test_a_date_from_outside_is_read_only_as_yyyy_mm_dd_in_plausible_years(value):
    assert plausible_date(value) is None
    form = Form({"day": value})
    assert form.date("day", "Bitte ein Datum.") is None and "day" in form.errors


def test_the_first_and_last_plausible_days_are_read():
    assert (plausible_date("1900-01-01"), plausible_date("2199-12-31")) == (date(1900, 1, 1), date(2199, 12, 31))
    assert Form({"day": "2026-02-28"}).date("day") == date(2026, 2, 28)
