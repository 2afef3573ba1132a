from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InformationConfig(AppConfig):
    name = "sibaru.information"
    verbose_name = _("Informasi publik (PPID)")

    def ready(self):
        from sibaru.information import workflow  # noqa: F401  (registers the workflows)
