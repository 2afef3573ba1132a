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


# --- Corrections -----------------------------------------------------------------------------------------------


def _shop(proposal, user, registration="0123456789012"):
    return impl.supplier_add(proposal=proposal, user=user, name="TB Sinar Jaya", registration=registration,
                             address="Jl. Setiabudi 1")


def test_an_sk_is_corrected_with_its_old_scan_kept_as_a_version(implementing, staff, client):
    verifier = staff["swadaya_verifier"]
    first, second, third = implementing.beneficiaries.order_by("pk")
    decree = _record_sk(implementing, verifier, [first, second])
    old_scan = decree.attachment_id
    decree = impl.decree_update(decree=decree, user=verifier, number="SK-PPK/2031/7a", date=LAST_WEEK,
                                signatory="PPK Rumah Swadaya", beneficiaries=[first, third], checked=pdf("baru.pdf"))
    decree.refresh_from_db()
    assert decree.number == "SK-PPK/2031/7a" and set(decree.beneficiaries.all()) == {first, third}
    assert decree.attachment_id != old_scan
    event = Event.objects.filter(case=implementing.case).latest("seq")
    assert (event.action, event.public, event.data["changed"]) == (
        "decree_updated", False, ["number", "beneficiaries", "file"])
    # Both scans stay readable for the roles that work with the beneficiaries.
    client.force_login(verifier)
    for attachment in (old_scan, decree.attachment_id):
        assert client.get(url("implementation_file", implementing, attachment_id=attachment)).status_code == 200

    impl.group_create(proposal=implementing, user=verifier, name="KPB Mawar", chair=first, members=[first])
    with pytest.raises(ValidationError, match="sudah tergabung di KPB"):
        impl.decree_update(decree=decree, user=verifier, number=decree.number, date=LAST_WEEK, signatory="PPK",
                           beneficiaries=[third])
    with pytest.raises(ValidationError, match="sudah tergabung di KPB"):
        impl.decree_delete(decree=decree, user=verifier)
    with pytest.raises(PermissionDenied):
        impl.decree_delete(decree=decree, user=staff["operator"])
    assert BeneficiaryDecree.objects.filter(pk=decree.pk).exists()


def test_groups_facilitators_suppliers_and_plan_lines_are_edited_and_deleted(implementing, staff):
    verifier = staff["swadaya_verifier"]
    first, second, third = implementing.beneficiaries.order_by("pk")
    _record_sk(implementing, verifier)
    group = impl.group_create(proposal=implementing, user=verifier, name="KPB Mawar", chair=first,
                              members=[first, second])
    group = impl.group_update(group=group, user=verifier, name="KPB Mawar Indah", chair=second,
                              members=[second, third])
    assert (group.name, group.chair, set(group.members.all())) == ("KPB Mawar Indah", second, {second, third})
    tfl = impl.facilitator_add(proposal=implementing, user=verifier, name="Budi", phone="0812", groups=[group])
    tfl = impl.facilitator_update(facilitator=tfl, user=verifier, name="Budi Santoso", phone="0813",
                                  locations=implementing.locations.all())
    assert (tfl.name, tfl.groups.count(), tfl.locations.count()) == ("Budi Santoso", 0, 2)
    shop = _shop(implementing, verifier)
    other = _shop(implementing, verifier, registration="1234567890123")
    with pytest.raises(ValidationError, match="sudah dicatat"):
        impl.supplier_update(supplier=other, user=verifier, name="X", registration="0123456789012", address="Jl.")
    line = impl.purchase_line_add(proposal=implementing, user=verifier, group=group, item="Semen",
                                  quantity=Decimal("40"), unit="sak", unit_price=Decimal("65000"), supplier=shop)
    line = impl.purchase_line_update(line=line, user=verifier, group=group, item="Semen", quantity=Decimal("50"),
                                     unit="sak", unit_price=Decimal("65000"), supplier=other)
    assert (line.total, line.supplier) == (3_250_000, other)
    with pytest.raises(ValidationError, match="hapus dulu baris"):
        impl.group_delete(group=group, user=verifier)
    with pytest.raises(ValidationError, match="dipakai di rencana pembelian"):
        impl.supplier_delete(supplier=other, user=verifier)
    impl.purchase_line_delete(line=line, user=verifier)
    impl.supplier_delete(supplier=other, user=verifier)
    impl.group_delete(group=group, user=verifier)
    impl.facilitator_delete(facilitator=tfl, user=verifier)
    assert not implementing.groups.exists() and list(implementing.suppliers.all()) == [shop]
    actions = set(Event.objects.filter(case=implementing.case, public=False).values_list("action", flat=True))
    assert {"group_updated", "facilitator_updated", "purchase_line_updated",
            "purchase_line_deleted", "supplier_deleted", "group_deleted", "facilitator_deleted"} <= actions
    # Corrections keep the state rule: not after the hand-over, nor before the decision.
    with pytest.raises(ValidationError, match="sudah dihapus"):
        impl.facilitator_delete(facilitator=tfl, user=verifier)


def test_tranches_are_voided_with_a_reason_and_leave_the_totals(implementing, staff):
    verifier = staff["swadaya_verifier"]
    first = impl.tranche_record(proposal=implementing, user=verifier, percentage=Decimal("70"),
                                amount=Decimal("42000000"), paid_on=LAST_WEEK, checked=pdf("bukti1.pdf"))
    with pytest.raises(ValidationError, match="alasan"):
        impl.tranche_void(tranche=first, user=verifier, reason="  ")
    impl.tranche_void(tranche=first, user=verifier, reason="Salah nominal")
    assert not PaymentTranche.objects.exists()
    event = Event.objects.filter(case=implementing.case).latest("seq")
    assert (event.action, event.note, event.data["number"], event.data["amount"]) == (
        "tranche_voided", "Salah nominal", 1, "42000000")
    assert Attachment.objects.filter(pk=first.attachment_id).exists()  # the proof stays, as the event's evidence
    again = impl.tranche_record(proposal=implementing, user=verifier, percentage=Decimal("70"),
                                amount=Decimal("40000000"), paid_on=LAST_WEEK, checked=pdf())
    summary = impl.implementation_summary(implementing)
    assert (again.number, summary.paid_amount, [e.action for e in summary.voided]) == (
        1, 40_000_000, ["tranche_voided"])


def test_progress_is_voided_latest_stage_first_by_the_roles_that_report(implementing, staff):
    verifier, operator = staff["swadaya_verifier"], staff["operator"]
    _record_sk(implementing, verifier)
    house = implementing.beneficiaries.order_by("pk").first()
    start = impl.progress_report(proposal=implementing, user=operator, stage=0, checked=png(), taken_on=LAST_WEEK,
                                 beneficiary=house)
    middle = impl.progress_report(proposal=implementing, user=operator, stage=50, checked=png(),
                                  taken_on=LAST_WEEK, beneficiary=house)
    with pytest.raises(ValidationError, match="Batalkan dulu laporan tahap 50 %"):
        impl.progress_void(report=start, user=operator, reason="Foto rumah lain")
    with pytest.raises(PermissionDenied):
        impl.progress_void(report=middle, user=staff["province_monitor"], reason="x")
    impl.progress_void(report=middle, user=operator, reason="Foto rumah lain")
    assert list(ProgressReport.objects.values_list("stage", flat=True)) == [0]
    impl.progress_report(proposal=implementing, user=operator, stage=50, checked=png(), taken_on=LAST_WEEK,
                         beneficiary=house)  # the stage is reported again


def test_the_latest_hand_over_step_is_voided_and_the_status_goes_back(implementing, staff):
    verifier = staff["swadaya_verifier"]
    first = impl.hand_over_step_record(proposal=implementing, user=verifier, status="bast_in_process",
                                       date=LAST_WEEK)
    bast = impl.hand_over_step_record(proposal=implementing, user=verifier, status="decree_issued", date=LAST_WEEK,
                                      document_number="BAST/1", checked=pdf("bast.pdf"))
    with pytest.raises(ValidationError, match="Hanya langkah serah terima terakhir"):
        impl.hand_over_step_void(step=first, user=verifier, reason="x")
    impl.hand_over_step_void(step=bast, user=verifier, reason="Nomor BAST salah")
    implementing.refresh_from_db()
    assert implementing.hand_over == "bast_in_process"
    assert impl.implementation_summary(implementing).voided[0].status_label == Proposal.HandOver.DECREE_ISSUED.label


def test_nothing_is_corrected_after_the_hand_over(implementing, staff):
    verifier = staff["swadaya_verifier"]
    shop = _shop(implementing, verifier)
    implementing.case.state = "handed_over"  # as the engine leaves it (the gate is tested above)
    implementing.case.save(update_fields=["state"])
    with pytest.raises(ActionNotAllowed, match="sebelum serah terima"):
        impl.supplier_delete(supplier=shop, user=verifier)


# --- Correction pages ------------------------------------------------------------------------------------------


def test_the_edit_page_is_filled_in_and_saves(client, implementing, staff, django_assert_max_num_queries):
    verifier = staff["swadaya_verifier"]
    shop = _shop(implementing, verifier)
    client.force_login(verifier)
    edit = url("implementation_edit", implementing, record="penyedia", pk=shop.pk)
    with django_assert_max_num_queries(20):
        page = text(client.get(edit))
    assert 'value="TB Sinar Jaya"' in page and "Simpan perubahan" in page
    bad = client.post(edit, {"penyedia-name": "", "penyedia-registration": "12", "penyedia-address": "Jl."})
    assert bad.status_code == 400 and "Tulis nama toko atau penyedia." in text(bad)
    good = client.post(edit, {"penyedia-name": "TB Jaya Abadi", "penyedia-registration": "0123456789012",
                              "penyedia-address": "Jl. Setiabudi 2"})
    assert good.status_code == 302 and good["Location"].endswith("#penyedia")
    shop.refresh_from_db()
    assert shop.name == "TB Jaya Abadi"
    dashboard = text(client.get(url("implementation", implementing)))
    assert f'href="{edit}"' in dashboard
    client.force_login(staff["operator"])
    assert client.get(edit).status_code == 403
    client.force_login(staff["province_monitor"])
    assert client.post(edit, {}).status_code == 403
    client.force_login(verifier)
    assert client.get(url("implementation_edit", implementing, record="tahap", pk=1)).status_code == 404
    assert client.get(url("implementation_edit", implementing, record="penyedia", pk=999999)).status_code == 404


def test_the_sk_edit_page_keeps_the_scan_unless_a_new_one_is_chosen(client, implementing, staff):
    verifier = staff["swadaya_verifier"]
    decree = _record_sk(implementing, verifier)
    client.force_login(verifier)
    ids = list(implementing.beneficiaries.values_list("pk", flat=True))
    response = client.post(url("implementation_edit", implementing, record="sk", pk=decree.pk), {
        "sk-number": "SK/2", "sk-date": LAST_WEEK.isoformat(), "sk-signatory": "PPK", "sk-beneficiaries": ids})
    assert response.status_code == 302
    decree.refresh_from_db()
    assert decree.number == "SK/2" and decree.beneficiaries.count() == 3


def test_a_tranche_is_voided_from_its_confirmation_page(client, implementing, staff):
    verifier = staff["swadaya_verifier"]
    tranche = impl.tranche_record(proposal=implementing, user=verifier, percentage=Decimal("70"),
                                  amount=Decimal("42000000"), paid_on=LAST_WEEK, checked=pdf())
    client.force_login(verifier)
    remove = url("implementation_remove", implementing, record="tahap", pk=tranche.pk)
    confirm = text(client.get(remove))
    assert "Batalkan catatan ini?" in confirm and "Tahap 1: 70 %, Rp42.000.000" in confirm
    missing = client.post(remove, {"reason": ""})
    assert missing.status_code == 400 and "Tulis alasan pembatalan." in text(missing)
    assert PaymentTranche.objects.exists()
    done = client.post(remove, {"reason": "Bukti transfer tertukar"})
    assert done.status_code == 302 and not PaymentTranche.objects.exists()
    page = text(client.get(url("implementation", implementing)))
    assert "Dibatalkan" in page and "Bukti transfer tertukar" in page
    proof = url("implementation_file", implementing, attachment_id=tranche.attachment_id)
    assert f'href="{proof}"' in page and client.get(proof).status_code == 200


def test_a_blocked_delete_explains_why_and_changes_nothing(client, implementing, staff):
    verifier = staff["swadaya_verifier"]
    shop = _shop(implementing, verifier)
    impl.purchase_line_add(proposal=implementing, user=verifier, item="Semen", quantity=Decimal("1"), unit="sak",
                           unit_price=Decimal("1"), supplier=shop)
    client.force_login(verifier)
    response = client.post(url("implementation_remove", implementing, record="penyedia", pk=shop.pk))
    assert response.status_code == 400 and "dipakai di rencana pembelian" in text(response)
    assert implementing.suppliers.count() == 1


def test_the_operator_voids_a_progress_report(client, implementing, staff):
    _record_sk(implementing, staff["swadaya_verifier"])
    house = implementing.beneficiaries.order_by("pk").first()
    report = impl.progress_report(proposal=implementing, user=staff["operator"], stage=0, checked=png(),
                                  taken_on=LAST_WEEK, beneficiary=house)
    client.force_login(staff["operator"])
    remove = url("implementation_remove", implementing, record="kemajuan", pk=report.pk)
    assert f'href="{remove}"' in text(client.get(url("implementation", implementing)))
    assert client.post(remove, {"reason": "Foto buram"}).status_code == 302
    assert not ProgressReport.objects.exists()
    assert client.get(url("implementation_remove", implementing, record="penyedia", pk=1)).status_code == 403


# --- API writes ------------------------------------------------------------------------------------------------


def test_the_api_records_and_corrects_the_sk_kpb_tfl_and_suppliers(client, implementing, staff,
                                                                    django_assert_max_num_queries):
    headers = _bearer(staff["swadaya_verifier"])
    base = f"/api/v1/proposals/{implementing.case.tracking_code}/implementation"
    first, second, third = implementing.beneficiaries.order_by("pk")
    with django_assert_max_num_queries(40):
        created = client.post(f"{base}/decrees", {
            "number": "SK/API/1", "date": LAST_WEEK.isoformat(), "signatory": "PPK",
            "beneficiary_ids": [first.pk, second.pk, third.pk], "file": SimpleUploadedFile("sk.pdf", PDF)},
            headers=headers)
    assert created.status_code == 201, created.content
    decree_id = created.json()["id"]
    wrong_type = client.post(f"{base}/decrees", {"number": "SK/API/2", "date": LAST_WEEK.isoformat(),
                                                 "signatory": "PPK", "file": SimpleUploadedFile("sk.pdf", PNG)},
                             headers=headers)
    assert wrong_type.status_code == 415 and BeneficiaryDecree.objects.count() == 1

    group = client.post(f"{base}/groups", {"name": "KPB Mawar", "chair_id": third.pk,
                                           "member_ids": [first.pk, second.pk]},
                        content_type="application/json", headers=headers)
    assert group.status_code == 422 and group.json()["error"]["fields"] == {
        "chair_id": ["Ketua harus salah satu anggota KPB."]}
    with django_assert_max_num_queries(30):
        group = client.post(f"{base}/groups", {"name": "KPB Mawar", "chair_id": first.pk,
                                               "member_ids": [first.pk, second.pk]},
                            content_type="application/json", headers=headers)
    assert group.status_code == 201
    group_id = group.json()["id"]
    village = implementing.locations.first().region_id
    tfl = client.post(f"{base}/facilitators", {"name": "Budi", "phone": "0812", "group_ids": [group_id],
                                               "villages": [village]},
                      content_type="application/json", headers=headers)
    assert tfl.status_code == 201
    unknown = client.post(f"{base}/facilitators", {"name": "Budi", "phone": "0812", "villages": ["9999"]},
                          content_type="application/json", headers=headers)
    assert unknown.status_code == 422 and "villages" in unknown.json()["error"]["fields"]

    shop = client.post(f"{base}/suppliers", {"name": "TB Maju", "registration": "1234567890123",
                                             "address": "Jl. A"}, content_type="application/json", headers=headers)
    assert shop.status_code == 201
    shop_id = shop.json()["id"]
    line = client.post(f"{base}/purchase-lines", {"group_id": group_id, "item": "Semen", "quantity": "40",
                                                  "unit": "sak", "unit_price": "65000", "supplier_id": shop_id},
                       content_type="application/json", headers=headers)
    assert line.status_code == 201
    blocked = client.delete(f"{base}/suppliers/{shop_id}", headers=headers)
    assert blocked.status_code == 409 and "dipakai" in blocked.json()["error"]["message"]
    blocked = client.delete(f"{base}/decrees/{decree_id}", headers=headers)
    assert blocked.status_code == 409

    renamed = client.put(f"{base}/groups/{group_id}", {"name": "KPB Melati", "chair_id": second.pk,
                                                       "member_ids": [second.pk, third.pk]},
                         content_type="application/json", headers=headers)
    assert renamed.status_code == 204 and implementing.groups.get().name == "KPB Melati"
    decree_fix = client.put(f"{base}/decrees/{decree_id}", {"number": "SK/API/1a", "date": LAST_WEEK.isoformat(),
                                                            "signatory": "PPK"},
                            content_type="application/json", headers=headers)
    assert decree_fix.status_code == 204 and BeneficiaryDecree.objects.get().beneficiaries.count() == 3
    scan = client.post(f"{base}/decrees/{decree_id}/file", {"file": SimpleUploadedFile("sk2.pdf", PDF)},
                       headers=headers)
    assert scan.status_code == 204
    assert client.delete(f"{base}/purchase-lines/{line.json()['id']}", headers=headers).status_code == 204
    assert client.delete(f"{base}/suppliers/{shop_id}", headers=headers).status_code == 204
    assert client.delete(f"{base}/suppliers/{shop_id}", headers=headers).status_code == 404

    operator = client.post(f"{base}/suppliers", {"name": "TB", "registration": "1234567890123", "address": "Jl."},
                           content_type="application/json", headers=_bearer(staff["operator"]))
    assert operator.status_code == 403 and operator.json()["error"]["code"] == "forbidden"


def test_the_api_records_and_voids_tranches_progress_and_hand_over_steps(client, implementing, staff,
                                                                         django_assert_max_num_queries):
    verifier = staff["swadaya_verifier"]
    headers = _bearer(verifier)
    base = f"/api/v1/proposals/{implementing.case.tracking_code}/implementation"
    too_much = client.post(f"{base}/tranches", {"percentage": "120", "amount": "1", "paid_on": LAST_WEEK.isoformat(),
                                                "file": SimpleUploadedFile("bukti.pdf", PDF)}, headers=headers)
    assert too_much.status_code == 422 and "percentage" in too_much.json()["error"]["fields"]
    with django_assert_max_num_queries(30):
        tranche = client.post(f"{base}/tranches", {"percentage": "70", "amount": "42000000",
                                                   "paid_on": LAST_WEEK.isoformat(),
                                                   "file": SimpleUploadedFile("bukti.pdf", PDF)}, headers=headers)
    assert tranche.status_code == 201 and tranche.json()["number"] == 1
    no_reason = client.post(f"{base}/tranches/{tranche.json()['id']}/void", {"reason": ""},
                            content_type="application/json", headers=headers)
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["error"]["fields"]
    with django_assert_max_num_queries(20):
        voided = client.post(f"{base}/tranches/{tranche.json()['id']}/void", {"reason": "Salah nominal"},
                             content_type="application/json", headers=headers)
    assert voided.status_code == 204 and not PaymentTranche.objects.exists()

    _record_sk(implementing, verifier)
    report = impl.progress_report(proposal=implementing, user=verifier, stage=0, checked=png(), taken_on=LAST_WEEK,
                                  beneficiary=implementing.beneficiaries.first())
    assert client.post(f"{base}/progress/{report.pk}/void", {"reason": "Foto buram"},
                       content_type="application/json", headers=headers).status_code == 204

    bast = client.post(f"{base}/hand-over-steps", {"status": "decree_issued", "date": LAST_WEEK.isoformat()},
                       headers=headers)
    assert bast.status_code == 422 and set(bast.json()["error"]["fields"]) == {"document_number", "file"}
    bast = client.post(f"{base}/hand-over-steps", {"status": "decree_issued", "date": LAST_WEEK.isoformat(),
                                                   "document_number": "BAST/1",
                                                   "file": SimpleUploadedFile("bast.pdf", PDF)}, headers=headers)
    assert bast.status_code == 201
    body = client.get(base, headers=headers).json()
    assert body["hand_over"] == "decree_issued"
    assert client.post(f"{base}/hand-over-steps/{bast.json()['id']}/void", {"reason": "Nomor salah"},
                       content_type="application/json", headers=headers).status_code == 204
    implementing.refresh_from_db()
    assert implementing.hand_over == "not_submitted"

    implementing.case.state = "handed_over"
    implementing.case.save(update_fields=["state"])
    late = client.post(f"{base}/suppliers", {"name": "TB", "registration": "1234567890123", "address": "Jl."},
                       content_type="application/json", headers=headers)
    assert late.status_code == 409 and late.json()["error"]["code"] == "not_in_implementation"
