"""Every API router, in one list so that no module has to edit api.py to add one."""

ROUTERS: list = []
