"""Background work of text analytics (django-tasks)."""

from django_tasks import task

from .services import comment_run_execute, comments_analyse_for_response


@task()
def analyse_response_comments(response_id: int) -> int:
    return comments_analyse_for_response(response_id=response_id).analysed


@task()
def reanalyse_comments(run_id: int) -> int:
    """A run requested on the theme view or after a bulk import; returns the comments processed."""
    run = comment_run_execute(run_id=run_id)
    return run.processed if run else 0
