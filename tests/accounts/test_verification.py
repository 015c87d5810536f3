"""The Geschäftsstelle verifies members' municipal affiliation."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.actions import revoke_verification, verify_affiliation
from audit.models import AuditLogEntry

QUEUE = "/verwaltung/mitglieder/"


@pytest.fixture
def newcomer(make_member):
    return make_member(name="Nora Neu", email="nora@example.org")


@pytest.fixture
def staff_client(client, staff_member):
    client.force_login(staff_member)
    return client


def queued(client) -> list[str]:
    return [member.name for member in client.get(QUEUE).context["page"]]


def test_staff_see_unverified_members_oldest_first(
    staff_client, make_member, newcomer, staff_member
):
    early = make_member(
        name="Erika Früh", date_joined=timezone.now() - timedelta(days=3)
    )
    verified = make_member(name="Vera Verifiziert")
    verify_affiliation(staff_member, verified)

    response = staff_client.get(QUEUE)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Zugehörigkeiten bestätigen</h1>" in html
    assert queued(staff_client)[:2] == ["Erika Früh", "Nora Neu"]
    assert "Vera Verifiziert" not in queued(staff_client)
    # Staff accounts are not municipal members: nobody verifies them.
    assert staff_member.name not in queued(staff_client)
    assert early.email in html


def test_staff_verify_a_member_with_audit_row_and_mail(
    staff_client, staff_member, newcomer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("accounts:verify", args=[newcomer.pk]))

    assert response.status_code == 302
    assert response.url == QUEUE
    newcomer.refresh_from_db()
    assert newcomer.is_affiliation_verified
    assert newcomer.affiliation_verified_by == staff_member
    entry = AuditLogEntry.objects.get(action="accounts.member.verified")
    assert entry.actor == staff_member
    assert entry.target_id == str(newcomer.pk)
    assert entry.data == {"affiliation": "Musterau"}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nora@example.org"]
    assert message.subject == "[Zukunftsraum] Ihre Zugehörigkeit wurde bestätigt"
    assert "Musterau" in message.body
    queue = staff_client.get(QUEUE)
    assert "Nora Neu ist jetzt verifiziert." in queue.content.decode()
    assert "Nora Neu" not in [member.name for member in queue.context["page"]]


def test_verifying_twice_changes_nothing_the_second_time(
    staff_client, staff_member, newcomer
):
    assert verify_affiliation(staff_member, newcomer) is True
    assert verify_affiliation(staff_member, newcomer) is False
    assert AuditLogEntry.objects.filter(action="accounts.member.verified").count() == 1


def test_staff_refuse_verification_with_a_reason(
    staff_client, staff_member, newcomer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("accounts:revoke", args=[newcomer.pk]),
            {"reason": "Die Gemeinde kennt Frau Neu nicht."},
        )

    entry = AuditLogEntry.objects.get(action="accounts.member.verification_revoked")
    assert entry.actor == staff_member
    assert entry.reason == "Die Gemeinde kennt Frau Neu nicht."
    assert entry.data == {"affiliation": "Musterau", "was_verified": False}
    message = mail.outbox[0]
    assert message.to == ["nora@example.org"]
    assert "konnte nicht bestätigt werden" in message.subject
    assert "Die Gemeinde kennt Frau Neu nicht." in message.body
    # Decided: the member leaves the queue and sees the outcome on their overview.
    assert "Nora Neu" not in queued(staff_client)
    newcomer.refresh_from_db()
    assert newcomer.affiliation_rejected_at is not None
    own = Client()
    own.force_login(newcomer)
    assert "konnte nicht bestätigen" in own.get("/uebersicht/").content.decode()


def test_withdrawing_a_verification_removes_the_mark(staff_member, newcomer):
    verify_affiliation(staff_member, newcomer)
    assert revoke_verification(staff_member, newcomer, reason="Ausgeschieden")
    newcomer.refresh_from_db()
    assert not newcomer.is_affiliation_verified
    assert newcomer.affiliation_verified_by is None
    entry = AuditLogEntry.objects.get(action="accounts.member.verification_revoked")
    assert entry.data["was_verified"] is True


def test_refusing_without_reason_changes_nothing(staff_client, newcomer):
    response = staff_client.post(
        reverse("accounts:revoke", args=[newcomer.pk]), {"reason": ""}, follow=True
    )
    assert "Bitte geben Sie eine Begründung an" in response.content.decode()
    assert not AuditLogEntry.objects.exists()
    assert mail.outbox == []
    assert "Nora Neu" in queued(staff_client)


@pytest.mark.parametrize("url_name", ["accounts:verify", "accounts:revoke"])
def test_members_cannot_verify(member_client, newcomer, url_name):
    response = member_client.post(
        reverse(url_name, args=[newcomer.pk]), {"reason": "x"}
    )
    assert response.status_code == 403
    newcomer.refresh_from_db()
    assert not newcomer.is_affiliation_verified
    assert newcomer.affiliation_rejected_at is None
    assert not AuditLogEntry.objects.exists()
    assert mail.outbox == []


def test_the_actions_check_permission_themselves(member, newcomer):
    with pytest.raises(PermissionDenied):
        verify_affiliation(member, newcomer)
    with pytest.raises(PermissionDenied):
        revoke_verification(member, newcomer, reason="x")
    assert not AuditLogEntry.objects.exists()


def test_members_cannot_open_the_queue(member_client):
    assert member_client.get(QUEUE).status_code == 403


@pytest.mark.parametrize("url_name", ["accounts:verify", "accounts:revoke"])
def test_decisions_need_a_post(staff_client, newcomer, url_name):
    assert staff_client.get(reverse(url_name, args=[newcomer.pk])).status_code == 405


def test_decisions_need_the_csrf_token(staff_member, newcomer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_member)
    response = client.post(reverse("accounts:verify", args=[newcomer.pk]))
    assert response.status_code == 403
    newcomer.refresh_from_db()
    assert not newcomer.is_affiliation_verified


def test_anonymous_visitors_are_sent_to_login(client, newcomer):
    for response in (
        client.get(QUEUE),
        client.post(reverse("accounts:verify", args=[newcomer.pk])),
    ):
        assert response.status_code == 302
        assert response.url.startswith("/konto/login/")
    newcomer.refresh_from_db()
    assert not newcomer.is_affiliation_verified
