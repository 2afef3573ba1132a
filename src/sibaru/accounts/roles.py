"""The roles a user can hold in an organisation, and the pseudo-roles of people outside it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROPOSER_OPERATOR = "proposer_operator", _("Operator pengusul")
    PROVINCE_MONITOR = "province_monitor", _("Pemantau provinsi")
    PLANNING_OFFICER = "planning_officer", _("Petugas perencanaan")
    VERIFIER = "verifier", _("Verifikator")
    # A regional office (Balai/SNVT): field verification of its region's proposals, nothing else.
    FIELD_VERIFIER = "field_verifier", _("Verifikator lapangan")
    DECISION_MAKER = "decision_maker", _("Pejabat penetap")
    COMPLAINT_COORDINATOR = "complaint_coordinator", _("Koordinator pengaduan")
    UNIT_OFFICER = "unit_officer", _("Petugas unit")
    PPID_OFFICER = "ppid_officer", _("Petugas PPID")
    PPID_SUPERIOR = "ppid_superior", _("Atasan PPID")
    EVALUATOR = "evaluator", _("Evaluator")
    ADMINISTRATOR = "administrator", _("Administrator")


class Party(models.TextChoices):
    """Who acts on a case without a staff role: the person who opened it, or the system itself."""

    APPLICANT = "applicant", _("Pemohon/pelapor")
    SYSTEM = "system", _("Sistem")
