"""The Bantuan documents out: the PDFs (the receipt of a submission, the revision notice, the decision
letter) and the columns of the proposal lists' XLSX exports.

Each is built from the proposal as `selectors.proposal_for` loads it (documents and locations prefetched)
and its case's events, in the reader's language, with the shared builder `sibaru.core.pdf`. Which document
exists in which state is decided here (`available`); the include template documents_out.html shows the
same links, and a test keeps the two in step.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sibaru.assistance.models import Proposal, ProposalDocument
from sibaru.core import workflow
from sibaru.core.calendar import add_days, explain_due
from sibaru.core.exports import Column
from sibaru.core.models import Event
from sibaru.core.pdf import Document

RECEIPT, REVISION_NOTICE, DECISION_LETTER = "tanda-terima", "pemberitahuan-perbaikan", "surat-penetapan"
SUBMISSIONS = ("submit", "resubmit")
HASH_CHARACTERS = 16  # enough to compare a file by eye with its full SHA-256


def _when(value: datetime) -> str:
    return date_format(timezone.localtime(value), "j F Y, H.i")


def _day(value: date) -> str:
    return date_format(value, "l, j F Y")


def _money(value) -> str:
    return "Rp " + number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


def tracking_url(proposal: Proposal) -> str:
    return settings.SITE_URL + reverse("portal:track_case", kwargs={"tracking_code": proposal.case.tracking_code})


def _events(proposal: Proposal, actions) -> list[Event]:
    """The case's events of these actions, oldest first (one query)."""
    return list(Event.objects.filter(case_id=proposal.case_id, action__in=actions)
                .only("seq", "at", "action", "to_state", "note").order_by("seq"))


def _deadline(proposal: Proposal, state_code: str, since: datetime) -> tuple[date | None, str]:
    """The deadline of the stage the case entered at `since`, and how it is counted.

    While the case is still in that stage, the stored (possibly extended) date; afterwards, recounted from
    the workflow's deadline, so a document printed later still says what was promised."""
    case = proposal.case
    if case.state == state_code and case.due_start and case.due_days:
        return case.effective_due_date, explain_due(case.due_start, case.due_days, case.due_day_type)
    flow = workflow.get(case.kind)
    deadline = flow.deadline_for(flow.state(state_code), case)
    if deadline is None:
        return None, ""
    start = timezone.localdate(since)
    return add_days(start, deadline.days, deadline.day_type), explain_due(start, deadline.days, deadline.day_type)


def _document(proposal: Proposal, title) -> Document:
    return Document(title, subject=f"{title} {proposal.case.tracking_code}",
                    keywords=f"SIBARU {proposal.case.tracking_code}")


def _identity(proposal: Proposal) -> list[tuple[str, object]]:
    programme = proposal.programme.name
    if proposal.programme_type_id:
        programme = f"{programme} · {proposal.programme_type.name}"
    return [
        (_("Nomor pelacakan"), proposal.case.tracking_code),
        (_("Nama kegiatan"), proposal.title),
        (_("Program"), programme),
        (_("Pengusul"), proposal.proposer.name),
        (_("Wilayah"), proposal.case.region.name if proposal.case.region_id else "–"),
        (_("Tahun anggaran"), str(proposal.budget_year)),
    ]


def _submitted_documents(proposal: Proposal) -> list[ProposalDocument]:
    """The documents as last sent: per requirement, the newest version that went out with a submission
    (replacements uploaded during a revision have round 0 until the revision is sent)."""
    chosen: dict[int, ProposalDocument] = {}
    for document in proposal.documents.all():  # prefetched, newest version first
        if document.submission_round and document.requirement_id not in chosen:
            chosen[document.requirement_id] = document
    return list(chosen.values())


def _tracking_qr(document: Document, proposal: Proposal) -> None:
    document.qr_code(tracking_url(proposal), caption=_("Pindai kode ini untuk melihat status usulan kapan saja."))


# --- The three documents ---------------------------------------------------------------------------------------


def receipt(proposal: Proposal) -> bytes:
    """Proof of the latest submission: what was sent, when, and what happens next by when."""
    sent = _events(proposal, SUBMISSIONS)[-1]
    resubmitted = sent.action == "resubmit"
    flow = workflow.get(proposal.case.kind)
    document = _document(proposal, _("Tanda terima perbaikan usulan") if resubmitted
                         else _("Tanda terima usulan bantuan perumahan"))
    letter = proposal.letter_number
    if proposal.letter_date:
        letter = _("%(number)s tanggal %(date)s") % {"number": letter, "date": date_format(proposal.letter_date,
                                                                                            "j F Y")}
    document.fields([
        *_identity(proposal),
        (_("Surat usulan"), letter or "–"),
        (_("Diterima"), _when(sent.at)),
        (_("Pengiriman ke-"), str(proposal.submission_round)),
    ])
    document.heading(_("Dokumen yang dikirim"))
    sent_documents = _submitted_documents(proposal)
    if sent_documents:
        document.table(
            [_("Dokumen"), _("Berkas"), _("Versi"), _("SHA-256 (awal)")],
            [(d.requirement.title, d.attachment.original_name, d.version, d.attachment.sha256[:HASH_CHARACTERS])
             for d in sent_documents],
            widths=(38, 32, 9, 21),
        )
        document.paragraph(_("SHA-256 adalah sidik jari berkas: berkas yang sama selalu menghasilkan kode yang "
                             "sama, sehingga Anda dapat memastikan berkas mana yang kami terima."), small=True)
    else:
        document.paragraph(_("Tidak ada dokumen."))
    document.heading(_("Apa yang terjadi selanjutnya"))
    document.paragraph(str(flow.state(sent.to_state).public_hint))
    due, explanation = _deadline(proposal, sent.to_state, sent.at)
    if due:
        document.paragraph(_("Tahap ini dijadwalkan selesai paling lambat %(due)s.") % {"due": _day(due)})
        document.paragraph(explanation, small=True)
    if resubmitted:
        document.paragraph(_("Direktorat teknis memeriksa kembali dokumen yang Anda ganti. Anda diberi tahu lewat "
                             "e-mail dan notifikasi bila ada perkembangan."))
    else:
        document.paragraph(_("Direktorat perencanaan meneruskan usulan ke direktorat teknis, yang memeriksa setiap "
                             "dokumen. Bila ada dokumen yang tidak lengkap, usulan dikembalikan untuk perbaikan. "
                             "Usulan yang lolos diverifikasi di lapangan, lalu dipertimbangkan untuk penetapan "
                             "sesuai kuota tahun anggaran."))
    if proposal.lapses_on:
        document.paragraph(_("Usulan berlaku sampai %(until)s: bila belum ditetapkan sampai tanggal itu, usulan "
                             "kedaluwarsa.") % {"until": date_format(proposal.lapses_on, "j F Y")})
    _tracking_qr(document, proposal)
    return document.render()


def revision_notice(proposal: Proposal) -> bytes:
    """The latest request for revision: which documents, the verifier's notes, and the deadline to resend."""
    requests = _events(proposal, ("request_revision",))
    latest = requests[-1]
    since = requests[-2].at if len(requests) > 1 else None
    incomplete = [
        d for d in proposal.documents.all()
        if d.review == ProposalDocument.Review.INCOMPLETE and d.reviewed_at
        and d.reviewed_at <= latest.at and (since is None or d.reviewed_at > since)
    ]
    document = _document(proposal, _("Pemberitahuan perbaikan usulan"))
    due, explanation = _deadline(proposal, "revision", latest.at)
    document.fields([
        *_identity(proposal),
        (_("Diminta pada"), _when(latest.at)),
        (_("Batas waktu perbaikan"), _day(due) if due else "–"),
    ])
    document.paragraph(_("Direktorat teknis memeriksa dokumen usulan Anda dan menemukan dokumen yang belum "
                         "lengkap. Ganti dokumen di bawah ini di halaman usulan, lalu kirim perbaikan. Dokumen "
                         "lain tidak perlu dikirim ulang."))
    if latest.note:
        document.heading(_("Catatan verifikator"))
        document.paragraph(latest.note)
    document.heading(_("Dokumen yang perlu diperbaiki"))
    if incomplete:
        document.table(
            [_("Dokumen"), _("Versi"), _("Catatan verifikator")],
            [(d.requirement.title, d.version, d.review_note or "–") for d in incomplete],
            widths=(35, 8, 57),
        )
    else:
        document.paragraph(_("Lihat catatan verifikator di atas."))
    if due:
        document.paragraph(_("Kirim perbaikan paling lambat %(due)s.") % {"due": _day(due)})
        document.paragraph(explanation, small=True)
    _tracking_qr(document, proposal)
    return document.render()


def decision_letter(proposal: Proposal) -> bytes:
    """The decision: its number and date, the units and budget decided, per location for BSPS."""
    decided = _events(proposal, ("decide",))[-1]
    unit = proposal.programme.unit_label
    document = _document(proposal, _("Surat pemberitahuan penetapan usulan"))
    document.fields([
        (_("Nomor penetapan"), proposal.decision_number),
        (_("Tanggal penetapan"), date_format(timezone.localtime(decided.at), "j F Y")),
        *_identity(proposal),
        (_("Volume ditetapkan"), f"{number_format(proposal.decided_units, force_grouping=True)} {unit}"),
        (_("Anggaran ditetapkan"), _money(proposal.decided_budget) if proposal.decided_budget is not None else "–"),
    ])
    document.paragraph(
        _("Berdasarkan hasil verifikasi administrasi dan verifikasi lapangan, usulan “%(title)s” dari %(proposer)s "
          "ditetapkan untuk menerima bantuan %(programme)s pada tahun anggaran %(year)s sebanyak %(units)s "
          "%(unit)s.") % {
            "title": proposal.title, "proposer": proposal.proposer.name, "programme": proposal.programme.name,
            "year": proposal.budget_year, "units": number_format(proposal.decided_units, force_grouping=True),
            "unit": unit,
        }
    )
    locations = list(proposal.locations.all())
    if locations:
        document.heading(_("Lokasi yang diusulkan"))
        document.table(
            [_("Desa/kelurahan"), _("Unit PK"), _("Unit PB")],
            [(loc.region.name, loc.units_pk, loc.units_pb) for loc in locations],
            widths=(60, 20, 20),
        )
    document.paragraph(_("Pelaksanaan bantuan mengikuti ketentuan program dan dipantau melalui SIBARU. Status "
                         "usulan ini dapat diperiksa kapan saja pada halaman pelacakan melalui kode QR di bawah."),
                       small=True)
    _tracking_qr(document, proposal)
    return document.render()


# --- Which documents exist, and their names ---------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    slug: str
    exists: Callable[[Proposal], bool]
    build: Callable[[Proposal], bytes]


KINDS = {
    RECEIPT: Kind(RECEIPT, lambda p: p.case.submitted_at is not None, receipt),
    # Every resubmission follows a revision, so a later round means a notice exists.
    REVISION_NOTICE: Kind(REVISION_NOTICE, lambda p: p.case.state == "revision" or p.submission_round > 1,
                          revision_notice),
    DECISION_LETTER: Kind(DECISION_LETTER, lambda p: bool(p.decision_number), decision_letter),
}


def available(proposal: Proposal) -> list[Kind]:
    return [kind for kind in KINDS.values() if kind.exists(proposal)]


def render(proposal: Proposal, kind: Kind, *, language: str) -> bytes:
    """The PDF of `kind` for the proposal in `language` (check `kind.exists(proposal)` first)."""
    with translation.override(language):
        return kind.build(proposal)


def filename(proposal: Proposal, kind: Kind) -> str:
    # Tracking codes are capitals, digits and dashes, and the slug is ours: nothing to escape.
    return f"{kind.slug}-{proposal.case.tracking_code}.pdf"


# --- The lists' XLSX exports: what the pages show, no personal data -------------------------------------------


def _state_label(proposal: Proposal):
    return workflow.get(proposal.case.kind).state(proposal.case.state).label


def _region(proposal: Proposal) -> str:
    return proposal.case.region.name if proposal.case.region_id else ""


def _common_columns() -> list[Column]:
    return [
        Column(gettext_lazy("Nomor pelacakan"), lambda p: p.case.tracking_code, width=24),
        Column(gettext_lazy("Nama kegiatan"), lambda p: p.title, width=45),
        Column(gettext_lazy("Program"), lambda p: p.programme.name, width=24),
        Column(gettext_lazy("Tahun anggaran"), lambda p: p.budget_year, width=10),
        Column(gettext_lazy("Wilayah"), _region, width=22),
        Column(gettext_lazy("Status"), _state_label, width=22),
        Column(gettext_lazy("Dikirim"), lambda p: p.case.submitted_at, width=18),
        Column(gettext_lazy("Batas waktu"), lambda p: p.case.effective_due_date, width=12),
    ]


def proposal_list_columns() -> list[Column]:
    """The proposer's “Usulan saya”, with the volumes asked and decided."""
    return [
        *_common_columns(),
        Column(gettext_lazy("Volume diusulkan"), lambda p: p.units, width=10),
        Column(gettext_lazy("Perkiraan anggaran (Rp)"), lambda p: p.estimated_budget, width=16),
        Column(gettext_lazy("Volume ditetapkan"), lambda p: p.decided_units, width=10),
        Column(gettext_lazy("Anggaran ditetapkan (Rp)"), lambda p: p.decided_budget, width=16),
        Column(gettext_lazy("Nomor penetapan"), lambda p: p.decision_number, width=20),
    ]


def review_queue_columns() -> list[Column]:
    """The reviewers' inbox: who proposed, in which category."""
    return [
        *_common_columns(),
        Column(gettext_lazy("Pengusul"), lambda p: p.proposer.name, width=28),
        Column(gettext_lazy("Kategori pengusul"), lambda p: p.category.name if p.category_id else "", width=24),
        Column(gettext_lazy("Volume diusulkan"), lambda p: p.units, width=10),
    ]
