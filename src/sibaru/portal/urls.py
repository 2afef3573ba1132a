from django.urls import path

from sibaru.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("lacak/", views.track, name="track"),
    path("lacak/<str:tracking_code>/", views.track_case, name="track_case"),
]
