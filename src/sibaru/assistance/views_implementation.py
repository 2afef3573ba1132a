"""The implementation pages of a decided proposal: the monitoring dashboard with the recording forms, the
progress report of one house (the previous stage's photo beside the upload, to take it from the same
angle), the correction pages (edit, delete, void with a reason) and the files. Thin: forms validate,
implementation.py writes and reads."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sibaru.assistance import implementation as impl
from sibaru.assistance.forms import LATITUDE_RANGE, LONGITUDE_RANGE, Form
from sibaru.assistance.models import Beneficiary, BeneficiaryGroup, Proposal, Supplier
from sibaru.assistance.rules import DECIDED_STATES
from sibaru.assistance.selectors import proposal_for
from sibaru.core import workflow
from sibaru.core.attachments import DOCUMENT_TYPES, IMAGE_TYPES, check_upload
from sibaru.core.models import Attachment
from sibaru.core.scope import roles_for_case
from sibaru.core.services import ActionNotAllowed

PHOTO_ACCEPT = ".jpg,.jpeg,.png,.webp"
PROOF_TYPES = DOCUMENT_TYPES | IMAGE_TYPES


def _date_field(label, required_message):
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date", "class": "input-short"}),
                           error_messages={"required": required_message})


class _RecordForm(Form):
    """A recording form; with instance= it edits that record (filled in, and update() instead of save())."""

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None:
            kwargs["initial"] = self.initial_for(instance)
        super().__init__(*args, **kwargs)
        self.instance = instance

    def initial_for(self, instance) -> dict:
        return {name: getattr(instance, name) for name in self.base_fields if hasattr(instance, name)}


class _UploadForm(_RecordForm):
    """Checks its file by content (core.attachments) in clean(); the service stores it."""

    upload_field = "file"
    upload_types = PROOF_TYPES

    def clean(self):
        data = super().clean()
        if upload := data.get(self.upload_field):
            try:
                data[self.upload_field] = check_upload(upload, allowed=self.upload_types)
            except ValidationError as error:
                self.add_error(self.upload_field, error)
        return data


class DecreeForm(_UploadForm):
    number = forms.CharField(label=gettext_lazy("Nomor SK"), max_length=100,
                             error_messages={"required": gettext_lazy("Tulis nomor SK.")})
    date = _date_field(gettext_lazy("Tanggal SK"), gettext_lazy("Tulis tanggal SK."))
    signatory = forms.CharField(label=gettext_lazy("Pejabat penanda tangan"), max_length=150,
                                error_messages={"required": gettext_lazy("Tulis nama pejabat penanda tangan SK.")})
    file = forms.FileField(label=gettext_lazy("Berkas SK"), help_text=gettext_lazy("PDF, JPG atau PNG."),
                           error_messages={"required": gettext_lazy("Unggah berkas SK.")})
    beneficiaries = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Penerima yang ditetapkan dalam SK ini"), queryset=Beneficiary.objects.none(),
        widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args, proposal, instance=None, **kwargs):
        super().__init__(*args, prefix="sk", instance=instance, **kwargs)
        choices = impl.undecreed_beneficiaries(proposal, also=instance)
        self.fields["beneficiaries"].queryset = choices
        self.fields["beneficiaries"].label_from_instance = lambda b: f"{b.name}, {b.village.name}"
        if not choices.exists():
            del self.fields["beneficiaries"]
        if instance is not None:  # the scan stays unless a new one is chosen
            self.fields["file"].required = False
            self.fields["file"].label = gettext_lazy("Ganti berkas SK (tidak wajib)")

    def initial_for(self, instance):
        return {**super().initial_for(instance), "beneficiaries": list(instance.beneficiaries.all())}

    def update(self, user):
        data = self.cleaned_data
        return impl.decree_update(decree=self.instance, user=user, number=data["number"], date=data["date"],
                                  signatory=data["signatory"], checked=data.get("file"),
                                  beneficiaries=data["beneficiaries"] if "beneficiaries" in self.fields else None)

    def save(self, proposal, user):
        data = self.cleaned_data
        return impl.decree_record(proposal=proposal, user=user, number=data["number"], date=data["date"],
                                  signatory=data["signatory"], checked=data["file"],
                                  beneficiaries=data.get("beneficiaries", ()))


class GroupForm(_RecordForm):
    name = forms.CharField(label=gettext_lazy("Nama KPB"), max_length=150,
                           error_messages={"required": gettext_lazy("Tulis nama KPB.")})
    members = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Anggota"), queryset=Beneficiary.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Pilih anggota KPB.")})
    chair = forms.ModelChoiceField(label=gettext_lazy("Ketua"), queryset=Beneficiary.objects.none(),
                                   empty_label=gettext_lazy("Pilih ketua"),
                                   error_messages={"required": gettext_lazy("Pilih ketua KPB.")})

    def __init__(self, *args, proposal, instance=None, **kwargs):
        super().__init__(*args, prefix="kpb", instance=instance, **kwargs)
        free = impl.decreed_beneficiaries(proposal).filter(
            Q(groups__isnull=True) | Q(groups=instance) if instance else Q(groups__isnull=True))
        for name in ("members", "chair"):
            self.fields[name].queryset = free
            self.fields[name].label_from_instance = lambda b: f"{b.name}, {b.village.name}"

    def initial_for(self, instance):
        return {"name": instance.name, "chair": instance.chair_id, "members": list(instance.members.all())}

    def update(self, user):
        data = self.cleaned_data
        return impl.group_update(group=self.instance, user=user, name=data["name"], chair=data["chair"],
                                 members=data["members"])

    def save(self, proposal, user):
        data = self.cleaned_data
        return impl.group_create(proposal=proposal, user=user, name=data["name"], chair=data["chair"],
                                 members=data["members"])


class FacilitatorForm(_RecordForm):
    name = forms.CharField(label=gettext_lazy("Nama TFL"), max_length=150,
                           error_messages={"required": gettext_lazy("Tulis nama TFL.")})
    phone = forms.CharField(label=gettext_lazy("Nomor telepon"), max_length=30,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
                            error_messages={"required": gettext_lazy("Tulis nomor telepon TFL.")})
    email = forms.EmailField(label=gettext_lazy("E-mail (tidak wajib)"), required=False)
    groups = forms.ModelMultipleChoiceField(label=gettext_lazy("KPB dampingan"), required=False,
                                            queryset=BeneficiaryGroup.objects.none(),
                                            widget=forms.CheckboxSelectMultiple)
    locations = forms.ModelMultipleChoiceField(label=gettext_lazy("Desa/kelurahan dampingan"), required=False,
                                               queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, proposal, instance=None, **kwargs):
        super().__init__(*args, prefix="tfl", instance=instance, **kwargs)
        self.fields["groups"].queryset = proposal.groups.all()
        self.fields["locations"].queryset = impl.locations_of(proposal)
        self.fields["locations"].label_from_instance = lambda loc: loc.region.name

    def initial_for(self, instance):
        return {"name": instance.name, "phone": instance.phone, "email": instance.email,
                "groups": list(instance.groups.all()), "locations": list(instance.locations.all())}

    def update(self, user):
        data = self.cleaned_data
        return impl.facilitator_update(facilitator=self.instance, user=user, name=data["name"], phone=data["phone"],
                                       email=data["email"], groups=data["groups"], locations=data["locations"])

    def save(self, proposal, user):
        data = self.cleaned_data
        return impl.facilitator_add(proposal=proposal, user=user, name=data["name"], phone=data["phone"],
                                    email=data["email"], groups=data["groups"], locations=data["locations"])


class SupplierForm(_RecordForm):
    name = forms.CharField(label=gettext_lazy("Nama toko/penyedia"), max_length=150,
                           error_messages={"required": gettext_lazy("Tulis nama toko atau penyedia.")})
    registration = forms.CharField(
        label=gettext_lazy("NPWP atau NIB"), max_length=30,
        help_text=gettext_lazy("NPWP 15 atau 16 angka, atau NIB 13 angka; titik dan strip boleh."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": gettext_lazy("Tulis NPWP atau NIB penyedia.")})
    address = forms.CharField(label=gettext_lazy("Alamat"), max_length=300,
                              error_messages={"required": gettext_lazy("Tulis alamat penyedia.")})

    def __init__(self, *args, proposal, instance=None, **kwargs):
        super().__init__(*args, prefix="penyedia", instance=instance, **kwargs)

    def update(self, user):
        data = self.cleaned_data
        return impl.supplier_update(supplier=self.instance, user=user, name=data["name"],
                                    registration=data["registration"], address=data["address"])

    def save(self, proposal, user):
        data = self.cleaned_data
        return impl.supplier_add(proposal=proposal, user=user, name=data["name"],
                                 registration=data["registration"], address=data["address"])


class PurchaseLineForm(_RecordForm):
    group = forms.ModelChoiceField(label=gettext_lazy("KPB"), queryset=BeneficiaryGroup.objects.none(),
                                   required=False, empty_label=gettext_lazy("Seluruh usulan"))
    item = forms.CharField(label=gettext_lazy("Bahan"), max_length=150,
                           error_messages={"required": gettext_lazy("Tulis nama bahan.")})
    quantity = forms.DecimalField(label=gettext_lazy("Jumlah"), max_digits=12, decimal_places=2, min_value=0.01,
                                  widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input-short"}),
                                  error_messages={"required": gettext_lazy("Tulis jumlahnya.")})
    unit = forms.CharField(label=gettext_lazy("Satuan"), max_length=20,
                           widget=forms.TextInput(attrs={"class": "input-short"}),
                           error_messages={"required": gettext_lazy("Tulis satuannya, misalnya sak atau m³.")})
    unit_price = forms.DecimalField(label=gettext_lazy("Harga satuan (Rp)"), max_digits=14, decimal_places=0,
                                    min_value=0, widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                                    error_messages={"required": gettext_lazy("Tulis harga satuannya.")})
    supplier = forms.ModelChoiceField(label=gettext_lazy("Penyedia"), queryset=Supplier.objects.none(),
                                      empty_label=gettext_lazy("Pilih penyedia"),
                                      error_messages={"required": gettext_lazy("Pilih penyedia bahan.")})

    def __init__(self, *args, proposal, instance=None, **kwargs):
        super().__init__(*args, prefix="rab", instance=instance, **kwargs)
        self.fields["group"].queryset = proposal.groups.all()
        self.fields["supplier"].queryset = proposal.suppliers.all()

    def initial_for(self, instance):
        return {**super().initial_for(instance), "group": instance.group_id, "supplier": instance.supplier_id}

    def update(self, user):
        data = self.cleaned_data
        return impl.purchase_line_update(line=self.instance, user=user, group=data["group"], item=data["item"],
                                         quantity=data["quantity"], unit=data["unit"],
                                         unit_price=data["unit_price"], supplier=data["supplier"])

    def save(self, proposal, user):
        data = self.cleaned_data
        return impl.purchase_line_add(proposal=proposal, user=user, group=data["group"], item=data["item"],
                                      quantity=data["quantity"], unit=data["unit"], unit_price=data["unit_price"],
                                      supplier=data["supplier"])


class TrancheForm(_UploadForm):
    percentage = forms.DecimalField(label=gettext_lazy("Persentase (%)"), max_digits=5, decimal_places=2,
                                    widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input-short"}),
                                    error_messages={"required": gettext_lazy("Tulis persentase tahap ini.")})
    amount = forms.DecimalField(label=gettext_lazy("Jumlah (Rp)"), max_digits=16, decimal_places=0,
                                widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                                error_messages={"required": gettext_lazy("Tulis jumlah yang disalurkan.")})
    paid_on = _date_field(gettext_lazy("Tanggal penyaluran"), gettext_lazy("Tulis tanggal penyaluran."))
    supplier = forms.ModelChoiceField(label=gettext_lazy("Dibayarkan ke penyedia (tidak wajib)"), required=False,
                                      queryset=Supplier.objects.none(), empty_label=gettext_lazy("Tidak ada"))
    file = forms.FileField(label=gettext_lazy("Bukti transfer"), help_text=gettext_lazy("PDF, JPG atau PNG."),
                           error_messages={"required": gettext_lazy("Unggah bukti transfer.")})

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, prefix="tahap", **kwargs)
        self.fields["supplier"].queryset = proposal.suppliers.all()

    def save(self, proposal, user):
        data = self.cleaned_data
        return impl.tranche_record(proposal=proposal, user=user, percentage=data["percentage"],
                                   amount=data["amount"], paid_on=data["paid_on"], supplier=data["supplier"],
                                   checked=data["file"])


class HandOverForm(_UploadForm):
    status = forms.ChoiceField(label=gettext_lazy("Langkah"),
                               error_messages={"required": gettext_lazy("Pilih langkah serah terima.")})
    document_number = forms.CharField(label=gettext_lazy("Nomor dokumen (wajib untuk BAST)"), max_length=100,
                                      required=False)
    date = _date_field(gettext_lazy("Tanggal"), gettext_lazy("Tulis tanggalnya."))
    file = forms.FileField(label=gettext_lazy("Berkas (wajib untuk BAST)"), required=False,
                           help_text=gettext_lazy("PDF, JPG atau PNG."))
    note = forms.CharField(label=gettext_lazy("Catatan (tidak wajib)"), max_length=500, required=False)

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, prefix="bmn", **kwargs)
        reached = impl.HAND_OVER_ORDER.index(proposal.hand_over)
        self.fields["status"].choices = [
            (value, label) for value, label in Proposal.HandOver.choices
            if value in impl.RECORDABLE_STEPS and impl.HAND_OVER_ORDER.index(value) >= reached
        ]

    def save(self, proposal, user):
        data = self.cleaned_data
        return impl.hand_over_step_record(proposal=proposal, user=user, status=data["status"], date=data["date"],
                                          document_number=data["document_number"], checked=data.get("file"),
                                          note=data["note"])


class ProgressForm(_UploadForm):
    upload_field = "photo"
    upload_types = IMAGE_TYPES

    stage = forms.TypedChoiceField(label=gettext_lazy("Tahap"), coerce=int, widget=forms.RadioSelect,
                                   error_messages={"required": gettext_lazy("Pilih tahap yang dilaporkan.")})
    taken_on = _date_field(gettext_lazy("Tanggal foto"), gettext_lazy("Tulis tanggal foto."))
    photo = forms.FileField(label=gettext_lazy("Foto rumah"), help_text=gettext_lazy("JPG, PNG atau WEBP."),
                            widget=forms.FileInput(attrs={"accept": PHOTO_ACCEPT}),
                            error_messages={"required": gettext_lazy("Pilih foto rumah.")})
    latitude = forms.DecimalField(label=gettext_lazy("Lintang (tidak wajib)"), required=False, max_digits=9,
                                  decimal_places=6, min_value=LATITUDE_RANGE[0], max_value=LATITUDE_RANGE[1],
                                  widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input-short"}))
    longitude = forms.DecimalField(label=gettext_lazy("Bujur (tidak wajib)"), required=False, max_digits=9,
                                   decimal_places=6, min_value=LONGITUDE_RANGE[0], max_value=LONGITUDE_RANGE[1],
                                   widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input-short"}))
    note = forms.CharField(label=gettext_lazy("Catatan (tidak wajib)"), max_length=500, required=False)

    def __init__(self, *args, house, stages, **kwargs):
        super().__init__(*args, prefix="kemajuan", **kwargs)
        following = house.next_stage(stages)
        self.fields["stage"].choices = [(s, f"{s} %") for s in stages if s not in house.reports]
        self.fields["stage"].initial = following
        self.fields["taken_on"].initial = timezone.localdate()


FORMS = {
    "sk": DecreeForm, "kpb": GroupForm, "tfl": FacilitatorForm, "penyedia": SupplierForm,
    "rab": PurchaseLineForm, "tahap": TrancheForm, "bmn": HandOverForm,
}
SAVED = {
    "sk": gettext_lazy("SK penetapan penerima tercatat."), "kpb": gettext_lazy("KPB tercatat."),
    "tfl": gettext_lazy("TFL tercatat."), "penyedia": gettext_lazy("Penyedia bahan tercatat."),
    "rab": gettext_lazy("Rencana pembelian bahan tercatat."), "tahap": gettext_lazy("Tahap penyaluran tercatat."),
    "bmn": gettext_lazy("Langkah serah terima tercatat."),
}


# --- Loading, permissions ---------------------------------------------------------------------------------


def _decided(request, tracking_code: str) -> tuple[Proposal, set[str]]:
    """A decided proposal the user may see, with their roles on it; 404 otherwise."""
    try:
        proposal = proposal_for(request.user, tracking_code)
    except Proposal.DoesNotExist:
        raise Http404 from None
    if proposal.case.state not in DECIDED_STATES:
        raise Http404
    return proposal, roles_for_case(request.user, proposal.case)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _render_dashboard(request, proposal, roles, *, failed=None, failed_key="", status=200):
    summary = impl.implementation_summary(proposal)
    personal = bool(roles & impl.PERSONAL_ROLES)
    if not personal:  # the monitoring figures without the beneficiaries' names
        for number, house in enumerate(summary.houses, start=1):
            house.label = _("Rumah %(n)d") % {"n": number}
    open_ = proposal.case.state in impl.OPEN_STATES
    record_forms = {}
    if open_ and roles & set(impl.RECORDER_ROLES):
        record_forms = {key: failed if key == failed_key else form_class(proposal=proposal)
                        for key, form_class in FORMS.items()}
    return render(request, "assistance/implementation.html", {
        "proposal": proposal, "case": proposal.case, "summary": summary, "personal": personal,
        "forms": record_forms, "failed": failed, "can_report": open_ and bool(roles & set(impl.REPORTER_ROLES)),
        "last_stage": summary.stages[-1], "state": workflow.get(proposal.case.kind).state(proposal.case.state),
    }, status=status)


@login_required
@require_GET
def implementation(request, tracking_code):
    proposal, roles = _decided(request, tracking_code)
    return _render_dashboard(request, proposal, roles)


@login_required
@require_POST
def implementation_record(request, tracking_code, record):
    """One recording form of the dashboard (SK, KPB, TFL, supplier, plan line, tranche, hand-over step)."""
    if record not in FORMS:
        raise Http404
    proposal, roles = _decided(request, tracking_code)
    if not roles & set(impl.RECORDER_ROLES):
        raise PermissionDenied(_("Peran Anda tidak berwenang mencatat pelaksanaan usulan ini."))
    form = FORMS[record](request.POST, request.FILES, proposal=proposal)
    status = 400
    if form.is_valid():
        try:
            form.save(proposal, request.user)
        except ValidationError as error:
            _add_errors(form, error)
        except ActionNotAllowed as error:
            form.add_error(None, error.message)
            status = 409
        else:
            messages.success(request, SAVED[record])
            return redirect(f"{reverse('assistance:implementation', args=[tracking_code])}#{record}")
    proposal, roles = _decided(request, tracking_code)
    return _render_dashboard(request, proposal, roles, failed=form, failed_key=record, status=status)


class VoidForm(Form):
    reason = forms.CharField(label=gettext_lazy("Alasan pembatalan"), max_length=500, widget=forms.Textarea(
        attrs={"rows": 3}), help_text=gettext_lazy("Tercatat di riwayat internal usulan bersama nama Anda."),
        error_messages={"required": gettext_lazy("Tulis alasan pembatalan.")})


# record key → (the proposal's related manager, the form that edits it, the service that deletes it)
EDITABLE = {
    "sk": ("decrees", DecreeForm, lambda obj, user: impl.decree_delete(decree=obj, user=user)),
    "kpb": ("groups", GroupForm, lambda obj, user: impl.group_delete(group=obj, user=user)),
    "tfl": ("facilitators", FacilitatorForm, lambda obj, user: impl.facilitator_delete(facilitator=obj, user=user)),
    "penyedia": ("suppliers", SupplierForm, lambda obj, user: impl.supplier_delete(supplier=obj, user=user)),
    "rab": ("purchase_lines", PurchaseLineForm, lambda obj, user: impl.purchase_line_delete(line=obj, user=user)),
}
# Money and evidence are voided with a reason, never edited in place.
VOIDABLE = {
    "tahap": ("tranches", lambda obj, user, reason: impl.tranche_void(tranche=obj, user=user, reason=reason)),
    "kemajuan": ("progress_reports",
                 lambda obj, user, reason: impl.progress_void(report=obj, user=user, reason=reason)),
    "bmn": ("hand_over_steps", lambda obj, user, reason: impl.hand_over_step_void(step=obj, user=user, reason=reason)),
}
TITLES = {
    "sk": gettext_lazy("SK penetapan penerima"), "kpb": gettext_lazy("KPB"), "tfl": gettext_lazy("TFL"),
    "penyedia": gettext_lazy("Penyedia bahan"), "rab": gettext_lazy("Baris rencana pembelian"),
    "tahap": gettext_lazy("Tahap penyaluran"), "kemajuan": gettext_lazy("Laporan kemajuan"),
    "bmn": gettext_lazy("Langkah serah terima"),
}


def _correctable(request, tracking_code, record, pk, kinds):
    """The proposal, the record and the user's roles, for a user who may correct it now; 404/403 otherwise."""
    if record not in kinds:
        raise Http404
    proposal, roles = _decided(request, tracking_code)
    allowed = impl.REPORTER_ROLES if record == "kemajuan" else impl.RECORDER_ROLES
    if not roles & set(allowed):
        raise PermissionDenied(_("Peran Anda tidak berwenang mengubah catatan pelaksanaan usulan ini."))
    obj = get_object_or_404(getattr(proposal, kinds[record][0]), pk=pk)
    return proposal, obj


def _describe(record, obj) -> str:
    """The record in a few words, for the confirmation page."""
    if record == "tahap":
        return _("Tahap %(n)d: %(percent)s %%, Rp%(amount)s, %(date)s") % {
            "n": obj.number, "percent": intcomma(obj.percentage.normalize()), "amount": intcomma(obj.amount),
            "date": date_format(obj.paid_on)}
    if record == "kemajuan":
        house = f"{obj.beneficiary.name}, {obj.beneficiary.village.name}" if obj.beneficiary else obj.unit
        return _("%(house)s: tahap %(stage)d %%, foto %(date)s") % {
            "house": house, "stage": obj.stage, "date": date_format(obj.taken_on)}
    if record == "bmn":
        return f"{obj.get_status_display()}, {date_format(obj.date)}"
    return str(obj)


def _back(tracking_code, record):
    return f"{reverse('assistance:implementation', args=[tracking_code])}#{record}"


@login_required
@require_http_methods(["GET", "POST"])
def implementation_edit(request, tracking_code, record, pk):
    """Correct an SK, KPB, TFL, supplier or plan line: the recording form, filled in."""
    proposal, obj = _correctable(request, tracking_code, record, pk, EDITABLE)
    form_class = EDITABLE[record][1]
    posted = request.method == "POST"
    form = form_class(request.POST if posted else None, request.FILES if posted else None, proposal=proposal,
                      instance=obj)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                form.update(request.user)
            except ValidationError as error:
                _add_errors(form, error)
            except ActionNotAllowed as error:
                form.add_error(None, error.message)
                status = 409
            else:
                messages.success(request, _("Perubahan tersimpan."))
                return redirect(_back(tracking_code, record))
    return render(request, "assistance/implementation_edit.html", {
        "proposal": proposal, "case": proposal.case, "form": form, "record": record, "object": obj,
        "title": TITLES[record],
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def implementation_remove(request, tracking_code, record, pk):
    """Delete a record (SK, KPB, TFL, supplier, plan line) or void one with a reason (tranche, progress report,
    hand-over step), after a confirmation page."""
    voiding = record in VOIDABLE
    proposal, obj = _correctable(request, tracking_code, record, pk, VOIDABLE if voiding else EDITABLE)
    form = (VoidForm if voiding else Form)(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                if voiding:
                    VOIDABLE[record][1](obj, request.user, form.cleaned_data["reason"])
                else:
                    EDITABLE[record][2](obj, request.user)
            except ValidationError as error:
                _add_errors(form, error)
            except ActionNotAllowed as error:
                form.add_error(None, error.message)
                status = 409
            else:
                messages.success(request, _("Catatan dibatalkan.") if voiding else _("Catatan dihapus."))
                return redirect(_back(tracking_code, record))
    return render(request, "assistance/implementation_remove.html", {
        "proposal": proposal, "case": proposal.case, "form": form, "record": record, "object": obj,
        "title": TITLES[record], "voiding": voiding, "description": _describe(record, obj),
    }, status=status)


def _house(proposal, request) -> impl.House:
    """The house named by ?rumah=<key>, or a new unit named by ?unit= (programmes without beneficiaries)."""
    key = request.GET.get("rumah", "")
    for house in impl.proposal_houses(proposal):
        if house.key == key:
            return house
    unit = request.GET.get("unit", "").strip()[:100]
    if unit and not impl.uses_beneficiaries(proposal):
        return impl.House(f"u{unit}", unit, None, unit)
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def progress_new(request, tracking_code):
    """Report one house's next stage with its photo, the previous stage's photo shown beside the upload."""
    proposal, roles = _decided(request, tracking_code)
    if not roles & set(impl.REPORTER_ROLES):
        raise PermissionDenied(_("Peran Anda tidak berwenang melaporkan kemajuan."))
    if proposal.case.state not in impl.OPEN_STATES:
        messages.info(request, _("Pelaksanaan usulan ini sudah selesai."))
        return redirect("assistance:implementation", tracking_code=tracking_code)
    stages = impl.progress_stages()
    target = _house(proposal, request)
    if target.next_stage(stages) is None:
        messages.info(request, _("Rumah ini sudah mencapai tahap terakhir."))
        return redirect("assistance:implementation", tracking_code=tracking_code)
    form = ProgressForm(request.POST or None, request.FILES or None, house=target, stages=stages)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                impl.progress_report(proposal=proposal, user=request.user, stage=data["stage"],
                                     checked=data["photo"], taken_on=data["taken_on"], beneficiary=target.beneficiary,
                                     unit=target.unit, latitude=data["latitude"], longitude=data["longitude"],
                                     note=data["note"])
            except ValidationError as error:
                _add_errors(form, error)
            except ActionNotAllowed as error:
                form.add_error(None, error.message)
                status = 409
            else:
                messages.success(request, _("Kemajuan %(stage)d %% tercatat.") % {"stage": data["stage"]})
                return redirect(f"{reverse('assistance:implementation', args=[tracking_code])}#kemajuan")
    return render(request, "assistance/implementation_progress.html", {
        "proposal": proposal, "case": proposal.case, "house": target, "form": form,
        "previous": target.previous_report(stages),
    }, status=status)


@login_required
@require_GET
def implementation_file(request, tracking_code, attachment_id):
    """A file of the implementation records (SK, proof of transfer, house photo, BAST): for the roles that
    work with the beneficiaries only, since it shows their names and houses."""
    proposal, roles = _decided(request, tracking_code)
    if not roles & impl.PERSONAL_ROLES or attachment_id not in impl.implementation_attachment_ids(proposal):
        raise Http404
    attachment = get_object_or_404(Attachment, pk=attachment_id, case_id=proposal.case_id)
    inline = attachment.content_type in PROOF_TYPES.values()
    response = FileResponse(attachment.file.open("rb"), as_attachment=not inline, filename=attachment.original_name,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
