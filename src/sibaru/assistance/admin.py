"""Administration of the programme catalogue: programmes and their types, proposer categories, requirement
lists per budget year (requirements inline), unit amounts, income ceilings, minimum wages, planning
checkpoints, quotas and the priority criteria.

Rows the reference could not confirm carry `unconfirmed`, shown as a column and a filter so an
administrator can check them against the regulation and clear the flag. The "copy to the next budget
year" actions call the services in catalogue_services.py.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from sibaru.assistance import catalogue_services
from sibaru.assistance.catalogue import translated
from sibaru.assistance.models import (
    IncomeCeiling,
    MinimumWage,
    PlanningCheckpoint,
    PriorityCriterion,
    Programme,
    ProgrammeType,
    ProposerCategory,
    Quota,
    Requirement,
    RequirementSet,
    UnitAmount,
)

COMPACT_JSON = {models.JSONField: {"widget": forms.TextInput(attrs={"size": 16})}}


def _report_copies(modeladmin, request, created: int, selected: int) -> None:
    modeladmin.message_user(
        request,
        ngettext(
            "%(created)d dari %(selected)d baris disalin ke tahun anggaran berikutnya; yang sudah ada dilewati.",
            "%(created)d dari %(selected)d baris disalin ke tahun anggaran berikutnya; yang sudah ada dilewati.",
            selected,
        )
        % {"created": created, "selected": selected},
        messages.SUCCESS if created else messages.WARNING,
    )


class ProgrammeTypeInline(admin.TabularInline):
    model = ProgrammeType
    fields = ("code", "name", "proposer_kind", "large_scale", "min_capacity", "min_built", "unconfirmed")
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "prefix", "verification", "directorate", "planning_directorate", "legal_basis")
    list_select_related = ("directorate", "planning_directorate")
    search_fields = ("name", "code", "legal_basis")
    autocomplete_fields = ("directorate", "planning_directorate")
    inlines = (ProgrammeTypeInline,)


@admin.register(ProgrammeType)
class ProgrammeTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "programme", "proposer_kind", "large_scale", "min_capacity", "min_built",
                    "unconfirmed")
    list_filter = ("programme", "proposer_kind", "large_scale", "unconfirmed")
    list_select_related = ("programme",)
    search_fields = ("name", "code")


@admin.register(ProposerCategory)
class ProposerCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "directive", "priority_score", "programme_list", "order")
    list_filter = ("directive", "programmes")
    search_fields = ("name", "code")
    filter_horizontal = ("programmes",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("programmes")

    @admin.display(description=_("program"))
    def programme_list(self, obj):
        return ", ".join(p.code for p in obj.programmes.all())


class RequirementInline(admin.TabularInline):
    model = Requirement
    fields = ("order", "code", "kind", "title", "mandatory", "categories", "types", "accepted_types", "max_bytes",
              "legal_basis", "unconfirmed")
    formfield_overrides = COMPACT_JSON
    show_change_link = True
    extra = 0


@admin.register(RequirementSet)
class RequirementSetAdmin(admin.ModelAdmin):
    list_display = ("programme", "budget_year", "published", "requirement_count", "unconfirmed_count",
                    "legal_basis")
    list_filter = ("programme", "budget_year", "published")
    list_select_related = ("programme",)
    search_fields = ("programme__name", "programme__code", "legal_basis", "requirements__title",
                     "requirements__code")
    inlines = (RequirementInline,)
    actions = ("copy_to_next_year",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            requirement_total=models.Count("requirements"),
            unconfirmed_total=models.Count("requirements", filter=models.Q(requirements__unconfirmed=True)),
        )

    @admin.display(description=_("persyaratan"), ordering="requirement_total")
    def requirement_count(self, obj):
        return obj.requirement_total

    @admin.display(description=_("belum terkonfirmasi"), ordering="unconfirmed_total")
    def unconfirmed_count(self, obj):
        return obj.unconfirmed_total

    @admin.action(description=_("Salin ke tahun anggaran berikutnya"), permissions=("add",))
    def copy_to_next_year(self, request, queryset):
        for requirement_set in queryset.select_related("programme"):
            try:
                copy = catalogue_services.requirement_set_copy(
                    requirement_set=requirement_set, budget_year=requirement_set.budget_year + 1
                )
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, message, messages.WARNING)
                continue
            self.message_user(
                request,
                gettext("Daftar persyaratan %(programme)s disalin ke tahun anggaran %(year)d sebagai draf yang "
                        "belum berlaku: periksa, lalu tandai berlaku.")
                % {"programme": translated(requirement_set.programme.name), "year": copy.budget_year},
                messages.SUCCESS,
            )


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    list_display = ("title", "code", "requirement_set", "kind", "mandatory", "legal_basis", "unconfirmed")
    list_filter = ("requirement_set__programme", "requirement_set__budget_year", "kind", "mandatory", "unconfirmed")
    list_select_related = ("requirement_set__programme",)
    search_fields = ("title", "code", "description", "legal_basis")
    raw_id_fields = ("requirement_set",)


@admin.register(UnitAmount)
class UnitAmountAdmin(admin.ModelAdmin):
    list_display = ("programme", "budget_year", "region_class", "activity", "materials", "labour", "total",
                    "legal_basis", "unconfirmed")
    list_filter = ("programme", "budget_year", "region_class", "unconfirmed")
    list_select_related = ("programme",)
    search_fields = ("legal_basis",)
    actions = ("copy_to_next_year",)

    @admin.display(description=_("jumlah (Rp)"))
    def total(self, obj):
        return obj.total

    @admin.action(description=_("Salin ke tahun anggaran berikutnya"), permissions=("add",))
    def copy_to_next_year(self, request, queryset):
        rows = list(queryset)
        _report_copies(self, request, catalogue_services.unit_amounts_copy(amounts=rows), len(rows))


@admin.register(IncomeCeiling)
class IncomeCeilingAdmin(admin.ModelAdmin):
    list_display = ("zone", "name", "unmarried", "married", "valid_from", "legal_basis", "unconfirmed")
    list_filter = ("valid_from", "zone", "unconfirmed")
    search_fields = ("name", "legal_basis")
    formfield_overrides = {models.JSONField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 60})}}


@admin.register(MinimumWage)
class MinimumWageAdmin(admin.ModelAdmin):
    list_display = ("province", "year", "amount", "legal_basis")
    list_filter = ("year",)
    list_select_related = ("province",)
    search_fields = ("province__name", "province__code", "legal_basis")
    raw_id_fields = ("province",)


@admin.register(PlanningCheckpoint)
class PlanningCheckpointAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "budget_year", "date", "order")
    list_filter = ("budget_year",)
    list_editable = ("date",)
    search_fields = ("name", "code")
    ordering = ("-budget_year", "order")
    actions = ("copy_to_next_year",)

    @admin.action(description=_("Salin ke tahun anggaran berikutnya"), permissions=("add",))
    def copy_to_next_year(self, request, queryset):
        rows = list(queryset)
        _report_copies(self, request, catalogue_services.planning_checkpoints_copy(checkpoints=rows), len(rows))


@admin.register(Quota)
class QuotaAdmin(admin.ModelAdmin):
    list_display = ("programme", "budget_year", "units", "budget")
    list_filter = ("programme", "budget_year")
    list_select_related = ("programme",)
    search_fields = ("programme__name", "programme__code")
    actions = ("copy_to_next_year",)

    @admin.action(description=_("Salin ke tahun anggaran berikutnya"), permissions=("add",))
    def copy_to_next_year(self, request, queryset):
        rows = list(queryset)
        _report_copies(self, request, catalogue_services.quotas_copy(quotas=rows), len(rows))


@admin.register(PriorityCriterion)
class PriorityCriterionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "weight", "description")
    list_editable = ("weight",)
    search_fields = ("name", "code", "description")


# --- Implementation monitoring (sibaru.assistance.implementation) ----------------------------------------
# Read-only: every write goes through the services, which check the state and record the case event.
from sibaru.assistance.models import (  # noqa: E402  (kept with its section)
    BeneficiaryDecree,
    BeneficiaryGroup,
    Facilitator,
    HandOverStep,
    PaymentTranche,
    ProgressReport,
    PurchasePlanLine,
    Supplier,
)


class _ReadOnlyAdmin(admin.ModelAdmin):
    list_select_related = ("proposal__case",)
    search_fields = ("proposal__case__tracking_code",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for _model, _columns in (
    (BeneficiaryDecree, ("number", "proposal", "date", "signatory")),
    (BeneficiaryGroup, ("name", "proposal")),
    (Facilitator, ("name", "proposal")),
    (Supplier, ("name", "registration", "proposal")),
    (PurchasePlanLine, ("item", "quantity", "unit", "unit_price", "proposal")),
    (PaymentTranche, ("proposal", "number", "percentage", "amount", "paid_on")),
    (ProgressReport, ("proposal", "beneficiary", "unit", "stage", "taken_on")),
    (HandOverStep, ("proposal", "status", "document_number", "date")),
):
    admin.site.register(_model, type(f"{_model.__name__}Admin", (_ReadOnlyAdmin,), {"list_display": _columns}))
