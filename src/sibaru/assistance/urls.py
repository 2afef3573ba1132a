from django.urls import path

from sibaru.assistance import views

app_name = "assistance"
urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("baru/", views.proposal_new, name="new"),
    path("baru/<slug:programme>/", views.proposal_new_details, name="new_details"),
    path("tinjauan/", views.review_inbox, name="review_inbox"),
    path("distribusi/", views.bulk_distribute, name="distribute"),
    path("<str:tracking_code>/", views.proposal_detail, name="proposal"),
    path("<str:tracking_code>/tentang/", views.proposal_about, name="about"),
    path("<str:tracking_code>/surat/", views.task_letter, name="letter"),
    path("<str:tracking_code>/lokasi/", views.task_location, name="location"),
    path("<str:tracking_code>/volume/", views.task_volume, name="volume"),
    path("<str:tracking_code>/dokumen/", views.task_documents, name="documents"),
    path("<str:tracking_code>/dokumen/<int:requirement_id>/", views.document_upload, name="document_upload"),
    path("<str:tracking_code>/kesiapan/", views.task_readiness, name="readiness"),
    path("<str:tracking_code>/periksa/", views.check_answers, name="check"),
    path("<str:tracking_code>/kirim/", views.proposal_send, name="send"),
    path("<str:tracking_code>/terkirim/", views.proposal_sent, name="sent"),
    path("<str:tracking_code>/komentar/", views.comment_add, name="comment"),
    path("<str:tracking_code>/dukung/", views.proposal_endorse, name="endorse"),
    path("<str:tracking_code>/berkas/<int:attachment_id>/", views.attachment_view, name="attachment"),
    path("<str:tracking_code>/tinjau/", views.review, name="review"),
    path("<str:tracking_code>/tinjau/dokumen/<int:document_id>/", views.document_review, name="document_review"),
    path("<str:tracking_code>/tinjau/tindakan/<slug:action>/", views.review_action, name="review_action"),
    path("<str:tracking_code>/tinjau/kunjungan/", views.field_visit_add, name="field_visit"),
    path("<str:tracking_code>/tinjau/catatan/", views.note_add, name="note"),
]
