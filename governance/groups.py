"""Operations on groups and memberships: the three levels and who belongs where."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from governance.errors import N_, DomainError, NotFound
from governance.models import Focus, Group, Membership, Organisation, Person
from governance.models.groups import LEVELS, PARENT_LEVEL, ROLES
from governance.slugs import make_slug

MAX_CODE = 10


def create_group(
    db: Session, name: str, code: str, level: str, parent: Group | None = None,
    purpose: str = "", focus: Focus | None = None,
) -> Group:
    group = Group(name=name.strip(), slug=make_slug(name), code=code.strip().upper(), level=level,
                  purpose=purpose.strip(), focus=focus)
    _check_group(db, group, parent)
    group.parent = parent
    db.add(group)
    db.flush()
    return group


def update_group(
    db: Session, group: Group, name: str, code: str, level: str, parent: Group | None,
    purpose: str, focus: Focus | None,
) -> Group:
    group.name, group.code, group.level = name.strip(), code.strip().upper(), level
    group.purpose, group.focus = purpose.strip(), focus
    _check_group(db, group, parent)
    group.parent = parent
    db.flush()
    return group


def _check_group(db: Session, group: Group, parent: Group | None) -> None:
    if not group.name:
        raise DomainError("name", N_("Bitte geben Sie einen Namen an."))
    if not group.code or len(group.code) > MAX_CODE or not group.code.isalnum():
        raise DomainError("code", N_("Das Kürzel besteht aus 1 bis %(max)s Buchstaben oder Ziffern."), max=MAX_CODE)
    if group.level not in LEVELS:
        raise DomainError("level", N_("Diese Ebene gibt es nicht."))
    _check_parent(group, parent)
    _check_unique(db, group)


def _check_parent(group: Group, parent: Group | None) -> None:
    """working → planning → steering; a steering group has no parent; no group is its own ancestor."""
    expected = PARENT_LEVEL[group.level]
    if expected is None and parent is not None:
        raise DomainError("parent", N_("Eine Steuerungsgruppe hat keine übergeordnete Gruppe."))
    if expected is not None and (parent is None or parent.level != expected):
        messages = {"steering": N_("Eine Planungsgruppe gehört zu einer Steuerungsgruppe."),
                    "planning": N_("Eine Arbeitsgruppe gehört zu einer Planungsgruppe.")}
        raise DomainError("parent", messages[expected])
    ancestor = parent
    while ancestor is not None:
        if ancestor is group:
            raise DomainError("parent", N_("Eine Gruppe kann nicht unter sich selbst stehen."))
        ancestor = ancestor.parent


def _check_unique(db: Session, group: Group) -> None:
    for field, value, message in (
        ("name", group.name, N_("Eine Gruppe mit diesem Namen gibt es schon.")),
        ("code", group.code, N_("Dieses Kürzel ist schon vergeben.")),
    ):
        other = db.scalar(select(Group).where(getattr(Group, field) == value, Group.id != group.id))
        if other is not None:
            raise DomainError(field, message)


def find_group(db: Session, slug: str) -> Group:
    group = db.scalar(select(Group).where(Group.slug == slug))
    if group is None:
        raise NotFound("group")
    return group


def list_groups(db: Session) -> list[Group]:
    return list(db.scalars(select(Group).order_by(Group.name)))


def group_tree(db: Session) -> list[Group]:
    """The steering groups, each with its children and grandchildren loaded (three levels)."""
    query = (select(Group).where(Group.parent_id.is_(None)).order_by(Group.name)
             .options(selectinload(Group.children).selectinload(Group.children)))
    return list(db.scalars(query))


def add_membership(
    db: Session, group: Group, person: Person, role: str, organisation: Organisation | None = None,
    starts_on: date | None = None, ends_on: date | None = None,
) -> Membership:
    if role not in ROLES:
        raise DomainError("role", N_("Diese Rolle gibt es nicht."))
    if starts_on and ends_on and ends_on < starts_on:
        raise DomainError("ends_on", N_("Das Ende liegt vor dem Beginn."))
    existing = db.scalar(select(Membership).where(Membership.group_id == group.id,
                                                  Membership.person_id == person.id))
    if existing is not None:
        raise DomainError("person", N_("Diese Person gehört der Gruppe schon an."))
    membership = Membership(group=group, person=person, role=role, organisation=organisation,
                            starts_on=starts_on, ends_on=ends_on)
    db.add(membership)
    db.flush()
    return membership


def remove_membership(db: Session, membership: Membership) -> None:
    db.delete(membership)
    db.flush()


def current_members(db: Session, group: Group, today: date) -> list[Membership]:
    query = (select(Membership).where(Membership.group_id == group.id)
             .options(selectinload(Membership.person), selectinload(Membership.organisation))
             .order_by(Membership.id))
    return [membership for membership in db.scalars(query) if membership.is_current(today)]


def find_membership(db: Session, group: Group, membership_id: int) -> Membership:
    membership = db.get(Membership, membership_id)
    if membership is None or membership.group_id != group.id:
        raise NotFound("membership")
    return membership
