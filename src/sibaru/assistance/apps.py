from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "sibaru.assistance"
    verbose_name = _("Bantuan perumahan")

    def ready(self):
        from sibaru.assistance import workflow  # noqa: F401  (registers the four proposal workflows)
