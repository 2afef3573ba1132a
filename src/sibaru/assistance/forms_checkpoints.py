"""The planning officer's forms for the programming-cycle checkpoints: one proposal (review page) or several
at once. They validate input; the services check the role, the state and the budget year."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sibaru.assistance.forms import Form
from sibaru.assistance.models import PlanningCheckpoint, ProposalCheckpoint


class CheckpointMarkForm(Form):
    checkpoint = forms.ModelChoiceField(
        label=_("Tahapan pemrograman"), queryset=PlanningCheckpoint.objects.none(), empty_label=_("Pilih tahapan"),
        error_messages={"required": _("Pilih tahapan pemrograman."),
                        "invalid_choice": _("Pilih tahapan tahun anggaran usulan.")},
    )
    passed_on = forms.DateField(
        label=_("Tanggal dilalui"), widget=forms.DateInput(attrs={"type": "date", "class": "input-short"}),
        help_text=_("Misalnya 15/03/2030."),
        error_messages={"required": _("Tulis tanggal usulan melalui tahapan ini."),
                        "invalid": _("Tulis tanggal yang benar, misalnya 15/03/2030.")},
    )
    note = forms.CharField(label=_("Catatan (tidak wajib)"), required=False,
                           max_length=ProposalCheckpoint._meta.get_field("note").max_length)

    def __init__(self, *args, budget_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checkpoint"].queryset = PlanningCheckpoint.objects.filter(budget_year=budget_year)
        self.fields["checkpoint"].label_from_instance = lambda checkpoint: checkpoint.name  # one year only


class BulkCheckpointForm(CheckpointMarkForm):
    proposals = forms.MultipleChoiceField(label=_("Usulan"), widget=forms.CheckboxSelectMultiple,
                                          error_messages={"required": _("Pilih paling sedikit satu usulan.")})

    field_order = ["proposals", "checkpoint", "passed_on", "note"]

    def __init__(self, *args, codes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].choices = [(code, code) for code in codes]
