"""The forms of the beneficiary pages: a file to import, and one person typed by hand. The rules of a row live
in beneficiaries.py; these forms only ask for the values, named as the file's columns, so the service's
errors come back onto the field they name."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from sibaru.assistance import beneficiaries as bsps
from sibaru.assistance.forms import Form
from sibaru.regions.forms import RegionField

# The RTLH components by their column, as the form and the list name them.
CONDITION_LABELS = {
    "atap_rusak": _("Atap"),
    "dinding_rusak": _("Dinding"),
    "lantai_rusak": _("Lantai"),
    "sanitasi_tidak_layak": _("Jamban/sanitasi"),
    "struktur_rusak": _("Struktur (pondasi, kolom, balok)"),
}


class BeneficiaryUploadForm(Form):
    file = forms.FileField(
        label=_("Berkas calon penerima"),
        error_messages={"required": _("Pilih berkas XLSX atau CSV yang akan diunggah.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    import_valid_rows = forms.BooleanField(
        label=_("Impor baris yang benar saja"), required=False,
        help_text=_("Tanpa centang ini, satu baris yang salah membuat seluruh berkas tidak diimpor."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "XLSX atau CSV (UTF-8), paling besar %(size)s, paling banyak %(rows)s baris data."
        ) % {
            "size": filesizeformat(bsps.max_upload_bytes()),
            "rows": formats.number_format(bsps.max_rows(), 0, use_l10n=True, force_grouping=True),
        }

    def clean_file(self):
        # By content and size: a renamed PDF, a binary or a non-UTF-8 CSV is refused here, before it is stored.
        return bsps.beneficiary_upload_check(self.cleaned_data["file"])


def _text(label, *, required, max_length=None, hint=None, numeric=None, short=False):
    attrs = {}
    if numeric:
        attrs["inputmode"] = numeric
    if short:
        attrs["class"] = "input-short"
    return forms.CharField(
        label=label, max_length=max_length, required=True, help_text=hint,
        widget=forms.TextInput(attrs=attrs),
        error_messages={"required": required, "max_length": _("Paling banyak %(limit_value)d karakter.")},
    )


class BeneficiaryForm(Form):
    """One beneficiary, with the file's column names as field names. Values are checked by the service (the
    same checks as a file); the form only says what is missing."""

    nik = _text(_("NIK"), hint=_("16 angka, sesuai KTP."), numeric="numeric", short=True,
                required=_("Tulis NIK calon penerima."))
    no_kk = _text(_("Nomor Kartu Keluarga"), hint=_("16 angka."), numeric="numeric", short=True,
                  required=_("Tulis nomor Kartu Keluarga."))
    nama = _text(_("Nama lengkap"), max_length=bsps.MAX_NAME, hint=_("Sesuai KTP."),
                 required=_("Tulis nama lengkap calon penerima."))
    alamat = _text(_("Alamat rumah"), max_length=bsps.MAX_ADDRESS, hint=_("Jalan, RT/RW, dusun."),
                   required=_("Tulis alamat rumah yang akan ditangani."))
    kode_desa = RegionField(label=_("Desa/kelurahan"), min_level="village",
                            help_text=_("Desa harus termasuk desa sasaran usulan."))
    penghasilan = _text(_("Penghasilan keluarga per bulan (rupiah)"), numeric="numeric", short=True,
                        hint=_("Tanpa Rp, misalnya 1.800.000. Paling banyak UMP provinsi."),
                        required=_("Tulis penghasilan keluarga per bulan."))
    status_tanah = forms.ChoiceField(
        label=_("Status tanah"), error_messages={"required": _("Pilih status tanah.")},
    )
    jumlah_penghuni = _text(_("Jumlah penghuni"), numeric="numeric", short=True,
                            hint=_("Orang yang tinggal di rumah itu."), required=_("Tulis jumlah penghuni."))
    luas_lantai = _text(_("Luas lantai (m²)"), numeric="decimal", short=True,
                        hint=_("Boleh dengan koma, misalnya 24,5."), required=_("Tulis luas lantai rumah."))
    condition = forms.MultipleChoiceField(
        label=_("Bagian rumah yang rusak atau tidak layak"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=CONDITION_LABELS.items(),
    )
    kegiatan = forms.ChoiceField(
        label=_("Kegiatan"), widget=forms.RadioSelect, choices=[
            ("PK", _("Peningkatan kualitas (PK)")), ("PB", _("Pembangunan baru (PB)")),
        ], error_messages={"required": _("Pilih kegiatan: PK atau PB.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status_tanah"].choices = [("", _("Pilih status tanah")), *bsps.LAND_STATUSES.items()]
        self.fields["condition"].help_text = _(
            "Centang semua yang sesuai. Rumah tanpa kerusakan tetap dapat diusulkan bila luas lantainya kurang "
            "dari %(minimum)s m² per orang."
        ) % {"minimum": formats.number_format(bsps.min_floor_area_per_person(), 1, use_l10n=True)}

    def row(self) -> dict:
        """The cleaned values as a row of the file, for beneficiary_add."""
        data = {column: self.cleaned_data[column] for column in bsps.COLUMNS if column in self.cleaned_data}
        data["kode_desa"] = self.cleaned_data["kode_desa"].code
        data["status_tanah"] = self.cleaned_data["status_tanah"].replace("_", " ")
        chosen = set(self.cleaned_data["condition"])
        for column in bsps.CONDITION_COLUMNS:
            data[column] = "ya" if column in chosen else "tidak"
        return data
