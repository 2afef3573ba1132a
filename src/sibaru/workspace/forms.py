from django import forms
from django.utils.translation import gettext_lazy as _

from sibaru.core import workflow


class InboxFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), required=False)
    state = forms.ChoiceField(label=_("Status"), required=False)
    due = forms.ChoiceField(
        label=_("Batas waktu"),
        required=False,
        choices=[("", _("Semua")), ("soon", _("Segera jatuh tempo")), ("overdue", _("Terlambat"))],
    )
    q = forms.CharField(label=_("Cari nomor atau perihal"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        flows = workflow.all_workflows()
        self.fields["kind"].choices = [("", _("Semua"))] + [(w.kind, w.label) for w in flows]
        states = {}
        for flow in flows:
            for state in flow.states:
                states.setdefault(state.code, state.label)
        self.fields["state"].choices = [("", _("Semua"))] + list(states.items())


class ActionForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    handler = forms.ModelChoiceField(label=_("Unit penanggung jawab"), required=False, queryset=None)

    def __init__(self, *args, action_spec=None, **kwargs):
        from sibaru.accounts.models import Organisation

        super().__init__(*args, **kwargs)
        self.action_spec = action_spec
        self.fields["handler"].queryset = Organisation.objects.filter(
            kind__in=[Organisation.Kind.DIRECTORATE, Organisation.Kind.WORK_UNIT]
        )
        if action_spec is not None:
            self.fields["note"].required = action_spec.note_required
            wants_handler = "handler" in action_spec.needs or "handler" in action_spec.record
            if not wants_handler:
                del self.fields["handler"]
            else:
                self.fields["handler"].required = "handler" in action_spec.needs

    def action_data(self) -> dict:
        handler = self.cleaned_data.get("handler")
        return {"handler": handler.pk} if handler else {}
