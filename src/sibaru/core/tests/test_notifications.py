"""The outbox: notifications are written with the event and delivered by the worker over real SMTP."""

import socket
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.test import override_settings

from sibaru.core.models import Case, Notification
from sibaru.core.services import case_apply_action

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    """A real SMTP server on loopback; the tests point Django's SMTP backend at it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    inbox.port = controller.port
    with override_settings(MAILERS=smtp_mailer(controller.port)):
        yield inbox
    controller.stop()


def smtp_mailer(port: int) -> dict:
    return {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                        "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5}}}


def _run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


# Committed for real: the worker is a separate consumer of the queue and closes its connections.
@pytest.mark.django_db(transaction=True)
def test_the_applicant_and_the_handlers_are_notified_through_the_worker(orgs, regions, people, smtp_server):
    from sibaru.trial.services import trial_request_submit

    case = trial_request_submit(name="Siti", email="siti@example.test", message="Pertanyaan tentang BSPS",
                                region=regions["3273"])
    assert Case.objects.filter(pk=case.pk).exists()
    # Nothing is sent inside the request: the rows wait in the outbox for the worker.
    assert smtp_server.messages == []
    pending = Notification.objects.filter(case=case, channel="email", status="pending")
    assert {n.email for n in pending} == {"siti@example.test", "coordinator@example.test"}
    in_app = Notification.objects.get(case=case, channel="in_app")
    assert in_app.user == people["coordinator"]

    _run_worker()

    recipients = sorted(r for rcpt, _ in smtp_server.messages for r in rcpt)
    assert recipients == ["coordinator@example.test", "siti@example.test"]
    to_applicant = next(m for rcpt, m in smtp_server.messages if rcpt == ["siti@example.test"])
    assert case.tracking_code in to_applicant["Subject"]
    body = to_applicant.get_payload(decode=True).decode()
    assert f"/lacak/{case.tracking_code}/" in body
    assert not Notification.objects.filter(case=case, status="pending").exists()


def test_an_internal_note_tells_nobody(trial_case, people, django_capture_on_commit_callbacks):
    before = Notification.objects.count()
    case_apply_action(case=trial_case, action="add_note", user=people["coordinator"], note="internal")
    assert Notification.objects.count() == before


def test_a_failed_delivery_stays_pending_and_is_retried(trial_case, smtp_server, settings):
    settings.MAILERS = smtp_mailer(_free_port())  # nothing listens there: the first attempt fails
    call_command("deliver_notifications", verbosity=0)
    failed = Notification.objects.get(case=trial_case, email="siti@example.test")
    assert (failed.status, failed.attempts) == ("pending", 1)
    assert failed.last_error

    settings.MAILERS = smtp_mailer(smtp_server.port)  # the server is back
    call_command("deliver_notifications", verbosity=0)
    failed.refresh_from_db()
    assert failed.status == "sent"
    assert any(rcpt == ["siti@example.test"] for rcpt, _ in smtp_server.messages)


def test_delivery_gives_up_after_the_maximum_attempts(trial_case, settings):
    settings.MAILERS = smtp_mailer(_free_port())
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    call_command("deliver_notifications", verbosity=0)
    call_command("deliver_notifications", verbosity=0)
    row = Notification.objects.get(case=trial_case, email="siti@example.test")
    assert (row.status, row.attempts) == ("failed", 2)
