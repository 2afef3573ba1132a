"""Implementation monitoring after the decision: the SK, KPB, TFL, suppliers, purchase plan, tranches, progress
per house with photos, the hand-over steps and the gate before the hand-over; the pages, the API, who may
do what, and constant queries."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sibaru.accounts.services import api_token_issue
from sibaru.assistance import implementation as impl
from sibaru.assistance import services
from sibaru.assistance.models import (
    Beneficiary,
    BeneficiaryDecree,
    PaymentTranche,
    ProgressReport,
    Proposal,
    ProposalDocument,
)
from sibaru.assistance.tests.test_views import distributed, submitted
from sibaru.core.attachments import check_upload
from sibaru.core.models import Attachment, Event
from sibaru.core.services import ActionNotAllowed, case_apply_action

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489") + b"\x00" * 64
TODAY = timezone.localdate()
LAST_WEEK = TODAY - timedelta(days=7)


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}
    return tmp_path


def pdf(name="sk.pdf"):
    return check_upload(SimpleUploadedFile(name, PDF))


def png(name="rumah.png"):
    return check_upload(SimpleUploadedFile(name, PNG))


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def url(name, proposal, **kwargs):
    return reverse(f"assistance:{name}", kwargs={"tracking_code": proposal.case.tracking_code, **kwargs})


def _beneficiaries(proposal, count, start=1):
    """Beneficiaries as the dossier's import leaves them (the import is tested in test_beneficiaries)."""
    location = proposal.locations.select_related("region").first()
    return [
        Beneficiary.objects.create(
            proposal=proposal, location=location, nik=f"327301010190{n:04d}", family_card_number=f"32730101019{n:05d}",
            name=f"Warga {n}", address=f"Jl. Sukarasa {n}", village=location.region, monthly_income=2_000_000,
            land_status="SHM", household_size=4, floor_area=Decimal("20"), house_condition={}, activity="PK",
        )
        for n in range(start, start + count)
    ]


def _decide(staff, proposal):
    verifier = staff["swadaya_verifier"]
    for document in ProposalDocument.objects.filter(proposal=proposal, current=True):
        services.proposal_document_review(document=document, user=verifier, complete=True)
    case_apply_action(case=proposal.case, action="pass_administrative", user=verifier)
    for location in proposal.locations.all():
        services.field_visit_record(proposal=proposal, user=verifier, visited_on=LAST_WEEK, result="eligible",
                                    checklist={}, location=location)
    case_apply_action(case=proposal.case, action="find_eligible", user=verifier)
    case_apply_action(case=proposal.case, action="decide", user=staff["decider"],
                      data={"units": 3, "decision_number": "KEP/2031/1", "budget": "60000000"})
    return Proposal.objects.select_related("case").get(pk=proposal.pk)


@pytest.fixture
def decided(staff, catalogue, regions, directorates):
    proposal = distributed(staff, catalogue, regions, directorates)  # with one beneficiary, Ujang Suparman
    _beneficiaries(proposal, 2)
    return _decide(staff, proposal)


@pytest.fixture
def implementing(decided, staff):
    case_apply_action(case=decided.case, action="start_implementation", user=staff["swadaya_verifier"])
    return Proposal.objects.select_related("case").get(pk=decided.pk)


def _record_sk(proposal, user, beneficiaries=None):
    if beneficiaries is None:
        beneficiaries = proposal.beneficiaries.all()
    return impl.decree_record(proposal=proposal, user=user, number="SK-PPK/2031/7", date=LAST_WEEK,
                              signatory="PPK Rumah Swadaya", checked=pdf(), beneficiaries=beneficiaries)


def _all_progress(proposal, user, stages=(0, 50, 100)):
    for beneficiary in proposal.beneficiaries.all():
        for stage in stages:
            impl.progress_report(proposal=proposal, user=user, stage=stage, checked=png(), taken_on=LAST_WEEK,
                                 beneficiary=beneficiary)


# --- Services --------------------------------------------------------------------------------------------------


def test_the_sk_names_each_beneficiary_once_and_records_an_internal_event(implementing, staff, media):
    verifier = staff["swadaya_verifier"]
    first, second, third = implementing.beneficiaries.order_by("pk")
    decree = _record_sk(implementing, verifier, [first, second])
    assert set(decree.beneficiaries.all()) == {first, second}
    event = Event.objects.filter(case=implementing.case).latest("seq")
    assert (event.action, event.public, event.data) == ("decree_recorded", False,
                                                         {"number": "SK-PPK/2031/7", "beneficiaries": 2})
    assert event.attachments.get().pk == decree.attachment_id

    files_before = sorted(p.name for p in media.rglob("*") if p.is_file())
    with pytest.raises(ValidationError) as error:
        impl.decree_record(proposal=implementing, user=verifier, number="SK-PPK/2031/8", date=LAST_WEEK,
                           signatory="PPK", checked=pdf("lain.pdf"), beneficiaries=[second, third])
    assert error.value.message_dict == {"beneficiaries": ["1 penerima sudah ditetapkan dalam SK lain."]}
    # Nothing half-saved: no decree, no attachment, no event, no file.
    assert BeneficiaryDecree.objects.count() == 1 and Attachment.objects.filter(original_name="lain.pdf").count() == 0
    assert Event.objects.filter(case=implementing.case).latest("seq").pk == event.pk
    assert sorted(p.name for p in media.rglob("*") if p.is_file()) == files_before

    with pytest.raises(ValidationError, match="Pilih penerima"):
        impl.decree_record(proposal=implementing, user=verifier, number="SK-9", date=LAST_WEEK, signatory="PPK",
                           checked=pdf(), beneficiaries=[])
    with pytest.raises(ValidationError, match="masa depan"):
        impl.decree_record(proposal=implementing, user=verifier, number="SK-9", date=TODAY + timedelta(days=1),
                           signatory="PPK", checked=pdf(), beneficiaries=[third])


def test_only_the_verifier_records_and_only_between_decision_and_hand_over(staff, catalogue, regions, directorates,
                                                                          decided):
    with pytest.raises(PermissionDenied):
        _record_sk(decided, staff["operator"])
    with pytest.raises(PermissionDenied):
        _record_sk(decided, staff["province_monitor"])
    _record_sk(decided, staff["swadaya_verifier"])  # already while decided

    early = submitted(staff, catalogue, regions, title="Belum ditetapkan")
    with pytest.raises(PermissionDenied):  # the verifier's directorate does not hold it yet
        impl.supplier_add(proposal=early, user=staff["swadaya_verifier"], name="TB", registration="0123456789012",
                          address="Jl.")
    under_review = distributed(staff, catalogue, regions, directorates, title="Dalam verifikasi")
    with pytest.raises(ActionNotAllowed, match="setelah usulan ditetapkan"):
        impl.supplier_add(proposal=under_review, user=staff["swadaya_verifier"], name="TB",
                          registration="0123456789012", address="Jl.")


def test_groups_facilitators_suppliers_plan_and_tranches(implementing, staff):
    verifier = staff["swadaya_verifier"]
    first, second, third = implementing.beneficiaries.order_by("pk")
    with pytest.raises(ValidationError, match="sudah ditetapkan dalam SK"):
        impl.group_create(proposal=implementing, user=verifier, name="KPB Mawar", chair=first, members=[first])
    _record_sk(implementing, verifier)
    with pytest.raises(ValidationError, match="Ketua harus"):
        impl.group_create(proposal=implementing, user=verifier, name="KPB Mawar", chair=third, members=[first])
    group = impl.group_create(proposal=implementing, user=verifier, name="KPB Mawar", chair=first,
                              members=[first, second])
    with pytest.raises(ValidationError, match="1 anggota sudah tergabung"):
        impl.group_create(proposal=implementing, user=verifier, name="KPB Melati", chair=third,
                          members=[second, third])
    tfl = impl.facilitator_add(proposal=implementing, user=verifier, name="Budi TFL", phone="0812 3456 789",
                               groups=[group], locations=implementing.locations.all())
    assert list(tfl.groups.all()) == [group] and tfl.locations.count() == 2

    with pytest.raises(ValidationError) as error:
        impl.supplier_add(proposal=implementing, user=verifier, name="", registration="12AB", address="")
    assert set(error.value.message_dict) == {"name", "registration", "address"}
    shop = impl.supplier_add(proposal=implementing, user=verifier, name="TB Sinar Jaya",
                             registration="01.234.567.8-901.000", address="Jl. Setiabudi 1")
    assert shop.registration == "012345678901000"
    with pytest.raises(ValidationError, match="sudah dicatat"):
        impl.supplier_add(proposal=implementing, user=verifier, name="Lagi", registration="012345678901000",
                          address="Jl.")
    line = impl.purchase_line_add(proposal=implementing, user=verifier, group=group, item="Semen",
                                  quantity=Decimal("40"), unit="sak", unit_price=Decimal("65000"), supplier=shop)
    assert line.total == 2_600_000

    tranche = impl.tranche_record(proposal=implementing, user=verifier, percentage=Decimal("70"),
                                  amount=Decimal("42000000"), paid_on=LAST_WEEK, checked=pdf("bukti.pdf"),
                                  supplier=shop)
    assert tranche.number == 1
    with pytest.raises(ValidationError, match="Melebihi 100 %: sudah disalurkan 70 %"):
        impl.tranche_record(proposal=implementing, user=verifier, percentage=Decimal("40"), amount=Decimal("1"),
                            paid_on=LAST_WEEK, checked=pdf())
    with pytest.raises(ValidationError, match="sisa Rp18.000.000"):
        impl.tranche_record(proposal=implementing, user=verifier, percentage=Decimal("30"),
                            amount=Decimal("20000000"), paid_on=LAST_WEEK, checked=pdf())
    assert impl.tranche_record(proposal=implementing, user=verifier, percentage=Decimal("30"),
                               amount=Decimal("18000000"), paid_on=LAST_WEEK, checked=pdf()).number == 2
    actions = list(Event.objects.filter(case=implementing.case, public=False).values_list("action", flat=True))
    for action in ("group_created", "facilitator_added", "supplier_added", "purchase_line_added", "tranche_recorded"):
        assert action in actions


def test_progress_is_reported_stage_by_stage_by_the_verifier_or_the_proposer(implementing, staff):
    verifier, operator = staff["swadaya_verifier"], staff["operator"]
    first, second, _third = implementing.beneficiaries.order_by("pk")
    _record_sk(implementing, verifier, [first, second])
    with pytest.raises(ValidationError, match="Laporkan dulu tahap 0 %"):
        impl.progress_report(proposal=implementing, user=operator, stage=50, checked=png(), taken_on=LAST_WEEK,
                             beneficiary=first)
    impl.progress_report(proposal=implementing, user=operator, stage=0, checked=png(), taken_on=LAST_WEEK,
                         beneficiary=first, latitude=Decimal("-6.87"), longitude=Decimal("107.59"))
    with pytest.raises(ValidationError, match="sudah dilaporkan"):
        impl.progress_report(proposal=implementing, user=verifier, stage=0, checked=png(), taken_on=LAST_WEEK,
                             beneficiary=first)
    with pytest.raises(ValidationError, match="Tahap tidak dikenal"):
        impl.progress_report(proposal=implementing, user=verifier, stage=30, checked=png(), taken_on=LAST_WEEK,
                             beneficiary=first)
    with pytest.raises(ValidationError, match="belum ditetapkan dalam SK"):
        impl.progress_report(proposal=implementing, user=verifier, stage=0, checked=png(), taken_on=LAST_WEEK,
                             beneficiary=_third)
    with pytest.raises(ValidationError, match="Lintang"):
        impl.progress_report(proposal=implementing, user=verifier, stage=50, checked=png(), taken_on=LAST_WEEK,
                             beneficiary=first, latitude=Decimal("45"))
    with pytest.raises(PermissionDenied):
        impl.progress_report(proposal=implementing, user=staff["province_monitor"], stage=50, checked=png(),
                             taken_on=LAST_WEEK, beneficiary=first)
    impl.progress_report(proposal=implementing, user=verifier, stage=50, checked=png(), taken_on=LAST_WEEK,
                         beneficiary=first)
    summary = impl.implementation_summary(implementing)
    assert [(h.beneficiary, h.stage) for h in summary.houses] == [(first, 50), (second, None)]
    assert summary.at_stage == [(None, 1), (0, 0), (50, 1), (100, 0)]
    assert summary.percent_complete == 0


def test_the_stages_are_a_setting(implementing, staff, settings):
    settings.ASSISTANCE_PROGRESS_STAGES = ["0", "30", "100"]
    verifier = staff["swadaya_verifier"]
    _record_sk(implementing, verifier)
    beneficiary = implementing.beneficiaries.first()
    impl.progress_report(proposal=implementing, user=verifier, stage=0, checked=png(), taken_on=LAST_WEEK,
                         beneficiary=beneficiary)
    impl.progress_report(proposal=implementing, user=verifier, stage=30, checked=png(), taken_on=LAST_WEEK,
                         beneficiary=beneficiary)
    assert impl.implementation_summary(implementing).stages == [0, 30, 100]


def test_the_hand_over_waits_for_every_house_and_the_bast(implementing, staff):
    verifier = staff["swadaya_verifier"]
    with pytest.raises(ActionNotAllowed) as refused:
        case_apply_action(case=implementing.case, action="hand_over", user=verifier)
    assert refused.value.code == "implementation_incomplete"
    assert "BAST serah terima belum dicatat." in refused.value.details["implementation"]

    _record_sk(implementing, verifier)
    _all_progress(implementing, verifier, stages=(0, 50))
    last = implementing.beneficiaries.order_by("pk").last()
    impl.hand_over_step_record(proposal=implementing, user=verifier, status="bast_in_process", date=LAST_WEEK)
    with pytest.raises(ValidationError) as error:
        impl.hand_over_step_record(proposal=implementing, user=verifier, status="decree_issued", date=LAST_WEEK)
    assert set(error.value.message_dict) == {"document_number", "file"}
    impl.hand_over_step_record(proposal=implementing, user=verifier, status="decree_issued", date=LAST_WEEK,
                               document_number="BAST/2031/12", checked=pdf("bast.pdf"))
    with pytest.raises(ValidationError, match="sudah sampai"):
        impl.hand_over_step_record(proposal=implementing, user=verifier, status="bast_in_process", date=LAST_WEEK)
    with pytest.raises(ActionNotAllowed, match="3 rumah belum mencapai tahap 100 %"):
        case_apply_action(case=implementing.case, action="hand_over", user=verifier)

    for beneficiary in implementing.beneficiaries.all():
        impl.progress_report(proposal=implementing, user=verifier, stage=100, checked=png(), taken_on=TODAY,
                             beneficiary=beneficiary)
    assert impl.hand_over_blockers(implementing) == []
    case_apply_action(case=implementing.case, action="hand_over", user=verifier)
    implementing.refresh_from_db()
    assert (implementing.case.state, implementing.hand_over) == ("handed_over", "handed_over")
    with pytest.raises(ActionNotAllowed, match="sebelum serah terima"):
        impl.progress_report(proposal=implementing, user=verifier, stage=100, checked=png(), taken_on=TODAY,
                             beneficiary=last)


def test_programmes_without_beneficiaries_report_named_units(staff, catalogue, regions, directorates):
    proposal = distributed(staff, catalogue, regions, directorates)
    proposal.beneficiaries.all().delete()  # as a Rusun, Rusus or PSU proposal has none
    proposal = _decide(staff, proposal)
    verifier = staff["swadaya_verifier"]
    with pytest.raises(ValidationError, match="Tulis nama unit"):
        impl.progress_report(proposal=proposal, user=verifier, stage=0, checked=png(), taken_on=LAST_WEEK)
    impl.progress_report(proposal=proposal, user=verifier, stage=0, checked=png(), taken_on=LAST_WEEK, unit="Blok A")
    assert [h.label for h in impl.proposal_houses(proposal)] == ["Blok A"]
    assert "1 rumah belum mencapai tahap 100 %." in impl.hand_over_blockers(proposal)


# --- Pages -----------------------------------------------------------------------------------------------------


def test_the_dashboard_shows_the_summary_with_constant_queries(client, implementing, staff,
                                                               django_assert_max_num_queries):
    verifier = staff["swadaya_verifier"]
    _record_sk(implementing, verifier)
    _all_progress(implementing, verifier, stages=(0,))
    client.force_login(verifier)
    with django_assert_max_num_queries(40) as few:
        page = text(client.get(url("implementation", implementing)))
    assert "0 dari 3 rumah mencapai 100 %" in page and "Warga 1" in page and "BAST serah terima belum dicatat." in page
    assert "Catat SK penetapan penerima" in page and "Bentuk KPB" in page
    # Twice the houses and reports: the same number of queries.
    more = _beneficiaries(implementing, 3, start=4)
    impl.decree_record(proposal=implementing, user=verifier, number="SK-2", date=LAST_WEEK, signatory="PPK",
                       checked=pdf(), beneficiaries=more)
    for beneficiary in more:
        impl.progress_report(proposal=implementing, user=verifier, stage=0, checked=png(), taken_on=LAST_WEEK,
                             beneficiary=beneficiary)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "0 dari 6 rumah" in text(client.get(url("implementation", implementing)))


def test_the_province_monitor_sees_figures_without_names_or_photos(client, implementing, staff):
    verifier = staff["swadaya_verifier"]
    _record_sk(implementing, verifier)
    _all_progress(implementing, verifier, stages=(0,))
    client.force_login(staff["province_monitor"])
    page = text(client.get(url("implementation", implementing)))
    assert "Rumah 1" in page and "Warga 1" not in page and "Catat SK" not in page and "Laporkan kemajuan" not in page
    photo = ProgressReport.objects.first().attachment_id
    assert client.get(url("implementation_file", implementing, attachment_id=photo)).status_code == 404
    assert client.post(url("implementation_record", implementing, record="penyedia"), {}).status_code == 403
    client.force_login(staff["operator"])
    assert client.get(url("implementation_file", implementing, attachment_id=photo)).status_code == 200
    # An attachment of the case that is not an implementation record is not served here.
    document = ProposalDocument.objects.filter(proposal=implementing).first().attachment_id
    assert client.get(url("implementation_file", implementing, attachment_id=document)).status_code == 404


def test_the_dashboard_is_for_decided_proposals_only(client, staff, catalogue, regions):
    proposal = submitted(staff, catalogue, regions)
    client.force_login(staff["operator"])
    assert client.get(url("implementation", proposal)).status_code == 404


def test_recording_forms_show_errors_and_save(client, implementing, staff):
    client.force_login(staff["swadaya_verifier"])
    bad = client.post(url("implementation_record", implementing, record="sk"), {
        "sk-number": "SK/1", "sk-date": LAST_WEEK.isoformat(), "sk-signatory": "PPK",
        "sk-file": SimpleUploadedFile("sk.pdf", PNG),
    })
    assert bad.status_code == 400 and "Isi berkas sk.pdf bukan PDF" in text(bad)
    assert not BeneficiaryDecree.objects.exists()
    ids = list(implementing.beneficiaries.values_list("pk", flat=True))
    good = client.post(url("implementation_record", implementing, record="sk"), {
        "sk-number": "SK/1", "sk-date": LAST_WEEK.isoformat(), "sk-signatory": "PPK",
        "sk-file": SimpleUploadedFile("sk.pdf", PDF), "sk-beneficiaries": ids,
    })
    assert good.status_code == 302 and BeneficiaryDecree.objects.get().beneficiaries.count() == 3
    supplier = client.post(url("implementation_record", implementing, record="penyedia"), {
        "penyedia-name": "TB Maju", "penyedia-registration": "1234567890123", "penyedia-address": "Jl. A"})
    assert supplier.status_code == 302
    tranche = client.post(url("implementation_record", implementing, record="tahap"), {
        "tahap-percentage": "120", "tahap-amount": "1000", "tahap-paid_on": LAST_WEEK.isoformat(),
        "tahap-file": SimpleUploadedFile("bukti.pdf", PDF)})
    assert tranche.status_code == 400 and "Persentase antara 0 dan 100." in text(tranche)
    assert not PaymentTranche.objects.exists()
    assert client.post(url("implementation_record", implementing, record="lain"), {}).status_code == 404


def test_the_progress_page_shows_the_previous_photo_beside_the_upload(client, implementing, staff):
    _record_sk(implementing, staff["swadaya_verifier"])
    beneficiary = implementing.beneficiaries.order_by("pk").first()
    client.force_login(staff["operator"])
    page_url = f"{url('progress', implementing)}?rumah=b{beneficiary.pk}"
    first = text(client.get(page_url))
    assert "Ini foto pertama rumah ini" in first
    missing = client.post(page_url, {"kemajuan-stage": "0", "kemajuan-taken_on": LAST_WEEK.isoformat()})
    assert missing.status_code == 400 and "Pilih foto rumah." in text(missing)
    done = client.post(page_url, {"kemajuan-stage": "0", "kemajuan-taken_on": LAST_WEEK.isoformat(),
                                  "kemajuan-photo": SimpleUploadedFile("awal.png", PNG)})
    assert done.status_code == 302
    report = ProgressReport.objects.get()
    second = text(client.get(page_url))
    photo_url = url("implementation_file", implementing, attachment_id=report.attachment_id)
    assert f'src="{photo_url}"' in second and "Foto tahap 0 % rumah Ujang Suparman, Sukarasa" in second
    assert client.get(f"{url('progress', implementing)}?rumah=b999999").status_code == 404


# --- API -------------------------------------------------------------------------------------------------------


def _bearer(user):
    secret, _token = api_token_issue(user=user)
    return {"Authorization": f"Bearer {secret}"}


def test_the_api_reads_the_status_and_takes_a_progress_report(client, implementing, staff,
                                                              django_assert_max_num_queries):
    verifier = staff["swadaya_verifier"]
    _record_sk(implementing, verifier)
    beneficiary = implementing.beneficiaries.order_by("pk").first()
    base = f"/api/v1/proposals/{implementing.case.tracking_code}/implementation"
    response = client.post(f"{base}/progress", {"stage": "0", "taken_on": LAST_WEEK.isoformat(),
                                                "beneficiary_id": beneficiary.pk,
                                                "photo": SimpleUploadedFile("a.png", PNG)},
                           headers=_bearer(staff["operator"]))
    assert response.status_code == 201, response.content
    assert response.json()["house"] == f"b{beneficiary.pk}"
    again = client.post(f"{base}/progress", {"stage": "0", "taken_on": LAST_WEEK.isoformat(),
                                             "beneficiary_id": beneficiary.pk,
                                             "photo": SimpleUploadedFile("a.png", PNG)},
                        headers=_bearer(staff["operator"]))
    assert again.status_code == 422 and "sudah dilaporkan" in again.json()["error"]["fields"]["stage"][0]
    wrong = client.post(f"{base}/progress", {"stage": "50", "taken_on": LAST_WEEK.isoformat(),
                                             "beneficiary_id": beneficiary.pk,
                                             "photo": SimpleUploadedFile("a.png", PDF)},
                        headers=_bearer(staff["operator"]))
    assert wrong.status_code == 415 and ProgressReport.objects.count() == 1

    with django_assert_max_num_queries(25):
        body = client.get(base, headers=_bearer(verifier)).json()
    assert (body["houses_total"], body["at_stage"][1]) == (3, {"stage": 0, "houses": 1})
    assert body["houses"][0]["name"] == "Ujang Suparman" and body["hand_over"] == "not_submitted"
    assert "BAST serah terima belum dicatat." in body["hand_over_blockers"]
    monitor = client.get(base, headers=_bearer(staff["province_monitor"])).json()
    assert monitor["houses"][0]["name"] is None
    refused = client.post(f"{base}/progress", {"stage": "50", "taken_on": LAST_WEEK.isoformat(),
                                               "beneficiary_id": beneficiary.pk,
                                               "photo": SimpleUploadedFile("a.png", PNG)},
                          headers=_bearer(staff["province_monitor"]))
    assert refused.status_code == 403
