"""Background tasks of the case engine, run by `manage.py db_worker`."""

from django.tasks import task

from sibaru.core.exports import export_job_run
from sibaru.core.notifications import notifications_deliver


@task()
def deliver_notifications(ids: list[int]) -> dict:
    sent, failed = notifications_deliver(ids)
    return {"sent": sent, "failed": failed}


@task()
def run_export(job_id: int) -> dict:
    return export_job_run(job_id)
