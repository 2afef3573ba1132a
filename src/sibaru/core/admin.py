from django.contrib import admin, messages
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from sibaru.core.calendar import (
    due_dates_recompute,
    package_holiday_names,
    working_day_override_delete,
    working_day_override_save,
)
from sibaru.core.models import WorkingDayOverride


@admin.register(WorkingDayOverride)
class WorkingDayOverrideAdmin(admin.ModelAdmin):
    """Corrections of the holiday calendar. Every save goes through the calendar's services, then the due
    dates of the open cases it can move are recomputed."""

    list_display = ("date", "weekday", "is_working_day", "name", "decree", "default_calendar", "created_by")
    list_filter = ("is_working_day",)
    date_hierarchy = "date"
    ordering = ("date",)
    search_fields = ("name", "decree")

    def get_fields(self, request, obj=None):
        fields = ["date", "is_working_day", "name", "decree"]
        return [*fields, "created_by", "created_at"] if obj else fields

    def get_readonly_fields(self, request, obj=None):
        # The date is the override's identity: to move one, delete it and add another.
        return ("date", "created_by", "created_at") if obj else ()

    @admin.display(description=_("hari"))
    def weekday(self, obj):
        return date_format(obj.date, "l")

    @admin.display(description=_("menurut kalender nasional"))
    def default_calendar(self, obj):
        names = package_holiday_names(obj.date)
        if names:
            return ", ".join(names)
        return gettext("akhir pekan") if obj.date.weekday() >= 5 else gettext("hari kerja")

    def save_model(self, request, obj, form, change):
        saved = working_day_override_save(
            date=obj.date,
            is_working_day=obj.is_working_day,
            name=obj.name,
            decree=obj.decree,
            user=request.user,
        )
        obj.pk, obj.created_by, obj.created_at = saved.pk, saved.created_by, saved.created_at
        self._recompute(request, since=obj.date)

    def delete_model(self, request, obj):
        working_day_override_delete(date=obj.date, user=request.user)
        self._recompute(request, since=obj.date)

    def delete_queryset(self, request, queryset):
        dates = list(queryset.values_list("date", flat=True))
        for day in dates:
            working_day_override_delete(date=day, user=request.user)
        if dates:
            self._recompute(request, since=min(dates))

    def _recompute(self, request, *, since):
        # Only deadlines on or after the changed date can move (see due_dates_recompute).
        changed = due_dates_recompute(since=since)
        self.message_user(
            request,
            ngettext(
                "Kalender diperbarui: batas waktu %(count)d kasus terbuka berubah.",
                "Kalender diperbarui: batas waktu %(count)d kasus terbuka berubah.",
                changed,
            )
            % {"count": changed},
            messages.INFO,
        )
