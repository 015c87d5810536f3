from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("uebersicht/", views.home, name="home"),
    path("profil/", views.profile_edit, name="profile_edit"),
    path("mitglieder/", views.directory, name="directory"),
    path("mitglieder/<int:pk>/", views.profile, name="profile"),
    path("kommunen/suche/", views.municipality_search, name="municipality_search"),
    path("verwaltung/mitglieder/", views.verification_queue, name="verification_queue"),
    path(
        "verwaltung/mitglieder/<int:pk>/verifizieren/",
        views.verify,
        name="verify",
    ),
    path(
        "verwaltung/mitglieder/<int:pk>/ablehnen/",
        views.revoke,
        name="revoke",
    ),
]
