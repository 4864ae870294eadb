"""Operations on organisations and on the areas and target groups they serve."""

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from governance.errors import N_, DomainError
from governance.models import Area, Organisation, TargetGroup
from governance.models.organisations import ORGANISATION_KINDS
from governance.slugs import make_slug


def create_area(db: Session, name: str) -> Area:
    area = Area(name=name, slug=make_slug(name))
    db.add(area)
    db.flush()
    return area


def create_target_group(db: Session, name: str) -> TargetGroup:
    group = TargetGroup(name=name, slug=make_slug(name))
    db.add(group)
    db.flush()
    return group


def create_organisation(
    db: Session, name: str, kind: str, area: Area | None = None, description: str = ""
) -> Organisation:
    if kind not in ORGANISATION_KINDS:
        raise DomainError("kind", N_("Unbekannte Art der Organisation."))
    organisation = Organisation(
        name=name, slug=make_slug(name), kind=kind, area=area, description=description
    )
    db.add(organisation)
    db.flush()
    return organisation


def list_organisations(db: Session) -> list[Organisation]:
    query = select(Organisation).options(selectinload(Organisation.area)).order_by(Organisation.name)
    return list(db.scalars(query))


def list_areas(db: Session) -> list[Area]:
    return list(db.scalars(select(Area).order_by(Area.name)))


def list_target_groups(db: Session) -> list[TargetGroup]:
    return list(db.scalars(select(TargetGroup).order_by(TargetGroup.name)))
