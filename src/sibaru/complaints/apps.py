from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "sibaru.complaints"
    verbose_name = _("Pengaduan")

    def ready(self):
        from sibaru.complaints import workflow  # noqa: F401  (registers the workflow)
