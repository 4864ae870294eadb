"""The four access rules: volunteers' light accounts reach their own pages, not the network's."""

import pytest

from governance.models import Person
from workspace.access import COORDINATOR, MEMBER, PUBLIC, VOLUNTEER
from workspace.models import Account


def account(kind: str = "member", coordinator: bool = False) -> Account:
    return Account(kind=kind, person=Person(name="X", is_coordinator=coordinator))


@pytest.mark.parametrize("rule, anonymous, volunteer, member, coordinator", [
    (PUBLIC, True, True, True, True),
    (VOLUNTEER, False, True, True, True),
    (MEMBER, False, False, True, True),
    (COORDINATOR, False, False, False, True),
])
def test_who_each_rule_lets_in(rule, anonymous, volunteer, member, coordinator):
    assert [rule.allows(None), rule.allows(account("volunteer")), rule.allows(account()),
            rule.allows(account(coordinator=True))] == [anonymous, volunteer, member, coordinator]


def test_a_volunteer_is_turned_away_from_the_networks_pages(client, make_account):
    from support import log_in

    make_account("helfer@example.org", "Hanna Helfer", kind="volunteer")
    assert log_in(client, "helfer@example.org").status_code == 303
    assert client.get("/groups").status_code == 403
    assert client.get("/calendar").status_code == 200
