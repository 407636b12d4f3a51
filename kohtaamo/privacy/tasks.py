"""Background work of privacy (django-tasks): the daily retention run."""

from django_tasks import task

from .retention import retention_enforce


@task()
def enforce_retention() -> int:
    """Wipe expired customer contact details in every organisation; returns how many customers."""
    return retention_enforce().expired
