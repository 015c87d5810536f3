"""Word filter, audit log with CSV export, and the member's moderation page."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.actions import log_action
from audit.models import AuditLogEntry
from moderation.models import ModeratorNote, WordFilter

pytestmark = pytest.mark.usefixtures("fast_passwords", "english")
WORDS = "/moderation/wortfilter/"


@pytest.fixture
def staff_client(client, cast):
    client.force_login(cast.global_moderator)
    return client


def test_adding_a_word_is_audited(staff_client, cast):
    response = staff_client.post(
        WORDS, {"pattern": "  Depp  ", "action": "hold", "whole_word": "on"}
    )
    assert response.status_code == 302
    entry = WordFilter.objects.get()
    assert (entry.pattern, entry.action, entry.whole_word) == ("Depp", "hold", True)
    assert entry.created_by == cast.global_moderator
    log = AuditLogEntry.objects.get()
    assert log.action == "moderation.word_filter.added"
    assert log.data == {"pattern": "Depp", "action": "hold", "whole_word": True}


@pytest.mark.parametrize("pattern", ["", "   ", "***", "x" * 101])
def test_empty_or_too_long_patterns_are_refused(staff_client, pattern):
    response = staff_client.post(WORDS, {"pattern": pattern, "action": "block"})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not WordFilter.objects.exists()
    assert not AuditLogEntry.objects.exists()


def test_a_word_is_not_added_twice(staff_client):
    staff_client.post(WORDS, {"pattern": "Depp", "action": "block"})
    response = staff_client.post(WORDS, {"pattern": "depp", "action": "flag"})
    assert "already in the filter" in response.content.decode()
    assert WordFilter.objects.count() == 1


def test_removing_a_word_is_audited(staff_client):
    staff_client.post(WORDS, {"pattern": "Depp", "action": "block"})
    entry = WordFilter.objects.get()
    staff_client.post(reverse("moderation:word_filter_delete", args=[entry.pk]))
    assert not WordFilter.objects.exists()
    log = AuditLogEntry.objects.get(action="moderation.word_filter.removed")
    assert log.data["pattern"] == "Depp"
    assert log.target_repr == "Depp"


def test_testing_a_text_shows_what_would_happen(staff_client):
    staff_client.post(WORDS, {"pattern": "Depp", "action": "hold"})
    page = staff_client.get(WORDS, {"text": "So ein DEPP"}).content.decode()
    assert "Hold for review" in page
    assert "matches: Depp" in page
    page = staff_client.get(WORDS, {"text": "Alles gut"}).content.decode()
    assert "allowed" in page


def test_the_audit_log_filters_by_action_actor_target_and_date(staff_client, cast):
    log_action(cast.space_moderator, "forum.thread.locked", target=cast.space)
    log_action(cast.global_moderator, "moderation.post.hidden", target=cast.author)
    old = log_action(cast.admin, "moderation.member.warned", target=cast.other)
    AuditLogEntry.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=10)
    )
    url = reverse("moderation:audit_log")

    def rows(**query):
        return staff_client.get(url, query).context["page"].object_list

    assert [e.action for e in rows(action="moderation.")] == [
        "moderation.post.hidden",
        "moderation.member.warned",
    ]
    assert [e.action for e in rows(actor="Sabine")] == ["forum.thread.locked"]
    assert [e.action for e in rows(target="Olga")] == ["moderation.member.warned"]
    since = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert len(rows(since=since)) == 2
    until = (timezone.localdate() - timedelta(days=5)).isoformat()
    assert [e.action for e in rows(until=until)] == ["moderation.member.warned"]


def test_the_audit_log_is_paginated(staff_client, cast):
    AuditLogEntry.objects.bulk_create(
        AuditLogEntry(actor=cast.admin, action=f"test.entry.{n}") for n in range(60)
    )
    page = staff_client.get(reverse("moderation:audit_log")).context["page"]
    assert len(page.object_list) == 50
    assert page.paginator.num_pages == 2


def test_the_csv_export_holds_the_filtered_rows_safe_for_spreadsheets(
    staff_client, cast
):
    cast.other.name = "=HYPERLINK(evil)"
    cast.other.save(update_fields=["name"])
    log_action(
        cast.admin,
        "moderation.member.warned",
        target=cast.other,
        reason="+49 Anruf",
        data={"until": None},
    )
    log_action(cast.admin, "forum.thread.locked", target=cast.space)
    response = staff_client.get(
        reverse("moderation:audit_export"), {"action": "moderation."}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode()
    header, row, *rest = list(csv.reader(io.StringIO(body)))
    assert rest == []
    assert header == ["time", "actor", "action", "target", "reason", "data"]
    assert row[1:] == [
        "Ada Admin",
        "moderation.member.warned",
        "'=HYPERLINK(evil)",
        "'+49 Anruf",
        '{"until": null}',
    ]
    assert row[0].startswith(str(timezone.now().year))


def test_moderator_notes_are_kept_on_the_member_page_and_audited(staff_client, cast):
    url = reverse("moderation:member", args=[cast.author.pk])
    response = staff_client.post(url, {"text": "Schon zweimal ermahnt."})
    assert response.status_code == 302
    note = ModeratorNote.objects.get()
    assert (note.member, note.author) == (cast.author, cast.global_moderator)
    log = AuditLogEntry.objects.get()
    assert log.action == "moderation.member.note_added"
    assert log.data == {"note": note.pk}
    assert "Schon zweimal ermahnt." in staff_client.get(url).content.decode()


def test_notes_are_not_for_space_moderators_or_the_member(client, cast):
    url = reverse("moderation:member", args=[cast.author.pk])
    for user in (cast.space_moderator, cast.author):
        client.force_login(user)
        assert client.post(url, {"text": "x"}).status_code == 403
    assert not ModeratorNote.objects.exists()


def test_the_member_page_counts_contributions_in_good_german(
    client, cast, make_thread, settings
):
    make_thread(author=cast.author, in_space=cast.space)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    client.force_login(cast.global_moderator)
    page = client.get(f"/moderation/mitglied/{cast.author.pk}/").content.decode()
    assert "1 Forenbeitrag," in page or "1 Forenbeitrag." in page
    assert "1 Forenbeiträge" not in page
