"""Working days of Indonesian government offices, and the deadlines counted in them.

A working day is Monday to Friday, minus national holidays and cuti bersama (the `holidays` package,
categories "public" and "government", checked against the SKB 3 Menteri for 2026), with the
administrator's `WorkingDayOverride` rows winning over both: an override can make any date a holiday or
a working day (a decree that moves a holiday mid-year, a Saturday made a working day).

Counting (API.md, "Deadlines"): N working days after D is the N-th working day after D; D itself is not
counted, and a D that is not a working day counts the same way. `working_days_between(a, b)` counts the
working days in (a, b], so `working_days_between(d, add_working_days(d, n)) == n` for every d and n.

Speed: the package's holidays are computed once per year per process (they only change with the pinned
package). The overrides are loaded into an immutable `Calendar` snapshot per process, tagged with a
version token kept in Django's cache (Redis when there are several processes); the override services
replace the token, and every process reloads on its next call. A deadline is then one dict look-up or one
binary search. Bulk work takes one snapshot with `get_calendar()` and skips even the token check.

This module also holds the calendar's only writes (the override services) and the recompute of stored
due dates after the calendar changed.
"""

from __future__ import annotations

import functools
import logging
import threading
import uuid
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import holidays
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext, ngettext
from holidays.constants import HOLIDAY_NAME_DELIMITER

from sibaru.core.events import append_event
from sibaru.core.models import Case, DayType, WorkingDayOverride

logger = logging.getLogger(__name__)

VERSION_CACHE_KEY = "sibaru:calendar:version"
RECOMPUTE_BATCH_SIZE = 2000
EXPLANATIONS_KEPT = 20_000  # per process: a few MB at most (start dates of a few years x deadlines x languages)
_HOLIDAY_CATEGORIES = ("public", "government")  # national holidays and cuti bersama


# --- The package's holidays, per year ------------------------------------------------------------------


@functools.cache
def _package_holidays(year: int) -> dict[date, tuple[tuple[str, ...], tuple[str, ...]]]:
    """{date: (Indonesian names, English names)} of one year; computed once per process."""
    names_id = holidays.Indonesia(years=year, categories=_HOLIDAY_CATEGORIES, language="id")
    names_en = holidays.Indonesia(years=year, categories=_HOLIDAY_CATEGORIES, language="en_US")
    # Two holidays on one date share one entry, their names joined by the delimiter.
    return {
        day: (
            tuple(names_id[day].split(HOLIDAY_NAME_DELIMITER)),
            tuple(names_en.get(day, names_id[day]).split(HOLIDAY_NAME_DELIMITER)),
        )
        for day in names_id
    }


def _holiday_language(language: str | None) -> int:
    """Index into the name pairs above: English for any English locale, else Indonesian (the source)."""
    language = language or translation.get_language() or "id"
    return 1 if language.lower().startswith("en") else 0


def _as_date(value: date | datetime) -> date:
    # A submission at 23:30 UTC is already the next day in Jakarta: count from the local date.
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


# --- The calendar snapshot ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NonWorkingDay:
    date: date
    names: tuple[str, ...]  # empty for a plain weekend day
    is_weekend: bool


@dataclass(frozen=True)
class _Override:
    is_working_day: bool
    name: str


class Calendar:
    """An immutable view of the calendar at one version of the overrides. Safe to share between threads."""

    def __init__(self, overrides: dict[date, _Override], version: str | None = None):
        self.version = version
        self._overrides = overrides
        self._years: dict[int, list[int]] = {}
        # (first year, last year, sorted ordinals of every working day in those years), replaced whole
        # when it grows so that readers in other threads always see a consistent triple.
        self._span: tuple[int, int, list[int]] | None = None
        self._lock = threading.Lock()
        # Explanations are the same for every case with the same start, days and language, and the tracking
        # page asks for one on every view: kept per snapshot, so an override change starts afresh.
        self._explanations: dict[tuple[date, int, str, str], str] = {}

    @classmethod
    def load(cls, version: str | None = None) -> Calendar:
        rows = WorkingDayOverride.objects.values_list("date", "is_working_day", "name")
        return cls({day: _Override(working, name) for day, working, name in rows}, version)

    # Single days

    def _is_default_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in _package_holidays(day.year)

    def is_working_day(self, day: date | datetime) -> bool:
        day = _as_date(day)
        override = self._overrides.get(day)
        if override is not None:
            return override.is_working_day
        return self._is_default_working_day(day)

    def holiday_names(self, day: date, language: str | None = None) -> tuple[str, ...]:
        """Why `day` is not a working day (empty for a plain weekend or a working day)."""
        override = self._overrides.get(day)
        if override is not None:
            return () if override.is_working_day else (override.name,)
        names = _package_holidays(day.year).get(day)
        return names[_holiday_language(language)] if names else ()

    # Counting

    def _year_ordinals(self, year: int) -> list[int]:
        ordinals = self._years.get(year)
        if ordinals is None:
            first = date(year, 1, 1).toordinal()
            last = date(year, 12, 31).toordinal()
            ordinals = [o for o in range(first, last + 1) if self.is_working_day(date.fromordinal(o))]
            self._years[year] = ordinals
        return ordinals

    def _working_ordinals(self, first_year: int, last_year: int) -> list[int]:
        """Every working day of a contiguous span of years that includes first_year..last_year."""
        span = self._span
        if span is not None and span[0] <= first_year and last_year <= span[1]:
            return span[2]
        with self._lock:
            span = self._span
            low = first_year if span is None else min(first_year, span[0])
            high = last_year if span is None else max(last_year, span[1])
            ordinals: list[int] = []
            for year in range(low, high + 1):
                ordinals.extend(self._year_ordinals(year))
            self._span = (low, high, ordinals)
            return ordinals

    def add_working_days(self, start: date | datetime, n: int) -> date:
        """The n-th working day after `start` (not counted, working day or not); `start` itself for n=0."""
        start = _as_date(start)
        if n < 0:
            raise ValueError("n must not be negative")
        if n == 0:
            return start
        last_year = start.year
        while True:
            ordinals = self._working_ordinals(start.year, last_year)
            index = bisect_right(ordinals, start.toordinal()) + n - 1
            if index < len(ordinals):
                return date.fromordinal(ordinals[index])
            # Grow by enough years for the rest (a year has well over 200 working days).
            last_year = self._span[1] + (index - len(ordinals)) // 200 + 1

    def working_days_between(self, a: date | datetime, b: date | datetime) -> int:
        """Working days after `a` up to and including `b`; negative when `b` is before `a`."""
        a, b = _as_date(a), _as_date(b)
        if b < a:
            return -self.working_days_between(b, a)
        ordinals = self._working_ordinals(a.year, b.year)
        return bisect_right(ordinals, b.toordinal()) - bisect_right(ordinals, a.toordinal())

    def non_working_days_between(
        self, a: date | datetime, b: date | datetime, language: str | None = None
    ) -> list[NonWorkingDay]:
        """The days after `a` up to and including `b` that are not working days, with their names."""
        a, b = _as_date(a), _as_date(b)
        days = []
        for ordinal in range(a.toordinal() + 1, b.toordinal() + 1):
            day = date.fromordinal(ordinal)
            if not self.is_working_day(day):
                days.append(NonWorkingDay(day, self.holiday_names(day, language), day.weekday() >= 5))
        return days

    def add_days(self, start: date | datetime, n: int, day_type: str) -> date:
        if day_type == DayType.WORKING:
            return self.add_working_days(start, n)
        if day_type == DayType.CALENDAR:
            return add_calendar_days(start, n)
        raise ValueError(f"unknown day type: {day_type!r}")

    # Explanation

    def explain_due(self, start: date | datetime, n: int, day_type: str, language: str | None = None) -> str:
        # override(None) would switch translation off (English month names): resolve the active language.
        language = language or translation.get_language() or "id"
        start = _as_date(start)
        key = (start, n, day_type, language)
        explanation = self._explanations.get(key)
        if explanation is None:
            if len(self._explanations) >= EXPLANATIONS_KEPT:
                self._explanations.clear()
            explanation = self._explanations[key] = self._explain_due(start, n, day_type, language)
        return explanation

    def _explain_due(self, start: date, n: int, day_type: str, language: str) -> str:
        due = self.add_days(start, n, day_type)
        with translation.override(language):
            if day_type == DayType.CALENDAR:
                counting = ngettext(
                    "%(count)d hari kalender sejak %(start)s", "%(count)d hari kalender sejak %(start)s", n
                ) % {"count": n, "start": date_format(start, "j F Y")}
            else:
                counting = ngettext(
                    "%(count)d hari kerja sejak %(start)s", "%(count)d hari kerja sejak %(start)s", n
                ) % {"count": n, "start": date_format(start, "j F Y")}
                clauses = self._explain_clauses(start, due, language)
                counting = ", ".join([counting, *clauses])
            return gettext("%(counting)s: batas waktu %(due)s.") % {
                "counting": counting,
                "due": date_format(due, "l, j F Y"),
            }

    def _explain_clauses(self, start: date, due: date, language: str) -> list[str]:
        """'not counting <holiday ranges> and weekends' and 'but counting <days made working days>'."""
        groups: list[list[NonWorkingDay]] = []
        for day in self.non_working_days_between(start, due, language):
            if groups and (day.date - groups[-1][-1].date).days == 1:
                groups[-1].append(day)
            else:
                groups.append([day])
        items = []
        plain_weekend = False
        for group in groups:
            # A range is named by its holidays; plain weekend days at its edges are just "weekends".
            named = [i for i, day in enumerate(group) if day.names]
            if not named:
                plain_weekend = True
                continue
            if named[0] > 0 or named[-1] < len(group) - 1:
                plain_weekend = True
            group = group[named[0] : named[-1] + 1]
            names = list(dict.fromkeys(name for day in group for name in day.names))
            items.append(f"{_format_range(group[0].date, group[-1].date, start.year)} ({', '.join(names)})")
        if plain_weekend:
            items.append(gettext("akhir pekan"))
        clauses = []
        if items:
            clauses.append(gettext("tidak termasuk %(days)s") % {"days": get_text_list(items, gettext("dan"))})
        # Days an override made working days although they are weekends or holidays by default.
        extra = [
            f"{_format_range(day, day, start.year)} ({override.name})"
            for day, override in sorted(self._overrides.items())
            if start < day <= due and override.is_working_day and not self._is_default_working_day(day)
        ]
        if extra:
            clauses.append(gettext("tetapi termasuk %(days)s") % {"days": get_text_list(extra, gettext("dan"))})
        return clauses


def _format_day(day: date, with_year: bool) -> str:
    return date_format(day, "j F Y" if with_year else "j F")


def _format_range(first: date, last: date, reference_year: int) -> str:
    """'3 April', '18–24 Maret', '30 Maret – 2 April', with the year only when it is not the start's."""
    with_year = first.year != reference_year or last.year != reference_year
    if first == last:
        return _format_day(first, with_year)
    if (first.year, first.month) == (last.year, last.month):
        return f"{date_format(first, 'j')}–{_format_day(last, with_year)}"
    return f"{_format_day(first, with_year)} – {_format_day(last, with_year)}"


# --- The current snapshot and its invalidation ------------------------------------------------------------

_snapshot: Calendar | None = None
_snapshot_lock = threading.Lock()
# Set while this thread has an uncommitted override change: only its own connection can see it.
_pending = threading.local()


def _shared_version() -> str | None:
    try:
        version = cache.get(VERSION_CACHE_KEY)
        if version is None:
            # Missing (first start, cache flushed or evicted): a fresh token makes every process reload.
            cache.add(VERSION_CACHE_KEY, uuid.uuid4().hex, timeout=None)
            version = cache.get(VERSION_CACHE_KEY)
        return version
    except Exception:  # an unreachable cache must not stop submissions: load from the database instead
        logger.warning("Calendar version could not be read from the cache", exc_info=True)
        return None


def _uncommitted_change() -> bool:
    """Whether this thread changed an override in a transaction that is still open."""
    if not getattr(_pending, "active", False):
        return False
    connection = transaction.get_connection()
    # A rollback drops the queued on-commit callback; a commit runs it (and it clears the flag).
    if connection.in_atomic_block and any(_invalidate_after_commit in entry for entry in connection.run_on_commit):
        return True
    _pending.active = False
    return False


def get_calendar() -> Calendar:
    """The calendar as it is now. Costs one cache read; loads the overrides only after they changed."""
    global _snapshot
    if _uncommitted_change():
        # Inside the override's own transaction: see the change, but cache nothing a rollback would undo.
        return Calendar.load()
    version = _shared_version()
    if version is None:
        return Calendar.load()
    snapshot = _snapshot
    if snapshot is None or snapshot.version != version:
        # The token is read before the overrides: a change committed in between only causes another reload.
        snapshot = Calendar.load(version)
        with _snapshot_lock:
            _snapshot = snapshot
    return snapshot


def invalidate_calendar_cache() -> None:
    """Make every process reload the overrides (after any change to WorkingDayOverride rows)."""
    global _snapshot
    with _snapshot_lock:
        _snapshot = None
    try:
        cache.set(VERSION_CACHE_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.error("Calendar version could not be replaced in the cache", exc_info=True)


def _invalidate_after_commit() -> None:
    _pending.active = False
    invalidate_calendar_cache()


def _calendar_changed() -> None:
    _pending.active = True
    transaction.on_commit(_invalidate_after_commit)


# --- Reads ---------------------------------------------------------------------------------------------------


def is_working_day(day: date | datetime) -> bool:
    return get_calendar().is_working_day(day)


def add_working_days(start: date | datetime, n: int) -> date:
    """The n-th working day after `start`; `start` itself is not counted (API.md, "Deadlines")."""
    return get_calendar().add_working_days(start, n)


def package_holiday_names(day: date, language: str | None = None) -> tuple[str, ...]:
    """The names `holidays` gives `day` (national holidays, cuti bersama), ignoring the overrides."""
    names = _package_holidays(day.year).get(day)
    return names[_holiday_language(language)] if names else ()


def add_calendar_days(start: date | datetime, n: int) -> date:
    """`n` days after `start`, whatever they are (deadlines that the rules set in calendar days)."""
    if n < 0:
        raise ValueError("n must not be negative")
    return _as_date(start) + timedelta(days=n)


def add_days(start: date | datetime, n: int, day_type: str) -> date:
    return get_calendar().add_days(start, n, day_type)


def working_days_between(a: date | datetime, b: date | datetime) -> int:
    """Working days after `a` up to and including `b` (negative when `b` is before `a`).

    The inverse of `add_working_days`: `working_days_between(d, add_working_days(d, n)) == n`.
    """
    return get_calendar().working_days_between(a, b)


def non_working_days_between(
    a: date | datetime, b: date | datetime, language: str | None = None
) -> list[NonWorkingDay]:
    """Days after `a` up to and including `b` that are not working days, with their names in `language`."""
    return get_calendar().non_working_days_between(a, b, language)


def explain_due(start: date | datetime, n: int, day_type: str, language: str | None = None) -> str:
    """How the deadline of `n` days of `day_type` after `start` is computed, in plain words."""
    return get_calendar().explain_due(start, n, day_type, language)


def explain_paused(n: int, day_type: str, language: str | None = None) -> str:
    """The deadline of a case whose clock is paused: the days left, which continue when it resumes."""
    with translation.override(language or translation.get_language() or "id"):
        if day_type == DayType.CALENDAR:
            left = ngettext("%(count)d hari kalender", "%(count)d hari kalender", n) % {"count": n}
        else:
            left = ngettext("%(count)d hari kerja", "%(count)d hari kerja", n) % {"count": n}
        return gettext("Waktu penanganan berhenti sementara; sisa %(left)s berlanjut sejak proses dilanjutkan.") % {
            "left": left
        }


# --- Writes: the administrator's overrides ---------------------------------------------------------------


def working_day_override_save(*, date: date, is_working_day: bool, name: str, decree: str, user) -> WorkingDayOverride:
    """Create or replace the override of `date`. `user` None means the system itself (scripts, tests)."""
    if user is not None and not (
        user.has_perm("core.add_workingdayoverride") or user.has_perm("core.change_workingdayoverride")
    ):
        raise PermissionDenied(gettext("Anda tidak berwenang mengubah kalender hari kerja."))
    name, decree = (name or "").strip(), (decree or "").strip()
    errors = {}
    if not decree:
        errors["decree"] = ValidationError(
            gettext("Dasar keputusan wajib diisi: sebutkan nomor dan tanggal keputusan yang menetapkannya."),
            code="required",
        )
    if not name:
        errors["name"] = ValidationError(gettext("Keterangan wajib diisi."), code="required")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        override = WorkingDayOverride.objects.select_for_update().filter(date=date).first()
        if override is None:
            override = WorkingDayOverride(date=date, created_by=user)
        override.is_working_day = is_working_day
        override.name = name
        override.decree = decree
        override.full_clean(exclude=["created_by"], validate_unique=False)
        override.save()
        _calendar_changed()
    logger.info(
        "Working-day override saved: %s is %s (%s, %s) by user %s",
        date,
        "a working day" if is_working_day else "a holiday",
        name,
        decree,
        getattr(user, "pk", None),
    )
    return override


def working_day_override_delete(*, date: date, user) -> None:
    """Remove the override of `date`: the date follows the package's calendar again."""
    if user is not None and not user.has_perm("core.delete_workingdayoverride"):
        raise PermissionDenied(gettext("Anda tidak berwenang mengubah kalender hari kerja."))
    with transaction.atomic():
        deleted, _ = WorkingDayOverride.objects.filter(date=date).delete()
        if deleted:
            _calendar_changed()
    if deleted:
        logger.info("Working-day override deleted: %s by user %s", date, getattr(user, "pk", None))


# --- Writes: stored due dates after a calendar change -----------------------------------------------------


def due_dates_recompute(*, since: date | None = None) -> int:
    """Recompute the due date of every open case from its start, days and day type; return how many changed.

    `since`: only cases due on or after that date (or with no due date yet). A change of the calendar
    on date X cannot move a deadline that falls before X, so after an override of X, `since=X` suffices.

    Each changed case gets one internal "due_recomputed" event, written with the case row locked.
    Reads go in primary-key batches rather than one open cursor, because the batches write to the same
    table (SQLite gives no isolation between a running SELECT and writes on the same connection).
    """
    cal = get_calendar()
    open_cases = (
        Case.objects.filter(closed_at__isnull=True, due_start__isnull=False, due_days__isnull=False)
        .exclude(due_day_type="")
        .order_by("pk")
    )
    if since is not None:
        open_cases = open_cases.filter(Q(due_date__gte=since) | Q(due_date__isnull=True))
    changed_total = 0
    last_pk = 0
    while True:
        rows = list(
            open_cases.filter(pk__gt=last_pk).values_list("pk", "due_start", "due_days", "due_day_type", "due_date")[
                :RECOMPUTE_BATCH_SIZE
            ]
        )
        if not rows:
            return changed_total
        last_pk = rows[-1][0]
        changed = [pk for pk, start, days, day_type, due in rows if cal.add_days(start, days, day_type) != due]
        if changed:
            changed_total += _due_dates_apply(cal, changed)


def _due_dates_apply(cal: Calendar, pks: list[int]) -> int:
    """Store the new due dates of these cases, each with its event, under row locks; return the count."""
    by_new_date: dict[date, list[int]] = {}
    with transaction.atomic():
        locked = (
            Case.objects.select_for_update()
            .filter(pk__in=pks, closed_at__isnull=True, due_start__isnull=False, due_days__isnull=False)
            .exclude(due_day_type="")
            .order_by("pk")  # one lock order for every writer: no deadlocks
            .only(
                "pk",
                "tracking_code",
                "due_start",
                "due_days",
                "due_day_type",
                "due_date",
                "last_event_seq",
                "last_event_hash",
                "closed_at",
            )
        )
        for case in locked:
            # Compare again under the lock: a transition may have moved the deadline since the read.
            new = cal.add_days(case.due_start, case.due_days, case.due_day_type)
            if new == case.due_date:
                continue
            append_event(
                case=case,
                action="due_recomputed",
                public=False,
                data={"from": case.due_date.isoformat() if case.due_date else None, "to": new.isoformat()},
            )
            by_new_date.setdefault(new, []).append(case.pk)
        # After a calendar change most moved deadlines share a few new dates: one UPDATE per date.
        for new, group in by_new_date.items():
            Case.objects.filter(pk__in=group).update(due_date=new)
    return sum(len(group) for group in by_new_date.values())
