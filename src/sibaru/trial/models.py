"""The trial service: a minimal kind of case that exercises the whole case engine (form, tracking code,
attachments, workflow, deadlines, notifications) until the real services replace it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TrialRequest(models.Model):
    case = models.OneToOneField("core.Case", on_delete=models.PROTECT, related_name="trial_request")
    name = models.CharField(_("nama"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    message = models.TextField(_("pesan"))
    language = models.CharField(max_length=5, default="id")

    class Meta:
        verbose_name = _("permintaan uji coba")
        verbose_name_plural = _("permintaan uji coba")

    def __str__(self) -> str:
        return str(self.case_id)
