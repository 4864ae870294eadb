"""Routes, one module per area; each exports `routes`, a list the app mounts in order."""

from starlette.convertors import IntegerConvertor, register_url_convertor


class BoundedIntConvertor(IntegerConvertor):
    """`{id:int}` takes at most 18 digits: a larger number would overflow the database's integers.

    Registered here, before any route module compiles its paths.
    """

    regex = "[0-9]{1,18}"


register_url_convertor("int", BoundedIntConvertor())
