from django_tasks import task

from .services import delivery_attempt, webhook_deliveries_run_due


@task()
def deliver_webhook(delivery_id: int) -> bool:
    return delivery_attempt(delivery_id=delivery_id)


@task()
def retry_webhooks() -> int:
    return webhook_deliveries_run_due()


@task()
def announce_response(response_id: int, organisation_id: int) -> list[int]:
    from .events import response_payload
    from .services import webhooks_emit

    payload = response_payload(response_id=response_id)
    if payload is None:
        return []
    return webhooks_emit(organisation_id=organisation_id, event="response.submitted", payload=payload)
