"""Background work of text analytics (django-tasks)."""

from django_tasks import task

from .services import comments_analyse_for_response


@task()
def analyse_response_comments(response_id: int) -> int:
    return comments_analyse_for_response(response_id=response_id).analysed
