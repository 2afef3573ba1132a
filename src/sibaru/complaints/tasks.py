"""Background work of the complaint service, run by `manage.py db_worker` (or `manage.py complaints_sweep`)."""

from django.tasks import task

from sibaru.complaints.services import complaints_sweep


@task()
def sweep_complaints() -> dict:
    return complaints_sweep()
