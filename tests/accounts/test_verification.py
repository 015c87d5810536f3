import pytest
from django.core import mail
from django.urls import reverse

from moderation.models import AuditLogEntry

QUEUE = "/verwaltung/mitglieder/"


@pytest.fixture
def newcomer(make_member):
    return make_member(name="Nora Neu", email="nora@example.org")


def test_staff_see_unverified_members(client, staff_member, newcomer):
    client.force_login(staff_member)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert "Nora Neu" in response.content.decode()


def test_staff_verify_a_member_with_audit_row_and_mail(
    client, staff_member, newcomer, django_capture_on_commit_callbacks
):
    client.force_login(staff_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:verify", args=[newcomer.pk]))
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.is_affiliation_verified
    assert newcomer.affiliation_verified_by == staff_member
    entry = AuditLogEntry.objects.get(action="accounts.member.verified")
    assert entry.actor == staff_member
    assert entry.target_id == str(newcomer.pk)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nora@example.org"]
    assert "Zugehörigkeit wurde bestätigt" in mail.outbox[0].subject
    assert "Nora Neu" not in [m.name for m in client.get(QUEUE).context["page"]]


def test_staff_refuse_verification_with_a_reason(
    client, staff_member, newcomer, django_capture_on_commit_callbacks
):
    client.force_login(staff_member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:revoke", args=[newcomer.pk]),
            {"reason": "Die Gemeinde kennt Frau Neu nicht."},
        )
    entry = AuditLogEntry.objects.get(action="accounts.member.verification_revoked")
    assert entry.reason == "Die Gemeinde kennt Frau Neu nicht."
    assert "Die Gemeinde kennt Frau Neu nicht." in mail.outbox[0].body


def test_refusing_without_reason_changes_nothing(client, staff_member, newcomer):
    client.force_login(staff_member)
    client.post(reverse("accounts:revoke", args=[newcomer.pk]), {"reason": ""})
    assert not AuditLogEntry.objects.exists()


@pytest.mark.parametrize("url_name", ["accounts:verify", "accounts:revoke"])
def test_members_cannot_verify(member_client, newcomer, url_name):
    response = member_client.post(
        reverse(url_name, args=[newcomer.pk]), {"reason": "x"}
    )
    assert response.status_code == 403
    newcomer.refresh_from_db()
    assert not newcomer.is_affiliation_verified
    assert not AuditLogEntry.objects.exists()


def test_members_cannot_open_the_queue(member_client):
    assert member_client.get(QUEUE).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, newcomer):
    response = client.post(reverse("accounts:verify", args=[newcomer.pk]))
    assert response.status_code == 302
    assert response.url.startswith("/konto/login/")
    newcomer.refresh_from_db()
    assert not newcomer.is_affiliation_verified
