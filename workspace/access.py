"""Who may use a route: every endpoint declares one of these rules (the access-matrix test reads them)."""

from dataclasses import dataclass

from workspace.models import Account


@dataclass(frozen=True)
class Access:
    name: str
    needs_login: bool
    needs_coordinator: bool = False

    def allows(self, account: Account | None) -> bool:
        if not self.needs_login:
            return True
        if account is None:
            return False
        return account.person.is_coordinator or not self.needs_coordinator


PUBLIC = Access("public", needs_login=False)
MEMBER = Access("member", needs_login=True)
COORDINATOR = Access("coordinator", needs_login=True, needs_coordinator=True)
