import uuid

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sibaru.accounts.models import Organisation
from sibaru.core.attachments import DEFAULT_TYPES, check_upload
from sibaru.information.models import (
    CatalogueEntry,
    Delivery,
    ExemptionGround,
    InfoClass,
    ObjectionGround,
    ObjectionOutcome,
    Obtain,
    Outcome,
    RequesterResponse,
    RequesterType,
)


class _Idempotent(forms.Form):
    submission_id = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["submission_id"] = uuid.uuid4().hex


class RequestForm(_Idempotent):
    """The request form of Perki 1/2021 (legal.md §2a)."""

    requester_type = forms.ChoiceField(label=_("Jenis pemohon"), choices=RequesterType.choices,
                                       widget=forms.RadioSelect, initial=RequesterType.PERSON)
    name = forms.CharField(label=_("Nama lengkap (perorangan atau badan hukum)"), max_length=150,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    id_number = forms.CharField(label=_("NIK atau nomor SK pengesahan badan hukum"), max_length=60,
                                help_text=_("Perorangan: 16 angka NIK pada KTP."))
    identity_document = forms.FileField(label=_("KTP atau SK pengesahan badan hukum"),
                                        help_text=_("PDF, JPG atau PNG, paling besar 5 MB. Hanya dilihat PPID."))
    occupation = forms.CharField(label=_("Pekerjaan (tidak wajib)"), max_length=100, required=False)
    address = forms.CharField(label=_("Alamat"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    email = forms.EmailField(label=_("E-mail"), required=False,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                             help_text=_("Isi e-mail atau telepon; kabar perkembangan dikirim ke e-mail."))
    phone = forms.CharField(label=_("Telepon"), max_length=30, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    proxy_name = forms.CharField(label=_("Nama kuasa (bila diajukan melalui kuasa)"), max_length=150,
                                 required=False)
    power_of_attorney = forms.FileField(label=_("Surat kuasa khusus (bila melalui kuasa)"), required=False,
                                        help_text=_("PDF, JPG atau PNG, paling besar 5 MB."))
    information = forms.CharField(label=_("Rincian informasi yang dibutuhkan"), max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    purpose = forms.CharField(label=_("Tujuan penggunaan informasi"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    obtain = forms.ChoiceField(label=_("Cara memperoleh informasi"), choices=Obtain.choices, widget=forms.RadioSelect)
    delivery = forms.ChoiceField(label=_("Cara mendapatkan salinan informasi"), choices=Delivery.choices,
                                 widget=forms.RadioSelect)

    def clean_identity_document(self):
        return check_upload(self.cleaned_data["identity_document"], allowed=DEFAULT_TYPES)

    def clean_power_of_attorney(self):
        upload = self.cleaned_data.get("power_of_attorney")
        return check_upload(upload, allowed=DEFAULT_TYPES) if upload else None


class IdentityCompletionForm(forms.Form):
    """The identity part of the request form, for the PPID completing a request converted from a complaint: the
    same fields and upload check as the public form (the services apply the same rules)."""

    requester_type = RequestForm.base_fields["requester_type"]
    id_number = RequestForm.base_fields["id_number"]
    identity_document = RequestForm.base_fields["identity_document"]
    occupation = RequestForm.base_fields["occupation"]
    address = RequestForm.base_fields["address"]
    purpose = RequestForm.base_fields["purpose"]

    clean_identity_document = RequestForm.clean_identity_document


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(label=_("Cari informasi"), required=False, max_length=100)
    info_class = forms.ChoiceField(label=_("Klasifikasi"), required=False,
                                   choices=[("", _("Semua"))] + list(InfoClass.choices))


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(label=_("Unit yang menguasai informasi"), queryset=Organisation.objects.none())
    note = forms.CharField(label=_("Catatan untuk unit"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = Organisation.objects.filter(
            kind__in=[Organisation.Kind.DIRECTORATE, Organisation.Kind.WORK_UNIT]
        )


class ExtendForm(forms.Form):
    reason = forms.CharField(label=_("Alasan perpanjangan (dikirim ke pemohon)"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Keputusan"), choices=Outcome.choices, widget=forms.RadioSelect)
    material = forms.CharField(label=_("Materi informasi yang diberikan"), required=False, max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 3}))
    holder = forms.CharField(label=_("Badan publik yang menguasai informasi (bila tidak dikuasai)"),
                             required=False, max_length=200)
    catalogue_entry = forms.ModelChoiceField(
        label=_("Entri Daftar Informasi Publik (bila sudah tersedia untuk umum)"), required=False,
        queryset=CatalogueEntry.objects.none())
    copy_pages = forms.IntegerField(label=_("Jumlah lembar/keping salinan yang dikenai biaya"), min_value=0,
                                    required=False, initial=0)
    copy_medium = forms.ChoiceField(label=_("Media salinan"), required=False)
    note = forms.CharField(label=_("Isi pemberitahuan tertulis (dikirim ke pemohon)"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["catalogue_entry"].queryset = CatalogueEntry.objects.filter(published=True).exclude(
            info_class=InfoClass.EXEMPT)
        self.fields["copy_medium"].choices = [("", "–")] + [
            (name, f"{name} (Rp{fee:,})".replace(",", ".")) for name, fee in settings.INFORMATION_COPY_FEES.items()
        ]


class ExemptPartForm(forms.Form):
    description = forms.CharField(label=_("Informasi yang dikecualikan"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    ground = forms.ModelChoiceField(label=_("Dasar pengecualian"), required=False,
                                    queryset=ExemptionGround.objects.filter(active=True), to_field_name="code")
    consequence = forms.CharField(label=_("Uji konsekuensi"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("Akibat bila dibuka, dan mengapa menutupnya melindungi kepentingan "
                                              "yang lebih besar."))
    until = forms.DateField(label=_("Dikecualikan sampai (tidak wajib)"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))


ExemptPartFormSet = forms.formset_factory(ExemptPartForm, extra=2, max_num=10)


class ObjectionForm(_Idempotent):
    ground = forms.ModelChoiceField(label=_("Alasan keberatan (Pasal 35 ayat 1)"), widget=forms.RadioSelect,
                                    queryset=ObjectionGround.objects.filter(active=True), to_field_name="code",
                                    empty_label=None)
    statement = forms.CharField(label=_("Kasus posisi"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
                                help_text=_("Apa yang Anda minta, jawaban yang Anda terima, dan mengapa Anda "
                                            "keberatan."))
    proxy_name = forms.CharField(label=_("Nama kuasa (bila melalui kuasa)"), max_length=150, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ground"].label_from_instance = lambda g: f"{g.code}. {g.text}"


class ObjectionDecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Keputusan atasan PPID"), choices=ObjectionOutcome.choices,
                                widget=forms.RadioSelect)
    response = forms.CharField(label=_("Tanggapan tertulis dan alasannya"), max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 5}))


class RequesterResponseForm(forms.Form):
    """What the requester did after the superior's response, for the objection register."""

    response = forms.ChoiceField(label=_("Tanggapan pemohon"), choices=RequesterResponse.choices,
                                 widget=forms.RadioSelect)
    responded_on = forms.DateField(label=_("Tanggal tanggapan pemohon"),
                                   help_text=_("Tanggal pemohon menyampaikan tanggapannya atau mendaftarkan sengketa."),
                                   widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label=_("Keterangan (tidak wajib)"), required=False, max_length=2000,
                           help_text=_("Misalnya nomor registrasi sengketa di Komisi Informasi."),
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReportPeriodForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun"), min_value=2008, max_value=2100)
    semester = forms.ChoiceField(label=_("Periode"), required=False,
                                 choices=[("", _("Setahun")), ("1", _("Semester I")), ("2", _("Semester II"))])
