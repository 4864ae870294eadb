"""The one slug rule for URLs and feed filters (design.md, "Contracts shared by several issues")."""

import pytest

from governance.slugs import make_slug


@pytest.mark.parametrize(("text", "slug"), [
    ("Löbstedt", "loebstedt"),
    ("Zwätzen", "zwaetzen"),
    ("Straße der Übergänge", "strasse-der-uebergaenge"),
    ("Senior*innen", "seniorinnen"),
    ("Kindergarten »Weltentdecker«", "kindergarten-weltentdecker"),
    ('Netzwerk "Nord für Nord"', "netzwerk-nord-fuer-nord"),
    ("Jena-Nord", "jena-nord"),
    ("Geflüchtete und Menschen im Übergangswohnen", "gefluechtete-und-menschen-im-uebergangswohnen"),
    ("  Drudel 11 e.V. – Jugendzentrum Polaris ", "drudel-11-e-v-jugendzentrum-polaris"),
])
def test_slug_rule(text, slug):
    assert make_slug(text) == slug
