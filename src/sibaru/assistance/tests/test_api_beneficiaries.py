"""BSPS beneficiaries through the API: the proposer's system adds, lists and removes people and imports a file in
the background, with its progress and row report; bad input and bad files change nothing; who reads what (NIK,
KK, address and income masked for the roles that do not verify them), every read logged; constant queries."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sibaru.accounts.services import api_token_issue
from sibaru.assistance import api_beneficiaries, services
from sibaru.assistance import beneficiaries as bsps
from sibaru.assistance.models import Beneficiary, BeneficiaryImport, MinimumWage, Proposal
from sibaru.core.models import Case, Event
from sibaru.regions.models import Region

pytestmark = pytest.mark.django_db

YEAR = 2031


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}
    return tmp_path


@pytest.fixture
def draft(staff, catalogue, regions):
    """A BSPS draft of Pemkot Bandung with two target villages, Sukarasa and Gegerkalong (UMP Rp2.200.000)."""
    MinimumWage.objects.create(province_id="32", year=timezone.localdate().year, amount=Decimal(2_200_000))
    operator = staff["operator"]
    proposal = services.proposal_create(user=operator, programme=catalogue["swadaya"], budget_year=YEAR,
                                        title="BSPS Sukasari", region=regions["3273"],
                                        category=catalogue["regional_head"])
    services.proposal_locations_set(proposal=proposal, user=operator, locations=[
        {"region": regions["3273011001"], "units_pk": 10, "units_pb": 0, "uninhabitable_houses": 40},
        {"region": Region.objects.get(code="3273011002"), "units_pk": 5, "units_pb": 0, "uninhabitable_houses": 9},
    ])
    return Proposal.objects.select_related("case").get(pk=proposal.pk)


def sent(proposal, handler):
    """Moved on as the engine would after submission and distribution (sending is tested elsewhere)."""
    Case.objects.filter(pk=proposal.case_id).update(state="distributed", submitted_at=timezone.now(),
                                                    handler=handler)


def auth(user) -> dict:
    secret, _ = api_token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def base(proposal) -> str:
    return f"/api/v1/proposals/{proposal.case.tracking_code}/beneficiaries"


def nik(serial: int) -> str:
    return f"327301050888{serial:04d}"


def person(serial: int, **values) -> dict:
    """One person as the API takes it: the template's columns, numbers as numbers, flags as booleans."""
    data = {"nik": nik(serial), "no_kk": f"32730102011{serial:05d}", "nama": f"Warga {serial}",
            "alamat": f"Gang Mawar {serial}", "kode_desa": "32.73.01.1001", "penghasilan": 1_800_000,
            "status_tanah": "milik sendiri", "jumlah_penghuni": 4, "luas_lantai": 36, "atap_rusak": True,
            "kegiatan": "PK"}
    data.update(values)
    return data


def row(serial: int, **values) -> dict:
    """The same person as a row of a file."""
    data = {**{c: "tidak" for c in bsps.CONDITION_COLUMNS}, **person(serial), "atap_rusak": "ya"}
    data.update(values)
    return data


def csv_file(rows, name="penerima.csv") -> SimpleUploadedFile:
    lines = [",".join(bsps.COLUMNS)] + [",".join(str(r[c]) for c in bsps.COLUMNS) for r in rows]
    return SimpleUploadedFile(name, ("\r\n".join(lines) + "\r\n").encode(), content_type="text/csv")


def add(proposal, operator, *rows):
    bsps.beneficiaries_import(proposal=proposal, rows=list(rows), user=operator, import_valid_rows=False)


def run_queued():
    """What the worker does: run every queued import."""
    for job in BeneficiaryImport.objects.filter(status="queued"):
        bsps.beneficiary_import_run(job.pk)


def reads(proposal):
    return Event.objects.filter(case_id=proposal.case_id, action="beneficiaries_viewed").order_by("seq")


# --- The proposer's system writes ------------------------------------------------------------------------------


def test_the_operator_adds_lists_and_removes_people_while_the_draft_is_editable(client, staff, draft, directorates):
    headers = auth(staff["operator"])
    created = client.post(base(draft), person(1), content_type="application/json", **headers)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["nik"], body["address"], body["monthly_income"], body["village_code"]) == (
        nik(1), "Gang Mawar 1", "1800000", "3273011001")
    assert body["house_condition"] == {"roof": True, "walls": False, "floor": False, "sanitation": False,
                                       "structure": False}
    assert Event.objects.filter(case_id=draft.case_id, action="beneficiary_added").count() == 1

    # The row checks answer on the column they name, in Indonesian; nothing is saved.
    wrong = client.post(base(draft), person(2, nik="12345", penghasilan=9_000_000),
                        content_type="application/json", **headers)
    assert wrong.status_code == 422
    fields = wrong.json()["error"]["fields"]
    assert fields["nik"] == ["NIK harus terdiri dari 16 digit angka."]
    assert fields["penghasilan"][0].startswith("Penghasilan melebihi UMP provinsi")
    outside = client.post(base(draft), person(2, kode_desa="3273011099"), content_type="application/json",
                          **headers)
    assert outside.status_code == 422 and "kode_desa" in outside.json()["error"]["fields"]
    missing = client.post(base(draft), {"nik": nik(3)}, content_type="application/json", **headers)
    assert missing.status_code == 422 and missing.json()["error"]["fields"]["nama"] == ["Wajib diisi."]
    duplicate = client.post(base(draft), person(1), content_type="application/json", **headers)
    assert duplicate.status_code == 422 and "nik" in duplicate.json()["error"]["fields"]
    assert Beneficiary.objects.count() == 1

    listed = client.get(base(draft), **headers).json()
    assert (listed["total"], listed["masked"], listed["next_cursor"]) == (1, False, None)
    assert [b["nik"] for b in listed["items"]] == [nik(1)]
    assert reads(draft).get().data["reason"] == api_beneficiaries.REASON_EDIT

    removed = client.delete(f"{base(draft)}/{body['id']}", **headers)
    assert removed.status_code == 204 and not Beneficiary.objects.exists()
    assert Event.objects.filter(case_id=draft.case_id, action="beneficiary_removed").count() == 1
    assert client.delete(f"{base(draft)}/{body['id']}", **headers).status_code == 404

    # Once sent: read only; the writes are refused and change nothing.
    add(draft, staff["operator"], row(4))
    sent(draft, directorates["swadaya"])
    kept = Beneficiary.objects.get()
    for response in (
        client.post(base(draft), person(5), content_type="application/json", **headers),
        client.delete(f"{base(draft)}/{kept.pk}", **headers),
        client.post(f"{base(draft)}/imports", {"file": csv_file([row(6)])}, **headers),
    ):
        assert response.status_code == 409 and response.json()["error"]["code"] == "not_editable"
    assert list(Beneficiary.objects.values_list("nik", flat=True)) == [nik(4)]
    assert not BeneficiaryImport.objects.exists()
    assert client.get(base(draft), **headers).json()["total"] == 1


def test_the_list_pages_with_a_cursor(client, staff, draft):
    add(draft, staff["operator"], *(row(i) for i in range(1, 6)))
    headers = auth(staff["operator"])
    first = client.get(base(draft), {"limit": 2}, **headers).json()
    assert [b["name"] for b in first["items"]] == ["Warga 1", "Warga 2"] and first["total"] == 5
    second = client.get(base(draft), {"limit": 2, "cursor": first["next_cursor"]}, **headers).json()
    assert [b["name"] for b in second["items"]] == ["Warga 3", "Warga 4"]
    last = client.get(base(draft), {"limit": 2, "cursor": second["next_cursor"]}, **headers).json()
    assert [b["name"] for b in last["items"]] == ["Warga 5"] and last["next_cursor"] is None
    assert [e.data["after"] for e in reads(draft)] == [None, int(first["next_cursor"]), int(second["next_cursor"])]
    for bad in ({"limit": 0}, {"limit": 501}, {"cursor": "abc"}):
        assert client.get(base(draft), bad, **headers).status_code == 422, bad
    assert reads(draft).count() == 3  # a refused request reads nothing


# --- Who reads what ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status", "full"),
    [
        ("operator", 200, True),
        ("swadaya_verifier", 200, True),  # checks NIKs against Dukcapil
        ("planner", 200, False),
        ("decider", 200, False),
        ("province_monitor", 200, False),
        ("evaluator", 403, None),  # judges the service, not the households
        ("admin", 403, None),
        ("developer", 404, None),  # another organisation's operator: the proposal does not exist for them
        ("ruk_verifier", 404, None),  # a directorate it was not sent to
        ("other_province_monitor", 404, None),
    ],
)
def test_each_role_reads_the_list_it_needs_masked_unless_it_verifies(client, staff, draft, directorates, who,
                                                                      status, full):
    add(draft, staff["operator"], row(1))
    sent(draft, directorates["swadaya"])
    response = client.get(base(draft), **auth(staff[who]))
    assert response.status_code == status
    if status != 200:
        assert not reads(draft).exists()
        return
    [item] = response.json()["items"]
    assert response.json()["masked"] is not full
    expected = (nik(1), "3273010201100001", "Gang Mawar 1", "1800") if full else (
        "327301••••••0001", "327301••••••0001", None, None)
    assert (item["nik"], item["family_card_number"], item["address"],
            item["monthly_income"] and item["monthly_income"][:4]) == expected
    assert item["name"] == "Warga 1" and item["village_name"] == "Sukarasa"
    read = reads(draft).get()
    assert read.actor == staff[who] and not read.public and read.data["rows"] == 1
    # Only the proposer operator writes.
    if who != "operator":
        refused = client.post(base(draft), person(2), content_type="application/json", **auth(staff[who]))
        assert refused.status_code == 403


def test_an_import_is_only_the_proposers(client, staff, draft, directorates):
    headers = auth(staff["operator"])
    job = client.post(f"{base(draft)}/imports", {"file": csv_file([row(1)])}, **headers).json()
    address = f"{base(draft)}/imports/{job['id']}"
    assert client.get(address, **headers).status_code == 200
    sent(draft, directorates["swadaya"])
    for who, refused in (("swadaya_verifier", 403), ("developer", 404)):
        assert client.get(address, **auth(staff[who])).status_code == 404, who
        assert client.get(f"{address}/report", **auth(staff[who])).status_code == 404, who
        upload = client.post(f"{base(draft)}/imports", {"file": csv_file([row(2)])}, **auth(staff[who]))
        assert upload.status_code == refused, who
    assert BeneficiaryImport.objects.count() == 1


# --- The background import ---------------------------------------------------------------------------------------


def test_a_file_is_imported_in_the_background_with_its_progress_and_report(
    client, staff, draft, django_capture_on_commit_callbacks
):
    headers = auth(staff["operator"])
    rows = [row(1), row(2, penghasilan="9.000.000"), row(3)]
    with django_capture_on_commit_callbacks(execute=False) as queued:
        started = client.post(f"{base(draft)}/imports", {"file": csv_file(rows)}, **headers)
    assert started.status_code == 202 and len(queued) == 1
    job = started.json()
    assert (job["status"], job["phase"], job["finished"], job["percent"], job["issues"]) == (
        "queued", "queued", False, None, [])
    address = f"{base(draft)}/imports/{job['id']}"
    not_yet = client.get(f"{address}/report", **headers)
    assert not_yet.status_code == 409 and not_yet.json()["error"]["code"] == "import_not_finished"
    again = client.post(f"{base(draft)}/imports", {"file": csv_file([row(4)])}, **headers)
    assert again.status_code == 409 and again.json()["error"]["code"] == "import_running"

    run_queued()
    done = client.get(address, **headers).json()
    assert (done["status"], done["finished"], done["percent"], done["imported"], done["rejected"]) == (
        "rejected", True, 100, 0, 1)
    year = timezone.localdate().year
    assert done["issues"] == [{"row": 3, "severity": "error", "message": (
        f"Kolom penghasilan: penghasilan melebihi UMP provinsi tahun {year} (Rp2.200.000).")}]
    report = client.get(f"{address}/report", **headers)
    assert report.status_code == 200 and report["Content-Type"].startswith("text/csv")
    lines = report.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "baris,kolom,jenis,pesan" and lines[1].startswith("3,penghasilan,galat,")
    assert not Beneficiary.objects.exists()

    # Again, valid rows only.
    second = client.post(f"{base(draft)}/imports", {"file": csv_file(rows), "import_valid_rows": "true"}, **headers)
    run_queued()
    result = client.get(f"{base(draft)}/imports/{second.json()['id']}", **headers).json()
    assert (result["status"], result["imported"], result["rejected"]) == ("done", 2, 1)
    assert sorted(Beneficiary.objects.values_list("nik", flat=True)) == [nik(1), nik(3)]


def test_bad_files_get_a_clear_message_and_nothing_is_stored(client, staff, draft, media, settings):
    headers = auth(staff["operator"])
    refused = {
        "wrong type": (SimpleUploadedFile("penerima.txt", b"nik,nama\n"), 415, "Unggah berkas XLSX atau CSV."),
        "disguised": (SimpleUploadedFile("penerima.csv", b"%PDF-1.7\n1 0 obj<<>>endobj\n"), 415,
                      "bukan CSV seperti namanya"),
        "renamed xlsx": (SimpleUploadedFile("penerima.xlsx", b"%PDF-1.7\n1 0 obj<<>>endobj\n"), 415,
                         "bukan XLSX seperti namanya"),
        "not utf-8": (SimpleUploadedFile("penerima.csv", "nik;nama\n1;Ñama\n".encode("latin-1")), 415,
                      "Berkas CSV harus berenkode UTF-8."),
    }
    for case, (upload, status, message) in refused.items():
        response = client.post(f"{base(draft)}/imports", {"file": upload}, **headers)
        assert response.status_code == status, case
        assert message in response.json()["error"]["message"], case
        assert response.json()["error"]["fields"]["file"], case
    no_file = client.post(f"{base(draft)}/imports", {}, **headers)
    assert no_file.status_code == 422 and no_file.json()["error"]["fields"]["file"] == ["Wajib diisi."]
    settings.BENEFICIARY_IMPORT_MAX_BYTES = 100
    oversized = client.post(f"{base(draft)}/imports", {"file": csv_file([row(1)])}, **headers)
    assert oversized.status_code == 413 and "Berkas terlalu besar" in oversized.json()["error"]["message"]
    assert not BeneficiaryImport.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*"))  # no orphan file

    # What only a full read finds is reported on the import; its file is deleted, nothing imported.
    settings.BENEFICIARY_IMPORT_MAX_BYTES = 10 * 1024 * 1024
    settings.BENEFICIARY_IMPORT_MAX_ROWS = 2
    job = client.post(f"{base(draft)}/imports", {"file": csv_file([row(1), row(2), row(3)])}, **headers).json()
    run_queued()
    failed = client.get(f"{base(draft)}/imports/{job['id']}", **headers).json()
    assert failed["status"] == "failed"
    assert failed["failure"] == "Berkas berisi lebih dari 2 baris data. Bagi menjadi beberapa berkas."
    assert not Beneficiary.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*"))


def test_the_template_downloads_for_those_who_read_the_list(client, staff, draft, people, directorates):
    headers = auth(staff["operator"])
    xlsx = client.get(f"{base(draft)}/template", **headers)
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx.content.startswith(b"PK") and "templat-calon-penerima.xlsx" in xlsx["Content-Disposition"]
    csv = client.get(f"{base(draft)}/template", {"format": "csv"}, **headers)
    assert csv.content.decode("utf-8-sig").splitlines()[0] == ",".join(bsps.COLUMNS)
    assert client.get(f"{base(draft)}/template", {"format": "pdf"}, **headers).status_code == 422
    sent(draft, directorates["swadaya"])
    assert client.get(f"{base(draft)}/template", **auth(staff["planner"])).status_code == 200
    assert client.get(f"{base(draft)}/template", **auth(people["evaluator"])).status_code == 403
    assert client.get(f"{base(draft)}/template", **auth(staff["developer"])).status_code == 404


# --- Constant queries --------------------------------------------------------------------------------------------


def test_the_list_and_the_progress_read_a_constant_number_of_queries(client, staff, draft,
                                                                    django_assert_max_num_queries):
    add(draft, staff["operator"], row(1))
    headers = auth(staff["operator"])
    job = client.post(f"{base(draft)}/imports", {"file": csv_file([row(2)])}, **headers).json()
    client.get(base(draft), **headers)
    # token and its user, proposal with case, memberships, the logged read in a savepoint (case lock, rows
    # with villages, event, case's last event), totals
    with django_assert_max_num_queries(10) as few:
        client.get(base(draft), **headers)
    add(draft, staff["operator"], *(row(i) for i in range(3, 40)))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(base(draft), **headers)
    assert page.json()["total"] == 38 and len(page.json()["items"]) == 38

    # token and its user, proposal with case, memberships, the job
    with django_assert_max_num_queries(4):
        assert client.get(f"{base(draft)}/imports/{job['id']}", **headers).json()["phase"] == "queued"
