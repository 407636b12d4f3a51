"""Every API router, in one list so that no module has to edit api.py to add one."""

ROUTERS: list = []

from . import encounters  # noqa: E402

ROUTERS.append(("/organisations", encounters.router))

from . import metrics  # noqa: E402

ROUTERS.append(("/organisations", metrics.router))
