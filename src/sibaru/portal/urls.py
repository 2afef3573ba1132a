from django.urls import path

from sibaru.portal import feeds, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("lacak/", views.track, name="track"),
    path("lacak/<str:tracking_code>/", views.track_case, name="track_case"),
    path("berita/", views.publications, name="publications"),
    path("berita/rss/", feeds.PublicationsRss(), name="feed_rss"),
    path("berita/atom/", feeds.PublicationsAtom(), name="feed_atom"),
    path("berita/<slug:slug>/", views.publication, name="publication"),
    path("berita/<slug:slug>/gambar/", views.publication_image, name="publication_image"),
    path("berita/<slug:slug>/lampiran/<int:pk>/", views.publication_attachment, name="publication_attachment"),
]
