"""Steps that form routes share: the row a select names, and running the domain operation on a clean form."""

import re
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import select

from governance.errors import N_, DomainError
from workspace.endpoints import Call

T = TypeVar("T")
NOT_OFFERED = N_("Bitte wählen Sie einen der angebotenen Werte.")


def chosen(call: Call, model: type[T], field: str) -> T | None:
    """The row a select names by id, None for the empty choice; an unknown id is an error on the field."""
    row_id = call.form.integer(field)
    if row_id is None:
        return None
    row = call.db.get(model, row_id)
    if row is None:
        call.form.add_error(DomainError(field, NOT_OFFERED))
    return row


def chosen_all(call: Call, model: type[T], field: str) -> list[T]:
    """The rows a list of checkboxes names by id; an id that names nothing is an error on the field."""
    ids = {whole(value, 18) for value in call.form.getlist(field)}
    rows = list(call.db.scalars(select(model).where(model.id.in_(ids - {None})))) if ids else []
    if len(rows) != len(ids):
        call.form.add_error(DomainError(field, NOT_OFFERED))
    return rows


def attempt(call: Call, operation: Callable[[], T]) -> T | None:
    """Run the domain operation unless the form already has errors; its DomainError joins them."""
    if call.form.errors:
        return None
    try:
        return operation()
    except DomainError as error:
        call.form.add_error(error)
        return None


def whole(value: str | None, digits: int) -> int | None:
    """A whole number of at most `digits` ASCII digits, or None: for values in URLs and hidden fields."""
    return int(value) if value and re.fullmatch(f"[0-9]{{1,{digits}}}", value) else None


def loaded_version(call: Call) -> int | None:
    """The version the form was loaded with; a missing or garbled one counts as stale."""
    return whole(call.form.get("version"), 9)
