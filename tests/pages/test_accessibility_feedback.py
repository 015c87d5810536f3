"""Feedback on barriers: from the accessibility statement to the Geschäftsstelle."""

import io
import json
import zipfile

import pytest
from django.core import mail

from pages.models import AccessibilityFeedback

STATEMENT = "/barrierefreiheit/"


@pytest.fixture
def feedback():
    return {
        "message": "Der Kalender lässt sich nicht mit der Tastatur bedienen.",
        "page_url": "/seminare/",
        "name": "Petra Prüfer",
        "email": "petra@example.org",
    }


def test_statement_has_a_labelled_feedback_form(client, db):
    html = client.get(STATEMENT).content.decode()
    assert '<form id="feedback" method="post"' in html
    for field in ("message", "page_url", "name", "email"):
        assert f'<label for="id_{field}">' in html
    assert 'aria-describedby="id_message_helptext"' in html


def test_feedback_is_stored_and_mailed_to_staff(
    client, staff_member, feedback, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(STATEMENT, feedback)

    assert response.status_code == 302
    assert response.url == "/barrierefreiheit/rueckmeldung-gesendet/"
    stored = AccessibilityFeedback.objects.get()
    assert stored.message == feedback["message"]
    assert stored.email == "petra@example.org"
    assert stored.member is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["team@example.org"]
    assert message.reply_to == ["petra@example.org"]
    assert message.subject.startswith("[Zukunftsraum] ")
    assert feedback["message"] in message.body
    assert "/seminare/" in message.body
    assert client.get(response.url).status_code == 200


def test_feedback_goes_to_the_staff_address_when_configured(
    client, staff_member, feedback, settings, django_capture_on_commit_callbacks
):
    settings.STAFF_EMAIL = "barrierefreiheit@zukunftsraum.example"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(STATEMENT, feedback)
    assert mail.outbox[0].to == ["barrierefreiheit@zukunftsraum.example"]


def test_feedback_needs_only_a_message(
    client, staff_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(STATEMENT, {"message": "Kontrast zu schwach."})
    assert response.status_code == 302
    assert mail.outbox[0].reply_to == []


def test_signed_in_members_feedback_is_linked_to_them(member_client, member, feedback):
    member_client.post(STATEMENT, feedback)
    assert AccessibilityFeedback.objects.get().member == member


def test_empty_feedback_is_refused_with_an_error_tied_to_the_field(client, db):
    response = client.post(STATEMENT, {"message": "", "email": "keine-adresse"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<textarea name="message"' in html
    assert 'aria-invalid="true"' in html
    assert 'id="id_message_error"' in html
    assert 'id="id_email_error"' in html
    assert "Bitte beschreiben Sie die Barriere, die Ihnen aufgefallen ist." in html
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein" in html
    assert not AccessibilityFeedback.objects.exists()


def test_feedback_is_rate_limited_per_address(client, db, feedback):
    for _ in range(5):
        assert client.post(STATEMENT, feedback).status_code == 302
    response = client.post(STATEMENT, feedback)
    assert response.status_code == 429
    assert AccessibilityFeedback.objects.count() == 5


def test_staff_see_feedback_in_the_admin(client, make_member, feedback):
    client.post(STATEMENT, feedback)
    admin = make_member(is_staff=True, is_superuser=True)
    client.force_login(admin)
    html = client.get("/verwaltung/admin/pages/accessibilityfeedback/").content
    assert "Der Kalender lässt sich nicht" in html.decode()


def test_members_feedback_is_in_their_export_and_loses_its_sender_on_deletion(
    member_client, member, feedback, password
):
    member_client.post(STATEMENT, feedback)
    archive = zipfile.ZipFile(
        io.BytesIO(member_client.get("/meine-daten/export/").content)
    )
    data = json.loads(archive.read("data.json"))
    assert data["parts"]["accessibility_feedback"][0]["message"] == feedback["message"]

    member_client.post(
        "/meine-daten/konto-loeschen/", {"password": password, "confirm": "on"}
    )
    stored = AccessibilityFeedback.objects.get()
    assert (stored.member, stored.name, stored.email) == (None, "", "")
    assert stored.message == feedback["message"]
