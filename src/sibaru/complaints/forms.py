import re
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sibaru.accounts.models import Organisation
from sibaru.complaints.models import Category, Channel, Classification, ReportType
from sibaru.complaints.services import STAFF_CHANNELS, UNIT_KINDS, description_error
from sibaru.core.attachments import DEFAULT_TYPES, check_upload
from sibaru.core.models import Privacy
from sibaru.regions.forms import RegionField

PHONE = re.compile(r"^\+?[0-9][0-9 \-]{5,18}$")
PRIVACY_CHOICES = [
    (Privacy.PUBLIC, _("Dengan nama: laporan dapat tampil di halaman publik tanpa nama Anda; petugas yang "
                       "menangani melihat nama dan kontak Anda.")),
    (Privacy.CONFIDENTIAL, _("Rahasia: laporan tidak ditampilkan ke publik, dan identitas Anda hanya dilihat "
                             "koordinator pengaduan, tidak oleh unit yang menangani.")),
    (Privacy.ANONYMOUS, _("Anonim: kami tidak menyimpan identitas apa pun. Anda mengikuti laporan hanya lewat "
                          "tautan pribadi dan tidak menerima e-mail.")),
]


def category_choices():
    """Active categories, each top-level one followed by its children (an optgroup per top level)."""
    categories = list(Category.objects.filter(active=True).select_related("parent"))
    children = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)
    choices = [("", _("Pilih kategori"))]
    for top in children.get(None, []):
        kids = children.get(top.pk, [])
        if kids:
            choices.append((top.name, [(top.code, _("%(name)s (umum)") % {"name": top.name})]
                            + [(k.code, k.name) for k in kids]))
        else:
            choices.append((top.code, top.name))
    return choices


class CategoryField(forms.ChoiceField):
    def clean(self, value):
        code = super().clean(value)
        category = Category.objects.filter(code=code, active=True).first() if code else None
        if code and category is None:
            raise ValidationError(_("Kategori tidak dikenal."), code="unknown")
        return category

    def valid_value(self, value):
        # The list may change while a form is open; clean() looks the code up instead.
        return True


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        if len(files) > settings.COMPLAINT_MAX_ATTACHMENTS:
            raise ValidationError(
                _("Paling banyak %(count)d berkas.") % {"count": settings.COMPLAINT_MAX_ATTACHMENTS}, code="too_many"
            )
        return [check_upload(super(MultipleFileField, self).clean(f, initial), allowed=DEFAULT_TYPES) for f in files]


class StartForm(forms.Form):
    """The first page: what and where. The next page suggests similar recent reports before the details."""

    report_type = forms.ChoiceField(label=_("Jenis laporan"), choices=ReportType.choices, widget=forms.RadioSelect,
                                    initial=ReportType.COMPLAINT)
    category = CategoryField(label=_("Kategori"))
    region = RegionField(label=_("Lokasi kejadian"), min_level="regency",
                         help_text=_("Pilih sampai kabupaten/kota, atau lebih rinci sampai desa/kelurahan."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()


class ComplaintForm(StartForm):
    title = forms.CharField(label=_("Judul laporan"), max_length=150,
                            help_text=_("Satu kalimat singkat, misalnya “Air Rusunawa blok B mati seminggu”."))
    description = forms.CharField(label=_("Uraian"), max_length=4000, widget=forms.Textarea(attrs={"rows": 7}),
                                  help_text=_("Apa yang terjadi, di mana, sejak kapan, dan apa yang Anda harapkan."))
    incident_date = forms.DateField(label=_("Tanggal kejadian (tidak wajib)"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    latitude = forms.DecimalField(label=_("Lintang (tidak wajib)"), required=False, min_value=-11, max_value=6,
                                  max_digits=8, decimal_places=5,
                                  help_text=_("Titik lokasi dalam derajat desimal, misalnya -6.89123."))
    longitude = forms.DecimalField(label=_("Bujur (tidak wajib)"), required=False, min_value=95, max_value=141,
                                   max_digits=8, decimal_places=5,
                                   help_text=_("Misalnya 107.61234."))
    attachments = MultipleFileField(label=_("Foto atau dokumen (tidak wajib)"), required=False,
                                    help_text=_("Foto JPG, PNG, WEBP atau PDF, masing-masing paling besar 5 MB."))
    privacy = forms.ChoiceField(label=_("Identitas pelapor"), choices=PRIVACY_CHOICES, widget=forms.RadioSelect,
                                initial=Privacy.PUBLIC)
    reporter_name = forms.CharField(label=_("Nama lengkap"), max_length=150, required=False,
                                    widget=forms.TextInput(attrs={"autocomplete": "name"}))
    reporter_email = forms.EmailField(label=_("E-mail"), required=False,
                                      help_text=_("Kami kirim kabar setiap ada perkembangan."),
                                      widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    reporter_phone = forms.CharField(label=_("Nomor telepon"), max_length=20, required=False,
                                     widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    submission_id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["submission_id"] = uuid.uuid4().hex

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if len(title) < 5:
            raise ValidationError(_("Judul terlalu singkat: paling sedikit 5 karakter."))
        return title

    def clean_description(self):
        description = self.cleaned_data["description"].strip()
        if message := description_error(description):
            raise ValidationError(message)
        return description

    def clean_incident_date(self):
        day = self.cleaned_data["incident_date"]
        if day and day > timezone.localdate():
            raise ValidationError(_("Tanggal kejadian tidak boleh di masa depan."))
        return day

    def clean_reporter_phone(self):
        phone = self.cleaned_data["reporter_phone"].strip()
        if phone and not PHONE.match(phone):
            raise ValidationError(_("Tulis nomor telepon dengan angka saja, misalnya 0812 3456 7890."))
        return phone

    def clean(self):
        data = super().clean()
        if data.get("privacy") == Privacy.ANONYMOUS:
            # Anonymous means nothing is kept, whatever was typed before choosing it.
            data["reporter_name"] = data["reporter_email"] = data["reporter_phone"] = ""
        elif data.get("privacy"):
            if not data.get("reporter_name", "").strip() and "reporter_name" not in self.errors:
                self.add_error("reporter_name", _("Tulis nama Anda, atau pilih laporan anonim."))
            if not (data.get("reporter_email") or data.get("reporter_phone")) and not (
                {"reporter_email", "reporter_phone"} & set(self.errors)
            ):
                self.add_error("reporter_email", _("Tulis e-mail atau nomor telepon agar kami dapat menghubungi Anda."))
        return data


class StaffIntakeForm(ComplaintForm):
    channel = forms.ChoiceField(label=_("Kanal"), choices=[(c, Channel(c).label) for c in STAFF_CHANNELS],
                                widget=forms.RadioSelect)


def unit_queryset():
    return Organisation.objects.filter(kind__in=UNIT_KINDS).order_by("name")


class VerifyForm(forms.Form):
    report_type = forms.ChoiceField(label=_("Jenis laporan"), choices=ReportType.choices)
    category = CategoryField(label=_("Kategori"))
    classification = forms.ChoiceField(label=_("Klasifikasi"), choices=Classification.choices,
                                       widget=forms.RadioSelect)
    units = forms.ModelMultipleChoiceField(label=_("Unit tujuan"), queryset=None,
                                           widget=forms.CheckboxSelectMultiple,
                                           help_text=_("Unit pertama yang dicentang menjadi penanggung jawab utama."))
    title = forms.CharField(label=_("Judul publik"), max_length=150,
                            help_text=_("Judul yang tampil di halaman laporan publik: tanpa nama atau data pribadi."))
    note = forms.CharField(label=_("Catatan untuk unit (tampil di halaman pelacakan)"), required=False,
                           max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()
        self.fields["units"].queryset = unit_queryset()

    def action_data(self) -> dict:
        data = self.cleaned_data
        return {"report_type": data["report_type"], "category": data["category"].code,
                "classification": data["classification"], "units": [u.pk for u in data["units"]],
                "title": data["title"]}


class ReassignForm(forms.Form):
    units = forms.ModelMultipleChoiceField(label=_("Unit tujuan baru"), queryset=None,
                                           widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Alasan (internal)"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = unit_queryset()

    def action_data(self) -> dict:
        return {"units": [u.pk for u in self.cleaned_data["units"]]}


class ForwardForm(forms.Form):
    forwarded_to = forms.CharField(label=_("Instansi yang berwenang"), max_length=200)
    note = forms.CharField(label=_("Penjelasan untuk pelapor"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def action_data(self) -> dict:
        return {"forwarded_to": self.cleaned_data["forwarded_to"]}


class MergeForm(forms.Form):
    duplicate_of = forms.CharField(label=_("Nomor pelacakan laporan asal"), max_length=30)
    note = forms.CharField(label=_("Catatan"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def action_data(self) -> dict:
        return {"duplicate_of": self.cleaned_data["duplicate_of"]}


class NoteForm(forms.Form):
    """The actions that need only a note (plan, respond, postpone, archive, internal note, close)."""

    note = forms.CharField(label=_("Catatan"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, action_spec=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = bool(action_spec and action_spec.note_required)

    def action_data(self) -> dict:
        return {}


STAFF_FORMS = {"verify": VerifyForm, "reassign": ReassignForm, "forward": ForwardForm, "merge": MergeForm}


def staff_form(spec, *args, **kwargs):
    if spec.code in STAFF_FORMS:
        return STAFF_FORMS[spec.code](*args, prefix=spec.code, **kwargs)
    return NoteForm(*args, prefix=spec.code, action_spec=spec, **kwargs)


class ReporterNoteForm(forms.Form):
    note = forms.CharField(label=_("Pesan Anda"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("Seberapa puas Anda dengan penanganan laporan ini?"), coerce=int,
                                    choices=[(5, _("5 – sangat puas")), (4, _("4 – puas")), (3, _("3 – cukup")),
                                             (2, _("2 – kurang puas")), (1, _("1 – tidak puas"))],
                                    widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Komentar (tidak wajib)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class PublicFilterForm(forms.Form):
    category = forms.ChoiceField(label=_("Kategori"), required=False)
    region = forms.CharField(label=_("Kode wilayah (provinsi atau kabupaten/kota)"), required=False, max_length=13)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, status_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Semua"))] + [
            (c.code, str(c)) for c in Category.objects.filter(active=True).select_related("parent")
        ]
        self.fields["status"].choices = [("", _("Semua")), *status_choices]

    def clean_region(self):
        code = self.cleaned_data["region"].replace(".", "").strip()
        if code and not (code.isdigit() and len(code) in (2, 4, 6, 10)):
            raise ValidationError(_("Tulis kode wilayah 2, 4, 6 atau 10 angka, misalnya 32 atau 3273."))
        return code
