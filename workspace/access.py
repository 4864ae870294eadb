"""Who may use a route: every endpoint declares one of these rules (the access-matrix test reads them)."""

from dataclasses import dataclass

from workspace.models import Account


@dataclass(frozen=True)
class Access:
    name: str
    needs_login: bool
    needs_member: bool = False
    needs_coordinator: bool = False
    checks_csrf: bool = True

    def allows(self, account: Account | None) -> bool:
        if not self.needs_login:
            return True
        if account is None:
            return False
        if account.person.is_coordinator:
            return True
        return not self.needs_coordinator and (not self.needs_member or account.kind == "member")


PUBLIC = Access("public", needs_login=False)
VOLUNTEER = Access("volunteer", needs_login=True)  # anyone logged in, a volunteer's light account too
MEMBER = Access("member", needs_login=True, needs_member=True)  # members of the network
# The one-click links in reminder mails: the keyed token in the URL is the proof (like a CSRF token),
# and a mail program's List-Unsubscribe-Post (RFC 8058) comes without any cookie.
MAIL_LINK = Access("mail link", needs_login=False, checks_csrf=False)
COORDINATOR = Access("coordinator", needs_login=True, needs_member=True, needs_coordinator=True)
