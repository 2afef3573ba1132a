"""Background tasks of the case engine, run by `manage.py db_worker`."""

from django.tasks import task

from sibaru.core.notifications import notifications_deliver


@task()
def deliver_notifications(ids: list[int]) -> dict:
    sent, failed = notifications_deliver(ids)
    return {"sent": sent, "failed": failed}
