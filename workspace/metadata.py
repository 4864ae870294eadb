"""The metadata of every model in every package, for Alembic and the migrations check."""

import calendars.models  # noqa: F401
import governance.models  # noqa: F401
import workspace.models  # noqa: F401
from governance.base import Base

metadata = Base.metadata
