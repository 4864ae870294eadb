"""Form bodies as browsers send them: repeated fields (lists of checkboxes) keep every value."""

from workspace.forms import Form, parse_urlencoded


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
