from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sibaru.core.tracking import normalize_tracking_code


class TrackingForm(forms.Form):
    code = forms.CharField(
        label=_("Nomor pelacakan"),
        max_length=40,
        help_text=_("Contoh: ADU-2026-K7QM-4PXR-9TWC. Huruf besar atau kecil sama saja."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )

    def clean_code(self):
        code = normalize_tracking_code(self.cleaned_data["code"])
        if code is None:
            raise ValidationError(
                _("Nomor pelacakan tidak sesuai format. Periksa lagi setiap hurufnya: tiga huruf jenis layanan, "
                  "tahun, lalu 12 huruf dan angka.")
            )
        return code
