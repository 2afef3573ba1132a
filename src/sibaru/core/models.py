"""The case engine's data: cases, their hash-chained events, attachments, the notification outbox,
working-day overrides and idempotency keys. No workflow logic lives here (see workflow.py, services.py)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Privacy(models.TextChoices):
    PUBLIC = "public", _("Terbuka")
    CONFIDENTIAL = "confidential", _("Rahasia")
    ANONYMOUS = "anonymous", _("Anonim")


class DayType(models.TextChoices):
    WORKING = "working", _("hari kerja")
    CALENDAR = "calendar", _("hari kalender")


class Case(models.Model):
    """Anything someone outside asks of the ministry. Each service's own model links one-to-one to it."""

    tracking_code = models.CharField(_("nomor pelacakan"), max_length=24, unique=True)
    kind = models.CharField(_("jenis"), max_length=30)
    state = models.CharField(_("status"), max_length=40)
    subject = models.CharField(_("perihal"), max_length=200, blank=True)
    privacy = models.CharField(_("privasi"), max_length=12, choices=Privacy.choices, default=Privacy.PUBLIC)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("organisasi pemilik"),
    )
    handler = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_cases",
        verbose_name=_("unit penanggung jawab"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, db_constraint=False, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    state_entered_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The deadline of the current state: `due_days` days of `due_day_type` counted after `due_start`.
    # Kept so that `due_date` can be recomputed when the calendar changes and explained to anyone.
    due_start = models.DateField(null=True, blank=True)
    due_days = models.PositiveSmallIntegerField(null=True, blank=True)
    due_day_type = models.CharField(max_length=10, choices=DayType.choices, blank=True)
    due_date = models.DateField(_("batas waktu"), null=True, blank=True)
    extended_due_date = models.DateField(_("batas waktu perpanjangan"), null=True, blank=True)
    # While the clock is paused (a state that waits for the applicant): the days of `due_day_type` that
    # were left of the deadline when it stopped; they continue from the day the case resumes.
    due_paused_days = models.PositiveSmallIntegerField(null=True, blank=True)
    # Head of the event hash chain, so appending needs no scan.
    last_event_seq = models.PositiveIntegerField(default=0)
    last_event_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("kasus")
        verbose_name_plural = _("kasus")
        indexes = [
            models.Index(fields=["-updated_at", "-id"], name="case_recent"),
            models.Index(fields=["kind", "state"], name="case_kind_state"),
            models.Index(fields=["due_date"], name="case_due"),
            models.Index(fields=["handler", "-updated_at"], name="case_handler_recent"),
            models.Index(fields=["organisation", "-updated_at"], name="case_org_recent"),
            models.Index(fields=["region"], name="case_region"),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def effective_due_date(self):
        return self.extended_due_date or self.due_date


class Event(models.Model):
    """One entry of a case's append-only timeline; `hash` covers its content and the previous hash."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_role = models.CharField(max_length=30, blank=True)
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=40, blank=True)
    to_state = models.CharField(max_length=40, blank=True)
    note = models.TextField(blank=True)
    public = models.BooleanField(default=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["case", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="event_case_seq")]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.action}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Stored under the content hash, never under the uploader's name.
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, null=True, blank=True, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    public = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class Notification(models.Model):
    """The outbox: written in the same transaction as the event, delivered later by a worker."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        IN_APP = "in_app", _("Dalam aplikasi")

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    email = models.EmailField(blank=True)
    language = models.CharField(max_length=5, default="id")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "channel"], name="notification_outbox"),
            models.Index(fields=["user", "read_at"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.email or self.user_id}: {self.subject}"


class WorkingDayOverride(models.Model):
    """An administrator's correction of the holiday calendar, with the decree that set it."""

    date = models.DateField(_("tanggal"), unique=True)
    is_working_day = models.BooleanField(
        _("hari kerja"), help_text=_("Centang bila tanggal ini hari kerja; kosongkan bila hari libur.")
    )
    name = models.CharField(_("keterangan"), max_length=150)
    decree = models.CharField(_("dasar keputusan"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("koreksi hari kerja")
        verbose_name_plural = _("koreksi hari kerja")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class IdempotencyKey(models.Model):
    """Makes a repeated submission return the first result instead of creating a second case."""

    scope = models.CharField(max_length=100)
    key = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotency_scope_key")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


def export_path(instance: "ExportJob", filename: str) -> str:
    # A random name: the file is reached only through its owner's download view, never by guessing a path.
    return f"exports/{secrets.token_urlsafe(24)}.xlsx"


class ExportJob(models.Model):
    """One XLSX export of a list, written in the background for the user who asked (core/exports.py).

    It keeps the list's filters, not its rows: the task reads the list again as that user, through the
    page's own selector, so the file never holds more than the page would show them."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu diproses")
        RUNNING = "running", _("Sedang disusun")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The dotted path of the list's ListExport (e.g. "sibaru.workspace.views.INBOX_EXPORT").
    source = models.CharField(max_length=200)
    name = models.CharField(max_length=60)  # the file's stem, e.g. "kotak-masuk"
    filters = models.JSONField(default=dict, blank=True)
    filters_hash = models.CharField(max_length=64)
    language = models.CharField(max_length=10, default="id")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(upload_to=export_path, max_length=200, blank=True)
    failure = models.CharField(max_length=40, blank=True)  # a code; exports.py words it in the reader's language
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("unduhan daftar")
        verbose_name_plural = _("unduhan daftar")
        constraints = [
            # A double click (or two tabs) while the first export is still being written reuses it.
            models.UniqueConstraint(
                fields=["owner", "source", "filters_hash"],
                condition=models.Q(status__in=["queued", "running"]),
                name="exportjob_one_active",
            )
        ]
        indexes = [models.Index(fields=["expires_at"], name="exportjob_expiry")]

    def __str__(self) -> str:
        return f"{self.name} #{self.pk} ({self.status})"
