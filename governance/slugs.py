"""Slugs for URLs and feed filters, by the project's one rule (design.md, "Contracts")."""

from slugify import slugify

# German letters are transliterated, gender stars and quotes vanish, every other run becomes "-".
_REPLACEMENTS = [
    ["Ä", "Ae"], ["Ö", "Oe"], ["Ü", "Ue"], ["ä", "ae"], ["ö", "oe"], ["ü", "ue"], ["ß", "ss"],
    ["*", ""], ['"', ""], ["'", ""], ["»", ""], ["«", ""], ["„", ""], ["“", ""], ["”", ""],
    ["‚", ""], ["‘", ""], ["’", ""],
]


def make_slug(text: str) -> str:
    return slugify(text, replacements=_REPLACEMENTS, max_length=80, word_boundary=True)
