"""The review workflow's shared rules: what a proposal lacks before sending (one list for the engine, the API
and the check page), the planning officer's programming-cycle checkpoints (web, bulk, API), the in-app
notices to the proposer's operators and the province monitors, and the workspace case page that sends
reviewers to the review page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sibaru.assistance import rules
from sibaru.assistance.models import Beneficiary, PlanningCheckpoint, ProposalCheckpoint
from sibaru.assistance.tests.test_proposal_api import auth, post
from sibaru.assistance.tests.test_views import (
    YEAR,
    distributed,
    filled,
    new_draft,
    submitted,
    text,
    url,
)
from sibaru.core.models import Case, Event, Notification
from sibaru.core.services import case_apply_action

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}


# --- Submission rules -----------------------------------------------------------------------------------------


def test_an_empty_draft_lists_every_missing_item_in_one_409_and_on_the_check_page(client, staff, catalogue,
                                                                                  regions):
    operator = staff["operator"]
    proposal = new_draft(operator, catalogue, regions)
    expected = {"letter", "volume", "swadaya_surat_usulan", "swadaya_bukti_tanah", "readiness", "beneficiaries"}
    assert {p.code for p in rules.submission_problems(proposal)} == expected

    response = post(client, f"/api/v1/proposals/{proposal.case.tracking_code}/submit", operator)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "incomplete_proposal" and set(error["fields"]) == expected
    assert "6 hal belum lengkap" in error["message"]

    client.force_login(operator)
    refused = client.post(url("send", proposal))
    assert refused.status_code == 409
    body = text(refused)
    for problem in rules.submission_problems(proposal):
        assert problem.message in body
    assert f'href="{url("letter", proposal)}"' in body and f'href="{url("beneficiaries", proposal)}"' in body
    assert Case.objects.get().state == "draft" and not Event.objects.filter(action="submit").exists()


def test_a_bsps_proposal_without_beneficiaries_cannot_be_sent(client, staff, catalogue, regions):
    proposal = filled(staff["operator"], catalogue, regions)
    Beneficiary.objects.filter(proposal=proposal).delete()
    client.force_login(staff["operator"])
    check = text(client.get(url("check", proposal)))
    assert "Tambahkan calon penerima bantuan" in check and "Kirim usulan</button>" not in check
    response = post(client, f"/api/v1/proposals/{proposal.case.tracking_code}/submit", staff["operator"])
    assert response.status_code == 409 and set(response.json()["error"]["fields"]) == {"beneficiaries"}


def test_only_missing_documents_keep_the_upload_message(client, staff, catalogue, regions):
    proposal = filled(staff["operator"], catalogue, regions, documents=False)
    response = post(client, f"/api/v1/proposals/{proposal.case.tracking_code}/submit", staff["operator"])
    error = response.json()["error"]
    assert error["code"] == "missing_documents"
    assert error["message"].startswith("Unggah dokumen untuk mengirim usulan: 2 dokumen")


# --- Checkpoints ----------------------------------------------------------------------------------------------


@pytest.fixture
def checkpoints(db):
    rows = [("konreg", "Konsultasi Regional"), ("musrenbangnas", "Musrenbangnas"),
            ("pagu_indikatif", "SB Pagu Indikatif")]
    made = {code: PlanningCheckpoint.objects.create(budget_year=YEAR, code=code, name=name, order=order)
            for order, (code, name) in enumerate(rows, start=1)}
    made["other_year"] = PlanningCheckpoint.objects.create(budget_year=YEAR + 1, code="konreg", name="Konreg", order=1)
    return made


def test_the_planning_officer_marks_a_checkpoint_and_the_proposer_sees_it(client, staff, catalogue, regions,
                                                                          checkpoints, django_assert_max_num_queries):
    proposal = submitted(staff, catalogue, regions)
    client.force_login(staff["planner"])
    page = client.get(url("review", proposal))
    assert "Catat tahapan yang dilalui" in text(page) and "Konsultasi Regional" in text(page)

    mark = url("checkpoint_mark", proposal)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    bad = client.post(mark, {"checkpoint-checkpoint": checkpoints["other_year"].pk, "checkpoint-passed_on": future})
    assert bad.status_code == 400
    assert "Pilih tahapan tahun anggaran usulan." in text(bad)
    too_late = client.post(mark, {"checkpoint-checkpoint": checkpoints["konreg"].pk, "checkpoint-passed_on": future})
    assert too_late.status_code == 400 and "Tanggal tidak boleh di masa depan." in text(too_late)
    assert not ProposalCheckpoint.objects.exists()

    passed = (timezone.localdate() - timedelta(days=10)).isoformat()
    done = client.post(mark, {"checkpoint-checkpoint": checkpoints["konreg"].pk, "checkpoint-passed_on": passed,
                              "checkpoint-note": "Disepakati pada sesi Jawa Barat"})
    assert done.status_code == 302
    event = proposal.case.events.get(action="checkpoint_marked")
    assert event.actor == staff["planner"] and not event.public
    assert event.data == {"checkpoint": "konreg", "passed_on": passed}

    client.get(url("review", proposal))
    with django_assert_max_num_queries(30):
        assert client.get(url("review", proposal)).status_code == 200

    client.force_login(staff["operator"])
    body = text(client.get(url("proposal", proposal)))
    assert "Tahapan pemrograman yang sudah dilalui" in body and "Konsultasi Regional" in body
    assert "Disepakati pada sesi Jawa Barat" in body and "Musrenbangnas" not in body
    # Only planning officers mark.
    refused = client.post(mark, {"checkpoint-checkpoint": checkpoints["musrenbangnas"].pk,
                                 "checkpoint-passed_on": passed})
    assert refused.status_code == 403

    client.force_login(staff["planner"])
    unmark = client.post(url("checkpoint_unmark", proposal, checkpoint_id=checkpoints["konreg"].pk))
    assert unmark.status_code == 302 and not ProposalCheckpoint.objects.exists()
    assert proposal.case.events.filter(action="checkpoint_unmarked").count() == 1


def test_one_checkpoint_for_several_proposals_at_once(client, staff, catalogue, regions, directorates, checkpoints,
                                                      django_assert_max_num_queries):
    first = submitted(staff, catalogue, regions, title="BSPS Sukasari I")
    second = distributed(staff, catalogue, regions, directorates, title="BSPS Sukasari II")
    draft = new_draft(staff["operator"], catalogue, regions, title="Draf")
    client.force_login(staff["planner"])
    page_url = url("checkpoints") + f"?tahun={YEAR}"
    client.get(page_url)
    with django_assert_max_num_queries(12):
        page = client.get(page_url)
    body = text(page)
    assert first.case.tracking_code in body and second.case.tracking_code in body
    assert draft.case.tracking_code not in body

    empty = client.post(page_url, {"checkpoint": checkpoints["konreg"].pk})
    assert empty.status_code == 400 and "Pilih paling sedikit satu usulan." in text(empty)
    passed = (timezone.localdate() - timedelta(days=1)).isoformat()
    done = client.post(page_url, {"proposals": [first.case.tracking_code, second.case.tracking_code],
                                  "checkpoint": checkpoints["konreg"].pk, "passed_on": passed})
    assert done.status_code == 302
    assert ProposalCheckpoint.objects.filter(checkpoint=checkpoints["konreg"]).count() == 2
    assert "Konsultasi Regional" in text(client.get(page_url))

    client.force_login(staff["swadaya_verifier"])
    assert client.get(page_url).status_code == 403


def test_the_checkpoints_api(client, staff, catalogue, regions, checkpoints, django_assert_max_num_queries):
    proposal = submitted(staff, catalogue, regions)
    address = f"/api/v1/proposals/{proposal.case.tracking_code}/checkpoints"
    planner, operator = staff["planner"], staff["operator"]
    passed = (timezone.localdate() - timedelta(days=5)).isoformat()

    unknown = post(client, address, planner, {"checkpoint": "no_such", "passed_on": passed})
    assert unknown.status_code == 422 and "checkpoint" in unknown.json()["error"]["fields"]
    bad_date = post(client, address, planner, {"checkpoint": "konreg", "passed_on": "kemarin"})
    assert bad_date.status_code == 422 and "passed_on" in bad_date.json()["error"]["fields"]
    assert post(client, address, operator, {"checkpoint": "konreg", "passed_on": passed}).status_code == 403
    assert not ProposalCheckpoint.objects.exists()

    marked = post(client, address, planner, {"checkpoint": "konreg", "passed_on": passed, "note": "Sesi 2"})
    assert marked.status_code == 200
    rows = {row["code"]: row for row in marked.json()}
    assert list(rows) == ["konreg", "musrenbangnas", "pagu_indikatif"]
    assert rows["konreg"]["passed"] and rows["konreg"]["passed_on"] == passed and rows["konreg"]["note"] == "Sesi 2"
    assert not rows["musrenbangnas"]["passed"]

    headers = auth(operator)
    client.get(address, **headers)
    with django_assert_max_num_queries(8):
        read = client.get(address, **headers)
    assert read.status_code == 200 and read.json()[0]["passed"]
    assert client.get(address, **auth(staff["developer"])).status_code == 404

    removed = client.delete(f"{address}/konreg", **auth(planner))
    assert removed.status_code == 200 and not removed.json()[0]["passed"]


def test_checkpoints_are_not_marked_on_closed_proposals(client, staff, catalogue, regions, checkpoints):
    proposal = submitted(staff, catalogue, regions)
    case_apply_action(case=proposal.case, action="reject", user=staff["planner"], note="Di luar kewenangan.")
    passed = (timezone.localdate() - timedelta(days=5)).isoformat()
    response = post(client, f"/api/v1/proposals/{proposal.case.tracking_code}/checkpoints", staff["planner"],
                    {"checkpoint": "konreg", "passed_on": passed})
    assert response.status_code == 409 and not ProposalCheckpoint.objects.exists()


# --- Notices and the workspace ------------------------------------------------------------------------------


def test_each_step_is_an_in_app_notice_for_the_operators_and_the_province_monitors(client, staff, catalogue,
                                                                                   regions, directorates):
    proposal = distributed(staff, catalogue, regions, directorates)
    for persona in ("operator", "province_monitor"):
        notices = Notification.objects.filter(user=staff[persona], channel="in_app", case=proposal.case,
                                              event__action__in=("submit", "distribute"))
        assert notices.count() == 2, persona
        assert Notification.objects.filter(user=staff[persona], channel="email", case=proposal.case,
                                           event__action__in=("submit", "distribute")).count() == 2
    # The draft was nobody's business but its operators'.
    assert not Notification.objects.filter(user=staff["province_monitor"], event__action="open").exists()
    assert not Notification.objects.filter(user=staff["other_province_monitor"]).exists()

    client.force_login(staff["operator"])
    page = text(client.get("/kerja/notifikasi/"))
    assert proposal.case.tracking_code in page and "Verifikasi administrasi" in page


def test_the_workspace_case_page_sends_reviewers_to_the_review_page(client, staff, catalogue, regions):
    proposal = submitted(staff, catalogue, regions)
    code = proposal.case.tracking_code
    client.force_login(staff["planner"])
    page = text(client.get(f"/kerja/kasus/{code}/"))
    assert f'href="{url("review", proposal)}"' in page
    assert "Distribusikan</button>" not in page
    refused = client.post(f"/kerja/kasus/{code}/tindakan/", {"action": "distribute", "distribute-note": "x"})
    assert refused.status_code == 404 and Case.objects.get().state == "submitted"

    client.force_login(staff["operator"])
    page = text(client.get(f"/kerja/kasus/{code}/"))
    assert f'href="{url("proposal", proposal)}"' in page and url("review", proposal) not in page


def test_the_field_verifiers_inbox_opens_on_the_proposals_waiting_for_a_field_visit(client, staff, catalogue,
                                                                                      regions, directorates):
    from sibaru.assistance.tests.test_views import _to_field_verification

    waiting = distributed(staff, catalogue, regions, directorates, title="BSPS menunggu verifikasi administrasi")
    visit = _to_field_verification(staff, catalogue, regions, directorates)
    client.force_login(staff["field_verifier"])
    page = text(client.get("/bantuan/tinjauan/"))
    assert visit.case.tracking_code in page
    assert waiting.case.tracking_code not in page  # the directorate's administrative step, not the Balai's
