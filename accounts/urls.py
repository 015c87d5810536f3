from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("profil/", views.profile_edit, name="profile_edit"),
    path("mitglieder/", views.directory, name="directory"),
    path("mitglieder/<int:pk>/", views.profile, name="profile"),
    path("mitglieder/suche/", views.member_search, name="member_search"),
    path("meine-daten/", views.my_data, name="my_data"),
    path("meine-daten/export/", views.data_export, name="data_export"),
    path("meine-daten/konto-loeschen/", views.delete_account, name="delete_account"),
    path(
        "meine-daten/ueberall-abmelden/",
        views.log_out_everywhere,
        name="log_out_everywhere",
    ),
    path("konto-geloescht/", views.account_deleted, name="account_deleted"),
    path("kommunen/suche/", views.municipality_search, name="municipality_search"),
    path("verwaltung/mitglieder/", views.verification_queue, name="verification_queue"),
    path(
        "verwaltung/mitglieder/<int:pk>/verifizieren/",
        views.verify,
        name="verify",
    ),
    path(
        "verwaltung/mitglieder/<int:pk>/kommune-anlegen/",
        views.confirm_municipality,
        name="confirm_municipality",
    ),
    path(
        "verwaltung/mitglieder/<int:pk>/ablehnen/",
        views.revoke,
        name="revoke",
    ),
    path(
        "verwaltung/mitglieder/<int:pk>/loeschen/",
        views.staff_delete_account,
        name="staff_delete_account",
    ),
]
