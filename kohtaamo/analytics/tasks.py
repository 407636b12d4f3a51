"""Background work of analytics (django-tasks)."""

from django_tasks import task

from kohtaamo.organisations.models import Organisation

from .rollup import response_rollup_compact


@task()
def compact_rollup(organisation_id: int) -> int:
    """Merge the organisation's appended rollup entries (rows merged away)."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    return 0 if organisation is None else response_rollup_compact(organisation=organisation)
