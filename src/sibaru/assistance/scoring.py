"""The priority score of a proposal: visible criteria, weights that are data, and a sentence per part.

Each criterion (PriorityCriterion, seeded in migrations/0002_seed_catalogue.py) gives a raw value, which
is multiplied by its weight:

- ``category``: the proposer category's priority score (1–7, housing.md §5.3); 0 without a category.
- ``readiness``: the share of the applicable technical readiness criteria the proposer states are met
  (``Proposal.readiness``: requirement code → true), on a 0–10 scale.
- ``documents``: the share of the applicable optional documents uploaded (current versions), on a 0–10
  scale; left out when the requirement list has no optional document.
- ``rtlh`` (BSPS only): uninhabitable houses in the target locations per proposed unit (PK + PB), capped
  at 10.

A criterion that does not apply is left out rather than counted as 0, so proposals of one programme are
compared on the same parts. A criterion an administrator deletes is no longer scored; one with a code
this module does not know is ignored. The score is a pure read and never stored.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sibaru.assistance.catalogue import translated
from sibaru.assistance.models import PriorityCriterion, Proposal, Requirement

SCALE = Decimal(10)
RTLH_CAP = Decimal(10)
RTLH_PROGRAMMES = frozenset({"swadaya"})
CENT = Decimal("0.01")
ORDER = ("category", "readiness", "documents", "rtlh")


@dataclass(frozen=True)
class ScorePart:
    code: str
    name: str
    raw: Decimal
    weight: Decimal
    points: Decimal
    explanation: str


@dataclass(frozen=True)
class Score:
    total: Decimal
    parts: list[ScorePart]

    def part(self, code: str) -> ScorePart | None:
        return next((p for p in self.parts if p.code == code), None)


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _number(value: Decimal, places: int | None = None) -> str:
    """In the active language's format: 7, 6,67 (id) or 6.67 (en); whole raw values without decimals."""
    if places is None:
        places = 0 if value == value.to_integral_value() else 2
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def _applicable(proposal: Proposal) -> list[Requirement]:
    category = proposal.category.code if proposal.category_id else ""
    type_code = proposal.programme_type.code if proposal.programme_type_id else ""
    # .all() so that a caller's prefetch_related("requirement_set__requirements") is used.
    return [
        r for r in proposal.requirement_set.requirements.all()
        if r.applies_to(category_code=category, type_code=type_code)
    ]


def _category(proposal: Proposal, requirements: list[Requirement]):
    if not proposal.category_id:
        return Decimal(0), _("Kategori pengusul belum dipilih: nilai prioritas 0 × bobot %(weight)s = %(points)s"), {}
    category = proposal.category
    return (
        Decimal(category.priority_score),
        _("Kategori pengusul %(category)s: nilai prioritas %(raw)s × bobot %(weight)s = %(points)s"),
        {"category": translated(category.name)},
    )


def _readiness(proposal: Proposal, requirements: list[Requirement]):
    criteria = [r for r in requirements if r.kind == Requirement.Kind.TECHNICAL]
    if not criteria:
        return None
    readiness = proposal.readiness if isinstance(proposal.readiness, dict) else {}
    met = sum(1 for r in criteria if readiness.get(r.code) is True)
    total = len(criteria)
    return (
        _round(SCALE * met / total),
        ngettext(
            "Kesiapan teknis: %(met)d dari %(total)d kriteria terpenuhi, nilai %(raw)s dari 10 × bobot %(weight)s "
            "= %(points)s",
            "Kesiapan teknis: %(met)d dari %(total)d kriteria terpenuhi, nilai %(raw)s dari 10 × bobot %(weight)s "
            "= %(points)s",
            total,
        ),
        {"met": met, "total": total},
    )


def _documents(proposal: Proposal, requirements: list[Requirement]):
    optional = [r for r in requirements if r.kind == Requirement.Kind.ADMINISTRATIVE and not r.mandatory]
    if not optional:
        return None
    # .all() so that a caller's prefetch_related("documents") is used.
    uploaded = {d.requirement_id for d in proposal.documents.all() if d.current}
    provided = sum(1 for r in optional if r.pk in uploaded)
    total = len(optional)
    return (
        _round(SCALE * provided / total),
        ngettext(
            "Dokumen pendukung: %(provided)d dari %(total)d dokumen tidak wajib diunggah, nilai %(raw)s dari 10 × "
            "bobot %(weight)s = %(points)s",
            "Dokumen pendukung: %(provided)d dari %(total)d dokumen tidak wajib diunggah, nilai %(raw)s dari 10 × "
            "bobot %(weight)s = %(points)s",
            total,
        ),
        {"provided": provided, "total": total},
    )


def _rtlh(proposal: Proposal, requirements: list[Requirement]):
    if proposal.programme.code not in RTLH_PROGRAMMES:
        return None
    locations = list(proposal.locations.all())
    houses = sum(location.uninhabitable_houses for location in locations)
    units = sum(location.units_pk + location.units_pb for location in locations)
    if not units:
        return (
            Decimal(0),
            _("Kebutuhan RTLH: belum ada unit yang diusulkan, nilai 0 × bobot %(weight)s = %(points)s"),
            {},
        )
    return (
        _round(min(Decimal(houses) / units, RTLH_CAP)),
        _("Kebutuhan RTLH: %(houses)s RTLH untuk %(units)s unit yang diusulkan, nilai %(raw)s (paling tinggi "
          "%(cap)s) × bobot %(weight)s = %(points)s"),
        {"houses": _number(Decimal(houses), 0), "units": _number(Decimal(units), 0), "cap": _number(RTLH_CAP, 0)},
    )


CRITERIA = {"category": _category, "readiness": _readiness, "documents": _documents, "rtlh": _rtlh}


def priority_score(proposal: Proposal, *, criteria: Iterable[PriorityCriterion] | None = None) -> Score:
    """The proposal's score with one explained part per applicable criterion, in the active language.

    Pass `criteria` (the PriorityCriterion rows) when scoring many proposals, to read them once.
    """
    rows = {c.code: c for c in (PriorityCriterion.objects.all() if criteria is None else criteria)}
    requirements = _applicable(proposal)
    parts = []
    for code in ORDER:
        criterion = rows.get(code)
        if criterion is None:
            continue
        weight = Decimal(criterion.weight)
        result = CRITERIA[code](proposal, requirements)
        if result is None:
            continue
        raw, message, params = result
        points = _round(raw * weight)
        explanation = message % {
            **params, "raw": _number(raw), "weight": _number(weight, 2), "points": _number(points, 2),
        }
        parts.append(ScorePart(code=code, name=translated(criterion.name), raw=raw, weight=weight, points=points,
                               explanation=explanation))
    return Score(total=sum((p.points for p in parts), Decimal("0.00")), parts=parts)
