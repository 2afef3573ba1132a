"""The registers (Perki 1/2010 Lampiran format, legal.md §2c–2d) and the PPID report as rows and workbooks."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from sibaru.core.exports import keep_as_text
from sibaru.information.models import Obtain, Outcome

REQUEST_COLUMNS = [
    gettext_lazy("No"), gettext_lazy("Nomor pendaftaran"), gettext_lazy("Tanggal"), gettext_lazy("Nama"),
    gettext_lazy("Alamat"), gettext_lazy("Nomor kontak"), gettext_lazy("Pekerjaan"),
    gettext_lazy("Informasi yang diminta"), gettext_lazy("Tujuan penggunaan informasi"),
    gettext_lazy("Status informasi"), gettext_lazy("Bentuk informasi yang dikuasai"),
    gettext_lazy("Jenis permohonan"), gettext_lazy("Keputusan"), gettext_lazy("Alasan penolakan"),
    gettext_lazy("Hari dan tanggal pemberitahuan"), gettext_lazy("Biaya dan cara pembayaran"),
]
OBJECTION_COLUMNS = [
    gettext_lazy("Nomor registrasi keberatan"), gettext_lazy("Tanggal diterima"),
    gettext_lazy("Identitas pemohon/kuasa"), gettext_lazy("Nomor pendaftaran permohonan"),
    gettext_lazy("Informasi yang diminta"), gettext_lazy("Tujuan penggunaan informasi"),
    gettext_lazy("Alasan keberatan"), gettext_lazy("Keputusan atasan PPID"),
    gettext_lazy("Hari dan tanggal tanggapan"), gettext_lazy("Nama dan jabatan atasan PPID"),
    gettext_lazy("Tanggapan pemohon"),
]


def _day(value) -> str:
    return date_format(timezone.localdate(value) if hasattr(value, "hour") else value, "l, j F Y") if value else ""


def request_row(info) -> list[str]:
    decision = getattr(info, "decision", None) if _decided(info) else None
    status = ""
    reasons = ""
    if decision:
        status = (_("Tidak dikuasai; dikuasai oleh %(holder)s") % {"holder": decision.holder or "–"}
                  if decision.outcome == Outcome.NOT_HELD else _("Dikuasai"))
        reasons = "; ".join(f"{p.ground}: {p.description}" for p in decision.exempt_parts.all())
        if decision.outcome == Outcome.NOT_HELD:
            reasons = _("Belum/tidak dikuasai")
    fee = ""
    if decision and decision.fee:
        fee = _("Rp%(fee)s, %(state)s") % {"fee": f"{decision.fee:,}".replace(",", "."),
                                            "state": _("lunas") if decision.fee_paid_at else _("belum dibayar")}
    return [
        info.registration_number, _day(info.received_on), info.name, info.address,
        " / ".join(x for x in (info.phone, info.email) if x), info.occupation, info.information, info.purpose,
        status, _("softcopy, hardcopy") if decision and decision.outcome != Outcome.NOT_HELD else "",
        Obtain(info.obtain).label, Outcome(decision.outcome).label if decision else _("Dalam proses"), reasons,
        _day(decision.decided_at) if decision else "", fee,
    ]


def _decided(info) -> bool:
    from sibaru.information.selectors import _has_decision

    return _has_decision(info)


def objection_row(objection) -> list[str]:
    decide = objection.case.decide_events[0] if getattr(objection.case, "decide_events", None) else None
    superior = ""
    if decide and decide.actor:
        superior = ", ".join(x for x in (decide.actor.full_name, decide.actor.position) if x)
    identity = objection.request.name + (f" ({_('kuasa')}: {objection.proxy_name})" if objection.proxy_name else "")
    return [
        objection.registration_number, _day(objection.received_on), identity, objection.request.registration_number,
        objection.request.information, objection.request.purpose, f"{objection.ground}: {objection.ground.text}",
        objection.get_outcome_display() or _("Dalam proses"), _day(objection.decided_at), superior,
        requester_response(objection),
    ]


def requester_response(objection) -> str:
    """The register's last column: what the requester did after the superior's response, as the PPID recorded
    it; empty while the objection awaits that response."""
    if not objection.outcome:
        return ""
    if not objection.requester_response:
        return _("Belum ada tanggapan pemohon yang tercatat")
    text = f"{objection.get_requester_response_display()}, {_day(objection.requester_response_on)}"
    return f"{text}. {objection.requester_response_note}" if objection.requester_response_note else text


def _sheet(workbook, title, headers, rows):
    sheet = workbook.create_sheet(title[:31])
    sheet.append([str(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([str(v) for v in row])
        for cell in sheet[sheet.max_row]:
            keep_as_text(cell)  # names and requests are typed by the public
    sheet.freeze_panes = "A2"
    return sheet


def request_register_workbook(rows, period) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(workbook, _("Register permohonan"), REQUEST_COLUMNS,
           [[index, *request_row(info)] for index, info in enumerate(rows, start=1)])
    return workbook


def objection_register_workbook(rows, period) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(workbook, _("Register keberatan"), OBJECTION_COLUMNS, [objection_row(o) for o in rows])
    return workbook


def report_rows(report) -> list[tuple[str, object]]:
    """The "rincian pelayanan informasi publik" of the report, in the order the regulation lists them."""
    rows = [
        (_("Jumlah permohonan informasi"), report.received),
        (_("Permohonan yang sudah dijawab"), report.answered),
        (_("Permohonan yang masih diproses"), report.open),
        (_("Rata-rata waktu pemenuhan (hari kerja)"), report.average_days if report.average_days is not None else "–"),
        (_("Dijawab dalam 10 hari kerja"), report.within_10),
        (_("Dijawab dalam perpanjangan (11–17 hari kerja)"), report.within_17),
        (_("Dijawab lebih dari 17 hari kerja"), report.late),
    ]
    rows += [(label, count) for label, count in report.by_outcome]
    rows += [(_("Alasan pengecualian %(code)s") % {"code": code}, count) for code, count in report.refusal_grounds]
    rows += [(_("Jumlah keberatan"), report.objections), (_("Keberatan yang masih diproses"), report.objections_open)]
    rows += [(label, count) for label, count in report.objections_by_outcome]
    return rows


def report_workbook(report) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Rincian pelayanan")[:31]
    sheet.append([_("Laporan layanan informasi publik"), str(report.period.label)])
    sheet["A1"].font = Font(bold=True)
    sheet.append([])
    for label, value in report_rows(report):
        sheet.append([str(label), value])
    sheet.column_dimensions["A"].width = 55
    return workbook


def report_pdf(report) -> bytes:
    """The report's "rincian pelayanan" as the ministry's A4 document (core/pdf.py)."""
    from sibaru.core.pdf import Document

    document = Document(_("Laporan layanan informasi publik"), subject=str(report.period.label))
    document.paragraph(_("%(period)s. Disusun menurut Perki 1/2021 Pasal 56: laporan tahunan tersedia paling lambat "
                         "31 Maret tahun berikutnya.") % {"period": report.period.label})
    document.heading(_("Rincian pelayanan informasi publik"))
    document.table([_("Uraian"), _("Jumlah")], [(str(label), str(value)) for label, value in report_rows(report)])
    return document.render()
