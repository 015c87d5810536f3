"""Objections go back into the queue; another moderator upholds or revokes."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from audit.models import AuditLogEntry
from community.models import Notification
from moderation.actions.appeals import decide_appeal, object_to
from moderation.actions.decisions import decide
from moderation.actions.reports import report
from moderation.models import Appeal, ItemSource, ItemStatus, ReviewItem, Visibility
from realtime import groups

pytestmark = pytest.mark.usefixtures("fast_passwords", "english")


@pytest.fixture
def hidden(cast, fake_post):
    """`fake_post`, reported and hidden by the space moderator: the decision."""
    report(cast.other, "fake_post", fake_post.pk, reason="insult")
    item = ReviewItem.objects.get()
    return decide(
        cast.space_moderator, item, action="hide", rule="respect", reason="Beleidigung"
    )


def test_the_member_objects_once_and_the_objection_enters_the_queue(
    client, cast, hidden, published, django_capture_on_commit_callbacks
):
    published.listen(groups.moderators())
    client.force_login(cast.author)
    url = reverse("moderation:decision", args=[hidden.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"text": "Das war Satire."})
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.member, appeal.text) == (cast.author, "Das war Satire.")
    item = ReviewItem.objects.get(status=ItemStatus.OPEN)
    assert (item.target_kind, item.target_id) == ("decision", hidden.pk)
    assert item.source == ItemSource.APPEAL
    assert item.space == cast.space
    [event] = published.events(groups.moderators())
    assert (event["op"], event["item"], event["source"]) == (
        "opened",
        item.pk,
        "appeal",
    )
    assert AuditLogEntry.objects.filter(action="moderation.appeal.submitted").exists()
    # Once only.
    assert client.post(url, {"text": "Noch einmal"}).status_code == 403
    assert Appeal.objects.count() == 1


def test_nobody_else_objects_for_the_member(client, cast, hidden):
    url = reverse("moderation:decision", args=[hidden.pk])
    client.force_login(cast.space_moderator)
    assert client.post(url, {"text": "x"}).status_code == 403
    client.force_login(cast.other)
    assert client.post(url, {"text": "x"}).status_code == 404
    assert not Appeal.objects.exists()


def test_the_deciding_moderator_leaves_the_objection_to_another(cast, hidden):
    appeal = object_to(cast.author, hidden, text="Satire")
    with pytest.raises(PermissionDenied):
        decide_appeal(cast.space_moderator, appeal, uphold=True, answer="Nein")
    appeal.refresh_from_db()
    assert appeal.status == "open"
    decide_appeal(cast.global_moderator, appeal, uphold=True, answer="Bleibt so")
    appeal.refresh_from_db()
    assert (appeal.status, appeal.decided_by) == ("upheld", cast.global_moderator)
    entry = AuditLogEntry.objects.get(action="moderation.appeal.upheld")
    assert entry.reason == "Bleibt so"
    assert not ReviewItem.objects.filter(status=ItemStatus.OPEN).exists()


def test_revoking_restores_the_content_and_notifies_the_member(
    cast, fake_post, hidden, published, django_capture_on_commit_callbacks
):
    appeal = object_to(cast.author, hidden, text="Satire")
    published.listen(groups.moderators(), groups.user(cast.author.pk))
    with django_capture_on_commit_callbacks(execute=True):
        decide_appeal(
            cast.global_moderator, appeal, uphold=False, answer="Sie haben recht"
        )
    fake_post.refresh_from_db()
    assert fake_post.visibility == Visibility.VISIBLE
    entry = AuditLogEntry.objects.get(action="moderation.appeal.revoked")
    assert entry.data["restored"] is True
    assert published.events(groups.moderators())[0]["op"] == "closed"
    [note] = published.events(groups.user(cast.author.pk))
    assert note["kind"] == "moderation"
    assert Notification.objects.filter(
        recipient=cast.author, kind="moderation", url=note["url"]
    ).exists()


def test_revoking_a_suspension_lifts_it(cast, fake_post):
    report(cast.other, "fake_post", fake_post.pk, reason="insult")
    decision = decide(
        cast.global_moderator,
        ReviewItem.objects.get(),
        action="suspend",
        rule="law",
        reason="x",
        duration=timedelta(days=7),
    )
    appeal = object_to(cast.author, decision, text="Verwechslung")
    decide_appeal(cast.admin, appeal, uphold=False, answer="Verwechslung bestätigt")
    cast.author.refresh_from_db()
    assert cast.author.suspended_until is None
    entry = AuditLogEntry.objects.get(action="moderation.appeal.revoked")
    assert entry.data["lifted"] == [decision.sanctions.get().pk]


def test_a_space_moderator_cannot_decide_an_objection_to_a_suspension(cast, fake_post):
    report(cast.other, "fake_post", fake_post.pk, reason="insult")
    decision = decide(
        cast.global_moderator,
        ReviewItem.objects.get(),
        action="suspend",
        rule="law",
        reason="x",
        duration=timedelta(days=1),
    )
    appeal = object_to(cast.author, decision, text="Bitte prüfen")
    with pytest.raises(PermissionDenied):
        decide_appeal(cast.space_moderator, appeal, uphold=False, answer="x")
    assert ReviewItem.objects.get(status=ItemStatus.OPEN).space is None


def test_the_objection_page_lets_another_moderator_decide(client, cast, hidden):
    object_to(cast.author, hidden, text="Satire")
    item = ReviewItem.objects.get(status=ItemStatus.OPEN)
    url = reverse("moderation:item", args=[item.pk])
    client.force_login(cast.space_moderator)
    page = client.get(url).content.decode()
    assert "Satire" in page
    assert "Another moderator reviews this objection" in page
    assert client.post(url, {"outcome": "revoke", "answer": "x"}).status_code == 403
    client.force_login(cast.global_moderator)
    response = client.post(url, {"outcome": "revoke", "answer": "Zu Unrecht"})
    assert response.status_code == 302
    assert Appeal.objects.get().status == "revoked"


def test_upholding_closes_the_objection_live_and_notifies_the_member(
    cast, hidden, published, django_capture_on_commit_callbacks
):
    appeal = object_to(cast.author, hidden, text="Satire")
    item = ReviewItem.objects.get(status=ItemStatus.OPEN)
    published.listen(groups.moderators(), groups.user(cast.author.pk))
    with django_capture_on_commit_callbacks(execute=True):
        decide_appeal(cast.admin, appeal, uphold=True, answer="Bleibt")
    [closed] = published.events(groups.moderators())
    assert (closed["op"], closed["item"]) == ("closed", item.pk)
    [note] = published.events(groups.user(cast.author.pk))
    assert note["url"] == reverse("moderation:decision", args=[hidden.pk])
    entry = AuditLogEntry.objects.get(action="moderation.appeal.upheld")
    assert entry.actor == cast.admin


def test_with_no_second_moderator_member_and_moderator_are_told_who_reviews(
    client, cast, hidden
):
    from accounts.models import User

    User.objects.filter(is_staff=True).update(is_active=False)
    decision_url = reverse("moderation:decision", args=[hidden.pk])
    client.force_login(cast.author)
    page = client.get(decision_url).content.decode()
    assert 'id="same-reviewer"' in page
    assert "the moderator who took the decision will review your objection" in page
    assert "A moderator who did not take the decision" not in page

    client.post(decision_url, {"text": "Das war Satire."})
    assert "the moderator who took the decision reviews your objection" in (
        client.get(decision_url).content.decode()
    )

    item = ReviewItem.objects.get(status=ItemStatus.OPEN)
    client.force_login(cast.space_moderator)
    page = client.get(reverse("moderation:item", args=[item.pk])).content.decode()
    assert 'id="deciding-own"' in page
    assert "You took the decision this objection is about" in page
    response = client.post(
        reverse("moderation:item", args=[item.pk]),
        {"outcome": "uphold", "answer": "Geprüft"},
    )
    assert response.status_code == 302


def test_with_a_second_moderator_nobody_is_warned(client, cast, hidden):
    client.force_login(cast.author)
    page = client.get(reverse("moderation:decision", args=[hidden.pk])).text
    assert 'id="same-reviewer"' not in page
    object_to(cast.author, hidden, text="Satire")
    item = ReviewItem.objects.get(status=ItemStatus.OPEN)
    client.force_login(cast.global_moderator)
    page = client.get(reverse("moderation:item", args=[item.pk])).text
    assert 'id="deciding-own"' not in page
