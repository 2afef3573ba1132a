"""The notification outbox: rows written in the case's transaction, delivered afterwards by a worker.

Nothing is sent inside a request. After the transaction commits, a task delivers the new rows; the
`deliver_notifications` command (run periodically) retries what is still pending after a failure or a
crash, so an acknowledged submission never loses its e-mail.
"""

import functools
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from sibaru.accounts.models import Membership, User
from sibaru.core.models import Case, Event, Notification

logger = logging.getLogger(__name__)


def _staff_recipients(case: Case, state) -> list[User]:
    """The state's actors in the handler organisation (or the case's assignee), then its `also_notify` staff."""
    organisation_id = case.handler_id or case.organisation_id
    users: list[User] = []
    if state.actor and organisation_id:
        if case.assignee_id:
            users = [case.assignee]
        else:
            users = [
                m.user
                for m in Membership.objects.filter(organisation_id=organisation_id, role=state.actor,
                                                   user__is_active=True)
                .select_related("user")
                .order_by("user_id")
            ]
    if state.also_notify:
        users += state.also_notify(case)
    # A person in both groups is told once.
    return list({user.pk: user for user in users}.values())


def notifications_queue(*, case: Case, event: Event, flow, recipients) -> list[Notification]:
    """Write the notifications of one event; called inside the engine's transaction."""
    state = flow.state(case.state)
    rows: list[Notification] = []

    # Every recipient of one language and audience gets the same text: each pair is rendered once.
    @functools.cache
    def message(language: str, audience: str) -> tuple[str, str]:
        with translation.override(language):
            context = {"case": case, "event": event, "flow": flow, "state": state, "audience": audience,
                       "site_url": settings.SITE_URL}
            subject = render_to_string("core/notification_subject.txt", context).strip()
            body = render_to_string("core/notification_body.txt", context)
        return subject[:200], body

    if "applicant" in recipients and event.public and flow.applicant_contact:
        contacts = flow.applicant_contact(case) or []
        for contact in [contacts] if isinstance(contacts, tuple | User) else contacts:
            # A user (an organisation's staff applying) is told in the app too, and the e-mail is linked to them.
            user = contact if isinstance(contact, User) else None
            email, language = (user.email, user.language) if user else (contact[0], contact[2])
            subject, body = message(language, "applicant")
            if user:
                rows.append(Notification(case=case, event=event, channel=Notification.Channel.IN_APP, user=user,
                                         language=language, subject=subject, body=body,
                                         status=Notification.Status.SENT, sent_at=timezone.now()))
            if email:
                rows.append(Notification(case=case, event=event, channel=Notification.Channel.EMAIL, user=user,
                                         email=email, language=language, subject=subject, body=body))
    if "handler" in recipients:
        for user in _staff_recipients(case, state):
            subject, body = message(user.language, "staff")
            rows.append(Notification(case=case, event=event, channel=Notification.Channel.IN_APP, user=user,
                                     language=user.language, subject=subject, body=body,
                                     status=Notification.Status.SENT, sent_at=timezone.now()))
            rows.append(Notification(case=case, event=event, channel=Notification.Channel.EMAIL, user=user,
                                     email=user.email, language=user.language, subject=subject, body=body))
    if not rows:
        return []
    Notification.objects.bulk_create(rows)
    email_ids = [n.pk for n in rows if n.channel == Notification.Channel.EMAIL]
    if email_ids:
        transaction.on_commit(lambda: _enqueue(email_ids))
    return rows


def _enqueue(ids: list[int]) -> None:
    from sibaru.core.tasks import deliver_notifications

    try:
        deliver_notifications.enqueue(ids)
    except Exception:  # the periodic sweep delivers it later; the submission itself is safe
        logger.exception("Could not enqueue notifications %s", ids)


def notifications_deliver(ids: list[int] | None = None) -> tuple[int, int]:
    """Send pending e-mail notifications (the given ones, or all pending). Returns (sent, failed)."""
    pending = Notification.objects.filter(channel=Notification.Channel.EMAIL, status=Notification.Status.PENDING)
    if ids is not None:
        pending = pending.filter(pk__in=ids)
    sent = failed = 0
    for notification in pending.order_by("pk").iterator():
        # Claim the row so two workers never send the same e-mail.
        claimed = Notification.objects.filter(
            pk=notification.pk, status=Notification.Status.PENDING, attempts=notification.attempts
        ).update(attempts=notification.attempts + 1)
        if not claimed:
            continue
        try:
            send_mail(notification.subject, notification.body, None, [notification.email], fail_silently=False)
        except Exception as error:  # SMTP errors of every kind: record, retry later, give up after N tries
            failed += 1
            give_up = notification.attempts + 1 >= settings.NOTIFICATION_MAX_ATTEMPTS
            Notification.objects.filter(pk=notification.pk).update(
                last_error=str(error)[:1000],
                status=Notification.Status.FAILED if give_up else Notification.Status.PENDING,
            )
            logger.warning("Notification %s not sent: %s", notification.pk, error)
        else:
            sent += 1
            Notification.objects.filter(pk=notification.pk).update(
                status=Notification.Status.SENT, sent_at=timezone.now(), last_error=""
            )
    return sent, failed


def notifications_mark_read(*, user) -> int:
    """Mark all of the user's in-app notifications read; returns how many were unread."""
    return Notification.objects.filter(user=user, channel=Notification.Channel.IN_APP, read_at=None).update(
        read_at=timezone.now()
    )
