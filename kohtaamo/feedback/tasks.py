"""Background work of feedback collection (django-tasks; a `db_worker` runs them in production)."""

from django_tasks import task

from .invitations import invitation_send, invitations_send_reminders


@task()
def send_invitation(invitation_id: int) -> bool:
    return invitation_send(invitation_id=invitation_id)


@task()
def send_reminders() -> int:
    return invitations_send_reminders()
