import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sibaru.core.attachments import check_upload
from sibaru.regions.forms import RegionField


class TrialRequestForm(forms.Form):
    name = forms.CharField(label=_("Nama lengkap"), max_length=150,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("E-mail (tidak wajib)"), required=False,
                             help_text=_("Kami kirim kabar perkembangan ke alamat ini."),
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    region = RegionField(label=_("Lokasi"), min_level="regency",
                         help_text=_("Pilih wilayah sampai kabupaten/kota atau lebih rinci."))
    message = forms.CharField(label=_("Pesan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}))
    attachment = forms.FileField(label=_("Lampiran (tidak wajib)"), required=False,
                                 help_text=_("Foto (JPG, PNG) atau PDF, paling besar 5 MB."))
    submission_id = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["submission_id"] = uuid.uuid4().hex

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if len(message) < 10:
            raise ValidationError(_("Tulis pesan paling sedikit 10 karakter."))
        return message

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        return check_upload(upload) if upload else None
