from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrialConfig(AppConfig):
    name = "sibaru.trial"
    verbose_name = _("Layanan uji coba")

    def ready(self):
        from sibaru.trial import workflow  # noqa: F401  (registers the workflow)
