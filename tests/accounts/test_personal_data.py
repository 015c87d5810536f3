"""A member's own data: download it (Art. 15/20), delete the account (Art. 17)."""

import csv
import io
import json
import zipfile

import pytest
from allauth.account.models import EmailAddress
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import translation

from accounts import personal_data
from accounts.models import Consent, MemberTopic, User
from audit.models import AuditLogEntry
from realtime import groups

MY_DATA = "/meine-daten/"
EXPORT = "/meine-daten/export/"
DELETE = "/meine-daten/konto-loeschen/"


@pytest.fixture
def profiled_member(member):
    member.job_title = "Demografiebeauftragte"
    member.offers_text = "Unser Bürgerbus-Konzept"
    member.seeks_text = "Ideen für Tagespflege"
    member.save()
    MemberTopic.objects.create(user=member, topic="mobility")
    Consent.objects.create(user=member, document="terms", version="2026-11")
    return member


@pytest.fixture
def registry_snapshot():
    """Let a test register its own exporter or eraser without leaking it."""
    exporters = dict(personal_data._exporters)
    erasers = dict(personal_data._erasers)
    yield
    personal_data._exporters.clear()
    personal_data._exporters.update(exporters)
    personal_data._erasers.clear()
    personal_data._erasers.update(erasers)


def open_archive(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(response.content))


def read_csv(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    text = archive.read(name).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


# --- Export --------------------------------------------------------------------


def test_my_data_page_offers_download_and_deletion(member_client):
    html = member_client.get(MY_DATA).content.decode()
    assert f'href="{EXPORT}"' in html
    assert f'href="{DELETE}"' in html
    assert "365" in html


def test_member_downloads_a_zip_with_json_and_a_csv_per_kind(
    member_client, profiled_member
):
    response = member_client.get(EXPORT)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="zukunftsraum-meine-daten-'
    )
    assert (
        "no-store" in response["Cache-Control"]
        or "no-cache" in (response["Cache-Control"])
    )
    archive = open_archive(response)
    assert {"data.json", "profile.csv", "topics.csv", "consents.csv"} <= set(
        archive.namelist()
    )
    data = json.loads(archive.read("data.json"))
    assert data["format"] == "zukunftsraum-personal-data/1"
    profile = data["parts"]["profile"]
    assert profile["email"] == "anna@example.org"
    assert profile["name"] == "Anna Beispiel"
    assert profile["offers_text"] == "Unser Bürgerbus-Konzept"
    assert profile["municipality_ags"] == "09187117"
    assert data["parts"]["topics"] == [
        {"topic": "mobility", "label": "Mobilität im ländlichen Raum"}
    ]
    assert data["parts"]["email_addresses"] == [
        {"email": "anna@example.org", "verified": True, "primary": True}
    ]
    assert [c["version"] for c in data["parts"]["consents"]] == ["2026-11"]
    assert read_csv(archive, "profile.csv")[0]["seeks_text"] == "Ideen für Tagespflege"
    assert read_csv(archive, "consents.csv")[0]["document"] == "terms"


def test_export_holds_only_the_signed_in_members_data(
    client, member, make_member, password
):
    other = make_member(name="Bernd Anders", email="bernd@example.org")
    client.force_login(other)
    data = json.loads(open_archive(client.get(EXPORT)).read("data.json"))
    assert data["parts"]["profile"]["email"] == "bernd@example.org"
    assert "anna@example.org" not in json.dumps(data)


def test_visitors_cannot_download_an_export(client, db):
    response = client.get(EXPORT)
    assert response.status_code == 302
    assert response.url.startswith("/konto/login/")


def test_apps_contribute_their_part_to_the_export(
    member_client, member, registry_snapshot
):
    personal_data.register_exporter(
        "seminar_registrations", lambda user: [{"seminar": "Pflege", "user": user.pk}]
    )
    archive = open_archive(member_client.get(EXPORT))
    data = json.loads(archive.read("data.json"))
    assert data["parts"]["seminar_registrations"] == [
        {"seminar": "Pflege", "user": member.pk}
    ]
    assert read_csv(archive, "seminar_registrations.csv") == [
        {"seminar": "Pflege", "user": str(member.pk)}
    ]


def test_exports_are_rate_limited(member_client):
    for _ in range(10):
        assert member_client.get(EXPORT).status_code == 200
    assert member_client.get(EXPORT).status_code == 429


# --- Deletion by the member -----------------------------------------------------


def test_member_deletes_their_account_with_their_password(
    member_client, profiled_member, password
):
    member_id = profiled_member.pk

    response = member_client.post(DELETE, {"password": password, "confirm": "on"})

    assert response.status_code == 302
    assert response.url == "/konto-geloescht/"
    member = User.objects.get(pk=member_id)
    assert member.is_deleted
    assert not member.is_active
    assert member.name == ""
    assert member.email == f"deleted-{member_id}@deleted.invalid"
    assert member.job_title == ""
    assert member.offers_text == "" and member.seeks_text == ""
    assert member.municipality is None and member.district is None
    assert not member.show_in_directory
    assert not member.has_usable_password()
    assert not MemberTopic.objects.filter(user=member).exists()
    assert not EmailAddress.objects.filter(user=member).exists()
    # Consents stay as evidence, tied to the anonymised account only.
    assert Consent.objects.filter(user=member).exists()
    assert member_client.get("/uebersicht/").status_code == 302


def test_deleted_member_is_shown_as_former_member(member_client, member, password):
    member_client.post(DELETE, {"password": password, "confirm": "on"})
    member.refresh_from_db()
    with translation.override("de"):
        assert member.display_name == "Ehemaliges Mitglied"
        assert str(member) == "Ehemaliges Mitglied"
    with translation.override("en"):
        assert member.display_name == "Former member"


def test_active_member_is_shown_by_name(member):
    assert member.display_name == "Anna Beispiel"


def test_deleted_member_cannot_log_in_again(member_client, member, password):
    member_client.post(DELETE, {"password": password, "confirm": "on"})
    fresh = Client()
    response = fresh.post(
        "/konto/login/", {"login": "anna@example.org", "password": password}
    )
    assert response.status_code == 200
    assert not fresh.get("/uebersicht/").wsgi_request.user.is_authenticated


def test_deletion_ends_every_session_of_the_member(member, password, make_member):
    laptop, phone, colleague = Client(), Client(), Client()
    laptop.force_login(member)
    phone.force_login(member)
    colleague.force_login(make_member())
    assert Session.objects.count() == 3

    laptop.post(DELETE, {"password": password, "confirm": "on"})

    assert Session.objects.count() == 1
    assert phone.get("/uebersicht/").status_code == 302
    assert colleague.get("/uebersicht/").status_code == 200


def test_deletion_tells_the_members_sockets_that_the_session_ended(
    member_client, member, password, django_capture_on_commit_callbacks
):
    layer = get_channel_layer()
    socket = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(groups.user(member.pk), socket)

    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(DELETE, {"password": password, "confirm": "on"})

    message = async_to_sync(layer.receive)(socket)
    assert message["event"] == {"type": "session.ended", "reason": "account_deleted"}


def test_deletion_is_recorded_in_the_audit_log_without_the_name(
    member_client, member, password
):
    member_client.post(DELETE, {"password": password, "confirm": "on"})
    entry = AuditLogEntry.objects.get(action="accounts.member.deleted")
    assert entry.actor_id == member.pk
    assert entry.target_id == str(member.pk)
    assert "Anna" not in entry.target_repr
    assert entry.data["by"] == "member"
    assert "accounts" in entry.data["kept"]


def test_wrong_password_deletes_nothing_and_says_so_in_german(member_client, member):
    response = member_client.post(DELETE, {"password": "falsch", "confirm": "on"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    member.refresh_from_db()
    assert not member.is_deleted
    assert member.is_active


def test_deletion_needs_the_confirmation_box(member_client, member, password):
    response = member_client.post(DELETE, {"password": password})
    assert response.status_code == 200
    member.refresh_from_db()
    assert not member.is_deleted


def test_password_guessing_on_the_deletion_form_is_limited(
    member_client, member, password
):
    for _ in range(10):
        member_client.post(DELETE, {"password": "falsch", "confirm": "on"})
    response = member_client.post(DELETE, {"password": password, "confirm": "on"})
    assert response.status_code == 302
    assert response.url == MY_DATA
    member.refresh_from_db()
    assert not member.is_deleted


def test_an_app_keeps_records_it_must_retain_and_says_why(
    member_client, member, password, registry_snapshot
):
    personal_data.register_eraser(
        "grants", lambda user: "grant applications kept 10 years (BHO)"
    )
    member_client.post(DELETE, {"password": password, "confirm": "on"})
    entry = AuditLogEntry.objects.get(action="accounts.member.deleted")
    assert entry.data["kept"]["grants"] == "grant applications kept 10 years (BHO)"


def test_an_app_can_refuse_the_deletion_and_nothing_changes(
    member_client, member, password, registry_snapshot
):
    def refuse(user):
        raise personal_data.ErasureRefused("A grant payment is still in progress.")

    personal_data.register_eraser("grants", refuse)
    response = member_client.post(
        DELETE, {"password": password, "confirm": "on"}, follow=True
    )
    assert "A grant payment is still in progress." in response.content.decode()
    member.refresh_from_db()
    assert not member.is_deleted
    assert member.name == "Anna Beispiel"
    assert EmailAddress.objects.filter(user=member).exists()


def test_deleted_member_disappears_from_directory_and_profiles(
    client, member, make_member, password
):
    other = make_member()
    own = Client()
    own.force_login(member)
    own.post(DELETE, {"password": password, "confirm": "on"})
    client.force_login(other)
    assert "Anna Beispiel" not in client.get("/mitglieder/").content.decode()
    assert client.get(f"/mitglieder/{member.pk}/").status_code == 404


# --- Deletion by staff on request -----------------------------------------------


def test_staff_delete_an_account_on_request_with_a_logged_reason(
    client, staff_member, member
):
    client.force_login(staff_member)
    url = f"/verwaltung/mitglieder/{member.pk}/loeschen/"
    assert "Anna Beispiel" in client.get(url).content.decode()

    response = client.post(url, {"reason": "Brief vom 3. März"})

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.is_deleted
    entry = AuditLogEntry.objects.get(action="accounts.member.deleted")
    assert entry.actor == staff_member
    assert entry.reason == "Brief vom 3. März"
    assert entry.data["by"] == "staff"


def test_staff_must_say_how_the_member_asked(client, staff_member, member):
    client.force_login(staff_member)
    response = client.post(f"/verwaltung/mitglieder/{member.pk}/loeschen/", {})
    assert response.status_code == 200
    member.refresh_from_db()
    assert not member.is_deleted


def test_members_cannot_delete_other_accounts(client, member, make_member):
    other = make_member()
    client.force_login(other)
    url = f"/verwaltung/mitglieder/{member.pk}/loeschen/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "weil"}).status_code == 403
    member.refresh_from_db()
    assert not member.is_deleted


def test_staff_cannot_delete_a_superuser_account(client, staff_member, make_member):
    admin = make_member(is_staff=True, is_superuser=True)
    client.force_login(staff_member)
    url = f"/verwaltung/mitglieder/{admin.pk}/loeschen/"
    assert client.post(url, {"reason": "Anfrage"}).status_code == 403


def test_admin_offers_anonymisation_instead_of_hard_deletion(
    client, make_member, member
):
    superuser = make_member(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    page = client.get(f"/verwaltung/admin/accounts/user/{member.pk}/change/")
    html = page.content.decode()
    assert f"/verwaltung/mitglieder/{member.pk}/loeschen/" in html
    delete = client.get(f"/verwaltung/admin/accounts/user/{member.pk}/delete/")
    assert delete.status_code == 403
