"""The forms of the Bantuan pages: the proposer's dossier (one task per page), the reviewers' verdicts and
actions, the lists' filters. They validate input and hand clean values to the services; no rule lives here."""

import uuid
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from sibaru.accounts.forms import ErrorMarkingMixin
from sibaru.accounts.models import Organisation
from sibaru.assistance.models import FieldVisit, Programme, ProgrammeType, ProposalDocument
from sibaru.core import workflow
from sibaru.core.attachments import IMAGE_TYPES, check_upload
from sibaru.regions.forms import RegionField
from sibaru.regions.selectors import RegionLookup

# Indonesia lies between about 11°S and 6°N, 95°E and 141°E: a point outside is a typo or swapped numbers.
LATITUDE_RANGE = (Decimal("-11.5"), Decimal("6.5"))
LONGITUDE_RANGE = (Decimal("94.5"), Decimal("141.5"))
PHOTO_ROWS = 3


def accepted_label(requirement) -> str:
    return ", ".join(sorted({ext.upper() for ext in requirement.content_types() if ext != "jpeg"}))


class Form(ErrorMarkingMixin, forms.Form):
    """Labels without a colon and invalid inputs marked, as on the account pages."""


class _Coordinates(Form):
    """Typed latitude and longitude: the non-drag way to give a point (WCAG 2.5.7)."""

    latitude = forms.DecimalField(
        label=_("Lintang (tidak wajib)"), required=False, max_digits=9, decimal_places=6,
        help_text=_("Angka desimal, negatif di selatan khatulistiwa, misalnya -6.914744."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input-short"}),
    )
    longitude = forms.DecimalField(
        label=_("Bujur (tidak wajib)"), required=False, max_digits=9, decimal_places=6,
        help_text=_("Angka desimal, misalnya 107.609810."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input-short"}),
    )

    def clean_latitude(self):
        value = self.cleaned_data.get("latitude")
        if value is not None and not LATITUDE_RANGE[0] <= value <= LATITUDE_RANGE[1]:
            raise ValidationError(
                _("Lintang di Indonesia antara -11,5 dan 6,5. Periksa apakah tertukar dengan bujur.")
            )
        return value

    def clean_longitude(self):
        value = self.cleaned_data.get("longitude")
        if value is not None and not LONGITUDE_RANGE[0] <= value <= LONGITUDE_RANGE[1]:
            raise ValidationError(
                _("Bujur di Indonesia antara 94,5 dan 141,5. Periksa apakah tertukar dengan lintang.")
            )
        return value

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None) and not self.errors:
            raise ValidationError(_("Isi lintang dan bujur keduanya, atau kosongkan keduanya."))
        return data


# --- Proposer: starting a proposal ------------------------------------------------------------------------


class ProgrammeChoiceForm(Form):
    programme = forms.ModelChoiceField(
        label=_("Bantuan apa yang Anda usulkan?"), queryset=Programme.objects.all(), to_field_name="code",
        widget=forms.RadioSelect, empty_label=None,
        error_messages={"required": _("Pilih program bantuan."), "invalid_choice": _("Pilih program bantuan.")},
    )


class ProposalStartForm(Form):
    """Category (or PSU type), budget year and title of a new draft; the idempotency key makes a double
    submit create one draft."""

    category = forms.ModelChoiceField(
        label=_("Kategori pengusul"), queryset=None, widget=forms.RadioSelect, empty_label=None,
        error_messages={"required": _("Pilih kategori pengusul.")},
    )
    programme_type = forms.ModelChoiceField(
        label=_("Jenis usulan"), queryset=None, widget=forms.RadioSelect, empty_label=None,
        error_messages={"required": _("Pilih jenis usulan.")},
    )
    budget_year = forms.TypedChoiceField(
        label=_("Tahun anggaran yang diusulkan"), coerce=int,
        error_messages={"required": _("Pilih tahun anggaran.")},
    )
    title = forms.CharField(
        label=_("Nama kegiatan"), max_length=200,
        help_text=_("Misalnya “Peningkatan kualitas rumah swadaya Kecamatan Sukasari”."),
        error_messages={"required": _("Tulis nama kegiatan.")},
    )
    region = RegionField(label=_("Wilayah usulan"), min_level="regency",
                         help_text=_("Organisasi Anda belum punya wilayah: pilih wilayah usulan."))
    submission_id = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, programme: Programme, organisation: Organisation, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["submission_id"] = uuid.uuid4().hex
        self.programme = programme
        categories = programme.categories.all()
        if categories:
            self.fields["category"].queryset = categories
        else:
            del self.fields["category"]
        if programme.types.exists():
            # Only the types this kind of organisation may propose (a developer's, a local government's …).
            self.fields["programme_type"].queryset = programme.types.filter(
                proposer_kind__in=ProgrammeType.proposer_kinds_of(organisation))
            self.fields["programme_type"].error_messages["required"] = _(
                "Pilih jenis usulan. Bila tidak ada pilihan, jenis organisasi Anda tidak dapat mengusulkan "
                "program ini.")
        else:
            del self.fields["programme_type"]
        self.fields["budget_year"].choices = [("", _("Pilih tahun"))] + [(y, str(y)) for y in years]
        if organisation.region_id:
            del self.fields["region"]


# --- Proposer: the dossier's tasks ---------------------------------------------------------------------


class LetterForm(Form):
    """The proposal letter. A draft keeps what is given; the task is complete when all four are filled."""

    letter_number = forms.CharField(label=_("Nomor surat"), max_length=100, required=False)
    letter_date = forms.DateField(
        label=_("Tanggal surat"), required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "input-short"}),
        help_text=_("Misalnya 15/01/2031."),
    )
    letter_signatory = forms.CharField(label=_("Nama pejabat penanda tangan"), max_length=150, required=False,
                                       widget=forms.TextInput(attrs={"autocomplete": "off"}))
    letter_position = forms.CharField(label=_("Jabatan penanda tangan"), max_length=150, required=False,
                                      help_text=_("Misalnya Wali Kota Bandung."))
    description = forms.CharField(label=_("Gambaran umum dan latar belakang (tidak wajib)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 5}))

    def clean_letter_date(self):
        value = self.cleaned_data.get("letter_date")
        if value and value > timezone.localdate():
            raise ValidationError(_("Tanggal surat tidak boleh di masa depan."))
        return value


class LocationForm(_Coordinates):
    region = RegionField(label=_("Lokasi usulan"), min_level="village",
                         help_text=_("Pilih sampai desa/kelurahan."))

    def __init__(self, *args, min_level: str = "village", **kwargs):
        super().__init__(*args, **kwargs)
        if min_level != "village":
            self.fields["region"] = RegionField(
                label=_("Wilayah usulan"), min_level=min_level,
                help_text=_("Kabupaten/kota atau lebih rinci. Desa sasaran diisi pada tugas Volume dan anggaran."),
            )
        # Fields in reading order: the place, then the point.
        self.order_fields(["region", "latitude", "longitude"])


class UnitsForm(Form):
    units = forms.IntegerField(label=_("Volume yang diusulkan"), min_value=1, max_value=100_000,
                               widget=forms.NumberInput(attrs={"class": "input-short", "inputmode": "numeric"}),
                               error_messages={"required": _("Tulis volume yang diusulkan.")})

    def __init__(self, *args, unit_label: str = "unit", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].help_text = _("Dalam %(unit)s.") % {"unit": unit_label}


class LocationRowForm(Form):
    """One target village of a BSPS proposal."""

    region = RegionField(label=_("Desa/kelurahan sasaran"), min_level="village")
    units_pk = forms.IntegerField(label=_("Unit peningkatan kualitas (PK)"), min_value=0, max_value=10_000, initial=0,
                                  widget=forms.NumberInput(attrs={"class": "input-short", "inputmode": "numeric"}))
    units_pb = forms.IntegerField(label=_("Unit pembangunan baru (PB)"), min_value=0, max_value=10_000, initial=0,
                                  widget=forms.NumberInput(attrs={"class": "input-short", "inputmode": "numeric"}))
    uninhabitable_houses = forms.IntegerField(
        label=_("Jumlah RTLH di desa ini"), min_value=0, max_value=100_000, initial=0,
        widget=forms.NumberInput(attrs={"class": "input-short", "inputmode": "numeric"}),
    )

    def clean(self):
        data = super().clean()
        if not self.errors and data.get("units_pk", 0) + data.get("units_pb", 0) < 1:
            self.add_error("units_pk", _("Isi paling sedikit 1 unit PK atau PB."))
        return data


class _LocationFormSet(forms.BaseFormSet):
    @cached_property
    def _regions(self) -> RegionLookup:
        """Every row's region, shown or sent, with ancestors and the province list, fetched once for all rows
        (a query per row otherwise)."""
        codes = [row["region"].code for row in self.initial or () if row.get("region")]
        if self.is_bound:
            widget = self.form.base_fields["region"].widget
            codes += [widget.value_from_datadict(self.data, self.files, f"{self.add_prefix(i)}-region")
                      for i in range(self.total_form_count())]
        return RegionLookup(code for code in codes if code)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.fields["region"].use_lookup(self._regions)
        return form

    def _kept(self):
        """Rows that were there before or were filled in now, and are not marked for removal."""
        return [
            form for i, form in enumerate(self.forms)
            if (i < self.initial_form_count() or form.has_changed()) and not self._should_delete_form(form)
        ]

    def clean(self):
        if any(self.errors):
            return
        seen = set()
        kept = self._kept()
        for form in kept:
            region = form.cleaned_data.get("region")
            if region is not None:
                if region.code in seen:
                    form.add_error("region", _("Desa/kelurahan ini sudah tercantum di baris lain."))
                seen.add(region.code)
        if not kept:
            raise ValidationError(_("Isi paling sedikit satu desa/kelurahan sasaran."))

    def rows(self) -> list[dict]:
        return [
            {name: form.cleaned_data[name] for name in ("region", "units_pk", "units_pb", "uninhabitable_houses")}
            for form in self._kept()
        ]


LocationFormSet = forms.formset_factory(LocationRowForm, formset=_LocationFormSet, extra=0, can_delete=True,
                                        max_num=200, absolute_max=200)


class DocumentUploadForm(Form):
    """One requirement's file, checked by content against the types and size the requirement allows."""

    file = forms.FileField(label=_("Pilih berkas"), error_messages={"required": _("Pilih berkas yang akan diunggah.")})

    def __init__(self, *args, requirement, **kwargs):
        super().__init__(*args, **kwargs)
        self.requirement = requirement
        self.fields["file"].label = requirement.title
        self.fields["file"].help_text = _("%(types)s, paling besar %(size)s.") % {
            "types": accepted_label(requirement), "size": filesizeformat(requirement.max_bytes),
        }
        self.fields["file"].widget.attrs["accept"] = ",".join(f".{ext}" for ext in requirement.content_types())

    def clean_file(self):
        upload = self.cleaned_data["file"]
        return check_upload(upload, allowed=self.requirement.content_types(), max_bytes=self.requirement.max_bytes)


class ReadinessForm(Form):
    """The proposer's self-assessment: one checkbox per technical requirement."""

    def __init__(self, *args, requirements, **kwargs):
        super().__init__(*args, **kwargs)
        self.requirements = requirements
        for requirement in requirements:
            self.fields[requirement.code] = forms.BooleanField(
                label=requirement.title, required=False, help_text=requirement.description or None
            )

    def readiness(self) -> dict[str, bool]:
        return {r.code: bool(self.cleaned_data.get(r.code)) for r in self.requirements}


class CommentForm(Form):
    body = forms.CharField(label=_("Komentar"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("Komentar terlihat oleh pengusul dan peninjau usulan ini."),
                           error_messages={"required": _("Tulis komentar Anda.")})


class NoteForm(Form):
    body = forms.CharField(label=_("Catatan internal"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Hanya terlihat oleh peninjau, tidak oleh pengusul."),
                           error_messages={"required": _("Tulis catatannya.")})


# --- Reviewers ---------------------------------------------------------------------------------------------


class DocumentReviewForm(Form):
    verdict = forms.ChoiceField(
        label=_("Hasil verifikasi"), widget=forms.RadioSelect,
        choices=[("complete", _("Lengkap")), ("incomplete", _("Tidak lengkap"))],
        error_messages={"required": _("Pilih lengkap atau tidak lengkap.")},
    )
    note = forms.CharField(label=_("Keterangan"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Wajib bila tidak lengkap: tulis apa yang kurang."))

    def __init__(self, *args, document: ProposalDocument, **kwargs):
        super().__init__(*args, prefix=f"doc{document.pk}", **kwargs)
        self.document = document
        self.fields["verdict"].label = _("Verifikasi %(title)s") % {"title": document.requirement.title}
        if not self.is_bound and document.review != ProposalDocument.Review.PENDING:
            self.initial = {"verdict": document.review, "note": document.review_note}

    def clean(self):
        data = super().clean()
        if data.get("verdict") == "incomplete" and not (data.get("note") or "").strip():
            self.add_error("note", _("Tulis apa yang kurang pada dokumen ini."))
        return data


class ReviewActionForm(Form):
    """A workflow action with the fields it needs: the note, and per action its own inputs."""

    directorate = forms.ModelChoiceField(
        label=_("Direktorat teknis"), queryset=Organisation.objects.none(), empty_label=_("Pilih direktorat"),
        error_messages={"required": _("Pilih direktorat teknis.")},
    )
    agenda_number = forms.CharField(label=_("Nomor agenda"), max_length=50,
                                    error_messages={"required": _("Tulis nomor agenda.")})
    units = forms.IntegerField(label=_("Unit ditetapkan"), min_value=1,
                               widget=forms.NumberInput(attrs={"class": "input-short", "inputmode": "numeric"}),
                               error_messages={"required": _("Tulis jumlah unit yang ditetapkan.")})
    decision_number = forms.CharField(label=_("Nomor penetapan"), max_length=100,
                                      error_messages={"required": _("Tulis nomor penetapan.")})
    budget = forms.DecimalField(label=_("Anggaran ditetapkan, Rp (tidak wajib)"), required=False, min_value=0,
                                max_digits=16, decimal_places=0,
                                help_text=_("Kosongkan untuk memakai perkiraan dari nilai bantuan per unit."),
                                widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input-short"}))
    note = forms.CharField(label=_("Catatan"), max_length=4000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    FIELDS = {
        "distribute": ("directorate", "agenda_number"),
        "decide": ("units", "decision_number", "budget"),
    }
    NOTE_LABELS = {
        "distribute": _("Disposisi (tidak wajib)"),
        "reject": _("Alasan penolakan"),
        "decline": _("Alasan tidak ditetapkan"),
        "find_not_eligible": _("Alasan tidak layak"),
        "request_revision": _("Pesan untuk pengusul (tidak wajib)"),
        "withdraw": _("Alasan menarik usulan"),
    }

    def __init__(self, *args, action_spec, **kwargs):
        super().__init__(*args, prefix=action_spec.code, **kwargs)
        self.action_spec = action_spec
        wanted = self.FIELDS.get(action_spec.code, ())
        for name in [n for n in self.fields if n != "note" and n not in wanted]:
            del self.fields[name]
        if "directorate" in self.fields:
            self.fields["directorate"].queryset = Organisation.objects.filter(kind=Organisation.Kind.DIRECTORATE)
        note = self.fields["note"]
        note.required = action_spec.note_required
        label = self.NOTE_LABELS.get(action_spec.code)
        note.label = label or (_("Catatan") if action_spec.note_required else _("Catatan (tidak wajib)"))
        if action_spec.note_required:
            note.error_messages["required"] = _("Tulis alasannya.")

    def action_data(self) -> dict:
        data = self.cleaned_data
        if self.action_spec.code == "distribute":
            return {"directorate": data["directorate"].pk, "agenda_number": data["agenda_number"],
                    "disposition": data.get("note", "")}
        if self.action_spec.code == "decide":
            budget = data.get("budget")
            return {"units": data["units"], "decision_number": data["decision_number"],
                    "budget": str(budget) if budget is not None else ""}
        return {}


class FieldVisitForm(Form):
    visited_on = forms.DateField(label=_("Tanggal kunjungan"),
                                 widget=forms.DateInput(attrs={"type": "date", "class": "input-short"}),
                                 error_messages={"required": _("Tulis tanggal kunjungan.")})
    location = forms.ModelChoiceField(label=_("Lokasi yang dikunjungi"), queryset=None,
                                      empty_label=_("Pilih desa/kelurahan"),
                                      error_messages={"required": _("Pilih lokasi yang dikunjungi.")})
    checklist = forms.MultipleChoiceField(label=_("Kriteria yang terpenuhi di lapangan"), required=False,
                                          widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(label=_("Catatan kunjungan"), max_length=4000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))
    result = forms.ChoiceField(label=_("Hasil"), widget=forms.RadioSelect, choices=FieldVisit.Result.choices,
                               error_messages={"required": _("Pilih layak atau tidak layak.")})

    def __init__(self, *args, proposal, locations, technical, **kwargs):
        super().__init__(*args, prefix="visit", **kwargs)
        if locations:
            self.fields["location"].queryset = proposal.locations.select_related("region")
            self.fields["location"].label_from_instance = lambda loc: f"{loc.region.name} ({loc.region.dotted_code})"
        else:
            del self.fields["location"]
        self.fields["checklist"].choices = [(r.code, r.title) for r in technical]
        for i in range(1, PHOTO_ROWS + 1):
            self.fields[f"photo_{i}"] = forms.FileField(
                label=_("Foto %(n)d (tidak wajib)") % {"n": i}, required=False,
                help_text=_("JPG, PNG atau WEBP, paling besar 5 MB."),
                widget=forms.FileInput(attrs={"accept": ".jpg,.jpeg,.png,.webp"}),
            )
            self.fields[f"latitude_{i}"] = forms.DecimalField(
                label=_("Lintang foto %(n)d (tidak wajib)") % {"n": i}, required=False, max_digits=9,
                decimal_places=6, widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input-short"}),
            )
            self.fields[f"longitude_{i}"] = forms.DecimalField(
                label=_("Bujur foto %(n)d (tidak wajib)") % {"n": i}, required=False, max_digits=9,
                decimal_places=6, widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input-short"}),
            )

    def photo_rows(self):
        return [(self[f"photo_{i}"], self[f"latitude_{i}"], self[f"longitude_{i}"]) for i in range(1, PHOTO_ROWS + 1)]

    def clean_visited_on(self):
        value = self.cleaned_data["visited_on"]
        if value > timezone.localdate():
            raise ValidationError(_("Tanggal kunjungan tidak boleh di masa depan."))
        return value

    def clean(self):
        data = super().clean()
        for i in range(1, PHOTO_ROWS + 1):
            upload = data.get(f"photo_{i}")
            lat, lon = data.get(f"latitude_{i}"), data.get(f"longitude_{i}")
            if lat is not None and not LATITUDE_RANGE[0] <= lat <= LATITUDE_RANGE[1]:
                self.add_error(f"latitude_{i}", _("Lintang di Indonesia antara -11,5 dan 6,5."))
            if lon is not None and not LONGITUDE_RANGE[0] <= lon <= LONGITUDE_RANGE[1]:
                self.add_error(f"longitude_{i}", _("Bujur di Indonesia antara 94,5 dan 141,5."))
            if (lat is not None or lon is not None) and not upload:
                self.add_error(f"photo_{i}", _("Pilih fotonya, atau kosongkan lintang dan bujurnya."))
            if upload:
                try:
                    data[f"photo_{i}"] = check_upload(upload, allowed=IMAGE_TYPES)
                except ValidationError as error:
                    self.add_error(f"photo_{i}", error)
        return data

    def photos(self):
        return [
            (self.cleaned_data[f"photo_{i}"], self.cleaned_data.get(f"latitude_{i}"),
             self.cleaned_data.get(f"longitude_{i}"))
            for i in range(1, PHOTO_ROWS + 1)
            if self.cleaned_data.get(f"photo_{i}")
        ]


class BulkDistributeForm(Form):
    proposals = forms.MultipleChoiceField(label=_("Usulan"), widget=forms.CheckboxSelectMultiple,
                                          error_messages={"required": _("Pilih paling sedikit satu usulan.")})
    directorate = forms.ModelChoiceField(
        label=_("Direktorat teknis"), queryset=Organisation.objects.none(), empty_label=_("Pilih direktorat"),
        error_messages={"required": _("Pilih direktorat teknis.")},
    )
    agenda_prefix = forms.CharField(
        label=_("Awalan nomor agenda"), max_length=40,
        help_text=_("Setiap usulan mendapat awalan ini ditambah nomor urut, misalnya AG/2031/ menjadi AG/2031/001."),
        error_messages={"required": _("Tulis awalan nomor agenda.")},
    )
    disposition = forms.CharField(label=_("Disposisi (tidak wajib)"), max_length=4000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, codes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].choices = [(code, code) for code in codes]
        self.fields["directorate"].queryset = Organisation.objects.filter(kind=Organisation.Kind.DIRECTORATE)


def _state_choices():
    states: dict[str, object] = {}
    for flow in workflow.all_workflows():
        if flow.kind.startswith("proposal_"):
            for state in flow.states:
                if state.code != "draft":
                    states.setdefault(state.code, state.label)
    return list(states.items())


class ReviewFilterForm(Form):
    programme = forms.ChoiceField(label=_("Program"), required=False)
    province = forms.ChoiceField(label=_("Provinsi"), required=False)
    state = forms.ChoiceField(label=_("Status"), required=False)
    budget_year = forms.IntegerField(label=_("Tahun anggaran"), required=False, min_value=2000, max_value=2100,
                                     widget=forms.NumberInput(attrs={"class": "input-short", "inputmode": "numeric"}))
    category = forms.ChoiceField(label=_("Kategori pengusul"), required=False)

    def __init__(self, *args, programmes, provinces, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [("", _("Semua"))] + [(p.code, p.name) for p in programmes]
        self.fields["province"].choices = [("", _("Semua"))] + [(r.code, r.name) for r in provinces]
        self.fields["state"].choices = [("", _("Perlu ditindaklanjuti")), ("all", _("Semua"))] + _state_choices()
        self.fields["category"].choices = [("", _("Semua"))] + [(c.code, c.name) for c in categories]


def default_years(published_years: list[int]) -> list[int]:
    """The years a new proposal may name: this year and the next two, and any later year with a published
    requirement list."""
    this_year = timezone.localdate().year
    return sorted({this_year, this_year + 1, this_year + 2, *[y for y in published_years if y >= this_year]})
