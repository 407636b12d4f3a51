from django_tasks import task

from .services import case_open_for_response, cases_escalate_overdue, resurvey_attach


@task()
def followup_for_response(response_id: int) -> int | None:
    resurvey_attach(response_id=response_id)
    case = case_open_for_response(response_id=response_id)
    return case.pk if case else None


@task()
def escalate_overdue() -> int:
    return cases_escalate_overdue()
